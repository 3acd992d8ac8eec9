/**
 * The relay's wire contract, written once and imported by both sides: the components (as the
 * non-exposed service component `c/relayContract`) and the relay Worker (by relative path).
 * It must stay free of DOM, Node and Workers APIs so it runs in all three places.
 */

/** Paths the relay serves. Versioned so an installed package keeps working across relay deploys. */
export const RELAY_PATHS = Object.freeze({
    health: '/healthz',
    messages: '/v1/messages',
    pdf: '/v1/pdf',
    /** `GET`: proves the relay accepts this org's key as it is now (`RelayConnectionCheck`). */
    connection: '/v1/connection'
});

/** What `GET /healthz` answers. It reveals no secret, only whether the relay can do its jobs. */
export interface RelayHealth {
    status: 'ok';
    service: 'resident-relay';
    /** The relay build's version, so an admin can tell which relay the org is talking to. */
    version: string;
    /** Whether an LLM API key is configured and whether the LLM upstream is Anthropic's own API. */
    llm: {
        configured: boolean;
        upstream: 'anthropic' | 'custom';
        /**
         * How the deployment names a custom upstream (e.g. a company's own gateway, or the local
         * stand-in), so users are told plainly who answers them. Absent for Anthropic's API.
         */
        upstreamLabel?: string;
    };
}

/**
 * What `GET /v1/connection` answers (bearer session token, any scope): proof that the relay accepts
 * this org's key as it is now. A revoked key id or a wrong key gets the 401 `RelayErrorBody`
 * instead. It repeats what the token says, so it reveals nothing new.
 */
export interface RelayConnectionCheck {
    orgId: string;
    keyId: string;
    /** ISO 8601 expiry of the token the check used. */
    tokenExpiresAt: string;
}

/** Every kind of error the relay answers with, so clients can branch on `type`, not on text. */
export type RelayErrorType =
    | 'invalid_request'
    | 'unauthorized'
    | 'forbidden'
    | 'not_found'
    | 'payload_too_large'
    | 'rate_limited'
    /** The org's egress policy forbids what the request carries (an excluded field, a model). */
    | 'policy_violation'
    /** The task's or the user's daily token budget is spent. */
    | 'budget_exhausted'
    /** The LLM service is overloaded or failing; retried already, worth trying again later. */
    | 'upstream_error'
    /** The LLM account's spend limit is reached; retrying will not help until an admin acts. */
    | 'upstream_spend_limit'
    | 'internal_error';

/** Scopes a session token can grant: the LLM route and the PDF route. */
export type RelayScope = 'llm' | 'pdf';

/** The audience every session token names, unless a deployment configures its own. */
export const DEFAULT_SESSION_AUDIENCE = 'resident-relay';

/** The longest a session token may live, in seconds (Apex mints them for 10 minutes). */
export const MAX_SESSION_TOKEN_LIFETIME_SECONDS = 900;

/** The one error shape the relay answers with: never a stack trace, never an upstream body. */
export interface RelayErrorBody {
    error: {
        type: RelayErrorType;
        message: string;
        requestId: string;
    };
}

/** Header carrying the per-request id, echoed on every response so a user can quote it to support. */
export const REQUEST_ID_HEADER = 'x-request-id';

export function isRelayHealth(value: unknown): value is RelayHealth {
    if (typeof value !== 'object' || value === null) {
        return false;
    }
    const v = value as Partial<RelayHealth>;
    return (
        v.status === 'ok' &&
        v.service === 'resident-relay' &&
        typeof v.version === 'string' &&
        typeof v.llm === 'object' &&
        v.llm !== null &&
        typeof v.llm.configured === 'boolean' &&
        (v.llm.upstream === 'anthropic' || v.llm.upstream === 'custom') &&
        (v.llm.upstreamLabel === undefined || typeof v.llm.upstreamLabel === 'string')
    );
}

export function isRelayConnectionCheck(value: unknown): value is RelayConnectionCheck {
    if (typeof value !== 'object' || value === null) {
        return false;
    }
    const v = value as Partial<RelayConnectionCheck>;
    return (
        typeof v.orgId === 'string' &&
        typeof v.keyId === 'string' &&
        typeof v.tokenExpiresAt === 'string'
    );
}

export function isRelayErrorBody(value: unknown): value is RelayErrorBody {
    if (typeof value !== 'object' || value === null) {
        return false;
    }
    const e = (value as Partial<RelayErrorBody>).error;
    return (
        typeof e === 'object' &&
        e !== null &&
        typeof e.type === 'string' &&
        typeof e.message === 'string' &&
        typeof e.requestId === 'string'
    );
}

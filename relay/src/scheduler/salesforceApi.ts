import { SignJWT } from 'jose';
import type { EnrolledOrg } from './schedulerConfig';

/** The REST API version the scheduler speaks. */
export const API_VERSION = 'v62.0';

/** A Salesforce answer the run cannot get past; `message` is Salesforce's own, for the run record. */
export class SalesforceError extends Error {
    constructor(
        readonly status: number,
        readonly errorCode: string,
        message: string
    ) {
        super(message);
    }

    /** Worth trying again: the org is busy or briefly unavailable, not refusing. */
    get transient(): boolean {
        return (
            this.status === 0 ||
            this.status >= 500 ||
            this.errorCode === 'REQUEST_LIMIT_EXCEEDED' ||
            this.errorCode === 'SERVER_UNAVAILABLE'
        );
    }
}

/** When a run must give up, and how retries back off (tests shorten the base). */
export interface RetryPolicy {
    /** Epoch ms after which no retry starts (the cron tick's budget). */
    deadline: number;
    maxAttempts: number;
    baseDelayMs: number;
    /** Told about each retry, for the run's steps (no bodies, no tokens). */
    onRetry?: (what: string, error: SalesforceError, attempt: number) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `attempt` again on transient failures with exponential backoff and jitter, within the deadline. */
export async function withRetries<T>(
    what: string,
    policy: RetryPolicy,
    attempt: () => Promise<T>
): Promise<T> {
    for (let n = 1; ; n++) {
        try {
            return await attempt();
        } catch (err) {
            const error =
                err instanceof SalesforceError
                    ? err
                    : new SalesforceError(0, 'NETWORK_ERROR', 'Salesforce could not be reached.');
            const delay = policy.baseDelayMs * 2 ** (n - 1) * (0.75 + Math.random() * 0.5);
            if (
                !error.transient ||
                n >= policy.maxAttempts ||
                Date.now() + delay > policy.deadline
            ) {
                throw error;
            }
            policy.onRetry?.(what, error, n);
            await sleep(delay);
        }
    }
}

async function salesforceError(response: Response): Promise<SalesforceError> {
    let errorCode = `HTTP_${response.status}`;
    let message = `Salesforce answered ${response.status}.`;
    try {
        const body = (await response.json()) as unknown;
        const first = Array.isArray(body)
            ? (body[0] as Record<string, unknown>)
            : (body as Record<string, unknown>);
        if (first && typeof first === 'object') {
            errorCode = String(first.errorCode ?? first.error ?? errorCode);
            message = String(first.message ?? first.error_description ?? message);
        }
    } catch {
        // Not JSON (a proxy's HTML page): keep the status only; its body is never passed on.
    }
    return new SalesforceError(response.status, errorCode, message);
}

/** A signed-in user of one org, for one run: the token lives in this object only. */
export class SalesforceSession {
    constructor(
        readonly instanceUrl: string,
        private readonly accessToken: string,
        readonly userId: string,
        private readonly retry: RetryPolicy
    ) {}

    /** The same signed-in user, reporting each retry to `onRetry` (for a run's steps). */
    withRetryListener(onRetry: RetryPolicy['onRetry']): SalesforceSession {
        return new SalesforceSession(this.instanceUrl, this.accessToken, this.userId, {
            ...this.retry,
            onRetry
        });
    }

    /** A REST call (path from `/services/data/...` or relative to it), retried when transient. */
    async request<T>(
        method: string,
        path: string,
        options: { body?: unknown; headers?: Record<string, string>; what?: string } = {}
    ): Promise<T> {
        const url = path.startsWith('/services/')
            ? `${this.instanceUrl}${path}`
            : `${this.instanceUrl}/services/data/${API_VERSION}/${path}`;
        return withRetries(
            options.what ?? `${method} ${path.split('?')[0]}`,
            this.retry,
            async () => {
                let response: Response;
                try {
                    response = await fetch(url, {
                        method,
                        headers: {
                            authorization: `Bearer ${this.accessToken}`,
                            accept: 'application/json',
                            ...(options.body !== undefined
                                ? { 'content-type': 'application/json' }
                                : {}),
                            ...options.headers
                        },
                        body: options.body !== undefined ? JSON.stringify(options.body) : undefined
                    });
                } catch {
                    throw new SalesforceError(
                        0,
                        'NETWORK_ERROR',
                        'Salesforce could not be reached.'
                    );
                }
                if (!response.ok) throw await salesforceError(response);
                if (response.status === 204) return undefined as T;
                return (await response.json()) as T;
            }
        );
    }
}

/**
 * Signs in as `username` with the OAuth 2.0 JWT bearer flow (RS256, a 3-minute assertion, as
 * Salesforce requires): the connected app must be pre-authorized for the user.
 */
export async function signInAs(
    org: EnrolledOrg,
    username: string,
    key: CryptoKey,
    retry: RetryPolicy
): Promise<SalesforceSession> {
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({})
        .setProtectedHeader({ alg: 'RS256' })
        .setIssuer(org.consumerKey)
        .setSubject(username)
        .setAudience(org.loginUrl)
        .setIssuedAt(now)
        .setExpirationTime(now + 180)
        .sign(key);
    const token = await withRetries('sign in', retry, async () => {
        let response: Response;
        try {
            response = await fetch(`${org.loginUrl}/services/oauth2/token`, {
                method: 'POST',
                headers: {
                    'content-type': 'application/x-www-form-urlencoded',
                    accept: 'application/json'
                },
                body: new URLSearchParams({
                    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
                    assertion
                })
            });
        } catch {
            throw new SalesforceError(0, 'NETWORK_ERROR', 'Salesforce could not be reached.');
        }
        if (!response.ok) throw await salesforceError(response);
        return (await response.json()) as {
            access_token?: string;
            instance_url?: string;
            id?: string;
        };
    });
    if (!token.access_token || !token.instance_url) {
        throw new SalesforceError(
            502,
            'INVALID_TOKEN_RESPONSE',
            'Salesforce answered the sign-in without a token.'
        );
    }
    const userId =
        String(token.id ?? '')
            .split('/')
            .pop() ?? '';
    return new SalesforceSession(
        token.instance_url.replace(/\/+$/, ''),
        token.access_token,
        userId,
        retry
    );
}

/** Why a sign-in as a schedule's owner (or recipient) failed, in words for the run record. */
export function describeSignInFailure(
    error: SalesforceError,
    username: string,
    role: string
): string {
    const description = error.message.toLowerCase();
    if (description.includes('inactive')) {
        return `The ${role} (${username}) is deactivated, so the report cannot run as them.`;
    }
    if (description.includes("hasn't approved") || description.includes('not approved')) {
        return `The ${role} (${username}) is not pre-authorized for the Resident connected app: assign them the Resident Scheduler permission set.`;
    }
    if (error.errorCode === 'invalid_client_id' || description.includes('client identifier')) {
        return "The relay's consumer key does not match this org's Resident connected app.";
    }
    if (error.transient)
        return `Salesforce did not answer the sign-in as the ${role}: ${error.message}`;
    return `Salesforce refused the sign-in as the ${role} (${username}): ${error.message}`;
}

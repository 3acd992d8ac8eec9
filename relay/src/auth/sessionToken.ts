import {
    SignJWT,
    decodeJwt,
    decodeProtectedHeader,
    errors as joseErrors,
    jwtVerify,
    type JWTPayload
} from 'jose';
import * as z from 'zod/mini';
import '../validation';
import type { EgressPolicy } from '../../../force-app/main/default/lwc/egressPolicy/egressPolicy';
import {
    DEFAULT_SESSION_AUDIENCE,
    MAX_SESSION_TOKEN_LIFETIME_SECONDS,
    type RelayScope
} from '../../../force-app/main/default/lwc/relayContract/relayContract';
import { deriveOrgSecret, parseOrgKey, ORG_KEY_VERSION } from './orgKeys';
import type { SessionClaims } from './sessionClaims';

/**
 * Session tokens (docs/SESSION_TOKENS.md): HS256 compact JWS minted by Apex with the org key,
 * checked here against the key the relay derives for the org the token names. A token that lies
 * about its org is signed with the wrong key and fails; nothing is looked up or stored.
 */

/** The only algorithm accepted: `none`, RS*, ES* and friends are refused before any key is used. */
const ALGORITHMS = ['HS256'];
/** Clock skew between Salesforce and Cloudflare we tolerate (the issue allows at most 60 s). */
export const CLOCK_TOLERANCE_SECONDS = 60;
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 600;
const KID = /^v1:([a-z0-9][a-z0-9-]{0,30})$/;
const SALESFORCE_ID_18 = /^[a-zA-Z0-9]{18}$/;

export interface MintClaims {
    orgId: string;
    userId: string;
    scopes: RelayScope[];
    policy: EgressPolicy;
    budget: { userDayRemaining: number; taskRemaining: number };
    taskId?: string;
    lifetimeSeconds?: number;
    tokenId?: string;
    audience?: string;
}

export interface SessionVerifierConfig {
    masterKeys: ReadonlyMap<string, Uint8Array>;
    revokedKeyIds: ReadonlySet<string>;
    audience: string;
}

/** Why a token was refused, in words for the user; `status` 401 (re-authenticate) or 403. */
export class SessionTokenError extends Error {
    constructor(
        message: string,
        readonly status: 401 | 403 = 401
    ) {
        super(message);
    }
}

const nonNegativeInt = z.int().check(z.minimum(0));
const pattern = (re: RegExp) => z.string().check(z.regex(re));
const policySchema = z.object({
    aiEnabled: z.boolean(),
    masking: z.object({
        emails: z.boolean(),
        phones: z.boolean(),
        cards: z.boolean(),
        ibans: z.boolean(),
        nationalIds: z.boolean(),
        custom: z
            .array(
                z.object({
                    name: z.string().check(z.maxLength(30)),
                    pattern: z.string().check(z.maxLength(500))
                })
            )
            .check(z.maxLength(20))
    }),
    excludedFields: z.array(z.string().check(z.maxLength(255))).check(z.maxLength(500)),
    maxKnowledgeChunks: z.int().check(z.minimum(0), z.maximum(50)),
    models: z
        .array(z.string().check(z.minLength(1), z.maxLength(100)))
        .check(z.minLength(1), z.maxLength(20)),
    zeroRetention: z.boolean(),
    tokenBudget: z.object({ perTask: nonNegativeInt, perUserPerDay: nonNegativeInt })
}) satisfies z.ZodMiniType<EgressPolicy>;

const claimsSchema = z.object({
    iss: pattern(/^00D[a-zA-Z0-9]{15}$/),
    sub: pattern(/^005[a-zA-Z0-9]{15}$/),
    iat: z.int(),
    exp: z.int(),
    jti: pattern(/^[0-9a-f]{32}$/),
    scope: pattern(/^(llm|pdf)( (llm|pdf))*$/),
    pol: policySchema,
    bud: z.object({ day: nonNegativeInt, task: nonNegativeInt }),
    tsk: z.optional(pattern(SALESFORCE_ID_18))
});

function randomTokenId(): string {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Mints a token as Apex does (scripts, the workbench's stand-in Apex and tests use this). */
export async function mintSessionToken(
    orgKey: string,
    claims: MintClaims,
    now: Date = new Date()
): Promise<string> {
    const { keyId, secret } = parseOrgKey(orgKey);
    const issuedAt = Math.floor(now.getTime() / 1000);
    const lifetime = claims.lifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
    const payload: JWTPayload & Record<string, unknown> = {
        scope: [...new Set(claims.scopes)].sort().join(' '),
        pol: claims.policy,
        bud: { day: claims.budget.userDayRemaining, task: claims.budget.taskRemaining }
    };
    if (claims.taskId) payload.tsk = claims.taskId;
    return new SignJWT(payload)
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: `${ORG_KEY_VERSION}:${keyId}` })
        .setIssuer(claims.orgId)
        .setSubject(claims.userId)
        .setAudience(claims.audience ?? DEFAULT_SESSION_AUDIENCE)
        .setIssuedAt(issuedAt)
        .setNotBefore(issuedAt)
        .setExpirationTime(issuedAt + lifetime)
        .setJti(claims.tokenId ?? randomTokenId())
        .sign(secret);
}

/**
 * Verifies a token and returns what it grants. Order matters: the header is judged (algorithm,
 * key id, revocation) before any key is derived, and the org id is read unverified only to pick
 * the key that must have signed it.
 */
export async function verifySessionToken(
    token: string,
    config: SessionVerifierConfig,
    now: Date = new Date()
): Promise<SessionClaims> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    let unverified: JWTPayload;
    try {
        header = decodeProtectedHeader(token);
        unverified = decodeJwt(token);
    } catch {
        throw new SessionTokenError(
            'The session token is malformed. Reload the page to get a new one.'
        );
    }
    if (typeof header.alg !== 'string' || !ALGORITHMS.includes(header.alg)) {
        throw new SessionTokenError(
            'The session token uses an algorithm the relay does not accept.'
        );
    }
    const kid = typeof header.kid === 'string' ? KID.exec(header.kid) : null;
    if (!kid) {
        throw new SessionTokenError('The session token does not name a v1 org key id.');
    }
    const keyId = kid[1]!;
    const master = config.masterKeys.get(keyId);
    if (!master || config.revokedKeyIds.has(keyId)) {
        throw new SessionTokenError(
            'The org key that signed this session token is unknown or revoked. Ask your Salesforce admin to connect the org to the relay again.'
        );
    }
    if (typeof unverified.iss !== 'string' || !/^00D[a-zA-Z0-9]{15}$/.test(unverified.iss)) {
        throw new SessionTokenError('The session token does not name an 18-character org id.');
    }
    const secret = await deriveOrgSecret(master, keyId, unverified.iss);

    let payload: JWTPayload;
    try {
        ({ payload } = await jwtVerify(token, secret, {
            algorithms: ALGORITHMS,
            audience: config.audience,
            clockTolerance: CLOCK_TOLERANCE_SECONDS,
            currentDate: now,
            requiredClaims: ['iss', 'sub', 'aud', 'iat', 'exp', 'jti']
        }));
    } catch (error) {
        throw new SessionTokenError(reasonFor(error));
    }
    const parsed = claimsSchema.safeParse(payload);
    if (!parsed.success) {
        throw new SessionTokenError('The session token carries claims the relay cannot read.');
    }
    const claims = parsed.data;
    if (claims.exp - claims.iat > MAX_SESSION_TOKEN_LIFETIME_SECONDS) {
        throw new SessionTokenError('The session token lives longer than the 15 minutes allowed.');
    }
    if (claims.iat - CLOCK_TOLERANCE_SECONDS > Math.floor(now.getTime() / 1000)) {
        throw new SessionTokenError('The session token was issued in the future; check clocks.');
    }
    return {
        orgId: claims.iss,
        userId: claims.sub,
        keyId,
        scopes: new Set(claims.scope.split(' ') as RelayScope[]),
        policy: claims.pol,
        budget: { userDayRemaining: claims.bud.day, taskRemaining: claims.bud.task },
        taskId: claims.tsk,
        tokenId: claims.jti,
        expiresAt: claims.exp
    };
}

function reasonFor(error: unknown): string {
    if (error instanceof joseErrors.JWTExpired) {
        return 'The session token has expired. The panel gets a new one when you try again.';
    }
    if (error instanceof joseErrors.JWTClaimValidationFailed) {
        if (error.claim === 'aud') return 'The session token was minted for another audience.';
        if (error.claim === 'nbf' || error.claim === 'iat') {
            return 'The session token is not valid yet; check the clocks.';
        }
        return `The session token lacks or has an invalid "${error.claim}" claim.`;
    }
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
        return 'The session token signature does not match the org it names.';
    }
    if (error instanceof joseErrors.JOSEAlgNotAllowed) {
        return 'The session token uses an algorithm the relay does not accept.';
    }
    return 'The session token could not be verified. Reload the page to get a new one.';
}

import type { EgressPolicy } from '../../../force-app/main/default/lwc/egressPolicy/egressPolicy';
import { parseMasterKeys } from '../auth/orgKeys';
import type { UpstreamSettings } from './upstream';

/**
 * What every way the relay reaches the model shares: the coworker's `/v1/messages` and the
 * scheduler's AI summary read the deployment's limits, the zero-retention rule and the
 * pseudonymous user id the same way, so the two cannot drift apart.
 */

/** A positive whole number from a Worker var, or `fallback` when it is unset or not one. */
export function intVar(value: string | undefined, fallback: number): number {
    const n = Number(value);
    return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** The highest `max_tokens` this deployment accepts, whatever the policy says. */
export function maxOutputTokens(env: Env): number {
    return intVar(env.MAX_OUTPUT_TOKENS, 8192);
}

/** How long one model call may take, retries included. */
export function upstreamDeadlineMs(env: Env): number {
    return intVar(env.UPSTREAM_DEADLINE_MS, 120_000);
}

/** The Anthropic client settings of this deployment, for a call bounded by `deadlineMs`. */
export function upstreamSettings(env: Env, deadlineMs: number): UpstreamSettings {
    return {
        apiKey: env.ANTHROPIC_API_KEY,
        baseURL: env.ANTHROPIC_BASE_URL,
        maxRetries: intVar(env.UPSTREAM_MAX_RETRIES, 3),
        deadlineMs
    };
}

/**
 * The org asks for zero data retention and this relay's LLM account does not have it: nothing may
 * be sent. Zero retention is a property of the Anthropic account, not a per-request flag.
 */
export function zeroRetentionUnmet(policy: EgressPolicy, env: Env): boolean {
    return policy.zeroRetention && env.ANTHROPIC_ZERO_RETENTION !== 'true';
}

/**
 * A pseudonymous id for Anthropic's abuse monitoring (`metadata.user_id`): stable per org and
 * user, no identity in it. Keyed with a relay master secret, because Salesforce ids are guessable:
 * a plain hash of them could be reversed by trying ids. `keyId` names the secret (the session
 * token's key id on `/v1/messages`); without one (the scheduler has no session token) the secret
 * whose key id sorts first is used, so the id does not depend on the order of RELAY_MASTER_KEYS.
 */
export async function pseudonymousUserId(
    env: Env,
    orgId: string,
    userId: string,
    keyId?: string
): Promise<string> {
    const masters = parseMasterKeys(env.RELAY_MASTER_KEYS);
    const id = keyId ?? [...masters.keys()].sort()[0]!;
    const master = masters.get(id);
    if (!master) throw new Error('no master secret for the pseudonymous user id');
    const key = await crypto.subtle.importKey(
        'raw',
        new Uint8Array(master),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['sign']
    );
    const digest = await crypto.subtle.sign(
        'HMAC',
        key,
        new TextEncoder().encode(`resident-user|${orgId}|${userId}`)
    );
    return Array.from(new Uint8Array(digest).slice(0, 16), (b) =>
        b.toString(16).padStart(2, '0')
    ).join('');
}

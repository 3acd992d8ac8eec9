/**
 * The one way components talk to the relay. Everything else in the product reaches Salesforce
 * through the user's session; only the relay's three jobs (LLM, PDF, scheduling) come through here.
 */
import { RELAY_PATHS, isRelayErrorBody, isRelayHealth } from 'c/relayContract';
import type { RelayHealth } from 'c/relayContract';

/** How long a health check may take before the panel says the relay is unreachable. */
export const HEALTH_TIMEOUT_MS = 8000;

export type RelayStatus =
    | { state: 'connected'; health: RelayHealth }
    | {
          state: 'unreachable';
          reason: 'network' | 'timeout' | 'http_error' | 'bad_response';
          detail: string;
      }
    | { state: 'not_configured' };

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** A relay URL must be absolute https (http only for a loopback address used in local development). */
export function normaliseRelayUrl(relayUrl: string | null | undefined): string | null {
    if (!relayUrl || typeof relayUrl !== 'string') {
        return null;
    }
    let url: URL;
    try {
        url = new URL(relayUrl.trim());
    } catch {
        return null;
    }
    const isLoopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback)) {
        return null;
    }
    if (url.username || url.password || url.search || url.hash) {
        return null;
    }
    return url.origin + url.pathname.replace(/\/+$/, '');
}

/** Asks the relay whether it is up. Never throws: every failure becomes a status the panel can show. */
export async function checkRelayHealth(
    relayUrl: string | null | undefined,
    fetchImpl: FetchLike = (input, init) => fetch(input, init),
    timeoutMs: number = HEALTH_TIMEOUT_MS
): Promise<RelayStatus> {
    const base = normaliseRelayUrl(relayUrl);
    if (!base) {
        return { state: 'not_configured' };
    }
    const controller = new AbortController();
    let timedOut = false;
    // A hung connection must end in a message the user can act on, not an endless spinner.
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
    }, timeoutMs);
    try {
        const response = await fetchImpl(base + RELAY_PATHS.health, {
            method: 'GET',
            headers: { accept: 'application/json' },
            // The health check carries no credential, and the relay must not set cookies.
            credentials: 'omit',
            signal: controller.signal
        });
        const body: unknown = await response.json().catch(() => undefined);
        if (!response.ok) {
            const detail = isRelayErrorBody(body)
                ? `${response.status} ${body.error.message} (request ${body.error.requestId})`
                : `HTTP ${response.status}`;
            return { state: 'unreachable', reason: 'http_error', detail };
        }
        if (!isRelayHealth(body)) {
            return { state: 'unreachable', reason: 'bad_response', detail: 'not a Resident relay' };
        }
        return { state: 'connected', health: body };
    } catch (error) {
        if (timedOut) {
            return {
                state: 'unreachable',
                reason: 'timeout',
                detail: `no answer in ${timeoutMs} ms`
            };
        }
        return {
            state: 'unreachable',
            reason: 'network',
            detail: (error as Error)?.message ?? 'network error'
        };
    } finally {
        clearTimeout(timer);
    }
}

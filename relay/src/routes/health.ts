import { Hono } from 'hono';
import {
    RELAY_PATHS,
    type RelayHealth
} from '../../../force-app/main/default/lwc/relayContract/relayContract';
import type { RelayEnv } from '../relayEnv';

const ANTHROPIC_API_ORIGIN = 'https://api.anthropic.com';

export type HealthSettings = Pick<
    Env,
    'ANTHROPIC_API_KEY' | 'ANTHROPIC_BASE_URL' | 'LLM_UPSTREAM_LABEL' | 'RELAY_VERSION'
>;

/**
 * What the relay can do right now, without revealing any secret: whether a key is set and who
 * answers LLM requests, so users are told plainly when it is not Anthropic's own API.
 */
export function describeHealth(settings: Partial<HealthSettings>): RelayHealth {
    const baseUrl = settings.ANTHROPIC_BASE_URL ?? ANTHROPIC_API_ORIGIN;
    const upstreamHost = URL.canParse(baseUrl) ? new URL(baseUrl) : undefined;
    const isAnthropic = upstreamHost?.origin === ANTHROPIC_API_ORIGIN;
    const health: RelayHealth = {
        status: 'ok',
        service: 'resident-relay',
        version: settings.RELAY_VERSION || 'unknown',
        llm: {
            configured: (settings.ANTHROPIC_API_KEY ?? '').trim() !== '',
            upstream: isAnthropic ? 'anthropic' : 'custom'
        }
    };
    if (!isAnthropic) {
        // The host only: a base URL's path or query could carry a gateway token.
        health.llm.upstreamLabel =
            settings.LLM_UPSTREAM_LABEL?.trim() || upstreamHost?.host || 'an unrecognised upstream';
    }
    return health;
}

/** `GET /healthz`: the components ask it whether the relay is reachable and ready. */
export const healthRoutes = new Hono<RelayEnv>().get(RELAY_PATHS.health, (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(describeHealth(c.env));
});

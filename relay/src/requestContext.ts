import type { MiddlewareHandler } from 'hono';
import { REQUEST_ID_HEADER } from '../../force-app/main/default/lwc/relayContract/relayContract';
import type { RelayEnv } from './relayEnv';

/**
 * Gives every request an id (echoed in `x-request-id`, quoted in error bodies) and logs one line
 * per request: method, path, status, duration, id. Never headers, query strings or bodies: they
 * can carry tokens and customer data.
 */
export function requestContext(): MiddlewareHandler<RelayEnv> {
    return async (c, next) => {
        const requestId = crypto.randomUUID();
        const startedAt = Date.now();
        c.set('requestId', requestId);
        c.header(REQUEST_ID_HEADER, requestId);
        try {
            await next();
        } finally {
            // Also after next(): a route may have answered with a Response of its own.
            c.header(REQUEST_ID_HEADER, requestId);
            console.log(
                JSON.stringify({
                    requestId,
                    method: c.req.method,
                    path: c.req.path,
                    status: c.res.status,
                    durationMs: Date.now() - startedAt,
                    // The kind of an unexpected failure (e.g. "TypeError"), never its message.
                    ...(c.error && c.res.status >= 500 ? { error: c.error.name } : {})
                })
            );
        }
    };
}

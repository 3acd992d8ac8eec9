import { env } from 'cloudflare:workers';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import {
    REQUEST_ID_HEADER,
    isRelayErrorBody,
    type RelayErrorBody
} from '../../force-app/main/default/lwc/relayContract/relayContract';
import { RelayError } from '../src/errors';
import { createRelayApp } from '../src/relayApp';
import { RELAY_TEST_ORIGIN, fetchRelay } from './relayTestHelpers';

/** A relay app with extra routes that fail on purpose, the way a future route might. */
function relayWithFailingRoutes() {
    const app = createRelayApp();
    app.get('/test/throws', () => {
        throw new Error('database password is hunter2 at line 42');
    });
    app.get('/test/rejects-origin-rule', () => {
        throw new RelayError(403, 'forbidden', 'This record may not leave the org.');
    });
    app.get('/test/hono-exception', () => {
        throw new HTTPException(413, { message: 'Too big.' });
    });
    app.get('/test/rate-limited', () => {
        throw new RelayError(429, 'rate_limited', 'Too many requests; wait a moment.', {
            'retry-after': '7'
        });
    });
    app.get('/test/upstream-exception', () => {
        throw new HTTPException(502, { message: 'upstream said: secret internals' });
    });
    return (path: string) => app.request(`${RELAY_TEST_ORIGIN}${path}`, undefined, env);
}

async function readErrorBody(response: Response): Promise<RelayErrorBody> {
    const body: unknown = await response.json();
    expect(isRelayErrorBody(body)).toBe(true);
    return body as RelayErrorBody;
}

describe('relay errors', () => {
    it('answers an unknown path with 404 not_found in the error shape, id matching the header', async () => {
        const response = await fetchRelay('/no/such/route');
        expect(response.status).toBe(404);
        const body = await readErrorBody(response);
        expect(body.error.type).toBe('not_found');
        expect(body.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
        expect(response.headers.get(REQUEST_ID_HEADER)).toBe(body.error.requestId);
    });

    it('answers a thrown error with 500 internal_error, a generic message and no stack', async () => {
        const response = await relayWithFailingRoutes()('/test/throws');
        expect(response.status).toBe(500);
        const text = await response.text();
        const body = JSON.parse(text) as RelayErrorBody;
        expect(isRelayErrorBody(body)).toBe(true);
        expect(body.error.type).toBe('internal_error');
        expect(text).not.toContain('hunter2');
        expect(text).not.toMatch(/\bat\s.+:\d+/);
        expect(text).not.toContain('Error:');
        expect(Object.keys(body)).toEqual(['error']);
        expect(Object.keys(body.error).sort()).toEqual(['message', 'requestId', 'type']);
        expect(response.headers.get(REQUEST_ID_HEADER)).toBe(body.error.requestId);
    });

    it('answers a RelayError with its own status, type and message', async () => {
        const response = await relayWithFailingRoutes()('/test/rejects-origin-rule');
        expect(response.status).toBe(403);
        const body = await readErrorBody(response);
        expect(body.error).toMatchObject({
            type: 'forbidden',
            message: 'This record may not leave the org.'
        });
    });

    it('passes the headers a RelayError carries, e.g. retry-after', async () => {
        const response = await relayWithFailingRoutes()('/test/rate-limited');
        expect(response.status).toBe(429);
        expect(response.headers.get('retry-after')).toBe('7');
        expect((await readErrorBody(response)).error.type).toBe('rate_limited');
    });

    it('maps a plain HTTPException status to the contract error type', async () => {
        const response = await relayWithFailingRoutes()('/test/hono-exception');
        expect(response.status).toBe(413);
        expect((await readErrorBody(response)).error.type).toBe('payload_too_large');
    });

    it('hides the message of a 5xx HTTPException that is not a RelayError', async () => {
        const response = await relayWithFailingRoutes()('/test/upstream-exception');
        expect(response.status).toBe(502);
        const body = await readErrorBody(response);
        expect(body.error.type).toBe('upstream_error');
        expect(body.error.message).not.toContain('secret internals');
    });
});

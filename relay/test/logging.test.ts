import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { env } from 'cloudflare:workers';
import { createRelayApp } from '../src/relayApp';
import { RELAY_TEST_ORIGIN, fetchRelay } from './relayTestHelpers';

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;
const SECRET_TOKEN = 'sk-ant-api03-SECRET-TOKEN-0123456789';
const SECRET_BODY = 'Patient Jane Roe, SSN 123-45-6789';
const SECRET_QUERY = 'query-secret-5f2c';

describe('request logging', () => {
    let spies: MockInstance[] = [];

    beforeEach(() => {
        spies = CONSOLE_METHODS.map((method) =>
            vi.spyOn(console, method).mockImplementation(() => {})
        );
    });

    afterEach(() => {
        for (const spy of spies) {
            spy.mockRestore();
        }
    });

    function loggedLines(): string[] {
        return spies.flatMap((spy) => spy.mock.calls.map((args) => args.map(String).join(' ')));
    }

    it('logs one line per request with method, path, status, duration and request id', async () => {
        const response = await fetchRelay('/healthz');
        const lines = loggedLines();
        expect(lines).toHaveLength(1);
        expect(JSON.parse(lines[0] ?? '')).toEqual({
            requestId: response.headers.get('x-request-id'),
            method: 'GET',
            path: '/healthz',
            status: 200,
            durationMs: expect.any(Number)
        });
    });

    it('never logs header values, query strings or bodies', async () => {
        await fetchRelay(`/v1/messages?key=${SECRET_QUERY}`, {
            method: 'POST',
            headers: {
                authorization: `Bearer ${SECRET_TOKEN}`,
                'content-type': 'application/json',
                'x-api-key': SECRET_TOKEN,
                origin: 'https://acme.lightning.force.com'
            },
            body: JSON.stringify({ messages: [{ role: 'user', content: SECRET_BODY }] })
        });
        const lines = loggedLines();
        expect(lines).toHaveLength(1);
        for (const line of lines) {
            expect(line).not.toContain(SECRET_TOKEN);
            expect(line).not.toContain('Bearer');
            expect(line).not.toContain('123-45-6789');
            expect(line).not.toContain(SECRET_QUERY);
            expect(line).not.toContain('acme.lightning.force.com');
        }
    });

    it('logs a refused origin as one line without the origin itself', async () => {
        const response = await fetchRelay('/healthz', {
            headers: { origin: 'https://evil.example.com', authorization: `Bearer ${SECRET_TOKEN}` }
        });
        expect(response.status).toBe(403);
        const lines = loggedLines();
        expect(lines).toHaveLength(1);
        expect(JSON.parse(lines[0] ?? '')).toMatchObject({ status: 403 });
        expect(lines[0]).not.toContain('evil.example.com');
        expect(lines[0]).not.toContain(SECRET_TOKEN);
    });

    it('names the kind of an unexpected failure, never its message', async () => {
        const app = createRelayApp();
        app.get('/test/throws', () => {
            throw new TypeError(`token ${SECRET_TOKEN} was rejected`);
        });
        const response = await app.request(`${RELAY_TEST_ORIGIN}/test/throws`, undefined, env);
        expect(response.status).toBe(500);
        const lines = loggedLines();
        expect(lines).toHaveLength(1);
        expect(JSON.parse(lines[0] ?? '')).toMatchObject({ status: 500, error: 'TypeError' });
        expect(lines[0]).not.toContain(SECRET_TOKEN);
    });
});

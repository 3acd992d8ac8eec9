import { checkRelayHealth, normaliseRelayUrl } from 'c/relayClient';
import { jsonResponse } from '@resident/jest-utils';

const HEALTHY = {
    status: 'ok',
    service: 'resident-relay',
    version: '0.1.0',
    llm: { configured: true, upstream: 'anthropic' }
};

describe('c/relayClient', () => {
    describe('normaliseRelayUrl', () => {
        it('accepts an https relay and drops a trailing slash', () => {
            expect(normaliseRelayUrl('https://relay.example.com/')).toBe(
                'https://relay.example.com'
            );
            expect(normaliseRelayUrl(' https://relay.example.com/base// ')).toBe(
                'https://relay.example.com/base'
            );
        });

        it('accepts plain http only on a loopback address, for local development', () => {
            expect(normaliseRelayUrl('http://127.0.0.1:8787')).toBe('http://127.0.0.1:8787');
            expect(normaliseRelayUrl('http://relay.example.com')).toBeNull();
        });

        it('refuses empty values, other schemes, embedded credentials and query strings', () => {
            expect(normaliseRelayUrl('')).toBeNull();
            expect(normaliseRelayUrl(null)).toBeNull();
            expect(normaliseRelayUrl('not a url')).toBeNull();
            expect(normaliseRelayUrl('javascript:alert(1)')).toBeNull();
            expect(normaliseRelayUrl('https://user:pw@relay.example.com')).toBeNull();
            expect(normaliseRelayUrl('https://relay.example.com/?token=x')).toBeNull();
        });
    });

    describe('checkRelayHealth', () => {
        it('reports connected with the health the relay returned, without sending credentials', async () => {
            const fetchMock = jest.fn().mockResolvedValue(jsonResponse(200, HEALTHY));
            const status = await checkRelayHealth('https://relay.example.com', fetchMock);
            expect(status).toEqual({ state: 'connected', health: HEALTHY });
            expect(fetchMock).toHaveBeenCalledTimes(1);
            const [url, init] = fetchMock.mock.calls[0];
            expect(url).toBe('https://relay.example.com/healthz');
            expect(init.credentials).toBe('omit');
            expect(init.headers).not.toHaveProperty('authorization');
        });

        it('reports not configured and makes no request when there is no usable relay URL', async () => {
            const fetchMock = jest.fn();
            expect(await checkRelayHealth(undefined, fetchMock)).toEqual({
                state: 'not_configured'
            });
            expect(await checkRelayHealth('ftp://relay.example.com', fetchMock)).toEqual({
                state: 'not_configured'
            });
            expect(fetchMock).not.toHaveBeenCalled();
        });

        it('reports a network failure as unreachable with the reason', async () => {
            const fetchMock = jest.fn().mockRejectedValue(new TypeError('Failed to fetch'));
            const status = await checkRelayHealth('https://relay.example.com', fetchMock);
            expect(status).toEqual({
                state: 'unreachable',
                reason: 'network',
                detail: 'Failed to fetch'
            });
        });

        it('passes on the relay error message and request id of an error answer', async () => {
            const fetchMock = jest.fn().mockResolvedValue(
                jsonResponse(503, {
                    error: {
                        type: 'upstream_error',
                        message: 'Relay is restarting',
                        requestId: 'req-42'
                    }
                })
            );
            const status = await checkRelayHealth('https://relay.example.com', fetchMock);
            expect(status).toEqual({
                state: 'unreachable',
                reason: 'http_error',
                detail: '503 Relay is restarting (request req-42)'
            });
        });

        it('reports an HTTP error without a relay error body by its status', async () => {
            const fetchMock = jest
                .fn()
                .mockResolvedValue(jsonResponse(502, '<html>bad gateway</html>'));
            const status = await checkRelayHealth('https://relay.example.com', fetchMock);
            expect(status).toEqual({
                state: 'unreachable',
                reason: 'http_error',
                detail: 'HTTP 502'
            });
        });

        it('refuses an answer that is not a Resident relay health document', async () => {
            const fetchMock = jest.fn().mockResolvedValue(jsonResponse(200, { status: 'ok' }));
            const status = await checkRelayHealth('https://relay.example.com', fetchMock);
            expect(status).toMatchObject({ state: 'unreachable', reason: 'bad_response' });
        });

        it('gives up after the timeout and says so', async () => {
            const fetchMock = jest.fn(
                (_url: string, init?: RequestInit) =>
                    new Promise<Response>((_resolve, reject) => {
                        init?.signal?.addEventListener('abort', () => reject(new Error('aborted')));
                    })
            );
            const status = await checkRelayHealth('https://relay.example.com', fetchMock, 20);
            expect(status).toEqual({
                state: 'unreachable',
                reason: 'timeout',
                detail: 'no answer in 20 ms'
            });
        });

        it("gives up when the answer's body stalls after its headers", async () => {
            const stalledBody = {
                ok: true,
                status: 200,
                json: () => new Promise(() => undefined)
            } as unknown as Response;
            const fetchMock = jest.fn().mockResolvedValue(stalledBody);
            const status = await checkRelayHealth('https://relay.example.com', fetchMock, 20);
            expect(status).toEqual({
                state: 'unreachable',
                reason: 'timeout',
                detail: 'no answer in 20 ms'
            });
        });
    });
});

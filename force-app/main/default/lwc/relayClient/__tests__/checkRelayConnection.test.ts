import { checkRelayConnection, RelayRequestError } from 'c/relayClient';
import { jsonResponse } from '@resident/jest-utils';

const SESSION = { relayUrl: 'https://relay.example.com/', token: 'tok' };

describe('checkRelayConnection', () => {
    it('asks GET /v1/connection with the session token and no cookies, and answers what the relay verified', async () => {
        const answer = {
            orgId: '00D000000000001AAA',
            keyId: 'k2',
            tokenExpiresAt: '2026-11-23T16:00:00Z'
        };
        const fetchMock = jest.fn().mockResolvedValue(jsonResponse(200, answer));
        await expect(checkRelayConnection(SESSION, fetchMock)).resolves.toEqual(answer);
        const [url, init] = fetchMock.mock.calls[0];
        expect(url).toBe('https://relay.example.com/v1/connection');
        expect(init).toMatchObject({
            method: 'GET',
            credentials: 'omit',
            headers: { authorization: 'Bearer tok' }
        });
    });

    it("rejects with the relay's 401 message and request id when the key is refused", async () => {
        const fetchMock = jest.fn().mockResolvedValue(
            jsonResponse(401, {
                error: { type: 'unauthorized', message: 'Key id k1 is revoked.', requestId: 'r-1' }
            })
        );
        const error = await checkRelayConnection(SESSION, fetchMock).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RelayRequestError);
        expect(error).toMatchObject({
            kind: 'http',
            status: 401,
            relayType: 'unauthorized',
            message: 'Key id k1 is revoked.',
            requestId: 'r-1'
        });
    });

    it('says the relay cannot be reached on a network failure or a non-https address', async () => {
        const down = jest.fn().mockRejectedValue(new TypeError('Failed to fetch'));
        await expect(checkRelayConnection(SESSION, down)).rejects.toMatchObject({
            kind: 'network',
            message: 'Failed to fetch'
        });
        const never = jest.fn();
        await expect(
            checkRelayConnection({ relayUrl: 'http://relay.example.com', token: 't' }, never)
        ).rejects.toMatchObject({ kind: 'network' });
        expect(never).not.toHaveBeenCalled();
    });

    it('gives up when the relay sends its headers but its body stalls, and aborts the request', async () => {
        const stalledBody = {
            ok: true,
            status: 200,
            json: () => new Promise(() => undefined)
        } as unknown as Response;
        const fetchMock = jest.fn().mockResolvedValue(stalledBody);
        await expect(checkRelayConnection(SESSION, fetchMock, 20)).rejects.toMatchObject({
            kind: 'network',
            message: 'no answer in 20 ms'
        });
        // The request's signal is aborted, so a real body stream is cancelled, not left open.
        const [, init] = fetchMock.mock.calls[0] as [string, RequestInit];
        expect(init.signal?.aborted).toBe(true);
    });

    it('gives up when the relay never answers', async () => {
        const fetchMock = jest.fn(
            (_url: string, init?: RequestInit) =>
                new Promise<Response>((_resolve, reject) => {
                    init?.signal?.addEventListener('abort', () => reject(new Error('aborted')));
                })
        );
        await expect(checkRelayConnection(SESSION, fetchMock, 20)).rejects.toMatchObject({
            kind: 'network',
            message: 'no answer in 20 ms'
        });
    });

    it('refuses an answer that is not the connection shape', async () => {
        const fetchMock = jest.fn().mockResolvedValue(jsonResponse(200, { ok: true }));
        await expect(checkRelayConnection(SESSION, fetchMock)).rejects.toMatchObject({
            kind: 'bad_response'
        });
    });
});

import { RelayRequestError, SseParser, parseRetryAfter, streamMessages } from 'c/relayClient';
import type { RelayStreamEvent } from 'c/relayClient';
import { relayErrorResponse, sse, streamResponse, textReply } from '../../../../../test/fakeRelay';

const SESSION = { relayUrl: 'https://relay.example.com', token: 'header.payload.signature' };
const BODY = {
    model: 'claude-sonnet-5-5',
    max_tokens: 100,
    messages: [{ role: 'user', content: 'Hi' }]
};

async function collect(stream: AsyncIterable<RelayStreamEvent>): Promise<RelayStreamEvent[]> {
    const events: RelayStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    return events;
}

function textOf(events: RelayStreamEvent[]): string {
    return events
        .map((e) =>
            e.type === 'content_block_delta' && e.delta.type === 'text_delta' ? e.delta.text : ''
        )
        .join('');
}

async function failureOf(promise: Promise<unknown>): Promise<RelayRequestError> {
    try {
        await promise;
    } catch (error) {
        return error as RelayRequestError;
    }
    throw new Error('expected the stream to fail');
}

describe('c/relayClient streamMessages', () => {
    it('posts the request to /v1/messages with the bearer token, streaming on, and no cookies', async () => {
        const fetchMock = jest.fn().mockResolvedValue(streamResponse(textReply(['Hello'])));
        const events = await collect(streamMessages(SESSION, BODY, undefined, fetchMock));
        expect(textOf(events)).toBe('Hello');
        const [url, init] = fetchMock.mock.calls[0];
        expect(url).toBe('https://relay.example.com/v1/messages');
        expect(init.method).toBe('POST');
        expect(init.credentials).toBe('omit');
        expect(init.headers.authorization).toBe('Bearer header.payload.signature');
        expect(init.headers['content-type']).toBe('application/json');
        expect(JSON.parse(init.body)).toEqual({ ...BODY, stream: true });
        expect(events.at(-1)).toEqual({ type: 'message_stop' });
    });

    it('parses events cut anywhere across network chunks, one byte at a time included', async () => {
        const whole = textReply(['Grüße, ', 'Zoë ', '— 東京 🎉']).join('');
        const bytes = new TextEncoder().encode(whole);
        // Every byte its own chunk: multi-byte characters and event boundaries are all split.
        const chunks = Array.from(bytes, (b) => new Uint8Array([b]));
        const fetchMock = jest.fn().mockResolvedValue(streamResponse(chunks));
        const events = await collect(streamMessages(SESSION, BODY, undefined, fetchMock));
        expect(textOf(events)).toBe('Grüße, Zoë — 東京 🎉');
        expect(events.map((e) => e.type)).toEqual([
            'message_start',
            'content_block_start',
            'content_block_delta',
            'content_block_delta',
            'content_block_delta',
            'content_block_stop',
            'message_delta',
            'message_stop'
        ]);
    });

    it('yields an error event mid-stream after the text that came before it, then ends', async () => {
        const chunks = [
            ...textReply(['Partial ']).slice(0, 3),
            'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
            sse({ type: 'ping' })
        ];
        const fetchMock = jest.fn().mockResolvedValue(streamResponse(chunks));
        const events = await collect(streamMessages(SESSION, BODY, undefined, fetchMock));
        expect(textOf(events)).toBe('Partial ');
        expect(events.at(-1)).toEqual({
            type: 'error',
            error: { type: 'overloaded_error', message: 'Overloaded' }
        });
    });

    it('skips pings, comments and event types it does not know', async () => {
        const chunks = [
            ': keep-alive\n\n',
            sse({ type: 'ping' }),
            sse({ type: 'some_future_event' }),
            ...textReply(['ok'])
        ];
        const fetchMock = jest.fn().mockResolvedValue(streamResponse(chunks));
        const events = await collect(streamMessages(SESSION, BODY, undefined, fetchMock));
        expect(events.filter((e) => e.type === 'ping')).toHaveLength(1);
        expect(events.map((e) => e.type)).not.toContain('some_future_event');
        expect(textOf(events)).toBe('ok');
    });

    it('accepts a last event without its closing blank line', async () => {
        const chunks = textReply(['done']);
        chunks[chunks.length - 1] = 'event: message_stop\r\ndata: {"type":"message_stop"}';
        const fetchMock = jest.fn().mockResolvedValue(streamResponse(chunks));
        const events = await collect(streamMessages(SESSION, BODY, undefined, fetchMock));
        expect(events.at(-1)).toEqual({ type: 'message_stop' });
    });

    it('says the reply ended early when the stream stops before message_stop', async () => {
        const fetchMock = jest
            .fn()
            .mockResolvedValue(streamResponse(textReply(['cut']).slice(0, 3), { ending: 'end' }));
        const error = await failureOf(collect(streamMessages(SESSION, BODY, undefined, fetchMock)));
        expect(error).toBeInstanceOf(RelayRequestError);
        expect(error.kind).toBe('stream_ended');
    });

    it('says the stream broke when the connection drops mid-reply', async () => {
        const fetchMock = jest
            .fn()
            .mockResolvedValue(streamResponse(textReply(['cut']).slice(0, 3), { ending: 'break' }));
        const error = await failureOf(collect(streamMessages(SESSION, BODY, undefined, fetchMock)));
        expect(error.kind).toBe('stream_ended');
    });

    it('stops reading when aborted, reporting the abort rather than a failure', async () => {
        const controller = new AbortController();
        const fetchMock = jest.fn((_url: string, init?: RequestInit) =>
            Promise.resolve(
                streamResponse(textReply(['first ']).slice(0, 3), {
                    ending: 'hang',
                    signal: init?.signal
                })
            )
        );
        const seen: RelayStreamEvent[] = [];
        const run = (async () => {
            for await (const event of streamMessages(SESSION, BODY, controller.signal, fetchMock)) {
                seen.push(event);
                if (event.type === 'content_block_delta') controller.abort();
            }
        })();
        const error = await failureOf(run);
        expect(error.kind).toBe('aborted');
        expect(textOf(seen)).toBe('first ');
    });

    it.each([
        [401, 'unauthorized', 'The session token has expired.', {}, undefined],
        [403, 'budget_exhausted', 'This task has used its token budget.', {}, undefined],
        [413, 'payload_too_large', 'The request is too large.', {}, undefined],
        [429, 'rate_limited', 'Wait a minute and try again.', { 'retry-after': '60' }, 60],
        [503, 'upstream_error', 'The LLM service is overloaded.', { 'retry-after': '5' }, 5]
    ])(
        'turns an HTTP %i answer into an error with its type, message, request id and retry hint',
        async (status, type, message, headers, retryAfter) => {
            const fetchMock = jest
                .fn()
                .mockResolvedValue(relayErrorResponse(status, type, message, headers));
            const error = await failureOf(
                collect(streamMessages(SESSION, BODY, undefined, fetchMock))
            );
            expect(error).toMatchObject({
                kind: 'http',
                status,
                relayType: type,
                message,
                requestId: 'req-test-1',
                retryAfterSeconds: retryAfter
            });
        }
    );

    it('classifies an error answer that is not the relay shape (a proxy page) by its status', async () => {
        const fetchMock = jest.fn().mockResolvedValue({
            ok: false,
            status: 502,
            headers: { get: () => null },
            json: () => Promise.reject(new SyntaxError('Unexpected token <'))
        });
        const error = await failureOf(collect(streamMessages(SESSION, BODY, undefined, fetchMock)));
        expect(error).toMatchObject({ kind: 'http', status: 502, relayType: 'upstream_error' });
    });

    it('reports a network failure, and refuses a relay URL that is not https', async () => {
        const offline = jest.fn().mockRejectedValue(new TypeError('Failed to fetch'));
        expect(
            (await failureOf(collect(streamMessages(SESSION, BODY, undefined, offline)))).kind
        ).toBe('network');
        const never = jest.fn();
        const insecure = { relayUrl: 'http://relay.example.com', token: 't' };
        expect(
            (await failureOf(collect(streamMessages(insecure, BODY, undefined, never)))).kind
        ).toBe('network');
        expect(never).not.toHaveBeenCalled();
    });

    it('refuses a 200 answer that is not an event stream', async () => {
        const fetchMock = jest.fn().mockResolvedValue({
            ok: true,
            status: 200,
            headers: { get: (n: string) => (n === 'content-type' ? 'text/html' : null) },
            body: {}
        });
        const error = await failureOf(collect(streamMessages(SESSION, BODY, undefined, fetchMock)));
        expect(error.kind).toBe('bad_response');
    });
});

describe('c/relayClient SseParser and parseRetryAfter', () => {
    it('joins multi-line data and holds an unfinished event', () => {
        const parser = new SseParser();
        expect(parser.push('event: x\ndata: {"a":\n')).toEqual([]);
        expect(parser.push('data: 1}\n\n')).toEqual([{ event: 'x', data: '{"a":\n1}' }]);
    });

    it('reads retry-after as seconds or as an HTTP date', () => {
        expect(parseRetryAfter('30')).toBe(30);
        expect(
            parseRetryAfter('Wed, 21 Oct 2026 07:28:30 GMT', Date.UTC(2026, 9, 21, 7, 28, 0))
        ).toBe(30);
        expect(parseRetryAfter('soon')).toBeUndefined();
        expect(parseRetryAfter(null)).toBeUndefined();
    });
});

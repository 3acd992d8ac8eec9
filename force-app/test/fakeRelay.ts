// A fake relay for component tests: Anthropic-style SSE answers delivered chunk by chunk, the way
// a browser's fetch hands them over, and the relay's error answers. jsdom has no TextDecoder,
// TextEncoder or ReadableStream, so the Node ones are installed and the body is a minimal reader.
import { TextDecoder as NodeTextDecoder, TextEncoder as NodeTextEncoder } from 'node:util';

const globals = globalThis as unknown as Record<string, unknown>;
if (typeof globals.TextDecoder === 'undefined') globals.TextDecoder = NodeTextDecoder;
if (typeof globals.TextEncoder === 'undefined') globals.TextEncoder = NodeTextEncoder;

const encoder = new NodeTextEncoder();

/** One SSE event as Anthropic writes it. */
export function sse(event: Record<string, unknown> & { type: string }): string {
    return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** What the body does after its chunks: end, break with a network error, or hang until aborted. */
export type StreamEnding = 'end' | 'break' | 'hang';

export interface FakeStreamOptions {
    status?: number;
    headers?: Record<string, string>;
    ending?: StreamEnding;
    signal?: AbortSignal | null;
}

function headersOf(values: Record<string, string>): Headers {
    const lower = new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
    return { get: (name: string) => lower.get(name.toLowerCase()) ?? null } as unknown as Headers;
}

/** A streamed 200 answer whose body yields `chunks` one read at a time. */
export function streamResponse(
    chunks: (string | Uint8Array)[],
    options: FakeStreamOptions = {}
): Response {
    const queue = chunks.map((c) => (typeof c === 'string' ? encoder.encode(c) : c));
    let cancelled = false;
    const reader = {
        read(): Promise<{ done: boolean; value?: Uint8Array }> {
            if (cancelled) return Promise.resolve({ done: true });
            const next = queue.shift();
            if (next) return Promise.resolve({ done: false, value: next });
            if (options.ending === 'break') return Promise.reject(new TypeError('network error'));
            if (options.ending === 'hang') {
                return new Promise((_resolve, reject) => {
                    const abort = () => {
                        const error = new Error('The operation was aborted.');
                        error.name = 'AbortError';
                        reject(error);
                    };
                    if (options.signal?.aborted) abort();
                    options.signal?.addEventListener('abort', abort);
                });
            }
            return Promise.resolve({ done: true });
        },
        cancel(): Promise<void> {
            cancelled = true;
            return Promise.resolve();
        },
        releaseLock(): void {}
    };
    return {
        ok: true,
        status: options.status ?? 200,
        headers: headersOf({ 'content-type': 'text/event-stream', ...options.headers }),
        body: { getReader: () => reader },
        json: () => Promise.reject(new Error('not JSON'))
    } as unknown as Response;
}

/** The relay's error answer: its one error shape, with headers such as `retry-after`. */
export function relayErrorResponse(
    status: number,
    type: string,
    message: string,
    headers: Record<string, string> = {}
): Response {
    return {
        ok: false,
        status,
        headers: headersOf({ 'content-type': 'application/json', ...headers }),
        body: null,
        json: () => Promise.resolve({ error: { type, message, requestId: 'req-test-1' } })
    } as unknown as Response;
}

/** A whole streamed reply of plain text, split into the given deltas. */
export function textReply(
    deltas: string[],
    usage: { input: number; output: number } = { input: 100, output: 20 },
    stopReason = 'end_turn'
): string[] {
    return [
        sse({
            type: 'message_start',
            message: {
                id: 'msg_1',
                model: 'claude-sonnet-5-5',
                usage: { input_tokens: usage.input, output_tokens: 1 }
            }
        }),
        sse({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
        ...deltas.map((text) =>
            sse({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })
        ),
        sse({ type: 'content_block_stop', index: 0 }),
        sse({
            type: 'message_delta',
            delta: { stop_reason: stopReason, stop_sequence: null },
            usage: { output_tokens: usage.output }
        }),
        sse({ type: 'message_stop' })
    ];
}

/** A streamed reply that calls one tool (optionally after some text). */
export function toolUseReply(
    id: string,
    name: string,
    input: unknown,
    text = '',
    usage: { input: number; output: number } = { input: 150, output: 30 }
): string[] {
    const json = JSON.stringify(input);
    const half = Math.floor(json.length / 2);
    const blocks: string[] = [];
    let index = 0;
    if (text) {
        blocks.push(
            sse({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } }),
            sse({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } }),
            sse({ type: 'content_block_stop', index })
        );
        index += 1;
    }
    blocks.push(
        sse({
            type: 'content_block_start',
            index,
            content_block: { type: 'tool_use', id, name, input: {} }
        }),
        // The input arrives as JSON pieces that only parse once joined.
        sse({
            type: 'content_block_delta',
            index,
            delta: { type: 'input_json_delta', partial_json: json.slice(0, half) }
        }),
        sse({
            type: 'content_block_delta',
            index,
            delta: { type: 'input_json_delta', partial_json: json.slice(half) }
        }),
        sse({ type: 'content_block_stop', index })
    );
    return [
        sse({
            type: 'message_start',
            message: {
                id: 'msg_t',
                model: 'claude-sonnet-5-5',
                usage: { input_tokens: usage.input, output_tokens: 1 }
            }
        }),
        ...blocks,
        sse({
            type: 'message_delta',
            delta: { stop_reason: 'tool_use', stop_sequence: null },
            usage: { output_tokens: usage.output }
        }),
        sse({ type: 'message_stop' })
    ];
}

/** The relay's PDF answer: `bytes` as the body, with its content type and any extra headers. */
export function pdfResponse(
    bytes: string | Uint8Array = '%PDF-1.7\n%fake\n%%EOF\n',
    headers: Record<string, string> = {}
): Response {
    const body = typeof bytes === 'string' ? encoder.encode(bytes) : bytes;
    return {
        ok: true,
        status: 200,
        headers: headersOf({
            'content-type': 'application/pdf',
            'x-request-id': 'req-pdf-1',
            ...headers
        }),
        body: null,
        arrayBuffer: () =>
            Promise.resolve(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength)),
        json: () => Promise.reject(new Error('not JSON'))
    } as unknown as Response;
}

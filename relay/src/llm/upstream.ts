import Anthropic, {
    APIConnectionError,
    APIConnectionTimeoutError,
    APIError,
    APIUserAbortError
} from '@anthropic-ai/sdk';
import { RelayError } from '../errors';
import type { MessagesRequest } from './messagesRequest';

/**
 * The one way the relay reaches the LLM: the official SDK, a client per request (nothing kept), with
 * the SDK's retries (connection errors, 408, 409, 429, 5xx, 529; exponential backoff with jitter,
 * honouring retry-after) inside one total deadline, and the raw upstream response handed back so a
 * stream passes through event by event.
 */

export interface UpstreamSettings {
    apiKey: string;
    baseURL: string;
    maxRetries: number;
    deadlineMs: number;
}

/** Marks a response the relay itself rewrote: the upstream said its spend limit is reached. */
const SPEND_LIMIT_MARK = 'x-resident-spend-limit';
const SPEND_LIMIT_TEXT = /spend limit|usage limits?|credit (balance|limit)/i;

/**
 * A 429 for a reached spend limit is not a rate limit: retrying cannot help until an admin raises
 * the limit. The SDK obeys `x-should-retry`, so such an answer is marked not to be retried.
 */
async function spendLimitAwareFetch(
    input: RequestInfo | URL,
    init?: RequestInit
): Promise<Response> {
    const response = await fetch(input, init);
    if (response.status !== 429) return response;
    const text = await response.text();
    const headers = new Headers(response.headers);
    if (SPEND_LIMIT_TEXT.test(text)) {
        headers.set('x-should-retry', 'false');
        headers.set(SPEND_LIMIT_MARK, '1');
    }
    return new Response(text, { status: response.status, headers });
}

export async function openUpstream(
    request: MessagesRequest,
    settings: UpstreamSettings,
    signal: AbortSignal
): Promise<Response> {
    const client = new Anthropic({
        apiKey: settings.apiKey,
        baseURL: settings.baseURL,
        maxRetries: settings.maxRetries,
        timeout: settings.deadlineMs,
        fetch: spendLimitAwareFetch
    });
    try {
        // The request was validated against the Messages API shape at the edge; the SDK's own
        // types are stricter unions than one schema can state, hence the cast.
        return await client.messages
            .create(request as unknown as Anthropic.MessageCreateParamsNonStreaming, { signal })
            .asResponse();
    } catch (error) {
        throw upstreamFailure(error, signal);
    }
}

/** Turns what the SDK threw into the relay's error shape: never the upstream's body. */
export function upstreamFailure(error: unknown, signal: AbortSignal): Error {
    if (
        error instanceof APIUserAbortError ||
        (error instanceof Error && error.name === 'AbortError')
    ) {
        return signal.reason instanceof DeadlineExceeded
            ? deadlineError()
            : new RelayError(
                  400,
                  'invalid_request',
                  'The request was cancelled before the LLM answered.'
              );
    }
    if (error instanceof APIConnectionTimeoutError) return deadlineError();
    if (error instanceof APIConnectionError) {
        return new RelayError(
            502,
            'upstream_error',
            'The relay could not reach the LLM service. Try again shortly.'
        );
    }
    if (error instanceof APIError && typeof error.status === 'number') {
        const status = error.status;
        if (status === 429 && error.headers?.get(SPEND_LIMIT_MARK)) {
            return new RelayError(
                429,
                'upstream_spend_limit',
                "The LLM account's spend limit is reached. Your relay operator must raise it; retrying will not help until then.",
                { 'x-should-retry': 'false' }
            );
        }
        if (status === 429) {
            const retryAfter = error.headers?.get('retry-after') ?? '30';
            return new RelayError(
                429,
                'rate_limited',
                'The LLM service is rate limiting this relay. Try again in a moment.',
                { 'retry-after': retryAfter }
            );
        }
        if (status === 401 || status === 403) {
            return new RelayError(
                502,
                'upstream_error',
                "The LLM service refused the relay's credentials. Tell your relay operator."
            );
        }
        if (status === 404) {
            return new RelayError(
                400,
                'invalid_request',
                'The LLM service does not offer that model.'
            );
        }
        if (status === 413) {
            return new RelayError(
                413,
                'payload_too_large',
                'The LLM service found the request too large.'
            );
        }
        if (status >= 400 && status < 500) {
            return new RelayError(
                400,
                'invalid_request',
                'The LLM service refused the request as malformed. Quote the request id to support.'
            );
        }
        return new RelayError(
            503,
            'upstream_error',
            'The LLM service is overloaded or failing, even after retries. Try again shortly.',
            { 'retry-after': '10' }
        );
    }
    return error instanceof Error ? error : new Error('upstream failure');
}

/** The reason the relay's own deadline aborts with, to tell it from a client that went away. */
export class DeadlineExceeded extends Error {
    constructor() {
        super('deadline exceeded');
        this.name = 'DeadlineExceeded';
    }
}

function deadlineError(): RelayError {
    return new RelayError(
        504,
        'upstream_error',
        'The LLM service did not finish in time. Try a shorter request or try again.'
    );
}

const encoder = new TextEncoder();

/** Anthropic's stream error event, so clients (the panel, the SDK) show it as they show upstream's. */
export function sseErrorEvent(type: string, message: string): Uint8Array {
    const data = JSON.stringify({ type: 'error', error: { type, message } });
    return encoder.encode(`event: error\ndata: ${data}\n\n`);
}

const EMPTY: Uint8Array = new Uint8Array(0);
const LF = 0x0a;

/** The index just after the last blank line ("\n\n") in `bytes`, or -1 when there is none. */
function endOfLastEvent(bytes: Uint8Array): number {
    for (let i = bytes.length - 1; i > 0; i -= 1) {
        if (bytes[i] === LF && bytes[i - 1] === LF) return i + 1;
    }
    return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
    const joined = new Uint8Array(a.length + b.length);
    joined.set(a);
    joined.set(b, a.length);
    return joined;
}

/**
 * Passes an SSE body through event by event. Only whole events are forwarded, so when the upstream
 * breaks off mid-stream the client gets a well-formed `error` event instead of half an event; when
 * the client goes away, the upstream read is cancelled (and with it the upstream call). Works on
 * bytes, never decoding: a chunk that ends on an event boundary (the usual case) is passed on as
 * it came, which keeps the relay's CPU per streamed reply close to a plain pipe's.
 */
export function relayEventStream(
    upstream: ReadableStream<Uint8Array>,
    hooks: {
        /** The client went away: abort the upstream call. */
        onClientGone: () => void;
        /** The stream ended, whole or broken: stop the deadline timer. */
        onEnd: () => void;
        /** The error event to send when the upstream breaks off. */
        failureEvent: () => Uint8Array;
    }
): ReadableStream<Uint8Array> {
    const reader = upstream.getReader();
    let pending: Uint8Array = EMPTY;
    return new ReadableStream<Uint8Array>({
        async pull(controller) {
            for (;;) {
                let chunk: ReadableStreamReadResult<Uint8Array>;
                try {
                    chunk = await reader.read();
                } catch {
                    controller.enqueue(hooks.failureEvent());
                    controller.close();
                    hooks.onEnd();
                    return;
                }
                if (chunk.done) {
                    hooks.onEnd();
                    // A last event without its blank line is still whole: the stream ended cleanly.
                    if (pending.some((byte) => byte > 0x20)) controller.enqueue(pending);
                    controller.close();
                    return;
                }
                const bytes = pending.length > 0 ? concat(pending, chunk.value) : chunk.value;
                const end = endOfLastEvent(bytes);
                if (end === bytes.length) {
                    pending = EMPTY;
                    controller.enqueue(bytes);
                    return;
                }
                if (end > 0) {
                    controller.enqueue(bytes.slice(0, end));
                    pending = bytes.slice(end);
                    return;
                }
                pending = bytes;
            }
        },
        async cancel(reason) {
            hooks.onClientGone();
            hooks.onEnd();
            await reader.cancel(reason).catch(() => undefined);
        }
    });
}

/**
 * The one way components talk to the relay. Everything else in the product reaches Salesforce
 * through the user's session; only the relay's three jobs (LLM, PDF, scheduling) come through here.
 */
import {
    REQUEST_ID_HEADER,
    RELAY_PATHS,
    isRelayConnectionCheck,
    isRelayErrorBody,
    isRelayHealth
} from 'c/relayContract';
import type { RelayConnectionCheck, RelayErrorType, RelayHealth } from 'c/relayContract';
import { DOCUMENT_LIMITS, PDF_WARNINGS_HEADER, parsePdfWarnings } from 'c/documentModel';
import type {
    Block,
    DocumentDescription,
    DocumentLimits,
    PageMarginBlock,
    PdfRenderWarnings
} from 'c/documentModel';

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

/**
 * What Apex's `RelayConnectionController.getRelayConnection` answers: the relay's address (for
 * `checkRelayHealth`) and whether the org key is stored.
 */
export interface RelayConnection {
    relayUrl: string | null;
    keyConfigured: boolean;
}

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

/** The time limit ran out (the message says how long it was). */
class RelayTimeout extends Error {}

/**
 * Runs `work` under a time limit: at `timeoutMs` its signal aborts and the answer is a
 * `RelayTimeout`, whatever `work` is waiting for then, the answer's headers or its body. A hung
 * connection or a stalled body must end in a message the user can act on, not an endless spinner.
 */
async function withTimeout<T>(
    timeoutMs: number,
    work: (signal: AbortSignal) => Promise<T>
): Promise<T> {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        timer = setTimeout(() => {
            // Rejected before the abort, so the time limit, not the aborted fetch, is the answer.
            reject(new RelayTimeout(`no answer in ${timeoutMs} ms`));
            controller.abort();
        }, timeoutMs);
    });
    try {
        return await Promise.race([work(controller.signal), expired]);
    } finally {
        clearTimeout(timer);
    }
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
    try {
        return await withTimeout(timeoutMs, async (signal): Promise<RelayStatus> => {
            const response = await fetchImpl(base + RELAY_PATHS.health, {
                method: 'GET',
                headers: { accept: 'application/json' },
                // The health check carries no credential, and the relay must not set cookies.
                credentials: 'omit',
                signal
            });
            const body: unknown = await response.json().catch(() => undefined);
            if (!response.ok) {
                const detail = isRelayErrorBody(body)
                    ? `${response.status} ${body.error.message} (request ${body.error.requestId})`
                    : `HTTP ${response.status}`;
                return { state: 'unreachable', reason: 'http_error', detail };
            }
            if (!isRelayHealth(body)) {
                return {
                    state: 'unreachable',
                    reason: 'bad_response',
                    detail: 'not a Resident relay'
                };
            }
            return { state: 'connected', health: body };
        });
    } catch (error) {
        if (error instanceof RelayTimeout) {
            return { state: 'unreachable', reason: 'timeout', detail: error.message };
        }
        return {
            state: 'unreachable',
            reason: 'network',
            detail: (error as Error)?.message ?? 'network error'
        };
    }
}

// ---------------------------------------------------------------------------------------------
// The LLM route: POST /v1/messages, Anthropic's Messages request in, Anthropic's SSE out
// ---------------------------------------------------------------------------------------------

/** What Apex's `RelayConnectionController.getRelaySession` hands the browser for one task. */
export interface RelaySession {
    relayUrl: string;
    token: string;
}

/** Token counts Anthropic reports (input on `message_start`, output growing on `message_delta`). */
export interface StreamUsage {
    input_tokens?: number;
    output_tokens?: number;
}

export type StreamContentBlock =
    | { type: 'text'; text: string }
    | { type: 'tool_use'; id: string; name: string; input: unknown };

export type StreamDelta =
    | { type: 'text_delta'; text: string }
    | { type: 'input_json_delta'; partial_json: string };

/** The events of Anthropic's streamed Messages answer, as the relay passes them through. */
export type RelayStreamEvent =
    | { type: 'message_start'; message: { id?: string; model?: string; usage?: StreamUsage } }
    | { type: 'content_block_start'; index: number; content_block: StreamContentBlock }
    | { type: 'content_block_delta'; index: number; delta: StreamDelta }
    | { type: 'content_block_stop'; index: number }
    | {
          type: 'message_delta';
          delta: { stop_reason?: string | null; stop_sequence?: string | null };
          usage?: StreamUsage;
      }
    | { type: 'message_stop' }
    | { type: 'ping' }
    /** The relay or the LLM service broke off the reply; what arrived before stays valid. */
    | { type: 'error'; error: { type: string; message: string } };

/**
 * Why a request to the relay failed, with what a user-facing error needs: the relay's error type
 * (to choose what to tell the user), its message, the request id to quote to support, and how
 * long to wait before trying again.
 */
export type RelayFailureKind =
    /** No answer at all: offline, DNS, CORS refusal, relay down. */
    | 'network'
    /** The caller aborted (the user pressed Stop). */
    | 'aborted'
    /** An HTTP error answer from the relay. */
    | 'http'
    /** A 200 answer that is not an event stream. */
    | 'bad_response'
    /** The stream ended before `message_stop`, without an error event. */
    | 'stream_ended'
    /** Refused before sending: the request breaks one of the relay's published limits. */
    | 'limit';

/** Which of the relay's limits a request breaks, how far, so the UI can say it in a label. */
export interface LimitBreach {
    limit: keyof DocumentLimits;
    actual: number;
    max: number;
}

export class RelayRequestError extends Error {
    readonly kind: RelayFailureKind;
    readonly status?: number;
    readonly relayType?: RelayErrorType;
    readonly requestId?: string;
    readonly retryAfterSeconds?: number;
    readonly breach?: LimitBreach;

    constructor(
        kind: RelayFailureKind,
        message: string,
        details: {
            status?: number;
            relayType?: RelayErrorType;
            requestId?: string;
            retryAfterSeconds?: number;
            breach?: LimitBreach;
        } = {}
    ) {
        super(message);
        this.name = 'RelayRequestError';
        this.kind = kind;
        this.status = details.status;
        this.relayType = details.relayType;
        this.requestId = details.requestId;
        this.retryAfterSeconds = details.retryAfterSeconds;
        this.breach = details.breach;
    }
}

/** `retry-after` as seconds: either a number of seconds or an HTTP date. */
export function parseRetryAfter(
    value: string | null,
    now: number = Date.now()
): number | undefined {
    if (!value) return undefined;
    const trimmed = value.trim();
    if (/^\d+$/.test(trimmed)) return Number(trimmed);
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return undefined;
    return Math.max(0, Math.ceil((at - now) / 1000));
}

/** The relay's error type for an HTTP status, when its body is not the relay's error shape. */
function relayTypeForStatus(status: number): RelayErrorType {
    if (status === 401) return 'unauthorized';
    if (status === 403) return 'forbidden';
    if (status === 413) return 'payload_too_large';
    if (status === 429) return 'rate_limited';
    if (status === 400 || status === 422) return 'invalid_request';
    if (status === 502 || status === 503 || status === 504 || status === 529) {
        return 'upstream_error';
    }
    return 'internal_error';
}

async function httpFailure(response: Response): Promise<RelayRequestError> {
    const body: unknown = await response.json().catch(() => undefined);
    const headers = response.headers;
    const retryAfterSeconds = parseRetryAfter(headers?.get?.('retry-after') ?? null);
    if (isRelayErrorBody(body)) {
        return new RelayRequestError('http', body.error.message, {
            status: response.status,
            relayType: body.error.type,
            requestId: body.error.requestId || headers?.get?.(REQUEST_ID_HEADER) || undefined,
            retryAfterSeconds
        });
    }
    return new RelayRequestError('http', `HTTP ${response.status}`, {
        status: response.status,
        relayType: relayTypeForStatus(response.status),
        requestId: headers?.get?.(REQUEST_ID_HEADER) ?? undefined,
        retryAfterSeconds
    });
}

function isAbort(error: unknown, signal?: AbortSignal): boolean {
    return Boolean(signal?.aborted) || (error as Error)?.name === 'AbortError';
}

/**
 * One request to the relay with a session token, as every authenticated route is asked: the
 * address checked before anything is sent, the bearer token the only credential (`credentials:
 * 'omit'`: the relay must never see Salesforce cookies), no answer at all as a RelayRequestError
 * (`aborted` when `signal` stopped it, else `network`), and an HTTP error answer as the relay's
 * own error. Answers the response once it is ok; reading its body is the caller's.
 */
async function fetchRelay(
    session: RelaySession,
    path: string,
    init: { method: 'GET' | 'POST'; accept: string; jsonBody?: string },
    signal: AbortSignal | undefined,
    fetchImpl: FetchLike
): Promise<Response> {
    const base = normaliseRelayUrl(session.relayUrl);
    if (!base) {
        throw new RelayRequestError('network', 'The relay address is not a usable https URL.');
    }
    const headers: Record<string, string> = {
        accept: init.accept,
        authorization: `Bearer ${session.token}`
    };
    if (init.jsonBody !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
        response = await fetchImpl(base + path, {
            method: init.method,
            headers,
            body: init.jsonBody,
            credentials: 'omit',
            signal
        });
    } catch (error) {
        if (isAbort(error, signal)) throw new RelayRequestError('aborted', 'Stopped.');
        throw new RelayRequestError('network', (error as Error)?.message || 'network error');
    }
    if (!response.ok) {
        throw await httpFailure(response);
    }
    return response;
}

/** One SSE event as it arrived: its `event:` name and its joined `data:` lines. */
interface RawSseEvent {
    event: string;
    data: string;
}

/**
 * Splits a growing SSE text into events. Holds back an unfinished last event until its blank line
 * arrives, so an event cut across network chunks is parsed once, whole.
 */
export class SseParser {
    private buffer = '';

    push(text: string): RawSseEvent[] {
        this.buffer += text.replace(/\r\n?/g, '\n');
        const events: RawSseEvent[] = [];
        let end = this.buffer.indexOf('\n\n');
        while (end !== -1) {
            const block = this.buffer.slice(0, end);
            this.buffer = this.buffer.slice(end + 2);
            const event = parseSseBlock(block);
            if (event) events.push(event);
            end = this.buffer.indexOf('\n\n');
        }
        return events;
    }

    /** The last event when the stream ends without its blank line. */
    finish(): RawSseEvent[] {
        const rest = this.buffer;
        this.buffer = '';
        const event = rest.trim() ? parseSseBlock(rest) : null;
        return event ? [event] : [];
    }
}

function parseSseBlock(block: string): RawSseEvent | null {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
        if (!line || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        let value = colon === -1 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
    }
    return data.length ? { event, data: data.join('\n') } : null;
}

function toStreamEvent(raw: RawSseEvent): RelayStreamEvent | null {
    let parsed: unknown;
    try {
        parsed = JSON.parse(raw.data);
    } catch {
        return raw.event === 'error'
            ? { type: 'error', error: { type: 'api_error', message: raw.data } }
            : null;
    }
    if (typeof parsed !== 'object' || parsed === null) return null;
    const type = (parsed as { type?: unknown }).type;
    if (raw.event === 'error' || type === 'error') {
        const error = (parsed as { error?: { type?: unknown; message?: unknown } }).error ?? {};
        return {
            type: 'error',
            error: {
                type: typeof error.type === 'string' ? error.type : 'api_error',
                message: typeof error.message === 'string' ? error.message : ''
            }
        };
    }
    // Unknown event types are skipped: Anthropic adds new ones, and they must not break a reply.
    const known = [
        'message_start',
        'content_block_start',
        'content_block_delta',
        'content_block_stop',
        'message_delta',
        'message_stop',
        'ping'
    ];
    return typeof type === 'string' && known.includes(type) ? (parsed as RelayStreamEvent) : null;
}

/** `max_tokens` a reply may use; the relay lowers it further to what the budget has left. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

/**
 * Sends an (already masked) Messages request to the relay and yields the streamed events as they
 * arrive. HTTP and network failures throw a `RelayRequestError`; an `error` event mid-stream is
 * yielded (what came before it is valid) and ends the stream; a stream that stops before
 * `message_stop` without one throws `stream_ended`.
 */
export async function* streamMessages(
    session: RelaySession,
    body: Record<string, unknown>,
    signal?: AbortSignal,
    fetchImpl: FetchLike = (input, init) => fetch(input, init)
): AsyncGenerator<RelayStreamEvent, void, undefined> {
    const response = await fetchRelay(
        session,
        RELAY_PATHS.messages,
        {
            method: 'POST',
            accept: 'text/event-stream',
            jsonBody: JSON.stringify({ ...body, stream: true })
        },
        signal,
        fetchImpl
    );
    const requestId = response.headers?.get?.(REQUEST_ID_HEADER) ?? undefined;
    const contentType = response.headers?.get?.('content-type') ?? '';
    if (!response.body || !contentType.includes('text/event-stream')) {
        throw new RelayRequestError('bad_response', 'The relay did not answer with a stream.', {
            status: response.status,
            requestId
        });
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder('utf-8');
    const parser = new SseParser();
    let finished = false;
    try {
        for (;;) {
            let chunk: ReadableStreamReadResult<Uint8Array>;
            try {
                // Reads are sequential by nature: one chunk after the other.
                // eslint-disable-next-line no-await-in-loop
                chunk = await reader.read();
            } catch (error) {
                if (isAbort(error, signal)) throw new RelayRequestError('aborted', 'Stopped.');
                throw new RelayRequestError(
                    'stream_ended',
                    (error as Error)?.message || 'the stream broke off',
                    { requestId }
                );
            }
            const raw = chunk.done
                ? parser.push(decoder.decode()).concat(parser.finish())
                : parser.push(decoder.decode(chunk.value, { stream: true }));
            for (const item of raw) {
                const event = toStreamEvent(item);
                if (!event) continue;
                yield event;
                if (event.type === 'message_stop' || event.type === 'error') {
                    finished = true;
                    return;
                }
            }
            if (chunk.done) break;
        }
        if (signal?.aborted) throw new RelayRequestError('aborted', 'Stopped.');
        throw new RelayRequestError('stream_ended', 'The reply ended before it was complete.', {
            requestId
        });
    } finally {
        if (!finished || signal?.aborted) {
            // A consumer that stops early (Stop, an error) must not leave the connection open.
            reader.cancel().catch(() => undefined);
        }
        try {
            reader.releaseLock();
        } catch {
            // Already released by the cancel above.
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The PDF route: POST /v1/pdf, a DocumentDescription in, the PDF bytes out
// ---------------------------------------------------------------------------------------------

/** A rendered document and what the relay could not draw exactly (e.g. missing glyphs). */
export interface RenderedPdf {
    pdf: Blob;
    warnings: PdfRenderWarnings;
}

/** Bytes a base64 string decodes to (no padding characters counted). */
function base64Bytes(data: string): number {
    const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
    return Math.floor((data.length * 3) / 4) - padding;
}

function tableColumnCount(block: Block | PageMarginBlock): number {
    return block.type === 'table' ? block.columns.length : 0;
}

/**
 * The first of the relay's published limits the description breaks, or null. Pages are counted
 * only by the renderer, so that one limit is left to the relay's own 422.
 */
export function checkDocumentLimits(
    description: DocumentDescription,
    bodyBytes: number
): LimitBreach | null {
    const limits = DOCUMENT_LIMITS;
    if (bodyBytes > limits.maxDescriptionBytes) {
        return { limit: 'maxDescriptionBytes', actual: bodyBytes, max: limits.maxDescriptionBytes };
    }
    const header = description.header?.blocks ?? [];
    const footer = description.footer?.blocks ?? [];
    const marginBlocks = Math.max(header.length, footer.length);
    if (marginBlocks > limits.maxHeaderFooterBlocks) {
        return {
            limit: 'maxHeaderFooterBlocks',
            actual: marginBlocks,
            max: limits.maxHeaderFooterBlocks
        };
    }
    const blocks: (Block | PageMarginBlock)[] = [...description.body, ...header, ...footer];
    const images = blocks.filter((b) => b.type === 'image');
    if (images.length > limits.maxImages) {
        return { limit: 'maxImages', actual: images.length, max: limits.maxImages };
    }
    for (const image of images) {
        if (image.type !== 'image') continue;
        const bytes = base64Bytes(image.data);
        if (bytes > limits.maxImageBytes) {
            return { limit: 'maxImageBytes', actual: bytes, max: limits.maxImageBytes };
        }
        const pixels = image.intrinsicWidth * image.intrinsicHeight;
        if (pixels > limits.maxImagePixels) {
            return { limit: 'maxImagePixels', actual: pixels, max: limits.maxImagePixels };
        }
    }
    for (const block of blocks) {
        const columns = tableColumnCount(block);
        if (columns > limits.maxTableColumns) {
            return { limit: 'maxTableColumns', actual: columns, max: limits.maxTableColumns };
        }
    }
    return null;
}

/**
 * Sends a merged document description to the relay's PDF route and answers the PDF. A description
 * over one of the relay's limits is refused here, before anything is sent (`kind: 'limit'`); HTTP
 * and network failures throw a `RelayRequestError` like `streamMessages`.
 */
export async function renderPdf(
    session: RelaySession,
    description: DocumentDescription,
    signal?: AbortSignal,
    fetchImpl: FetchLike = (input, init) => fetch(input, init)
): Promise<RenderedPdf> {
    const body = JSON.stringify(description);
    const breach = checkDocumentLimits(description, new TextEncoder().encode(body).length);
    if (breach) {
        throw new RelayRequestError('limit', `The document exceeds ${breach.limit}.`, {
            relayType: 'payload_too_large',
            breach
        });
    }
    const response = await fetchRelay(
        session,
        RELAY_PATHS.pdf,
        { method: 'POST', accept: 'application/pdf', jsonBody: body },
        signal,
        fetchImpl
    );
    const requestId = response.headers?.get?.(REQUEST_ID_HEADER) ?? undefined;
    const contentType = response.headers?.get?.('content-type') ?? '';
    let bytes: ArrayBuffer;
    try {
        bytes = await response.arrayBuffer();
    } catch (error) {
        if (isAbort(error, signal)) throw new RelayRequestError('aborted', 'Stopped.');
        throw new RelayRequestError('network', (error as Error)?.message || 'network error', {
            requestId
        });
    }
    // A proxy's HTML error page with status 200 must not be shown or saved as the document.
    const magic = new Uint8Array(bytes.slice(0, 5));
    const isPdf = String.fromCharCode(...magic) === '%PDF-';
    if (!contentType.includes('application/pdf') || !isPdf) {
        throw new RelayRequestError('bad_response', 'The relay did not answer with a PDF.', {
            status: response.status,
            requestId
        });
    }
    return {
        pdf: new Blob([bytes], { type: 'application/pdf' }),
        warnings: parsePdfWarnings(response.headers?.get?.(PDF_WARNINGS_HEADER) ?? null)
    };
}

// ---------------------------------------------------------------------------------------------
// The trust center's connection check: GET /v1/connection with a session token
// ---------------------------------------------------------------------------------------------

/**
 * Asks the relay whether it accepts this org's key as it is now, with a session token Apex just
 * minted. Resolves with what the relay verified; rejects with a RelayRequestError (`http` 401 when
 * the key id is revoked or the key is wrong, `network` when the relay cannot be reached or has not
 * answered in full within `timeoutMs`, body included).
 */
export async function checkRelayConnection(
    session: RelaySession,
    fetchImpl: FetchLike = (input, init) => fetch(input, init),
    timeoutMs: number = HEALTH_TIMEOUT_MS
): Promise<RelayConnectionCheck> {
    try {
        return await withTimeout(timeoutMs, async (signal) => {
            const response = await fetchRelay(
                session,
                RELAY_PATHS.connection,
                { method: 'GET', accept: 'application/json' },
                signal,
                fetchImpl
            );
            const body: unknown = await response.json().catch(() => undefined);
            if (!isRelayConnectionCheck(body)) {
                throw new RelayRequestError(
                    'bad_response',
                    'not a Resident relay connection answer'
                );
            }
            return body;
        });
    } catch (error) {
        if (error instanceof RelayTimeout) throw new RelayRequestError('network', error.message);
        throw error;
    }
}

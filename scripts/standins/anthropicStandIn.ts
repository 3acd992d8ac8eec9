import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { cliOption, closeServer, listen, readBody, sendJson, sleep } from './httpUtil';

/*
 * Anthropic stand-in: a local TEST DOUBLE of Anthropic's Messages API (`POST /v1/messages`),
 * speaking the real JSON and SSE wire formats so the relay and the official SDK can run against it
 * offline. It replays scripted conversations and records every request it received.
 */

export type TextBlock = { type: 'text'; text: string };
export type ToolUseBlock = {
    type: 'tool_use';
    /** Generated (`toolu_...`) when omitted. */
    id?: string;
    name: string;
    input: Record<string, unknown>;
};
export type ReplyBlock = TextBlock | ToolUseBlock;
export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence';

export type ScriptedFailure =
    | { kind: 'rate_limit'; retryAfterSeconds?: number }
    | { kind: 'spend_limit' }
    | { kind: 'api_error' }
    | { kind: 'overloaded' }
    /** Streams normally, then sends `event: error` (overloaded_error) after this many deltas. */
    | { kind: 'mid_stream_error'; afterDeltas: number }
    /** Streams normally, then drops the connection without an event after this many deltas. */
    | { kind: 'connection_drop'; afterDeltas: number };

export type MessagesRequestBody = {
    model: string;
    max_tokens: number;
    messages: { role: 'user' | 'assistant'; content: unknown }[];
    stream?: boolean;
    system?: unknown;
    tools?: unknown[];
    [key: string]: unknown;
};

export type ScriptedReply = {
    content: ReplyBlock[];
    stopReason?: StopReason;
    inputTokens?: number;
};

export type ScriptTurn = {
    /** JSON-friendly match: the turn answers only when the last user message text contains this. */
    whenLastUserTextIncludes?: string;
    /** In-process only: the turn answers only when this returns true. */
    when?: (lastUserText: string, body: MessagesRequestBody) => boolean;
    reply?: ScriptedReply;
    /**
     * In-process only: the reply computed from the request (e.g. echoing what a tool result held),
     * for tests whose expected answer depends on what the caller sent. Used when `reply` is absent.
     */
    replyFrom?: (body: MessagesRequestBody) => ScriptedReply;
    fail?: ScriptedFailure;
    /** Delay between this turn's streamed deltas, overriding the stand-in's `chunkDelayMs`. */
    chunkDelayMs?: number;
};

export type RecordedRequest = {
    method: string;
    path: string;
    /** Request headers with `x-api-key` and `authorization` removed. */
    headers: Record<string, string>;
    authPresent: boolean;
    body: unknown;
    /** True when the caller closed the connection before the reply was complete. */
    closedEarly: boolean;
};

export type AnthropicStandInOptions = {
    port?: number;
    host?: '127.0.0.1';
    /** Delay between streamed deltas, so a person can watch text arrive. */
    chunkDelayMs?: number;
    /** Characters per text delta. */
    chunkSize?: number;
    script?: ScriptTurn[];
    /** Let the process exit while the stand-in still listens (for test runners that own it). */
    unref?: boolean;
};

export type AnthropicStandIn = {
    url: string;
    close(): Promise<void>;
    loadScript(turns: ScriptTurn[]): void;
    requests(): RecordedRequest[];
    reset(): void;
};

type ApiErrorType =
    | 'invalid_request_error'
    | 'authentication_error'
    | 'not_found_error'
    | 'rate_limit_error'
    | 'api_error'
    | 'overloaded_error';

function newId(prefix: string): string {
    return prefix + randomBytes(12).toString('base64url');
}

function estimateTokens(text: string): number {
    return Math.max(1, Math.ceil(text.length / 4));
}

function sendApiError(
    res: ServerResponse,
    status: number,
    type: ApiErrorType,
    message: string,
    headers: Record<string, string> = {}
): void {
    const requestId = newId('req_');
    sendJson(
        res,
        status,
        { type: 'error', error: { type, message }, request_id: requestId },
        { 'request-id': requestId, ...headers }
    );
}

/** The text of the last user message, whether its content is a string or a list of blocks. */
export function lastUserText(body: MessagesRequestBody): string {
    const lastUser = [...body.messages].reverse().find((m) => m.role === 'user');
    if (!lastUser) return '';
    if (typeof lastUser.content === 'string') return lastUser.content;
    if (!Array.isArray(lastUser.content)) return '';
    return lastUser.content
        .map((block: unknown) => {
            const b = block as { type?: string; text?: unknown };
            return b.type === 'text' && typeof b.text === 'string' ? b.text : '';
        })
        .join('');
}

function validateBody(raw: unknown): MessagesRequestBody | string {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        return 'request body must be a JSON object';
    }
    const body = raw as Record<string, unknown>;
    if (typeof body.model !== 'string' || body.model === '') return 'model: Field required';
    if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens)) {
        return 'max_tokens: Field required';
    }
    if (body.max_tokens < 1) return 'max_tokens: must be greater than or equal to 1';
    if (!Array.isArray(body.messages)) return 'messages: Field required';
    if (body.messages.length === 0) return 'messages: at least one message is required';
    for (const [i, m] of body.messages.entries()) {
        const msg = m as { role?: unknown; content?: unknown };
        if (msg.role !== 'user' && msg.role !== 'assistant') {
            return `messages.${i}.role: Input should be 'user' or 'assistant'`;
        }
        if (typeof msg.content !== 'string' && !Array.isArray(msg.content)) {
            return `messages.${i}.content: Field required`;
        }
    }
    return body as MessagesRequestBody;
}

function defaultReply(body: MessagesRequestBody): ScriptTurn['reply'] {
    const said = lastUserText(body).slice(0, 80);
    return {
        content: [
            {
                type: 'text',
                text:
                    'Hello from the local Anthropic stand-in (a test double, not Claude). ' +
                    `I received ${body.messages.length} message(s)` +
                    (said ? `; your last message began: "${said}".` : '.') +
                    ' Set ANTHROPIC_API_KEY in relay/.dev.vars to talk to the real API.'
            }
        ]
    };
}

function finishedBlocks(content: ReplyBlock[]): Required<ReplyBlock>[] {
    return content.map((b) => (b.type === 'tool_use' ? { ...b, id: b.id ?? newId('toolu_') } : b));
}

function chooseStopReason(reply: NonNullable<ScriptTurn['reply']>): StopReason {
    if (reply.stopReason) return reply.stopReason;
    return reply.content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
}

function outputTokensOf(blocks: ReplyBlock[]): number {
    return blocks.reduce(
        (sum, b) => sum + estimateTokens(b.type === 'text' ? b.text : JSON.stringify(b.input)),
        0
    );
}

function splitIntoChunks(text: string, size: number): string[] {
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
    return chunks.length > 0 ? chunks : [''];
}

export async function startAnthropicStandIn(
    options: AnthropicStandInOptions = {}
): Promise<AnthropicStandIn> {
    const chunkDelayMs = options.chunkDelayMs ?? 0;
    const chunkSize = Math.max(1, options.chunkSize ?? 12);
    let script: ScriptTurn[] = options.script ? [...options.script] : [];
    let scriptLoaded = options.script !== undefined;
    let recorded: RecordedRequest[] = [];

    function takeTurn(body: MessagesRequestBody): ScriptTurn | undefined {
        const text = lastUserText(body);
        const index = script.findIndex((turn) => {
            if (turn.whenLastUserTextIncludes !== undefined) {
                if (!text.includes(turn.whenLastUserTextIncludes)) return false;
            }
            return turn.when ? turn.when(text, body) : true;
        });
        if (index < 0) return undefined;
        const [turn] = script.splice(index, 1);
        return turn;
    }

    async function streamReply(
        res: ServerResponse,
        body: MessagesRequestBody,
        reply: NonNullable<ScriptTurn['reply']>,
        failure: { afterDeltas: number; drop: boolean } | undefined,
        delayMs: number
    ): Promise<void> {
        const requestId = newId('req_');
        res.writeHead(200, {
            'content-type': 'text/event-stream; charset=utf-8',
            'cache-control': 'no-cache',
            connection: 'keep-alive',
            'request-id': requestId
        });
        const send = (event: string, data: unknown): void => {
            res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        };
        const blocks = finishedBlocks(reply.content);
        const inputTokens = reply.inputTokens ?? estimateTokens(JSON.stringify(body.messages));
        send('message_start', {
            type: 'message_start',
            message: {
                id: newId('msg_'),
                type: 'message',
                role: 'assistant',
                model: body.model,
                content: [],
                stop_reason: null,
                stop_sequence: null,
                usage: {
                    input_tokens: inputTokens,
                    output_tokens: 1,
                    cache_creation_input_tokens: 0,
                    cache_read_input_tokens: 0
                }
            }
        });
        let deltasSent = 0;
        for (const [index, block] of blocks.entries()) {
            send('content_block_start', {
                type: 'content_block_start',
                index,
                content_block:
                    block.type === 'text'
                        ? { type: 'text', text: '' }
                        : { type: 'tool_use', id: block.id, name: block.name, input: {} }
            });
            if (index === 0) send('ping', { type: 'ping' });
            const pieces =
                block.type === 'text'
                    ? splitIntoChunks(block.text, chunkSize)
                    : splitIntoChunks(JSON.stringify(block.input), chunkSize);
            for (const piece of pieces) {
                if (failure && deltasSent >= failure.afterDeltas) {
                    if (failure.drop) {
                        // Let what was written reach the caller first, as a real cut would.
                        await sleep(50);
                        res.destroy();
                        return;
                    }
                    send('error', {
                        type: 'error',
                        error: { type: 'overloaded_error', message: 'Overloaded' }
                    });
                    res.end();
                    return;
                }
                send('content_block_delta', {
                    type: 'content_block_delta',
                    index,
                    delta:
                        block.type === 'text'
                            ? { type: 'text_delta', text: piece }
                            : { type: 'input_json_delta', partial_json: piece }
                });
                deltasSent += 1;
                if (res.destroyed) return;
                if (delayMs > 0) await sleep(delayMs);
            }
            send('content_block_stop', { type: 'content_block_stop', index });
        }
        send('message_delta', {
            type: 'message_delta',
            delta: { stop_reason: chooseStopReason(reply), stop_sequence: null },
            usage: { output_tokens: outputTokensOf(blocks) }
        });
        send('message_stop', { type: 'message_stop' });
        res.end();
    }

    async function handleMessages(req: IncomingMessage, res: ServerResponse): Promise<void> {
        const rawText = await readBody(req);
        let parsed: unknown = undefined;
        let parseFailed = false;
        try {
            parsed = JSON.parse(rawText);
        } catch {
            parseFailed = true;
        }
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) {
            if (name === 'x-api-key' || name === 'authorization' || value === undefined) continue;
            headers[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        const apiKey = req.headers['x-api-key'];
        const bearer = /^Bearer\s+\S+/i.test(req.headers.authorization ?? '');
        const authPresent = (typeof apiKey === 'string' && apiKey !== '') || bearer;
        const record: RecordedRequest = {
            method: req.method ?? 'POST',
            path: req.url ?? '',
            headers,
            authPresent,
            body: parseFailed ? rawText : parsed,
            closedEarly: false
        };
        recorded.push(record);
        res.on('close', () => {
            if (!res.writableFinished) record.closedEarly = true;
        });

        if (!authPresent) {
            sendApiError(res, 401, 'authentication_error', 'x-api-key header is required');
            return;
        }
        const version = req.headers['anthropic-version'];
        if (typeof version !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(version)) {
            sendApiError(
                res,
                400,
                'invalid_request_error',
                version === undefined
                    ? 'anthropic-version: header is required'
                    : `anthropic-version: invalid version '${String(version)}'`
            );
            return;
        }
        if (parseFailed) {
            sendApiError(res, 400, 'invalid_request_error', 'There was an error parsing the body');
            return;
        }
        const body = validateBody(parsed);
        if (typeof body === 'string') {
            sendApiError(res, 400, 'invalid_request_error', body);
            return;
        }

        const turn = scriptLoaded ? takeTurn(body) : { reply: defaultReply(body) };
        if (!turn) {
            sendApiError(
                res,
                500,
                'api_error',
                'Anthropic stand-in: the loaded script has no turn left for this request'
            );
            return;
        }
        const fail = turn.fail;
        if (fail?.kind === 'rate_limit') {
            const seconds = fail.retryAfterSeconds ?? 1;
            sendApiError(
                res,
                429,
                'rate_limit_error',
                'Number of request tokens has exceeded your per-minute rate limit (stand-in).',
                { 'retry-after': String(seconds) }
            );
            return;
        }
        if (fail?.kind === 'spend_limit') {
            sendApiError(
                res,
                429,
                'rate_limit_error',
                'You have reached your specified API usage limits: the credit/spend limit for ' +
                    'this workspace is reached (stand-in).'
            );
            return;
        }
        if (fail?.kind === 'api_error') {
            sendApiError(res, 500, 'api_error', 'Internal server error');
            return;
        }
        if (fail?.kind === 'overloaded') {
            sendApiError(res, 529, 'overloaded_error', 'Overloaded');
            return;
        }
        const reply = turn.reply ??
            turn.replyFrom?.(body) ?? { content: [{ type: 'text', text: '' }] };
        const failure =
            fail?.kind === 'mid_stream_error' || fail?.kind === 'connection_drop'
                ? { afterDeltas: fail.afterDeltas, drop: fail.kind === 'connection_drop' }
                : undefined;
        if (body.stream === true) {
            await streamReply(res, body, reply, failure, turn.chunkDelayMs ?? chunkDelayMs);
            return;
        }
        if (failure) {
            // Without streaming there is no "middle": Anthropic answers the whole call with 529.
            sendApiError(res, 529, 'overloaded_error', 'Overloaded');
            return;
        }
        const blocks = finishedBlocks(reply.content);
        const requestId = newId('req_');
        sendJson(
            res,
            200,
            {
                id: newId('msg_'),
                type: 'message',
                role: 'assistant',
                model: body.model,
                content: blocks,
                stop_reason: chooseStopReason(reply),
                stop_sequence: null,
                usage: {
                    input_tokens:
                        reply.inputTokens ?? estimateTokens(JSON.stringify(body.messages)),
                    output_tokens: outputTokensOf(blocks),
                    cache_creation_input_tokens: 0,
                    cache_read_input_tokens: 0
                }
            },
            { 'request-id': requestId }
        );
    }

    const handle = {
        loadScript(turns: ScriptTurn[]): void {
            script = [...turns];
            scriptLoaded = true;
        },
        requests(): RecordedRequest[] {
            return structuredClone(recorded);
        },
        reset(): void {
            script = [];
            scriptLoaded = false;
            recorded = [];
        }
    };

    const server = createServer((req, res) => {
        const path = (req.url ?? '/').split('?')[0];
        const route = `${req.method} ${path}`;
        const work = async (): Promise<void> => {
            if (route === 'POST /v1/messages') return handleMessages(req, res);
            if (route === 'POST /__standin/script') {
                const parsed = JSON.parse(await readBody(req)) as unknown;
                const turns = Array.isArray(parsed)
                    ? parsed
                    : (parsed as { turns?: unknown }).turns;
                if (!Array.isArray(turns)) {
                    sendJson(res, 400, { error: 'expected a list of turns or { "turns": [...] }' });
                    return;
                }
                handle.loadScript(turns as ScriptTurn[]);
                sendJson(res, 200, { loaded: turns.length });
                return;
            }
            if (route === 'GET /__standin/requests') {
                sendJson(res, 200, { requests: recorded });
                return;
            }
            if (route === 'POST /__standin/reset') {
                handle.reset();
                sendJson(res, 200, { reset: true });
                return;
            }
            if (route === 'GET /__standin/health') {
                sendJson(res, 200, { standIn: 'anthropic', testDouble: true });
                return;
            }
            sendApiError(res, 404, 'not_found_error', `Not found: ${route} (Anthropic stand-in)`);
        };
        work().catch((err: unknown) => {
            if (res.headersSent) {
                res.end();
                return;
            }
            sendApiError(res, 400, 'invalid_request_error', String(err));
        });
    });

    const url = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
    if (options.unref) server.unref();
    return { url, close: () => closeServer(server), ...handle };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
    const port = Number(
        cliOption(process.argv, 'port') ?? process.env.ANTHROPIC_STANDIN_PORT ?? 8788
    );
    const chunkDelayMs = Number(cliOption(process.argv, 'chunk-delay-ms') ?? 30);
    const standIn = await startAnthropicStandIn({ port, host: '127.0.0.1', chunkDelayMs });
    console.log(`Anthropic stand-in (test double) listening on ${standIn.url}`);
    const stop = (): void => void standIn.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
}

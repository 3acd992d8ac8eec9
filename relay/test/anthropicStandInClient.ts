import { env } from 'cloudflare:workers';
import type { RecordedRequest, ScriptTurn } from '../../scripts/standins/anthropicStandIn';
import { createRelayApp } from '../src/relayApp';
import { RELAY_TEST_ORIGIN } from './relayTestHelpers';
import { testSessionToken } from './sessionTestTokens';

/**
 * The relay's LLM tests reach the Anthropic stand-in (a test double the vitest config starts in
 * Node) over loopback, exactly as the deployed relay reaches Anthropic. These helpers script it and
 * read back what it received.
 */

const standInUrl = (path: string) => `${env.ANTHROPIC_BASE_URL}${path}`;

/** Only JSON-friendly turns cross the process boundary (no `when` callbacks). */
export type JsonScriptTurn = Omit<ScriptTurn, 'when'>;

export async function scriptStandIn(turns: JsonScriptTurn[]): Promise<void> {
    await resetStandIn();
    const response = await fetch(standInUrl('/__standin/script'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ turns })
    });
    if (!response.ok) throw new Error(`stand-in refused the script: ${response.status}`);
}

export async function resetStandIn(): Promise<void> {
    await fetch(standInUrl('/__standin/reset'), { method: 'POST' });
}

export async function standInRequests(): Promise<RecordedRequest[]> {
    const response = await fetch(standInUrl('/__standin/requests'));
    return ((await response.json()) as { requests: RecordedRequest[] }).requests;
}

/** The API key the relay holds in these tests: a secret-looking value no test output may show. */
export const RELAY_TEST_API_KEY = 'sk-ant-api03-relay-test-key-9f8e7d6c5b4a';

/** Bindings of a relay with an LLM key, pointed at the stand-in, retrying quickly. */
export const upstreamBindings: Partial<Env> = {
    ANTHROPIC_API_KEY: RELAY_TEST_API_KEY,
    UPSTREAM_MAX_RETRIES: '2'
};

/** The fetch of a fresh relay app with an LLM key, for the official SDK's `fetch` option. */
export function relayFetch(bindings: Partial<Env> = {}): typeof fetch {
    const app = createRelayApp();
    return (input, init) =>
        Promise.resolve(
            app.fetch(new Request(input, init), { ...env, ...upstreamBindings, ...bindings })
        );
}

export interface MessagesCall {
    body: unknown;
    token?: string;
    bindings?: Partial<Env>;
    headers?: Record<string, string>;
    signal?: AbortSignal;
}

/** POST /v1/messages through a relay with an LLM key, as the panel sends it. */
export async function postMessages(call: MessagesCall): Promise<Response> {
    const token = call.token ?? (await testSessionToken());
    return relayFetch(call.bindings)(`${RELAY_TEST_ORIGIN}/v1/messages`, {
        method: 'POST',
        headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            ...call.headers
        },
        body: typeof call.body === 'string' ? call.body : JSON.stringify(call.body),
        signal: call.signal
    });
}

export const MODEL = 'claude-sonnet-5-5';

/** A minimal valid request with one user message. */
export function userMessage(text: string, extra: Record<string, unknown> = {}) {
    return { model: MODEL, max_tokens: 256, messages: [{ role: 'user', content: text }], ...extra };
}

export interface SseEvent {
    event: string;
    data: { type: string; [key: string]: unknown };
}

/** Parses a whole SSE body into its events, failing on anything that is not a complete event. */
export function parseSse(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    for (const raw of text.split('\n\n')) {
        if (!raw.trim()) continue;
        const lines = raw.split('\n');
        const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
        const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
        if (!event || data === undefined) throw new Error(`incomplete SSE event: ${raw}`);
        events.push({ event, data: JSON.parse(data) as SseEvent['data'] });
    }
    return events;
}

/** The text a streamed reply spelled out, from its text deltas. */
export function streamedText(events: SseEvent[]): string {
    return events
        .filter((e) => e.event === 'content_block_delta')
        .map((e) => (e.data.delta as { text?: string }).text ?? '')
        .join('');
}

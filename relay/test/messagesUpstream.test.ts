import Anthropic from '@anthropic-ai/sdk';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { DEFAULT_POLICY } from '../../force-app/main/default/lwc/egressPolicy/egressPolicy';
import {
    MODEL,
    RELAY_TEST_API_KEY,
    parseSse,
    postMessages,
    relayFetch,
    scriptStandIn,
    standInRequests,
    streamedText,
    userMessage
} from './anthropicStandInClient';
import { RELAY_TEST_ORIGIN } from './relayTestHelpers';
import { TEST_ORG_ID, TEST_USER_ID, testSessionToken } from './sessionTestTokens';

/**
 * POST /v1/messages against the Anthropic stand-in: what passes through, what is retried, what
 * reaches the client when the upstream fails, and what never leaves. The stand-in records every
 * request it received, so "never reaches Anthropic" is checked on the far side of the wire.
 */

const REPLY = 'Acme has three open opportunities worth $1.2M in total.';

async function lastSentBody(): Promise<Record<string, unknown>> {
    const recorded = await standInRequests();
    expect(recorded.length).toBeGreaterThan(0);
    return recorded.at(-1)!.body as Record<string, unknown>;
}

describe.sequential('POST /v1/messages through to the LLM', () => {
    it('answers a plain request with the upstream Message, unchanged in shape', async () => {
        await scriptStandIn([{ reply: { content: [{ type: 'text', text: REPLY }] } }]);
        const response = await postMessages({ body: userMessage('How is Acme doing?') });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/application\/json/);
        expect(response.headers.get('cache-control')).toBe('no-store');
        const message = (await response.json()) as Anthropic.Message;
        expect(message).toMatchObject({
            type: 'message',
            role: 'assistant',
            model: MODEL,
            content: [{ type: 'text', text: REPLY }],
            stop_reason: 'end_turn'
        });
        expect(message.usage.output_tokens).toBeGreaterThan(0);
        const [sent] = await standInRequests();
        expect(sent!.authPresent).toBe(true);
        expect(sent!.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    });

    it('streams the reply event by event, in the order Anthropic sends them', async () => {
        await scriptStandIn([{ reply: { content: [{ type: 'text', text: REPLY }] } }]);
        const response = await postMessages({
            body: userMessage('How is Acme doing?', { stream: true })
        });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);

        // Read chunk by chunk: every chunk the relay sends holds whole events only.
        const reader = response.body!.getReader();
        const decoder = new TextDecoder();
        let text = '';
        let chunks = 0;
        for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            const chunk = decoder.decode(value, { stream: true });
            expect(chunk.endsWith('\n\n')).toBe(true);
            text += chunk;
            chunks += 1;
        }
        const events = parseSse(text);
        expect(chunks).toBeGreaterThan(1);
        expect(events[0]!.event).toBe('message_start');
        expect(events.at(-1)!.event).toBe('message_stop');
        expect(events.map((e) => e.event)).toContain('message_delta');
        expect(streamedText(events)).toBe(REPLY);
    });

    it('passes tool_use blocks through, with their input streamed as JSON deltas', async () => {
        const input = { soql: 'SELECT Name FROM Opportunity WHERE IsClosed = false LIMIT 50' };
        await scriptStandIn([
            {
                reply: {
                    content: [
                        { type: 'text', text: 'Let me look.' },
                        { type: 'tool_use', id: 'toolu_01', name: 'query_records', input }
                    ]
                }
            }
        ]);
        const response = await postMessages({
            body: userMessage('List open opportunities', {
                stream: true,
                tools: [
                    {
                        name: 'query_records',
                        description: 'Runs a SOQL query as the user.',
                        input_schema: { type: 'object', properties: { soql: { type: 'string' } } }
                    }
                ]
            })
        });
        const events = parseSse(await response.text());
        const start = events.find(
            (e) =>
                e.event === 'content_block_start' &&
                (e.data.content_block as { type: string }).type === 'tool_use'
        );
        expect(start?.data.content_block).toMatchObject({ id: 'toolu_01', name: 'query_records' });
        const json = events
            .filter(
                (e) => (e.data.delta as { type?: string } | undefined)?.type === 'input_json_delta'
            )
            .map((e) => (e.data.delta as { partial_json: string }).partial_json)
            .join('');
        expect(JSON.parse(json)).toEqual(input);
        const delta = events.find((e) => e.event === 'message_delta');
        expect((delta?.data.delta as { stop_reason: string }).stop_reason).toBe('tool_use');
    });

    it('retries an upstream 529 and answers with the reply that followed', async () => {
        await scriptStandIn([
            { fail: { kind: 'overloaded' } },
            { reply: { content: [{ type: 'text', text: REPLY }] } }
        ]);
        const response = await postMessages({ body: userMessage('How is Acme doing?') });
        expect(response.status).toBe(200);
        expect(((await response.json()) as Anthropic.Message).content).toEqual([
            { type: 'text', text: REPLY }
        ]);
        const recorded = await standInRequests();
        expect(recorded.map((r) => r.headers['x-stainless-retry-count'])).toEqual(['0', '1']);
    });

    it('retries an upstream 429 after the retry-after it names', async () => {
        await scriptStandIn([
            { fail: { kind: 'rate_limit', retryAfterSeconds: 1 } },
            { reply: { content: [{ type: 'text', text: REPLY }] } }
        ]);
        const started = Date.now();
        const response = await postMessages({ body: userMessage('How is Acme doing?') });
        expect(response.status).toBe(200);
        expect(Date.now() - started).toBeGreaterThanOrEqual(900);
        expect(await standInRequests()).toHaveLength(2);
    });

    it('answers 429 with retry-after when the upstream keeps rate limiting', async () => {
        await scriptStandIn([
            { fail: { kind: 'rate_limit', retryAfterSeconds: 1 } },
            { fail: { kind: 'rate_limit', retryAfterSeconds: 1 } }
        ]);
        const response = await postMessages({
            body: userMessage('How is Acme doing?'),
            bindings: { UPSTREAM_MAX_RETRIES: '1' }
        });
        expect(response.status).toBe(429);
        expect(response.headers.get('retry-after')).toBe('1');
        const body = (await response.json()) as { error: { type: string; message: string } };
        expect(body.error.type).toBe('rate_limited');
        expect(JSON.stringify(body)).not.toContain('stand-in');
        expect(await standInRequests()).toHaveLength(2);
    });

    it('does not retry a spend-limit 429 and says who must act', async () => {
        await scriptStandIn([
            { fail: { kind: 'spend_limit' } },
            { reply: { content: [{ type: 'text', text: 'should never be asked for' }] } }
        ]);
        const response = await postMessages({ body: userMessage('How is Acme doing?') });
        expect(response.status).toBe(429);
        expect(response.headers.get('x-should-retry')).toBe('false');
        const body = (await response.json()) as { error: { type: string; message: string } };
        expect(body.error.type).toBe('upstream_spend_limit');
        expect(body.error.message).toMatch(/spend limit.*relay operator/);
        expect(await standInRequests()).toHaveLength(1);
    });

    it('answers 503 with retry-after when the upstream stays overloaded after retries', async () => {
        await scriptStandIn([{ fail: { kind: 'overloaded' } }, { fail: { kind: 'api_error' } }]);
        const response = await postMessages({
            body: userMessage('How is Acme doing?'),
            bindings: { UPSTREAM_MAX_RETRIES: '1' }
        });
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toBe('10');
        const body = (await response.json()) as { error: { type: string; message: string } };
        expect(body.error.type).toBe('upstream_error');
        expect(JSON.stringify(body)).not.toMatch(/Overloaded|Internal server error/);
    });

    it('passes a mid-stream upstream error to the client as an SSE error event', async () => {
        await scriptStandIn([
            {
                reply: { content: [{ type: 'text', text: REPLY }] },
                fail: { kind: 'mid_stream_error', afterDeltas: 2 }
            }
        ]);
        const response = await postMessages({
            body: userMessage('How is Acme doing?', { stream: true })
        });
        expect(response.status).toBe(200);
        const events = parseSse(await response.text());
        expect(streamedText(events).length).toBeGreaterThan(0);
        expect(events.at(-1)).toEqual({
            event: 'error',
            data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }
        });
    });

    it('ends a stream the upstream broke off with a well-formed error event', async () => {
        await scriptStandIn([
            {
                reply: { content: [{ type: 'text', text: REPLY }] },
                fail: { kind: 'connection_drop', afterDeltas: 2 }
            }
        ]);
        const response = await postMessages({
            body: userMessage('How is Acme doing?', { stream: true })
        });
        // parseSse fails on half an event: only whole events may reach the client.
        const events = parseSse(await response.text());
        expect(streamedText(events).length).toBeGreaterThan(0);
        expect(events.at(-1)!.event).toBe('error');
        expect(events.at(-1)!.data).toMatchObject({ error: { type: 'api_error' } });
    });

    it('ends a reply that outlasts the deadline with a timeout error event', async () => {
        await scriptStandIn([
            { reply: { content: [{ type: 'text', text: REPLY.repeat(20) }] }, chunkDelayMs: 40 }
        ]);
        const response = await postMessages({
            body: userMessage('How is Acme doing?', { stream: true }),
            bindings: { UPSTREAM_DEADLINE_MS: '400' }
        });
        const events = parseSse(await response.text());
        expect(events.at(-1)!.data).toMatchObject({
            type: 'error',
            error: { type: 'timeout_error' }
        });
        const [sent] = await standInRequests();
        expect(sent!.closedEarly).toBe(true);
    });

    it('aborts the upstream call when the client goes away mid-stream', async () => {
        await scriptStandIn([
            { reply: { content: [{ type: 'text', text: REPLY.repeat(40) }] }, chunkDelayMs: 25 }
        ]);
        const response = await postMessages({
            body: userMessage('How is Acme doing?', { stream: true })
        });
        const reader = response.body!.getReader();
        const first = await reader.read();
        expect(new TextDecoder().decode(first.value)).toContain('message_start');
        await reader.cancel();
        let sent = (await standInRequests())[0];
        for (let waited = 0; !sent?.closedEarly && waited < 3000; waited += 50) {
            await new Promise((resolve) => setTimeout(resolve, 50));
            sent = (await standInRequests())[0];
        }
        expect(sent!.closedEarly).toBe(true);
    });

    it('lowers max_tokens to what the budget has left, and says so', async () => {
        await scriptStandIn([{ reply: { content: [{ type: 'text', text: REPLY }] } }]);
        const token = await testSessionToken({
            budget: { userDayRemaining: 100_000, taskRemaining: 120 }
        });
        const response = await postMessages({
            body: { ...userMessage('How is Acme doing?'), max_tokens: 4096 },
            token
        });
        expect(response.status).toBe(200);
        expect(response.headers.get('x-resident-max-tokens')).toBe('120');
        expect((await lastSentBody()).max_tokens).toBe(120);
    });
});

describe.sequential('what leaves the relay for the LLM', () => {
    const email = 'jane.roe@acme-corp.com';
    const phone = '+1 (415) 555-0134';
    const card = '4111 1111 1111 1111';
    const ssn = '123-45-6789';

    it('masks personal data the browser missed: the stand-in never receives it', async () => {
        await scriptStandIn([{ reply: { content: [{ type: 'text', text: 'Noted.' }] } }]);
        const rows = [{ attributes: { type: 'Contact' }, Name: 'Jane Roe', Email: email }];
        const response = await postMessages({
            body: {
                model: MODEL,
                max_tokens: 256,
                system: `You help the user. Escalations go to ${email}.`,
                messages: [
                    {
                        role: 'user',
                        content: `Call her at ${phone}; card ${card}; SSN ${ssn}. Already masked: <EMAIL_1>.`
                    },
                    {
                        role: 'assistant',
                        content: [
                            { type: 'tool_use', id: 'toolu_1', name: 'query_records', input: {} }
                        ]
                    },
                    {
                        role: 'user',
                        content: [
                            {
                                type: 'tool_result',
                                tool_use_id: 'toolu_1',
                                content: [{ type: 'text', text: JSON.stringify(rows) }]
                            }
                        ]
                    }
                ]
            }
        });
        expect(response.status).toBe(200);
        expect(response.headers.get('x-resident-egress')).toBe(
            'masked=EMAIL:1,PHONE:1,CARD:1,SSN:1'
        );
        const recorded = await standInRequests();
        const wire = JSON.stringify(recorded);
        for (const value of [email, phone, card, ssn, '4111111111111111', '415) 555-0134']) {
            expect(wire).not.toContain(value);
        }
        // The browser's own <EMAIL_1> stays; the address the relay caught becomes <EMAIL_2>,
        // the same mask everywhere it appears.
        const sent = recorded[0]!.body as { system: string; messages: { content: unknown }[] };
        expect(sent.system).toBe('You help the user. Escalations go to <EMAIL_2>.');
        expect(sent.messages[0]!.content).toBe(
            'Call her at <PHONE_1>; card <CARD_1>; SSN <SSN_1>. Already masked: <EMAIL_1>.'
        );
        expect(JSON.stringify(sent.messages[2])).toContain('<EMAIL_2>');
    });

    it('strips credentials before they can reach the model', async () => {
        await scriptStandIn([{ reply: { content: [{ type: 'text', text: 'Noted.' }] } }]);
        const sessionId =
            '00D5g000000TestAAA!AQ0AQFakeSessionIdForTestsOnly.0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';
        const apiKey = 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH';
        const privateKey =
            '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----';
        const response = await postMessages({
            body: userMessage(
                `Debug this: sid=${sessionId}\nkey ${apiKey}\n${privateKey}\nAuthorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789`
            )
        });
        expect(response.status).toBe(200);
        expect(response.headers.get('x-resident-egress')).toMatch(/credentials=[1-9]/);
        const wire = JSON.stringify(await standInRequests());
        for (const secret of [
            sessionId,
            apiKey,
            'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
            'abcdefghijklmnopqrstuvwxyz0123456789'
        ]) {
            expect(wire).not.toContain(secret);
        }
        expect(wire).toContain('[REDACTED_CREDENTIAL]');
    });

    it('sends the relay key, never the session token, and a pseudonymous user id', async () => {
        await scriptStandIn([{ reply: { content: [{ type: 'text', text: 'Hi.' }] } }]);
        const token = await testSessionToken();
        await postMessages({ body: userMessage('Hello'), token });
        const [sent] = await standInRequests();
        expect(sent!.authPresent).toBe(true);
        const wire = JSON.stringify(sent);
        expect(wire).not.toContain(token);
        expect(wire).not.toContain(TEST_USER_ID);
        expect(wire).not.toContain(TEST_ORG_ID);
        const userId = (sent!.body as { metadata: { user_id: string } }).metadata.user_id;
        expect(userId).toMatch(/^[0-9a-f]{32}$/);
        // Not a plain hash of the ids, which anyone could recompute by trying Salesforce ids.
        for (const guess of [`resident|${TEST_ORG_ID}|${TEST_USER_ID}`, TEST_USER_ID]) {
            const digest = new Uint8Array(
                await crypto.subtle.digest('SHA-256', new TextEncoder().encode(guess))
            );
            const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
            expect(hex).not.toContain(userId);
        }
    });

    it('gives one user the same pseudonymous id on every request, and another user another', async () => {
        const sentUserId = async (userId: string): Promise<string> => {
            await scriptStandIn([{ reply: { content: [{ type: 'text', text: 'Hi.' }] } }]);
            await postMessages({
                body: userMessage('Hello'),
                token: await testSessionToken({ userId })
            });
            const [sent] = await standInRequests();
            return (sent!.body as { metadata: { user_id: string } }).metadata.user_id;
        };
        const first = await sentUserId(TEST_USER_ID);
        expect(await sentUserId(TEST_USER_ID)).toBe(first);
        expect(await sentUserId('0055g000000BobAAAA')).not.toBe(first);
    });

    it('masks with the custom patterns of the org policy', async () => {
        await scriptStandIn([{ reply: { content: [{ type: 'text', text: 'Noted.' }] } }]);
        const policy = structuredClone(DEFAULT_POLICY);
        policy.masking.custom = [{ name: 'EMPLOYEE_ID', pattern: 'EMP-\\d{6}' }];
        const token = await testSessionToken({ policy });
        const response = await postMessages({
            body: userMessage('Who is EMP-004211?'),
            token
        });
        expect(response.status).toBe(200);
        expect((await lastSentBody()).messages).toEqual([
            { role: 'user', content: 'Who is <EMPLOYEE_ID_1>?' }
        ]);
    });
});

describe.sequential('keeps nothing in its logs on a full LLM request cycle', () => {
    let spies: MockInstance[] = [];
    beforeEach(() => {
        spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
            vi.spyOn(console, method).mockImplementation(() => {})
        );
    });
    afterEach(() => spies.forEach((spy) => spy.mockRestore()));

    it('logs no body, token, key or value of a streamed or failed request', async () => {
        const secretText = 'Patient Jane Roe, born 1970-01-01, diagnosis confidential-7731';
        const token = await testSessionToken();
        await scriptStandIn([
            { reply: { content: [{ type: 'text', text: `Reply about ${secretText}` }] } },
            { fail: { kind: 'spend_limit' } }
        ]);
        const streamed = await postMessages({
            body: userMessage(secretText, { stream: true }),
            token
        });
        await streamed.text();
        const failed = await postMessages({ body: userMessage(secretText), token });
        expect(failed.status).toBe(429);
        await failed.text();

        const lines = spies.flatMap((spy) =>
            spy.mock.calls.map((args) => args.map((a) => String(a)).join(' '))
        );
        expect(lines.length).toBeGreaterThanOrEqual(2);
        for (const line of lines) {
            for (const secret of [
                secretText,
                'confidential-7731',
                token,
                token.split('.')[1]!,
                RELAY_TEST_API_KEY,
                'spend limit',
                'Bearer'
            ]) {
                expect(line).not.toContain(secret);
            }
        }
    });
});

describe.sequential('the official Anthropic SDK as a client of the relay', () => {
    async function sdk(): Promise<Anthropic> {
        return new Anthropic({
            apiKey: null,
            authToken: await testSessionToken(),
            baseURL: RELAY_TEST_ORIGIN,
            fetch: relayFetch(),
            maxRetries: 0
        });
    }

    it('creates a message', async () => {
        await scriptStandIn([{ reply: { content: [{ type: 'text', text: REPLY }] } }]);
        const message = await (
            await sdk()
        ).messages.create({
            model: MODEL,
            max_tokens: 256,
            messages: [{ role: 'user', content: 'How is Acme doing?' }]
        });
        expect(message.content).toEqual([{ type: 'text', text: REPLY }]);
    });

    it('streams raw events with stream: true', async () => {
        await scriptStandIn([{ reply: { content: [{ type: 'text', text: REPLY }] } }]);
        const stream = await (
            await sdk()
        ).messages.create({
            model: MODEL,
            max_tokens: 256,
            stream: true,
            messages: [{ role: 'user', content: 'How is Acme doing?' }]
        });
        let text = '';
        const types: string[] = [];
        for await (const event of stream) {
            types.push(event.type);
            if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
                text += event.delta.text;
            }
        }
        expect(text).toBe(REPLY);
        expect(types[0]).toBe('message_start');
        expect(types.at(-1)).toBe('message_stop');
    });

    it('assembles a tool call with messages.stream().finalMessage()', async () => {
        const input = { object: 'Account', id: '0015g00000AcmeAAA' };
        await scriptStandIn([
            {
                reply: {
                    content: [{ type: 'tool_use', id: 'toolu_9', name: 'get_record', input }]
                }
            }
        ]);
        const final = await (
            await sdk()
        ).messages
            .stream({
                model: MODEL,
                max_tokens: 256,
                messages: [{ role: 'user', content: 'Open the account' }],
                tools: [
                    {
                        name: 'get_record',
                        input_schema: { type: 'object', properties: {} }
                    }
                ]
            })
            .finalMessage();
        expect(final.stop_reason).toBe('tool_use');
        expect(final.content).toEqual([
            { type: 'tool_use', id: 'toolu_9', name: 'get_record', input }
        ]);
    });

    it("surfaces the relay's refusals as the SDK's typed errors", async () => {
        const client = await sdk();
        const refusal = await client.messages
            .create({
                model: 'claude-opus-4-1',
                max_tokens: 256,
                messages: [{ role: 'user', content: 'Hello' }]
            })
            .catch((error: unknown) => error);
        expect(refusal).toBeInstanceOf(Anthropic.PermissionDeniedError);
        expect((refusal as InstanceType<typeof Anthropic.APIError>).message).toMatch(
            /does not allow the model/
        );
    });

    it('surfaces a mid-stream upstream error through the SDK stream', async () => {
        await scriptStandIn([
            {
                reply: { content: [{ type: 'text', text: REPLY }] },
                fail: { kind: 'mid_stream_error', afterDeltas: 1 }
            }
        ]);
        const stream = (await sdk()).messages.stream({
            model: MODEL,
            max_tokens: 256,
            messages: [{ role: 'user', content: 'How is Acme doing?' }]
        });
        await expect(stream.finalMessage()).rejects.toThrow(/Overloaded/);
    });
});

// Keep the binding the tests point at visible in a failure message.
it('talks to the Anthropic stand-in on loopback, never the real API', () => {
    expect(env.ANTHROPIC_BASE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
});

import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAnthropicStandIn, type AnthropicStandIn } from './anthropicStandIn';

describe('Anthropic stand-in (test double) through the official SDK', () => {
    let standIn: AnthropicStandIn;
    let client: Anthropic;

    beforeAll(async () => {
        standIn = await startAnthropicStandIn({ port: 0, host: '127.0.0.1', chunkSize: 5 });
        client = new Anthropic({ apiKey: 'test-key', baseURL: standIn.url, maxRetries: 0 });
    });
    afterAll(async () => standIn.close());
    beforeEach(() => standIn.reset());

    it('answers a plain request with a friendly default that says it is a stand-in', async () => {
        const message = await client.messages.create({
            model: 'claude-standin-test',
            max_tokens: 100,
            messages: [{ role: 'user', content: 'Hi there' }]
        });
        expect(message.id).toMatch(/^msg_/);
        expect(message.type).toBe('message');
        expect(message.stop_reason).toBe('end_turn');
        const first = message.content[0];
        expect(first?.type === 'text' && first.text).toContain('Anthropic stand-in');
        expect(first?.type === 'text' && first.text).toContain('1 message');
        expect(message.usage.input_tokens).toBeGreaterThan(0);
        expect(message.usage.cache_read_input_tokens).toBe(0);
    });

    it('streams text in several deltas that add up to the scripted reply', async () => {
        const text = 'The quarterly numbers look healthy overall.';
        standIn.loadScript([{ reply: { content: [{ type: 'text', text }] } }]);
        const stream = client.messages.stream({
            model: 'claude-standin-test',
            max_tokens: 100,
            messages: [{ role: 'user', content: 'Summarise' }]
        });
        const deltas: string[] = [];
        const eventTypes: string[] = [];
        stream.on('streamEvent', (event) => eventTypes.push(event.type));
        stream.on('text', (delta) => deltas.push(delta));
        const final = await stream.finalMessage();
        expect(deltas.length).toBeGreaterThan(3);
        expect(deltas.join('')).toBe(text);
        expect(final.content).toHaveLength(1);
        expect(final.content[0]).toMatchObject({ type: 'text', text });
        expect(final.stop_reason).toBe('end_turn');
        expect(eventTypes[0]).toBe('message_start');
        expect(eventTypes.at(-1)).toBe('message_stop');
    });

    it('computes a reply from the request when a turn has replyFrom (streamed and plain)', async () => {
        const echoLastToolResult = {
            replyFrom: (body: { messages: { content: unknown }[] }) => {
                const blocks = body.messages.at(-1)?.content as { content?: string }[];
                return {
                    content: [{ type: 'text' as const, text: `You said ${blocks[0]?.content}` }]
                };
            }
        };
        standIn.loadScript([echoLastToolResult, echoLastToolResult]);
        const messages: Anthropic.MessageParam[] = [
            { role: 'user', content: 'look it up' },
            {
                role: 'assistant',
                content: [{ type: 'tool_use', id: 'toolu_1', name: 't', input: {} }]
            },
            {
                role: 'user',
                content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'three rows' }]
            }
        ];
        const plain = await client.messages.create({ model: 'm', max_tokens: 10, messages });
        expect(plain.content[0]).toMatchObject({ type: 'text', text: 'You said three rows' });
        const streamed = await client.messages
            .stream({ model: 'm', max_tokens: 10, messages })
            .finalMessage();
        expect(streamed.content[0]).toMatchObject({ type: 'text', text: 'You said three rows' });
    });

    it('round-trips a tool_use block, streamed as input_json_delta and plain', async () => {
        const script = () =>
            standIn.loadScript([
                {
                    whenLastUserTextIncludes: 'weather',
                    reply: {
                        content: [
                            { type: 'text', text: 'Let me look that up.' },
                            {
                                type: 'tool_use',
                                name: 'get_weather',
                                input: { city: 'Paris', days: 3 }
                            }
                        ]
                    }
                },
                { reply: { content: [{ type: 'text', text: 'It is sunny in Paris.' }] } }
            ]);
        script();
        const tools = [
            {
                name: 'get_weather',
                description: 'Weather for a city',
                input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } }
            }
        ];
        const first = await client.messages
            .stream({
                model: 'claude-standin-test',
                max_tokens: 200,
                tools,
                messages: [{ role: 'user', content: 'What is the weather in Paris?' }]
            })
            .finalMessage();
        expect(first.stop_reason).toBe('tool_use');
        const toolUse = first.content.find((b) => b.type === 'tool_use');
        expect(toolUse?.type === 'tool_use' && toolUse.id).toMatch(/^toolu_/);
        expect(toolUse?.type === 'tool_use' && toolUse.input).toEqual({ city: 'Paris', days: 3 });
        if (toolUse?.type !== 'tool_use') throw new Error('expected tool_use');

        const second = await client.messages.create({
            model: 'claude-standin-test',
            max_tokens: 200,
            tools,
            messages: [
                { role: 'user', content: 'What is the weather in Paris?' },
                { role: 'assistant', content: first.content },
                {
                    role: 'user',
                    content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'sunny' }]
                }
            ]
        });
        expect(second.content[0]).toMatchObject({ type: 'text', text: 'It is sunny in Paris.' });
        const recorded = standIn.requests();
        expect(recorded).toHaveLength(2);
        const secondBody = recorded[1]?.body as { messages: { content: unknown }[] };
        expect(JSON.stringify(secondBody.messages[2]?.content)).toContain(toolUse.id);
    });

    it('answers 429 with retry-after, and the SDK retries into the next turn', async () => {
        standIn.loadScript([
            { fail: { kind: 'rate_limit', retryAfterSeconds: 1 } },
            { reply: { content: [{ type: 'text', text: 'after the wait' }] } }
        ]);
        const retrying = new Anthropic({ apiKey: 'k', baseURL: standIn.url, maxRetries: 1 });
        const started = Date.now();
        const message = await retrying.messages.create({
            model: 'm',
            max_tokens: 10,
            messages: [{ role: 'user', content: 'hello' }]
        });
        expect(message.content[0]).toMatchObject({ text: 'after the wait' });
        expect(Date.now() - started).toBeGreaterThanOrEqual(900);
        expect(standIn.requests()).toHaveLength(2);
    });

    it('surfaces 429 rate limit, spend limit, 500 and 529 as the SDK error classes', async () => {
        standIn.loadScript([
            { fail: { kind: 'rate_limit', retryAfterSeconds: 7 } },
            { fail: { kind: 'overloaded' } },
            { fail: { kind: 'api_error' } },
            { fail: { kind: 'spend_limit' } }
        ]);
        const request = {
            model: 'm',
            max_tokens: 10,
            messages: [{ role: 'user' as const, content: 'x' }]
        };
        const rate = await client.messages.create(request).catch((e: unknown) => e);
        expect(rate).toBeInstanceOf(Anthropic.RateLimitError);
        expect(
            (rate as InstanceType<typeof Anthropic.RateLimitError>).headers.get('retry-after')
        ).toBe('7');
        const overloaded = await client.messages.create(request).catch((e: unknown) => e);
        expect(overloaded).toBeInstanceOf(Anthropic.APIError);
        expect((overloaded as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
        expect((overloaded as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
            type: 'error',
            error: { type: 'overloaded_error' }
        });
        const internal = await client.messages.create(request).catch((e: unknown) => e);
        expect(internal).toBeInstanceOf(Anthropic.InternalServerError);
        const spend = await client.messages.create(request).catch((e: unknown) => e);
        expect(spend).toBeInstanceOf(Anthropic.RateLimitError);
        expect(String((spend as Error).message)).toMatch(/spend limit/);
    });

    it('sends an error event mid-stream after N deltas', async () => {
        standIn.loadScript([
            {
                fail: { kind: 'mid_stream_error', afterDeltas: 2 },
                reply: { content: [{ type: 'text', text: 'a long answer that will not finish' }] }
            }
        ]);
        const deltas: string[] = [];
        const stream = client.messages.stream({
            model: 'm',
            max_tokens: 10,
            messages: [{ role: 'user', content: 'x' }]
        });
        stream.on('text', (d) => deltas.push(d));
        const failure = await stream.finalMessage().catch((e: unknown) => e);
        expect(failure).toBeInstanceOf(Error);
        expect(String(failure)).toMatch(/overloaded/i);
        expect(deltas).toHaveLength(2);
    });

    it('rejects missing auth and missing anthropic-version with the real error JSON', async () => {
        const noAuth = await fetch(`${standIn.url}/v1/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
            body: JSON.stringify({ model: 'm', max_tokens: 1, messages: [] })
        });
        expect(noAuth.status).toBe(401);
        expect(await noAuth.json()).toMatchObject({
            type: 'error',
            error: { type: 'authentication_error' }
        });
        const noVersion = await fetch(`${standIn.url}/v1/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
            body: JSON.stringify({ model: 'm', max_tokens: 1, messages: [] })
        });
        expect(noVersion.status).toBe(400);
        expect(await noVersion.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
        const noModel = await client.messages
            .create({ max_tokens: 1, messages: [{ role: 'user', content: 'x' }] } as never)
            .catch((e: unknown) => e);
        expect(noModel).toBeInstanceOf(Anthropic.BadRequestError);
    });

    it('records exactly what it received, with auth reduced to a flag, over HTTP too', async () => {
        await client.messages.create({
            model: 'claude-x',
            max_tokens: 42,
            system: 'Be brief',
            messages: [{ role: 'user', content: 'count me' }]
        });
        const listed = (await (await fetch(`${standIn.url}/__standin/requests`)).json()) as {
            requests: { authPresent: boolean; headers: Record<string, string>; body: unknown }[];
        };
        expect(listed.requests).toHaveLength(1);
        const [only] = listed.requests;
        expect(only?.authPresent).toBe(true);
        expect(only?.headers['anthropic-version']).toBe('2023-06-01');
        expect(only?.headers.authorization).toBeUndefined();
        expect(only?.headers['x-api-key']).toBeUndefined();
        expect(only?.body).toEqual({
            model: 'claude-x',
            max_tokens: 42,
            system: 'Be brief',
            messages: [{ role: 'user', content: 'count me' }]
        });
        await fetch(`${standIn.url}/__standin/script`, {
            method: 'POST',
            body: JSON.stringify({
                turns: [{ reply: { content: [{ type: 'text', text: 'scripted' }] } }]
            })
        });
        const scripted = await client.messages.create({
            model: 'm',
            max_tokens: 5,
            messages: [{ role: 'user', content: 'x' }]
        });
        expect(scripted.content[0]).toMatchObject({ text: 'scripted' });
        await fetch(`${standIn.url}/__standin/reset`, { method: 'POST' });
        expect(standIn.requests()).toHaveLength(0);
    });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../force-app/main/default/lwc/egressPolicy/egressPolicy';
import { isRelayErrorBody } from '../../force-app/main/default/lwc/relayContract/relayContract';
import { MODEL, postMessages, standInRequests, userMessage } from './anthropicStandInClient';
import { fetchRelayWith } from './relayTestHelpers';
import { TEST_USER_ID, testSessionToken } from './sessionTestTokens';

/**
 * POST /v1/messages refusals that happen at the relay's edge, before anything leaves for the LLM:
 * each case also checks that the Anthropic stand-in received nothing.
 */

async function expectRefusal(
    response: Response,
    status: number,
    type: string,
    message: RegExp
): Promise<void> {
    expect(response.status).toBe(status);
    const body: unknown = await response.json();
    expect(isRelayErrorBody(body)).toBe(true);
    const { error } = body as { error: { type: string; message: string; requestId: string } };
    expect(error.type).toBe(type);
    expect(error.message).toMatch(message);
    expect(error.requestId).toBe(response.headers.get('x-request-id'));
    expect(JSON.stringify(body)).not.toMatch(/\bat .+:\d+:\d+|Error:/);
}

/**
 * Other test files share the stand-in, so "nothing sent" means no request the stand-in recorded
 * carries this test's marker text.
 */
async function expectNothingSent(marker: string): Promise<void> {
    const recorded = await standInRequests();
    expect(recorded.filter((r) => JSON.stringify(r.body).includes(marker))).toHaveLength(0);
}

let markers = 0;
/** A message text unique to one test. */
function marker(): string {
    markers += 1;
    return `edge-marker-${markers}-${crypto.randomUUID()}`;
}

function policyWith(changes: Partial<typeof DEFAULT_POLICY>) {
    return { ...structuredClone(DEFAULT_POLICY), ...changes };
}

describe.sequential('POST /v1/messages refuses at the edge', () => {
    it('refuses an oversize body with 413 before reading it all', async () => {
        const text = marker();
        const huge = userMessage(text + 'x'.repeat(1024 * 1024));
        const response = await postMessages({ body: huge });
        await expectRefusal(response, 413, 'payload_too_large', /larger than 1 MB/);
        await expectNothingSent(text);
    });

    it('honours a lower deployment body limit', async () => {
        const text = marker();
        const response = await postMessages({
            body: userMessage(text + 'y'.repeat(3000)),
            bindings: { MAX_REQUEST_BYTES: '2048' }
        });
        await expectRefusal(response, 413, 'payload_too_large', /larger than 2 KB/);
        await expectNothingSent(text);
    });

    it('refuses a body with conflicting Content-Length and Transfer-Encoding', async () => {
        const text = marker();
        const body = JSON.stringify(userMessage(text));
        const response = await fetchRelayWith({}, '/v1/messages', {
            method: 'POST',
            headers: {
                authorization: `Bearer ${await testSessionToken()}`,
                'content-type': 'application/json',
                'content-length': String(body.length),
                'transfer-encoding': 'chunked'
            },
            body
        });
        await expectRefusal(
            response,
            400,
            'invalid_request',
            /Content-Length and Transfer-Encoding/
        );
        await expectNothingSent(text);
    });

    it('refuses malformed JSON with 400', async () => {
        const text = marker();
        const response = await postMessages({
            body: `{"model": "claude-sonnet-5-5", "messages": ["${text}"`
        });
        await expectRefusal(response, 400, 'invalid_request', /not valid JSON/);
        await expectNothingSent(text);
    });

    it('refuses a wrong content type with 415', async () => {
        const text = marker();
        const response = await postMessages({
            body: JSON.stringify(userMessage(text)),
            headers: { 'content-type': 'text/plain' }
        });
        await expectRefusal(response, 415, 'invalid_request', /application\/json/);
        await expectNothingSent(text);
    });

    it('refuses a request without a session token with 401', async () => {
        const text = marker();
        const response = await fetchRelayWith({}, '/v1/messages', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(userMessage(text))
        });
        await expectRefusal(response, 401, 'unauthorized', /session/i);
    });

    it('refuses a pdf-only token on the LLM route with 403', async () => {
        const text = marker();
        const token = await testSessionToken({ scopes: ['pdf'] });
        const response = await postMessages({ body: userMessage(text), token });
        await expectRefusal(response, 403, 'forbidden', /llm/);
    });

    it('names the field that breaks the Messages API shape', async () => {
        const text = marker();
        const response = await postMessages({
            body: { model: MODEL, max_tokens: 256, messages: [{ role: 'system', content: text }] }
        });
        await expectRefusal(response, 400, 'invalid_request', /messages\.0\.role/);
        await expectNothingSent(text);
    });

    it('refuses fields the relay does not forward, such as server-side MCP servers', async () => {
        const text = marker();
        const response = await postMessages({
            body: userMessage(text, { mcp_servers: [{ url: 'https://evil.example.com' }] })
        });
        await expectRefusal(response, 400, 'invalid_request', /mcp_servers/);
        await expectNothingSent(text);
    });

    it('refuses a model the org policy does not allow', async () => {
        const text = marker();
        const response = await postMessages({
            body: { ...userMessage(text), model: 'claude-opus-4-1' }
        });
        await expectRefusal(
            response,
            403,
            'policy_violation',
            /claude-opus-4-1.*claude-sonnet-5-5/
        );
        await expectNothingSent(text);
    });

    it('refuses max_tokens above the deployment cap', async () => {
        const text = marker();
        const response = await postMessages({ body: { ...userMessage(text), max_tokens: 8193 } });
        await expectRefusal(response, 400, 'invalid_request', /at most 8192/);
        await expectNothingSent(text);
    });

    it('refuses when the task budget is spent, and says what to do', async () => {
        const text = marker();
        const token = await testSessionToken({
            budget: { userDayRemaining: 5000, taskRemaining: 0 }
        });
        const response = await postMessages({ body: userMessage(text), token });
        await expectRefusal(response, 403, 'budget_exhausted', /new task/);
        await expectNothingSent(text);
    });

    it("refuses when the user's daily budget is spent", async () => {
        const text = marker();
        const token = await testSessionToken({
            budget: { userDayRemaining: 0, taskRemaining: 5000 }
        });
        const response = await postMessages({ body: userMessage(text), token });
        await expectRefusal(response, 403, 'budget_exhausted', /today/);
        await expectNothingSent(text);
    });

    it('refuses everything when the policy turns AI off', async () => {
        const text = marker();
        const token = await testSessionToken({ policy: policyWith({ aiEnabled: false }) });
        const response = await postMessages({ body: userMessage(text), token });
        await expectRefusal(response, 403, 'policy_violation', /turns AI off/);
        await expectNothingSent(text);
    });

    it('refuses zero-retention policies on a deployment without a zero-retention account', async () => {
        const text = marker();
        const token = await testSessionToken({ policy: policyWith({ zeroRetention: true }) });
        const response = await postMessages({ body: userMessage(text), token });
        await expectRefusal(response, 403, 'policy_violation', /zero data retention/);
        await expectNothingSent(text);
    });

    it('refuses a tool result that carries a field the policy excludes', async () => {
        const text = marker();
        const token = await testSessionToken({
            policy: policyWith({ excludedFields: ['Contact.Birthdate'] })
        });
        const rows = [{ attributes: { type: 'Contact' }, Name: 'Ada', Birthdate: '1815-12-10' }];
        const response = await postMessages({
            token,
            body: {
                model: MODEL,
                max_tokens: 256,
                messages: [
                    { role: 'user', content: text },
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
                                content: JSON.stringify(rows)
                            }
                        ]
                    }
                ]
            }
        });
        await expectRefusal(response, 403, 'policy_violation', /Contact\.Birthdate/);
        await expectNothingSent(text);
    });

    it('answers 503 with what to do when the relay has no LLM key', async () => {
        const text = marker();
        const response = await postMessages({
            body: userMessage(text),
            bindings: { ANTHROPIC_API_KEY: '' }
        });
        await expectRefusal(response, 503, 'upstream_error', /relay operator/);
        await expectNothingSent(text);
    });

    it('answers 429 with retry-after once a user exceeds the per-user rate limit', async () => {
        // A user of their own, so no other test's requests count against this one's limit.
        const token = await testSessionToken({ userId: '0055g000000RateAAA' });
        expect(TEST_USER_ID).not.toBe('0055g000000RateAAA');
        const statuses: number[] = [];
        let refused: Response | undefined;
        // The binding allows 60 per minute per user; malformed bodies are counted, then refused.
        for (let i = 0; i < 61 && !refused; i += 1) {
            const response = await postMessages({ body: `{"${marker()}"`, token });
            statuses.push(response.status);
            if (response.status === 429) refused = response;
            else await response.arrayBuffer();
        }
        expect(statuses.slice(0, 60).every((s) => s === 400)).toBe(true);
        expect(refused).toBeDefined();
        expect(refused!.headers.get('retry-after')).toBe('60');
        await expectRefusal(refused!, 429, 'rate_limited', /one user/);
    });
});

import { describe, expect, it } from 'vitest';
import {
    REQUEST_ID_HEADER,
    isRelayHealth
} from '../../force-app/main/default/lwc/relayContract/relayContract';
import { fetchRelay, fetchRelayWith } from './relayTestHelpers';

// The test configuration points the relay at the Anthropic stand-in; these cases restore the
// deployed configuration's upstream.
const DEPLOYED_UPSTREAM = { ANTHROPIC_BASE_URL: 'https://api.anthropic.com' };

describe('GET /healthz', () => {
    it('answers the contract shape with llm.configured false when no API key is bound', async () => {
        const response = await fetchRelayWith(DEPLOYED_UPSTREAM, '/healthz');
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toContain('application/json');
        const body: unknown = await response.json();
        expect(isRelayHealth(body)).toBe(true);
        expect(body).toEqual({
            status: 'ok',
            service: 'resident-relay',
            version: expect.any(String),
            llm: { configured: false, upstream: 'anthropic' }
        });
    });

    it('reports llm.configured true, without revealing the key, when ANTHROPIC_API_KEY is bound', async () => {
        const key = 'sk-ant-test-key-that-must-never-appear';
        const response = await fetchRelayWith(
            { ...DEPLOYED_UPSTREAM, ANTHROPIC_API_KEY: key },
            '/healthz'
        );
        const text = await response.text();
        const body: unknown = JSON.parse(text);
        expect(isRelayHealth(body)).toBe(true);
        expect(body).toMatchObject({ llm: { configured: true, upstream: 'anthropic' } });
        expect(text).not.toContain(key);
    });

    it('treats a blank API key as not configured', async () => {
        const response = await fetchRelayWith({ ANTHROPIC_API_KEY: '   ' }, '/healthz');
        expect(await response.json()).toMatchObject({ llm: { configured: false } });
    });

    it('names a custom upstream by its host only when ANTHROPIC_BASE_URL is not Anthropic', async () => {
        const response = await fetchRelayWith(
            { ANTHROPIC_BASE_URL: 'http://127.0.0.1:8788/secret-path?token=abc' },
            '/healthz'
        );
        const body: unknown = await response.json();
        expect(isRelayHealth(body)).toBe(true);
        expect(body).toMatchObject({
            llm: { upstream: 'custom', upstreamLabel: '127.0.0.1:8788' }
        });
    });

    it('names a custom upstream by LLM_UPSTREAM_LABEL when the deployment sets one', async () => {
        const response = await fetchRelayWith(
            {
                ANTHROPIC_BASE_URL: 'https://gateway.example.com',
                LLM_UPSTREAM_LABEL: 'Acme AI gateway'
            },
            '/healthz'
        );
        expect(await response.json()).toMatchObject({
            llm: { upstream: 'custom', upstreamLabel: 'Acme AI gateway' }
        });
    });

    it('carries the relay version from RELAY_VERSION', async () => {
        const response = await fetchRelayWith({ RELAY_VERSION: '9.8.7' }, '/healthz');
        expect(await response.json()).toMatchObject({ version: '9.8.7' });
    });

    it('echoes a fresh request id on every response', async () => {
        const first = await fetchRelay('/healthz');
        const second = await fetchRelay('/healthz');
        const firstId = first.headers.get(REQUEST_ID_HEADER);
        expect(firstId).toMatch(/^[0-9a-f-]{36}$/);
        expect(second.headers.get(REQUEST_ID_HEADER)).not.toBe(firstId);
    });
});

import { describe, expect, it } from 'vitest';
import {
    REQUEST_ID_HEADER,
    isRelayErrorBody
} from '../../force-app/main/default/lwc/relayContract/relayContract';
import { fetchRelay, fetchRelayWith } from './relayTestHelpers';

const SALESFORCE_ORIGINS = [
    'https://acme.my.salesforce.com',
    'https://acme.lightning.force.com',
    'https://acme--dev.sandbox.my.salesforce.com',
    'https://acme--dev.sandbox.lightning.force.com',
    'https://dream-1234.scratch.my.salesforce.com',
    'https://dream-1234.scratch.lightning.force.com',
    'https://acme--c.vf.force.com',
    'https://acme.my.salesforce-sites.com'
];

const FOREIGN_ORIGINS = [
    'https://evil.example.com',
    'https://my.salesforce.com.evil.com',
    'https://acme.lightning.force.com.evil.com',
    'https://evilforce.com',
    'https://my.salesforce.com',
    'http://acme.my.salesforce.com',
    'https://acme.my.salesforce.com:8443',
    'null'
];

function preflight(origin: string): RequestInit {
    return {
        method: 'OPTIONS',
        headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization, content-type'
        }
    };
}

describe('CORS for Salesforce origins', () => {
    it.each(SALESFORCE_ORIGINS)('echoes the allowed origin %s exactly', async (origin) => {
        const response = await fetchRelay('/healthz', { headers: { origin } });
        expect(response.status).toBe(200);
        expect(response.headers.get('access-control-allow-origin')).toBe(origin);
        expect(response.headers.get('vary')).toMatch(/\bOrigin\b/);
        expect(response.headers.get('access-control-expose-headers')).toContain(REQUEST_ID_HEADER);
    });

    it('answers a preflight from an allowed origin with 204 and the allowed headers', async () => {
        const origin = 'https://acme.lightning.force.com';
        const response = await fetchRelay('/v1/messages', preflight(origin));
        expect(response.status).toBe(204);
        expect(response.headers.get('access-control-allow-origin')).toBe(origin);
        const allowedHeaders = response.headers.get('access-control-allow-headers') ?? '';
        for (const header of [
            'authorization',
            'content-type',
            'anthropic-version',
            REQUEST_ID_HEADER
        ]) {
            expect(allowedHeaders).toContain(header);
        }
        expect(allowedHeaders).not.toContain('*');
        expect(response.headers.get('access-control-allow-methods')).toContain('POST');
        expect(response.headers.get('vary')).toMatch(/\bOrigin\b/);
        expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    });

    it.each(FOREIGN_ORIGINS)(
        'refuses the origin %s with 403 in the error shape',
        async (origin) => {
            const response = await fetchRelay('/healthz', { headers: { origin } });
            expect(response.status).toBe(403);
            expect(response.headers.get('access-control-allow-origin')).toBeNull();
            const body: unknown = await response.json();
            expect(isRelayErrorBody(body)).toBe(true);
            expect(body).toMatchObject({ error: { type: 'forbidden' } });
            expect(response.headers.get(REQUEST_ID_HEADER)).toBe(
                (body as { error: { requestId: string } }).error.requestId
            );
        }
    );

    it('refuses a preflight from a foreign origin with 403', async () => {
        const response = await fetchRelay('/v1/messages', preflight('https://evil.example.com'));
        expect(response.status).toBe(403);
        expect(response.headers.get('access-control-allow-origin')).toBeNull();
        expect(response.headers.get('access-control-allow-headers')).toBeNull();
    });

    it('lets requests without an Origin through, with no CORS grant', async () => {
        const response = await fetchRelay('/healthz');
        expect(response.status).toBe(200);
        expect(response.headers.get('access-control-allow-origin')).toBeNull();
        expect(response.headers.get('vary')).toMatch(/\bOrigin\b/);
    });

    it('allows an exact extra origin from ALLOWED_ORIGINS, and nothing near it', async () => {
        const bindings = { ALLOWED_ORIGINS: 'http://127.0.0.1:8790, https://admin.example.com' };
        const workbench = await fetchRelayWith(bindings, '/healthz', {
            headers: { origin: 'http://127.0.0.1:8790' }
        });
        expect(workbench.status).toBe(200);
        expect(workbench.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8790');
        const otherPort = await fetchRelayWith(bindings, '/healthz', {
            headers: { origin: 'http://127.0.0.1:8791' }
        });
        expect(otherPort.status).toBe(403);
    });

    it('never treats a * in ALLOWED_ORIGINS as a wildcard', async () => {
        const response = await fetchRelayWith({ ALLOWED_ORIGINS: '*' }, '/healthz', {
            headers: { origin: 'https://evil.example.com' }
        });
        expect(response.status).toBe(403);
        expect(response.headers.get('access-control-allow-origin')).toBeNull();
    });
});

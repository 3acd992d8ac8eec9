import { env } from 'cloudflare:workers';
import { Hono, type MiddlewareHandler } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import {
    DOCUMENT_LIMITS,
    PDF_WARNINGS_HEADER
} from '../../force-app/main/default/lwc/documentModel/documentModel';
import {
    isRelayErrorBody,
    type RelayErrorBody
} from '../../force-app/main/default/lwc/relayContract/relayContract';
import { salesforceCors } from '../src/cors';
import { handleError, handleNotFound, RelayError } from '../src/errors';
import type { RelayEnv } from '../src/relayEnv';
import { requestContext } from '../src/requestContext';
import { contentDisposition, createPdfRoutes } from '../src/routes/pdf';
import { documentWith, paragraph, quoteDocument, text } from './fixtures/pdf/sampleDocuments';
import { fetchRelay, RELAY_TEST_ORIGIN } from './relayTestHelpers';
import { testSessionToken } from './sessionTestTokens';

/**
 * The route with the relay's own middleware and error handling around it. Authentication is the
 * injected session check; these tests give it a stand-in that admits one fixed token, so they
 * cover what the route does once a request is authenticated (and that it checks first).
 */
const GOOD_TOKEN = 'Bearer test-pdf-session';
const standInSessionCheck: MiddlewareHandler<RelayEnv> = async (c, next) => {
    if (c.req.header('authorization') !== GOOD_TOKEN) {
        throw new RelayError(401, 'unauthorized', 'A valid session token is required.');
    }
    await next();
};

function pdfApp(): Hono<RelayEnv> {
    const app = new Hono<RelayEnv>();
    app.use('*', requestContext());
    app.use('*', salesforceCors());
    app.route('/', createPdfRoutes(standInSessionCheck));
    app.notFound(handleNotFound);
    app.onError(handleError);
    return app;
}

async function postPdf(body: BodyInit, headers: Record<string, string> = {}): Promise<Response> {
    return await pdfApp().request(
        `${RELAY_TEST_ORIGIN}/v1/pdf`,
        {
            method: 'POST',
            headers: { authorization: GOOD_TOKEN, 'content-type': 'application/json', ...headers },
            body
        },
        env
    );
}

async function errorOf(response: Response): Promise<RelayErrorBody['error']> {
    const body: unknown = await response.json();
    expect(isRelayErrorBody(body)).toBe(true);
    return (body as RelayErrorBody).error;
}

describe('POST /v1/pdf on the relay, with real session tokens', () => {
    async function postToRelay(authorization?: string): Promise<Response> {
        return fetchRelay('/v1/pdf', {
            method: 'POST',
            headers: {
                'content-type': 'application/json',
                ...(authorization ? { authorization } : {})
            },
            body: JSON.stringify(documentWith([paragraph('Hello')]))
        });
    }

    it('refuses a request without a session token', async () => {
        const response = await postToRelay();
        expect(response.status).toBe(401);
        expect((await errorOf(response)).type).toBe('unauthorized');
    });

    it('refuses a token that only allows LLM requests', async () => {
        const token = await testSessionToken({ scopes: ['llm'] });
        const response = await postToRelay(`Bearer ${token}`);
        expect(response.status).toBe(403);
        expect(await errorOf(response)).toMatchObject({
            type: 'forbidden',
            message: 'This session token does not allow "pdf" requests.'
        });
    });

    it('refuses an expired token', async () => {
        const token = await testSessionToken({
            scopes: ['pdf'],
            now: new Date(Date.now() - 3_600_000)
        });
        expect((await postToRelay(`Bearer ${token}`)).status).toBe(401);
    });

    it('renders for a token with the pdf scope', async () => {
        const token = await testSessionToken({ scopes: ['pdf'] });
        const response = await postToRelay(`Bearer ${token}`);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('application/pdf');
        expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    });
});

describe('POST /v1/pdf', () => {
    it('answers the PDF of a valid description, named after its title, never cached', async () => {
        const response = await postPdf(JSON.stringify(await quoteDocument(40)));
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('application/pdf');
        expect(response.headers.get('cache-control')).toBe('no-store');
        expect(response.headers.get('content-disposition')).toBe(
            `attachment; filename="Quote Q-00042 for Lodz Logistics.pdf"; filename*=UTF-8''Quote%20Q-00042%20for%20%C5%81%C3%B3d%C5%BA%20Logistics.pdf`
        );
        expect(response.headers.get(PDF_WARNINGS_HEADER)).toBeNull();
        const bytes = new Uint8Array(await response.arrayBuffer());
        expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('%PDF-1.7');
        expect(new TextDecoder().decode(bytes.subarray(-6)).trim()).toBe('%%EOF');
    });

    it('checks the session before reading the body', async () => {
        const response = await postPdf('{ not even json', { authorization: 'Bearer nope' });
        expect(response.status).toBe(401);
        expect((await errorOf(response)).type).toBe('unauthorized');
    });

    it('lists characters the fonts lack in a header the browser may read', async () => {
        const response = await postPdf(JSON.stringify(documentWith([paragraph('中文 ok')])), {
            origin: 'https://acme.lightning.force.com'
        });
        expect(response.status).toBe(200);
        expect(response.headers.get(PDF_WARNINGS_HEADER)).toBe('missing-characters=U+4E2D,U+6587');
        expect(response.headers.get('access-control-expose-headers')).toContain(
            PDF_WARNINGS_HEADER
        );
    });

    it('refuses anything but JSON with 415', async () => {
        const response = await postPdf('<html>', { 'content-type': 'text/html' });
        expect(response.status).toBe(415);
        expect(await errorOf(response)).toMatchObject({
            type: 'invalid_request',
            message: 'Send the document description as application/json.'
        });
    });

    it('refuses malformed JSON with 400 in the error shape', async () => {
        const response = await postPdf('{"modelVersion": 1,');
        expect(response.status).toBe(400);
        expect((await errorOf(response)).type).toBe('invalid_request');
    });

    it('refuses a description over the size limit with 413, declared or streamed', async () => {
        const huge = JSON.stringify(
            documentWith([paragraph('x'.repeat(DOCUMENT_LIMITS.maxDescriptionBytes))])
        );
        const declared = await postPdf(huge);
        expect(declared.status).toBe(413);
        expect(await errorOf(declared)).toMatchObject({
            type: 'payload_too_large',
            message:
                'The document description is larger than 6 MB; use smaller images or fewer rows.'
        });
        // Without a Content-Length the limit is counted while the body streams in.
        const bytes = new TextEncoder().encode(huge);
        const stream = new ReadableStream<Uint8Array>({
            start(controller) {
                for (let i = 0; i < bytes.length; i += 65536) {
                    controller.enqueue(bytes.subarray(i, i + 65536));
                }
                controller.close();
            }
        });
        const streamed = await postPdf(stream);
        expect(streamed.status).toBe(413);
    });

    it('names what is wrong in an invalid description with 422', async () => {
        const response = await postPdf(
            JSON.stringify(documentWith([paragraph(text('x', { link: 'javascript:alert(1)' }))]))
        );
        expect(response.status).toBe(422);
        expect((await errorOf(response)).message).toBe(
            'The document description is not valid. body.0.runs.0.link: A link must be an absolute http, https or mailto URL.'
        );
    });

    it("answers the renderer's refusals in the error shape with their status", async () => {
        const blocks = Array.from({ length: 21 }, () => ({
            type: 'image',
            format: 'png',
            data: 'iVBORw0KGgo=',
            intrinsicWidth: 1,
            intrinsicHeight: 1,
            alt: ''
        }));
        const response = await postPdf(JSON.stringify(documentWith(blocks as never)));
        expect(response.status).toBe(413);
        expect(await errorOf(response)).toMatchObject({
            type: 'payload_too_large',
            message: 'The document has 21 images; at most 20 are allowed.'
        });
    });

    it('logs one line without any of the document', async () => {
        const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
        try {
            const secret = 'Confidential merger terms for Globex';
            const response = await postPdf(
                JSON.stringify(documentWith([paragraph(secret)], { metadata: { title: secret } }))
            );
            expect(response.status).toBe(200);
            const logged = log.mock.calls.flat().map(String).join('\n');
            expect(logged).toContain('/v1/pdf');
            expect(logged).not.toContain('Confidential');
            expect(logged).not.toContain('Globex');
        } finally {
            log.mockRestore();
        }
    });
});

describe('contentDisposition', () => {
    it('keeps a safe ASCII name and the exact UTF-8 one', () => {
        expect(contentDisposition('Quote: Q/1 "final" *v2*?')).toBe(
            `attachment; filename="Quote- Q-1 -final- -v2-.pdf"; filename*=UTF-8''Quote-%20Q-1%20-final-%20-v2-.pdf`
        );
        expect(contentDisposition('Ελληνικά')).toMatch(
            /^attachment; filename="_{8}\.pdf"; filename\*=UTF-8''%CE%95/
        );
        expect(contentDisposition('  \n ')).toBe(
            `attachment; filename="document.pdf"; filename*=UTF-8''document.pdf`
        );
    });
});

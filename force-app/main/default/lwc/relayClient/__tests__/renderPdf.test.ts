import { RelayRequestError, checkDocumentLimits, renderPdf } from 'c/relayClient';
import { DOCUMENT_LIMITS } from 'c/documentModel';
import type { DocumentDescription, ImageBlock } from 'c/documentModel';
import { pdfResponse, relayErrorResponse } from '../../../../../test/fakeRelay';

const SESSION = { relayUrl: 'https://relay.example.com', token: 'header.payload.signature' };

function description(overrides: Partial<DocumentDescription> = {}): DocumentDescription {
    return {
        modelVersion: 1,
        metadata: { title: 'Quote Q-1', created: '2025-01-02T03:04:05.000Z', language: 'en-US' },
        page: {
            size: 'A4',
            orientation: 'portrait',
            margins: { top: 36, right: 36, bottom: 36, left: 36 }
        },
        body: [{ type: 'paragraph', runs: [{ type: 'text', text: 'Hello Ελλάδα' }] }],
        ...overrides
    } as DocumentDescription;
}

function image(bytes: number, width = 10, height = 10): ImageBlock {
    // base64 of `bytes` bytes: 4 characters per 3 bytes.
    return {
        type: 'image',
        format: 'png',
        data: 'A'.repeat(Math.ceil(bytes / 3) * 4),
        intrinsicWidth: width,
        intrinsicHeight: height,
        alt: 'Logo'
    };
}

async function failureOf(promise: Promise<unknown>): Promise<RelayRequestError> {
    try {
        await promise;
    } catch (error) {
        return error as RelayRequestError;
    }
    throw new Error('expected renderPdf to fail');
}

describe('c/relayClient renderPdf', () => {
    it('posts the description to /v1/pdf with the bearer token and no cookies, and answers the PDF', async () => {
        const fetchMock = jest.fn().mockResolvedValue(pdfResponse());
        const doc = description();
        const result = await renderPdf(SESSION, doc, undefined, fetchMock);

        const [url, init] = fetchMock.mock.calls[0];
        expect(url).toBe('https://relay.example.com/v1/pdf');
        expect(init.method).toBe('POST');
        expect(init.credentials).toBe('omit');
        expect(init.headers.authorization).toBe('Bearer header.payload.signature');
        expect(init.headers['content-type']).toBe('application/json');
        expect(JSON.parse(init.body)).toEqual(doc);
        expect(result.pdf.type).toBe('application/pdf');
        expect(result.pdf.size).toBe('%PDF-1.7\n%fake\n%%EOF\n'.length);
        expect(result.warnings).toEqual({ missingCharacters: [] });
    });

    it('reads the missing-glyph warnings the relay sends in its header', async () => {
        const fetchMock = jest.fn().mockResolvedValue(
            pdfResponse(undefined, {
                'x-resident-pdf-warnings': 'missing-characters=U+4E2D,U+6587'
            })
        );
        const result = await renderPdf(SESSION, description(), undefined, fetchMock);
        expect(result.warnings.missingCharacters).toEqual([0x4e2d, 0x6587]);
    });

    it('passes the abort signal on, and a Stop becomes an aborted error', async () => {
        const controller = new AbortController();
        const fetchMock = jest.fn().mockImplementation(() => {
            controller.abort();
            const error = new Error('The operation was aborted.');
            error.name = 'AbortError';
            return Promise.reject(error);
        });
        const error = await failureOf(
            renderPdf(SESSION, description(), controller.signal, fetchMock)
        );
        expect(fetchMock.mock.calls[0][1].signal).toBe(controller.signal);
        expect(error.kind).toBe('aborted');
    });

    it('turns the relay error shape into a typed error with status, type and request id', async () => {
        const fetchMock = jest
            .fn()
            .mockResolvedValue(
                relayErrorResponse(422, 'invalid_request', 'Row 12 is taller than a page.')
            );
        const error = await failureOf(renderPdf(SESSION, description(), undefined, fetchMock));
        expect(error).toBeInstanceOf(RelayRequestError);
        expect(error.kind).toBe('http');
        expect(error.status).toBe(422);
        expect(error.relayType).toBe('invalid_request');
        expect(error.message).toBe('Row 12 is taller than a page.');
        expect(error.requestId).toBe('req-test-1');
    });

    it('reports an unreachable relay as a network error', async () => {
        const fetchMock = jest.fn().mockRejectedValue(new TypeError('Failed to fetch'));
        const error = await failureOf(renderPdf(SESSION, description(), undefined, fetchMock));
        expect(error.kind).toBe('network');
        expect(error.message).toBe('Failed to fetch');
    });

    it('refuses a 200 answer that is not a PDF (a proxy page), never handing it back as the document', async () => {
        const html = pdfResponse('<html>login</html>', { 'content-type': 'text/html' });
        const error = await failureOf(
            renderPdf(SESSION, description(), undefined, jest.fn().mockResolvedValue(html))
        );
        expect(error.kind).toBe('bad_response');
        expect(error.requestId).toBe('req-pdf-1');
        const mislabelled = pdfResponse('not a pdf at all');
        const error2 = await failureOf(
            renderPdf(SESSION, description(), undefined, jest.fn().mockResolvedValue(mislabelled))
        );
        expect(error2.kind).toBe('bad_response');
    });

    it('refuses a relay URL that is not https before sending anything', async () => {
        const fetchMock = jest.fn();
        const error = await failureOf(
            renderPdf(
                { relayUrl: 'http://relay.example.com', token: 't' },
                description(),
                undefined,
                fetchMock
            )
        );
        expect(error.kind).toBe('network');
        expect(fetchMock).not.toHaveBeenCalled();
    });

    it('refuses a description over the size limit with a clear error, sending nothing', async () => {
        const fetchMock = jest.fn();
        const big = 'x'.repeat(DOCUMENT_LIMITS.maxDescriptionBytes);
        const error = await failureOf(
            renderPdf(
                SESSION,
                description({ body: [{ type: 'paragraph', runs: [{ type: 'text', text: big }] }] }),
                undefined,
                fetchMock
            )
        );
        expect(fetchMock).not.toHaveBeenCalled();
        expect(error.kind).toBe('limit');
        expect(error.relayType).toBe('payload_too_large');
        expect(error.breach?.limit).toBe('maxDescriptionBytes');
        expect(error.breach?.max).toBe(DOCUMENT_LIMITS.maxDescriptionBytes);
        expect(error.breach?.actual).toBeGreaterThan(DOCUMENT_LIMITS.maxDescriptionBytes);
    });
});

describe('c/relayClient checkDocumentLimits', () => {
    it('accepts a description within every limit', () => {
        expect(checkDocumentLimits(description({ body: [image(1000)] }), 5000)).toBeNull();
    });

    it('names each limit a description breaks', () => {
        const tooMany = Array.from({ length: DOCUMENT_LIMITS.maxImages + 1 }, () => image(10));
        expect(checkDocumentLimits(description({ body: tooMany }), 100)?.limit).toBe('maxImages');
        expect(
            checkDocumentLimits(
                description({ body: [image(DOCUMENT_LIMITS.maxImageBytes + 3)] }),
                100
            )?.limit
        ).toBe('maxImageBytes');
        expect(checkDocumentLimits(description({ body: [image(10, 4000, 1001)] }), 100)).toEqual({
            limit: 'maxImagePixels',
            actual: 4_004_000,
            max: 4_000_000
        });
        const columns = Array.from({ length: 25 }, () => ({ width: { fraction: 1 } }));
        expect(
            checkDocumentLimits(description({ body: [{ type: 'table', columns, rows: [] }] }), 100)
                ?.limit
        ).toBe('maxTableColumns');
        const blocks = Array.from({ length: 11 }, () => ({ type: 'spacer' as const, height: 1 }));
        expect(checkDocumentLimits(description({ footer: { blocks } }), 100)?.limit).toBe(
            'maxHeaderFooterBlocks'
        );
        // Images in the footer count too.
        expect(
            checkDocumentLimits(
                description({ footer: { blocks: [image(DOCUMENT_LIMITS.maxImageBytes + 3)] } }),
                100
            )?.limit
        ).toBe('maxImageBytes');
    });
});

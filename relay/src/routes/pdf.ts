import { zValidator } from '@hono/zod-validator';
import { Hono, type MiddlewareHandler } from 'hono';
import {
    DOCUMENT_LIMITS,
    formatPdfWarnings,
    PDF_WARNINGS_HEADER
} from '../../../force-app/main/default/lwc/documentModel/documentModel';
import { RELAY_PATHS } from '../../../force-app/main/default/lwc/relayContract/relayContract';
import { RelayError } from '../errors';
import { requireJsonBody } from '../jsonBody';
import { DocumentError } from '../pdf/documentError';
import { describeValidationError, documentDescriptionSchema } from '../pdf/documentSchema';
import { renderPdf } from '../pdf/pdfRenderer';
import type { RelayEnv } from '../relayEnv';

/** Characters a file name cannot hold on Windows, macOS or Linux, and controls. */
const UNSAFE_IN_FILE_NAMES = /[\u0000-\u001f\u007f<>:"/\\|?*]+/g;
const MAX_FILE_NAME_LENGTH = 120;
/** Letters without a decomposition that still have an obvious ASCII spelling. */
const ASCII_SPELLINGS: Record<string, string> = {
    Ł: 'L',
    ł: 'l',
    Ø: 'O',
    ø: 'o',
    Đ: 'D',
    đ: 'd',
    ß: 'ss',
    Æ: 'AE',
    æ: 'ae',
    Œ: 'OE',
    œ: 'oe',
    Þ: 'Th',
    þ: 'th'
};

/**
 * The downloaded file's name, from the document's title: both the plain-ASCII `filename` every
 * browser reads and the UTF-8 `filename*` modern ones prefer (RFC 6266).
 */
export function contentDisposition(title: string): string {
    const base =
        title.normalize('NFC').replace(/\s+/g, ' ').replace(UNSAFE_IN_FILE_NAMES, '-').trim() ||
        'document';
    const name = `${[...base].slice(0, MAX_FILE_NAME_LENGTH).join('').trim()}.pdf`;
    const ascii = name
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/[ŁłØøĐđßÆæŒœÞþ]/g, (c) => ASCII_SPELLINGS[c]!)
        .replace(/[^\x20-\x7e]/g, '_')
        .replace(/[%;]/g, '_');
    const encoded = encodeURIComponent(name).replace(
        /['()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
    );
    return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

const requireDescription = requireJsonBody({
    maxBytes: () => DOCUMENT_LIMITS.maxDescriptionBytes,
    what: 'the document description',
    tooLargeHint: 'use smaller images or fewer rows.'
});

/**
 * `POST /v1/pdf`: a document description in, the PDF out. `authenticate` is the session check
 * (`requireSession('pdf')` in the relay), run before the body is read. The description and the PDF
 * live in memory for this request only; nothing about them is logged (the request log line has no
 * body).
 */
export function createPdfRoutes(authenticate: MiddlewareHandler<RelayEnv>) {
    return new Hono<RelayEnv>().post(
        RELAY_PATHS.pdf,
        authenticate,
        requireDescription,
        zValidator('json', documentDescriptionSchema, (result) => {
            if (!result.success) {
                throw new RelayError(422, 'invalid_request', describeValidationError(result.error));
            }
        }),
        async (c) => {
            const description = c.req.valid('json');
            const pdf = await renderPdf(description).catch((error: unknown) => {
                if (error instanceof DocumentError) {
                    throw new RelayError(error.status, error.type, error.message);
                }
                throw error;
            });
            const warnings = formatPdfWarnings({ missingCharacters: pdf.missingCharacters });
            return c.body(pdf.bytes, 200, {
                'content-type': 'application/pdf',
                'content-disposition': contentDisposition(description.metadata.title),
                'cache-control': 'no-store',
                'x-content-type-options': 'nosniff',
                ...(warnings ? { [PDF_WARNINGS_HEADER]: warnings } : {})
            });
        }
    );
}

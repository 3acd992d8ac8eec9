/**
 * Text out of a PDF with pdf.js, given the library: the browser passes the copy its static
 * resource installed, the Node test passes `pdfjs-dist` itself, so the same code is tested against
 * the real library. No DOM, Node or platform imports here.
 */

/** Why a PDF gave no text; the knowledge manager turns each into a readable message. */
export type PdfTextErrorCode = 'encrypted' | 'no_text' | 'unreadable' | 'too_many_pages';

export class PdfTextError extends Error {
    readonly code: PdfTextErrorCode;
    constructor(code: PdfTextErrorCode, detail?: string) {
        super(detail ? `${code}: ${detail}` : code);
        this.name = 'PdfTextError';
        this.code = code;
    }
}

/** The subset of pdf.js's API this module uses. */
export interface PdfJsLike {
    getDocument(params: Record<string, unknown>): {
        promise: Promise<PdfDocumentLike>;
        destroy(): Promise<void>;
    };
}
interface PdfDocumentLike {
    numPages: number;
    getPage(pageNumber: number): Promise<{
        getTextContent(): Promise<{ items: ({ str?: string; hasEOL?: boolean } | object)[] }>;
        cleanup(): void;
    }>;
}

export interface PdfText {
    text: string;
    pages: number;
}

/** A knowledge document of more pages than this is a book, not a reference: split it first. */
export const MAX_PDF_PAGES = 2_000;

/** Reads every page's text, in order, one blank line between pages. */
export async function extractTextWith(pdfjs: PdfJsLike, bytes: ArrayBuffer): Promise<PdfText> {
    // pdf.js may take ownership of the buffer it is given; the caller keeps its own.
    const task = pdfjs.getDocument({
        data: new Uint8Array(bytes.slice(0)),
        // Text extraction needs neither compiled glyph programs nor web fonts; both are refused by
        // Lightning Web Security's sandbox anyway.
        isEvalSupported: false,
        disableFontFace: true,
        useSystemFonts: false,
        verbosity: 0
    });
    let document: PdfDocumentLike;
    try {
        document = await task.promise;
    } catch (error) {
        await task.destroy().catch(() => undefined);
        const name = (error as { name?: string })?.name;
        if (name === 'PasswordException') {
            throw new PdfTextError('encrypted');
        }
        throw new PdfTextError('unreadable', (error as Error)?.message);
    }
    try {
        if (document.numPages > MAX_PDF_PAGES) {
            throw new PdfTextError('too_many_pages', String(document.numPages));
        }
        const pageTexts: string[] = [];
        // One page at a time, in order: a long PDF read all at once would hold every page in memory.
        /* eslint-disable no-await-in-loop */
        for (let n = 1; n <= document.numPages; n++) {
            const page = await document.getPage(n);
            const content = await page.getTextContent();
            let text = '';
            for (const item of content.items) {
                // Marked-content items carry no `str`; only text items do.
                if ('str' in item && typeof item.str === 'string') {
                    text += item.str + (item.hasEOL ? '\n' : '');
                }
            }
            page.cleanup();
            pageTexts.push(tidy(text));
        }
        /* eslint-enable no-await-in-loop */
        const text = pageTexts.filter((t) => t.length > 0).join('\n\n');
        if (text.trim().length === 0) {
            // Scanned PDFs are images of pages: there is no text layer to read.
            throw new PdfTextError('no_text');
        }
        return { text, pages: document.numPages };
    } finally {
        await task.destroy().catch(() => undefined);
    }
}

/** Collapses runs of spaces and trailing blanks that PDF text positioning leaves behind. */
function tidy(text: string): string {
    return text
        .split('\n')
        .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trimEnd())
        .join('\n')
        .replace(/\n{3,}/g, '\n\n')
        .trim();
}

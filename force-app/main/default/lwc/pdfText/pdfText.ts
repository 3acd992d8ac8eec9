/**
 * PDF text extraction in the browser, so a knowledge document's bytes never leave it: only the
 * chunks the admin saves reach the org. pdf.js comes from the static resource Resident_PdfJs,
 * bundled at build time by scripts/buildPdfJsResource.ts (components cannot import npm packages on
 * the platform). That bundle runs pdf.js's worker code on the main thread: Lightning Web Security
 * does not let a component start a Web Worker from a static resource, and a knowledge document is
 * read once, when an admin adds it.
 */
import { loadScript } from 'lightning/platformResourceLoader';
import PDFJS_RESOURCE from '@salesforce/resourceUrl/Resident_PdfJs';
import { extractTextWith, PdfTextError } from './pdfTextExtraction';
import type { PdfJsLike, PdfText } from './pdfTextExtraction';

export { PdfTextError, MAX_PDF_PAGES } from './pdfTextExtraction';
export type { PdfText, PdfTextErrorCode } from './pdfTextExtraction';

let loading: Promise<PdfJsLike> | undefined;

/** Loads pdf.js once per page; a failed load may be retried. */
function loadPdfJs(host: object): Promise<PdfJsLike> {
    if (!loading) {
        loading = loadScript(host, PDFJS_RESOURCE).then(() => {
            const pdfjs = (window as unknown as { pdfjsLib?: PdfJsLike }).pdfjsLib;
            if (!pdfjs || typeof pdfjs.getDocument !== 'function') {
                throw new PdfTextError('unreadable', 'the PDF reader did not load');
            }
            return pdfjs;
        });
        loading.catch(() => {
            loading = undefined;
        });
    }
    return loading;
}

/**
 * The text of a PDF and its page count. `host` is the component asking: the platform's script
 * loader needs it. Rejects with a `PdfTextError` whose `code` says why (encrypted, no text found
 * because the PDF is scanned, unreadable).
 */
export async function extractPdfText(bytes: ArrayBuffer, host: object): Promise<PdfText> {
    let pdfjs: PdfJsLike;
    try {
        pdfjs = await loadPdfJs(host);
    } catch (error) {
        if (error instanceof PdfTextError) throw error;
        throw new PdfTextError('unreadable', `the PDF reader did not load: ${String(error)}`);
    }
    return extractTextWith(pdfjs, bytes);
}

/** For tests: forget the loaded library. */
export function resetPdfTextForTests(): void {
    loading = undefined;
}

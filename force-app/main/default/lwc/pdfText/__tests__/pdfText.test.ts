import { extractPdfText, PdfTextError, resetPdfTextForTests } from 'c/pdfText';
import { loadScript } from 'lightning/platformResourceLoader';

const loadScriptMock = loadScript as unknown as jest.Mock;

/** A stand-in for pdf.js with pages of text items, as getTextContent answers. */
function fakePdfJs(pages: { str: string; hasEOL?: boolean }[][], failWith?: { name: string }) {
    return {
        getDocument: jest.fn(() => ({
            promise: failWith
                ? Promise.reject(failWith)
                : Promise.resolve({
                      numPages: pages.length,
                      getPage: (n: number) =>
                          Promise.resolve({
                              getTextContent: () => Promise.resolve({ items: pages[n - 1] }),
                              cleanup: () => undefined
                          })
                  }),
            destroy: () => Promise.resolve()
        }))
    };
}

const host = {};
const bytes = new Uint8Array([37, 80, 68, 70]).buffer;

describe('c/pdfText', () => {
    afterEach(() => {
        resetPdfTextForTests();
        delete (window as unknown as { pdfjsLib?: unknown }).pdfjsLib;
        // The stub's loader resolves by default; a test's own loader must not leak into the next.
        loadScriptMock.mockReset();
        loadScriptMock.mockResolvedValue(undefined);
    });

    it('loads pdf.js once from the static resource and reads every page', async () => {
        const pdfjs = fakePdfJs([
            [{ str: 'Refunds', hasEOL: true }, { str: 'within   30 days.' }],
            [{ str: 'Page two' }]
        ]);
        loadScriptMock.mockImplementation(() => {
            (window as unknown as { pdfjsLib: unknown }).pdfjsLib = pdfjs;
            return Promise.resolve();
        });
        await expect(extractPdfText(bytes, host)).resolves.toEqual({
            text: 'Refunds\nwithin 30 days.\n\nPage two',
            pages: 2
        });
        await extractPdfText(bytes, host);
        expect(loadScriptMock).toHaveBeenCalledTimes(1);
        expect(loadScriptMock).toHaveBeenCalledWith(
            host,
            expect.stringContaining('Resident_PdfJs')
        );
    });

    it('says there is no text in a scanned PDF', async () => {
        (window as unknown as { pdfjsLib: unknown }).pdfjsLib = fakePdfJs([[{ str: '  ' }], []]);
        await expect(extractPdfText(bytes, host)).rejects.toMatchObject({ code: 'no_text' });
    });

    it('says a password-protected PDF is encrypted', async () => {
        (window as unknown as { pdfjsLib: unknown }).pdfjsLib = fakePdfJs([], {
            name: 'PasswordException'
        });
        await expect(extractPdfText(bytes, host)).rejects.toMatchObject({ code: 'encrypted' });
    });

    it('reports a reader that fails to load, and loads again next time', async () => {
        loadScriptMock.mockRejectedValueOnce(new Error('blocked'));
        const failure = await extractPdfText(bytes, host).catch((e: unknown) => e);
        expect(failure).toBeInstanceOf(PdfTextError);
        expect((failure as PdfTextError).code).toBe('unreadable');
        (window as unknown as { pdfjsLib: unknown }).pdfjsLib = fakePdfJs([[{ str: 'ok' }]]);
        loadScriptMock.mockResolvedValue(undefined);
        await expect(extractPdfText(bytes, host)).resolves.toEqual({ text: 'ok', pages: 1 });
    });
});

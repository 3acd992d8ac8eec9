import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import PDFContext from 'pdf-lib/es/core/PDFContext';
import type {
    Block,
    DocumentDescription
} from '../../force-app/main/default/lwc/documentModel/documentModel';
import { DocumentError } from '../src/pdf/documentError';
import { loadFontFaces } from '../src/pdf/fontLibrary';
import { renderPdf, type PlacedItem } from '../src/pdf/pdfRenderer';
import { layoutText, type StyledText } from '../src/pdf/textLayout';
import { Typesetter } from '../src/pdf/typesetter';
import {
    documentWith,
    imageDocument,
    PAGE_X_OF_Y_FOOTER,
    paragraph,
    productTable,
    quoteDocument,
    text,
    UNICODE_SAMPLES
} from './fixtures/pdf/sampleDocuments';
import { encodePng, SAMPLE_JPEG } from './fixtures/pdf/sampleImages';

const PLAIN = { bold: false, italic: false, underline: false };
const A4_BODY_TOP = 841.89 - 56;
const A4_BODY_BOTTOM = 56;
const A4_TEXT_WIDTH = 595.28 - 2 * 56;

async function typesetter(): Promise<Typesetter> {
    return new Typesetter(PDFContext.create(), await loadFontFaces());
}

async function linesOf(runs: StyledText[], width: number, size = 10): Promise<string[]> {
    const layout = layoutText(await typesetter(), runs, size, width);
    return layout.lines.map((line) =>
        line.fragments.map((f) => String.fromCodePoint(...f.codePoints)).join('')
    );
}

/** Renders and records where every body line, row and image went. */
async function render(description: DocumentDescription) {
    const placed: PlacedItem[] = [];
    const pdf = await renderPdf(description, {
        now: new Date('2026-01-02T03:04:05Z'),
        observe: (item) => placed.push(item)
    });
    const body = placed.filter((p) => p.area === 'body');
    return { pdf, placed, body };
}

async function rejection(promise: Promise<unknown>): Promise<DocumentError> {
    const error = await promise.then(
        () => undefined,
        (e: unknown) => e
    );
    expect(error).toBeInstanceOf(DocumentError);
    return error as DocumentError;
}

describe('line breaking', () => {
    const sentence = 'The quick brown fox jumps over the lazy dog near the riverbank at dawn.';

    it('wraps between words and keeps every line within the width', async () => {
        const t = await typesetter();
        const layout = layoutText(t, [{ text: sentence, style: PLAIN }], 10, 120);
        expect(layout.lines.length).toBeGreaterThan(2);
        for (const line of layout.lines) {
            expect(line.width).toBeLessThanOrEqual(120);
        }
        const lines = await linesOf([{ text: sentence, style: PLAIN }], 120);
        expect(lines.join(' ')).toBe(sentence);
        // No word is cut when it fits on a line of its own.
        for (const line of lines) {
            expect(sentence.split(' ')).toEqual(expect.arrayContaining(line.split(' ')));
        }
    });

    it('fills a line as far as the next word allows', async () => {
        const wide = await linesOf([{ text: sentence, style: PLAIN }], 1000);
        expect(wide).toEqual([sentence]);
    });

    it('breaks a word longer than the line into pieces that fit', async () => {
        const word = 'Donaudampfschifffahrtsgesellschaftskapitänswitwe';
        const t = await typesetter();
        const layout = layoutText(t, [{ text: `See ${word} now`, style: PLAIN }], 10, 60);
        const lines = layout.lines.map((l) =>
            l.fragments.map((f) => String.fromCodePoint(...f.codePoints)).join('')
        );
        expect(lines[0]).toBe('See');
        // The word's last piece shares its line with what follows.
        expect(lines.join('')).toBe(`See${word} now`);
        expect(lines.length).toBeGreaterThan(3);
        for (const line of layout.lines) expect(line.width).toBeLessThanOrEqual(60);
    });

    it('starts a new line at every newline, blank lines included', async () => {
        const lines = await linesOf(
            [{ text: 'Line one\nLine two\n\nLine four', style: PLAIN }],
            400
        );
        expect(lines).toEqual(['Line one', 'Line two', '', 'Line four']);
    });

    it('breaks after a hyphen inside a word when the line is full', async () => {
        const lines = await linesOf([{ text: 'Jean-Pierre Rampal', style: PLAIN }], 45);
        expect(lines[0]).toBe('Jean-');
    });

    it('measures bold wider than regular, so bold runs wrap sooner', async () => {
        const t = await typesetter();
        const cps = [...'Quarterly revenue'].map((c) => c.codePointAt(0)!);
        expect(t.measure(cps, true, 10)).toBeGreaterThan(t.measure(cps, false, 10));
    });

    it('keeps styled runs of one word together and their styles apart', async () => {
        const t = await typesetter();
        const layout = layoutText(
            t,
            [
                { text: 'bold', style: { ...PLAIN, bold: true } },
                { text: 'face and ', style: PLAIN },
                { text: 'italic', style: { ...PLAIN, italic: true } }
            ],
            10,
            400
        );
        expect(layout.lines).toHaveLength(1);
        expect(
            layout.lines[0]!.fragments.map((f) => String.fromCodePoint(...f.codePoints))
        ).toEqual(['bold', 'face and ', 'italic']);
    });

    it('shows Hebrew right to left, with numbers still left to right', async () => {
        const t = await typesetter();
        const layout = layoutText(t, [{ text: 'שלום 123', style: PLAIN }], 10, 400);
        expect(layout.direction).toBe('rtl');
        const shown = String.fromCodePoint(...layout.lines[0]!.fragments[0]!.codePoints);
        expect(shown).toBe('123 םולש');
    });

    it('mirrors brackets in right-to-left text and keeps Latin words in reading order', async () => {
        const lines = await linesOf([{ text: 'מחיר (Widget Pro) סופי', style: PLAIN }], 400);
        expect(lines[0]).toBe('יפוס (Widget Pro) ריחמ');
    });

    it('breaks right-to-left text into lines in reading order', async () => {
        const words = 'אחת שתיים שלוש ארבע חמש שש שבע שמונה תשע עשר';
        const t = await typesetter();
        const layout = layoutText(t, [{ text: words, style: PLAIN }], 10, 60);
        const firstLine = String.fromCodePoint(...layout.lines[0]!.fragments[0]!.codePoints);
        // The first line holds the first words, shown from the right.
        expect([...firstLine].reverse().join('').startsWith('אחת')).toBe(true);
    });
});

describe('page breaking', () => {
    it('continues a long paragraph on the next page without leaving the body area', async () => {
        const long = Array.from({ length: 1500 }, (_, i) => `word${i}`).join(' ');
        const { pdf, body } = await render(documentWith([paragraph(long), paragraph('After.')]));
        expect(pdf.pageCount).toBeGreaterThanOrEqual(2);
        for (const line of body) {
            expect(line.top).toBeLessThanOrEqual(A4_BODY_TOP + 0.01);
            expect(line.bottom).toBeGreaterThanOrEqual(A4_BODY_BOTTOM - 0.01);
        }
        const pages = new Set(body.map((l) => l.page));
        expect([...pages]).toEqual(Array.from({ length: pdf.pageCount }, (_, i) => i + 1));
        expect(body.at(-1)!.text).toBe('After.');
    });

    it('starts a new page at a page break, and never leaves a blank page for one', async () => {
        const { pdf, body } = await render(
            documentWith([
                { type: 'pageBreak' },
                paragraph('First page'),
                { type: 'pageBreak' },
                { type: 'pageBreak' },
                paragraph('Second page')
            ])
        );
        expect(pdf.pageCount).toBe(2);
        expect(body.map((l) => [l.page, l.text])).toEqual([
            [1, 'First page'],
            [2, 'Second page']
        ]);
    });

    it('moves a heading to the next page rather than leave it alone at the bottom', async () => {
        // Whatever room the fillers leave at the bottom, the heading and its text stay together.
        for (let fillers = 30; fillers <= 42; fillers++) {
            const { body } = await render(
                documentWith([
                    ...Array.from({ length: fillers }, (_, i) => paragraph(`Filler ${i}`)),
                    { type: 'heading', level: 2, runs: [text('Section two')] },
                    paragraph('Its first paragraph.')
                ])
            );
            const heading = body.find((l) => l.text === 'Section two')!;
            const next = body.find((l) => l.text === 'Its first paragraph.')!;
            expect(heading.page, `after ${fillers} fillers`).toBe(next.page);
        }
    });

    it('writes "Page N of M" in the footer of every page', async () => {
        const blocks: Block[] = Array.from({ length: 3 }, (_, i) => [
            paragraph(`Chapter ${i + 1}`),
            { type: 'pageBreak' } as Block
        ]).flat();
        const { pdf, placed } = await render(documentWith(blocks, { footer: PAGE_X_OF_Y_FOOTER }));
        expect(pdf.pageCount).toBe(3);
        const footers = placed.filter((p) => p.area === 'footer');
        expect(footers.map((f) => [f.page, f.text])).toEqual([
            [1, 'Page 1 of 3'],
            [2, 'Page 2 of 3'],
            [3, 'Page 3 of 3']
        ]);
        for (const footer of footers) expect(footer.top).toBeLessThan(A4_BODY_BOTTOM + 20);
    });

    it('keeps the body clear of a header drawn on every page', async () => {
        const long = Array.from({ length: 120 }, (_, i) => paragraph(`Line ${i}`));
        const { placed } = await render(
            documentWith(long, {
                header: { blocks: [{ type: 'paragraph', runs: [text('Acme — Confidential')] }] }
            })
        );
        const headers = placed.filter((p) => p.area === 'header');
        const pages = Math.max(...placed.map((p) => p.page));
        expect(headers).toHaveLength(pages);
        const headerBottom = Math.min(...headers.map((h) => h.bottom));
        for (const line of placed.filter((p) => p.area === 'body')) {
            expect(line.top).toBeLessThan(headerBottom);
        }
    });
});

describe('tables', () => {
    it('repeats the header row at the top of every page the table spans', async () => {
        const { pdf, body } = await render(documentWith([productTable(200)]));
        expect(pdf.pageCount).toBeGreaterThan(3);
        const rows = body.filter((p) => p.kind === 'tableRow');
        for (let page = 1; page <= pdf.pageCount; page++) {
            const onPage = rows.filter((r) => r.page === page);
            expect(onPage[0]!.rowKind, `first row on page ${page}`).toBe('header');
            expect(onPage[0]!.text).toBe('Code | Description | Qty | Unit price | Amount');
            expect(onPage.filter((r) => r.rowKind === 'header')).toHaveLength(1);
        }
        // Every product row appears exactly once, in order, and the totals row comes last.
        const bodyRows = rows.filter((r) => r.rowKind === 'body');
        expect(bodyRows).toHaveLength(200);
        expect(bodyRows.map((r) => r.text.split(' | ')[0])).toEqual(
            Array.from({ length: 200 }, (_, i) => `WID-${String(i + 1).padStart(5, '0')}`)
        );
        expect(rows.at(-1)!.rowKind).toBe('totals');
    });

    it('never splits a row across pages: a tall row moves whole to the next page', async () => {
        const tall = (i: number) => ({
            cells: [{ runs: [text(`Row ${i}\n${'line\n'.repeat(8)}end`)] }, { runs: [text('x')] }]
        });
        const { pdf, body } = await render(
            documentWith([
                {
                    type: 'table',
                    columns: [{ width: { fraction: 0.7 } }, { width: { fraction: 0.3 } }],
                    headerRows: [{ cells: [{ runs: [text('Notes')] }, { runs: [text('Flag')] }] }],
                    rows: Array.from({ length: 12 }, (_, i) => tall(i))
                }
            ])
        );
        expect(pdf.pageCount).toBeGreaterThan(1);
        for (const row of body.filter((r) => r.kind === 'tableRow')) {
            expect(row.top).toBeLessThanOrEqual(A4_BODY_TOP + 0.01);
            expect(row.bottom).toBeGreaterThanOrEqual(A4_BODY_BOTTOM - 0.01);
            expect(row.text.startsWith('Notes') || row.text.endsWith('end | x')).toBe(true);
        }
    });

    it('refuses a row taller than a whole page, naming the row', async () => {
        const error = await rejection(
            renderPdf(
                documentWith([
                    {
                        type: 'table',
                        columns: [{ width: { fraction: 1 } }],
                        rows: [
                            { cells: [{ runs: [text('short')] }] },
                            { cells: [{ runs: [text('tall\n'.repeat(80))] }] }
                        ]
                    }
                ])
            )
        );
        expect(error.status).toBe(422);
        expect(error.message).toMatch(/Row 2 of a table is taller than a whole page/);
    });

    it('gives fixed columns their points and fractions their share of the text width', async () => {
        const { body } = await render(
            documentWith([
                {
                    type: 'table',
                    columns: [{ width: { points: 100 } }, { width: { fraction: 0.25 } }],
                    rows: [{ cells: [{ runs: [text('a')] }, { runs: [text('b')] }] }]
                },
                {
                    type: 'table',
                    columns: [{ width: { points: 400 } }, { width: { fraction: 0.5 } }],
                    rows: [{ cells: [{ runs: [text('c')] }, { runs: [text('d')] }] }]
                }
            ])
        );
        const [narrow, squeezed] = body.filter((r) => r.kind === 'tableRow');
        expect(narrow!.width).toBeCloseTo(100 + A4_TEXT_WIDTH * 0.25, 1);
        // 400 pt + half the width is more than the page holds: the table shrinks to fit.
        expect(squeezed!.width).toBeCloseTo(A4_TEXT_WIDTH, 1);
    });
});

describe('images', () => {
    it('scales a wide image down to the text width, keeping its proportions', async () => {
        const { body } = await render(await imageDocument());
        const wide = body.find((p) => p.kind === 'image' && p.text.startsWith('PNG 1600×100'))!;
        expect(wide.width).toBeCloseTo(A4_TEXT_WIDTH, 1);
        expect(wide.top - wide.bottom).toBeCloseTo((A4_TEXT_WIDTH * 100) / 1600, 1);
        const small = body.find((p) => p.kind === 'image' && p.text.startsWith('PNG 64×64'))!;
        expect(small.width).toBeCloseTo(64 * 0.75, 1);
    });

    it('scales a tall image down to the page height', async () => {
        const data = await encodePng({
            width: 10,
            height: 4000,
            colorType: 2,
            pixel: () => [0, 0, 0, 255]
        });
        const { body } = await render(
            documentWith([
                {
                    type: 'image',
                    format: 'png',
                    data,
                    intrinsicWidth: 10,
                    intrinsicHeight: 4000,
                    width: 400,
                    alt: 'tall'
                }
            ])
        );
        const image = body.find((p) => p.kind === 'image')!;
        expect(image.top - image.bottom).toBeCloseTo(A4_BODY_TOP - A4_BODY_BOTTOM, 1);
        expect(image.width).toBeLessThan(400);
    });

    it('embeds transparent PNGs with a soft mask and JPEGs as they are', async () => {
        const { pdf } = await render(await imageDocument());
        const doc = await PDFDocument.load(pdf.bytes);
        const images = doc.context
            .enumerateIndirectObjects()
            .map(([, object]) => object)
            .filter(
                (object): object is { dict: PDFDict } & typeof object =>
                    'dict' in object &&
                    (object as { dict: PDFDict }).dict.get(PDFName.of('Subtype')) ===
                        PDFName.of('Image')
            );
        const filters = images.map((i) => String(i.dict.get(PDFName.of('Filter'))));
        expect(filters).toContain('/DCTDecode');
        expect(images.some((i) => i.dict.has(PDFName.of('SMask')))).toBe(true);
    });

    it('refuses an image whose data is not the format it claims', async () => {
        const error = await rejection(
            renderPdf(
                documentWith([
                    {
                        type: 'image',
                        format: 'png',
                        data: SAMPLE_JPEG.base64,
                        intrinsicWidth: SAMPLE_JPEG.width,
                        intrinsicHeight: SAMPLE_JPEG.height,
                        alt: 'logo'
                    }
                ])
            )
        );
        expect(error.status).toBe(422);
        expect(error.message).toBe('Image 1 ("logo") is a JPEG file, not PNG as described.');
    });

    it('refuses a file that is neither PNG nor JPEG', async () => {
        const gif = btoa('GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;');
        const error = await rejection(
            renderPdf(
                documentWith([
                    {
                        type: 'image',
                        format: 'png',
                        data: gif,
                        intrinsicWidth: 1,
                        intrinsicHeight: 1,
                        alt: ''
                    }
                ])
            )
        );
        expect(error.message).toBe('Image 1 is neither a PNG nor a JPEG file.');
    });

    it('refuses an image whose size differs from the size the browser measured', async () => {
        const error = await rejection(
            renderPdf(
                documentWith([
                    {
                        type: 'image',
                        format: 'jpeg',
                        data: SAMPLE_JPEG.base64,
                        intrinsicWidth: 100,
                        intrinsicHeight: 100,
                        alt: 'photo'
                    }
                ])
            )
        );
        expect(error.message).toMatch(/is 71×100 pixels, not 100×100 as described/);
    });

    it('refuses a damaged PNG with a clear message instead of failing inside', async () => {
        const good = await encodePng({
            width: 8,
            height: 8,
            colorType: 6,
            pixel: () => [1, 2, 3, 4]
        });
        const bytes = Uint8Array.from(atob(good), (c) => c.charCodeAt(0));
        bytes.fill(0x55, 41, bytes.length - 12); // scramble the compressed pixels
        let binary = '';
        for (const b of bytes) binary += String.fromCharCode(b);
        const error = await rejection(
            renderPdf(
                documentWith([
                    {
                        type: 'image',
                        format: 'png',
                        data: btoa(binary),
                        intrinsicWidth: 8,
                        intrinsicHeight: 8,
                        alt: ''
                    }
                ])
            )
        );
        expect(error.status).toBe(422);
        expect(error.message).toMatch(/^Image 1 is a damaged PNG file/);
    });
});

describe('limits', () => {
    it('stops at the page limit with a clear error', async () => {
        const blocks: Block[] = [];
        for (let i = 0; i <= 1000; i++) blocks.push(paragraph(`Page ${i}`), { type: 'pageBreak' });
        const error = await rejection(renderPdf(documentWith(blocks)));
        expect(error.status).toBe(422);
        expect(error.message).toMatch(/more than 1000 pages/);
    });

    it('refuses more images than allowed', async () => {
        const image: Block = {
            type: 'image',
            format: 'jpeg',
            data: SAMPLE_JPEG.base64,
            intrinsicWidth: SAMPLE_JPEG.width,
            intrinsicHeight: SAMPLE_JPEG.height,
            alt: 'photo'
        };
        const error = await rejection(
            renderPdf(documentWith(Array.from({ length: 21 }, () => image)))
        );
        expect(error.status).toBe(413);
        expect(error.type).toBe('payload_too_large');
        expect(error.message).toBe('The document has 21 images; at most 20 are allowed.');
    });

    it('refuses an image over the size limit', async () => {
        const big = 'A'.repeat(Math.ceil((2 * 1024 * 1024 + 3) / 3) * 4);
        const error = await rejection(
            renderPdf(
                documentWith([
                    {
                        type: 'image',
                        format: 'png',
                        data: big,
                        intrinsicWidth: 1,
                        intrinsicHeight: 1,
                        alt: 'huge'
                    }
                ])
            )
        );
        expect(error.status).toBe(413);
        expect(error.message).toMatch(
            /^Image 1 \("huge"\) is 2\.0 MB; at most 2\.0 MB per image\.$/
        );
    });

    it('refuses margins that leave no room for text', async () => {
        const error = await rejection(
            renderPdf(
                documentWith([paragraph('x')], {
                    page: {
                        size: 'A4',
                        orientation: 'portrait',
                        margins: { top: 400, right: 20, bottom: 400, left: 20 }
                    }
                })
            )
        );
        expect(error.message).toMatch(/margins leave no room/);
    });
});

describe('fonts and document', () => {
    it('draws characters no font has as a visible replacement and reports them, never failing', async () => {
        const { pdf, body } = await render(
            documentWith([paragraph(`Kanji: ${UNICODE_SAMPLES.uncovered}, emoji: 🙂`)])
        );
        expect(pdf.missingCharacters).toEqual([0x5b57, 0x6f22, 0x1f642]);
        expect(body[0]!.text).toBe(`Kanji: ${UNICODE_SAMPLES.uncovered}, emoji: 🙂`);
    });

    it('covers accented Latin, Greek, Cyrillic and Hebrew with the embedded fonts', async () => {
        const { pdf } = await render(
            documentWith(
                [
                    UNICODE_SAMPLES.latin,
                    UNICODE_SAMPLES.greek,
                    UNICODE_SAMPLES.cyrillic,
                    UNICODE_SAMPLES.hebrewSentence
                ].map((s) => paragraph(s))
            )
        );
        expect(pdf.missingCharacters).toEqual([]);
    });

    it('writes title, author, subject, language, dates and the producer', async () => {
        const { pdf } = await render(await quoteDocument(5));
        const doc = await PDFDocument.load(pdf.bytes, { updateMetadata: false });
        expect(doc.getTitle()).toBe('Quote Q-00042 for Łódź Logistics');
        expect(doc.getAuthor()).toBe('Jane Müller');
        expect(doc.getSubject()).toBe('Quote');
        expect(doc.getProducer()).toBe('Resident');
        expect(doc.getCreationDate()?.toISOString()).toBe('2026-03-14T09:30:00.000Z');
        expect(String(doc.catalog.get(PDFName.of('Lang')))).toBe('(en-GB)');
    });

    it('turns links into link annotations with their URLs', async () => {
        const { pdf } = await render(await quoteDocument(5));
        const doc = await PDFDocument.load(pdf.bytes);
        const annots = doc.getPage(0).node.lookup(PDFName.of('Annots'), PDFArray);
        const uris = annots
            .asArray()
            .map((ref) => doc.context.lookup(ref, PDFDict))
            .map((annot) => annot.lookup(PDFName.of('A'), PDFDict))
            .map((action) => action.lookup(PDFName.of('URI'), PDFHexString).decodeText());
        expect(uris).toEqual(
            expect.arrayContaining(['https://example.com/terms', 'mailto:sales@example.com'])
        );
    });

    it('renders the same description to the same bytes', async () => {
        const description = await quoteDocument(30);
        const first = await renderPdf(description, { now: new Date(0) });
        const second = await renderPdf(description, { now: new Date(0) });
        expect(first.bytes).toEqual(second.bytes);
    });
});

/**
 * The relay's PDFs checked with real PDF tools from Debian (qpdf, poppler-utils), the way a
 * customer's viewer, archive or search index would read them. The renderer is pure, so it runs
 * here in Node, imported by relative path: the same module the Worker bundles.
 * `npm test` installs the tools when run as root (scripts/prerequisites.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DocumentDescription } from '../../force-app/main/default/lwc/documentModel/documentModel';
import * as embeddedFonts from '../../relay/src/pdf/fonts/embeddedFonts';
import { renderPdf } from '../../relay/src/pdf/pdfRenderer';
import {
    documentWith,
    imageDocument,
    paragraph,
    quoteDocument,
    UNICODE_SAMPLES,
    unicodeDocument
} from '../../relay/test/fixtures/pdf/sampleDocuments';
import { FONT_SOURCES, FONTS_DIR } from '../buildPdfFonts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = path.join(repoRoot, '.tmp', 'pdf-output');

function tool(
    command: string,
    ...args: string[]
): { status: number; stdout: string; stderr: string } {
    const result = spawnSync(command, args, { encoding: 'utf8' });
    if (result.error) throw result.error;
    return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** Renders a description to .tmp/pdf-output/<name>.pdf (kept for a person to open). */
async function renderTo(name: string, description: DocumentDescription) {
    const pdf = await renderPdf(description, { now: new Date('2026-03-14T09:30:00Z') });
    const file = path.join(outDir, `${name}.pdf`);
    writeFileSync(file, pdf.bytes);
    return { file, pdf };
}

interface FontRow {
    name: string;
    type: string;
    emb: string;
    sub: string;
    uni: string;
}

function pdffonts(file: string): FontRow[] {
    const lines = tool('pdffonts', file).stdout.trim().split('\n').slice(2);
    return lines.map((line) => {
        const cells = line.trim().split(/\s{2,}|\s(?=yes|no)/);
        const [name, type, , emb, sub, uni] = [
            cells[0]!,
            cells[1]!,
            cells[2]!,
            ...line.match(/\b(yes|no)\b/g)!
        ];
        return { name, type, emb: emb!, sub: sub!, uni: uni! };
    });
}

function pdfinfo(file: string): Record<string, string> {
    const info: Record<string, string> = {};
    for (const line of tool('pdfinfo', file).stdout.split('\n')) {
        const at = line.indexOf(':');
        if (at > 0) info[line.slice(0, at)] = line.slice(at + 1).trim();
    }
    return info;
}

/** Text per page in reading order, as `pdftotext -layout` extracts it. */
function pdftotext(file: string): string[] {
    return tool('pdftotext', '-layout', '-enc', 'UTF-8', file, '-').stdout.split('\f');
}

/** Bidi control marks poppler adds around right-to-left text it extracts. */
const stripBidiMarks = (s: string) => s.replace(/[\u200e\u200f\u202a-\u202e]/g, '');

beforeAll(() => {
    mkdirSync(outDir, { recursive: true });
});

describe('a quote with a multi-page table', () => {
    let file = '';
    let pageCount = 0;
    beforeAll(async () => {
        const rendered = await renderTo('quote', await quoteDocument(120));
        file = rendered.file;
        pageCount = rendered.pdf.pageCount;
    });

    it('passes qpdf --check', () => {
        const result = tool('qpdf', '--check', file);
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
        expect(result.stdout).toContain('No syntax or stream encoding errors found');
    });

    it('has the page count, title, author, producer and paper size pdfinfo reports', () => {
        const info = pdfinfo(file);
        expect(pageCount).toBeGreaterThan(3);
        expect(info.Pages).toBe(String(pageCount));
        expect(info.Title).toBe('Quote Q-00042 for Łódź Logistics');
        expect(info.Author).toBe('Jane Müller');
        expect(info.Producer).toBe('Resident');
        expect(info.CreationDate).toMatch(/2026/);
        expect(info['Page size']).toMatch(/^595\.28 x 841\.89 pts \(A4\)$/);
    });

    it('embeds only subset fonts with Unicode maps', () => {
        const fonts = pdffonts(file);
        expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual([
            'NotoSans-Bold',
            'NotoSans-Regular'
        ]);
        for (const font of fonts) {
            expect(font.name).toMatch(/^[A-Z]{6}\+/);
            expect(font.type).toBe('CID TrueType');
            expect([font.emb, font.sub, font.uni]).toEqual(['yes', 'yes', 'yes']);
        }
    });

    it('reads in order: letterhead, introduction, every row once, totals, terms', () => {
        const pages = pdftotext(file);
        const all = pages.join('\n');
        const order = [
            'Acme Widgets GmbH',
            'Quote Q-00042',
            'Prepared for Łódź Logistics Sp. z o.o.',
            'Items',
            'WID-00001',
            'WID-00060',
            'WID-00120',
            'Total',
            '€123,456.78',
            'Terms',
            '1. Payment within 30 days',
            '– free above €500 within the EU;'
        ];
        const positions = order.map((needle) => all.indexOf(needle));
        expect(
            positions.every((p) => p >= 0),
            `missing: ${order.filter((_, i) => positions[i]! < 0)}`
        ).toBe(true);
        expect([...positions].sort((a, b) => a - b)).toEqual(positions);
        for (let i = 1; i <= 120; i++) {
            const code = `WID-${String(i).padStart(5, '0')}`;
            expect(all.split(code).length - 1, code).toBe(1);
        }
    });

    it('repeats the table header and prints "Page N of M" on every page', () => {
        const pages = pdftotext(file).filter((p) => p.trim() !== '');
        expect(pages).toHaveLength(pageCount);
        pages.forEach((page, index) => {
            expect(page).toContain(`Page ${index + 1} of ${pageCount}`);
            expect(page).toContain('Acme Widgets GmbH');
            if (index > 0 && index < pageCount - 1) {
                expect(page).toMatch(/Code\s+Description\s+Qty\s+Unit price\s+Amount/);
            }
        });
    });

    it('renders pages a person can read (pdftoppm)', () => {
        const prefix = path.join(outDir, 'quote-page');
        const result = tool('pdftoppm', '-png', '-r', '50', '-f', '1', '-l', '1', file, prefix);
        expect(result.status).toBe(0);
        const png = readFileSync(`${prefix}-1.png`);
        expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
        expect(png.length).toBeGreaterThan(10_000);
    });
});

describe('Unicode text', () => {
    let file = '';
    beforeAll(async () => {
        const rendered = await renderTo('unicode', unicodeDocument());
        file = rendered.file;
        expect(rendered.pdf.missingCharacters).toEqual([]);
    });

    it('extracts accented Latin, Greek and Cyrillic exactly as written', () => {
        const text = pdftotext(file).join('');
        expect(text).toContain(UNICODE_SAMPLES.latin);
        expect(text).toContain(UNICODE_SAMPLES.greek);
        expect(text).toContain(UNICODE_SAMPLES.cyrillic);
    });

    it('extracts Hebrew as words in reading order, right-aligned on the page', () => {
        const pageText = pdftotext(file)[0]!;
        const hebrewLine = pageText.split('\n').find((l) => /[\u05d0-\u05ea]/.test(l))!;
        expect(stripBidiMarks(hebrewLine).trim()).toBe(UNICODE_SAMPLES.hebrew);
        // Right-aligned: the line starts far to the right in the layout.
        expect(hebrewLine.length - hebrewLine.trimStart().length).toBeGreaterThan(40);
        for (const word of ['המחיר', 'הוא', '1,234.50', '₪', 'כולל']) {
            expect(stripBidiMarks(pageText)).toContain(word);
        }
    });

    it('embeds the Hebrew font as a subset beside Noto Sans, and keeps the title in Unicode', () => {
        const names = pdffonts(file).map((f) => f.name.replace(/^[A-Z]{6}\+/, ''));
        expect(names).toContain('NotoSansHebrew-Regular');
        expect(pdfinfo(file).Title).toBe('Unicode — Ελληνικά, Русский, עברית');
        expect(pdfinfo(file).Author).toBe('Zoë Ångström');
    });

    it('extracts a missing character as U+FFFD, never as something else', async () => {
        const { file: missing, pdf } = await renderTo(
            'missing-glyphs',
            documentWith([paragraph(`Kanji ${UNICODE_SAMPLES.uncovered} end`)])
        );
        expect(pdf.missingCharacters).toHaveLength(2);
        expect(pdftotext(missing).join('')).toContain('Kanji \ufffd\ufffd end');
        expect(tool('qpdf', '--check', missing).status).toBe(0);
    });
});

describe('images', () => {
    let file = '';
    beforeAll(async () => {
        file = (await renderTo('images', await imageDocument())).file;
    });

    it('passes qpdf --check with PNG (alpha, palette, interlaced, grey) and JPEG images', () => {
        expect(tool('qpdf', '--check', file).status).toBe(0);
    });

    it('holds every image, transparent ones with a soft mask (pdfimages -list)', () => {
        const rows = tool('pdfimages', '-list', file)
            .stdout.trim()
            .split('\n')
            .slice(2)
            .map((line) => line.trim().split(/\s+/));
        const images = rows.filter((r) => r[2] === 'image');
        const masks = rows.filter((r) => r[2] === 'smask');
        expect(images).toHaveLength(6);
        // The transparent logo, the palette PNG with transparency and the interlaced one decoded.
        expect(masks.length).toBeGreaterThanOrEqual(2);
        expect(images.map((r) => r[8])).toContain('jpeg');
        expect(images.map((r) => `${r[3]}x${r[4]}`)).toEqual(
            expect.arrayContaining(['64x64', '40x20', '33x17', '1600x100', '30x30', '71x100'])
        );
    });
});

describe('page settings', () => {
    it('prints Letter landscape and Legal at their paper sizes', async () => {
        const letter = await renderTo(
            'letter-landscape',
            documentWith([paragraph('Landscape')], {
                page: {
                    size: 'Letter',
                    orientation: 'landscape',
                    margins: { top: 36, right: 36, bottom: 36, left: 36 }
                }
            })
        );
        expect(pdfinfo(letter.file)['Page size']).toBe('792 x 612 pts (letter)');
        const legal = await renderTo(
            'legal',
            documentWith([paragraph('Legal')], {
                page: {
                    size: 'Legal',
                    orientation: 'portrait',
                    margins: { top: 36, right: 36, bottom: 36, left: 36 }
                }
            })
        );
        expect(pdfinfo(legal.file)['Page size']).toMatch(/^612 x 1008 pts/);
    });
});

describe('the embedded fonts', () => {
    it('are exactly the committed .ttf subsets (embeddedFonts.ts is generated from them)', () => {
        for (const font of FONT_SOURCES) {
            const packed = (embeddedFonts as Record<string, string>)[font.exportName]!;
            const unpacked = inflateSync(Buffer.from(packed, 'base64'));
            expect(
                unpacked.equals(readFileSync(path.join(FONTS_DIR, font.output))),
                font.output
            ).toBe(true);
        }
    });
});

/**
 * c/pdfText's extraction against the real pdf.js (pdfjs-dist's legacy build, the one bundled into
 * the static resource), on PDFs made with pdf-lib: text PDFs, an image-only (scanned) PDF, an
 * encrypted one, and bytes that are not a PDF. Then the static resource itself, loaded the way
 * `loadScript` loads it (a classic script in a fresh global), reads the same PDF.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createContext, runInContext } from 'node:vm';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
    extractTextWith,
    PdfTextError,
    type PdfJsLike
} from '../../force-app/main/default/lwc/pdfText/pdfTextExtraction';
import { buildPdfJsResource } from '../buildPdfJsResource';

const library = pdfjs as unknown as PdfJsLike;

// pdf.js 6 needs Promise.withResolvers, which Node 20 lacks (browsers have it; the static
// resource carries the same fallback).
beforeAll(() => {
    const promise = Promise as unknown as { withResolvers?: () => unknown };
    promise.withResolvers ??= () => {
        let resolve: unknown;
        let reject: unknown;
        const p = new Promise((res, rej) => {
            resolve = res;
            reject = rej;
        });
        return { promise: p, resolve, reject };
    };
});
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = path.join(repoRoot, '.tmp', 'pdf-text');

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

async function textPdf(pages: string[][]): Promise<ArrayBuffer> {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    for (const lines of pages) {
        const page = doc.addPage([595, 842]);
        lines.forEach((line, i) => page.drawText(line, { x: 50, y: 780 - i * 20, size: 12, font }));
    }
    return toArrayBuffer(await doc.save());
}

/** A "scanned" page: a picture and no text layer. */
async function imageOnlyPdf(): Promise<ArrayBuffer> {
    const doc = await PDFDocument.create();
    // A 1×1 grey PNG.
    const png = Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==',
        'base64'
    );
    const image = await doc.embedPng(png);
    doc.addPage([595, 842]).drawImage(image, { x: 0, y: 0, width: 595, height: 842 });
    return toArrayBuffer(await doc.save());
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
    try {
        await promise;
    } catch (error) {
        expect(error).toBeInstanceOf(PdfTextError);
        return (error as PdfTextError).code;
    }
    throw new Error('expected the extraction to fail');
}

describe('pdf text extraction (pdfjs-dist, Node)', () => {
    it('reads every page, in order, line by line', async () => {
        const bytes = await textPdf([
            ['Refund policy', 'Refunds are issued within 30 days.'],
            ['Shipping', 'Orders ship in two business days.']
        ]);
        const result = await extractTextWith(library, bytes);
        expect(result.pages).toBe(2);
        expect(result.text).toContain('Refund policy');
        expect(result.text).toContain('Refunds are issued within 30 days.');
        expect(result.text.indexOf('Refund policy')).toBeLessThan(result.text.indexOf('Shipping'));
        // Pages are separated by a blank line, lines by a line break.
        expect(result.text).toMatch(/30 days\.\n\nShipping/);
    });

    it('leaves the caller its bytes', async () => {
        const bytes = await textPdf([['Kept']]);
        await extractTextWith(library, bytes);
        expect(bytes.byteLength).toBeGreaterThan(0);
    });

    it('says "no text" for a scanned, image-only PDF', async () => {
        expect(await codeOf(extractTextWith(library, await imageOnlyPdf()))).toBe('no_text');
    });

    it('says "unreadable" for bytes that are not a PDF', async () => {
        const bytes = new TextEncoder().encode('hello, not a pdf').buffer as ArrayBuffer;
        expect(await codeOf(extractTextWith(library, bytes))).toBe('unreadable');
    });

    it('says "encrypted" when the PDF needs a password', async () => {
        // pdf-lib cannot encrypt; qpdf (one of the PDF tools this layer needs) can.
        mkdirSync(outDir, { recursive: true });
        const plain = path.join(outDir, 'plain.pdf');
        const locked = path.join(outDir, 'locked.pdf');
        writeFileSync(plain, Buffer.from(await textPdf([['Secret terms']])));
        const qpdf = spawnSync('qpdf', [
            '--encrypt',
            'user-pw',
            'owner-pw',
            '256',
            '--',
            plain,
            locked
        ]);
        expect(qpdf.status, String(qpdf.stderr)).toBe(0);
        expect(await codeOf(extractTextWith(library, toArrayBuffer(readFileSync(locked))))).toBe(
            'encrypted'
        );
    });
});

describe('the Resident_PdfJs static resource', () => {
    let resource: string;

    beforeAll(async () => {
        const file = path.join(outDir, 'Resident_PdfJs.js');
        await buildPdfJsResource(file);
        resource = readFileSync(file, 'utf8');
    }, 60_000);

    it('is a classic script that installs pdf.js and its main-thread worker, and reads a PDF', async () => {
        // A fresh global without Node's `process`, as a browser page has: what `loadScript` gives.
        // Web APIs Node also has (Blob, Response, URL...) are lent to it; Node's own are not.
        const sandbox: Record<string, unknown> = {};
        const context = createContext(sandbox);
        const own = new Set(
            runInContext('Object.getOwnPropertyNames(globalThis)', context) as string[]
        );
        const nodeOnly = new Set(['process', 'global', 'Buffer', 'require', 'module', 'exports']);
        for (const name of Object.getOwnPropertyNames(globalThis)) {
            if (!own.has(name) && !nodeOnly.has(name) && !name.startsWith('__')) {
                sandbox[name] = (globalThis as Record<string, unknown>)[name];
            }
        }
        sandbox.window = sandbox;
        sandbox.self = sandbox;
        runInContext(resource, context);
        expect(
            typeof (sandbox.pdfjsWorker as { WorkerMessageHandler?: unknown })?.WorkerMessageHandler
        ).toBe('function');
        const bundled = sandbox.pdfjsLib as PdfJsLike;
        const result = await extractTextWith(
            bundled,
            await textPdf([['From the static resource']])
        );
        expect(result).toEqual({ text: 'From the static resource', pages: 1 });
    }, 60_000);
});

/**
 * Builds the static resource Resident_PdfJs: pdf.js (pdfjs-dist, legacy build for every browser
 * Lightning supports) and its worker code in one classic script that sets `window.pdfjsLib`, the
 * form `loadScript` from lightning/platformResourceLoader can load (pdfjs-dist ships only ES modules).
 * The worker code is installed as `globalThis.pdfjsWorker`, which makes pdf.js run it on the main
 * thread instead of starting a Web Worker (Lightning Web Security does not allow one from a static
 * resource). Generated at build time and git-ignored: it is 1.9 MB of a pinned dependency.
 *
 * Usage: npx tsx scripts/buildPdfJsResource.ts   (also run by scripts/buildComponents.ts)
 */
import { build } from 'esbuild';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PDFJS_RESOURCE_FILE = path.join(
    repoRoot,
    'force-app',
    'main',
    'default',
    'staticresources',
    'Resident_PdfJs.js'
);

/** Static resources are limited to 5 MB; stay well under it. */
const MAX_BYTES = 4 * 1024 * 1024;

const ENTRY = `
// pdf.js 6 expects Promise.withResolvers (every browser since 2024); older ones get this one line.
if (typeof Promise.withResolvers !== 'function') {
    Promise.withResolvers = function () {
        let resolve, reject;
        const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
        return { promise, resolve, reject };
    };
}
import * as pdfjsLib from 'pdfjs-dist/legacy/build/pdf.min.mjs';
import { WorkerMessageHandler } from 'pdfjs-dist/legacy/build/pdf.worker.min.mjs';
globalThis.pdfjsWorker = { WorkerMessageHandler };
globalThis.pdfjsLib = pdfjsLib;
`;

export async function buildPdfJsResource(outFile: string = PDFJS_RESOURCE_FILE): Promise<number> {
    await mkdir(path.dirname(outFile), { recursive: true });
    const result = await build({
        stdin: { contents: ENTRY, resolveDir: repoRoot, loader: 'js' },
        bundle: true,
        format: 'iife',
        platform: 'browser',
        target: 'es2020',
        minify: true,
        legalComments: 'eof',
        outfile: outFile,
        logLevel: 'error',
        // pdf.js's Node-only branches import these; they are never reached in a browser.
        external: ['fs', 'http', 'https', 'url', 'zlib', 'canvas', 'path2d', 'node:*'],
        banner: {
            js: '/* Resident_PdfJs: pdfjs-dist (Apache-2.0), built by scripts/buildPdfJsResource.ts */'
        }
    });
    if (result.errors.length > 0) {
        throw new Error(result.errors.map((e) => e.text).join('\n'));
    }
    const { size } = await stat(outFile);
    if (size > MAX_BYTES) {
        throw new Error(`${path.basename(outFile)} is ${size} bytes, over the ${MAX_BYTES} bound`);
    }
    return size;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    const size = await buildPdfJsResource();
    console.log(`Resident_PdfJs: ${(size / 1024).toFixed(0)} KiB`);
}

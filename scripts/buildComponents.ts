/**
 * Compiles the components' TypeScript to the JavaScript the platform deploys: each
 * `lwc/<name>/<file>.ts` becomes `lwc/<name>/<file>.js` beside it. Types are stripped and nothing
 * else changes (decorators such as `@api` and `@wire` stay for the LWC compiler), so what
 * Salesforce receives reads like the source. Tests (`__tests__`) and declaration files are skipped.
 *
 * Usage: npx tsx scripts/buildComponents.ts [--check]
 *   --check  fail when a compiled .js is missing or stale instead of writing it.
 */
import { transformAsync } from '@babel/core';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPdfJsResource } from './buildPdfJsResource';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const componentsDir = path.join(repoRoot, 'force-app', 'main', 'default', 'lwc');

const GENERATED_BANNER =
    '// Generated from the TypeScript source beside this file by scripts/buildComponents.ts. Do not edit.\n';

/** Every TypeScript source file that becomes deployable JavaScript. */
export async function listComponentSources(dir: string = componentsDir): Promise<string[]> {
    const found: string[] = [];
    for (const bundle of await readdir(dir, { withFileTypes: true })) {
        if (!bundle.isDirectory()) continue;
        const bundleDir = path.join(dir, bundle.name);
        for (const file of await readdir(bundleDir, { withFileTypes: true })) {
            if (file.isFile() && file.name.endsWith('.ts') && !file.name.endsWith('.d.ts')) {
                found.push(path.join(bundleDir, file.name));
            }
        }
    }
    return found.sort();
}

/** Strips the types of one component module, keeping decorators and everything else as written. */
export async function compileComponentSource(source: string, filename: string): Promise<string> {
    const result = await transformAsync(source, {
        filename,
        babelrc: false,
        configFile: false,
        comments: true,
        retainLines: false,
        presets: [
            ['@babel/preset-typescript', { onlyRemoveTypeImports: false, allowDeclareFields: true }]
        ],
        plugins: [['@babel/plugin-syntax-decorators', { version: '2023-11' }]]
    });
    if (!result?.code) {
        throw new Error(`${path.relative(repoRoot, filename)}: compiled to nothing`);
    }
    return GENERATED_BANNER + result.code + '\n';
}

async function main(): Promise<void> {
    const checkOnly = process.argv.includes('--check');
    const sources = await listComponentSources();
    let passed = 0;
    let failed = 0;
    for (const tsFile of sources) {
        const jsFile = tsFile.replace(/\.ts$/, '.js');
        const rel = path.relative(repoRoot, tsFile);
        try {
            const compiled = await compileComponentSource(await readFile(tsFile, 'utf8'), tsFile);
            if (checkOnly) {
                const existing = await readFile(jsFile, 'utf8').catch(() => '');
                if (existing !== compiled) {
                    throw new Error(
                        'compiled JavaScript is missing or stale; run npm run build:components'
                    );
                }
            } else {
                await writeFile(jsFile, compiled);
            }
            passed++;
        } catch (error) {
            failed++;
            console.error(`✖ ${rel}: ${(error as Error).message}`);
        }
    }
    // The static resource c/pdfText loads; generated beside the components, never committed.
    if (!checkOnly) {
        try {
            await buildPdfJsResource();
            passed++;
        } catch (error) {
            failed++;
            console.error(`✖ static resource Resident_PdfJs: ${(error as Error).message}`);
        }
    }
    console.log(`${passed} passed, ${failed} failed`);
    if (failed > 0) process.exitCode = 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    await main();
}

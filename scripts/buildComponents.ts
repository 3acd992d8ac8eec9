/**
 * Compiles the components' TypeScript to the JavaScript the platform deploys: each
 * `lwc/<name>/<file>.ts` becomes `lwc/<name>/<file>.js` beside it. Types are stripped and nothing
 * else changes (decorators such as `@api` and `@wire` stay for the LWC compiler), so what
 * Salesforce receives reads like the source. Tests (`__tests__`) and declaration files are skipped.
 *
 * A component whose source imports an npm package (e.g. `soqlParser`) cannot deploy as written:
 * the platform resolves only `lwc`, `lightning/*`, `@salesforce/*` and `c/*`. Such a source is
 * bundled with the package by esbuild into one self-contained, minified ES module instead, checked
 * against the platform's size limit for a component's JavaScript file.
 *
 * Usage: npx tsx scripts/buildComponents.ts [--check]
 *   --check  fail when a compiled .js is missing or stale instead of writing it.
 */
import { transformAsync } from '@babel/core';
import { build } from 'esbuild';
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

/** Specifiers the platform resolves itself; any other bare specifier names an npm package. */
const PLATFORM_SPECIFIER = /^(?:lwc$|lightning\/|@salesforce\/|c\/)/;
const IMPORT_SPECIFIER = /(?:^|[\s;])(?:import|export)\s(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/g;

/** The npm packages a component source imports at run time (type-only imports excluded). */
export function npmImportsOf(source: string): string[] {
    const found = new Set<string>();
    for (const match of source.matchAll(IMPORT_SPECIFIER)) {
        const statement = match[0].trimStart();
        const specifier = match[1] as string;
        if (/^(?:import|export)\s+type\s/.test(statement)) continue;
        if (specifier.startsWith('.') || PLATFORM_SPECIFIER.test(specifier)) continue;
        found.add(specifier);
    }
    return [...found];
}

/**
 * The platform refuses a component JavaScript file over 1,000,000 bytes (Salesforce's "Component
 * JavaScript File" guide; older releases said 128 KB, which is why the bundle is minified).
 */
export const PLATFORM_MAX_JS_BYTES = 1_000_000;

/** `$A` is Aura's global: the platform's compiler refuses any identifier of that name (LWC1503). */
const RESERVED_IDENTIFIER = /(?:^|[^\w$])\$A(?![\w$])/;
/** Code built from strings at run time. */
const CODE_FROM_STRINGS = /(?:^|[^\w$.])(?:eval|Function)\(/;

/** "name version (license), with dependency (license), …", from the installed package.json files. */
async function describePackage(name: string): Promise<string> {
    const read = async (pkg: string) =>
        JSON.parse(
            await readFile(path.join(repoRoot, 'node_modules', pkg, 'package.json'), 'utf8')
        ) as { version: string; license?: string; dependencies?: Record<string, string> };
    const own = await read(name);
    const deps = await Promise.all(
        Object.keys(own.dependencies ?? {}).map(
            async (dep) => `${dep} (${(await read(dep).catch(() => null))?.license ?? 'unknown'})`
        )
    );
    return `${name} ${own.version} (${own.license ?? 'unknown'})${deps.length ? `, with ${deps.join(', ')}` : ''}`;
}

/** Bundles a component source with the npm packages it imports into one minified ES module. */
export async function bundleComponentSource(filename: string, packages: string[]): Promise<string> {
    const result = await build({
        // An unbound reference to `$A` (dropped as dead code) keeps the minifier from naming a
        // variable `$A`, which the platform refuses.
        stdin: {
            contents: `export * from ${JSON.stringify('./' + path.basename(filename))};\nif (false) { $A; }\n`,
            resolveDir: path.dirname(filename),
            sourcefile: `${path.basename(filename)}.bundle.js`,
            loader: 'js'
        },
        bundle: true,
        minify: true,
        format: 'esm',
        target: 'es2020',
        platform: 'browser',
        legalComments: 'eof',
        write: false,
        logLevel: 'silent'
    });
    // lodash finds the global object with `Function("return this")()` when `self` is missing: say
    // `globalThis` instead, so the bundle builds no code from strings (Lightning Web Security and
    // the security review's scanners refuse that).
    const code = (result.outputFiles[0]?.text ?? '').replaceAll(
        'Function("return this")()',
        'globalThis'
    );
    if (RESERVED_IDENTIFIER.test(code)) {
        throw new Error('the bundle names something $A, which the platform refuses');
    }
    if (CODE_FROM_STRINGS.test(code)) {
        throw new Error(
            'the bundle calls eval or the Function constructor, which the platform refuses'
        );
    }
    const credits = await Promise.all(packages.map(describePackage));
    const banner =
        GENERATED_BANNER +
        `// Bundles ${credits.join('; ')}. Their bundled license notices are at the end.\n`;
    const bundled = banner + code;
    const bytes = Buffer.byteLength(bundled, 'utf8');
    if (bytes > PLATFORM_MAX_JS_BYTES) {
        throw new Error(
            `the bundle is ${bytes} bytes; the platform accepts at most ${PLATFORM_MAX_JS_BYTES}`
        );
    }
    return bundled;
}

/**
 * The deployable JavaScript of one component module: its types stripped, keeping decorators and
 * everything else as written, or, when it imports npm packages, a bundle of it and them.
 */
export async function compileComponentSource(source: string, filename: string): Promise<string> {
    const packages = npmImportsOf(source);
    if (packages.length > 0) {
        return bundleComponentSource(filename, packages);
    }
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

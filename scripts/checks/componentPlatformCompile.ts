/**
 * Compiles every component's deployable JavaScript with @lwc/sfdc-lwc-compiler, the compiler the
 * Salesforce platform runs on deploy, so template errors, syntax errors, forbidden APIs and
 * imports the platform would refuse fail here instead of in a customer's org.
 *
 * Run after scripts/buildComponents.ts (the platform never sees our TypeScript).
 * Usage: npx tsx scripts/checks/componentPlatformCompile.ts [lwcDir]
 */
import { compile } from '@lwc/sfdc-lwc-compiler';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const defaultLwcDir = path.join(repoRoot, 'force-app', 'main', 'default', 'lwc');

/** Files the platform receives for a bundle; TypeScript and tests never deploy (.forceignore). */
const DEPLOYED_EXTENSIONS = ['.js', '.html', '.css', '.svg'];
/** Module namespaces the platform provides; anything else must be one of our own bundles. */
const PLATFORM_IMPORTS = [/^lwc$/, /^lightning\//, /^@salesforce\//, /^@lwc\/state$/];

/** Diagnostic levels as @lwc/errors numbers them: Fatal 0, Error 1, Warning 2, Log 3. */
const WARNING_LEVEL = 2;

interface Finding {
    bundle: string;
    message: string;
}

async function readSourceApiVersion(): Promise<number> {
    const project = JSON.parse(
        await readFile(path.join(repoRoot, 'sfdx-project.json'), 'utf8')
    ) as {
        sourceApiVersion: string;
    };
    return Number(project.sourceApiVersion);
}

async function compileBundle(
    lwcDir: string,
    name: string,
    ownBundles: Set<string>,
    apiVersion: number
) {
    const bundleDir = path.join(lwcDir, name);
    const files: Record<string, string> = {};
    for (const entry of await readdir(bundleDir, { withFileTypes: true })) {
        if (entry.isFile() && DEPLOYED_EXTENSIONS.includes(path.extname(entry.name))) {
            files[entry.name] = await readFile(path.join(bundleDir, entry.name), 'utf8');
        }
    }
    const errors: Finding[] = [];
    const warnings: Finding[] = [];
    if (!files[`${name}.js`]) {
        errors.push({
            bundle: name,
            message: `${name}.js is missing: run npm run build:components first`
        });
        return { errors, warnings };
    }
    const output = await compile({
        bundle: { type: 'platform', namespace: 'c', name, files, options: { apiVersion } }
    });
    const diagnostics = [
        ...output.diagnostics,
        ...(output.results ?? []).flatMap((r) => r.diagnostics)
    ];
    for (const d of diagnostics) {
        const where = d.filename
            ? `${d.filename}${d.location ? `:${d.location.line}:${d.location.column}` : ''}`
            : '';
        const finding = { bundle: name, message: `${where} ${d.message}`.trim() };
        (d.level < WARNING_LEVEL ? errors : warnings).push(finding);
    }
    if (!output.success && errors.length === 0) {
        errors.push({ bundle: name, message: 'compilation failed without a diagnostic' });
    }
    // The compiler only warns about modules it does not know; on the platform they fail to load.
    for (const result of output.results ?? []) {
        for (const imported of result.imports) {
            const id = imported.specifier;
            const isPlatform = PLATFORM_IMPORTS.some((pattern) => pattern.test(id));
            const isOwn = id.startsWith('c/') && ownBundles.has(id.slice(2));
            if (!isPlatform && !isOwn) {
                errors.push({
                    bundle: name,
                    message: `imports "${id}", which the platform cannot resolve`
                });
            }
        }
    }
    return { errors, warnings: dedupe(warnings) };
}

function dedupe(findings: Finding[]): Finding[] {
    const seen = new Set<string>();
    return findings.filter((f) => !seen.has(f.message) && seen.add(f.message));
}

async function main(): Promise<void> {
    const lwcDir = path.resolve(process.argv[2] ?? defaultLwcDir);
    const apiVersion = await readSourceApiVersion();
    const bundles = (await readdir(lwcDir, { withFileTypes: true }))
        .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
        .map((e) => e.name)
        .sort();
    const ownBundles = new Set(bundles);
    let passed = 0;
    let failed = 0;
    for (const name of bundles) {
        const { errors, warnings } = await compileBundle(lwcDir, name, ownBundles, apiVersion);
        for (const w of warnings) console.warn(`  warning ${w.bundle}: ${w.message}`);
        if (errors.length > 0) {
            failed++;
            console.error(`✖ ${name}`);
            for (const e of dedupe(errors)) console.error(`    ${e.message}`);
        } else {
            passed++;
            console.log(`✔ ${name}`);
        }
    }
    console.log(`${passed} passed, ${failed} failed`);
    if (failed > 0 || bundles.length === 0) process.exitCode = 1;
}

await main();

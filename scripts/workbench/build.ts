/**
 * Builds the local workbench: a Lightning-style record page with Resident's components, real
 * lightning base components and SLDS, whose platform modules (`lightning/uiRecordApi`,
 * `@salesforce/apex/*`, ...) reach the stand-in org instead of Salesforce.
 *
 * Usage: npx tsx scripts/workbench/build.ts   (writes .tmp/workbench)
 */
import { transformAsync } from '@babel/core';
import lwc from '@lwc/rollup-plugin';
import nodeResolve from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup, type Plugin } from 'rollup';
import { compileComponentSource, listComponentSources } from '../buildComponents';
import { readCustomLabels } from './labels';

const workbenchDir = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(workbenchDir, '..', '..');
export const defaultOutDir = path.join(repoRoot, '.tmp', 'workbench');
const componentsDir = path.join(repoRoot, 'force-app', 'main', 'default', 'lwc');
const labelsFile = path.join(
    repoRoot,
    'force-app',
    'main',
    'default',
    'labels',
    'CustomLabels.labels-meta.xml'
);
const pageDir = path.join(workbenchDir, 'page');
const standInOrgModulesDir = path.join(workbenchDir, 'standInOrgModules');
const sldsAssetsDir = path.join(
    repoRoot,
    'node_modules',
    '@salesforce-ux',
    'design-system',
    'assets'
);

/** Platform modules the stand-in org answers, by the name components import them with. */
const STAND_IN_ORG_MODULES: Record<string, string> = {
    'lightning/messageService': 'messageService.ts',
    'lightning/navigation': 'navigation.ts',
    'lightning/platformResourceLoader': 'platformResourceLoader.ts',
    'lightning/platformShowToastEvent': 'platformShowToastEvent.ts',
    'lightning/uiRecordApi': 'uiRecordApi.ts',
    'lightning/uiObjectInfoApi': 'uiObjectInfoApi.ts',
    'lightning/uiRelatedListApi': 'uiRelatedListApi.ts',
    'lightning/uiListsApi': 'uiListsApi.ts',
    '@salesforce/user/Id': 'userId.ts'
};

export const VIRTUAL = '\0workbench:';

/**
 * Base component gates the workbench closes. The package's stub opens every gate, but a
 * form-associated combobox (`attachInternals`) cannot run under synthetic shadow, which the
 * workbench uses as Lightning Experience does: every lightning-combobox would throw.
 */
const CLOSED_GATES = new Set(['@salesforce/gate/bc.260.enableComboboxElementInternals']);

/**
 * The Resident components the pages place (tag → component folder). Each is optional at build
 * time: the lead merges the branches that add them, and until then the page shows a note.
 */
export const PAGE_COMPONENTS: Record<string, string> = {
    'c-coworker-panel': 'coworkerPanel',
    'c-activity-log': 'activityLog',
    'c-knowledge-manager': 'knowledgeManager',
    'c-trust-settings': 'trustSettings',
    'c-document-generator': 'documentGenerator',
    'c-report-scheduler': 'reportScheduler',
    'c-trust-center': 'trustCenter',
    'c-template-editor': 'templateEditor',
    'c-document-batch-generator': 'documentBatchGenerator'
};

/**
 * `@salesforce/i18n/*`: the user's locale settings. The stand-in users have none of their own, so
 * the platform's defaults for a new US user, overridable per page load with `?locale=de-DE`,
 * `?timeZone=Europe/Berlin`, `?currency=EUR` to see a document in another user's formats.
 */
const I18N_DEFAULTS: Record<string, string> = {
    locale: 'en-US',
    lang: 'en-US',
    timeZone: 'America/Los_Angeles',
    currency: 'USD',
    dir: 'ltr'
};

/** Where static resources are served, as `/resource/<timestamp>/<name>` is on the platform. */
export const STATIC_RESOURCE_PREFIX = '/resource/1700000000000/';

const pageComponentsModule = path.join(pageDir, 'pageComponents.ts');

/** The source of page/pageComponents.ts for the components that exist (`c/<name>` resolvable). */
export function pageComponentsSource(present: Set<string>): string {
    const imports: string[] = [];
    const found: string[] = [];
    const missing: Record<string, string> = {};
    for (const [tag, folder] of Object.entries(PAGE_COMPONENTS)) {
        if (present.has(folder)) {
            const name = `Component${imports.length}`;
            imports.push(`import ${name} from ${JSON.stringify(`c/${folder}`)};`);
            found.push(`${JSON.stringify(tag)}: ${name}`);
        } else {
            missing[tag] = folder;
        }
    }
    return (
        `${imports.join('\n')}\n` +
        `export const pageComponents = { ${found.join(', ')} };\n` +
        `export const missingComponents = ${JSON.stringify(missing)};\n`
    );
}

export interface WorkbenchBuildResult {
    outDir: string;
    durationMs: number;
    /** Bytes of every file the build wrote (JS chunks, CSS, HTML, icons), uncompressed. */
    outputBytes: number;
}

/** Resolves the platform's module names to the stand-in org and strips the workbench's TypeScript. */
export function standInOrgModules(
    labels: Map<string, string>,
    presentComponents: Set<string> = new Set()
): Plugin {
    const apexModule = path.join(standInOrgModulesDir, 'apex.ts');
    return {
        name: 'resident-stand-in-org-modules',
        resolveId(source, importer) {
            const file = STAND_IN_ORG_MODULES[source];
            if (file) {
                return path.join(standInOrgModulesDir, file);
            }
            if (
                source === '@salesforce/apex' ||
                source.startsWith('@salesforce/apex/') ||
                source.startsWith('@salesforce/schema/') ||
                source.startsWith('@salesforce/resourceUrl/') ||
                source.startsWith('@salesforce/messageChannel/') ||
                source.startsWith('@salesforce/customPermission/') ||
                // Base components keep their own i18n stubs; Resident's components get the user's.
                (source.startsWith('@salesforce/i18n/') && !importer?.includes('node_modules')) ||
                source.startsWith('@salesforce/label/c.')
            ) {
                return VIRTUAL + source;
            }
            if (CLOSED_GATES.has(source)) {
                return VIRTUAL + source;
            }
            if (importer?.startsWith(VIRTUAL) && path.isAbsolute(source)) {
                return source;
            }
            return null;
        },
        load(id) {
            if (id === pageComponentsModule) {
                return pageComponentsSource(presentComponents);
            }
            if (!id.startsWith(VIRTUAL)) {
                return null;
            }
            const source = id.slice(VIRTUAL.length);
            if (CLOSED_GATES.has(source)) {
                return 'export default { isOpen: () => false };';
            }
            if (source === '@salesforce/apex') {
                return `export { refreshApex } from ${JSON.stringify(apexModule)};`;
            }
            if (source.startsWith('@salesforce/apex/')) {
                const match = /^@salesforce\/apex\/(\w+)\.(\w+)$/.exec(source);
                if (!match) {
                    this.error(`${source}: an Apex import must be @salesforce/apex/Class.method`);
                }
                return (
                    `import { apexMethod } from ${JSON.stringify(apexModule)};\n` +
                    `export default apexMethod(${JSON.stringify(match[1])}, ${JSON.stringify(match[2])});`
                );
            }
            if (source.startsWith('@salesforce/schema/')) {
                const [objectApiName, ...field] = source
                    .slice('@salesforce/schema/'.length)
                    .split('.');
                const value = field.length
                    ? { objectApiName, fieldApiName: field.join('.') }
                    : { objectApiName };
                return `export default ${JSON.stringify(value)};`;
            }
            if (source.startsWith('@salesforce/resourceUrl/')) {
                const resource = source.slice('@salesforce/resourceUrl/'.length);
                if (!/^\w+$/.test(resource)) {
                    this.error(`${source}: a static resource name has letters, digits and _ only`);
                }
                return `export default ${JSON.stringify(STATIC_RESOURCE_PREFIX + resource)};`;
            }
            if (source.startsWith('@salesforce/i18n/')) {
                const setting = source.slice('@salesforce/i18n/'.length);
                const fallback = I18N_DEFAULTS[setting];
                if (fallback === undefined) {
                    this.error(
                        `${source}: the workbench knows ${Object.keys(I18N_DEFAULTS).join(', ')}`
                    );
                }
                return (
                    `const chosen = new URLSearchParams(window.location.search).get(${JSON.stringify(setting)});\n` +
                    `export default chosen || ${JSON.stringify(fallback)};`
                );
            }
            if (source.startsWith('@salesforce/customPermission/')) {
                // Whether the workbench user holds it: the stand-in org says so at sign-in.
                const permission = source.slice('@salesforce/customPermission/'.length);
                const sessionModule = path.join(standInOrgModulesDir, 'session.ts');
                return (
                    `import { hasCustomPermission } from ${JSON.stringify(sessionModule)};\n` +
                    `export default hasCustomPermission(${JSON.stringify(permission)});`
                );
            }
            if (source.startsWith('@salesforce/messageChannel/')) {
                // The channel is its name: lightning/messageService matches subscribers by it.
                return `export default ${JSON.stringify(source.slice('@salesforce/messageChannel/'.length))};`;
            }
            const name = source.slice('@salesforce/label/c.'.length);
            const text = labels.get(name);
            if (text === undefined) {
                // A typo'd label would show the raw import on the platform: fail here instead.
                this.error(
                    `Custom Label "c.${name}" is not in force-app/main/default/labels/CustomLabels.labels-meta.xml (imported as ${source})`
                );
            }
            return `export default ${JSON.stringify(text)};`;
        },
        async transform(code, id) {
            if (
                !id.endsWith('.ts') ||
                !id.startsWith(workbenchDir) ||
                id === pageComponentsModule
            ) {
                return null;
            }
            const result = await transformAsync(code, {
                filename: id,
                babelrc: false,
                configFile: false,
                sourceMaps: true,
                presets: [['@babel/preset-typescript', { allowDeclareFields: true }]],
                plugins: [['@babel/plugin-syntax-decorators', { version: '2023-11' }]]
            });
            return result?.code ? { code: result.code, map: result.map } : null;
        }
    };
}

/** `c/<name>` for every component whose deployable JavaScript exists (written by buildComponents). */
async function componentAliases(): Promise<{ name: string; path: string }[]> {
    const aliases: { name: string; path: string }[] = [];
    for (const entry of await readdir(componentsDir, { withFileTypes: true })) {
        if (!entry.isDirectory()) continue;
        const js = path.join(componentsDir, entry.name, `${entry.name}.js`);
        if (await stat(js).catch(() => undefined)) {
            aliases.push({ name: `c/${entry.name}`, path: js });
        }
    }
    return aliases;
}

/** Writes the components' JavaScript from their TypeScript, as `npm run build:components` does. */
async function buildComponents(): Promise<void> {
    for (const tsFile of await listComponentSources(componentsDir)) {
        const compiled = await compileComponentSource(await readFile(tsFile, 'utf8'), tsFile);
        const jsFile = tsFile.replace(/\.ts$/, '.js');
        const existing = await readFile(jsFile, 'utf8').catch(() => '');
        if (existing !== compiled) {
            await writeFile(jsFile, compiled);
        }
    }
}

async function copyAssets(outDir: string): Promise<void> {
    const assets = path.join(outDir, 'assets');
    await mkdir(path.join(assets, 'styles'), { recursive: true });
    await cp(
        path.join(sldsAssetsDir, 'styles', 'salesforce-lightning-design-system.min.css'),
        path.join(assets, 'styles', 'salesforce-lightning-design-system.min.css')
    );
    await cp(path.join(sldsAssetsDir, 'images'), path.join(assets, 'images'), { recursive: true });
    // Base components fall back to these sprites for icons they have no inline template for.
    for (const sprite of ['action', 'custom', 'doctype', 'standard', 'utility']) {
        await cp(
            path.join(sldsAssetsDir, 'icons', `${sprite}-sprite`),
            path.join(assets, 'icons', `${sprite}-sprite`),
            { recursive: true }
        );
    }
    await cp(path.join(pageDir, 'index.html'), path.join(outDir, 'index.html'));
    await cp(path.join(pageDir, 'workbench.css'), path.join(outDir, 'workbench.css'));
}

async function directoryBytes(dir: string): Promise<number> {
    let total = 0;
    for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
        if (entry.isFile()) {
            total += (await stat(path.join(entry.parentPath, entry.name))).size;
        }
    }
    return total;
}

export async function buildWorkbench(
    options: { outDir?: string; mode?: 'production' | 'development' } = {}
): Promise<WorkbenchBuildResult> {
    const started = performance.now();
    const outDir = options.outDir ?? defaultOutDir;
    const mode = options.mode ?? 'production';
    await buildComponents();
    const labels = await readCustomLabels(labelsFile);
    const aliases = await componentAliases();
    const present = new Set(aliases.map((alias) => alias.name.slice('c/'.length)));
    const bundle = await rollup({
        input: path.join(pageDir, 'main.ts'),
        plugins: [
            standInOrgModules(labels, present),
            replace({
                preventAssignment: true,
                values: {
                    'import.meta.env.SSR': 'false',
                    'process.env.NODE_ENV': JSON.stringify(mode)
                }
            }),
            lwc({
                rootDir: path.join(pageDir, 'lwc'),
                enableDynamicComponents: true,
                modules: [
                    ...aliases,
                    { dir: path.join(pageDir, 'lwc') },
                    { npm: 'lightning-base-components' }
                ]
            }),
            nodeResolve()
        ],
        onwarn(warning, warn) {
            // Base components' own circular imports and `this` at module level are expected.
            if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') {
                return;
            }
            // The base components' own template warnings are theirs to fix, not ours.
            if (
                (warning.id ?? warning.loc?.file ?? '').includes(
                    `${path.sep}node_modules${path.sep}`
                )
            ) {
                return;
            }
            warn(warning);
        }
    });
    await rm(outDir, { recursive: true, force: true });
    await bundle.write({
        dir: outDir,
        format: 'es',
        entryFileNames: 'main.js',
        chunkFileNames: 'chunks/[name]-[hash].js'
    });
    await bundle.close();
    await copyAssets(outDir);
    return {
        outDir,
        durationMs: Math.round(performance.now() - started),
        outputBytes: await directoryBytes(outDir)
    };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    try {
        const result = await buildWorkbench();
        if (process.argv.includes('--json')) {
            // For callers that run the build in a process of its own (the e2e setup).
            console.log(JSON.stringify(result));
        } else
            console.log(
                `Workbench built in ${(result.durationMs / 1000).toFixed(1)} s into ${path.relative(repoRoot, result.outDir)} (${(result.outputBytes / 1024 / 1024).toFixed(1)} MiB on disk)`
            );
    } catch (error) {
        console.error(`✖ Workbench build failed: ${(error as Error).message}`);
        process.exitCode = 1;
    }
}

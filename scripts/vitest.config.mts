import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';
import { readFile } from 'node:fs/promises';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const LABEL_PREFIX = '@salesforce/label/c.';

/**
 * Components the scripts import (c/documentMerge in the document tests) import Custom Labels as
 * the platform serves them: here each resolves to its value in the package's labels file, and an
 * unknown label fails, as a deploy would.
 */
function decodeXml(text: string): string {
    return text
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
        .replace(/&amp;/g, '&');
}

function customLabels(): Plugin {
    // The same reading as scripts/workbench/labels.ts (a config file cannot import it without
    // an extension Vite's native loader wants).
    const labels = readFile(
        `${repoRoot}force-app/main/default/labels/CustomLabels.labels-meta.xml`,
        'utf8'
    ).then((xml) => {
        const values = new Map<string, string>();
        for (const [, body = ''] of xml.matchAll(/<labels>([\s\S]*?)<\/labels>/g)) {
            const name = /<fullName>([\s\S]*?)<\/fullName>/.exec(body)?.[1]?.trim();
            const value = /<value>([\s\S]*?)<\/value>/.exec(body)?.[1];
            if (name && value !== undefined) values.set(name, decodeXml(value));
        }
        return values;
    });
    return {
        name: 'resident-custom-labels',
        resolveId: (source) => (source.startsWith(LABEL_PREFIX) ? `\0${source}` : null),
        async load(id) {
            if (!id.startsWith(`\0${LABEL_PREFIX}`)) return null;
            const name = id.slice(LABEL_PREFIX.length + 1);
            const value = (await labels).get(name);
            if (value === undefined)
                throw new Error(`Custom Label "c.${name}" is not in the labels file`);
            return `export default ${JSON.stringify(value)};`;
        }
    };
}

// Tests of the Node-side scripts (stand-ins, orchestrators); run from the repo root with
// `npx vitest run --config scripts/vitest.config.mts`.
export default defineConfig({
    root: fileURLToPath(new URL('.', import.meta.url)),
    plugins: [customLabels()],
    // The components' TypeScript is the source of truth: prefer it to the generated .js beside it,
    // which may be stale between two `npm run build:components`. `c/x` is the platform's name for
    // the component force-app/main/default/lwc/x.
    resolve: {
        extensions: ['.ts', '.mts', '.js', '.mjs', '.json'],
        alias: [
            {
                find: /^c\/([A-Za-z0-9]+)$/,
                replacement: `${repoRoot}force-app/main/default/lwc/$1/$1`
            }
        ]
    },
    test: {
        include: ['**/*.test.ts'],
        // The browser end-to-end tests have their own config (scripts/e2e/vitest.config.mts).
        exclude: ['e2e/**', '**/node_modules/**'],
        environment: 'node',
        testTimeout: 20_000
    }
});

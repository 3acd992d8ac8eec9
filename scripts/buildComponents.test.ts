import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
    PLATFORM_MAX_JS_BYTES,
    compileComponentSource,
    componentsDir,
    npmImportsOf
} from './buildComponents';

describe('scripts/buildComponents', () => {
    describe('npmImportsOf', () => {
        it('finds npm packages and ignores what the platform resolves', () => {
            const source = [
                "import { LightningElement } from 'lwc';",
                "import getTask from '@salesforce/apex/CoworkerTaskController.getTask';",
                "import { getRecord } from 'lightning/uiRecordApi';",
                "import { guardSoql } from 'c/soqlGuard';",
                "import type { Query } from '@jetstreamapp/soql-parser-js';",
                "export type { Query as Q } from 'some-types-only';",
                "import './local';",
                "export { parseQuery } from '@jetstreamapp/soql-parser-js';",
                "import 'side-effect-package';"
            ].join('\n');
            expect(npmImportsOf(source)).toEqual([
                '@jetstreamapp/soql-parser-js',
                'side-effect-package'
            ]);
        });
    });

    describe('the soqlParser bundle', () => {
        const entry = path.join(componentsDir, 'soqlParser', 'soqlParser.ts');
        let dir = '';
        afterAll(async () => {
            if (dir) await rm(dir, { recursive: true, force: true });
        });

        it('is one self-contained module the platform accepts, and it parses SOQL', async () => {
            const { readFile } = await import('node:fs/promises');
            const code = await compileComponentSource(await readFile(entry, 'utf8'), entry);
            expect(Buffer.byteLength(code)).toBeLessThan(PLATFORM_MAX_JS_BYTES);
            const banner = code.slice(0, 400);
            expect(banner).toMatch(/^\/\/ Generated from the TypeScript source/);
            expect(banner).toMatch(/Bundles @jetstreamapp\/soql-parser-js 6\.3\.1 \(MIT\)/);
            // No identifier the platform refuses (tested without printing 190 KB on failure).
            expect(/(?:^|[^\w$])\$A(?![\w$])/.test(code)).toBe(false);
            // Nor code built from strings (lodash's global lookup is rewritten to globalThis).
            expect(/(?:^|[^\w$.])(?:eval|Function)\(/.test(code)).toBe(false);
            expect(code).toContain('globalThis');

            // Loaded from an empty directory: any import left unresolved would fail here.
            dir = await mkdtemp(path.join(tmpdir(), 'soql-bundle-'));
            const file = path.join(dir, 'soqlParser.mjs');
            await writeFile(file, code);
            const parser = (await import(pathToFileURL(file).href)) as {
                parseQuery(soql: string): { sObject?: string };
                composeQuery(query: object): string;
            };
            const query = parser.parseQuery("select Name from Account where Rating = 'Hot'");
            expect(query.sObject).toBe('Account');
            expect(parser.composeQuery(query)).toBe(
                "SELECT Name FROM Account WHERE Rating = 'Hot'"
            );
        });
    });
});

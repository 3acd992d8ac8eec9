import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Plugin, PluginContext } from 'rollup';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
    startSalesforceOrgStandIn,
    type SalesforceOrgStandIn
} from '../standins/salesforceOrgStandIn/index';
import { pageComponentsSource, standInOrgModules, STATIC_RESOURCE_PREFIX } from './build';
import { startWorkbenchServer, type WorkbenchServer } from './server';

// The workbench's pages and platform modules that need no browser: which components a build
// places or notes as missing, static resource URLs, and the server's pages and resources.

function load(plugin: Plugin, source: string): string {
    const context = {
        error(message: string): never {
            throw new Error(message);
        }
    } as unknown as PluginContext;
    const resolveId = plugin.resolveId as (this: PluginContext, s: string) => unknown;
    const loadHook = plugin.load as (this: PluginContext, id: string) => unknown;
    return String(loadHook.call(context, String(resolveId.call(context, source))));
}

describe('the page components a build places', () => {
    test('imports the components that exist and lists the others as missing', () => {
        const source = pageComponentsSource(new Set(['coworkerPanel', 'trustSettings']));
        expect(source).toContain('from "c/coworkerPanel"');
        expect(source).toContain('from "c/trustSettings"');
        expect(source).not.toContain('c/activityLog"');
        expect(source).toContain('"c-activity-log":"activityLog"');
        expect(source).toContain('"c-knowledge-manager":"knowledgeManager"');
        expect(source).toContain('"c-report-scheduler":"reportScheduler"');
    });
});

describe('@salesforce/customPermission', () => {
    test('answers from the workbench user’s session, as the platform answers for the user', () => {
        const source = load(
            standInOrgModules(new Map()),
            '@salesforce/customPermission/Resident_Manage_Trust_Settings'
        );
        expect(source).toContain('hasCustomPermission("Resident_Manage_Trust_Settings")');
        expect(source).toMatch(/standInOrgModules[\\/]session\.ts/);
    });
});

describe('@salesforce/resourceUrl', () => {
    test('is the URL the workbench serves the static resource at', () => {
        expect(load(standInOrgModules(new Map()), '@salesforce/resourceUrl/pdfjs')).toBe(
            `export default ${JSON.stringify(`${STATIC_RESOURCE_PREFIX}pdfjs`)};`
        );
    });

    test('refuses a name that is not a static resource name', () => {
        expect(() => load(standInOrgModules(new Map()), '@salesforce/resourceUrl/../x')).toThrow(
            /static resource name/
        );
    });

    test('lightning/platformResourceLoader and platformShowToastEvent are the workbench modules', () => {
        const resolveId = standInOrgModules(new Map()).resolveId as (s: string) => unknown;
        expect(String(resolveId('lightning/platformResourceLoader'))).toMatch(
            /standInOrgModules[\\/]platformResourceLoader\.ts$/
        );
        expect(String(resolveId('lightning/platformShowToastEvent'))).toMatch(
            /standInOrgModules[\\/]platformShowToastEvent\.ts$/
        );
    });
});

describe('the workbench server', () => {
    let org: SalesforceOrgStandIn;
    let server: WorkbenchServer;
    let dir: string;

    beforeAll(async () => {
        dir = await mkdtemp(path.join(tmpdir(), 'resident-workbench-'));
        const root = path.join(dir, 'built');
        const resources = path.join(dir, 'staticresources');
        await mkdir(path.join(resources, 'pdfjs', 'build'), { recursive: true });
        await writeFile(path.join(resources, 'pdfjs', 'build', 'pdf.min.js'), 'window.pdf = 1;');
        await writeFile(path.join(resources, 'logo.png'), 'png bytes');
        await writeFile(path.join(resources, 'logo.resource-meta.xml'), '<StaticResource/>');
        await mkdir(root, { recursive: true });
        await writeFile(
            path.join(root, 'index.html'),
            '<html lang="en"><head><!--workbench-session--></head><body></body></html>'
        );
        org = await startSalesforceOrgStandIn({ port: 0 });
        server = await startWorkbenchServer({
            orgStandInUrl: org.url,
            root,
            staticResourcesDir: resources
        });
    });

    afterAll(async () => {
        await server.close();
        await org.close();
        await rm(dir, { recursive: true, force: true });
    });

    test('serves the Home page and each app page, signed in as the chosen user', async () => {
        for (const [key, url] of Object.entries(server.appPageUrls)) {
            const html = await (await fetch(`${url}?user=sam`)).text();
            expect(html).toContain(`data-page="${key}"`);
            expect(html).toContain('sam.seller@resident.standin');
        }
        const record = await (await fetch(server.recordPageUrl)).text();
        expect(record).toContain('data-page="record" data-record-id="');
    });

    test('serves a folder static resource by path and a single-file one by name', async () => {
        const script = await fetch(`${server.url}${STATIC_RESOURCE_PREFIX}pdfjs/build/pdf.min.js`);
        expect(script.status).toBe(200);
        expect(script.headers.get('content-type')).toMatch(/javascript/);
        expect(await script.text()).toBe('window.pdf = 1;');
        const logo = await fetch(`${server.url}${STATIC_RESOURCE_PREFIX}logo`);
        expect(await logo.text()).toBe('png bytes');
    });

    test("serves the stand-in seed's sample logo, which the package does not ship", async () => {
        const logo = await fetch(`${server.url}${STATIC_RESOURCE_PREFIX}Resident_SampleLogo`);
        expect(logo.status).toBe(200);
        expect(logo.headers.get('content-type')).toBe('image/png');
        const bytes = new Uint8Array(await logo.arrayBuffer());
        expect([...bytes.slice(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
    });

    test('answers 404 for a missing resource and never leaves the resources folder', async () => {
        expect((await fetch(`${server.url}${STATIC_RESOURCE_PREFIX}nothing`)).status).toBe(404);
        const escape = await fetch(
            `${server.url}${STATIC_RESOURCE_PREFIX}pdfjs/..%2F..%2Fbuilt%2Findex.html`
        );
        expect([403, 404]).toContain(escape.status);
    });
});

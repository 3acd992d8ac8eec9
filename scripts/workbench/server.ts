/**
 * Serves the built workbench page on 127.0.0.1 and proxies `/services/` and `/__standin/` to the
 * stand-in org, so the page and "its org" share one origin, as a Lightning page and its org do.
 *
 * Usage: npx tsx scripts/workbench/server.ts   (env WORKBENCH_PORT, default 8790;
 *        SALESFORCE_STANDIN_URL, default http://127.0.0.1:8789; serves .tmp/workbench)
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import {
    createServer,
    request as httpRequest,
    type IncomingMessage,
    type ServerResponse
} from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { SAMPLE_ACCOUNT_ID, STANDIN_USERNAMES } from '../standins/salesforceOrgStandIn/seedData';
import { defaultOutDir, repoRoot, STATIC_RESOURCE_PREFIX } from './build';

/** The users the page can be viewed as, keyed by the `?user=` value the switcher sets. */
export const WORKBENCH_USERS = {
    ada: { username: STANDIN_USERNAMES.ada, displayName: 'Ada Admin' },
    sam: { username: STANDIN_USERNAMES.sam, displayName: 'Sam Seller' }
} as const;
export type WorkbenchUserKey = keyof typeof WORKBENCH_USERS;

/** Where a Lightning record page lives, e.g. /lightning/r/Account/001.../view. */
export function recordPagePath(objectApiName: string, recordId: string): string {
    return `/lightning/r/${objectApiName}/${recordId}/view`;
}

/** The Home page and the app pages (Lightning tabs), by the `data-page` key main.ts mounts. */
export const APP_PAGE_PATHS = {
    home: '/lightning/page/home',
    'activity-log': '/lightning/n/Resident_Activity_Log',
    knowledge: '/lightning/n/Resident_Knowledge',
    'trust-settings': '/lightning/n/Resident_Trust_Settings',
    reports: '/lightning/n/Resident_Reports',
    'trust-center': '/lightning/n/Resident_Trust_Center',
    templates: '/lightning/n/Resident_Document_Templates',
    'batch-documents': '/lightning/n/Resident_Batch_Documents'
} as const;
export type AppPageKey = keyof typeof APP_PAGE_PATHS;

const defaultStaticResourcesDir = path.join(
    repoRoot,
    'force-app',
    'main',
    'default',
    'staticresources'
);
/**
 * Files the stand-in org's seed data refers to as static resources but the package does not ship
 * (the sample Quote template's logo). Test doubles: served only when the package has no resource
 * of that name.
 */
const standInResourcesDir = path.join(repoRoot, 'scripts', 'workbench', 'standInResources');

export interface WorkbenchServerOptions {
    port?: number;
    host?: '127.0.0.1';
    /** The stand-in org's base URL, e.g. http://127.0.0.1:8789. */
    orgStandInUrl: string;
    /** The built page (scripts/workbench/build.ts output). */
    root?: string;
    /** The package's static resources (force-app/main/default/staticresources by default). */
    staticResourcesDir?: string;
}

export interface WorkbenchServer {
    url: string;
    /** The sample Account's record page. */
    recordPageUrl: string;
    /** The Home page and the app pages, by key. */
    appPageUrls: Record<AppPageKey, string>;
    close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.jpg': 'image/jpeg',
    '.woff2': 'font/woff2',
    '.json': 'application/json'
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json']);

interface SessionResponse {
    access_token: string;
    id: string;
    /** The stand-in's own login also names the user's custom permissions. */
    customPermissions?: string[];
}

/** Logs the user in at the stand-in org (its test-only login), as the platform's page would be. */
async function openSession(orgStandInUrl: string, userKey: WorkbenchUserKey): Promise<string> {
    const user = WORKBENCH_USERS[userKey];
    const response = await fetch(`${orgStandInUrl}/__standin/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: user.username })
    });
    if (!response.ok) {
        throw new Error(`stand-in org login for ${user.username} answered ${response.status}`);
    }
    const session = (await response.json()) as SessionResponse;
    const context = {
        username: user.username,
        displayName: user.displayName,
        userId: session.id.split('/').pop() ?? '',
        accessToken: session.access_token,
        customPermissions: session.customPermissions ?? []
    };
    // `<` escaped so no field value can close the script element.
    const json = JSON.stringify(context).replace(/</g, '\\u003c');
    return `<script id="workbench-session" type="application/json">${json}</script>`;
}

function sendText(res: ServerResponse, status: number, text: string): void {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(text);
}

function proxy(req: IncomingMessage, res: ServerResponse, orgStandInUrl: string): void {
    const target = new URL(req.url ?? '/', orgStandInUrl);
    const headers = { ...req.headers, host: target.host };
    delete headers.origin;
    const upstream = httpRequest(target, { method: req.method, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
    });
    upstream.on('error', (error) => {
        if (!res.headersSent) {
            res.writeHead(502, { 'content-type': 'application/json' });
        }
        res.end(
            JSON.stringify([
                { errorCode: 'SERVER_UNAVAILABLE', message: `stand-in org: ${error.message}` }
            ])
        );
    });
    req.pipe(upstream);
}

export async function startWorkbenchServer(
    options: WorkbenchServerOptions
): Promise<WorkbenchServer> {
    const root = path.resolve(options.root ?? defaultOutDir);
    const indexFile = path.join(root, 'index.html');
    const staticResourcesDir = path.resolve(
        options.staticResourcesDir ?? defaultStaticResourcesDir
    );
    await stat(indexFile).catch(() => {
        throw new Error(
            `The workbench is not built (${indexFile} is missing): run npx tsx scripts/workbench/build.ts`
        );
    });

    async function servePage(
        res: ServerResponse,
        page: { key: 'record'; recordId: string } | { key: AppPageKey },
        url: URL
    ): Promise<void> {
        const requested = url.searchParams.get('user') ?? 'ada';
        const userKey: WorkbenchUserKey = requested === 'sam' ? 'sam' : 'ada';
        // Both values are matched by the routes below (a key, an id of letters and digits).
        const attributes =
            page.key === 'record'
                ? `data-page="record" data-record-id="${page.recordId}"`
                : `data-page="${page.key}"`;
        const html = (await readFile(indexFile, 'utf8'))
            .replace('<html lang="en">', `<html lang="en" ${attributes}>`)
            .replace('<!--workbench-session-->', await openSession(options.orgStandInUrl, userKey));
        res.writeHead(200, {
            'content-type': CONTENT_TYPES['.html'] ?? 'text/html',
            'cache-control': 'no-store'
        });
        res.end(html);
    }

    /**
     * `/resource/<timestamp>/<name>[/<path>]`: a static resource of the package, as the platform
     * serves it: a folder resource (source format) serves the file at <path>; a single-file
     * resource (`<name>.<ext>` with its -meta.xml) serves that file.
     */
    async function serveStaticResource(req: IncomingMessage, res: ServerResponse, rest: string) {
        const [name = '', ...inner] = rest.split('/');
        if (!/^\w+$/.test(name)) {
            sendText(res, 404, 'Not found');
            return;
        }
        const folder = path.join(staticResourcesDir, name);
        if ((await stat(folder).catch(() => undefined))?.isDirectory()) {
            await serveFile(req, res, '/' + inner.join('/'), folder);
            return;
        }
        for (const dir of [staticResourcesDir, standInResourcesDir]) {
            const entries = await readdir(dir).catch(() => [] as string[]);
            const file = entries.find(
                (entry) => entry.startsWith(`${name}.`) && !entry.endsWith('-meta.xml')
            );
            if (file && inner.length === 0) {
                await serveFile(req, res, '/' + file, dir);
                return;
            }
        }
        sendText(res, 404, 'Not found');
    }

    async function serveFile(
        req: IncomingMessage,
        res: ServerResponse,
        pathname: string,
        base: string = root
    ) {
        const file = path.resolve(base, '.' + decodeURIComponent(pathname));
        if (!file.startsWith(base + path.sep)) {
            sendText(res, 403, 'Forbidden');
            return;
        }
        const info = await stat(file).catch(() => undefined);
        if (!info?.isFile()) {
            sendText(res, 404, 'Not found');
            return;
        }
        const ext = path.extname(file);
        const gzip =
            COMPRESSIBLE.has(ext) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
        res.writeHead(200, {
            'content-type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
            'cache-control': 'no-cache',
            ...(gzip
                ? { 'content-encoding': 'gzip', vary: 'accept-encoding' }
                : {
                      'content-length': String(info.size)
                  })
        });
        const stream = createReadStream(file);
        if (gzip) {
            stream.pipe(createGzip()).pipe(res);
        } else {
            stream.pipe(res);
        }
    }

    const server = createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://workbench.invalid');
        const pathname = url.pathname;
        if (pathname.startsWith('/services/') || pathname.startsWith('/__standin/')) {
            proxy(req, res, options.orgStandInUrl);
            return;
        }
        if (pathname === '/favicon.ico') {
            res.writeHead(204).end();
            return;
        }
        const recordPage = /^\/lightning\/r\/(\w+)\/(\w{15,18})\/view$/.exec(pathname);
        const appPage = (Object.keys(APP_PAGE_PATHS) as AppPageKey[]).find(
            (key) => APP_PAGE_PATHS[key] === pathname
        );
        let handled: Promise<void>;
        if (recordPage) {
            handled = servePage(res, { key: 'record', recordId: recordPage[2] ?? '' }, url);
        } else if (appPage) {
            handled = servePage(res, { key: appPage }, url);
        } else if (pathname.startsWith(STATIC_RESOURCE_PREFIX)) {
            handled = serveStaticResource(req, res, pathname.slice(STATIC_RESOURCE_PREFIX.length));
        } else if (pathname === '/') {
            res.writeHead(302, {
                location: recordPagePath('Account', SAMPLE_ACCOUNT_ID) + url.search
            }).end();
            handled = Promise.resolve();
        } else {
            handled = serveFile(req, res, pathname);
        }
        handled.catch((error: unknown) => {
            if (!res.headersSent) {
                sendText(res, 502, `Workbench: ${(error as Error).message}`);
            } else {
                res.end();
            }
        });
    });
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    return {
        url,
        recordPageUrl: url + recordPagePath('Account', SAMPLE_ACCOUNT_ID),
        appPageUrls: Object.fromEntries(
            Object.entries(APP_PAGE_PATHS).map(([key, pagePath]) => [key, url + pagePath])
        ) as Record<AppPageKey, string>,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            })
    };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    const server = await startWorkbenchServer({
        port: Number(process.env.WORKBENCH_PORT ?? 8790),
        orgStandInUrl: process.env.SALESFORCE_STANDIN_URL ?? 'http://127.0.0.1:8789'
    });
    console.log(`Workbench (test doubles, not Salesforce): ${server.recordPageUrl}`);
    for (const [key, pageUrl] of Object.entries(server.appPageUrls)) {
        console.log(`  ${key.padEnd(15)} ${pageUrl}`);
    }
    const stop = (): void => void server.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
}

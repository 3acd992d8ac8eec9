import type { MiddlewareHandler } from 'hono';
import { PDF_WARNINGS_HEADER } from '../../force-app/main/default/lwc/documentModel/documentModel';
import { REQUEST_ID_HEADER } from '../../force-app/main/default/lwc/relayContract/relayContract';
import { RelayError } from './errors';
import type { RelayEnv } from './relayEnv';

/**
 * Salesforce's own hosts for orgs, sandboxes, scratch orgs and sites. A browser Origin is allowed
 * when it is https, has no port and its host is a strict subdomain of one of these.
 * `force.com` covers `lightning.force.com`, `sandbox.lightning.force.com`, `scratch.lightning...`;
 * `my.salesforce.com` covers `sandbox.my.salesforce.com`, `scratch.my.salesforce.com`, etc.
 */
const SALESFORCE_HOST_SUFFIXES = ['.my.salesforce.com', '.force.com', '.salesforce-sites.com'];

/** Request headers the components may send; a fixed list, never a reflection of what was asked. */
const ALLOWED_REQUEST_HEADERS = [
    'authorization',
    'content-type',
    'anthropic-version',
    REQUEST_ID_HEADER
];
const ALLOWED_METHODS = ['GET', 'POST', 'OPTIONS'];
/**
 * Response headers browser code may read: the request id (to quote to support), retry hints, and
 * what a PDF could not render exactly (characters no font has).
 */
const EXPOSED_HEADERS = [
    REQUEST_ID_HEADER,
    'retry-after',
    PDF_WARNINGS_HEADER,
    'x-resident-egress',
    'x-resident-max-tokens'
];
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export function isSalesforceOrigin(origin: string): boolean {
    const url = parseOrigin(origin);
    if (!url || url.protocol !== 'https:' || url.port !== '') {
        return false;
    }
    return SALESFORCE_HOST_SUFFIXES.some((suffix) => url.hostname.endsWith(suffix));
}

/** The exact extra origins an operator allowed (e.g. the local workbench); a `*` is ignored. */
export function parseAllowedOrigins(configured: string | undefined): Set<string> {
    const origins = new Set<string>();
    for (const entry of (configured ?? '').split(',')) {
        const url = parseOrigin(entry.trim());
        if (url) {
            origins.add(url.origin);
        }
    }
    return origins;
}

export function isAllowedOrigin(origin: string, extraOrigins: ReadonlySet<string>): boolean {
    return isSalesforceOrigin(origin) || extraOrigins.has(origin);
}

/** A URL only when `value` is a plain serialized origin (scheme://host[:port], nothing more). */
function parseOrigin(value: string): URL | undefined {
    if (!URL.canParse(value)) {
        return undefined;
    }
    const url = new URL(value);
    const isHttp = url.protocol === 'https:' || url.protocol === 'http:';
    return isHttp && url.origin === value ? url : undefined;
}

/**
 * CORS for the components in Salesforce: allowed origins are echoed exactly (never `*`), others
 * get 403. Requests without an Origin (server-to-server, tests) pass; auth guards those.
 */
export function salesforceCors(): MiddlewareHandler<RelayEnv> {
    return async (c, next) => {
        // Set up front so error responses carry it too; varyOnOrigin() again after raw Responses.
        c.header('Vary', 'Origin');
        const origin = c.req.header('origin');
        if (origin === undefined) {
            await next();
            varyOnOrigin(c.res.headers);
            return;
        }
        if (!isAllowedOrigin(origin, parseAllowedOrigins(c.env.ALLOWED_ORIGINS))) {
            throw new RelayError(403, 'forbidden', 'This origin may not call the relay.');
        }
        c.header('Access-Control-Allow-Origin', origin);
        const isPreflight =
            c.req.method === 'OPTIONS' &&
            c.req.header('access-control-request-method') !== undefined;
        if (isPreflight) {
            c.header('Access-Control-Allow-Methods', ALLOWED_METHODS.join(', '));
            c.header('Access-Control-Allow-Headers', ALLOWED_REQUEST_HEADERS.join(', '));
            c.header('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
            return c.body(null, 204);
        }
        c.header('Access-Control-Expose-Headers', EXPOSED_HEADERS.join(', '));
        await next();
        // Routes may return their own Response objects; make sure the CORS headers survive.
        c.header('Access-Control-Allow-Origin', origin);
        c.header('Access-Control-Expose-Headers', EXPOSED_HEADERS.join(', '));
        varyOnOrigin(c.res.headers);
    };
}

/** Caches must key on Origin, since the answer differs per origin; adds it once. */
function varyOnOrigin(headers: Headers): void {
    const vary = headers.get('vary') ?? '';
    const varies = vary
        .split(',')
        .some((name) => name.trim().toLowerCase() === 'origin' || name.trim() === '*');
    if (!varies) {
        headers.append('vary', 'Origin');
    }
}

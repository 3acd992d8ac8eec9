/**
 * The workbench user's session with the stand-in org. The workbench server logs the chosen user in
 * (`POST /__standin/session`) and writes the session into the page, the way Salesforce's own pages
 * arrive already signed in. Every stand-in org module calls the org through `orgFetch`.
 */

/** The API version in every UI API and REST path, as a Summer '24 org would serve. */
export const API_VERSION = 'v62.0';

export interface WorkbenchSession {
    username: string;
    userId: string;
    displayName: string;
    accessToken: string;
    /** The custom permissions the user holds (issue 7: `@salesforce/customPermission/*`). */
    customPermissions?: string[];
}

/** What LDS and Apex calls reject with on the platform: the HTTP status and Salesforce's body. */
export interface OrgFetchError {
    status: number;
    statusText: string;
    ok: false;
    body: unknown;
}

let session: WorkbenchSession | undefined;

export function currentSession(): WorkbenchSession {
    if (!session) {
        const element = document.getElementById('workbench-session');
        const parsed: unknown = element ? JSON.parse(element.textContent ?? 'null') : null;
        if (!isWorkbenchSession(parsed)) {
            throw new Error(
                'The workbench page has no stand-in org session: open it through the workbench server.'
            );
        }
        session = parsed;
    }
    return session;
}

function isWorkbenchSession(value: unknown): value is WorkbenchSession {
    const v = value as Partial<WorkbenchSession> | null;
    return (
        typeof v === 'object' &&
        v !== null &&
        typeof v.username === 'string' &&
        typeof v.userId === 'string' &&
        typeof v.accessToken === 'string'
    );
}

/** `@salesforce/customPermission/<name>`: true when the user holds it, undefined when not. */
export function hasCustomPermission(name: string): true | undefined {
    return currentSession().customPermissions?.includes(name) ? true : undefined;
}

/** Calls the stand-in org (same origin: the workbench server proxies it) as the workbench user. */
export async function orgFetch(path: string, init: RequestInit = {}): Promise<unknown> {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${currentSession().accessToken}`);
    headers.set('accept', 'application/json');
    if (init.body !== undefined) {
        headers.set('content-type', 'application/json');
    }
    let response: Response;
    try {
        response = await fetch(path, { ...init, headers });
    } catch (error) {
        const failure: OrgFetchError = {
            status: 0,
            statusText: 'Network error',
            ok: false,
            body: { message: (error as Error).message }
        };
        throw failure;
    }
    const text = await response.text();
    const body: unknown = text ? JSON.parse(text) : null;
    if (!response.ok) {
        const failure: OrgFetchError = {
            status: response.status,
            statusText: response.statusText,
            ok: false,
            body
        };
        throw failure;
    }
    return body;
}

/** UI API path for `resource`, e.g. `records/001...`. */
export function uiApiPath(resource: string): string {
    return `/services/data/${API_VERSION}/ui-api/${resource}`;
}

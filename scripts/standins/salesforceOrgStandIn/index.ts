import { createHmac, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { errors as joseErrors, jwtVerify } from 'jose';
import { cliOption, closeServer, listen, readBody, sendJson } from '../httpUtil';
import { AuraHandledError, defaultApexDoubles, type ApexDouble } from './apexDoubles';
import { OrgError, OrgStore, type OrgUser, type SentEmail } from './orgStore';
import { listReports, runReport } from './reports';
import { answerSchedulerQuery } from './schedulerQueries';
import { objectDef } from './schema';
import { makeId, ORG_ID, type StoredRecord } from './seedData';
import { listInfos, listRecords } from './listViews';
import { objectInfo, queryList, uiRecord } from './uiApi';

/*
 * Salesforce org stand-in: a local TEST DOUBLE of a Salesforce org. It speaks a slice of the REST
 * API, OAuth JWT bearer flow, UI API, Actions and Analytics APIs with Salesforce's JSON shapes, over
 * a deterministic seeded data set, enforcing per-user sharing and field-level security.
 */

export * from './seedData';
export { defaultApexDoubles, type ApexContext } from './apexDoubles';
export {
    OPEN_OPPORTUNITIES_REPORT_ID,
    ACCOUNTS_BY_INDUSTRY_REPORT_ID,
    REPORT_DETAIL_ROW_LIMIT
} from './reports';
export { AuraHandledError, type ApexDouble } from './apexDoubles';

export type Fault = {
    /** The fault hits requests whose path contains this text. */
    pathIncludes: string;
    /** And, when set, only requests whose decoded query string (a SOQL `q`) contains this text. */
    queryIncludes?: string;
    method?: string;
    /** How many matching requests answer with the fault before normal service resumes. */
    times: number;
    status: number;
    errorCode?: string;
    message?: string;
    /**
     * Not an error but a barrier: the matching requests wait until this many have arrived (at most
     * 10 s), then are all served normally. Lets a test make two clients read the same state before
     * either writes (two overlapping cron ticks seeing the same due schedule).
     */
    barrier?: number;
};

export type SalesforceOrgStandInOptions = {
    port?: number;
    host?: '127.0.0.1';
    /** Public key (SPKI PEM or KeyObject) that verifies JWT bearer assertions. */
    jwtPublicKey?: string | KeyObject;
    /** The connected app's consumer key: the JWT's `iss`. */
    consumerKey?: string;
    /** The JWT's expected `aud`; the stand-in's own URL is accepted too. */
    loginUrl?: string;
    /** Browser origins allowed to call the org directly (CORS); none by default. */
    corsOrigins?: string[];
    /** The relay URL the `RelayConnectionController.getRelayConnection` double returns. */
    relayUrl?: string;
    /**
     * The org key (`v1:<keyId>:...`) this stand-in org stores, as the real package stores it in a
     * protected custom setting; the Apex doubles mint session tokens with it. None: not connected.
     */
    orgKey?: string;
    /** API calls allowed before REQUEST_LIMIT_EXCEEDED (per stand-in lifetime or reset). */
    apiRequestLimit?: number;
    /** Let the process exit while the server is still open (a test runner's config). */
    unref?: boolean;
};

export type TokenResponse = {
    access_token: string;
    instance_url: string;
    id: string;
    token_type: 'Bearer';
    scope: string;
    issued_at: string;
    signature: string;
};

export type OrgStandInState = {
    emailsSent: SentEmail[];
    filesUploaded: ReturnType<OrgStore['files']>;
    recordCounts: Record<string, number>;
    apiRequestsUsed: number;
};

export type SalesforceOrgStandIn = {
    url: string;
    close(): Promise<void>;
    store: OrgStore;
    /** Test-double login: a session for an active user, as the token endpoint would give. */
    sessionFor(username: string): TokenResponse;
    registerApexDouble(name: string, implementation: ApexDouble): void;
    injectFault(fault: Fault): void;
    state(): OrgStandInState;
    reset(): void;
};

const DEFAULT_CONSUMER_KEY = 'resident-standin-consumer-key';
const CORS_ALLOWED_HEADERS =
    'authorization, content-type, if-unmodified-since, sforce-query-options, x-chatter-entity-encoding';

type Cursor = { rows: StoredRecord[]; paths: string[]; userId: string; batchSize: number };

function headerValue(req: IncomingMessage, name: string): string | undefined {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
}

/** Salesforce's `+0000` offsets, as Date.parse reads them (`+00:00`). */
function parseSalesforceDateTime(value: unknown): number {
    return Date.parse(String(value ?? '').replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
}

/**
 * A conditional update (`If-Unmodified-Since`, what uiRecordApi sends for `ifUnmodifiedSince`):
 * refused with 412 when the record was saved after that time, so nobody's edit is overwritten.
 */
function refuseIfModifiedSince(record: StoredRecord, since: string | undefined): void {
    if (!since) return;
    const sinceAt = parseSalesforceDateTime(since);
    if (Number.isNaN(sinceAt)) {
        throw new OrgError(400, 'INVALID_HEADER', `If-Unmodified-Since is not a date: ${since}`);
    }
    let modifiedAt = parseSalesforceDateTime(record.fields.LastModifiedDate);
    // An HTTP date (`Tue, 03 Jun 2026 07:00:00 GMT`, the form Salesforce documents) has whole
    // seconds, as a real org's LastModifiedDate has: compare at that precision, so a write in the
    // same second as the time given is not seen as later (the scheduler's claim must allow for it).
    if (/GMT$/i.test(since.trim())) modifiedAt = Math.floor(modifiedAt / 1000) * 1000;
    if (!Number.isNaN(modifiedAt) && modifiedAt > sinceAt) {
        throw new OrgError(
            412,
            'PRECONDITION_FAILED',
            'The record was modified after the time given in If-Unmodified-Since, so it was not updated.'
        );
    }
}

function errorBody(errorCode: string, message: string, fields?: string[]): unknown[] {
    return [fields && fields.length > 0 ? { message, errorCode, fields } : { message, errorCode }];
}

export async function startSalesforceOrgStandIn(
    options: SalesforceOrgStandInOptions = {}
): Promise<SalesforceOrgStandIn> {
    const store = new OrgStore();
    const consumerKey = options.consumerKey ?? DEFAULT_CONSUMER_KEY;
    const corsOrigins = new Set(options.corsOrigins ?? []);
    const apiRequestLimit = options.apiRequestLimit ?? 15_000;
    const publicKey =
        typeof options.jwtPublicKey === 'string'
            ? createPublicKey(options.jwtPublicKey)
            : options.jwtPublicKey;
    const signingSecret = randomBytes(32);
    const apexDoubles = defaultApexDoubles();
    let sessions = new Map<string, string>();
    let cursors = new Map<string, Cursor>();
    let faults: Fault[] = [];
    let apiRequestsUsed = 0;
    let cursorCount = 0;
    let url = '';

    function issueToken(user: OrgUser): TokenResponse {
        const token = store.newSessionToken();
        sessions.set(token, user.id);
        const id = `${url}/id/${ORG_ID}/${user.id}`;
        const issuedAt = String(Date.now());
        return {
            access_token: token,
            instance_url: url,
            id,
            token_type: 'Bearer',
            scope: 'api',
            issued_at: issuedAt,
            signature: createHmac('sha256', signingSecret)
                .update(id + issuedAt)
                .digest('base64')
        };
    }

    function sessionFor(username: string): TokenResponse {
        const user = store.userByUsername(username);
        if (!user || !user.isActive)
            throw new OrgError(400, 'invalid_grant', 'user is unknown or inactive');
        return issueToken(user);
    }

    async function jwtBearerGrant(
        assertion: string
    ): Promise<TokenResponse | { error: string; error_description: string }> {
        const invalid = (error_description: string, error = 'invalid_grant') => ({
            error,
            error_description
        });
        if (!publicKey)
            return invalid('no certificate is configured for this connected app (stand-in)');
        let payload;
        try {
            ({ payload } = await jwtVerify(assertion, publicKey, {
                algorithms: ['RS256'],
                clockTolerance: 5
            }));
        } catch (err) {
            if (err instanceof joseErrors.JWTExpired) return invalid('expired authorization code');
            return invalid('invalid assertion');
        }
        if (payload.iss !== consumerKey)
            return invalid('client identifier invalid', 'invalid_client_id');
        const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
        const accepted = [options.loginUrl, url].filter((a): a is string => typeof a === 'string');
        if (!audiences.some((a) => a !== undefined && accepted.includes(a)))
            return invalid('audience is invalid');
        if (typeof payload.exp !== 'number') return invalid('invalid assertion');
        const user =
            typeof payload.sub === 'string' ? store.userByUsername(payload.sub) : undefined;
        if (!user) return invalid("user hasn't approved this consumer");
        if (!user.isActive) return invalid('inactive user');
        return issueToken(user);
    }

    function authenticatedUser(req: IncomingMessage): OrgUser {
        const header = req.headers.authorization ?? '';
        const match = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header);
        const userId = match?.[1] ? sessions.get(match[1]) : undefined;
        const user = userId ? store.user(userId) : undefined;
        if (!user || !user.isActive)
            throw new OrgError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
        return user;
    }

    async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
        const text = await readBody(req);
        if (text.trim() === '') return {};
        try {
            const parsed = JSON.parse(text) as unknown;
            if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
            return parsed as Record<string, unknown>;
        } catch {
            throw new OrgError(
                400,
                'JSON_PARSER_ERROR',
                'Unexpected character in the request body: not valid JSON'
            );
        }
    }

    function queryPage(
        cursorId: string,
        start: number,
        apiVersion: string,
        user: OrgUser
    ): unknown {
        const cursor = cursors.get(cursorId);
        if (!cursor || cursor.userId !== user.id) {
            throw new OrgError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
        }
        const end = Math.min(start + cursor.batchSize, cursor.rows.length);
        const done = end >= cursor.rows.length;
        const records = cursor.rows
            .slice(start, end)
            .map((r) => store.restRecord(user, r, cursor.paths, apiVersion));
        if (done) cursors.delete(cursorId);
        return {
            totalSize: cursor.rows.length,
            done,
            ...(done
                ? {}
                : { nextRecordsUrl: `/services/data/${apiVersion}/query/${cursorId}-${end}` }),
            records
        };
    }

    async function handleDataApi(
        req: IncomingMessage,
        res: ServerResponse,
        apiVersion: string,
        rest: string,
        query: URLSearchParams,
        cors: Record<string, string>
    ): Promise<void> {
        apiRequestsUsed += 1;
        const limitInfo = {
            'sforce-limit-info': `api-usage=${apiRequestsUsed}/${apiRequestLimit}`,
            ...cors
        };
        const reply = (status: number, body: unknown): void =>
            sendJson(res, status, body, limitInfo);
        if (apiRequestsUsed > apiRequestLimit) {
            throw new OrgError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
        }
        const user = authenticatedUser(req);
        const method = req.method ?? 'GET';
        const parts = rest.split('/').filter(Boolean).map(decodeURIComponent);
        const [area, ...tail] = parts;

        if (area === 'query' && method === 'GET') {
            if (tail[0]) {
                const [cursorId, start] = tail[0].split('-');
                reply(200, queryPage(cursorId ?? '', Number(start ?? 0), apiVersion, user));
                return;
            }
            const soql = query.get('q');
            if (!soql)
                throw new OrgError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
            const answered = answerSchedulerQuery(store, user, soql);
            if (answered) {
                reply(200, answered);
                return;
            }
            const result = store.query(user, soql);
            if (result.countOnly) {
                reply(200, { totalSize: result.records.length, done: true, records: [] });
                return;
            }
            const option = /batchSize=(\d+)/i.exec(
                String(req.headers['sforce-query-options'] ?? '')
            );
            const batchSize = Math.min(2000, Math.max(1, Number(option?.[1] ?? 2000)));
            cursorCount += 1;
            const cursorId = makeId('01g', cursorCount);
            cursors.set(cursorId, {
                rows: result.records,
                paths: result.paths,
                userId: user.id,
                batchSize
            });
            reply(200, queryPage(cursorId, 0, apiVersion, user));
            return;
        }

        if (area === 'search' && method === 'GET' && !tail[0]) {
            const sosl = query.get('q');
            if (!sosl)
                throw new OrgError(400, 'MALFORMED_SEARCH', 'A search string has to be specified');
            const groups = store.search(user, sosl);
            reply(200, {
                searchRecords: groups.flatMap((group) =>
                    group.records.map((r) => store.restRecord(user, r, group.paths, apiVersion))
                )
            });
            return;
        }

        if (area === 'sobjects' && tail[0]) {
            const [type, id] = tail as [string, string | undefined];
            const object = objectDef(type);
            if (!object)
                throw new OrgError(404, 'NOT_FOUND', 'The requested resource does not exist');
            if (!id && method === 'POST') {
                const body = await jsonBody(req);
                const newId =
                    object.apiName === 'ContentVersion'
                        ? store.uploadFile(user, body)
                        : object.apiName === 'ContentDocumentLink'
                          ? store.shareFile(user, body)
                          : store.create(user, object.apiName, body);
                reply(201, { id: newId, success: true, errors: [] });
                return;
            }
            if (id && method === 'GET') {
                const record = store.visibleRecord(user, id, object.apiName);
                const requested = query.get('fields');
                const paths = requested
                    ? requested.split(',').map((f) => f.trim())
                    : store.readableFieldNames(user, object);
                reply(200, store.restRecord(user, record, paths, apiVersion));
                return;
            }
            if (id && method === 'PATCH') {
                const values = await jsonBody(req);
                refuseIfModifiedSince(
                    store.visibleRecord(user, id, object.apiName),
                    headerValue(req, 'if-unmodified-since')
                );
                store.update(user, id, values, object.apiName);
                res.writeHead(204, limitInfo);
                res.end();
                return;
            }
            if (id && method === 'DELETE') {
                store.delete(user, id, object.apiName);
                res.writeHead(204, limitInfo);
                res.end();
                return;
            }
        }

        if (area === 'ui-api') {
            const [kind, target] = tail;
            if (kind === 'list-info' && target && tail.length === 2 && method === 'GET') {
                reply(
                    200,
                    listInfos(
                        store,
                        user,
                        target,
                        query,
                        `/services/data/${apiVersion}/ui-api/list-info/${target}`
                    )
                );
                return;
            }
            if (kind === 'list-records' && target && tail[2] && method === 'GET') {
                reply(200, listRecords(store, user, target, tail[2], query));
                return;
            }
            if (kind === 'object-info' && target && method === 'GET') {
                const object = objectDef(target);
                if (!object)
                    throw new OrgError(404, 'NOT_FOUND', 'The requested resource does not exist');
                reply(200, objectInfo(store, user, object));
                return;
            }
            if (kind === 'records') {
                const list = (name: string): string[] => queryList(query, name);
                const allFieldsOf = (record: StoredRecord): string[] => {
                    const object = objectDef(record.type);
                    return object
                        ? store.readableFieldNames(user, object).map((f) => `${record.type}.${f}`)
                        : [];
                };
                if (target && method === 'GET') {
                    const record = store.visibleRecord(user, target);
                    const fields = list('fields');
                    const optionalFields = list('optionalFields');
                    const noneAsked = fields.length === 0 && optionalFields.length === 0;
                    reply(
                        200,
                        uiRecord(
                            store,
                            user,
                            record,
                            fields,
                            noneAsked ? allFieldsOf(record) : optionalFields
                        )
                    );
                    return;
                }
                if (target && method === 'PATCH') {
                    const body = await jsonBody(req);
                    // uiRecordApi's clientOptions.ifUnmodifiedSince arrives as this header.
                    refuseIfModifiedSince(
                        store.visibleRecord(user, target),
                        headerValue(req, 'if-unmodified-since')
                    );
                    store.update(user, target, (body.fields ?? {}) as Record<string, unknown>);
                    const record = store.visibleRecord(user, target);
                    reply(200, uiRecord(store, user, record, [], allFieldsOf(record)));
                    return;
                }
                if (target && method === 'DELETE') {
                    store.delete(user, target);
                    res.writeHead(204, limitInfo);
                    res.end();
                    return;
                }
                if (!target && method === 'POST') {
                    const body = await jsonBody(req);
                    const id = store.create(
                        user,
                        String(body.apiName ?? ''),
                        (body.fields ?? {}) as Record<string, unknown>
                    );
                    const record = store.visibleRecord(user, id);
                    reply(201, uiRecord(store, user, record, [], allFieldsOf(record)));
                    return;
                }
            }
        }

        if (
            area === 'actions' &&
            tail[0] === 'standard' &&
            tail[1] === 'emailSimple' &&
            method === 'POST'
        ) {
            const body = await jsonBody(req);
            const inputs = Array.isArray(body.inputs)
                ? (body.inputs as Record<string, unknown>[])
                : [];
            if (inputs.length === 0)
                throw new OrgError(
                    400,
                    'JSON_PARSER_ERROR',
                    'inputs: at least one input is required'
                );
            const results = inputs.map((input) => {
                const addresses = String(input.emailAddresses ?? '')
                    .split(',')
                    .map((a) => a.trim())
                    .filter(Boolean);
                const missing = ['emailSubject', 'emailBody'].filter(
                    (k) => typeof input[k] !== 'string' || input[k] === ''
                );
                if (addresses.length === 0) missing.unshift('emailAddresses');
                if (missing.length > 0) {
                    return {
                        actionName: 'emailSimple',
                        errors: [
                            {
                                statusCode: 'REQUIRED_FIELD_MISSING',
                                message: `Missing required input parameter: ${missing.join(', ')}`,
                                fields: missing
                            }
                        ],
                        isSuccess: false,
                        outputValues: null
                    };
                }
                store.emails.push({
                    sentByUserId: user.id,
                    emailAddresses: addresses,
                    subject: String(input.emailSubject),
                    body: String(input.emailBody),
                    inputs: input
                });
                return {
                    actionName: 'emailSimple',
                    errors: null,
                    isSuccess: true,
                    outputValues: null
                };
            });
            reply(results.every((r) => !r.isSuccess) ? 400 : 200, results);
            return;
        }

        if (area === 'analytics' && tail[0] === 'reports') {
            if (!tail[1] && method === 'GET') {
                reply(
                    200,
                    listReports().map((r) => ({
                        ...r,
                        url: `/services/data/${apiVersion}/analytics/reports/${r.id}`
                    }))
                );
                return;
            }
            if (tail[1] && (method === 'POST' || method === 'GET')) {
                reply(200, runReport(store, user, tail[1], apiVersion));
                return;
            }
        }
        throw new OrgError(404, 'NOT_FOUND', 'The requested resource does not exist');
    }

    /** The org key as stored now: rotation and disconnect change it (issue 7). */
    let orgKey = options.orgKey;

    async function handleApexDouble(
        req: IncomingMessage,
        res: ServerResponse,
        className: string,
        methodName: string,
        cors: Record<string, string>
    ): Promise<void> {
        const user = authenticatedUser(req);
        const implementation = apexDoubles.get(`${className}.${methodName}`);
        if (!implementation)
            throw new OrgError(
                404,
                'NOT_FOUND',
                `No Apex double registered for ${className}.${methodName} (stand-in)`
            );
        const params = await jsonBody(req);
        try {
            const result = await implementation(params, {
                user,
                store,
                settings: {
                    relayUrl: options.relayUrl ?? '',
                    orgKey,
                    setOrgKey: (key) => {
                        orgKey = key;
                    },
                    apiRequests: { used: apiRequestsUsed, limit: apiRequestLimit }
                }
            });
            sendJson(res, 200, result ?? null, cors);
        } catch (err) {
            const handled = err instanceof AuraHandledError;
            sendJson(
                res,
                handled ? 400 : 500,
                {
                    message: err instanceof Error ? err.message : String(err),
                    exceptionType: handled
                        ? 'System.AuraHandledException'
                        : 'System.UnexpectedException',
                    isUserDefinedException: false,
                    stackTrace: ''
                },
                cors
            );
        }
    }

    function state(): OrgStandInState {
        return {
            emailsSent: structuredClone(store.emails),
            filesUploaded: store.files(),
            recordCounts: store.recordCounts(),
            apiRequestsUsed
        };
    }

    function reset(): void {
        store.reset();
        sessions = new Map();
        cursors = new Map();
        faults = [];
        apiRequestsUsed = 0;
        orgKey = options.orgKey;
    }

    function takeFault(method: string, path: string, search: string): Fault | undefined {
        const fault = faults.find(
            (f) =>
                f.times > 0 &&
                path.includes(f.pathIncludes) &&
                (!f.queryIncludes || search.includes(f.queryIncludes)) &&
                (!f.method || f.method.toUpperCase() === method)
        );
        if (fault) fault.times -= 1;
        faults = faults.filter((f) => f.times > 0);
        return fault;
    }

    const barrierWaiters = new Map<Fault, (() => void)[]>();
    function reachBarrier(fault: Fault): Promise<void> {
        return new Promise<void>((resolve) => {
            const waiting = barrierWaiters.get(fault) ?? [];
            waiting.push(resolve);
            barrierWaiters.set(fault, waiting);
            const release = () => {
                barrierWaiters.delete(fault);
                for (const go of waiting) go();
            };
            if (waiting.length >= (fault.barrier ?? 1)) release();
            // Never hang a test: after 10 s whoever arrived goes on, and the test's assertions say why.
            else if (waiting.length === 1) setTimeout(release, 10_000).unref();
        });
    }

    async function route(
        req: IncomingMessage,
        res: ServerResponse,
        cors: Record<string, string>
    ): Promise<void> {
        const requestUrl = new URL(req.url ?? '/', 'http://standin.invalid');
        const path = requestUrl.pathname;
        const method = req.method ?? 'GET';
        if (method === 'OPTIONS') {
            res.writeHead(204, {
                ...cors,
                'access-control-allow-methods': 'GET, POST, PATCH, DELETE, OPTIONS',
                'access-control-allow-headers': CORS_ALLOWED_HEADERS,
                'access-control-max-age': '600'
            });
            res.end();
            return;
        }
        if (!path.startsWith('/__standin/')) {
            const fault = takeFault(method, path, [...requestUrl.searchParams.values()].join('\n'));
            if (fault?.barrier) {
                await reachBarrier(fault);
            } else if (fault) {
                sendJson(
                    res,
                    fault.status,
                    errorBody(
                        fault.errorCode ?? 'SERVER_UNAVAILABLE',
                        fault.message ??
                            'Service temporarily unavailable (stand-in fault injection)'
                    ),
                    cors
                );
                return;
            }
        }
        const dataApi = /^\/services\/data\/(v\d+\.\d)\/(.*)$/.exec(path);
        if (dataApi)
            return handleDataApi(
                req,
                res,
                dataApi[1] ?? 'v62.0',
                dataApi[2] ?? '',
                requestUrl.searchParams,
                cors
            );
        if (method === 'POST' && path === '/services/oauth2/token') {
            const form = new URLSearchParams(await readBody(req));
            if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
                sendJson(
                    res,
                    400,
                    {
                        error: 'unsupported_grant_type',
                        error_description: 'grant type not supported'
                    },
                    cors
                );
                return;
            }
            const result = await jwtBearerGrant(form.get('assertion') ?? '');
            sendJson(res, 'error' in result ? 400 : 200, result, cors);
            return;
        }
        if (method === 'POST' && path === '/__standin/session') {
            const body = await jsonBody(req);
            const user = store.userByUsername(String(body.username ?? ''));
            if (!user || !user.isActive) {
                sendJson(
                    res,
                    400,
                    { error: 'invalid_grant', error_description: 'user is unknown or inactive' },
                    cors
                );
                return;
            }
            // The workbench's `@salesforce/customPermission/*` answers from this list (issue 7).
            sendJson(
                res,
                200,
                { ...issueToken(user), customPermissions: [...user.profile.customPermissions] },
                cors
            );
            return;
        }
        const apex = /^\/__standin\/apex\/(\w+)\/(\w+)$/.exec(path);
        if (apex && method === 'POST')
            return handleApexDouble(req, res, apex[1] ?? '', apex[2] ?? '', cors);
        if (method === 'GET' && path === '/__standin/state')
            return sendJson(res, 200, state(), cors);
        if (method === 'GET' && path === '/__standin/health')
            return sendJson(res, 200, { standIn: 'salesforce-org', testDouble: true }, cors);
        if (method === 'POST' && path === '/__standin/reset') {
            reset();
            return sendJson(res, 200, { reset: true }, cors);
        }
        // ---- issue 6 (relay side): bulk rows for the scheduler's paging tests and benchmark ----
        if (method === 'POST' && path === '/__standin/seed') {
            const body = await jsonBody(req);
            const owner = store.userByUsername(String(body.ownerUsername ?? ''));
            const count = Number(body.count ?? 0);
            if (!owner || !Number.isInteger(count) || count < 1 || count > 100_000) {
                throw new OrgError(
                    400,
                    'INVALID_INPUT',
                    'seed needs ownerUsername and a count of 1 to 100,000'
                );
            }
            const template = (body.fields ?? {}) as Record<string, unknown>;
            const ids: string[] = [];
            for (let n = 1; n <= count; n++) {
                const values = Object.fromEntries(
                    Object.entries(template).map(([k, v]) => [
                        k,
                        typeof v === 'string' ? v.replaceAll('{n}', String(n)) : v
                    ])
                );
                ids.push(store.create(owner, String(body.type ?? ''), values));
            }
            return sendJson(
                res,
                200,
                { created: ids.length, firstId: ids[0], lastId: ids.at(-1) },
                cors
            );
        }
        const fileBytes = /^\/__standin\/files\/(\w+)$/.exec(path);
        if (method === 'GET' && fileBytes) {
            const bytes = store.fileBytes.get(fileBytes[1] ?? '');
            if (!bytes) throw new OrgError(404, 'NOT_FOUND', 'no such ContentVersion');
            res.writeHead(200, { 'content-type': 'application/octet-stream', ...cors });
            res.end(bytes);
            return;
        }
        // ---- end of issue 6 (relay side) ----
        if (method === 'POST' && path === '/__standin/faults') {
            const body = await jsonBody(req);
            const list = Array.isArray(body.faults)
                ? (body.faults as Fault[])
                : [body as unknown as Fault];
            for (const fault of list)
                faults.push({ ...fault, times: fault.times ?? 1, status: fault.status ?? 503 });
            return sendJson(res, 200, { pending: faults.length }, cors);
        }
        throw new OrgError(404, 'NOT_FOUND', 'The requested resource does not exist');
    }

    const server = createServer((req, res) => {
        const origin = req.headers.origin;
        const cors: Record<string, string> =
            origin && corsOrigins.has(origin)
                ? {
                      'access-control-allow-origin': origin,
                      'access-control-allow-credentials': 'true',
                      'access-control-expose-headers': 'sforce-limit-info',
                      vary: 'Origin'
                  }
                : {};
        route(req, res, cors).catch((err: unknown) => {
            if (res.headersSent) {
                res.end();
                return;
            }
            if (err instanceof OrgError) {
                sendJson(res, err.status, errorBody(err.errorCode, err.message, err.fields), cors);
                return;
            }
            sendJson(
                res,
                500,
                errorBody(
                    'UNKNOWN_EXCEPTION',
                    `An unexpected error occurred in the stand-in: ${String(err)}`
                ),
                cors
            );
        });
    });

    url = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
    if (options.unref) server.unref();
    return {
        url,
        close: () => closeServer(server),
        store,
        sessionFor,
        registerApexDouble: (name, implementation) => void apexDoubles.set(name, implementation),
        injectFault: (fault) => void faults.push(fault),
        state,
        reset
    };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
    const port = Number(
        cliOption(process.argv, 'port') ?? process.env.SALESFORCE_STANDIN_PORT ?? 8789
    );
    const keyFile =
        cliOption(process.argv, 'jwt-public-key') ?? process.env.SALESFORCE_STANDIN_JWT_PUBLIC_KEY;
    const standIn = await startSalesforceOrgStandIn({
        port,
        host: '127.0.0.1',
        jwtPublicKey: keyFile ? readFileSync(keyFile, 'utf8') : undefined,
        corsOrigins: (
            cliOption(process.argv, 'cors-origins') ??
            process.env.SALESFORCE_STANDIN_CORS_ORIGINS ??
            ''
        )
            .split(',')
            .filter(Boolean),
        relayUrl:
            cliOption(process.argv, 'relay-url') ??
            process.env.RELAY_URL ??
            'http://127.0.0.1:8787',
        orgKey: cliOption(process.argv, 'org-key') ?? process.env.RESIDENT_ORG_KEY
    });
    console.log(`Salesforce org stand-in (test double) listening on ${standIn.url}`);
    const stop = (): void => void standIn.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
}

import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { DEFAULT_SESSION_AUDIENCE } from '../../../force-app/main/default/lwc/relayContract/relayContract';
import { deriveOrgKey } from '../../../relay/src/auth/orgKeys';
import { verifySessionToken } from '../../../relay/src/auth/sessionToken';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
    OPEN_OPPORTUNITIES_REPORT_ID,
    SAMPLE_ACCOUNT_ID,
    SAM_SELLER_ID,
    STANDIN_USERNAMES,
    startSalesforceOrgStandIn,
    type SalesforceOrgStandIn
} from './index';
import { ORG_ID } from './seedData';

const CONSUMER_KEY = 'test-consumer-key';
const LOGIN_URL = 'https://login.salesforce.com';
const V = '/services/data/v62.0';

describe('Salesforce org stand-in (test double)', () => {
    let org: SalesforceOrgStandIn;
    let privateKey: KeyObject;
    let otherPrivateKey: KeyObject;
    let adaToken: string;
    let samToken: string;

    const api = async (
        token: string,
        path: string,
        init: RequestInit & { json?: unknown } = {}
    ): Promise<{ status: number; body: unknown; headers: Headers }> => {
        const headers = new Headers(init.headers);
        headers.set('authorization', `Bearer ${token}`);
        if (init.json !== undefined) headers.set('content-type', 'application/json');
        const res = await fetch(`${org.url}${path}`, {
            ...init,
            headers,
            body: init.json !== undefined ? JSON.stringify(init.json) : init.body
        });
        const text = await res.text();
        return {
            status: res.status,
            body: text ? (JSON.parse(text) as unknown) : null,
            headers: res.headers
        };
    };

    const assertion = (
        claims: { iss?: string; aud?: string; sub?: string; expSeconds?: number },
        key = privateKey
    ) =>
        new SignJWT({})
            .setProtectedHeader({ alg: 'RS256' })
            .setIssuer(claims.iss ?? CONSUMER_KEY)
            .setAudience(claims.aud ?? LOGIN_URL)
            .setSubject(claims.sub ?? STANDIN_USERNAMES.sam)
            .setExpirationTime(Math.floor(Date.now() / 1000) + (claims.expSeconds ?? 180))
            .sign(key);

    const tokenRequest = async (jwt: string) => {
        const res = await fetch(`${org.url}/services/oauth2/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({
                grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
                assertion: jwt
            })
        });
        return { status: res.status, body: (await res.json()) as Record<string, string> };
    };

    beforeAll(async () => {
        const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
        privateKey = pair.privateKey;
        otherPrivateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
        org = await startSalesforceOrgStandIn({
            port: 0,
            host: '127.0.0.1',
            jwtPublicKey: pair.publicKey,
            consumerKey: CONSUMER_KEY,
            loginUrl: LOGIN_URL,
            corsOrigins: ['http://127.0.0.1:8790'],
            relayUrl: 'http://127.0.0.1:8787'
        });
    });
    afterAll(async () => org.close());
    beforeEach(() => {
        org.reset();
        adaToken = org.sessionFor(STANDIN_USERNAMES.ada).access_token;
        samToken = org.sessionFor(STANDIN_USERNAMES.sam).access_token;
    });

    it('grants a token for a valid JWT bearer assertion, usable on the REST API', async () => {
        const { status, body } = await tokenRequest(await assertion({}));
        expect(status).toBe(200);
        expect(body).toMatchObject({ token_type: 'Bearer', instance_url: org.url, scope: 'api' });
        expect(body.id).toContain(SAM_SELLER_ID);
        expect(body.issued_at).toMatch(/^\d+$/);
        expect(body.signature).toBeTruthy();
        const me = await api(
            body.access_token ?? '',
            `${V}/query?q=${encodeURIComponent("SELECT Name FROM User WHERE Id = '" + SAM_SELLER_ID + "'")}`
        );
        expect(me.status).toBe(200);
        expect((me.body as { records: { Name: string }[] }).records[0]?.Name).toBe('Sam Seller');
    });

    it('rejects bad signature, unknown user, deactivated user, expired and wrong issuer', async () => {
        const cases: [Promise<string>, string][] = [
            [assertion({}, otherPrivateKey), 'invalid_grant'],
            [assertion({ sub: 'nobody@resident.standin' }), 'invalid_grant'],
            [assertion({ sub: STANDIN_USERNAMES.deactivated }), 'invalid_grant'],
            [assertion({ expSeconds: -600 }), 'invalid_grant'],
            [assertion({ aud: 'https://evil.example.com' }), 'invalid_grant'],
            [assertion({ iss: 'someone-else' }), 'invalid_client_id']
        ];
        const descriptions: string[] = [];
        for (const [jwt, error] of cases) {
            const { status, body } = await tokenRequest(await jwt);
            expect(status).toBe(400);
            expect(body.error).toBe(error);
            descriptions.push(body.error_description ?? '');
        }
        expect(descriptions).toEqual([
            'invalid assertion',
            "user hasn't approved this consumer",
            'inactive user',
            'expired authorization code',
            'audience is invalid',
            'client identifier invalid'
        ]);
        const noSession = await api('not-a-token', `${V}/query?q=SELECT+Id+FROM+Account`);
        expect(noSession.status).toBe(401);
        expect(noSession.body).toEqual([
            { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }
        ]);
    });

    it('pages a query over 3 pages with nextRecordsUrl (queryMore)', async () => {
        const soql = 'SELECT Id, Name, Account.Name, Owner.Name FROM Contact ORDER BY Name';
        const first = await api(adaToken, `${V}/query?q=${encodeURIComponent(soql)}`, {
            headers: { 'sforce-query-options': 'batchSize=70' }
        });
        type Page = {
            totalSize: number;
            done: boolean;
            nextRecordsUrl?: string;
            records: Record<string, unknown>[];
        };
        const pages: Page[] = [first.body as Page];
        while (!pages.at(-1)?.done) {
            const next = await api(adaToken, pages.at(-1)?.nextRecordsUrl ?? '');
            expect(next.status).toBe(200);
            pages.push(next.body as Page);
        }
        const total = pages[0]?.totalSize ?? 0;
        expect(total).toBeGreaterThan(140);
        expect(total).toBeLessThanOrEqual(210);
        expect(pages).toHaveLength(3);
        expect(pages[0]?.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/query\/01g\w{15}-70$/);
        const all = pages.flatMap((p) => p.records);
        expect(all).toHaveLength(total);
        expect(new Set(all.map((r) => r.Id)).size).toBe(total);
        expect(all[0]).toMatchObject({
            attributes: { type: 'Contact' },
            Account: { attributes: { type: 'Account' } },
            Owner: { attributes: { type: 'User' } }
        });
        const names = all.map((r) => String(r.Name));
        expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    });

    it('supports WHERE with LIKE, IN, AND/OR, LIMIT, and MALFORMED_QUERY', async () => {
        const soql =
            "SELECT Name, StageName FROM Opportunity WHERE (StageName IN ('Closed Won', 'Closed Lost') OR Name LIKE 'Acme%') AND Probability >= 0 ORDER BY Name DESC LIMIT 5";
        const result = await api(adaToken, `${V}/query?q=${encodeURIComponent(soql)}`);
        const records = (result.body as { records: { Name: string; StageName: string }[] }).records;
        expect(records.length).toBeGreaterThan(0);
        expect(records.length).toBeLessThanOrEqual(5);
        for (const r of records)
            expect(r.StageName.startsWith('Closed') || r.Name.startsWith('Acme')).toBe(true);
        const bad = await api(adaToken, `${V}/query?q=${encodeURIComponent('SELECT FROM WHERE')}`);
        expect(bad.status).toBe(400);
        expect((bad.body as { errorCode: string }[])[0]?.errorCode).toBe('MALFORMED_QUERY');
    });

    it('hides AnnualRevenue from Sam by FLS, in SOQL, REST reads and ui-api', async () => {
        const soql = `SELECT Name, AnnualRevenue FROM Account WHERE Id = '${SAMPLE_ACCOUNT_ID}'`;
        const asAda = await api(adaToken, `${V}/query?q=${encodeURIComponent(soql)}`);
        expect(
            (asAda.body as { records: { AnnualRevenue: number }[] }).records[0]?.AnnualRevenue
        ).toBe(12_500_000);
        const asSam = await api(samToken, `${V}/query?q=${encodeURIComponent(soql)}`);
        expect(asSam.status).toBe(400);
        expect((asSam.body as { errorCode: string; message: string }[])[0]).toMatchObject({
            errorCode: 'INVALID_FIELD',
            message: expect.stringContaining("No such column 'AnnualRevenue' on entity 'Account'")
        });
        const restRead = await api(samToken, `${V}/sobjects/Account/${SAMPLE_ACCOUNT_ID}`);
        expect(restRead.status).toBe(200);
        expect(restRead.body).toMatchObject({ Name: 'Acme Corporation' });
        expect(restRead.body).not.toHaveProperty('AnnualRevenue');
        const ui = await api(
            samToken,
            `/services/data/v62.0/ui-api/records/${SAMPLE_ACCOUNT_ID}?fields=Account.Name&optionalFields=Account.AnnualRevenue`
        );
        expect(ui.status).toBe(200);
        expect((ui.body as { fields: Record<string, unknown> }).fields).not.toHaveProperty(
            'AnnualRevenue'
        );
        const info = await api(samToken, `${V}/ui-api/object-info/Account`);
        const fields = (info.body as { fields: Record<string, { updateable: boolean }> }).fields;
        expect(fields).not.toHaveProperty('AnnualRevenue');
        expect(fields.Rating?.updateable).toBe(false);
        expect(fields.Name?.updateable).toBe(true);
        expect(info.body).toMatchObject({
            apiName: 'Account',
            label: 'Account',
            labelPlural: 'Accounts',
            keyPrefix: '001'
        });
    });

    it("hides Ada's private accounts from Sam by sharing", async () => {
        const soql = encodeURIComponent('SELECT Id, Owner.Name FROM Account');
        const ada = (await api(adaToken, `${V}/query?q=${soql}`)).body as { totalSize: number };
        const sam = (await api(samToken, `${V}/query?q=${soql}`)).body as {
            totalSize: number;
            records: { Owner: { Name: string } }[];
        };
        expect(ada.totalSize).toBe(40);
        // Sam owns the sample account and every fifth one (9) and has 2 shared with her.
        expect(sam.totalSize).toBe(11);
        expect(sam.records.filter((r) => r.Owner.Name === 'Ada Admin')).toHaveLength(2);
        const adaPrivate = (
            (
                await api(
                    adaToken,
                    `${V}/query?q=${encodeURIComponent("SELECT Id FROM Account WHERE Owner.Name = 'Ada Admin' LIMIT 5 OFFSET 3")}`
                )
            ).body as {
                records: { Id: string }[];
            }
        ).records[0]?.Id;
        const read = await api(samToken, `${V}/sobjects/Account/${adaPrivate}`);
        expect(read.status).toBe(404);
        expect((read.body as { errorCode: string }[])[0]?.errorCode).toBe('NOT_FOUND');
    });

    it('lists list views and pages their records as the user (lightning/uiListsApi)', async () => {
        const infos = (await api(samToken, `${V}/ui-api/list-info/Account?pageSize=20`)).body as {
            lists: { apiName: string; label: string }[];
            nextPageToken: string | null;
        };
        expect(infos.lists.map((l) => l.apiName)).toEqual([
            'AllAccounts',
            'MyAccounts',
            'TechnologyAccounts'
        ]);
        expect(infos.nextPageToken).toBeNull();
        expect((await api(samToken, `${V}/ui-api/list-info/Nothing__c`)).status).toBe(404);

        type Page = {
            records: { id: string; fields: Record<string, { value: unknown }> }[];
            nextPageToken: string | null;
        };
        const page = async (token: string, view: string, pageToken?: string): Promise<Page> =>
            (
                await api(
                    token,
                    `${V}/ui-api/list-records/Account/${view}?pageSize=4&optionalFields=Account.Name,Account.AnnualRevenue${pageToken ? `&pageToken=${pageToken}` : ''}`
                )
            ).body as Page;
        const all = async (token: string, view: string) => {
            const seen: Page['records'] = [];
            let next: string | undefined;
            do {
                const p = await page(token, view, next);
                seen.push(...p.records);
                next = p.nextPageToken ?? undefined;
            } while (next);
            return seen;
        };
        // Sharing decides the rows: Sam sees his 9 and the 2 shared with him; his own are 9.
        expect(await all(samToken, 'AllAccounts')).toHaveLength(11);
        const mine = await all(samToken, 'MyAccounts');
        expect(mine).toHaveLength(9);
        expect(new Set(mine.map((r) => r.id)).size).toBe(9);
        expect(await all(adaToken, 'AllAccounts')).toHaveLength(40);
        // FLS decides the optional fields: Sam cannot read AnnualRevenue.
        expect(Object.keys(mine[0]!.fields)).toEqual(['Name']);
        const names = mine.map((r) => String(r.fields.Name?.value));
        expect(names).toEqual([...names].sort());
        expect((await api(samToken, `${V}/ui-api/list-records/Account/NoSuchView`)).status).toBe(
            404
        );
    });

    it('answers ui-api records in the real shape, spanning parents', async () => {
        const { status, body } = await api(
            samToken,
            `${V}/ui-api/records/${SAMPLE_ACCOUNT_ID}?fields=Account.Name,Account.Owner.Name&optionalFields=Account.Industry`
        );
        expect(status).toBe(200);
        expect(body).toMatchObject({
            apiName: 'Account',
            id: SAMPLE_ACCOUNT_ID,
            childRelationships: {},
            recordTypeId: '012000000000000AAA',
            fields: {
                Name: { value: 'Acme Corporation', displayValue: null },
                Industry: { value: 'Technology', displayValue: 'Technology' },
                Owner: {
                    displayValue: 'Sam Seller',
                    value: {
                        apiName: 'User',
                        id: SAM_SELLER_ID,
                        fields: { Name: { value: 'Sam Seller' } }
                    }
                }
            }
        });
        const strict = await api(
            samToken,
            `${V}/ui-api/records/${SAMPLE_ACCOUNT_ID}?fields=Account.AnnualRevenue`
        );
        expect(strict.status).toBe(400);
        expect((strict.body as { errorCode: string }[])[0]?.errorCode).toBe('INVALID_FIELD');
    });

    it('creates and updates records over sobjects and ui-api', async () => {
        const created = await api(samToken, `${V}/sobjects/Contact`, {
            method: 'POST',
            json: { FirstName: 'Grace', LastName: 'Hopper', AccountId: SAMPLE_ACCOUNT_ID }
        });
        expect(created.status).toBe(201);
        const { id } = created.body as { id: string; success: boolean; errors: unknown[] };
        expect(created.body).toMatchObject({ success: true, errors: [] });
        expect(id).toMatch(/^003\w{15}$/);
        const patched = await api(samToken, `${V}/sobjects/Contact/${id}`, {
            method: 'PATCH',
            json: { Title: 'Rear Admiral' }
        });
        expect(patched.status).toBe(204);
        const read = await api(samToken, `${V}/sobjects/Contact/${id}?fields=Name,Title,OwnerId`);
        expect(read.body).toMatchObject({
            Name: 'Grace Hopper',
            Title: 'Rear Admiral',
            OwnerId: SAM_SELLER_ID
        });
        const uiCreated = await api(samToken, `${V}/ui-api/records`, {
            method: 'POST',
            json: {
                apiName: 'Case',
                fields: { Subject: 'From the workbench', AccountId: SAMPLE_ACCOUNT_ID }
            }
        });
        expect(uiCreated.status).toBe(201);
        const caseId = (uiCreated.body as { id: string }).id;
        const uiPatched = await api(samToken, `${V}/ui-api/records/${caseId}`, {
            method: 'PATCH',
            json: { fields: { Status: 'Working' } }
        });
        expect(uiPatched.status).toBe(200);
        expect(uiPatched.body).toMatchObject({
            apiName: 'Case',
            fields: { Status: { value: 'Working' } }
        });
        const missing = await api(samToken, `${V}/sobjects/Contact`, {
            method: 'POST',
            json: { FirstName: 'NoLast' }
        });
        expect((missing.body as { errorCode: string }[])[0]?.errorCode).toBe(
            'REQUIRED_FIELD_MISSING'
        );
    });

    it('honours If-Unmodified-Since (uiRecordApi ifUnmodifiedSince): a record saved later is not overwritten', async () => {
        const created = await api(samToken, `${V}/ui-api/records`, {
            method: 'POST',
            json: {
                apiName: 'Case',
                fields: { Subject: 'Conflict check', AccountId: SAMPLE_ACCOUNT_ID }
            }
        });
        const caseId = (created.body as { id: string }).id;
        const seen = (created.body as { fields: { LastModifiedDate: { value: string } } }).fields
            .LastModifiedDate.value;
        const unchanged = await api(samToken, `${V}/ui-api/records/${caseId}`, {
            method: 'PATCH',
            headers: { 'if-unmodified-since': seen },
            json: { fields: { Status: 'Working' } }
        });
        expect(unchanged.status).toBe(200);
        // Someone saves again after what the caller saw: the caller's conditional write is refused.
        await new Promise((resolve) => setTimeout(resolve, 5));
        await api(samToken, `${V}/sobjects/Case/${caseId}`, {
            method: 'PATCH',
            json: { Priority: 'High' }
        });
        const stale = await api(samToken, `${V}/ui-api/records/${caseId}`, {
            method: 'PATCH',
            headers: { 'if-unmodified-since': seen },
            json: { fields: { Status: 'Closed' } }
        });
        expect(stale.status).toBe(412);
        expect((stale.body as { errorCode: string }[])[0]?.errorCode).toBe('PRECONDITION_FAILED');
        const read = await api(samToken, `${V}/sobjects/Case/${caseId}?fields=Status,Priority`);
        expect(read.body).toMatchObject({ Status: 'Working', Priority: 'High' });
        const garbled = await api(samToken, `${V}/ui-api/records/${caseId}`, {
            method: 'PATCH',
            headers: { 'if-unmodified-since': 'yesterday' },
            json: { fields: { Status: 'Closed' } }
        });
        expect(garbled.status).toBe(400);
    });

    it('deletes a record its owner made, over ui-api and sobjects, and refuses the rest', async () => {
        const made = async (subject: string): Promise<string> => {
            const created = await api(samToken, `${V}/ui-api/records`, {
                method: 'POST',
                json: {
                    apiName: 'Case',
                    fields: { Subject: subject, AccountId: SAMPLE_ACCOUNT_ID }
                }
            });
            return (created.body as { id: string }).id;
        };
        const viaUiApi = await made('Undo me (ui-api)');
        expect(
            (await api(samToken, `${V}/ui-api/records/${viaUiApi}`, { method: 'DELETE' })).status
        ).toBe(204);
        expect((await api(samToken, `${V}/ui-api/records/${viaUiApi}`)).status).toBe(404);
        const viaSobjects = await made('Undo me (sobjects)');
        expect(
            (await api(samToken, `${V}/sobjects/Case/${viaSobjects}`, { method: 'DELETE' })).status
        ).toBe(204);
        expect((await api(samToken, `${V}/sobjects/Case/${viaSobjects}`)).status).toBe(404);
        // A record Sam cannot see is not there for him to delete.
        const adaOwned = org.store
            .systemRecords('Account')
            .find(
                (r) =>
                    r.fields.OwnerId !== SAM_SELLER_ID &&
                    !org.store.canReadId(org.store.user(SAM_SELLER_ID)!, r.fields.Id)
            );
        expect(adaOwned).toBeDefined();
        const refused = await api(samToken, `${V}/ui-api/records/${adaOwned!.fields.Id}`, {
            method: 'DELETE'
        });
        expect(refused.status).toBe(404);
        expect(
            org.store.systemRecords('Account').some((r) => r.fields.Id === adaOwned!.fields.Id)
        ).toBe(true);
    });

    it('refuses a non-editable field and a read-only shared record', async () => {
        const rating = await api(samToken, `${V}/sobjects/Account/${SAMPLE_ACCOUNT_ID}`, {
            method: 'PATCH',
            json: { Rating: 'Hot' }
        });
        expect(rating.status).toBe(400);
        expect(rating.body).toEqual([
            expect.objectContaining({
                errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
                fields: ['Rating']
            })
        ]);
        const byAda = await api(adaToken, `${V}/sobjects/Account/${SAMPLE_ACCOUNT_ID}`, {
            method: 'PATCH',
            json: { Rating: 'Hot' }
        });
        expect(byAda.status).toBe(204);
        const sharedReadOnly = (
            (
                await api(
                    samToken,
                    `${V}/query?q=${encodeURIComponent("SELECT Id FROM Account WHERE Owner.Name = 'Ada Admin' ORDER BY Name")}`
                )
            ).body as {
                records: { Id: string }[];
            }
        ).records;
        const results = await Promise.all(
            sharedReadOnly.map((r) =>
                api(samToken, `${V}/sobjects/Account/${r.Id}`, {
                    method: 'PATCH',
                    json: { Phone: '1' }
                })
            )
        );
        const statuses = results.map((r) => r.status).sort();
        expect(statuses).toEqual([204, 403]);
        const denied = results.find((r) => r.status === 403);
        expect((denied?.body as { errorCode: string }[])[0]?.errorCode).toBe(
            'INSUFFICIENT_ACCESS_OR_READONLY'
        );
    });

    it('uploads a ContentVersion with its ContentDocument and link', async () => {
        const pdf = Buffer.from('%PDF-1.4 stand-in').toString('base64');
        const created = await api(samToken, `${V}/sobjects/ContentVersion`, {
            method: 'POST',
            json: {
                Title: 'Quote',
                PathOnClient: 'Quote.pdf',
                VersionData: pdf,
                FirstPublishLocationId: SAMPLE_ACCOUNT_ID
            }
        });
        expect(created.status).toBe(201);
        const versionId = (created.body as { id: string }).id;
        expect(versionId).toMatch(/^068/);
        const version = await api(
            samToken,
            `${V}/query?q=${encodeURIComponent(`SELECT ContentDocumentId, FileExtension, ContentSize FROM ContentVersion WHERE Id = '${versionId}'`)}`
        );
        const row = (
            version.body as {
                records: {
                    ContentDocumentId: string;
                    FileExtension: string;
                    ContentSize: number;
                }[];
            }
        ).records[0];
        expect(row?.ContentDocumentId).toMatch(/^069/);
        expect(row).toMatchObject({ FileExtension: 'pdf', ContentSize: 17 });
        const links = await api(
            samToken,
            `${V}/query?q=${encodeURIComponent(`SELECT LinkedEntityId FROM ContentDocumentLink WHERE ContentDocumentId = '${row?.ContentDocumentId}'`)}`
        );
        expect(
            (links.body as { records: { LinkedEntityId: string }[] }).records[0]?.LinkedEntityId
        ).toBe(SAMPLE_ACCOUNT_ID);
        const state = (await (await fetch(`${org.url}/__standin/state`)).json()) as {
            filesUploaded: { title: string; size: number }[];
        };
        expect(state.filesUploaded).toEqual([
            expect.objectContaining({ title: 'Quote', size: 17, linkedEntityId: SAMPLE_ACCOUNT_ID })
        ]);
    });

    it('sends emailSimple and records it for inspection', async () => {
        const sent = await api(samToken, `${V}/actions/standard/emailSimple`, {
            method: 'POST',
            json: {
                inputs: [
                    {
                        emailAddresses: 'a@example.com, b@example.com',
                        emailSubject: 'Weekly pipeline',
                        emailBody: 'Attached.'
                    },
                    { emailSubject: 'no recipients' }
                ]
            }
        });
        expect(sent.status).toBe(200);
        expect(sent.body).toEqual([
            { actionName: 'emailSimple', errors: null, isSuccess: true, outputValues: null },
            expect.objectContaining({ actionName: 'emailSimple', isSuccess: false })
        ]);
        expect(org.state().emailsSent).toEqual([
            expect.objectContaining({
                sentByUserId: SAM_SELLER_ID,
                emailAddresses: ['a@example.com', 'b@example.com'],
                subject: 'Weekly pipeline'
            })
        ]);
    });

    it('runs a tabular report with a factMap, dropping columns the user cannot read', async () => {
        const ada = await api(adaToken, `${V}/analytics/reports/${OPEN_OPPORTUNITIES_REPORT_ID}`, {
            method: 'POST',
            json: {}
        });
        expect(ada.status).toBe(200);
        const adaBody = ada.body as {
            factMap: Record<
                string,
                { rows: { dataCells: { label: string }[] }[]; aggregates: { value: number }[] }
            >;
            reportMetadata: { reportFormat: string; detailColumns: string[] };
        };
        expect(adaBody.reportMetadata.reportFormat).toBe('TABULAR');
        const total = adaBody.factMap['T!T'];
        expect(total?.rows.length).toBe(total?.aggregates[0]?.value);
        expect(total?.rows[0]?.dataCells).toHaveLength(5);
        const sam = (
            await api(samToken, `${V}/analytics/reports/${OPEN_OPPORTUNITIES_REPORT_ID}`, {
                method: 'POST',
                json: {}
            })
        ).body as typeof adaBody;
        expect(sam.reportMetadata.detailColumns).not.toContain('OPPORTUNITY.AMOUNT');
        expect(sam.factMap['T!T']?.rows.length).toBeLessThan(total?.rows.length ?? 0);
    });

    it('injects 503 for the next request to a path, then succeeds', async () => {
        await fetch(`${org.url}/__standin/faults`, {
            method: 'POST',
            body: JSON.stringify({ pathIncludes: '/query', times: 1, status: 503 })
        });
        const q = `${V}/query?q=${encodeURIComponent('SELECT Id FROM Account LIMIT 1')}`;
        const first = await api(adaToken, q);
        expect(first.status).toBe(503);
        expect((first.body as { errorCode: string }[])[0]?.errorCode).toBe('SERVER_UNAVAILABLE');
        const second = await api(adaToken, q);
        expect(second.status).toBe(200);
        org.injectFault({
            pathIncludes: '/sobjects',
            times: 1,
            status: 403,
            errorCode: 'REQUEST_LIMIT_EXCEEDED',
            message: 'TotalRequests Limit exceeded.'
        });
        const limited = await api(adaToken, `${V}/sobjects/Account/${SAMPLE_ACCOUNT_ID}`);
        expect(limited.status).toBe(403);
        expect(limited.body).toEqual([
            { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }
        ]);
    });

    it('serves Apex doubles as the calling user, and CORS only for configured origins', async () => {
        const res = await fetch(
            `${org.url}/__standin/apex/RelayConnectionController/getRelayConnection`,
            {
                method: 'POST',
                headers: { authorization: `Bearer ${samToken}`, origin: 'http://127.0.0.1:8790' },
                body: '{}'
            }
        );
        // This stand-in org was started without an org key: connected to no relay yet.
        expect(await res.json()).toEqual({
            relayUrl: 'http://127.0.0.1:8787',
            keyConfigured: false
        });
        const noSession = await api(
            samToken,
            '/__standin/apex/RelayConnectionController/getRelaySession',
            {
                method: 'POST',
                json: { scopes: ['llm'] }
            }
        );
        expect(noSession.status).toBe(400);
        expect(JSON.stringify(noSession.body)).toContain('not connected');
        expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8790');
        org.registerApexDouble('Echo.whoAmI', (_p, { user }) => user.name);
        const who = await api(samToken, '/__standin/apex/Echo/whoAmI', {
            method: 'POST',
            json: {}
        });
        expect(who.body).toBe('Sam Seller');
        const foreign = await fetch(`${org.url}/__standin/health`, {
            headers: { origin: 'http://evil.example' }
        });
        expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
        const session = await fetch(`${org.url}/__standin/session`, {
            method: 'POST',
            body: JSON.stringify({ username: STANDIN_USERNAMES.deactivated })
        });
        expect(session.status).toBe(400);
    });

    it('mints, for an org holding an org key, session tokens the relay verifies as the calling user', async () => {
        const masterSecret = new Uint8Array(32).fill(7);
        const orgKey = await deriveOrgKey(masterSecret, 'k1', ORG_ID);
        const connected = await startSalesforceOrgStandIn({
            port: 0,
            host: '127.0.0.1',
            relayUrl: 'http://127.0.0.1:8787',
            orgKey
        });
        try {
            const login = await fetch(`${connected.url}/__standin/session`, {
                method: 'POST',
                body: JSON.stringify({ username: STANDIN_USERNAMES.sam })
            });
            const { access_token: token } = (await login.json()) as { access_token: string };
            const call = (method: string, body: unknown): Promise<Response> =>
                fetch(`${connected.url}/__standin/apex/RelayConnectionController/${method}`, {
                    method: 'POST',
                    headers: { authorization: `Bearer ${token}` },
                    body: JSON.stringify(body)
                });
            expect(await (await call('getRelayConnection', {})).json()).toEqual({
                relayUrl: 'http://127.0.0.1:8787',
                keyConfigured: true
            });
            const session = (await (await call('getRelaySession', { scopes: ['llm'] })).json()) as {
                token: string;
                expiresAt: number;
            };
            const claims = await verifySessionToken(session.token, {
                masterKeys: new Map([['k1', masterSecret]]),
                revokedKeyIds: new Set(),
                audience: DEFAULT_SESSION_AUDIENCE
            });
            expect(claims.orgId).toBe(ORG_ID);
            expect(claims.userId).toBe(SAM_SELLER_ID);
            expect([...claims.scopes]).toEqual(['llm']);
            expect(session.expiresAt).toBe(claims.expiresAt * 1000);
            expect((await call('getRelaySession', { scopes: ['admin'] })).status).toBe(400);
        } finally {
            await connected.close();
        }
    });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
    ACCOUNTS_BY_INDUSTRY_REPORT_ID,
    ADA_ADMIN_ID,
    REPORT_DETAIL_ROW_LIMIT,
    SAM_SELLER_ID,
    STANDIN_USERNAMES,
    startSalesforceOrgStandIn,
    type SalesforceOrgStandIn
} from './index';

// What scheduled reports' delivery needs of the stand-in (a test double): sharing a File with a
// user through ContentDocumentLink, the egress policy's custom metadata, and report runs cut at
// 2,000 detail rows as the Analytics REST API cuts synchronous runs.
const V = '/services/data/v62.0';

describe('Salesforce org stand-in: files shared with recipients, policy metadata, cut reports', () => {
    let org: SalesforceOrgStandIn;

    const api = async (username: string, path: string, json?: unknown) => {
        const res = await fetch(`${org.url}${V}/${path}`, {
            method: json === undefined ? 'GET' : 'POST',
            headers: {
                authorization: `Bearer ${org.sessionFor(username).access_token}`,
                'content-type': 'application/json'
            },
            body: json === undefined ? undefined : JSON.stringify(json)
        });
        const text = await res.text();
        return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
    };
    /** A File Ada uploads to her own library (linked to her user only). */
    const adasFile = async (): Promise<string> => {
        const version = await api(STANDIN_USERNAMES.ada, 'sobjects/ContentVersion', {
            Title: 'Report',
            PathOnClient: 'Report.csv',
            VersionData: Buffer.from('Name\r\nAcme\r\n').toString('base64')
        });
        expect(version.status).toBe(201);
        const id = (version.body as { id: string }).id;
        const read = await api(
            STANDIN_USERNAMES.ada,
            `sobjects/ContentVersion/${id}?fields=ContentDocumentId`
        );
        return (read.body as { ContentDocumentId: string }).ContentDocumentId;
    };

    beforeAll(async () => {
        org = await startSalesforceOrgStandIn({ port: 0 });
    });
    afterAll(() => org.close());
    beforeEach(() => org.reset());

    it('opens a File linked to a user to that user alone, once its owner shared it', async () => {
        const documentId = await adasFile();
        expect(
            (await api(STANDIN_USERNAMES.sam, `sobjects/ContentDocument/${documentId}`)).status
        ).toBe(404);

        const link = await api(STANDIN_USERNAMES.ada, 'sobjects/ContentDocumentLink', {
            ContentDocumentId: documentId,
            LinkedEntityId: SAM_SELLER_ID,
            ShareType: 'V',
            Visibility: 'InternalUsers'
        });
        expect(link.status).toBe(201);
        expect(
            (await api(STANDIN_USERNAMES.sam, `sobjects/ContentDocument/${documentId}`)).status
        ).toBe(200);
        expect(org.store.fileLinks(documentId)).toEqual([ADA_ADMIN_ID, SAM_SELLER_ID]);

        const again = await api(STANDIN_USERNAMES.ada, 'sobjects/ContentDocumentLink', {
            ContentDocumentId: documentId,
            LinkedEntityId: SAM_SELLER_ID
        });
        expect(again.status).toBe(400);
        expect(again.body).toEqual([expect.objectContaining({ errorCode: 'DUPLICATE_VALUE' })]);
    });

    it('refuses to share a File the user does not own', async () => {
        const documentId = await adasFile();
        await api(STANDIN_USERNAMES.ada, 'sobjects/ContentDocumentLink', {
            ContentDocumentId: documentId,
            LinkedEntityId: SAM_SELLER_ID
        });
        const reshare = await api(STANDIN_USERNAMES.sam, 'sobjects/ContentDocumentLink', {
            ContentDocumentId: documentId,
            LinkedEntityId: '0055g0000000003AAA'
        });
        expect(reshare.status).toBe(400);
        expect(reshare.body).toEqual([
            expect.objectContaining({ errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY' })
        ]);
    });

    it('answers the egress policy metadata as the trust settings last saved it', async () => {
        const soql =
            "SELECT AI_Enabled__c, Excluded_Fields__c, Allowed_Models__c FROM Resident_Egress_Policy__mdt WHERE DeveloperName = 'Default'";
        const before = await api(STANDIN_USERNAMES.sam, `query?q=${encodeURIComponent(soql)}`);
        expect(before.body).toMatchObject({
            records: [
                {
                    AI_Enabled__c: true,
                    Excluded_Fields__c: null,
                    Allowed_Models__c: 'claude-sonnet-5-5'
                }
            ]
        });
        org.store.trust.policy = {
            ...org.store.trust.policy,
            aiEnabled: false,
            excludedFields: ['Contact.Phone', '*.SSN__c']
        };
        const after = await api(STANDIN_USERNAMES.sam, `query?q=${encodeURIComponent(soql)}`);
        expect(after.body).toMatchObject({
            records: [{ AI_Enabled__c: false, Excluded_Fields__c: 'Contact.Phone\n*.SSN__c' }]
        });
    });

    it('cuts a report run at 2,000 detail rows and says so with allData false', async () => {
        const run = async () =>
            (
                await api(
                    STANDIN_USERNAMES.ada,
                    `analytics/reports/${ACCOUNTS_BY_INDUSTRY_REPORT_ID}`,
                    {}
                )
            ).body as { allData: boolean; factMap: Record<string, { rows?: unknown[] }> };
        const detailRows = (r: Awaited<ReturnType<typeof run>>) =>
            Object.entries(r.factMap)
                .filter(([key]) => key !== 'T!T')
                .reduce((n, [, fact]) => n + (fact.rows?.length ?? 0), 0);
        const small = await run();
        expect(small.allData).toBe(true);
        const owner = org.store.adminUser();
        for (let n = 0; n < REPORT_DETAIL_ROW_LIMIT; n++) {
            org.store.create(owner, 'Account', { Name: `Bulk ${n}`, Industry: 'Energy' });
        }
        const cut = await run();
        expect(cut.allData).toBe(false);
        expect(detailRows(cut)).toBe(REPORT_DETAIL_ROW_LIMIT);
    });
});

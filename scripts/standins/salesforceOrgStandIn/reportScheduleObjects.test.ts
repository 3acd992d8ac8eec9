import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
    SCHEDULE_OBJECT,
    RUN_OBJECT
} from '../../../force-app/main/default/lwc/reportSchedule/reportSchedule';
import { STANDIN_USERNAMES, startSalesforceOrgStandIn, type SalesforceOrgStandIn } from './index';

// What issue 6's relay side added to the stand-in: the schedule and run objects, whole-second
// conditional updates for HTTP dates, and bulk rows for paging tests.
const V = '/services/data/v62.0';

describe('Salesforce org stand-in: scheduled report objects (issue 6)', () => {
    let org: SalesforceOrgStandIn;

    const api = async (
        username: string,
        path: string,
        init: RequestInit & { json?: unknown } = {}
    ) => {
        const headers = new Headers(init.headers);
        headers.set('authorization', `Bearer ${org.sessionFor(username).access_token}`);
        if (init.json !== undefined) headers.set('content-type', 'application/json');
        const res = await fetch(`${org.url}${path}`, {
            ...init,
            headers,
            body: init.json !== undefined ? JSON.stringify(init.json) : init.body
        });
        const text = await res.text();
        return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
    };
    const createSchedule = async (username: string): Promise<string> => {
        const created = await api(username, `${V}/sobjects/${SCHEDULE_OBJECT}`, {
            method: 'POST',
            json: { Name: 'Weekly', Source_Type__c: 'Query', Format__c: 'CSV', Active__c: true }
        });
        expect(created.status).toBe(201);
        return (created.body as { id: string }).id;
    };

    beforeAll(async () => {
        org = await startSalesforceOrgStandIn();
    });
    afterAll(() => org.close());
    beforeEach(() => org.reset());

    it("keeps a user's schedules private; the admin (scheduler) sees them all", async () => {
        const id = await createSchedule(STANDIN_USERNAMES.sam);
        const soql = encodeURIComponent(
            `SELECT Id, Owner.Username, Active__c FROM ${SCHEDULE_OBJECT}`
        );
        const ada = await api(STANDIN_USERNAMES.ada, `${V}/query?q=${soql}`);
        expect(ada.body).toMatchObject({
            totalSize: 1,
            records: [{ Id: id, Owner: { Username: STANDIN_USERNAMES.sam } }]
        });
        await createSchedule(STANDIN_USERNAMES.ada);
        const sam = await api(STANDIN_USERNAMES.sam, `${V}/query?q=${soql}`);
        expect(sam.body).toMatchObject({ totalSize: 1 });
    });

    it("gives runs an auto-number and their schedule's access", async () => {
        const scheduleId = await createSchedule(STANDIN_USERNAMES.sam);
        const run = await api(STANDIN_USERNAMES.ada, `${V}/sobjects/${RUN_OBJECT}`, {
            method: 'POST',
            json: { Schedule__c: scheduleId, Status__c: 'Running', Trigger__c: 'Cron tick' }
        });
        expect(run.status).toBe(201);
        const runId = (run.body as { id: string }).id;
        const read = await api(
            STANDIN_USERNAMES.sam,
            `${V}/sobjects/${RUN_OBJECT}/${runId}?fields=Name,Status__c`
        );
        expect(read.body).toMatchObject({ Name: 'RUN-0000001', Status__c: 'Running' });
    });

    it('compares an HTTP-date If-Unmodified-Since at whole seconds, as a real org does', async () => {
        const id = await createSchedule(STANDIN_USERNAMES.sam);
        const read = await api(
            STANDIN_USERNAMES.ada,
            `${V}/sobjects/${SCHEDULE_OBJECT}/${id}?fields=LastModifiedDate`
        );
        const modified = Date.parse(
            String((read.body as { LastModifiedDate: string }).LastModifiedDate).replace(
                '+0000',
                'Z'
            )
        );
        const claim = (since: number) =>
            api(STANDIN_USERNAMES.ada, `${V}/sobjects/${SCHEDULE_OBJECT}/${id}`, {
                method: 'PATCH',
                headers: { 'if-unmodified-since': new Date(since).toUTCString() },
                json: { Next_Run_At__c: new Date(Date.now() + 3_600_000).toISOString() }
            });
        expect((await claim(modified - 1000)).status).toBe(412);
        expect((await claim(modified)).status).toBe(204);
    });

    it('seeds bulk rows owned by a user', async () => {
        const seeded = await fetch(`${org.url}/__standin/seed`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
                type: 'Account',
                count: 2500,
                ownerUsername: STANDIN_USERNAMES.sam,
                fields: { Name: 'Bulk {n}', NumberOfEmployees: 7 }
            })
        });
        expect(await seeded.json()).toMatchObject({ created: 2500 });
        const soql = encodeURIComponent("SELECT Name FROM Account WHERE Name LIKE 'Bulk %'");
        const page = await api(STANDIN_USERNAMES.sam, `${V}/query?q=${soql}`);
        expect(page.body).toMatchObject({ totalSize: 2500, done: false });
        const refused = await fetch(`${org.url}/__standin/seed`, {
            method: 'POST',
            body: JSON.stringify({ type: 'Account', count: 0 })
        });
        expect(refused.status).toBe(400);
    });
});

import { env } from 'cloudflare:workers';
import {
    createExecutionContext,
    createScheduledController,
    waitOnExecutionContext
} from 'cloudflare:test';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import worker from '../src/index';
import {
    nextRunAt,
    pdfTooManyRowsMessage,
    RUN_OBJECT,
    SCHEDULE_OBJECT,
    scheduleToFields,
    type ReportScheduleDefinition,
    type RunStep
} from '../../force-app/main/default/lwc/reportSchedule/reportSchedule';
import { runSchedulerTick, type TickOptions } from '../src/scheduler/schedulerTick';

// Scheduled reports against the Salesforce org stand-in (a test double speaking the REST API, the
// JWT bearer flow, Analytics and emailSimple), started by vitest.config.mts with this run's key.
const ORG = (JSON.parse(env.SCHEDULER_ORGS) as { loginUrl: string; orgId: string }[])[0]!;
const ORG_URL = ORG.loginUrl;
const V = '/services/data/v62.0';
const ADA = 'ada.admin@resident.standin';
const SAM = 'sam.seller@resident.standin';
const SAM_ID = '0055g0000000002AAA';
const DEE_ID = '0055g0000000003AAA';
const OPEN_OPPORTUNITIES_REPORT_ID = '00O5g0000000001EAA';
const FAST: TickOptions = { claimQuietMs: 0, retryBaseDelayMs: 10 };

async function standIn(path: string, body?: unknown): Promise<Response> {
    return fetch(`${ORG_URL}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body)
    });
}

async function api<T>(
    username: string,
    path: string,
    init: { method?: string; json?: unknown } = {}
): Promise<T> {
    const session = (await (await standIn('/__standin/session', { username })).json()) as {
        access_token: string;
    };
    const response = await fetch(`${ORG_URL}${V}/${path}`, {
        method: init.method ?? 'GET',
        headers: {
            authorization: `Bearer ${session.access_token}`,
            'content-type': 'application/json'
        },
        body: init.json === undefined ? undefined : JSON.stringify(init.json)
    });
    if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
}

function definition(overrides: Partial<ReportScheduleDefinition> = {}): ReportScheduleDefinition {
    return {
        name: 'Hot accounts',
        sourceType: 'Query',
        query: {
            object: 'Account',
            fields: ['Name', 'NumberOfEmployees', 'Industry'],
            filters: [],
            orderBy: { field: 'Name', direction: 'ASC' }
        },
        format: 'CSV',
        frequency: { kind: 'daily', time: '07:00' },
        timeZone: 'Europe/Berlin',
        recipients: [{ type: 'user', userId: SAM_ID }],
        perRecipient: false,
        aiSummary: false,
        active: true,
        ...overrides
    };
}

/** A due schedule (its next run a minute ago), owned by `ownerId` (Sam unless said). */
/** The latest time the frequency produced before now: what the org sets as Next_Run_At__c. */
function lastDueTime(d: ReportScheduleDefinition): Date {
    let due = nextRunAt(d.frequency, d.timeZone, new Date(Date.now() - 3 * 86_400_000));
    for (;;) {
        const following = nextRunAt(d.frequency, d.timeZone, due);
        if (following.getTime() > Date.now()) return due;
        due = following;
    }
}

/** A due schedule, owned by `ownerId` (Sam unless said); due at its last regular time unless `dueAt`. */
async function createSchedule(
    overrides: Partial<ReportScheduleDefinition> = {},
    ownerId = SAM_ID,
    dueAt?: Date
): Promise<string> {
    const created = await api<{ id: string }>(ADA, `sobjects/${SCHEDULE_OBJECT}`, {
        method: 'POST',
        json: {
            ...scheduleToFields(definition(overrides)),
            OwnerId: ownerId,
            Next_Run_At__c: (dueAt ?? lastDueTime(definition(overrides))).toISOString()
        }
    });
    return created.id;
}

interface Run {
    Id: string;
    Status__c: string;
    Trigger__c: string;
    Rows__c: number | null;
    Error__c: string | null;
    File_Id__c: string | null;
    Steps__c: string;
    Recipient_User__c: string | null;
    Finished_At__c: string | null;
}

async function runsOf(scheduleId: string): Promise<Run[]> {
    const soql = `SELECT Id, Status__c, Trigger__c, Rows__c, Error__c, File_Id__c, Steps__c, Recipient_User__c, Finished_At__c FROM ${RUN_OBJECT} WHERE Schedule__c = '${scheduleId}'`;
    return (await api<{ records: Run[] }>(ADA, `query?q=${encodeURIComponent(soql)}`)).records;
}

async function scheduleRecord(id: string): Promise<Record<string, unknown>> {
    return api(
        ADA,
        `sobjects/${SCHEDULE_OBJECT}/${id}?fields=Next_Run_At__c,Last_Status__c,Last_Run_At__c`
    );
}

interface StandInState {
    emailsSent: { sentByUserId: string; emailAddresses: string[]; subject: string; body: string }[];
    filesUploaded: {
        contentVersionId: string;
        contentDocumentId: string;
        pathOnClient: string;
        linkedEntityId: string | null;
        size: number;
    }[];
}

async function state(): Promise<StandInState> {
    return (await standIn('/__standin/state')).json() as Promise<StandInState>;
}

async function fileText(contentVersionId: string): Promise<string> {
    return new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(
        await (await standIn(`/__standin/files/${contentVersionId}`)).arrayBuffer()
    );
}

beforeEach(async () => {
    await standIn('/__standin/reset', {});
});

describe('scheduled reports: the happy paths', () => {
    it('runs a due query schedule as its owner: CSV File on the schedule, email, run and schedule recorded', async () => {
        const id = await createSchedule();
        const outcomes = await runSchedulerTick(env, FAST);
        expect(outcomes).toMatchObject([{ scheduleId: id, outcome: 'succeeded' }]);

        const [run] = await runsOf(id);
        expect(run).toMatchObject({
            Status__c: 'Succeeded',
            Trigger__c: 'Cron tick',
            Error__c: null
        });
        const steps = JSON.parse(run!.Steps__c) as RunStep[];
        expect(steps.map((s) => `${s.step}:${s.outcome}`)).toEqual([
            'claim:ok',
            'sign_in:ok',
            'read:ok',
            'render:ok',
            'upload:ok',
            'email:ok'
        ]);
        for (const step of steps) expect(Date.parse(step.at)).not.toBeNaN();

        const { filesUploaded, emailsSent } = await state();
        expect(filesUploaded).toHaveLength(1);
        const [file] = filesUploaded;
        expect(file).toMatchObject({ linkedEntityId: id, contentDocumentId: run!.File_Id__c });
        expect(file!.pathOnClient).toMatch(/^Hot accounts \d{4}-\d\d-\d\d\.csv$/);
        const csv = await fileText(file!.contentVersionId);
        expect(csv.startsWith('\uFEFFName,NumberOfEmployees,Industry\r\n')).toBe(true);
        // Sam's sharing applies: only the accounts Sam may see (Sam owns 1 and every fifth of 40).
        expect(run!.Rows__c).toBe(csv.trimEnd().split('\r\n').length - 1);
        expect(run!.Rows__c).toBeGreaterThan(0);
        expect(run!.Rows__c).toBeLessThan(40);

        expect(emailsSent).toEqual([
            expect.objectContaining({
                sentByUserId: SAM_ID,
                emailAddresses: ['sam.seller@resident.example.com']
            })
        ]);
        expect(emailsSent[0]!.body).toContain(
            `/lightning/r/ContentDocument/${run!.File_Id__c}/view`
        );

        const schedule = await scheduleRecord(id);
        expect(schedule.Last_Status__c).toBe('Succeeded');
        // Claimed forward to the next 07:00 in Berlin, in the future.
        expect(Date.parse(String(schedule.Next_Run_At__c))).toBeGreaterThan(Date.now());
        expect(
            new Date(String(schedule.Next_Run_At__c)).toLocaleTimeString('en-GB', {
                timeZone: 'Europe/Berlin'
            })
        ).toBe('07:00:00');

        // A second tick finds nothing due.
        expect(await runSchedulerTick(env, FAST)).toEqual([]);
    });

    it("runs a Salesforce report as a PDF, the owner's field access applied", async () => {
        const id = await createSchedule({
            sourceType: 'Report',
            reportId: OPEN_OPPORTUNITIES_REPORT_ID,
            query: null,
            format: 'PDF'
        });
        expect(await runSchedulerTick(env, FAST)).toMatchObject([{ outcome: 'succeeded' }]);
        const [run] = await runsOf(id);
        expect(run!.Status__c).toBe('Succeeded');
        const { filesUploaded } = await state();
        const pdf = await fileText(filesUploaded[0]!.contentVersionId);
        expect(pdf.startsWith('%PDF-')).toBe(true);
        expect(filesUploaded[0]!.pathOnClient).toMatch(/\.pdf$/);
    });

    it('runs a query as PDF and a report as CSV', async () => {
        const pdfId = await createSchedule({
            format: 'PDF',
            query: {
                object: 'Account',
                fields: ['Name', 'NumberOfEmployees'],
                filters: [],
                totals: ['NumberOfEmployees']
            }
        });
        const csvId = await createSchedule({
            sourceType: 'Report',
            reportId: OPEN_OPPORTUNITIES_REPORT_ID,
            query: null
        });
        const outcomes = await runSchedulerTick(env, FAST);
        expect(outcomes.map((o) => o.outcome)).toEqual(['succeeded', 'succeeded']);
        const { filesUploaded } = await state();
        const byLink = new Map(filesUploaded.map((f) => [f.linkedEntityId, f]));
        expect((await fileText(byLink.get(pdfId)!.contentVersionId)).startsWith('%PDF-')).toBe(
            true
        );
        const reportCsv = await fileText(byLink.get(csvId)!.contentVersionId);
        // Sam cannot read Opportunity.Amount: the report drops that column for him.
        expect(reportCsv.split('\r\n')[0]).toBe(
            '\uFEFFAccount Name,Opportunity Name,Stage,Close Date'
        );
    });

    it('renders once per internal recipient, signed in as each, in per-recipient mode', async () => {
        const id = await createSchedule({
            perRecipient: true,
            recipients: [
                { type: 'user', userId: SAM_ID },
                { type: 'user', userId: '0055g0000000001AAA' }
            ]
        });
        expect(await runSchedulerTick(env, FAST)).toMatchObject([{ outcome: 'succeeded' }]);
        const runs = await runsOf(id);
        expect(runs.map((r) => r.Recipient_User__c).sort()).toEqual(['0055g0000000001AAA', SAM_ID]);
        const rowsBy = new Map(runs.map((r) => [r.Recipient_User__c, r.Rows__c]));
        // Ada sees all 40 accounts, Sam only his own.
        expect(rowsBy.get('0055g0000000001AAA')).toBe(40);
        expect(rowsBy.get(SAM_ID)).toBeLessThan(40);
        const { emailsSent } = await state();
        expect(emailsSent.map((e) => [e.sentByUserId, e.emailAddresses]).sort()).toEqual([
            ['0055g0000000001AAA', ['ada.admin@resident.example.com']],
            [SAM_ID, ['sam.seller@resident.example.com']]
        ]);
    });
});

describe('scheduled reports: failures the owner can read', () => {
    it('fails the run when the owner cannot read a field the query asks for, naming it', async () => {
        const id = await createSchedule({
            query: { object: 'Opportunity', fields: ['Name', 'Amount'], filters: [] }
        });
        expect(await runSchedulerTick(env, FAST)).toMatchObject([{ outcome: 'failed' }]);
        const [run] = await runsOf(id);
        expect(run!.Status__c).toBe('Failed');
        expect(run!.Error__c).toMatch(
            /INVALID_FIELD.*No such column 'Amount' on entity 'Opportunity'/
        );
        expect((await scheduleRecord(id)).Last_Status__c).toBe('Failed');
        const { emailsSent, filesUploaded } = await state();
        expect(filesUploaded).toEqual([]);
        // The owner is told, by the scheduler user.
        expect(emailsSent).toEqual([
            expect.objectContaining({
                emailAddresses: ['sam.seller@resident.example.com'],
                subject: 'Scheduled report failed: Hot accounts'
            })
        ]);
    });

    it('fails with the reason when the owner is deactivated', async () => {
        const id = await createSchedule({}, DEE_ID);
        await runSchedulerTick(env, FAST);
        const [run] = await runsOf(id);
        expect(run!.Status__c).toBe('Failed');
        expect(run!.Error__c).toBe(
            "The schedule's owner (dee.parted@resident.standin) is deactivated, so the report cannot run as them."
        );
    });

    it('refuses a schedule whose external recipients the org does not allow', async () => {
        const id = await createSchedule({
            recipients: [{ type: 'email', address: 'leak@example.org' }]
        });
        await runSchedulerTick(env, FAST);
        const [run] = await runsOf(id);
        expect(run!.Error__c).toMatch(/does not allow sending reports to email addresses/);
        expect((await state()).filesUploaded).toEqual([]);
    });

    it('reports an org whose JWT is rejected and runs nothing there', async () => {
        const id = await createSchedule();
        const wrongApp = JSON.stringify([
            { ...ORG, consumerKey: 'someone-else', schedulerUsername: ADA }
        ]);
        const outcomes = await runSchedulerTick({ ...env, SCHEDULER_ORGS: wrongApp }, FAST);
        expect(outcomes).toEqual([{ orgId: ORG.orgId, outcome: 'org_failed' }]);
        expect(await runsOf(id)).toEqual([]);

        const pair = (await crypto.subtle.generateKey(
            {
                name: 'RSASSA-PKCS1-v1_5',
                modulusLength: 2048,
                publicExponent: new Uint8Array([1, 0, 1]),
                hash: 'SHA-256'
            },
            true,
            ['sign', 'verify']
        )) as CryptoKeyPair;
        const pkcs8 = new Uint8Array(
            (await crypto.subtle.exportKey('pkcs8', pair.privateKey)) as ArrayBuffer
        );
        const pem = `-----BEGIN PRIVATE KEY-----\n${btoa(String.fromCharCode(...pkcs8))}\n-----END PRIVATE KEY-----\n`;
        expect(await runSchedulerTick({ ...env, SCHEDULER_PRIVATE_KEY: pem }, FAST)).toEqual([
            { orgId: ORG.orgId, outcome: 'org_failed' }
        ]);
        expect(await runsOf(id)).toEqual([]);
    });

    it('retries a 503 and succeeds, noting the retry in the steps', async () => {
        const id = await createSchedule();
        await standIn('/__standin/faults', {
            faults: [
                { pathIncludes: '/query', method: 'GET', times: 1, status: 503 },
                { pathIncludes: '/sobjects/ContentVersion', method: 'POST', times: 2, status: 503 }
            ]
        });
        const outcomes = await runSchedulerTick(env, FAST);
        expect(outcomes).toMatchObject([{ outcome: 'succeeded' }]);
        const [run] = await runsOf(id);
        expect(run!.Status__c).toBe('Succeeded');
        const steps = JSON.parse(run!.Steps__c) as RunStep[];
        expect(steps.map((s) => `${s.step}:${s.outcome}`)).toEqual([
            'claim:ok',
            'sign_in:ok',
            'read:ok',
            'render:ok',
            'upload:retry',
            'upload:retry',
            'upload:ok',
            'email:ok'
        ]);
        expect((await state()).filesUploaded).toHaveLength(1);
    });

    it('retries REQUEST_LIMIT_EXCEEDED, then fails readably when it persists', async () => {
        const id = await createSchedule();
        const outcomes = await runSchedulerTick(env, FAST);
        expect(outcomes).toMatchObject([{ outcome: 'succeeded' }]);
        // Due again, and the org now refuses every read with the limit error.
        await api(ADA, `sobjects/${SCHEDULE_OBJECT}/${id}`, {
            method: 'PATCH',
            json: { Next_Run_At__c: new Date(Date.now() - 1000).toISOString() }
        });
        await standIn('/__standin/faults', {
            pathIncludes: '/sobjects/ContentVersion',
            method: 'POST',
            times: 50,
            status: 403,
            errorCode: 'REQUEST_LIMIT_EXCEEDED',
            message: 'TotalRequests Limit exceeded.'
        });
        await runSchedulerTick(env, { ...FAST, maxAttempts: 3 });
        const runs = await runsOf(id);
        const failed = runs.find((r) => r.Status__c === 'Failed');
        expect(failed?.Error__c).toMatch(
            /stayed unavailable .*REQUEST_LIMIT_EXCEEDED.*after retries/
        );
        const steps = JSON.parse(failed!.Steps__c) as RunStep[];
        expect(steps.filter((s) => s.outcome === 'retry')).toHaveLength(2);
    });
});

describe('scheduled reports: volume and formulas', () => {
    it('reads 10,000 rows over several queryMore pages into one CSV', async () => {
        await standIn('/__standin/seed', {
            type: 'Account',
            count: 10_000,
            ownerUsername: SAM,
            fields: { Name: 'Bulk {n}', Industry: 'Energy' }
        });
        const id = await createSchedule({
            query: {
                object: 'Account',
                fields: ['Name', 'Industry'],
                filters: [{ field: 'Name', operator: 'startsWith', value: 'Bulk ' }]
            }
        });
        expect(await runSchedulerTick(env, FAST)).toMatchObject([
            { outcome: 'succeeded', rows: 10_000 }
        ]);
        const [run] = await runsOf(id);
        expect(run!.Rows__c).toBe(10_000);
        const steps = JSON.parse(run!.Steps__c) as RunStep[];
        expect(steps.find((s) => s.step === 'read')?.detail).toBe('10000 rows in 5 page(s)');
        const csv = await fileText((await state()).filesUploaded[0]!.contentVersionId);
        const lines = csv.trimEnd().split('\r\n');
        expect(lines).toHaveLength(10_001);
        expect(new Set(lines.slice(1)).size).toBe(10_000);
    }, 60_000);

    it('renders a PDF of 10,000 rows and refuses one of more, before rendering, with what to do instead', async () => {
        await standIn('/__standin/seed', {
            type: 'Account',
            count: 10_001,
            ownerUsername: SAM,
            fields: { Name: 'Bulk {n}', Industry: 'Energy' }
        });
        const bulk = {
            object: 'Account',
            fields: ['Name', 'Industry'],
            filters: [{ field: 'Name', operator: 'startsWith' as const, value: 'Bulk ' }]
        };
        const tooBig = await createSchedule({ name: 'All bulk', format: 'PDF', query: bulk });
        const atLimit = await createSchedule({
            name: 'First 10,000',
            format: 'PDF',
            query: { ...bulk, limit: 10_000 }
        });
        const outcomes = await runSchedulerTick(env, FAST);
        expect(new Map(outcomes.map((o) => [o.scheduleId, o.outcome]))).toEqual(
            new Map([
                [tooBig, 'failed'],
                [atLimit, 'succeeded']
            ])
        );

        const [refused] = await runsOf(tooBig);
        expect(refused!.Error__c).toBe(pdfTooManyRowsMessage());
        expect(refused!.Error__c).toMatch(/more than 10,000 rows.*Choose CSV/);
        const steps = JSON.parse(refused!.Steps__c) as RunStep[];
        expect(steps.map((s) => `${s.step}:${s.outcome}`)).toEqual([
            'claim:ok',
            'sign_in:ok',
            'read:failed'
        ]);
        const [rendered] = await runsOf(atLimit);
        expect(rendered).toMatchObject({ Status__c: 'Succeeded', Rows__c: 10_000 });

        const { filesUploaded, emailsSent } = await state();
        // One File, the 10,000-row PDF; the owner of the refused one is told why.
        expect(filesUploaded).toHaveLength(1);
        expect(filesUploaded[0]).toMatchObject({ linkedEntityId: atLimit });
        expect(filesUploaded[0]!.pathOnClient).toMatch(/\.pdf$/);
        expect(emailsSent).toContainEqual(
            expect.objectContaining({
                subject: 'Scheduled report failed: All bulk',
                body: expect.stringContaining(pdfTooManyRowsMessage())
            })
        );
    }, 120_000);

    it("leaves due schedules for the next tick once the tick's CPU estimate is spent", async () => {
        const first = await createSchedule(
            { name: 'First' },
            SAM_ID,
            new Date(Date.now() - 120_000)
        );
        const second = await createSchedule(
            { name: 'Second' },
            SAM_ID,
            new Date(Date.now() - 60_000)
        );
        const before = (await scheduleRecord(second)).Next_Run_At__c;
        const outcomes = await runSchedulerTick(env, { ...FAST, cpuBudgetMs: 1 });
        expect(outcomes.map((o) => [o.scheduleId, o.outcome])).toEqual([
            [first, 'succeeded'],
            [second, 'out_of_time']
        ]);
        // Not claimed: still due, no run, and the next tick takes it.
        expect(await runsOf(second)).toEqual([]);
        expect((await scheduleRecord(second)).Next_Run_At__c).toBe(before);
        expect(await runSchedulerTick(env, FAST)).toMatchObject([
            { scheduleId: second, outcome: 'succeeded' }
        ]);
    });

    it('records the recipients a per-recipient schedule could not reach in the CPU budget as skipped, and tells the owner', async () => {
        // Three deliveries: Sam and Ada as themselves, the external address as the owner (an org
        // that allows external recipients). The first uses the whole budget; the other two are
        // recorded Skipped, each on its own run, created once already finished.
        const ADA_ID = '0055g0000000001AAA';
        const allowingExternals = {
            ...env,
            SCHEDULER_ORGS: JSON.stringify([{ ...ORG, allowExternalRecipients: true }])
        };
        const id = await createSchedule(
            {
                name: 'Per seller',
                perRecipient: true,
                recipients: [
                    { type: 'user', userId: SAM_ID },
                    { type: 'user', userId: ADA_ID },
                    { type: 'email', address: 'partner@example.org' }
                ]
            },
            SAM_ID
        );
        const calls: { method: string; url: string }[] = [];
        const realFetch = globalThis.fetch;
        const spy = vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
            const request = new Request(input, init);
            calls.push({ method: request.method, url: request.url });
            return realFetch(input, init);
        });
        let outcomes;
        try {
            outcomes = await runSchedulerTick(allowingExternals, { ...FAST, cpuBudgetMs: 1 });
        } finally {
            spy.mockRestore();
        }
        expect(outcomes).toMatchObject([{ scheduleId: id, outcome: 'failed' }]);
        const runs = await runsOf(id);
        expect(runs.map((r) => r.Status__c).sort()).toEqual(['Skipped', 'Skipped', 'Succeeded']);
        const skipped = runs.filter((r) => r.Status__c === 'Skipped');
        const delivered = runs.find((r) => r.Status__c === 'Succeeded')!;
        // One Skipped run per recipient left: Ada's and the external version (no recipient user).
        expect(skipped.map((r) => r.Recipient_User__c ?? 'external').sort()).toEqual(
            [delivered.Recipient_User__c === SAM_ID ? ADA_ID : SAM_ID, 'external'].sort()
        );
        for (const run of skipped) {
            expect(run.Error__c).toContain('ran out of time after 1 of 3 deliveries');
            expect(run.File_Id__c).toBeNull();
            expect(run.Finished_At__c).not.toBeNull();
            // Created with its final status: never patched from Running afterwards.
            expect(
                calls.filter((c) => c.method === 'PATCH' && c.url.includes(`/${run.Id}`))
            ).toEqual([]);
        }
        expect((await scheduleRecord(id)).Last_Status__c).toBe('Failed');
        // The delivered recipient got the report; the owner got the reason at their own address,
        // and nobody else got mail.
        const { emailsSent } = await state();
        expect(emailsSent).toHaveLength(2);
        const notice = emailsSent.find((e) => e.subject.startsWith('Scheduled report failed'));
        expect(notice?.emailAddresses).toEqual(['sam.seller@resident.example.com']);
        expect(notice?.body).toContain('Run now delivers to everyone again');
    });

    it('neutralises cells that would run as spreadsheet formulas', async () => {
        await api(SAM, 'sobjects/Account', {
            method: 'POST',
            json: { Name: '=HYPERLINK("http://evil.test","Click")', Industry: 'Energy' }
        });
        await api(SAM, 'sobjects/Account', {
            method: 'POST',
            json: { Name: '@SUM(A1:A9)', Industry: 'Energy' }
        });
        const id = await createSchedule({
            query: {
                object: 'Account',
                fields: ['Name'],
                filters: [
                    { field: 'Industry', operator: 'equals', value: 'Energy' },
                    { field: 'CreatedById', operator: 'equals', value: SAM_ID }
                ]
            }
        });
        await runSchedulerTick(env, FAST);
        expect((await runsOf(id))[0]!.Status__c).toBe('Succeeded');
        const csv = await fileText((await state()).filesUploaded[0]!.contentVersionId);
        expect(csv).toContain(`"'=HYPERLINK(""http://evil.test"",""Click"")"\r\n`);
        expect(csv).toContain(`'@SUM(A1:A9)\r\n`);
        expect(csv).not.toMatch(/(^|\n)[=@+-]/);
    });
});

describe('scheduled reports: exactly once', () => {
    it('runs a schedule once when two ticks overlap', async () => {
        const id = await createSchedule();
        // Claims compare whole seconds: wait until the schedule's last save is safely past.
        await new Promise((resolve) => setTimeout(resolve, 2100));
        // Both ticks read the due schedules before either claims (on a loaded machine one tick
        // could otherwise finish before the other starts, and there would be no race to test).
        await standIn('/__standin/faults', {
            pathIncludes: '/query',
            method: 'GET',
            times: 2,
            barrier: 2
        });
        const [a, b] = await Promise.all([runSchedulerTick(env), runSchedulerTick(env)]);
        const outcomes = [...a!, ...b!].map((o) => o.outcome).sort();
        expect(outcomes).toEqual(['claimed_elsewhere', 'succeeded']);
        expect(await runsOf(id)).toHaveLength(1);
        expect((await state()).emailsSent).toHaveLength(1);
    });

    it('leaves a schedule saved this very second for the next tick', async () => {
        const id = await createSchedule();
        expect(await runSchedulerTick(env)).toEqual([
            { orgId: ORG.orgId, scheduleId: id, outcome: 'recently_modified' }
        ]);
        expect(await runsOf(id)).toEqual([]);
    });

    it('records a due time the frequency does not produce as "Run now"', async () => {
        const id = await createSchedule({}, SAM_ID, new Date(Date.now() - 60_000));
        await runSchedulerTick(env, FAST);
        expect((await runsOf(id))[0]!.Trigger__c).toBe('Run now');
    });

    it('runs from the cron trigger of the Worker itself', async () => {
        const id = await createSchedule();
        await new Promise((resolve) => setTimeout(resolve, 2100));
        const ctx = createExecutionContext();
        await worker.scheduled(
            createScheduledController({ scheduledTime: Date.now(), cron: '*/5 * * * *' }),
            env,
            ctx
        );
        await waitOnExecutionContext(ctx);
        expect((await runsOf(id))[0]?.Status__c).toBe('Succeeded');
    });
});

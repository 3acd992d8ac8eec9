import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import {
    DEFAULT_POLICY,
    type EgressPolicy
} from '../../force-app/main/default/lwc/egressPolicy/egressPolicy';
import {
    nextRunAt,
    RUN_OBJECT,
    SCHEDULE_OBJECT,
    scheduleToFields,
    type ReportScheduleDefinition,
    type RunStep
} from '../../force-app/main/default/lwc/reportSchedule/reportSchedule';
import type { MessagesRequestBody } from '../../scripts/standins/anthropicStandIn';
import { runSchedulerTick, type TickOptions } from '../src/scheduler/schedulerTick';
import { resetStandIn, scriptStandIn, standInRequests } from './anthropicStandInClient';

// The AI summary of scheduled reports, and what recipients need to open the File: against the
// Salesforce org stand-in and the Anthropic stand-in (test doubles speaking the real wire formats),
// which records exactly what the relay sent the model.
const ORG_URL = (JSON.parse(env.SCHEDULER_ORGS) as { loginUrl: string }[])[0]!.loginUrl;
const V = '/services/data/v62.0';
const ADA = 'ada.admin@resident.standin';
const SAM = 'sam.seller@resident.standin';
const ADA_ID = '0055g0000000001AAA';
const SAM_ID = '0055g0000000002AAA';
const ACCOUNTS_BY_INDUSTRY_REPORT_ID = '00O5g0000000002EAA';
const ACCOUNTS_BY_INDUSTRY_REPORT_NAME = 'Accounts by Industry';
const FAST: TickOptions = { claimQuietMs: 0, retryBaseDelayMs: 10 };
/** A relay with an LLM key (the stand-in's), retrying the model once. */
const withModel = {
    ...env,
    ANTHROPIC_API_KEY: 'sk-ant-api03-relay-test-key-summary',
    UPSTREAM_MAX_RETRIES: '1'
};
const STAND_IN_KEY = 'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-leaked';

async function standIn(path: string, body?: unknown, token?: string): Promise<Response> {
    return fetch(`${ORG_URL}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
            'content-type': 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {})
        },
        body: body === undefined ? undefined : JSON.stringify(body)
    });
}

async function tokenOf(username: string): Promise<string> {
    const session = (await (await standIn('/__standin/session', { username })).json()) as {
        access_token: string;
    };
    return session.access_token;
}

async function api<T>(
    username: string,
    path: string,
    init: { method?: string; json?: unknown } = {}
): Promise<T> {
    const response = await fetch(`${ORG_URL}${V}/${path}`, {
        method: init.method ?? 'GET',
        headers: {
            authorization: `Bearer ${await tokenOf(username)}`,
            'content-type': 'application/json'
        },
        body: init.json === undefined ? undefined : JSON.stringify(init.json)
    });
    if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
}

/** The admin saves the trust settings (the stand-in's TrustSettingsController double). */
async function savePolicy(change: Partial<EgressPolicy>): Promise<void> {
    const policy = { ...structuredClone(DEFAULT_POLICY), ...change };
    const response = await standIn(
        '/__standin/apex/TrustSettingsController/saveTrustSettings',
        { settings: JSON.stringify({ policy, autoApprove: {} }) },
        await tokenOf(ADA)
    );
    expect(response.status).toBe(200);
}

function definition(overrides: Partial<ReportScheduleDefinition> = {}): ReportScheduleDefinition {
    return {
        name: 'My contacts',
        sourceType: 'Query',
        query: {
            object: 'Contact',
            fields: ['Name', 'Email', 'Phone', 'Title'],
            filters: [],
            orderBy: { field: 'Name', direction: 'ASC' }
        },
        format: 'CSV',
        frequency: { kind: 'daily', time: '07:00' },
        timeZone: 'Europe/Berlin',
        recipients: [{ type: 'user', userId: SAM_ID }],
        perRecipient: false,
        aiSummary: true,
        active: true,
        ...overrides
    };
}

/** A schedule due at its last regular time, owned by `ownerId`. */
async function createSchedule(
    overrides: Partial<ReportScheduleDefinition> = {},
    ownerId = SAM_ID
): Promise<string> {
    const d = definition(overrides);
    let due = nextRunAt(d.frequency, d.timeZone, new Date(Date.now() - 3 * 86_400_000));
    for (;;) {
        const following = nextRunAt(d.frequency, d.timeZone, due);
        if (following.getTime() > Date.now()) break;
        due = following;
    }
    const created = await api<{ id: string }>(ADA, `sobjects/${SCHEDULE_OBJECT}`, {
        method: 'POST',
        json: { ...scheduleToFields(d), OwnerId: ownerId, Next_Run_At__c: due.toISOString() }
    });
    return created.id;
}

interface Run {
    Status__c: string;
    Rows__c: number | null;
    File_Id__c: string | null;
    Steps__c: string;
}

async function onlyRun(scheduleId: string): Promise<Run & { steps: RunStep[] }> {
    const soql = `SELECT Status__c, Rows__c, File_Id__c, Steps__c FROM ${RUN_OBJECT} WHERE Schedule__c = '${scheduleId}'`;
    const { records } = await api<{ records: Run[] }>(ADA, `query?q=${encodeURIComponent(soql)}`);
    expect(records).toHaveLength(1);
    return { ...records[0]!, steps: JSON.parse(records[0]!.Steps__c) as RunStep[] };
}

interface StandInState {
    emailsSent: { emailAddresses: string[]; body: string }[];
    filesUploaded: { contentVersionId: string; contentDocumentId: string }[];
}

async function orgState(): Promise<StandInState> {
    return (await standIn('/__standin/state')).json() as Promise<StandInState>;
}

/** Everything the relay sent the model, as one string per request. */
async function sentToModel(): Promise<string[]> {
    return (await standInRequests())
        .filter((r) => r.path.startsWith('/v1/messages'))
        .map((r) => JSON.stringify(r.body as MessagesRequestBody));
}

/** Sam's contacts as Sam reads them, sorted as the schedule sorts them. */
async function samsContacts(): Promise<
    { Name: string; Email: string | null; Phone: string | null }[]
> {
    const soql = 'SELECT Name, Email, Phone FROM Contact ORDER BY Name ASC NULLS LAST';
    return (
        await api<{ records: { Name: string; Email: string | null; Phone: string | null }[] }>(
            SAM,
            `query?q=${encodeURIComponent(soql)}`
        )
    ).records;
}

interface LoggedModelCall {
    Outcome__c: string;
    Model_Usage__c: number | null;
    Result_Summary__c: string;
    Record_Id__c: string;
    CreatedById: string;
}

/** The `Model call` activity entries about a schedule the user can read (the log is private). */
async function modelCallsLogged(username: string, scheduleId: string): Promise<LoggedModelCall[]> {
    const soql = `SELECT Outcome__c, Model_Usage__c, Result_Summary__c, Record_Id__c, CreatedById FROM Resident_Activity__c WHERE Kind__c = 'Model call' AND Record_Id__c = '${scheduleId}'`;
    return (
        await api<{ records: LoggedModelCall[] }>(username, `query?q=${encodeURIComponent(soql)}`)
    ).records;
}

beforeEach(async () => {
    await standIn('/__standin/reset', {});
    await resetStandIn();
});

describe('the AI summary of a scheduled report', () => {
    it('puts a summary written from masked rows into the email, with the real values back in', async () => {
        await api(SAM, 'sobjects/Contact', {
            method: 'POST',
            json: {
                LastName: 'Aaron',
                Title: `API key ${STAND_IN_KEY}`,
                Email: 'aaron@example.org'
            }
        });
        await scriptStandIn([
            {
                reply: {
                    content: [
                        { type: 'text', text: 'Sam has many contacts; the first is <EMAIL_1>.' }
                    ]
                }
            }
        ]);
        const id = await createSchedule();
        expect(await runSchedulerTick(withModel, FAST)).toMatchObject([{ outcome: 'succeeded' }]);

        const run = await onlyRun(id);
        expect(run.Status__c).toBe('Succeeded');
        const summarise = run.steps.find((s) => s.step === 'summarise');
        expect(summarise).toMatchObject({ outcome: 'ok' });
        expect(summarise?.detail).toMatch(/^claude-sonnet-5-5: \d+ of \d+ rows sent masked/);

        const contacts = await samsContacts();
        expect(contacts[0]!.Email).toBe('aaron@example.org');
        const { emailsSent } = await orgState();
        expect(emailsSent).toHaveLength(1);
        const body = emailsSent[0]!.body;
        // At the top, named as the model's, with the mask replaced by the address it stood for.
        expect(body.startsWith('Summary (written by AI from the rows below)\n')).toBe(true);
        expect(body).toContain('Sam has many contacts; the first is aaron@example.org.');
        expect(body).not.toContain('<EMAIL_1>');
        // The model call is in the activity log as Sam's, with its tokens, like the coworker's.
        const logged = await modelCallsLogged(SAM, id);
        expect(logged).toHaveLength(1);
        expect(logged[0]).toMatchObject({
            Outcome__c: 'Succeeded',
            Record_Id__c: id,
            CreatedById: SAM_ID
        });
        expect(logged[0]!.Model_Usage__c).toBeGreaterThan(0);
        expect(logged[0]!.Result_Summary__c).toMatch(
            /^AI summary of a scheduled report \(claude-sonnet-5-5, \d+ rows sent masked\)$/
        );
        expect(logged[0]!.Result_Summary__c).not.toContain('aaron');
    });

    it('never sends the model a masked value, an excluded field or a credential', async () => {
        await savePolicy({ excludedFields: ['Contact.Phone'] });
        await api(SAM, 'sobjects/Contact', {
            method: 'POST',
            json: {
                LastName: 'Aaron',
                Title: `API key ${STAND_IN_KEY}`,
                Email: 'aaron@example.org'
            }
        });
        await scriptStandIn([{ reply: { content: [{ type: 'text', text: 'A summary.' }] } }]);
        const id = await createSchedule();
        await runSchedulerTick(withModel, FAST);
        expect((await onlyRun(id)).Status__c).toBe('Succeeded');

        const sent = await sentToModel();
        expect(sent).toHaveLength(1);
        const request = JSON.parse(sent[0]!) as MessagesRequestBody;
        expect(request.model).toBe('claude-sonnet-5-5');
        expect(request.max_tokens).toBeLessThanOrEqual(400);
        const contacts = await samsContacts();
        expect(contacts.length).toBeGreaterThan(1);
        for (const contact of contacts) {
            // Emails are masked; the excluded Phone column is not there at all.
            if (contact.Email) expect(sent[0]).not.toContain(contact.Email);
            if (contact.Phone) expect(sent[0]).not.toContain(contact.Phone);
            expect(sent[0]).toContain(contact.Name);
        }
        expect(sent[0]).toContain('<EMAIL_1>');
        expect(sent[0]).not.toMatch(/\\tPhone|Phone\\t/);
        expect(sent[0]).not.toContain('sk-ant-api03');
        expect(sent[0]).toContain('[REDACTED_CREDENTIAL]');
        const step = (await onlyRun(id)).steps.find((s) => s.step === 'summarise');
        expect(step?.detail).toContain('1 column(s) left out by the egress policy');
    });

    it('delivers the report without a summary when the egress policy turns AI off, and says so', async () => {
        await savePolicy({ aiEnabled: false });
        const id = await createSchedule();
        expect(await runSchedulerTick(withModel, FAST)).toMatchObject([{ outcome: 'succeeded' }]);
        const run = await onlyRun(id);
        expect(run.Status__c).toBe('Succeeded');
        expect(run.File_Id__c).toMatch(/^069/);
        expect(run.steps.find((s) => s.step === 'summarise')).toMatchObject({
            outcome: 'skipped',
            detail: "No AI summary: the org's egress policy turns AI off."
        });
        expect(await sentToModel()).toEqual([]);
        const { emailsSent } = await orgState();
        expect(emailsSent[0]!.body).not.toContain('Summary');
        expect(await modelCallsLogged(SAM, id)).toEqual([]);
    });

    it('delivers the report without a summary when the model fails with a 500', async () => {
        await scriptStandIn([{ fail: { kind: 'api_error' } }, { fail: { kind: 'api_error' } }]);
        const id = await createSchedule({ format: 'PDF' });
        expect(await runSchedulerTick(withModel, FAST)).toMatchObject([{ outcome: 'succeeded' }]);
        const run = await onlyRun(id);
        expect(run.Status__c).toBe('Succeeded');
        expect(run.steps.map((s) => `${s.step}:${s.outcome}`)).toEqual([
            'claim:ok',
            'sign_in:ok',
            'read:ok',
            'summarise:skipped',
            'render:ok',
            'upload:ok',
            'email:ok'
        ]);
        expect(run.steps.find((s) => s.step === 'summarise')?.detail).toMatch(
            /^No AI summary: the model did not answer \(The LLM service is overloaded or failing/
        );
        // Retried once (UPSTREAM_MAX_RETRIES), then given up: the report still went out.
        expect(await sentToModel()).toHaveLength(2);
        expect((await orgState()).filesUploaded).toHaveLength(1);
        // A model call that failed is an AI action too: logged as Failed, no tokens counted.
        expect(await modelCallsLogged(SAM, id)).toEqual([
            expect.objectContaining({ Outcome__c: 'Failed', Model_Usage__c: 0, Record_Id__c: id })
        ]);
    });

    it('asks nothing of the model when the schedule does not want a summary', async () => {
        const id = await createSchedule({ aiSummary: false });
        await runSchedulerTick(withModel, FAST);
        const run = await onlyRun(id);
        expect(run.steps.some((s) => s.step === 'summarise')).toBe(false);
        expect(await sentToModel()).toEqual([]);
    });
});

/** The step a run's summary left. */
async function summaryStep(scheduleId: string): Promise<RunStep | undefined> {
    return (await onlyRun(scheduleId)).steps.find((s) => s.step === 'summarise');
}

/** A `Model call` activity entry of Sam's today, as the coworker's calls leave them. */
async function samUsedTokens(tokens: number): Promise<void> {
    await api(SAM, 'sobjects/Resident_Activity__c', {
        method: 'POST',
        json: {
            Kind__c: 'Model call',
            Outcome__c: 'Succeeded',
            Result_Summary__c: 'a coworker reply',
            Model_Usage__c: tokens,
            User__c: SAM_ID,
            Occurred_At__c: new Date().toISOString()
        }
    });
}

/** Every request the relay made, by URL and method, and what it sent as authorization. */
function spyOnFetch(): {
    calls: { method: string; url: string; auth: string }[];
    spy: MockInstance;
} {
    const calls: { method: string; url: string; auth: string }[] = [];
    const realFetch = globalThis.fetch;
    const spy = vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
        const request = new Request(input, init);
        calls.push({
            method: request.method,
            url: decodeURIComponent(request.url),
            auth: request.headers.get('authorization') ?? ''
        });
        return realFetch(input, init);
    });
    return { calls, spy };
}

describe('what the AI summary leaves out, and when it does not run', () => {
    it("never sends a field Salesforce's data classification marks Restricted", async () => {
        // Contact.Birthdate is Restricted in the stand-in org; Sam can read it, and it is in the file.
        await api(SAM, 'sobjects/Contact', {
            method: 'POST',
            json: { LastName: 'Aaron', Birthdate: '1971-04-12', Email: 'aaron@example.org' }
        });
        await scriptStandIn([{ reply: { content: [{ type: 'text', text: 'A summary.' }] } }]);
        const id = await createSchedule({
            query: {
                object: 'Contact',
                fields: ['Name', 'Birthdate', 'Title'],
                filters: [],
                orderBy: { field: 'Name', direction: 'ASC' }
            }
        });
        await runSchedulerTick(withModel, FAST);
        expect((await onlyRun(id)).Status__c).toBe('Succeeded');
        const sent = await sentToModel();
        expect(sent).toHaveLength(1);
        expect(sent[0]).toContain('Aaron');
        expect(sent[0]).not.toContain('1971-04-12');
        expect(sent[0]).not.toContain('Birthdate');
        expect((await summaryStep(id))?.detail).toContain(
            '1 column(s) left out by the egress policy or data classification'
        );
    });

    it('skips the summary, and says why, when the data classification cannot be read', async () => {
        await standIn('/__standin/faults', {
            pathIncludes: '/query',
            queryIncludes: 'FROM FieldDefinition',
            status: 403,
            errorCode: 'INSUFFICIENT_ACCESS',
            times: 1
        });
        const id = await createSchedule();
        expect(await runSchedulerTick(withModel, FAST)).toMatchObject([{ outcome: 'succeeded' }]);
        expect(await summaryStep(id)).toMatchObject({
            outcome: 'skipped',
            detail: expect.stringMatching(
                /^No AI summary: Salesforce's data classification .* could not be read/
            )
        });
        expect(await sentToModel()).toEqual([]);
        expect((await orgState()).emailsSent).toHaveLength(1);
    });

    it('skips the summary of a Salesforce report when the policy excludes any field', async () => {
        // Report column keys (ACCOUNT.NAME, SALES) are not field names: nothing can be excluded
        // column by column, so the whole report stays in.
        await savePolicy({ excludedFields: ['Account.AnnualRevenue'] });
        const id = await createSchedule({
            name: ACCOUNTS_BY_INDUSTRY_REPORT_NAME,
            sourceType: 'Report',
            reportId: ACCOUNTS_BY_INDUSTRY_REPORT_ID,
            query: null
        });
        expect(await runSchedulerTick(withModel, FAST)).toMatchObject([{ outcome: 'succeeded' }]);
        expect(await summaryStep(id)).toMatchObject({
            outcome: 'skipped',
            detail: expect.stringContaining(
                "a Salesforce report's columns cannot be matched to fields for sure"
            )
        });
        expect(await sentToModel()).toEqual([]);
    });

    it("summarises a Salesforce report when nothing is excluded and its object's classification is read", async () => {
        await scriptStandIn([{ reply: { content: [{ type: 'text', text: 'Energy leads.' }] } }]);
        const id = await createSchedule({
            name: ACCOUNTS_BY_INDUSTRY_REPORT_NAME,
            sourceType: 'Report',
            reportId: ACCOUNTS_BY_INDUSTRY_REPORT_ID,
            query: null
        });
        const { calls, spy } = spyOnFetch();
        try {
            await runSchedulerTick(withModel, FAST);
        } finally {
            spy.mockRestore();
        }
        expect(await summaryStep(id)).toMatchObject({ outcome: 'ok' });
        expect(await sentToModel()).toHaveLength(1);
        // The report type (AccountList) names Account, whose classification was read first.
        expect(
            calls.some(
                (c) => c.url.includes('FROM FieldDefinition') && /IN \([^)]*'Account'/.test(c.url)
            )
        ).toBe(true);
    });

    it("caps the answer by what is left of the reader's daily token budget, and skips when none is", async () => {
        await savePolicy({ tokenBudget: { perTask: 200_000, perUserPerDay: 1_000 } });
        await samUsedTokens(700);
        await samUsedTokens(200);
        await scriptStandIn([{ reply: { content: [{ type: 'text', text: 'A summary.' }] } }]);
        const first = await createSchedule();
        await runSchedulerTick(withModel, FAST);
        expect(await summaryStep(first)).toMatchObject({ outcome: 'ok' });
        const sent = await sentToModel();
        expect(sent).toHaveLength(1);
        // 1,000 − 900 used today: the answer may not outspend it (as on /v1/messages).
        expect((JSON.parse(sent[0]!) as MessagesRequestBody).max_tokens).toBe(100);

        // That call was logged as Sam's; with the day's budget spent nothing more is sent.
        await resetStandIn();
        await samUsedTokens(1_000);
        const second = await createSchedule({ name: 'Again' });
        await runSchedulerTick(withModel, FAST);
        const soql = `SELECT Steps__c FROM ${RUN_OBJECT} WHERE Schedule__c = '${second}'`;
        const { records } = await api<{ records: { Steps__c: string }[] }>(
            ADA,
            `query?q=${encodeURIComponent(soql)}`
        );
        const steps = JSON.parse(records[0]!.Steps__c) as RunStep[];
        expect(steps.find((s) => s.step === 'summarise')).toMatchObject({
            outcome: 'skipped',
            detail: expect.stringContaining("used today's token budget")
        });
        expect(await sentToModel()).toEqual([]);
    });

    it('skips the summary when the policy requires zero retention the relay cannot honour', async () => {
        await savePolicy({ zeroRetention: true });
        const id = await createSchedule();
        expect(await runSchedulerTick(withModel, FAST)).toMatchObject([{ outcome: 'succeeded' }]);
        expect(await summaryStep(id)).toMatchObject({
            outcome: 'skipped',
            detail: "No AI summary: the org's egress policy requires zero data retention, which this relay's LLM account does not have."
        });
        expect(await sentToModel()).toEqual([]);
    });

    it('skips the summary without a key, before asking the org for its policy', async () => {
        const id = await createSchedule();
        const { calls, spy } = spyOnFetch();
        try {
            expect(await runSchedulerTick(env, FAST)).toMatchObject([{ outcome: 'succeeded' }]);
        } finally {
            spy.mockRestore();
        }
        expect(await summaryStep(id)).toMatchObject({
            outcome: 'skipped',
            detail: 'No AI summary: the relay has no LLM API key configured.'
        });
        expect(calls.filter((c) => c.url.includes('Resident_Egress_Policy__mdt'))).toEqual([]);
        expect(await sentToModel()).toEqual([]);
    });

    it('reads the egress policy once for a per-recipient run, and names each reader pseudonymously', async () => {
        await scriptStandIn([
            { reply: { content: [{ type: 'text', text: 'For Sam.' }] } },
            { reply: { content: [{ type: 'text', text: 'For Ada.' }] } }
        ]);
        await createSchedule({
            perRecipient: true,
            recipients: [
                { type: 'user', userId: SAM_ID },
                { type: 'user', userId: ADA_ID }
            ]
        });
        const { calls, spy } = spyOnFetch();
        try {
            await runSchedulerTick(withModel, FAST);
        } finally {
            spy.mockRestore();
        }
        expect(
            calls.filter((c) => c.url.includes('FROM Resident_Egress_Policy__mdt'))
        ).toHaveLength(1);
        const sent = (await sentToModel()).map((b) => JSON.parse(b) as MessagesRequestBody);
        expect(sent).toHaveLength(2);
        // metadata.user_id as /v1/messages sends it: one per reader, no Salesforce id in it.
        const ids = sent.map((r) => (r.metadata as { user_id?: string } | undefined)?.user_id);
        for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
        expect(new Set(ids).size).toBe(2);
        expect(JSON.stringify(sent)).not.toContain(SAM_ID);
    });

    it('logs no row value, no summary, no Bearer and no access token during a tick with a summary', async () => {
        await api(SAM, 'sobjects/Contact', {
            method: 'POST',
            json: { LastName: 'Zebediah-Quill', Email: 'zeb.quill@example.org' }
        });
        const SUMMARY = 'Zebediah-Quill stands out among the contacts.';
        await scriptStandIn([{ reply: { content: [{ type: 'text', text: SUMMARY }] } }]);
        const id = await createSchedule();
        const consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
            vi.spyOn(console, m).mockImplementation(() => {})
        );
        const { calls, spy } = spyOnFetch();
        let lines: string[];
        try {
            await runSchedulerTick(withModel, FAST);
        } finally {
            // Read before restoring: restoring a spy forgets its calls.
            lines = consoleSpies.flatMap((s) =>
                s.mock.calls.map((args) => args.map(String).join(' '))
            );
            spy.mockRestore();
            for (const s of consoleSpies) s.mockRestore();
        }
        expect(await summaryStep(id)).toMatchObject({ outcome: 'ok' });
        // The tick does log (ids and outcomes), so an empty list cannot pass by accident.
        expect(lines.some((l) => l.includes(id))).toBe(true);
        const tokens = [
            ...new Set(
                calls.map((c) => c.auth.replace(/^Bearer /, '')).filter((t) => t.length > 10)
            )
        ];
        expect(tokens.length).toBeGreaterThan(0);
        const contacts = await samsContacts();
        for (const line of lines) {
            expect(line).not.toContain('Bearer');
            expect(line).not.toContain(SUMMARY);
            expect(line).not.toContain('Zebediah');
            for (const contact of contacts) {
                expect(line).not.toContain(contact.Name);
                if (contact.Email) expect(line).not.toContain(contact.Email);
            }
            for (const token of tokens) expect(line).not.toContain(token);
            expect(line).not.toContain(withModel.ANTHROPIC_API_KEY);
        }
    });
});

describe('what recipients need to open the report', () => {
    it("shares the owner's File with each recipient user, so the emailed link opens for them", async () => {
        const id = await createSchedule(
            {
                aiSummary: false,
                recipients: [
                    { type: 'user', userId: ADA_ID },
                    { type: 'user', userId: SAM_ID }
                ]
            },
            ADA_ID
        );
        await runSchedulerTick(env, FAST);
        const run = await onlyRun(id);
        expect(run.Status__c).toBe('Succeeded');
        expect(run.steps).toContainEqual(
            expect.objectContaining({
                step: 'upload',
                outcome: 'ok',
                detail: 'shared with 1 recipient(s)'
            })
        );
        // Sam cannot see Ada's schedule, yet opens the File the email links to.
        const file = await api<{ Id: string }>(
            SAM,
            `sobjects/ContentDocument/${run.File_Id__c}?fields=Id,Title`
        );
        expect(file.Id).toBe(run.File_Id__c);
        await expect(api(SAM, `sobjects/${SCHEDULE_OBJECT}/${id}?fields=Id`)).rejects.toThrow(
            /404/
        );
        const { emailsSent } = await orgState();
        expect(emailsSent[0]!.body).toContain(
            `/lightning/r/ContentDocument/${run.File_Id__c}/view`
        );
    });

    it('warns that a report run through the Analytics API was cut, and suggests a query', async () => {
        await standIn('/__standin/seed', {
            type: 'Account',
            count: 2100,
            ownerUsername: SAM,
            fields: { Name: 'Bulk {n}', Industry: 'Energy' }
        });
        const id = await createSchedule({
            sourceType: 'Report',
            reportId: ACCOUNTS_BY_INDUSTRY_REPORT_ID,
            query: null,
            aiSummary: false
        });
        expect(await runSchedulerTick(env, FAST)).toMatchObject([{ outcome: 'succeeded' }]);
        const run = await onlyRun(id);
        expect(run.Status__c).toBe('Succeeded');
        expect(run.Rows__c).toBe(2000);
        const read = run.steps.find((s) => s.step === 'read');
        expect(read?.outcome).toBe('warning');
        expect(read?.detail).toMatch(/only the first 2000 rows are in the file.*schedule a query/);
    }, 30_000);
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReportScheduleDefinition } from '../../../force-app/main/default/lwc/reportSchedule/reportSchedule';
import type { ApexContext } from './apexDoubles';
import { callApexDouble, contextFor, refusal } from './apexDoubleTestSupport';
import { schedulerSetting } from './apex/reportSchedules';
import { OrgStore } from './orgStore';
import { OPEN_OPPORTUNITIES_REPORT_ID } from './reports';
import { ADA_ADMIN_ID, SAM_SELLER_ID } from './seedData';

// ReportScheduleController's doubles, called in-process as the workbench calls them over HTTP:
// Ada holds Resident Admin (View All on schedules and runs), Sam holds Resident User (own
// schedules; cannot read Opportunity.Amount).

let store: OrgStore;
let ada: ApexContext;
let sam: ApexContext;

/** Calls one of ReportScheduleController's doubles by its method name. */
function call<T>(name: string, params: Record<string, unknown>, context: ApexContext): Promise<T> {
    return callApexDouble<T>(`ReportScheduleController.${name}`, params, context);
}

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

function definition(overrides: Partial<ReportScheduleDefinition> = {}): ReportScheduleDefinition {
    return {
        name: 'Weekly accounts',
        sourceType: 'Query',
        query: {
            object: 'Account',
            fields: ['Name', 'Owner.Name'],
            filters: [{ field: 'Name', operator: 'startsWith', value: 'A' }],
            orderBy: { field: 'Name', direction: 'ASC' }
        },
        format: 'CSV',
        frequency: { kind: 'weekly', time: '08:30', days: ['MON', 'THU'] },
        timeZone: 'Europe/Berlin',
        recipients: [{ type: 'user', userId: SAM_SELLER_ID }],
        perRecipient: false,
        aiSummary: false,
        active: true,
        ...overrides
    };
}

function save(context: ApexContext, d = definition(), nextRunAt: string | null = inAnHour()) {
    return call<string>('saveSchedule', { definition: JSON.stringify(d), nextRunAt }, context);
}

beforeEach(() => {
    store = new OrgStore();
    ada = contextFor(store, ADA_ADMIN_ID);
    sam = contextFor(store, SAM_SELLER_ID);
});

afterEach(() => {
    schedulerSetting.allowExternalRecipients = false;
});

describe('ReportScheduleController doubles', () => {
    it('save a schedule as the owner, list it and read it back parsed', async () => {
        const next = inAnHour();
        const id = await save(sam, definition(), next);
        const listed = await call<{ id: string; nextRunAt: string; recipientCount: number }[]>(
            'listSchedules',
            {},
            sam
        );
        expect(listed).toEqual([
            expect.objectContaining({ id, name: 'Weekly accounts', recipientCount: 1 })
        ]);
        expect(listed[0]!.nextRunAt).toBe(new Date(next).toISOString());
        const read = await call<Record<string, unknown>>('getSchedule', { scheduleId: id }, sam);
        expect(read).toMatchObject({
            frequency: { kind: 'weekly', time: '08:30', days: ['MON', 'THU'] },
            query: { object: 'Account', fields: ['Name', 'Owner.Name'] },
            recipientNames: { [SAM_SELLER_ID]: 'Sam Seller' },
            active: true
        });
    });

    it('keep a schedule private to its owner; the admin reads it but it is not in her list', async () => {
        const id = await save(sam);
        expect(await call<unknown[]>('listSchedules', {}, ada)).toEqual([]);
        await expect(call('getSchedule', { scheduleId: id }, ada)).resolves.toMatchObject({ id });
        const ownerOnly = await save(ada, definition({ name: 'Ada only' }));
        expect(await refusal(call('getSchedule', { scheduleId: ownerOnly }, sam))).toBe(
            'This schedule does not exist, or you do not have access to it.'
        );
        expect(await refusal(call('runNow', { scheduleId: ownerOnly }, sam))).toBe(
            'This schedule does not exist, or you do not have access to it.'
        );
    });

    it('refuse an invalid schedule with every problem, saving nothing', async () => {
        const message = await refusal(
            save(
                sam,
                definition({
                    name: ' ',
                    timeZone: 'Mars/Olympus',
                    frequency: { kind: 'cron', expression: '* * * * *' },
                    recipients: []
                })
            )
        );
        expect(message).toContain('Give the schedule a name.');
        expect(message).toContain('Choose a time zone from the list.');
        expect(message).toContain('whose minute is a single number');
        expect(message).toContain('Add at least one recipient.');
        expect(await call<unknown[]>('listSchedules', {}, sam)).toEqual([]);
    });

    it('refuse a next run in the past and a malformed definition', async () => {
        expect(
            await refusal(save(sam, definition(), new Date(Date.now() - 60_000).toISOString()))
        ).toBe(
            'The next run must be in the future. Check the time and time zone, then save again.'
        );
        expect(
            await refusal(
                call('saveSchedule', { definition: 'not json', nextRunAt: inAnHour() }, sam)
            )
        ).toBe('The schedule could not be read. Reload the page and try again.');
    });

    it('allow external addresses only when the admin does', async () => {
        const external = definition({
            recipients: [{ type: 'email', address: 'cfo@partner.example' }]
        });
        expect(await refusal(save(sam, external))).toBe(
            'cfo@partner.example is outside your org, and your admin has not allowed external recipients.'
        );
        schedulerSetting.allowExternalRecipients = true;
        await expect(save(sam, external)).resolves.toMatch(/^a07/);
        expect(await call('getSchedulerSettings', {}, sam)).toEqual({
            allowExternalRecipients: true,
            maxPreviewRows: 50
        });
    });

    it('refuse a query field the user cannot read (Sam and Opportunity.Amount)', async () => {
        const amount = definition({
            query: { object: 'Opportunity', fields: ['Name', 'Amount'], filters: [] }
        });
        expect(await refusal(save(sam, amount))).toBe(
            'Amount is not a field you can read on this object.'
        );
        await expect(save(ada, amount)).resolves.toMatch(/^a07/);
    });

    it('pause clears the next run; run now refuses a paused schedule and marks an active one due now', async () => {
        const id = await save(sam);
        await call('setActive', { scheduleId: id, active: false, nextRunAt: null }, sam);
        expect(await call('getSchedule', { scheduleId: id }, sam)).toMatchObject({
            active: false,
            nextRunAt: null
        });
        expect(await refusal(call('runNow', { scheduleId: id }, sam))).toBe(
            'This schedule is paused. Resume it before running it now.'
        );
        await call('setActive', { scheduleId: id, active: true, nextRunAt: inAnHour() }, sam);
        const before = Date.now();
        const due = await call<string>('runNow', { scheduleId: id }, sam);
        expect(Date.parse(due)).toBeGreaterThanOrEqual(before - 1000);
        expect(Date.parse(due)).toBeLessThanOrEqual(Date.now());
        expect(await call<unknown[]>('listRuns', { scheduleId: id }, sam)).toEqual([]);
    });

    it('list the runs the relay wrote, newest first, to whoever sees the schedule', async () => {
        const id = await save(sam);
        // The relay's integration user (Resident Scheduler) writes runs; users only read them.
        const relay = {
            ...ada.user,
            profile: {
                ...ada.user.profile,
                objects: {
                    ...ada.user.profile.objects,
                    Resident_Report_Run__c: { read: true, create: true, edit: true, viewAll: true }
                }
            }
        };
        for (const [started, status] of [
            ['2026-02-16T07:30:05.000Z', 'Failed'],
            ['2026-02-23T07:30:05.000Z', 'Succeeded']
        ] as const) {
            store.create(relay, 'Resident_Report_Run__c', {
                Schedule__c: id,
                Trigger__c: 'Cron tick',
                Started_At__c: started.replace('Z', '+0000'),
                Status__c: status,
                Steps__c: JSON.stringify([{ at: started, step: 'read', outcome: 'ok' }]),
                Rows__c: 12,
                File_Id__c: '069000000000001AAA'
            });
        }
        const runs = await call<{ name: string; status: string; steps: unknown[] }[]>(
            'listRuns',
            { scheduleId: id, maxRows: 10 },
            sam
        );
        expect(runs.map((r) => r.status)).toEqual(['Succeeded', 'Failed']);
        expect(runs[0]).toMatchObject({
            name: 'RUN-0000002',
            rows: 12,
            fileId: '069000000000001AAA'
        });
        expect(runs[0]!.steps).toHaveLength(1);
        expect(() =>
            store.create(sam.user, 'Resident_Report_Run__c', {
                Schedule__c: id,
                Status__c: 'Succeeded'
            })
        ).toThrow();
    });

    it('keep the last-run fields for the relay', async () => {
        const id = await save(sam);
        expect(() =>
            store.update(
                sam.user,
                id,
                { Last_Status__c: 'Succeeded' },
                'Resident_Report_Schedule__c'
            )
        ).toThrow();
    });

    it('preview at most 50 query rows as the user, and a report', async () => {
        const rows = await call<{
            columns: { fieldName: string; path: string }[];
            rows: Record<string, unknown>[];
            truncated: boolean;
        }>(
            'previewRows',
            {
                definition: JSON.stringify(
                    definition({
                        query: { object: 'Account', fields: ['Name', 'Owner.Name'], filters: [] }
                    })
                )
            },
            ada
        );
        expect(rows.columns.map((c) => c.path)).toEqual(['Name', 'Owner.Name']);
        expect(rows.rows.length).toBeLessThanOrEqual(50);
        expect(rows.rows[0]).toHaveProperty('c0');
        const asSam = await call<{ rows: unknown[] }>(
            'previewRows',
            {
                definition: JSON.stringify(
                    definition({ query: { object: 'Account', fields: ['Name'], filters: [] } })
                )
            },
            sam
        );
        // Sam reaches only the accounts sharing gives him: fewer than Ada's page.
        expect(asSam.rows.length).toBeGreaterThan(0);
        expect(asSam.rows.length).toBeLessThan(rows.rows.length);
        const report = await call<{ columns: { label: string }[]; rows: unknown[] }>(
            'previewRows',
            {
                definition: JSON.stringify(
                    definition({
                        sourceType: 'Report',
                        reportId: OPEN_OPPORTUNITIES_REPORT_ID,
                        query: null
                    })
                )
            },
            sam
        );
        // Sam cannot read Opportunity.Amount: the column drops out, as on the platform.
        expect(report.columns.map((c) => c.label)).not.toContain('Amount');
        expect(report.rows.length).toBeGreaterThan(0);
    });

    it('find users by name and list reports', async () => {
        expect(await call('findUsers', { searchTerm: 'S' }, ada)).toEqual([]);
        expect(await call('findUsers', { searchTerm: 'Sam' }, ada)).toEqual([
            expect.objectContaining({ id: SAM_SELLER_ID, name: 'Sam Seller' })
        ]);
        expect(await call('listReports', { searchTerm: 'open' }, sam)).toEqual([
            expect.objectContaining({
                id: OPEN_OPPORTUNITIES_REPORT_ID,
                name: 'Open Opportunities'
            })
        ]);
    });
});

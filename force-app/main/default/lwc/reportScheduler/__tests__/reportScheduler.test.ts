import { createElement } from 'lwc';
import ReportScheduler from 'c/reportScheduler';
import type { RunSummary, ScheduleDetail, ScheduleSummary } from 'c/reportScheduler';
import getSchedulerSettings from '@salesforce/apex/ReportScheduleController.getSchedulerSettings';
import listSchedules from '@salesforce/apex/ReportScheduleController.listSchedules';
import getSchedule from '@salesforce/apex/ReportScheduleController.getSchedule';
import saveSchedule from '@salesforce/apex/ReportScheduleController.saveSchedule';
import setActive from '@salesforce/apex/ReportScheduleController.setActive';
import runNow from '@salesforce/apex/ReportScheduleController.runNow';
import listRuns from '@salesforce/apex/ReportScheduleController.listRuns';
import previewRows from '@salesforce/apex/ReportScheduleController.previewRows';
import listReports from '@salesforce/apex/ReportScheduleController.listReports';
import findUsers from '@salesforce/apex/ReportScheduleController.findUsers';
import { nextRunAt, validateSchedule } from 'c/reportSchedule';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import { flushPromises, resetDom } from '@resident/jest-utils';

const APEX = [
    'getSchedulerSettings',
    'listSchedules',
    'getSchedule',
    'saveSchedule',
    'setActive',
    'runNow',
    'listRuns',
    'previewRows',
    'listReports',
    'findUsers'
] as const;
jest.mock(
    '@salesforce/apex/ReportScheduleController.getSchedulerSettings',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/ReportScheduleController.listSchedules',
    () => ({ default: jest.fn() }),
    {
        virtual: true
    }
);
jest.mock('@salesforce/apex/ReportScheduleController.getSchedule', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock(
    '@salesforce/apex/ReportScheduleController.saveSchedule',
    () => ({ default: jest.fn() }),
    {
        virtual: true
    }
);
jest.mock('@salesforce/apex/ReportScheduleController.setActive', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/ReportScheduleController.runNow', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/ReportScheduleController.listRuns', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/ReportScheduleController.previewRows', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/ReportScheduleController.listReports', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/ReportScheduleController.findUsers', () => ({ default: jest.fn() }), {
    virtual: true
});
// The rules both sides share are the relay engineer's (c/reportSchedule); here only their
// contract matters: the constants are the real ones, the functions are mocked.
jest.mock('c/reportSchedule', () => ({
    ...jest.requireActual('c/reportSchedule'),
    nextRunAt: jest.fn(),
    validateSchedule: jest.fn()
}));
jest.mock('@salesforce/i18n/timeZone', () => ({ default: 'Europe/Berlin' }), { virtual: true });
jest.mock('@salesforce/i18n/locale', () => ({ default: 'en-US' }), { virtual: true });
jest.mock(
    '@salesforce/label/c.Resident_ReportScheduler_SaveFailed',
    () => ({ default: "Couldn't save the schedule; your changes are still here: {0}" }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_ReportScheduler_PreviewFailed',
    () => ({ default: "Couldn't run the preview: {0}" }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_ReportScheduler_ActionFailed',
    () => ({ default: "Couldn't change {0}: {1}" }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_ReportScheduler_RunNowDone',
    () => ({ default: '{0} will run within a few minutes.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_ReportScheduler_PreviewTruncated',
    () => ({ default: 'Showing the first {0} rows.' }),
    { virtual: true }
);

jest.mock(
    '@salesforce/label/c.Resident_ReportScheduler_LoadFailed',
    () => ({ default: "Couldn't load your schedules: {0}" }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_ReportScheduler_HistoryFailed',
    () => ({ default: "Couldn't load the runs: {0}" }),
    { virtual: true }
);

const mockNavigate = jest.fn();
jest.mock('lightning/navigation', () => {
    const Navigate = Symbol('Navigate');
    const GenerateUrl = Symbol('GenerateUrl');
    const NavigationMixin = (Base: new () => object) =>
        class extends Base {
            [Navigate](pageReference: unknown) {
                mockNavigate(pageReference);
            }
            [GenerateUrl]() {
                return Promise.resolve('');
            }
        };
    NavigationMixin.Navigate = Navigate;
    NavigationMixin.GenerateUrl = GenerateUrl;
    return { NavigationMixin };
});

const apex = {
    getSchedulerSettings: getSchedulerSettings as unknown as jest.Mock,
    listSchedules: listSchedules as unknown as jest.Mock,
    getSchedule: getSchedule as unknown as jest.Mock,
    saveSchedule: saveSchedule as unknown as jest.Mock,
    setActive: setActive as unknown as jest.Mock,
    runNow: runNow as unknown as jest.Mock,
    listRuns: listRuns as unknown as jest.Mock,
    previewRows: previewRows as unknown as jest.Mock,
    listReports: listReports as unknown as jest.Mock,
    findUsers: findUsers as unknown as jest.Mock
};
const nextRunMock = nextRunAt as unknown as jest.Mock;
const validateMock = validateSchedule as unknown as jest.Mock;

type Field = HTMLElement & {
    value: unknown;
    checked?: boolean;
    disabled?: boolean;
    label?: string;
    data?: unknown[];
    columns?: { label?: string; fieldName?: string; typeAttributes?: Record<string, unknown> }[];
    options?: { label: string; value: string }[];
};

const WEEKLY: ScheduleSummary = {
    id: 'a07000000000001AAA',
    name: 'Weekly pipeline',
    sourceType: 'Query',
    format: 'PDF',
    frequency: { kind: 'weekly', time: '08:30', days: ['MON'] },
    timeZone: 'Europe/Berlin',
    recipientCount: 2,
    active: true,
    nextRunAt: '2026-03-02T07:30:00.000Z',
    lastRunAt: '2026-02-23T07:30:05.000Z',
    lastStatus: 'Succeeded'
};

const DETAIL: ScheduleDetail = {
    ...WEEKLY,
    ownerId: '005000000000001AAA',
    reportId: null,
    query: {
        object: 'Opportunity',
        fields: ['Name', 'Amount'],
        filters: [{ field: 'StageName', operator: 'notEquals', value: 'Closed Lost' }],
        groupBy: null,
        totals: ['Amount']
    },
    recipients: [
        { type: 'user', userId: '005000000000002AAA' },
        { type: 'email', address: 'cfo@example.com' }
    ],
    recipientNames: { '005000000000002AAA': 'Sam Seller' },
    perRecipient: false,
    aiSummary: true
};

const RUN: RunSummary = {
    id: 'a08000000000001AAA',
    name: 'RUN-0000007',
    triggeredBy: 'Cron tick',
    dueAt: '2026-02-23T07:30:00.000Z',
    startedAt: '2026-02-23T07:30:05.000Z',
    finishedAt: '2026-02-23T07:30:09.000Z',
    status: 'Succeeded',
    steps: [
        { at: '2026-02-23T07:30:05.000Z', step: 'sign_in', outcome: 'ok' },
        { at: '2026-02-23T07:30:07.000Z', step: 'read', outcome: 'ok', detail: '120 rows' }
    ],
    error: null,
    rows: 120,
    fileId: '069000000000001AAA'
};

const OPPORTUNITY_INFO = {
    apiName: 'Opportunity',
    fields: {
        Name: { apiName: 'Name', label: 'Name', dataType: 'String' },
        Amount: { apiName: 'Amount', label: 'Amount', dataType: 'Currency' },
        StageName: { apiName: 'StageName', label: 'Stage', dataType: 'Picklist' }
    }
};

function mount(props: Record<string, unknown> = {}): HTMLElement {
    const element = createElement('c-report-scheduler', { is: ReportScheduler });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

/** In the page's shadow root, or the filter editor's (a child component with its own). */
function q(element: HTMLElement, dataId: string): Field | null {
    const selector = `[data-id="${dataId}"]`;
    const editor = element.shadowRoot!.querySelector('c-query-filter-editor');
    return (
        element.shadowRoot!.querySelector<Field>(selector) ??
        editor?.shadowRoot?.querySelector<Field>(selector) ??
        null
    );
}

async function change(element: HTMLElement, dataId: string, detail: Record<string, unknown>) {
    const field = q(element, dataId)!;
    if ('value' in detail) field.value = detail.value;
    if ('checked' in detail) field.checked = detail.checked as boolean;
    field.dispatchEvent(new CustomEvent('change', { detail }));
    await flushPromises();
}

async function click(element: HTMLElement, dataId: string): Promise<void> {
    q(element, dataId)!.click();
    await flushPromises();
}

async function rowAction(table: Field, name: string, row: unknown): Promise<void> {
    table.dispatchEvent(new CustomEvent('rowaction', { detail: { action: { name }, row } }));
    await flushPromises();
}

/** Opens the existing schedule from the list's Edit action. */
async function openDetail(element: HTMLElement): Promise<void> {
    await rowAction(q(element, 'schedules')!, 'edit', WEEKLY);
    (getObjectInfo as unknown as { emit(d: unknown): void }).emit(OPPORTUNITY_INFO);
    await flushPromises();
}

describe('c-report-scheduler', () => {
    beforeEach(() => {
        apex.getSchedulerSettings.mockResolvedValue({ allowExternalRecipients: false });
        apex.listSchedules.mockResolvedValue([WEEKLY]);
        apex.getSchedule.mockResolvedValue(DETAIL);
        apex.listRuns.mockResolvedValue([RUN]);
        apex.listReports.mockResolvedValue([
            { id: '00O000000000001AAA', name: 'Open cases', detail: 'Support' }
        ]);
        validateMock.mockReturnValue([]);
        nextRunMock.mockReturnValue(new Date('2026-03-02T07:30:00.000Z'));
    });

    afterEach(() => {
        resetDom();
        jest.clearAllMocks();
        for (const name of APEX) apex[name].mockReset();
    });

    it('shows a spinner while schedules load', async () => {
        apex.listSchedules.mockReturnValue(new Promise(() => {}));
        const element = mount();
        await flushPromises();
        expect(q(element, 'loading')).not.toBeNull();
        await expect(element).toBeAccessible();
    });

    it('says why the list failed and loads again on Try again', async () => {
        apex.listSchedules.mockRejectedValueOnce({ body: { message: 'No access' } });
        const element = mount();
        await flushPromises();
        expect(q(element, 'load-error')!.textContent).toContain('No access');
        await expect(element).toBeAccessible();
        await click(element, 'retry');
        expect(q(element, 'schedules')).not.toBeNull();
        expect(apex.listSchedules).toHaveBeenCalledTimes(2);
    });

    it('says so when the user has no schedules', async () => {
        apex.listSchedules.mockResolvedValue([]);
        const element = mount();
        await flushPromises();
        expect(q(element, 'empty')!.textContent).toBe('c.Resident_ReportScheduler_Empty');
        await expect(element).toBeAccessible();
    });

    it('lists my schedules with next run and last status, a page at a time', async () => {
        apex.listSchedules.mockResolvedValue([
            WEEKLY,
            { ...WEEKLY, id: 'a07000000000002AAA', name: 'Second' }
        ]);
        const element = mount({ pageSize: 1 });
        await flushPromises();
        const table = q(element, 'schedules')!;
        const rows = table.data as (ScheduleSummary & { status: string })[];
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({
            name: 'Weekly pipeline',
            nextRunAt: '2026-03-02T07:30:00.000Z',
            status: 'Succeeded'
        });
        expect(table.columns!.map((c) => c.fieldName)).toEqual(
            expect.arrayContaining(['name', 'nextRunAt', 'status', 'active'])
        );
        await expect(element).toBeAccessible();
    });

    it('offers Resume, not Pause or Run now, on a paused schedule', async () => {
        const element = mount();
        await flushPromises();
        const actions = q(element, 'schedules')!.columns!.at(-1)!.typeAttributes!.rowActions as (
            row: unknown,
            done: (a: { name: string; disabled?: boolean }[]) => void
        ) => void;
        let offered: { name: string; disabled?: boolean }[] = [];
        actions({ ...WEEKLY, active: false }, (a) => (offered = a));
        expect(offered.map((a) => a.name)).toEqual(['edit', 'run_now', 'resume']);
        expect(offered.find((a) => a.name === 'run_now')!.disabled).toBe(true);
    });

    it('runs a schedule now from the list and says when it will run', async () => {
        apex.runNow.mockResolvedValue('2026-02-24T10:00:00.000Z');
        const element = mount();
        await flushPromises();
        await rowAction(q(element, 'schedules')!, 'run_now', WEEKLY);
        expect(apex.runNow).toHaveBeenCalledWith({ scheduleId: WEEKLY.id });
        expect(q(element, 'notice')!.textContent).toBe(
            'Weekly pipeline will run within a few minutes.'
        );
        expect(apex.listSchedules).toHaveBeenCalledTimes(2);
        await expect(element).toBeAccessible();
    });

    it('reports a refused run now with the reason', async () => {
        apex.runNow.mockRejectedValue({ body: { message: 'This schedule is paused.' } });
        const element = mount();
        await flushPromises();
        await rowAction(q(element, 'schedules')!, 'run_now', WEEKLY);
        const notice = q(element, 'notice')!;
        expect(notice.textContent).toBe(
            "Couldn't change Weekly pipeline: This schedule is paused."
        );
        expect(notice.getAttribute('role')).toBe('alert');
    });

    it('pauses without a next run, and resumes from the next due time after now', async () => {
        apex.setActive.mockResolvedValue(undefined);
        const element = mount();
        await flushPromises();
        await rowAction(q(element, 'schedules')!, 'pause', WEEKLY);
        expect(apex.setActive).toHaveBeenLastCalledWith({
            scheduleId: WEEKLY.id,
            active: false,
            nextRunAt: null
        });
        await rowAction(q(element, 'schedules')!, 'resume', { ...WEEKLY, active: false });
        expect(nextRunMock).toHaveBeenCalledWith(
            WEEKLY.frequency,
            'Europe/Berlin',
            expect.any(Date)
        );
        expect(apex.setActive).toHaveBeenLastCalledWith({
            scheduleId: WEEKLY.id,
            active: true,
            nextRunAt: '2026-03-02T07:30:00.000Z'
        });
    });

    it('starts a new schedule in the user time zone with the query pickers', async () => {
        const element = mount();
        await flushPromises();
        await click(element, 'new');
        expect(q(element, 'form')).not.toBeNull();
        expect(q(element, 'time-zone')!.value).toBe('Europe/Berlin');
        expect(q(element, 'object')!.value).toBe('Account');
        expect(q(element, 'object')!.options!.map((o) => o.value)).toEqual([
            'Account',
            'Contact',
            'Opportunity',
            'Case',
            'Lead'
        ]);
        expect(q(element, 'external-off')).not.toBeNull();
        await expect(element).toBeAccessible();
    });

    it('says how many rows a PDF and a CSV hold, and shows a format problem at the format', async () => {
        validateMock.mockReturnValue([
            { field: 'format', message: 'A PDF report holds at most 10,000 rows.' }
        ]);
        const element = mount();
        await flushPromises();
        await click(element, 'new');
        expect(q(element, 'format-row-limits')!.textContent!.trim()).toBe(
            'c.Resident_ReportScheduler_FormatRowLimits'
        );
        await click(element, 'save');
        expect(q(element, 'error-format')!.textContent).toBe(
            'A PDF report holds at most 10,000 rows.'
        );
        expect(apex.saveSchedule).not.toHaveBeenCalled();
    });

    it('shows every problem at its field and sends nothing', async () => {
        validateMock.mockReturnValue([
            { field: 'name', message: 'Give the schedule a name.' },
            { field: 'frequency.time', message: 'Enter a time as HH:mm.' },
            { field: 'recipients', message: 'cfo@example.com is outside your org.' },
            { field: 'timeZone', message: 'Choose a time zone.' }
        ]);
        const element = mount();
        await flushPromises();
        await click(element, 'new');
        await click(element, 'save');
        expect(q(element, 'error-name')!.textContent).toBe('Give the schedule a name.');
        expect(q(element, 'error-frequency')!.textContent).toContain('Enter a time as HH:mm.');
        expect(q(element, 'error-recipients')!.textContent).toContain('outside your org');
        expect(q(element, 'error-time-zone')!.textContent).toContain('Choose a time zone.');
        expect(q(element, 'form-error')!.textContent).toBe(
            'c.Resident_ReportScheduler_FixProblems'
        );
        expect(validateMock).toHaveBeenCalledWith(expect.objectContaining({ name: '' }), {
            allowExternalRecipients: false
        });
        expect(apex.saveSchedule).not.toHaveBeenCalled();
        await expect(element).toBeAccessible();
    });

    it('builds a query with pickers and saves it with the first next run', async () => {
        apex.saveSchedule.mockResolvedValue('a07000000000009AAA');
        apex.findUsers.mockResolvedValue([{ id: '005000000000002AAA', name: 'Sam Seller' }]);
        const element = mount();
        await flushPromises();
        await click(element, 'new');
        await change(element, 'name', { value: 'Big deals' });
        await change(element, 'object', { value: 'Opportunity' });
        (getObjectInfo as unknown as { emit(d: unknown): void }).emit(OPPORTUNITY_INFO);
        await flushPromises();
        await change(element, 'fields', { value: ['Name', 'Amount'] });
        await click(element, 'add-filter');
        const filter = q(element, 'filter')!;
        const [fieldBox, operatorBox] = filter.querySelectorAll<Field>('lightning-combobox');
        fieldBox!.dispatchEvent(new CustomEvent('change', { detail: { value: 'Amount' } }));
        operatorBox!.dispatchEvent(new CustomEvent('change', { detail: { value: 'greaterThan' } }));
        await flushPromises();
        q(element, 'filter')!
            .querySelector('lightning-input')!
            .dispatchEvent(new CustomEvent('change', { detail: { value: '100000' } }));
        await flushPromises();
        expect(q(element, 'totals')!.options).toEqual([{ label: 'Amount', value: 'Amount' }]);
        await change(element, 'totals', { value: ['Amount'] });
        await change(element, 'frequency', { value: 'daily' });
        await change(element, 'time', { value: '07:15:00.000' });
        await change(element, 'user-search', { value: 'Sa' });
        expect(apex.findUsers).toHaveBeenCalledWith({ searchTerm: 'Sa' });
        const add = element.shadowRoot!.querySelector<HTMLElement>('[data-user-id]')!;
        add.click();
        await flushPromises();
        await change(element, 'ai-summary', { checked: true });
        await click(element, 'save');

        const sent = JSON.parse(apex.saveSchedule.mock.calls[0][0].definition);
        expect(sent).toMatchObject({
            name: 'Big deals',
            sourceType: 'Query',
            reportId: null,
            query: {
                object: 'Opportunity',
                fields: ['Name', 'Amount'],
                filters: [{ field: 'Amount', operator: 'greaterThan', value: '100000' }],
                totals: ['Amount']
            },
            frequency: { kind: 'daily', time: '07:15' },
            timeZone: 'Europe/Berlin',
            recipients: [{ type: 'user', userId: '005000000000002AAA' }],
            aiSummary: true,
            active: true
        });
        expect(apex.saveSchedule.mock.calls[0][0].nextRunAt).toBe('2026-03-02T07:30:00.000Z');
        expect(nextRunMock).toHaveBeenCalledWith(
            { kind: 'daily', time: '07:15' },
            'Europe/Berlin',
            expect.any(Date)
        );
        expect(q(element, 'notice')!.textContent).toBe('c.Resident_ReportScheduler_Saved');
        await expect(element).toBeAccessible();
    });

    it('keeps everything typed when the save fails, and says why', async () => {
        apex.saveSchedule.mockRejectedValue({
            body: { message: 'cfo@partner.example is outside your org.' }
        });
        const element = mount();
        await flushPromises();
        await click(element, 'new');
        await change(element, 'name', { value: 'Board pack' });
        await change(element, 'email', { value: 'cfo@partner.example' });
        await click(element, 'add-email');
        await click(element, 'save');
        expect(q(element, 'form-error')!.textContent).toBe(
            "Couldn't save the schedule; your changes are still here: cfo@partner.example is outside your org."
        );
        expect(q(element, 'name')!.value).toBe('Board pack');
        expect(element.shadowRoot!.querySelector<Field>('lightning-pill')!.label).toBe(
            'cfo@partner.example'
        );
        await expect(element).toBeAccessible();
    });

    it('picks a report the user can see as the source', async () => {
        apex.saveSchedule.mockResolvedValue('a07000000000009AAA');
        const element = mount();
        await flushPromises();
        await click(element, 'new');
        await change(element, 'source', { value: 'Report' });
        expect(apex.listReports).toHaveBeenCalled();
        expect(q(element, 'report')!.options).toEqual([
            { label: 'Open cases (Support)', value: '00O000000000001AAA' }
        ]);
        await change(element, 'report', { value: '00O000000000001AAA' });
        await change(element, 'name', { value: 'Cases' });
        await click(element, 'save');
        const sent = JSON.parse(apex.saveSchedule.mock.calls[0][0].definition);
        expect(sent).toMatchObject({
            sourceType: 'Report',
            reportId: '00O000000000001AAA',
            query: null
        });
    });

    it('edits each kind of frequency', async () => {
        const element = mount();
        await flushPromises();
        await click(element, 'new');
        await change(element, 'frequency', { value: 'hourly' });
        await change(element, 'minute', { value: '15' });
        expect(q(element, 'time')).toBeNull();
        await change(element, 'frequency', { value: 'monthly' });
        await change(element, 'day', { value: '31' });
        expect(q(element, 'day')!.value).toBe(31);
        await change(element, 'frequency', { value: 'weekly' });
        expect(q(element, 'days')!.options!.map((o) => o.label)).toEqual([
            'Monday',
            'Tuesday',
            'Wednesday',
            'Thursday',
            'Friday',
            'Saturday',
            'Sunday'
        ]);
        await change(element, 'days', { value: ['TUE', 'FRI'] });
        await change(element, 'frequency', { value: 'cron' });
        await change(element, 'cron', { value: '0 6 1 * *' });
        await click(element, 'save');
        expect(validateMock).toHaveBeenLastCalledWith(
            expect.objectContaining({ frequency: { kind: 'cron', expression: '0 6 1 * *' } }),
            expect.anything()
        );
        await expect(element).toBeAccessible();
    });

    it('previews at most the rows Apex returns, as the user, and says there are more', async () => {
        apex.previewRows.mockResolvedValue({
            columns: [{ fieldName: 'c0', label: 'Name', path: 'Name', type: 'string' }],
            rows: [
                { rowKey: '0', c0: 'Acme' },
                { rowKey: '1', c0: 'Globex' }
            ],
            truncated: true
        });
        const element = mount();
        await flushPromises();
        await click(element, 'new');
        await click(element, 'preview');
        expect(JSON.parse(apex.previewRows.mock.calls[0][0].definition)).toMatchObject({
            sourceType: 'Query',
            query: { object: 'Account', fields: ['Name'] }
        });
        const table = q(element, 'preview-rows')!;
        expect(table.data).toHaveLength(2);
        expect(table.columns).toEqual([{ label: 'Name', fieldName: 'c0' }]);
        expect(q(element, 'preview-note')!.textContent).toBe('Showing the first 2 rows.');
        await expect(element).toBeAccessible();
    });

    it('says when the preview finds nothing, and why it failed', async () => {
        apex.previewRows.mockResolvedValueOnce({ columns: [], rows: [], truncated: false });
        const element = mount();
        await flushPromises();
        await click(element, 'new');
        await click(element, 'preview');
        expect(q(element, 'preview-empty')).not.toBeNull();
        apex.previewRows.mockRejectedValueOnce({
            body: { message: 'Amount is not a field you can read on this object.' }
        });
        await click(element, 'preview');
        expect(q(element, 'preview-error')!.textContent).toContain(
            "Couldn't run the preview: Amount is not a field you can read"
        );
        expect(q(element, 'preview-rows')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('opens a schedule with its recipients by name and its runs', async () => {
        const element = mount();
        await flushPromises();
        await openDetail(element);
        expect(apex.getSchedule).toHaveBeenCalledWith({ scheduleId: WEEKLY.id });
        expect(q(element, 'name')!.value).toBe('Weekly pipeline');
        const pills = [...element.shadowRoot!.querySelectorAll<Field>('lightning-pill')];
        expect(pills.map((p) => p.label)).toEqual(['Sam Seller', 'cfo@example.com']);
        expect(q(element, 'filter')).not.toBeNull();
        expect(apex.listRuns).toHaveBeenCalledWith({ scheduleId: WEEKLY.id, maxRows: 20 });
        expect(q(element, 'runs')!.data).toEqual([RUN]);
        await expect(element).toBeAccessible();
    });

    it('shows a run’s steps and opens its File', async () => {
        const element = mount();
        await flushPromises();
        await openDetail(element);
        const runs = q(element, 'runs')!;
        await rowAction(runs, 'steps', RUN);
        const steps = q(element, 'run-steps')!;
        expect(steps.textContent).toContain('sign_in: ok');
        expect(steps.textContent).toContain('read: ok (120 rows)');
        await rowAction(runs, 'file', RUN);
        expect(mockNavigate).toHaveBeenCalledWith({
            type: 'standard__namedPage',
            attributes: { pageName: 'filePreview' },
            state: { selectedRecordId: '069000000000001AAA' }
        });
        await expect(element).toBeAccessible();
    });

    it('says when a schedule has not run, or its runs could not load', async () => {
        apex.listRuns.mockResolvedValueOnce([]);
        const element = mount();
        await flushPromises();
        await openDetail(element);
        expect(q(element, 'runs-empty')).not.toBeNull();
        await click(element, 'cancel');
        apex.listRuns.mockRejectedValueOnce({ body: { message: 'No access to runs' } });
        await openDetail(element);
        expect(q(element, 'runs-error')!.textContent).toContain('No access to runs');
    });

    it('runs now and pauses from the form of an existing schedule', async () => {
        apex.runNow.mockResolvedValue('2026-02-24T10:00:00.000Z');
        apex.setActive.mockResolvedValue(undefined);
        const element = mount();
        await flushPromises();
        await openDetail(element);
        await click(element, 'run-now');
        expect(apex.runNow).toHaveBeenCalledWith({ scheduleId: WEEKLY.id });
        expect(q(element, 'toggle-active')!.label).toBe('c.Resident_ReportScheduler_Pause');
        await click(element, 'toggle-active');
        expect(apex.setActive).toHaveBeenCalledWith({
            scheduleId: WEEKLY.id,
            active: false,
            nextRunAt: null
        });
        expect(q(element, 'toggle-active')!.label).toBe('c.Resident_ReportScheduler_Resume');
    });

    describe('after Run now from the form', () => {
        const NEW_RUN: RunSummary = {
            ...RUN,
            id: 'a08000000000002AAA',
            name: 'RUN-0000008',
            triggeredBy: 'Run now',
            status: 'Running',
            finishedAt: null,
            rows: null,
            fileId: null
        };

        beforeEach(() => {
            // Fake time that also moves on by itself, so flushPromises' zero delays still pass.
            jest.useFakeTimers({ advanceTimers: true });
            apex.runNow.mockResolvedValue('2026-02-24T10:00:00.000Z');
        });
        afterEach(() => {
            jest.useRealTimers();
        });

        async function runNowFromForm(element: HTMLElement): Promise<void> {
            await openDetail(element);
            await click(element, 'run-now');
        }

        /** Lets `ms` pass, every look due in it running to its end. */
        async function wait(ms: number): Promise<void> {
            await jest.advanceTimersByTimeAsync(ms);
            await flushPromises();
        }

        it('looks for the run by itself until it has finished, then stops', async () => {
            const element = mount();
            await flushPromises();
            await runNowFromForm(element);
            expect(q(element, 'watching-run')!.textContent).toContain(
                'c.Resident_ReportScheduler_WatchingRun'
            );
            const looksBefore = apex.listRuns.mock.calls.length;
            // Not picked up yet: the same runs as before.
            await wait(3_000);
            expect(apex.listRuns.mock.calls.length).toBe(looksBefore + 1);
            // Picked up and still running: the table shows it, the watch goes on.
            apex.listRuns.mockResolvedValue([NEW_RUN, RUN]);
            await wait(5_000);
            expect(q(element, 'runs')!.data).toEqual([NEW_RUN, RUN]);
            expect(q(element, 'watching-run')).not.toBeNull();
            // Finished: shown, and no more looks.
            const done = {
                ...NEW_RUN,
                status: 'Succeeded',
                rows: 42,
                fileId: '069000000000002AAA'
            };
            apex.listRuns.mockResolvedValue([done, RUN]);
            await wait(10_000);
            expect(q(element, 'runs')!.data).toEqual([done, RUN]);
            expect(q(element, 'watching-run')).toBeNull();
            const looks = apex.listRuns.mock.calls.length;
            await wait(60_000);
            expect(apex.listRuns.mock.calls.length).toBe(looks);
            jest.useRealTimers();
            await expect(element).toBeAccessible();
        });

        it('gives up after two relay checks and says what to do', async () => {
            const element = mount();
            await flushPromises();
            await runNowFromForm(element);
            await wait(15 * 60_000);
            expect(q(element, 'watching-run')).toBeNull();
            expect(q(element, 'run-not-seen')!.textContent).toContain(
                'c.Resident_ReportScheduler_RunNotSeen'
            );
            const looks = apex.listRuns.mock.calls.length;
            // Between 12 and 15 minutes of looking, never every second.
            expect(looks).toBeGreaterThan(45);
            expect(looks).toBeLessThan(55);
            await wait(60_000);
            expect(apex.listRuns.mock.calls.length).toBe(looks);
            // Refresh looks again, on demand.
            apex.listRuns.mockResolvedValue([NEW_RUN, RUN]);
            await click(element, 'refresh-runs');
            expect(q(element, 'run-not-seen')).toBeNull();
            expect(q(element, 'runs')!.data).toEqual([NEW_RUN, RUN]);
        });

        it('shows a failed look and stops, and stops when the form closes', async () => {
            const element = mount();
            await flushPromises();
            await runNowFromForm(element);
            apex.listRuns.mockRejectedValueOnce({ body: { message: 'Session expired' } });
            await wait(3_000);
            expect(q(element, 'runs-error')!.textContent).toContain('Session expired');
            expect(q(element, 'watching-run')).toBeNull();
            const looks = apex.listRuns.mock.calls.length;
            await wait(60_000);
            expect(apex.listRuns.mock.calls.length).toBe(looks);

            await click(element, 'run-now');
            expect(q(element, 'watching-run')).not.toBeNull();
            await click(element, 'cancel');
            const afterCancel = apex.listRuns.mock.calls.length;
            await wait(60_000);
            expect(apex.listRuns.mock.calls.length).toBe(afterCancel);
        });

        it('does not take a run it could not see before Run now for the new one', async () => {
            apex.listRuns.mockRejectedValueOnce({ body: { message: 'Busy' } });
            const element = mount();
            await flushPromises();
            await openDetail(element);
            expect(q(element, 'runs-error')).not.toBeNull();
            await click(element, 'run-now');
            // The first look learns the old run; it is finished, but not the one asked for.
            await wait(0);
            expect(q(element, 'runs')!.data).toEqual([RUN]);
            expect(q(element, 'watching-run')).not.toBeNull();
            apex.listRuns.mockResolvedValue([{ ...NEW_RUN, status: 'Failed' }, RUN]);
            await wait(3_000);
            expect(q(element, 'watching-run')).toBeNull();
        });
    });

    it('hides the external-recipients note when the admin allows them', async () => {
        apex.getSchedulerSettings.mockResolvedValue({ allowExternalRecipients: true });
        validateMock.mockReturnValue([{ field: 'name', message: 'x' }]);
        const element = mount();
        await flushPromises();
        await click(element, 'new');
        expect(q(element, 'external-off')).toBeNull();
        await click(element, 'save');
        expect(validateMock).toHaveBeenCalledWith(expect.anything(), {
            allowExternalRecipients: true
        });
    });
});

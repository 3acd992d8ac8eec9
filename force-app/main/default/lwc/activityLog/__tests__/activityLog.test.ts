import { createElement } from 'lwc';
import ActivityLog from 'c/activityLog';
import listActivity from '@salesforce/apex/ActivityLogController.listActivity';
import logActivity from '@salesforce/apex/ActivityLogController.logActivity';
import {
    getRecord,
    updateRecord,
    deleteRecord,
    notifyRecordUpdateAvailable
} from 'lightning/uiRecordApi';
import LightningConfirm from 'lightning/confirm';
import { subscribe, unsubscribe } from 'lightning/messageService';
import { flushPromises, resetDom } from '@resident/jest-utils';
import type { ActivityEntry } from 'c/coworkerContract';
import { TRUST_ACTIVITY_KINDS } from 'c/trustCenterContract';

jest.mock('@salesforce/apex/ActivityLogController.listActivity', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/ActivityLogController.logActivity', () => ({ default: jest.fn() }), {
    virtual: true
});

// Labels whose placeholders carry what the user must read (field names, who, Salesforce's message).
jest.mock(
    '@salesforce/label/c.Resident_ActivityLog_LoadFailed',
    () => ({ default: "Couldn't load the activity log: {0}" }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_ActivityLog_RefusedChanged',
    () => ({ default: 'Nothing was undone: {0} changed after the coworker wrote it.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_ActivityLog_RefusedBy',
    () => ({ default: 'Last modified by {0} on {1}.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_ActivityLog_RefusedUnreadable',
    () => ({ default: "Nothing was undone: you can't read {0}." }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_ActivityLog_UndoFailed',
    () => ({ default: 'Salesforce refused the undo, so nothing changed: {0}' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_ActivityLog_NotLogged',
    () => ({ default: "The undo couldn't be written to the activity log: {0}" }),
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

const listMock = listActivity as unknown as jest.Mock;
const logMock = logActivity as unknown as jest.Mock;
const updateMock = updateRecord as unknown as jest.Mock;
const deleteMock = deleteRecord as unknown as jest.Mock;
const notifyMock = notifyRecordUpdateAvailable as unknown as jest.Mock;
const recordWire = getRecord as unknown as {
    emit(value: unknown): void;
    error(body?: unknown, status?: number, statusText?: string): void;
    getLastConfig(): Record<string, unknown>;
};

const ACCOUNT_ID = '001000000000001AAA';

function entry(overrides: Partial<ActivityEntry> = {}): ActivityEntry {
    return {
        id: 'a01000000000001AAA',
        name: 'ACT-0000042',
        kind: 'Tool call',
        outcome: 'Succeeded',
        tool: 'update_record',
        input: '{"recordId":"001000000000001AAA","fields":{"Rating":"Hot","AnnualRevenue":5000}}',
        summary: 'Updated Acme Corporation: Rating, AnnualRevenue',
        result: '{"id":"001000000000001AAA"}',
        userId: '005000000000001AAA',
        userName: 'Ada Admin',
        coworkerName: 'Default',
        taskId: 'a02000000000001AAA',
        recordId: ACCOUNT_ID,
        objectApiName: 'Account',
        priorValues: '{"Rating":"Cold","AnnualRevenue":null}',
        newValues: '{"Rating":"Hot","AnnualRevenue":"5000"}',
        undoOfId: null,
        undoneById: null,
        undoneByName: null,
        undoneAt: null,
        tokens: null,
        occurredAt: '2026-11-02T10:15:00.000Z',
        ...overrides
    };
}

const QUERY_ENTRY = entry({
    id: 'a01000000000002AAA',
    name: 'ACT-0000041',
    tool: 'query_records',
    input: '{"soql":"SELECT Name FROM Account"}',
    summary: '12 accounts',
    priorValues: null,
    newValues: null,
    recordId: null,
    objectApiName: null
});

/** The record as LDS answers it, with who last modified it. */
function accountRecord(
    fields: Record<string, unknown>,
    lastModified = { by: 'Ada Admin', at: '2026-11-02T10:14:59.000Z' }
) {
    const recordFields: Record<string, unknown> = {
        LastModifiedDate: { value: lastModified.at, displayValue: '11/2/2026 10:14 AM' },
        LastModifiedBy: {
            value: { apiName: 'User', fields: { Name: { value: lastModified.by } } },
            displayValue: lastModified.by
        }
    };
    for (const [name, value] of Object.entries(fields)) {
        recordFields[name] = { value, displayValue: value === null ? null : String(value) };
    }
    return { id: ACCOUNT_ID, apiName: 'Account', fields: recordFields };
}

function mount(props: Record<string, unknown> = {}): HTMLElement {
    const element = createElement('c-activity-log', { is: ActivityLog });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

function q<T extends Element = HTMLElement>(element: HTMLElement, dataId: string): T | null {
    return element.shadowRoot!.querySelector<T>(`[data-id="${dataId}"]`);
}

function table(element: HTMLElement) {
    return q<HTMLElement & { data: Record<string, unknown>[]; columns: { fieldName?: string }[] }>(
        element,
        'entries'
    );
}

async function openFirst(element: HTMLElement, row: ActivityEntry): Promise<void> {
    table(element)!.dispatchEvent(
        new CustomEvent('rowaction', { detail: { action: { name: 'open' }, row } })
    );
    await flushPromises();
}

function lastFilter(): Record<string, unknown> {
    return listMock.mock.calls[listMock.mock.calls.length - 1][0].filter;
}

async function clickUndo(element: HTMLElement): Promise<void> {
    q(element, 'undo')!.click();
    await flushPromises();
}

describe('c-activity-log', () => {
    let confirmSpy: jest.SpyInstance;

    beforeEach(() => {
        confirmSpy = jest.spyOn(LightningConfirm, 'open').mockResolvedValue(true);
        logMock.mockResolvedValue('a01000000000099AAA');
        updateMock.mockResolvedValue({});
        deleteMock.mockResolvedValue(undefined);
        notifyMock.mockResolvedValue(undefined);
    });

    afterEach(() => {
        resetDom();
        jest.clearAllMocks();
        confirmSpy.mockRestore();
    });

    describe('list', () => {
        it('shows a spinner while entries load', async () => {
            listMock.mockReturnValue(new Promise(() => {}));
            const element = mount();
            await flushPromises();
            expect(q(element, 'loading')).not.toBeNull();
            expect(table(element)).toBeNull();
        });

        it('says so when there is no activity', async () => {
            listMock.mockResolvedValue([]);
            const element = mount();
            await flushPromises();
            expect(q(element, 'empty')!.textContent).toBe('c.Resident_ActivityLog_Empty');
            expect(table(element)).toBeNull();
            await expect(element).toBeAccessible();
        });

        it('lists entries in a table with a Details button, first page of the default size', async () => {
            listMock.mockResolvedValue([entry(), QUERY_ENTRY]);
            const element = mount();
            await flushPromises();
            expect(lastFilter()).toEqual({ pageSize: 25, offset: 0 });
            expect(table(element)!.data.map((r) => r.summary)).toEqual([
                'Updated Acme Corporation: Rating, AnnualRevenue',
                '12 accounts'
            ]);
            expect(table(element)!.columns.map((c) => c.fieldName)).toContain('kind');
            expect(q(element, 'filters')).not.toBeNull();
            await expect(element).toBeAccessible();
        });

        it("reports Salesforce's message when the log cannot be read, and tries again", async () => {
            listMock.mockRejectedValueOnce({ body: { message: 'Insufficient privileges' } });
            const element = mount();
            await flushPromises();
            expect(q(element, 'load-error')!.textContent).toBe(
                "Couldn't load the activity log: Insufficient privileges"
            );
            listMock.mockResolvedValue([entry()]);
            q(element, 'retry')!.click();
            await flushPromises();
            expect(q(element, 'load-error')).toBeNull();
            expect(table(element)!.data).toHaveLength(1);
        });

        it('filters by kind, tool, outcome, date and mine only, back on the first page', async () => {
            listMock.mockResolvedValue([entry()]);
            const element = mount();
            await flushPromises();
            const change = (filter: string, detail: Record<string, unknown>) => {
                const input = element.shadowRoot!.querySelector<
                    HTMLElement & { checked?: boolean }
                >(`[data-filter="${filter}"]`)!;
                if ('checked' in detail) input.checked = Boolean(detail.checked);
                input.dispatchEvent(new CustomEvent('change', { detail }));
            };
            change('kind', { value: 'Undo' });
            change('tool', { value: 'update_record' });
            change('outcome', { value: 'Failed' });
            change('since', { value: '2026-11-01' });
            change('mineOnly', { checked: true });
            await flushPromises();
            expect(lastFilter()).toEqual({
                pageSize: 25,
                offset: 0,
                kinds: ['Undo'],
                tool: 'update_record',
                outcome: 'Failed',
                since: '2026-11-01',
                mineOnly: true
            });
        });

        it('offers the trust center kinds as filters, so an auditor finds purges and rotations', async () => {
            listMock.mockResolvedValue([entry()]);
            const element = mount();
            await flushPromises();
            const kind = element.shadowRoot!.querySelector<
                HTMLElement & { options: { label: string; value: string }[] }
            >('[data-filter="kind"]')!;
            const values = kind.options.map((o) => o.value);
            for (const trustKind of TRUST_ACTIVITY_KINDS) {
                expect(values).toContain(trustKind);
            }
            kind.dispatchEvent(new CustomEvent('change', { detail: { value: 'Data purge' } }));
            await flushPromises();
            expect(lastFilter()).toMatchObject({ offset: 0, kinds: ['Data purge'] });
        });

        it('pages forward and back by the page size set in App Builder', async () => {
            const full = Array.from({ length: 5 }, (_, i) =>
                entry({ id: `a0100000000000${i}AAA`, name: `ACT-000000${i}` })
            );
            listMock.mockResolvedValue(full);
            const element = mount({ pageSize: 5 });
            await flushPromises();
            expect(q<HTMLButtonElement>(element, 'previous')!.disabled).toBe(true);
            expect(q<HTMLButtonElement>(element, 'next')!.disabled).toBe(false);
            q(element, 'next')!.click();
            await flushPromises();
            expect(lastFilter()).toMatchObject({ pageSize: 5, offset: 5 });
            expect(q(element, 'page')!.textContent).toBe('c.Resident_ActivityLog_Page');
            listMock.mockResolvedValue([entry()]);
            q(element, 'previous')!.click();
            await flushPromises();
            expect(lastFilter()).toMatchObject({ offset: 0 });
        });

        it("on a record page shows that record's entries like a related list, without filters", async () => {
            listMock.mockResolvedValue([entry()]);
            const element = mount({ recordId: ACCOUNT_ID });
            await flushPromises();
            expect(lastFilter()).toEqual({ pageSize: 25, offset: 0, recordId: ACCOUNT_ID });
            expect(q(element, 'filters')).toBeNull();
            expect(table(element)!.columns.map((c) => c.fieldName)).not.toContain('kind');
            await expect(element).toBeAccessible();
        });
    });

    describe('live refresh', () => {
        /** What the coworker panel publishes on the page after it logs an entry. */
        function publishLogged(message: Record<string, unknown>): void {
            const listener = (subscribe as unknown as jest.Mock).mock.calls.at(-1)![2] as (
                m: Record<string, unknown>
            ) => void;
            listener(message);
        }

        const afterReloadDelay = () => new Promise((resolve) => setTimeout(resolve, 450));

        it('reloads once when the coworker logs entries about this record, and ignores other records', async () => {
            const subscription = { id: 'sub' };
            (subscribe as unknown as jest.Mock).mockReturnValue(subscription);
            listMock.mockResolvedValue([entry()]);
            const element = mount({ recordId: ACCOUNT_ID });
            await flushPromises();
            expect(listMock).toHaveBeenCalledTimes(1);

            publishLogged({ entryId: 'a01x', recordId: '001000000000777AAA' });
            await afterReloadDelay();
            expect(listMock).toHaveBeenCalledTimes(1);

            // A reply logs a tool call and a model call in a row: one reload follows.
            publishLogged({ entryId: 'a01y', recordId: ACCOUNT_ID });
            publishLogged({ entryId: 'a01z', recordId: ACCOUNT_ID });
            await afterReloadDelay();
            expect(listMock).toHaveBeenCalledTimes(2);
            expect(lastFilter()).toMatchObject({ recordId: ACCOUNT_ID });

            element.remove();
            expect(unsubscribe).toHaveBeenCalledWith(subscription);
        });

        it('on an app page reloads for any entry', async () => {
            listMock.mockResolvedValue([]);
            mount();
            await flushPromises();
            publishLogged({ entryId: 'a01x', recordId: null });
            await afterReloadDelay();
            expect(listMock).toHaveBeenCalledTimes(2);
        });
    });

    describe('detail', () => {
        it('opens an entry: summary, who, field diff, input JSON and links', async () => {
            listMock.mockResolvedValue([entry()]);
            const element = mount();
            await flushPromises();
            await openFirst(element, entry());
            expect(q(element, 'detail-summary')!.textContent).toBe(
                'Updated Acme Corporation: Rating, AnnualRevenue'
            );
            expect(q(element, 'detail-who')!.textContent).toBe('Ada Admin');
            const diff = q<HTMLElement & { data: unknown[] }>(element, 'diff')!;
            expect(diff.data).toEqual([
                { field: 'Rating', before: 'Cold', after: 'Hot' },
                { field: 'AnnualRevenue', before: '', after: '5000' }
            ]);
            expect(q(element, 'detail-input')!.textContent).toContain('"Rating": "Hot"');
            expect(element.shadowRoot!.activeElement).toBe(q(element, 'detail-heading'));
            q(element, 'open-record')!.click();
            expect(mockNavigate).toHaveBeenCalledWith({
                type: 'standard__recordPage',
                attributes: { recordId: ACCOUNT_ID, objectApiName: 'Account', actionName: 'view' }
            });
            await expect(element).toBeAccessible();
            q(element, 'close-detail')!.click();
            await flushPromises();
            expect(q(element, 'detail')).toBeNull();
        });

        it('offers no undo for reads, failed writes or entries already undone', async () => {
            const undone = entry({
                outcome: 'Undone',
                undoneById: '005000000000002AAA',
                undoneByName: 'Sam Seller',
                undoneAt: '2026-11-02T11:00:00.000Z'
            });
            const failed = entry({ id: 'a01000000000003AAA', outcome: 'Failed' });
            listMock.mockResolvedValue([QUERY_ENTRY, undone, failed]);
            const element = mount();
            await flushPromises();
            for (const row of [QUERY_ENTRY, undone, failed]) {
                await openFirst(element, row);
                expect(q(element, 'undo')).toBeNull();
            }
            await openFirst(element, undone);
            expect(q(element, 'detail-undone')!.textContent).toContain('Sam Seller');
        });
    });

    describe('undo', () => {
        async function openedUpdate(): Promise<HTMLElement> {
            listMock.mockResolvedValue([entry()]);
            const element = mount();
            await flushPromises();
            await openFirst(element, entry());
            return element;
        }

        it('asks first, re-reads the record, writes the prior values back and logs the undo', async () => {
            const element = await openedUpdate();
            await clickUndo(element);
            expect(confirmSpy).toHaveBeenCalledWith(
                expect.objectContaining({ label: 'c.Resident_ActivityLog_ConfirmTitle' })
            );
            expect(q(element, 'undo-checking')).not.toBeNull();
            // LDS is told its copy may be stale, then asked for the written fields and who changed it.
            expect(notifyMock).toHaveBeenCalledWith([{ recordId: ACCOUNT_ID }]);
            expect(recordWire.getLastConfig()).toEqual({
                recordId: ACCOUNT_ID,
                optionalFields: [
                    'Account.Rating',
                    'Account.AnnualRevenue',
                    'Account.LastModifiedDate',
                    'Account.LastModifiedBy.Name'
                ]
            });
            // The record still holds what the coworker wrote (5000 as a number is "5000").
            listMock.mockResolvedValue([
                entry({ outcome: 'Undone', undoneByName: 'Ada Admin', undoneById: '005x' })
            ]);
            recordWire.emit(accountRecord({ Rating: 'Hot', AnnualRevenue: 5000 }));
            await flushPromises();
            // Conditional on the LastModifiedDate just checked: a save in between makes it fail.
            expect(updateMock).toHaveBeenCalledWith(
                { fields: { Id: ACCOUNT_ID, Rating: 'Cold', AnnualRevenue: null } },
                { ifUnmodifiedSince: '2026-11-02T10:14:59.000Z' }
            );
            expect(logMock).toHaveBeenCalledWith({
                entry: expect.objectContaining({
                    kind: 'Undo',
                    outcome: 'Succeeded',
                    undoOfId: 'a01000000000001AAA',
                    recordId: ACCOUNT_ID,
                    priorValues: '{"Rating":"Hot","AnnualRevenue":"5000"}',
                    newValues: '{"Rating":"Cold","AnnualRevenue":null}'
                })
            });
            expect(q(element, 'notice')!.textContent).toBe('c.Resident_ActivityLog_Undone');
            expect(q(element, 'notice')!.getAttribute('role')).toBe('status');
            // Refreshed: the entry now shows as undone and offers no second undo.
            expect(listMock).toHaveBeenCalledTimes(2);
            expect(q(element, 'undo')).toBeNull();
            await expect(element).toBeAccessible();
        });

        it('writes nothing when the user cancels the confirmation', async () => {
            confirmSpy.mockResolvedValue(false);
            const element = await openedUpdate();
            await clickUndo(element);
            expect(notifyMock).not.toHaveBeenCalled();
            expect(updateMock).not.toHaveBeenCalled();
            expect(logMock).not.toHaveBeenCalled();
        });

        it('refuses, naming the field and who changed it, when someone edited the record since', async () => {
            const element = await openedUpdate();
            await clickUndo(element);
            recordWire.emit(
                accountRecord(
                    { Rating: 'Warm', AnnualRevenue: 5000 },
                    { by: 'Sam Seller', at: '2026-11-02T12:00:00.000Z' }
                )
            );
            await flushPromises();
            expect(updateMock).not.toHaveBeenCalled();
            expect(logMock).not.toHaveBeenCalled();
            const notice = q(element, 'notice')!;
            expect(notice.getAttribute('role')).toBe('alert');
            expect(notice.textContent).toBe(
                'Nothing was undone: Rating changed after the coworker wrote it. ' +
                    'Last modified by Sam Seller on 11/2/2026 10:14 AM.'
            );
            // The undo button stays: after checking the record the user may try again.
            expect(q(element, 'undo')).not.toBeNull();
        });

        it('refuses when a written field can no longer be read (field-level security)', async () => {
            const element = await openedUpdate();
            await clickUndo(element);
            recordWire.emit(accountRecord({ Rating: 'Hot' }));
            await flushPromises();
            expect(updateMock).not.toHaveBeenCalled();
            expect(q(element, 'notice')!.textContent).toBe(
                "Nothing was undone: you can't read AnnualRevenue."
            );
        });

        it('writes nothing when the record cannot be read', async () => {
            const element = await openedUpdate();
            await clickUndo(element);
            recordWire.error(
                { message: 'The requested resource does not exist' },
                404,
                'Not Found'
            );
            await flushPromises();
            expect(updateMock).not.toHaveBeenCalled();
            expect(q(element, 'notice')!.textContent).toContain(
                'c.Resident_ActivityLog_ReadFailed'
            );
        });

        it("shows Salesforce's message and logs a failed undo when the write is refused", async () => {
            updateMock.mockRejectedValue({
                body: {
                    message: 'An error occurred while trying to update the record.',
                    output: { errors: [{ message: 'Rating cannot go back to Cold.' }] }
                }
            });
            const element = await openedUpdate();
            await clickUndo(element);
            recordWire.emit(accountRecord({ Rating: 'Hot', AnnualRevenue: '5000' }));
            await flushPromises();
            expect(q(element, 'notice')!.textContent).toBe(
                'Salesforce refused the undo, so nothing changed: Rating cannot go back to Cold.'
            );
            expect(logMock).toHaveBeenCalledWith({
                entry: expect.objectContaining({
                    kind: 'Undo',
                    outcome: 'Failed',
                    undoOfId: 'a01000000000001AAA',
                    result: '{"error":"Rating cannot go back to Cold."}'
                })
            });
        });

        it('says so when the undo was written but could not be logged', async () => {
            logMock.mockRejectedValue({ body: { message: 'No create access on the log' } });
            const element = await openedUpdate();
            await clickUndo(element);
            recordWire.emit(accountRecord({ Rating: 'Hot', AnnualRevenue: 5000 }));
            await flushPromises();
            expect(updateMock).toHaveBeenCalled();
            const notice = q(element, 'notice')!;
            expect(notice.textContent).toBe(
                "The undo couldn't be written to the activity log: No create access on the log"
            );
            expect(notice.getAttribute('role')).toBe('alert');
        });

        describe('of a create', () => {
            const created = entry({
                tool: 'create_record',
                summary: 'Created contact Grace Hopper',
                priorValues: null,
                newValues: '{"LastName":"Hopper"}',
                occurredAt: '2026-11-02T10:15:00.000Z'
            });

            async function openedCreate(): Promise<HTMLElement> {
                listMock.mockResolvedValue([created]);
                const element = mount();
                await flushPromises();
                await openFirst(element, created);
                return element;
            }

            it('deletes the record when nobody changed it since, and logs it', async () => {
                const element = await openedCreate();
                expect(q<HTMLElement & { label: string }>(element, 'undo')!.label).toBe(
                    'c.Resident_ActivityLog_UndoCreate'
                );
                await clickUndo(element);
                recordWire.emit(
                    accountRecord({}, { by: 'Ada Admin', at: '2026-11-02T10:15:00.000Z' })
                );
                await flushPromises();
                expect(deleteMock).toHaveBeenCalledWith(ACCOUNT_ID);
                expect(logMock).toHaveBeenCalledWith({
                    entry: expect.objectContaining({
                        kind: 'Undo',
                        outcome: 'Succeeded',
                        newValues: null
                    })
                });
                expect(q(element, 'notice')!.textContent).toBe('c.Resident_ActivityLog_Deleted');
            });

            it('refuses to delete a record someone modified after the coworker created it', async () => {
                const element = await openedCreate();
                await clickUndo(element);
                recordWire.emit(
                    accountRecord({}, { by: 'Sam Seller', at: '2026-11-02T10:20:00.000Z' })
                );
                await flushPromises();
                expect(deleteMock).not.toHaveBeenCalled();
                expect(q(element, 'notice')!.textContent).toContain(
                    'c.Resident_ActivityLog_RefusedModified'
                );
            });
        });
    });
});

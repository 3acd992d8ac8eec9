import { createElement } from 'lwc';
import DocumentBatchGenerator from 'c/documentBatchGenerator';
import listTemplates from '@salesforce/apex/DocumentTemplateController.listTemplates';
import getTemplate from '@salesforce/apex/DocumentTemplateController.getTemplate';
import readRecordData from '@salesforce/apex/DocumentRecordController.readRecordData';
import saveDocument from '@salesforce/apex/DocumentFileController.saveDocument';
import getRelaySession from '@salesforce/apex/RelayConnectionController.getRelaySession';
import findRecords from '@salesforce/apex/DocumentBatchController.findRecords';
import logActivity from '@salesforce/apex/ActivityLogController.logActivity';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import { getListInfosByObjectName, getListRecordsByName } from 'lightning/uiListsApi';
import { RelayRequestError, renderPdf } from 'c/relayClient';
import { flushPromises, resetDom } from '@resident/jest-utils';

jest.mock(
    '@salesforce/apex/DocumentTemplateController.listTemplates',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/DocumentTemplateController.getTemplate',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/DocumentRecordController.readRecordData',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock('@salesforce/apex/DocumentFileController.saveDocument', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock(
    '@salesforce/apex/RelayConnectionController.getRelaySession',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock('@salesforce/apex/DocumentBatchController.findRecords', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/ActivityLogController.logActivity', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('c/relayClient', () => {
    const actual = jest.requireActual('c/relayClient');
    return { ...actual, renderPdf: jest.fn() };
});
// sfdx-lwc-jest's stub of this module has neither adapter: LDS test adapters, as its others are.
jest.mock('lightning/uiListsApi', () => {
    const { createLdsTestWireAdapter } = jest.requireActual(
        '@salesforce/wire-service-jest-util'
    ) as { createLdsTestWireAdapter: (id: jest.Mock) => unknown };
    return {
        getListInfosByObjectName: createLdsTestWireAdapter(jest.fn()),
        getListRecordsByName: createLdsTestWireAdapter(jest.fn())
    };
});

// Labels whose placeholders carry what the user reads (jest.mock is hoisted: one call each).
jest.mock(
    '@salesforce/label/c.Resident_Doc_ProblemAt',
    () => ({ default: '{0}, line {1}, column {2}: {3}' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Doc_UnclosedBlock',
    () => ({ default: '{0} is never closed' }),
    { virtual: true }
);
jest.mock('@salesforce/label/c.Resident_Doc_PartBody', () => ({ default: 'Body' }), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.Resident_Batch_RecordsChosen',
    () => ({ default: '{0} records in this list view will get a document.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Batch_SelectedRecords',
    () => ({ default: '{0} selected records will get a document.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Batch_Generate',
    () => ({ default: 'Generate {0} documents' }),
    { virtual: true }
);
jest.mock('@salesforce/label/c.Resident_Batch_Progress', () => ({ default: '{0} of {1}' }), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.Resident_Batch_Retry',
    () => ({ default: 'Retry the {0} not generated' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Batch_Summary',
    () => ({ default: '{0} saved, {1} failed, {2} not started.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Batch_SummaryAllSaved',
    () => ({ default: 'All {0} documents were saved.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Batch_OverLimit',
    () => ({ default: 'At most {0} documents in one batch.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Batch_WrongObject',
    () => ({ default: 'This record is not of the template’s object ({0}).' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Batch_ListViewsFailed',
    () => ({ default: "Couldn't load the list views: {0}" }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Batch_RecordsFailed',
    () => ({ default: "Couldn't read the list view's records: {0}" }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Batch_ChooseListView',
    () => ({ default: 'Choose a list view of {0}' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_DocGen_RecordFailed',
    () => ({ default: "Couldn't read the record: {0}" }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_DocGen_RelayUnreachable',
    () => ({ default: "The PDF service can't be reached ({0})." }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_DocGen_SaveFailed',
    () => ({ default: 'The document was not saved: {0} (record page wording)' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_DocGen_LoadFailed',
    () => ({ default: "Couldn't load the document templates: {0}" }),
    { virtual: true }
);
jest.mock('@salesforce/label/c.Resident_DocGen_DocumentTitle', () => ({ default: '{0} - {1}' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.Resident_Batch_StatusSaved', () => ({ default: 'Saved' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.Resident_Batch_StatusFailed', () => ({ default: 'Failed' }), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.Resident_Batch_StatusNotStarted',
    () => ({ default: 'Not started' }),
    { virtual: true }
);
jest.mock('@salesforce/label/c.Resident_Batch_StatusRunning', () => ({ default: 'Generating' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.Resident_Batch_StatusWaiting', () => ({ default: 'Waiting' }), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.Resident_Doc_WarningImage',
    () => ({ default: 'The image {0} was left out: {1}' }),
    { virtual: true }
);

jest.mock(
    '@salesforce/label/c.Resident_BatchQuery_RecordsFound',
    () => ({ default: '{0} records match these filters.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_BatchQuery_OverLimit',
    () => ({ default: 'More than {0} records match: only the first {0} are taken.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_BatchQuery_FindFailed',
    () => ({ default: "Couldn't find the records: {0}" }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_BatchQuery_LimitProblem',
    () => ({ default: 'Enter a whole number from 1 to {0}.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Doc_FailedSummary',
    () => ({ default: 'Could not generate a document for {0} from template {1}' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Doc_FailureNotLogged',
    () => ({ default: 'Not in the activity log: {0}' }),
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
            [GenerateUrl](pageReference: { attributes: { recordId: string } }) {
                return Promise.resolve(`/lightning/r/${pageReference.attributes.recordId}/view`);
            }
        };
    NavigationMixin.Navigate = Navigate;
    NavigationMixin.GenerateUrl = GenerateUrl;
    return { NavigationMixin };
});

type Wire = { emit(value: unknown): void; error(body?: unknown): void; getLastConfig(): unknown };
const listMock = listTemplates as unknown as jest.Mock;
const getTemplateMock = getTemplate as unknown as jest.Mock;
const readMock = readRecordData as unknown as jest.Mock;
const saveMock = saveDocument as unknown as jest.Mock;
const sessionMock = getRelaySession as unknown as jest.Mock;
const renderMock = renderPdf as unknown as jest.Mock;
const findMock = findRecords as unknown as jest.Mock;
const logMock = logActivity as unknown as jest.Mock;
const describeWire = getObjectInfo as unknown as Wire;
const listViewsWire = getListInfosByObjectName as unknown as Wire;
const listRecordsWire = getListRecordsByName as unknown as Wire;

const TEMPLATE = {
    id: 'a0T000000000002AAA',
    name: 'Quote',
    baseObject: 'Account',
    body: '<h1>Quote for {{Name}}</h1>',
    header: null,
    footer: null,
    pageSize: 'A4',
    orientation: 'portrait',
    margins: { top: 36, right: 36, bottom: 36, left: 36 },
    active: true,
    version: 3
};
const SUMMARIES = [
    { id: TEMPLATE.id, name: 'Quote', baseObject: 'Account', version: 3, lastModified: '' }
];
const ACCOUNT_DESCRIBE = {
    apiName: 'Account',
    keyPrefix: '001',
    nameFields: ['Name'],
    fields: { Name: { apiName: 'Name', dataType: 'String' } },
    childRelationships: []
};
const LIST_VIEWS = {
    lists: [
        { apiName: 'AllAccounts', label: 'All Accounts' },
        { apiName: 'MyAccounts', label: 'My Accounts' }
    ],
    nextPageToken: null
};

const id = (n: number) => `001${String(n).padStart(12, '0')}AAA`;
const NAMES = ['Acme', 'Globex', 'Initech', 'Umbrella'];
const listRecord = (n: number) => ({
    id: id(n),
    fields: { Name: { value: NAMES[n - 1] ?? `Account ${n}` } }
});
const PDF = new Blob(['%PDF-1.7 fake'], { type: 'application/pdf' });

function nameOf(recordId: string): string {
    const n = Number(recordId.slice(3, 15));
    return NAMES[n - 1] ?? `Account ${n}`;
}

function happyPath(): void {
    listMock.mockResolvedValue(SUMMARIES);
    getTemplateMock.mockResolvedValue(TEMPLATE);
    readMock.mockImplementation(({ recordId }: { recordId: string }) =>
        Promise.resolve({
            record: { Name: nameOf(recordId) },
            unreadableFields: [],
            truncatedRelationships: []
        })
    );
    sessionMock.mockResolvedValue({
        relayUrl: 'https://relay.example.com',
        token: 'tok',
        expiresAt: Date.now() + 600_000
    });
    renderMock.mockResolvedValue({ pdf: PDF, warnings: { missingCharacters: [] } });
    saveMock.mockImplementation(({ recordId }: { recordId: string }) =>
        Promise.resolve({
            contentVersionId: `068${recordId.slice(3)}`,
            contentDocumentId: `069${recordId.slice(3)}`,
            activityId: `a0A${recordId.slice(3)}`
        })
    );
}

function mount(props: Record<string, unknown> = {}) {
    const element = createElement('c-document-batch-generator', { is: DocumentBatchGenerator });
    Object.assign(element, { objectApiName: 'Account', defaultTemplateName: 'Quote', ...props });
    document.body.appendChild(element);
    return element;
}

/** The page's shadow root, and the filter editor's (a child component with a shadow root of its own). */
function roots(element: HTMLElement): ShadowRoot[] {
    const editor = element.shadowRoot!.querySelector('c-query-filter-editor');
    return editor?.shadowRoot ? [element.shadowRoot!, editor.shadowRoot] : [element.shadowRoot!];
}
const q = (element: HTMLElement, dataId: string) =>
    (roots(element)
        .map((root) => root.querySelector(`[data-id="${dataId}"]`))
        .find(Boolean) ?? null) as HTMLElement & Record<string, unknown>;
const all = (element: HTMLElement, dataId: string) =>
    roots(element).flatMap((root) => [
        ...root.querySelectorAll<HTMLElement>(`[data-id="${dataId}"]`)
    ]);
const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** Each row of the result table: record, status, file or reason. */
function results(element: HTMLElement): string[][] {
    return [...element.shadowRoot!.querySelectorAll('tbody tr')].map((tr) => [
        text(tr.querySelector('[data-id="record-link"]')),
        text(tr.querySelector('[data-id="status"]')),
        text(tr.querySelector('[data-id="result"]'))
    ]);
}

/** Mounts, lets the template be checked (the describe answers), shows the list views. */
async function ready(props: Record<string, unknown> = {}): Promise<HTMLElement> {
    const element = mount(props);
    await flushPromises();
    describeWire.emit(ACCOUNT_DESCRIBE);
    await flushPromises();
    return element;
}

async function chooseListView(element: HTMLElement, pages: unknown[][]): Promise<void> {
    listViewsWire.emit(LIST_VIEWS);
    await flushPromises();
    q(element, 'list-view').dispatchEvent(
        new CustomEvent('change', { detail: { value: 'MyAccounts' } })
    );
    await flushPromises();
    for (const [index, records] of pages.entries()) {
        listRecordsWire.emit({
            records,
            nextPageToken: index < pages.length - 1 ? String((index + 1) * 100) : null
        });
        // eslint-disable-next-line no-await-in-loop
        await flushPromises();
    }
}

async function runAll(element: HTMLElement): Promise<void> {
    q(element, 'generate').click();
    await flushPromises();
    await flushPromises();
}

describe('c-document-batch-generator', () => {
    afterEach(() => {
        resetDom();
        jest.clearAllMocks();
        sessionMock.mockReset();
        renderMock.mockReset();
        saveMock.mockReset();
        readMock.mockReset();
        findMock.mockReset();
        logMock.mockReset();
    });

    it("says why the templates couldn't load, and tries again", async () => {
        listMock.mockRejectedValueOnce({ body: { message: 'No access to templates.' } });
        const element = mount();
        await flushPromises();
        expect(text(q(element, 'load-error'))).toBe(
            "Couldn't load the document templates: No access to templates."
        );
        await expect(element).toBeAccessible();
        happyPath();
        q(element, 'retry-load').click();
        await flushPromises();
        expect(q(element, 'template')).not.toBeNull();
    });

    it('checks the chosen template, then offers the list views of its object', async () => {
        happyPath();
        const element = await ready();
        expect(listMock).toHaveBeenCalledWith({ baseObject: 'Account' });
        expect(getTemplateMock).toHaveBeenCalledWith({ templateId: TEMPLATE.id });
        expect(listViewsWire.getLastConfig()).toEqual({ objectApiName: 'Account', pageSize: 100 });
        listViewsWire.emit(LIST_VIEWS);
        await flushPromises();
        const picker = q(element, 'list-view');
        expect((picker.options as { label: string }[]).map((o) => o.label)).toEqual([
            'All Accounts',
            'My Accounts'
        ]);
        expect(picker.placeholder).toBe('Choose a list view of Account');
        expect(q(element, 'generate').disabled).toBe(true);
        await expect(element).toBeAccessible();
    });

    it('reads every page of the chosen list view, then offers to generate them all', async () => {
        happyPath();
        const element = await ready();
        await chooseListView(element, [[listRecord(1), listRecord(2)], [listRecord(3)]]);
        expect(listRecordsWire.getLastConfig()).toMatchObject({
            objectApiName: 'Account',
            listViewApiName: 'MyAccounts',
            optionalFields: ['Account.Name'],
            pageToken: '100'
        });
        expect(text(q(element, 'record-count'))).toBe(
            '3 records in this list view will get a document.'
        );
        expect(q(element, 'generate').label).toBe('Generate 3 documents');
        expect(q(element, 'generate').disabled).toBe(false);
        await expect(element).toBeAccessible();
    });

    it('says why the list view could not be read', async () => {
        happyPath();
        const element = await ready();
        listViewsWire.emit(LIST_VIEWS);
        await flushPromises();
        q(element, 'list-view').dispatchEvent(
            new CustomEvent('change', { detail: { value: 'MyAccounts' } })
        );
        await flushPromises();
        listRecordsWire.error({ message: 'List view not found.' });
        await flushPromises();
        expect(text(q(element, 'records-error'))).toContain(
            "Couldn't read the list view's records"
        );
        expect(q(element, 'generate').disabled).toBe(true);
        // Choosing it again asks again, and a good answer clears the error.
        q(element, 'list-view').dispatchEvent(
            new CustomEvent('change', { detail: { value: 'MyAccounts' } })
        );
        await flushPromises();
        expect(listRecordsWire.getLastConfig()).toMatchObject({ listViewApiName: 'MyAccounts' });
        listRecordsWire.emit({ records: [listRecord(1)], nextPageToken: null });
        await flushPromises();
        expect(q(element, 'records-error')).toBeNull();
        expect(q(element, 'generate').disabled).toBe(false);
    });

    it('bounds a batch at 200 records and says so', async () => {
        happyPath();
        const element = await ready();
        const many = Array.from({ length: 150 }, (_, i) => listRecord(i + 1));
        const more = Array.from({ length: 100 }, (_, i) => listRecord(i + 151));
        await chooseListView(element, [many, more]);
        expect(text(q(element, 'over-limit'))).toBe('At most 200 documents in one batch.');
        expect(q(element, 'generate').label).toBe('Generate 200 documents');
    });

    it('shows progress as n of N while documents are generated a few at a time', async () => {
        happyPath();
        const pending: (() => void)[] = [];
        renderMock.mockImplementation(
            () =>
                new Promise((resolve) => {
                    pending.push(() => resolve({ pdf: PDF, warnings: { missingCharacters: [] } }));
                })
        );
        const element = await ready();
        await chooseListView(element, [[1, 2, 3, 4].map(listRecord)]);
        await runAll(element);
        // Two at a time (the default): two converting, two waiting.
        expect(renderMock).toHaveBeenCalledTimes(2);
        expect(text(q(element, 'progress-text'))).toBe('0 of 4');
        expect(results(element).map((r) => r[1])).toEqual([
            'Generating',
            'Generating',
            'Waiting',
            'Waiting'
        ]);
        expect(q(element, 'cancel')).not.toBeNull();
        await expect(element).toBeAccessible();

        pending.shift()!();
        await flushPromises();
        expect(text(q(element, 'progress-text'))).toBe('1 of 4');
        expect(q(element, 'progress').value).toBe(25);
        expect(renderMock).toHaveBeenCalledTimes(3);
        while (pending.length) {
            pending.shift()!();
            // eslint-disable-next-line no-await-in-loop
            await flushPromises();
        }
        expect(text(q(element, 'progress-text'))).toBe('4 of 4');
        expect(text(q(element, 'summary'))).toBe('All 4 documents were saved.');
        expect(q(element, 'cancel')).toBeNull();
    });

    it('reports each failure beside its record and saves the rest, each with its File and log entry', async () => {
        happyPath();
        readMock.mockImplementation(({ recordId }: { recordId: string }) =>
            recordId === id(2)
                ? Promise.reject({ body: { message: 'The record does not exist.' } })
                : Promise.resolve({
                      record: { Name: nameOf(recordId) },
                      unreadableFields: [],
                      truncatedRelationships: []
                  })
        );
        saveMock.mockImplementation(({ recordId }: { recordId: string }) =>
            recordId === id(3)
                ? Promise.reject({
                      body: { message: 'The document was not saved: Files cannot be added.' }
                  })
                : Promise.resolve({
                      contentVersionId: `068${recordId.slice(3)}`,
                      contentDocumentId: `069${recordId.slice(3)}`,
                      activityId: `a0A${recordId.slice(3)}`
                  })
        );
        const element = await ready();
        await chooseListView(element, [[1, 2, 3, 4].map(listRecord)]);
        await runAll(element);

        expect(results(element)).toEqual([
            ['Acme', 'Saved', 'Quote - Acme.pdf'],
            ['Globex', 'Failed', "Couldn't read the record: The record does not exist."],
            ['Initech', 'Failed', 'The document was not saved: Files cannot be added.'],
            ['Umbrella', 'Saved', 'Quote - Umbrella.pdf']
        ]);
        // Saved through Apex, which writes the File and its Document generated entry together.
        expect(saveMock.mock.calls.map((c) => c[0].recordId)).toEqual([id(1), id(3), id(4)]);
        expect(saveMock).toHaveBeenCalledWith(
            expect.objectContaining({ templateId: TEMPLATE.id, fileName: 'Quote - Acme.pdf' })
        );
        const files = all(element, 'file-link');
        expect(files.map((a) => a.getAttribute('href'))).toEqual([
            `/lightning/r/069${id(1).slice(3)}/view`,
            `/lightning/r/069${id(4).slice(3)}/view`
        ]);
        expect(all(element, 'record-link')[1]!.getAttribute('href')).toBe(
            `/lightning/r/${id(2)}/view`
        );
        expect(text(q(element, 'summary'))).toBe('2 saved, 2 failed, 0 not started.');
        expect(q(element, 'retry').label).toBe('Retry the 2 not generated');
        files[0]!.click();
        expect(mockNavigate).toHaveBeenCalledWith(
            expect.objectContaining({
                attributes: expect.objectContaining({ objectApiName: 'ContentDocument' })
            })
        );
        await expect(element).toBeAccessible();
    });

    it('retries only the records not generated, keeping the saved ones', async () => {
        happyPath();
        renderMock
            .mockResolvedValueOnce({ pdf: PDF, warnings: { missingCharacters: [] } })
            .mockRejectedValueOnce(new RelayRequestError('network', 'Failed to fetch'))
            .mockResolvedValue({ pdf: PDF, warnings: { missingCharacters: [] } });
        const element = await ready();
        await chooseListView(element, [[1, 2, 3].map(listRecord)]);
        await runAll(element);
        expect(results(element)[1]).toEqual([
            'Globex',
            'Failed',
            "The PDF service can't be reached (Failed to fetch)."
        ]);
        expect(saveMock).toHaveBeenCalledTimes(2);

        q(element, 'retry').click();
        await flushPromises();
        await flushPromises();
        expect(readMock.mock.calls.slice(3).map((c) => c[0].recordId)).toEqual([id(2)]);
        expect(saveMock).toHaveBeenCalledTimes(3);
        expect(results(element).map((r) => r[1])).toEqual(['Saved', 'Saved', 'Saved']);
        expect(text(q(element, 'summary'))).toBe('All 3 documents were saved.');
        expect(q(element, 'retry')).toBeNull();
    });

    it('Cancel starts no new document, lets the running ones finish, and keeps them', async () => {
        happyPath();
        const pending: (() => void)[] = [];
        renderMock.mockImplementation(
            () =>
                new Promise((resolve) => {
                    pending.push(() => resolve({ pdf: PDF, warnings: { missingCharacters: [] } }));
                })
        );
        const element = await ready();
        await chooseListView(element, [[1, 2, 3, 4].map(listRecord)]);
        await runAll(element);
        q(element, 'cancel').click();
        await flushPromises();
        expect(q(element, 'cancelling')).not.toBeNull();
        expect(q(element, 'cancel').disabled).toBe(true);
        while (pending.length) {
            pending.shift()!();
            // eslint-disable-next-line no-await-in-loop
            await flushPromises();
        }
        expect(renderMock).toHaveBeenCalledTimes(2);
        expect(results(element).map((r) => r[1])).toEqual([
            'Saved',
            'Saved',
            'Not started',
            'Not started'
        ]);
        expect(text(q(element, 'summary'))).toBe('2 saved, 0 failed, 2 not started.');
        expect(q(element, 'retry').label).toBe('Retry the 2 not generated');
        await expect(element).toBeAccessible();
    });

    it('mints a new relay session when the token runs out in the middle of a batch', async () => {
        happyPath();
        sessionMock
            .mockResolvedValueOnce({
                relayUrl: 'https://relay.example.com',
                token: 'first',
                expiresAt: Date.now() + 600_000
            })
            .mockResolvedValueOnce({
                relayUrl: 'https://relay.example.com',
                token: 'second',
                expiresAt: Date.now() + 600_000
            });
        let calls = 0;
        renderMock.mockImplementation((session: { token: string }) => {
            calls += 1;
            // The relay refuses the first token from the third conversion on: it expired.
            if (session.token === 'first' && calls >= 3) {
                return Promise.reject(
                    new RelayRequestError('http', 'The session token has expired.', {
                        status: 401,
                        relayType: 'unauthorized'
                    })
                );
            }
            return Promise.resolve({ pdf: PDF, warnings: { missingCharacters: [] } });
        });
        const element = await ready({ concurrency: 1 });
        await chooseListView(element, [[1, 2, 3, 4].map(listRecord)]);
        await runAll(element);
        expect(results(element).map((r) => r[1])).toEqual(['Saved', 'Saved', 'Saved', 'Saved']);
        expect(sessionMock).toHaveBeenCalledTimes(2);
        expect(renderMock.mock.calls.map((c) => c[0].token)).toEqual([
            'first',
            'first',
            'first',
            'second',
            'second'
        ]);
    });

    it('generates for records a flow hands over, without a list view, and refuses other objects', async () => {
        happyPath();
        const element = await ready({
            recordIds: [id(1), id(2), '003000000000001AAA', 'not an id']
        });
        expect(q(element, 'list-view')).toBeNull();
        expect(text(q(element, 'record-count'))).toBe('3 selected records will get a document.');
        await runAll(element);
        expect(results(element)).toEqual([
            ['Acme', 'Saved', 'Quote - Acme.pdf'],
            ['Globex', 'Saved', 'Quote - Globex.pdf'],
            [
                '003000000000001AAA',
                'Failed',
                'This record is not of the template’s object (Account).'
            ]
        ]);
        expect(readMock).toHaveBeenCalledTimes(2);
    });

    it("fetches the template's logo once for the whole batch, and says on each row it is missing", async () => {
        happyPath();
        getTemplateMock.mockResolvedValue({
            ...TEMPLATE,
            body: '{{image "StaticResource:Logo" width=80}}<h1>Quote for {{Name}}</h1>'
        });
        const fetchMock = jest.fn(() => Promise.resolve({ ok: false, status: 404 }));
        const originalFetch = globalThis.fetch;
        globalThis.fetch = fetchMock as unknown as typeof fetch;
        try {
            const element = await ready();
            await chooseListView(element, [[1, 2, 3].map(listRecord)]);
            await runAll(element);
            expect(fetchMock).toHaveBeenCalledTimes(1);
            expect(results(element).map((r) => r[1])).toEqual(['Saved', 'Saved', 'Saved']);
            expect(results(element)[2]![2]).toContain(
                'The image StaticResource:Logo was left out: HTTP 404'
            );
        } finally {
            globalThis.fetch = originalFetch;
        }
    });

    it('lists template problems and offers no run', async () => {
        happyPath();
        getTemplateMock.mockResolvedValue({
            ...TEMPLATE,
            body: '<p>Hello</p>\n  {{#if Name}}open'
        });
        const element = await ready();
        const problems = [...q(element, 'problems').querySelectorAll('li')].map(
            (li) => li.textContent
        );
        expect(problems).toEqual(['Body, line 2, column 3: {{#if}} is never closed']);
        expect(q(element, 'generate')).toBeNull();
        await expect(element).toBeAccessible();
    });
    describe('records matching filters', () => {
        async function useFilters(element: HTMLElement): Promise<void> {
            listViewsWire.emit(LIST_VIEWS);
            await flushPromises();
            q(element, 'record-source').dispatchEvent(
                new CustomEvent('change', { detail: { value: 'filters' } })
            );
            await flushPromises();
        }

        async function addFilter(
            element: HTMLElement,
            field: string,
            operator: string,
            value?: string
        ): Promise<HTMLElement> {
            q(element, 'add-filter').click();
            await flushPromises();
            const row = all(element, 'filter').at(-1)!;
            const set = async (part: string, v: string) => {
                row.querySelector(`[data-part="${part}"]`)!.dispatchEvent(
                    new CustomEvent('change', { detail: { value: v } })
                );
                await flushPromises();
            };
            await set('field', field);
            await set('operator', operator);
            if (value !== undefined) await set('value', value);
            return all(element, 'filter').at(-1)!;
        }

        async function find(element: HTMLElement): Promise<void> {
            q(element, 'find').click();
            await flushPromises();
            await flushPromises();
        }

        it("finds the records matching the filters on the template's object, sorted and bounded, and generates for them", async () => {
            happyPath();
            findMock.mockResolvedValue({
                records: [
                    { id: id(3), name: 'Initech' },
                    { id: id(1), name: 'Acme' }
                ],
                moreThanLimit: false
            });
            const element = await ready();
            await useFilters(element);
            expect(q(element, 'list-view')).toBeNull();
            await addFilter(element, 'Name', 'in', 'Acme, Initech');
            await addFilter(element, 'Name', 'isNotNull');
            q(element, 'sort-field').dispatchEvent(
                new CustomEvent('change', { detail: { value: 'Name' } })
            );
            q(element, 'sort-direction').dispatchEvent(
                new CustomEvent('change', { detail: { value: 'DESC' } })
            );
            q(element, 'limit').dispatchEvent(
                new CustomEvent('change', { detail: { value: '50' } })
            );
            await flushPromises();
            expect(q(element, 'generate').disabled).toBe(true);
            await find(element);

            expect(JSON.parse(findMock.mock.calls[0][0].definition)).toEqual({
                object: 'Account',
                filters: [
                    { field: 'Name', operator: 'in', value: ['Acme', 'Initech'] },
                    { field: 'Name', operator: 'isNotNull' }
                ],
                orderBy: { field: 'Name', direction: 'DESC' },
                limit: 50
            });
            expect(text(q(element, 'record-count'))).toBe('2 records match these filters.');
            expect(q(element, 'over-limit')).toBeNull();
            expect(q(element, 'generate').label).toBe('Generate 2 documents');
            await runAll(element);
            expect(results(element)).toEqual([
                ['Initech', 'Saved', 'Quote - Initech.pdf'],
                ['Acme', 'Saved', 'Quote - Acme.pdf']
            ]);
            await expect(element).toBeAccessible();
        });

        it('shows an invalid filter’s problem at that filter, and a limit above 200 at the limit, without asking Apex', async () => {
            happyPath();
            const element = await ready();
            await useFilters(element);
            await addFilter(element, 'Name', 'equals', 'Acme');
            await addFilter(element, 'Name', 'in', ' , ');
            q(element, 'limit').dispatchEvent(
                new CustomEvent('change', { detail: { value: '500' } })
            );
            await flushPromises();
            await find(element);

            expect(findMock).not.toHaveBeenCalled();
            const rows = all(element, 'filter');
            expect(rows[0]!.querySelector('[data-id="filter-problem"]')).toBeNull();
            expect(text(rows[1]!.querySelector('[data-id="filter-problem"]'))).toBe(
                'Filter 2: "is one of" needs a list of 1 to 200 values.'
            );
            expect(text(q(element, 'limit-problem'))).toBe('Enter a whole number from 1 to 200.');
            expect(q(element, 'generate').disabled).toBe(true);
            await expect(element).toBeAccessible();

            // Fixed, the filters are sent.
            findMock.mockResolvedValue({ records: [{ id: id(1), name: 'Acme' }] });
            rows[1]!
                .querySelector('[data-part="value"]')!
                .dispatchEvent(new CustomEvent('change', { detail: { value: 'Acme, Globex' } }));
            q(element, 'limit').dispatchEvent(new CustomEvent('change', { detail: { value: '' } }));
            await flushPromises();
            expect(all(element, 'filter-problem')).toHaveLength(0);
            await find(element);
            expect(findMock).toHaveBeenCalledTimes(1);
            expect(text(q(element, 'record-count'))).toBe('1 records match these filters.');
        });

        it("shows Apex's refusal (a field the user cannot read) and offers no run", async () => {
            happyPath();
            findMock.mockRejectedValue({
                body: { message: 'Secret__c is not a field you can read on this object.' }
            });
            const element = await ready();
            await useFilters(element);
            await addFilter(element, 'Secret__c', 'equals', 'x');
            await find(element);
            expect(text(q(element, 'find-error'))).toBe(
                "Couldn't find the records: Secret__c is not a field you can read on this object."
            );
            expect(q(element, 'generate').disabled).toBe(true);
            await expect(element).toBeAccessible();
        });

        it('says only the first 200 are taken when more records match', async () => {
            happyPath();
            findMock.mockResolvedValue({
                records: Array.from({ length: 200 }, (_, i) => ({
                    id: id(i + 1),
                    name: `Account ${i + 1}`
                })),
                moreThanLimit: true
            });
            const element = await ready();
            await useFilters(element);
            await find(element);
            expect(text(q(element, 'over-limit'))).toBe(
                'More than 200 records match: only the first 200 are taken.'
            );
            expect(q(element, 'generate').label).toBe('Generate 200 documents');
        });

        it('forgets what was found when a filter changes, so a run never uses stale records', async () => {
            happyPath();
            findMock.mockResolvedValue({ records: [{ id: id(1), name: 'Acme' }] });
            const element = await ready();
            await useFilters(element);
            await find(element);
            expect(q(element, 'generate').disabled).toBe(false);
            await addFilter(element, 'Name', 'startsWith', 'G');
            expect(q(element, 'record-count')).toBeNull();
            expect(q(element, 'generate').disabled).toBe(true);
        });
    });

    describe('failed generations in the activity log', () => {
        it('logs each failure as a Failed Document generated entry with template, record and reason', async () => {
            happyPath();
            logMock.mockResolvedValue('a0A000000000001AAA');
            readMock.mockImplementation(({ recordId }: { recordId: string }) =>
                recordId === id(2)
                    ? Promise.reject({ body: { message: 'The record does not exist.' } })
                    : Promise.resolve({
                          record: { Name: nameOf(recordId) },
                          unreadableFields: [],
                          truncatedRelationships: []
                      })
            );
            const element = await ready();
            await chooseListView(element, [[1, 2, 3].map(listRecord)]);
            await runAll(element);

            expect(logMock).toHaveBeenCalledTimes(1);
            const entry = logMock.mock.calls[0][0].entry;
            expect(entry).toMatchObject({
                kind: 'Document generated',
                outcome: 'Failed',
                recordId: id(2),
                objectApiName: 'Account',
                summary: 'Could not generate a document for Globex from template Quote'
            });
            expect(JSON.parse(entry.input)).toEqual({
                templateId: TEMPLATE.id,
                templateName: 'Quote',
                templateVersion: 3
            });
            expect(JSON.parse(entry.result)).toEqual({
                error: "Couldn't read the record: The record does not exist."
            });
            expect(q(element, 'log-error')).toBeNull();
        });

        it('shows on the row that the failure could not be logged, and still runs the rest', async () => {
            happyPath();
            logMock.mockRejectedValue({ body: { message: 'You cannot write the activity log.' } });
            saveMock.mockImplementation(({ recordId }: { recordId: string }) =>
                recordId === id(1)
                    ? Promise.reject({ body: { message: 'This account is on legal hold.' } })
                    : Promise.resolve({
                          contentVersionId: `068${recordId.slice(3)}`,
                          contentDocumentId: `069${recordId.slice(3)}`,
                          activityId: `a0A${recordId.slice(3)}`
                      })
            );
            const element = await ready();
            await chooseListView(element, [[1, 2].map(listRecord)]);
            await runAll(element);

            expect(results(element).map((r) => r.slice(0, 2))).toEqual([
                ['Acme', 'Failed'],
                ['Globex', 'Saved']
            ]);
            const failed = element.shadowRoot!.querySelector(`tr[data-row-id="${id(1)}"]`)!;
            expect(text(failed.querySelector('[data-id="error"]'))).toBe(
                'This account is on legal hold.'
            );
            expect(text(failed.querySelector('[data-id="log-error"]'))).toBe(
                'Not in the activity log: You cannot write the activity log.'
            );
            expect(all(element, 'log-error')).toHaveLength(1);
            await expect(element).toBeAccessible();
        });
    });
});

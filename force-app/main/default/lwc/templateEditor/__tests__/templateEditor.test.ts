import { createElement } from 'lwc';
import TemplateEditor, { CHECK_DELAY_MS, PREVIEW_DELAY_MS } from 'c/templateEditor';
import listTemplatesForEditing from '@salesforce/apex/DocumentTemplateController.listTemplatesForEditing';
import getTemplateForEditing from '@salesforce/apex/DocumentTemplateController.getTemplateForEditing';
import findSampleRecords from '@salesforce/apex/DocumentTemplateController.findSampleRecords';
import saveTemplate from '@salesforce/apex/DocumentTemplateController.saveTemplate';
import readRecordData from '@salesforce/apex/DocumentRecordController.readRecordData';
import getRelaySession from '@salesforce/apex/RelayConnectionController.getRelaySession';
import { getObjectInfos } from 'lightning/uiObjectInfoApi';
import LightningConfirm from 'lightning/confirm';
import { RelayRequestError, renderPdf } from 'c/relayClient';
import { resetDom } from '@resident/jest-utils';

jest.mock(
    '@salesforce/apex/DocumentTemplateController.listTemplatesForEditing',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/DocumentTemplateController.getTemplateForEditing',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/DocumentTemplateController.findSampleRecords',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/DocumentTemplateController.saveTemplate',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/DocumentRecordController.readRecordData',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/RelayConnectionController.getRelaySession',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock('c/relayClient', () => {
    const actual = jest.requireActual('c/relayClient');
    return { ...actual, renderPdf: jest.fn() };
});

// Labels whose placeholders carry what the admin must read.
jest.mock(
    '@salesforce/label/c.Resident_Doc_ProblemAt',
    () => ({ default: '{0}, line {1}, column {2}: {3}' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Doc_UnclosedBlock',
    () => ({ default: '{0} is opened here but not closed with {1}' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Doc_UnknownField',
    () => ({ default: '{0} has no field {1}' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Doc_BadFormatter',
    () => ({ default: 'unknown formatter {0}' }),
    { virtual: true }
);
jest.mock('@salesforce/label/c.Resident_Doc_PartBody', () => ({ default: 'Body' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.Resident_Doc_PartHeader', () => ({ default: 'Header' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.Resident_Doc_PartFooter', () => ({ default: 'Footer' }), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.Resident_Doc_WarningUnreadable',
    () => ({ default: "You can't see {0}: it prints empty." }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TplEdit_GoToProblem',
    () => ({ default: 'Go to {0}, line {1}, column {2}' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TplEdit_CursorAt',
    () => ({ default: 'Line {0}, column {1}' }),
    { virtual: true }
);
jest.mock('@salesforce/label/c.Resident_TplEdit_InsertField', () => ({ default: 'Insert {0}' }), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.Resident_TplEdit_InsertEach',
    () => ({ default: 'Insert a {{#each {0}}} block' }),
    { virtual: true }
);
jest.mock('@salesforce/label/c.Resident_TplEdit_PartBody', () => ({ default: 'Body' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.Resident_TplEdit_PartHeader', () => ({ default: 'Header' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.Resident_TplEdit_PartFooter', () => ({ default: 'Footer' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.Resident_TplEdit_Version', () => ({ default: 'Version {0}' }), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.Resident_TplEdit_Saved',
    () => ({ default: 'Saved as version {0}.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TplEdit_SaveFailed',
    () => ({ default: 'Not saved: {0} Your changes are still here.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TplEdit_FixBeforeSave',
    () => ({ default: 'Fix the problems first.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TplEdit_PreviewFailed',
    () => ({ default: "The preview couldn't be made. {0} Your edits are safe." }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TplEdit_PreviewFrame',
    () => ({ default: 'Preview with {0}' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TplEdit_LoadFailed',
    () => ({ default: "Couldn't load the template: {0}" }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TplEdit_UnknownObject',
    () => ({ default: 'Base object: no object "{0}".' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TplEdit_SourceBase',
    () => ({ default: '{0} (this record)' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TplEdit_SourceParent',
    () => ({ default: '{0} → {1} (parent)' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TplEdit_SourceChild',
    () => ({ default: '{0} → {1} (related list)' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_DocGen_RelayUnreachable',
    () => ({ default: "The PDF service can't be reached ({0})." }),
    { virtual: true }
);
jest.mock('@salesforce/label/c.Resident_DocGen_DocumentTitle', () => ({ default: '{0} - {1}' }), {
    virtual: true
});

const listMock = listTemplatesForEditing as unknown as jest.Mock;
const getMock = getTemplateForEditing as unknown as jest.Mock;
const samplesMock = findSampleRecords as unknown as jest.Mock;
const saveMock = saveTemplate as unknown as jest.Mock;
const readMock = readRecordData as unknown as jest.Mock;
const sessionMock = getRelaySession as unknown as jest.Mock;
const renderMock = renderPdf as unknown as jest.Mock;
let confirmMock: jest.SpyInstance;
const describesWire = getObjectInfos as unknown as {
    emit(value: unknown): void;
    getLastConfig(): { objectApiNames: string[] };
};

const TEMPLATE_ID = 'a06000000000001AAA';
const TEMPLATE = {
    id: TEMPLATE_ID,
    name: 'Quote',
    baseObject: 'Account',
    body: '<h1>Quote for {{Name}}</h1>\n<p>{{Owner.Name}}</p>',
    header: null,
    footer: '<p>Page {{pageNumber}}</p>',
    pageSize: 'A4',
    orientation: 'portrait',
    margins: { top: 50, right: 50, bottom: 50, left: 50 },
    active: true,
    version: 3,
    lastModified: '2026-01-15T09:00:00.000Z'
};

const ACCOUNT = {
    apiName: 'Account',
    label: 'Account',
    fields: {
        Name: { apiName: 'Name', label: 'Account Name', dataType: 'String' },
        Phone: { apiName: 'Phone', label: 'Account Phone', dataType: 'Phone' },
        OwnerId: {
            apiName: 'OwnerId',
            label: 'Owner ID',
            dataType: 'Reference',
            relationshipName: 'Owner',
            referenceToInfos: [{ apiName: 'User' }]
        }
    },
    childRelationships: [
        { relationshipName: 'Opportunities', childObjectApiName: 'Opportunity' },
        { relationshipName: null, childObjectApiName: 'AccountHistory' }
    ]
};
const USER = {
    apiName: 'User',
    label: 'User',
    fields: { Name: { apiName: 'Name', label: 'Full Name', dataType: 'String' } },
    childRelationships: []
};
const OPPORTUNITY = {
    apiName: 'Opportunity',
    label: 'Opportunity',
    fields: {
        Name: { apiName: 'Name', label: 'Opportunity Name', dataType: 'String' },
        Amount: { apiName: 'Amount', label: 'Amount', dataType: 'Currency' }
    },
    childRelationships: []
};

const SAMPLES = [
    { id: '001000000000001AAA', name: 'Acme Corporation' },
    { id: '001000000000002AAA', name: 'Globex' }
];
const SESSION = {
    relayUrl: 'https://relay.example.com',
    token: 'tok',
    expiresAt: Date.now() + 600_000
};

const createObjectURL = jest.fn(() => 'blob:https://example.com/preview-1');
const revokeObjectURL = jest.fn();
Object.assign(URL, { createObjectURL, revokeObjectURL });

function emitDescribes(): void {
    describesWire.emit({
        results: [ACCOUNT, USER, OPPORTUNITY].map((result) => ({ statusCode: 200, result }))
    });
}

function happyPath(): void {
    listMock.mockResolvedValue([
        {
            id: TEMPLATE_ID,
            name: 'Quote',
            baseObject: 'Account',
            version: 3,
            lastModified: '',
            active: true
        }
    ]);
    getMock.mockResolvedValue(TEMPLATE);
    samplesMock.mockResolvedValue(SAMPLES);
    readMock.mockResolvedValue({
        record: { Name: 'Acme Corporation', Owner: { Name: 'Ada' } },
        unreadableFields: [],
        truncatedRelationships: []
    });
    sessionMock.mockResolvedValue(SESSION);
    renderMock.mockResolvedValue({
        pdf: new Blob(['%PDF-1.7'], { type: 'application/pdf' }),
        warnings: { missingCharacters: [] }
    });
}

const q = (element: HTMLElement, selector: string) =>
    element.shadowRoot!.querySelector(selector) as HTMLElement & Record<string, unknown>;
const byId = (element: HTMLElement, id: string) => q(element, `[data-id="${id}"]`);
const area = (element: HTMLElement) =>
    byId(element, 'template-text') as unknown as HTMLTextAreaElement;

/** Lets pending promises (and timers due by then, with fake timers) run, and the re-render. */
async function flushPromises(ms = 0): Promise<void> {
    await jest.advanceTimersByTimeAsync(ms);
    for (let i = 0; i < 10; i++) await Promise.resolve();
    await jest.advanceTimersByTimeAsync(0);
}

/** Lets the debounced check and preview run, and what they wait for settle. */
async function settle(ms = PREVIEW_DELAY_MS): Promise<void> {
    await flushPromises(ms);
    await flushPromises(ms);
}

/** axe runs on real timers. */
async function expectAccessible(element: HTMLElement): Promise<void> {
    jest.useRealTimers();
    await expect(element).toBeAccessible();
}

/** Mounts on the template's record page with the describes answered, and waits for the preview. */
async function mountOnRecordPage(props: Record<string, unknown> = {}): Promise<HTMLElement> {
    const element = createElement('c-template-editor', { is: TemplateEditor });
    Object.assign(element, { recordId: TEMPLATE_ID, ...props });
    document.body.appendChild(element);
    await flushPromises();
    emitDescribes();
    await settle();
    return element;
}

function typeInto(element: HTMLElement, text: string, cursor = text.length): void {
    const textarea = area(element);
    textarea.value = text;
    textarea.setSelectionRange(cursor, cursor);
    textarea.dispatchEvent(new CustomEvent('input'));
}

describe('c-template-editor', () => {
    beforeEach(() => {
        jest.useFakeTimers();
        happyPath();
        confirmMock = jest.spyOn(LightningConfirm, 'open');
    });

    afterEach(() => {
        resetDom();
        jest.clearAllMocks();
        confirmMock.mockRestore();
        jest.useRealTimers();
    });

    it('shows a spinner while the template loads', async () => {
        getMock.mockReturnValue(new Promise(() => undefined));
        const element = createElement('c-template-editor', { is: TemplateEditor });
        Object.assign(element, { recordId: TEMPLATE_ID });
        document.body.appendChild(element);
        await flushPromises();
        expect(q(element, 'lightning-spinner')).not.toBeNull();
        expect(getMock).toHaveBeenCalledWith({ templateId: TEMPLATE_ID });
        await expectAccessible(element);
    });

    it("says why the template couldn't load, and tries again", async () => {
        getMock.mockRejectedValueOnce({ body: { message: 'Template not found.' } });
        const element = createElement('c-template-editor', { is: TemplateEditor });
        Object.assign(element, { recordId: TEMPLATE_ID });
        document.body.appendChild(element);
        await flushPromises();
        expect(byId(element, 'load-error').textContent).toContain(
            "Couldn't load the template: Template not found."
        );
        byId(element, 'retry-load').click();
        await flushPromises();
        expect(area(element).value).toBe(TEMPLATE.body);
    });

    it('opens the template on its record page and previews the first sample record, merged as the user', async () => {
        const element = await mountOnRecordPage();
        expect(area(element).value).toBe(TEMPLATE.body);
        expect(byId(element, 'version').textContent).toBe('Version 3');
        expect(byId(element, 'no-problems')).not.toBeNull();
        expect(samplesMock).toHaveBeenCalledWith({ baseObject: 'Account', searchText: '' });
        expect(readMock).toHaveBeenCalledWith({
            recordId: SAMPLES[0]!.id,
            fields: ['Name', 'Owner.Name'],
            children: []
        });
        expect(sessionMock).toHaveBeenCalledWith({ scopes: ['pdf'], taskId: null });
        const frame = byId(element, 'preview');
        expect(frame.getAttribute('src')).toBe('blob:https://example.com/preview-1');
        expect(frame.getAttribute('title')).toBe('Preview with Acme Corporation');
        expect(byId(element, 'unsaved')).toBeNull();
        await expectAccessible(element);
    });

    it('lists problems with part, line and column as the admin types, and Go to puts the cursor there', async () => {
        const element = await mountOnRecordPage();
        renderMock.mockClear();
        typeInto(
            element,
            '<h1>{{Name}}</h1>\n<p>{{Phone}}</p>\n{{#each Opportunities}}\n<p>{{Nmae}}</p>'
        );
        await settle();
        const problems = [...element.shadowRoot!.querySelectorAll('[data-id="problem"]')];
        expect(problems.map((p) => p.textContent)).toEqual([
            expect.stringContaining('Body, line 3, column 1')
        ]);
        expect(byId(element, 'preview-blocked')).not.toBeNull();
        expect(renderMock).not.toHaveBeenCalled();

        // Close the block: the unknown field inside it is the next problem, at its own place.
        typeInto(
            element,
            '<h1>{{Name}}</h1>\n{{#each Opportunities}}\n<p>{{Nmae}}</p>\n{{/each}}',
            0
        );
        await settle(CHECK_DELAY_MS);
        const problem = byId(element, 'problem');
        expect(problem.textContent).toContain('Body, line 3, column 4');
        expect(problem.textContent).toContain('Opportunity has no field Nmae');

        const goTo = q(element, 'lightning-button[data-id="go-to-problem"]');
        expect(goTo.label).toBe('Go to Body, line 3, column 4');
        goTo.click();
        await flushPromises();
        const textarea = area(element);
        expect(textarea.selectionStart).toBe(
            '<h1>{{Name}}</h1>\n{{#each Opportunities}}\n<p>'.length
        );
        expect(byId(element, 'cursor').textContent).toBe('Line 3, column 4');
        await expectAccessible(element);
    });

    it('switches to the footer to show a problem there', async () => {
        const element = await mountOnRecordPage();
        const partGroup = byId(element, 'part');
        partGroup.dispatchEvent(new CustomEvent('change', { detail: { value: 'footer' } }));
        await flushPromises();
        typeInto(element, '<p>{{Name | shout}}</p>');
        partGroup.dispatchEvent(new CustomEvent('change', { detail: { value: 'body' } }));
        await settle(CHECK_DELAY_MS);
        expect(area(element).value).toBe(TEMPLATE.body);
        const goTo = q(element, 'lightning-button[data-id="go-to-problem"]');
        // The unknown formatter is pointed at, not just its merge tag.
        expect(goTo.label).toBe('Go to Footer, line 1, column 13');
        goTo.click();
        await flushPromises();
        expect(area(element).value).toBe('<p>{{Name | shout}}</p>');
        expect(area(element).selectionStart).toBe(12);
    });

    it('inserts a picked merge field at the cursor, from the record, a parent or a related list', async () => {
        const element = await mountOnRecordPage();
        const textarea = area(element);
        textarea.setSelectionRange(4, 4);
        const search = byId(element, 'picker-search');
        search.dispatchEvent(new CustomEvent('change', { detail: { value: 'phone' } }));
        await flushPromises();
        const buttons = [
            ...element.shadowRoot!.querySelectorAll('lightning-button-icon')
        ] as unknown as {
            alternativeText: string;
            click(): void;
        }[];
        expect(buttons.map((b) => b.alternativeText)).toEqual(['Insert {{Phone}}']);
        buttons[0]!.click();
        await flushPromises();
        expect(textarea.value).toBe('<h1>{{Phone}}Quote for {{Name}}</h1>\n<p>{{Owner.Name}}</p>');
        expect(textarea.selectionStart).toBe(4 + '{{Phone}}'.length);
        expect(byId(element, 'unsaved')).not.toBeNull();

        // Parents one level up: Owner → User's fields, as Owner.Name.
        const source = byId(element, 'picker-source');
        expect((source.options as { label: string }[]).map((o) => o.label)).toEqual([
            'Account (this record)',
            'Owner → User (parent)',
            'Opportunities → Opportunity (related list)'
        ]);
        search.dispatchEvent(new CustomEvent('change', { detail: { value: '' } }));
        source.dispatchEvent(new CustomEvent('change', { detail: { value: 'parent:Owner' } }));
        await flushPromises();
        const ownerName = q(element, 'lightning-button-icon[data-tag="{{Owner.Name}}"]');
        expect(ownerName).not.toBeNull();

        // A related list: a {{#each}} block around the selection, then its rows' fields.
        source.dispatchEvent(
            new CustomEvent('change', { detail: { value: 'child:Opportunities' } })
        );
        await flushPromises();
        textarea.setSelectionRange(0, 0);
        byId(element, 'insert-each').click();
        await flushPromises();
        expect(textarea.value.startsWith('{{#each Opportunities}}\n\n{{/each}}<h1>')).toBe(true);
        expect(textarea.selectionStart).toBe('{{#each Opportunities}}\n'.length);
        q(element, 'lightning-button-icon[data-tag="{{Amount}}"]').click();
        await flushPromises();
        expect(textarea.value.startsWith('{{#each Opportunities}}\n{{Amount}}\n{{/each}}')).toBe(
            true
        );
        await expectAccessible(element);
    });

    it('renders the preview again after the admin pauses, and only the latest edit is shown', async () => {
        const element = await mountOnRecordPage();
        renderMock.mockClear();
        let finishFirst: (value: unknown) => void = () => undefined;
        renderMock.mockImplementationOnce(() => new Promise((resolve) => (finishFirst = resolve)));
        createObjectURL.mockReturnValueOnce('blob:https://example.com/latest');
        typeInto(element, '<p>{{Name}} first</p>');
        await settle();
        typeInto(element, '<p>{{Name}} second</p>');
        await settle();
        // The slow first answer arrives last: it must not replace the second.
        finishFirst({ pdf: new Blob(['old']), warnings: { missingCharacters: [] } });
        await flushPromises();
        expect(renderMock).toHaveBeenCalledTimes(2);
        const firstSignal = renderMock.mock.calls[0]![2] as AbortSignal;
        expect(firstSignal.aborted).toBe(true);
        expect(byId(element, 'preview').getAttribute('src')).toBe(
            'blob:https://example.com/latest'
        );
    });

    it('previews images as documents show them, fetching each once while the editor is open', async () => {
        // A 1×1 PNG, served the way the org serves a static resource to the admin's session.
        const png = Uint8Array.from(
            atob(
                'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='
            ),
            (c) => c.charCodeAt(0)
        );
        const fetchMock = jest.fn(() =>
            Promise.resolve({
                ok: true,
                status: 200,
                arrayBuffer: () => Promise.resolve(png.buffer)
            })
        );
        const realFetch = globalThis.fetch;
        globalThis.fetch = fetchMock as unknown as typeof fetch;
        try {
            const element = await mountOnRecordPage();
            renderMock.mockClear();
            typeInto(element, '{{image "StaticResource:Logo" width=60}}<p>{{Name}}</p>');
            await settle();
            typeInto(element, '{{image "StaticResource:Logo" width=60}}<p>{{Name}} again</p>');
            await settle();
            expect(renderMock).toHaveBeenCalledTimes(2);
            const body = JSON.stringify((renderMock.mock.calls[1]![1] as { body: unknown }).body);
            expect(body).toContain('"type":"image"');
            expect(fetchMock).toHaveBeenCalledTimes(1);
            expect((fetchMock.mock.calls[0] as unknown[])[0]).toMatch(/\/resource\/\d+\/Logo$/);
            expect(byId(element, 'preview-warnings')).toBeNull();
        } finally {
            globalThis.fetch = realFetch;
        }
    });

    it('lists merge warnings for fields the admin cannot read', async () => {
        readMock.mockResolvedValue({
            record: { Name: 'Acme Corporation' },
            unreadableFields: ['Owner.Name'],
            truncatedRelationships: []
        });
        const element = await mountOnRecordPage();
        expect(byId(element, 'preview-warnings').textContent).toContain(
            "You can't see Owner.Name: it prints empty."
        );
    });

    it('says the relay failed, keeps the editor usable, and previews again after the next edit', async () => {
        renderMock.mockRejectedValueOnce(new RelayRequestError('network', 'Failed to fetch'));
        const element = await mountOnRecordPage();
        expect(byId(element, 'preview-error').textContent).toBe(
            "The preview couldn't be made. The PDF service can't be reached (Failed to fetch). Your edits are safe."
        );
        typeInto(element, '<p>{{Name}}</p>');
        await settle();
        expect(byId(element, 'preview-error')).toBeNull();
        expect(byId(element, 'preview')).not.toBeNull();
        // The relay was unreachable, the session is still good: it is kept, not minted again.
        expect(sessionMock).toHaveBeenCalledTimes(1);
        expect(renderMock).toHaveBeenCalledTimes(2);
        expect(renderMock.mock.calls[1]![0]).toEqual(SESSION);
        await expectAccessible(element);
    });

    it('renews a session the relay refuses as expired, once, and shows the preview', async () => {
        const renewed = { ...SESSION, token: 'tok-2' };
        sessionMock.mockResolvedValueOnce(SESSION).mockResolvedValueOnce(renewed);
        renderMock.mockRejectedValueOnce(
            new RelayRequestError('http', 'The session token has expired.', {
                status: 401,
                relayType: 'unauthorized'
            })
        );
        const element = await mountOnRecordPage();
        expect(byId(element, 'preview-error')).toBeNull();
        expect(byId(element, 'preview').getAttribute('src')).toBe(
            'blob:https://example.com/preview-1'
        );
        expect(sessionMock).toHaveBeenCalledTimes(2);
        expect(renderMock).toHaveBeenCalledTimes(2);
        expect((renderMock.mock.calls[0]![0] as { token: string }).token).toBe('tok');
        expect((renderMock.mock.calls[1]![0] as { token: string }).token).toBe('tok-2');

        // The renewed session is the one kept for the next preview.
        typeInto(element, '<p>{{Name}}</p>');
        await settle();
        expect(sessionMock).toHaveBeenCalledTimes(2);
        expect((renderMock.mock.calls[2]![0] as { token: string }).token).toBe('tok-2');
    });

    it('says the preview failed when the renewed session is refused too, and asks only once', async () => {
        const expired = new RelayRequestError('http', 'The session token has expired.', {
            status: 401,
            relayType: 'unauthorized'
        });
        renderMock.mockRejectedValueOnce(expired).mockRejectedValueOnce(expired);
        const element = await mountOnRecordPage();
        expect(byId(element, 'preview-error').textContent).toContain(
            "The preview couldn't be made."
        );
        expect(sessionMock).toHaveBeenCalledTimes(2);
        expect(renderMock).toHaveBeenCalledTimes(2);
    });

    it('leaves no timer behind when removed while describes are still awaited', async () => {
        const element = createElement('c-template-editor', { is: TemplateEditor });
        Object.assign(element, { recordId: TEMPLATE_ID });
        document.body.appendChild(element);
        await flushPromises();
        // The describes were asked for and never answered: each waits on its timeout.
        expect(describesWire.getLastConfig().objectApiNames).toContain('Account');
        expect(jest.getTimerCount()).toBeGreaterThan(0);
        document.body.removeChild(element);
        expect(jest.getTimerCount()).toBe(0);
        await flushPromises();
        expect(readMock).not.toHaveBeenCalled();
    });

    it('saves with the version it loaded and shows the new version', async () => {
        saveMock.mockResolvedValue({
            ...TEMPLATE,
            body: '<p>{{Name}}</p>',
            version: 4,
            lastModified: '2026-02-01T00:00:00.000Z'
        });
        const element = await mountOnRecordPage();
        typeInto(element, '<p>{{Name}}</p>');
        await settle(CHECK_DELAY_MS);
        byId(element, 'save').click();
        await flushPromises();
        expect(saveMock).toHaveBeenCalledWith({
            template: expect.objectContaining({
                id: TEMPLATE_ID,
                body: '<p>{{Name}}</p>',
                header: '',
                loadedVersion: 3,
                loadedLastModified: '2026-01-15T09:00:00.000Z'
            })
        });
        expect(byId(element, 'saved').textContent).toBe('Saved as version 4.');
        expect(byId(element, 'version').textContent).toBe('Version 4');
        expect(byId(element, 'unsaved')).toBeNull();
    });

    it('refuses a stale save with the reason and keeps every edit', async () => {
        saveMock.mockRejectedValue({
            body: { message: 'Someone saved this template after you opened it (version 4, Bo).' }
        });
        const element = await mountOnRecordPage();
        typeInto(element, '<p>{{Name}} mine</p>');
        await settle(CHECK_DELAY_MS);
        byId(element, 'save').click();
        await flushPromises();
        expect(byId(element, 'save-error').textContent).toBe(
            'Not saved: Someone saved this template after you opened it (version 4, Bo). Your changes are still here.'
        );
        expect(area(element).value).toBe('<p>{{Name}} mine</p>');
        expect(byId(element, 'unsaved')).not.toBeNull();
        expect(byId(element, 'version').textContent).toBe('Version 3');
    });

    it('does not save an active template with problems', async () => {
        const element = await mountOnRecordPage();
        typeInto(element, '{{#if Name}}');
        await settle(CHECK_DELAY_MS);
        byId(element, 'save').click();
        await flushPromises();
        expect(saveMock).not.toHaveBeenCalled();
        expect(byId(element, 'save-error').textContent).toBe('Fix the problems first.');
    });

    it('says when the base object does not exist', async () => {
        const element = await mountOnRecordPage();
        const base = byId(element, 'base-object');
        base.dispatchEvent(new CustomEvent('change', { detail: { value: 'Acount' } }));
        await settle(CHECK_DELAY_MS);
        // The wire answers every object asked so far, in the order asked; the typo is not found.
        const asked = describesWire.getLastConfig().objectApiNames;
        expect(asked).toContain('Acount');
        describesWire.emit({
            results: asked.map((name) =>
                name === 'Acount'
                    ? { statusCode: 404, result: [{ errorCode: 'NOT_FOUND', message: 'no' }] }
                    : { statusCode: 200, result: name === 'User' ? USER : ACCOUNT }
            )
        });
        await settle(CHECK_DELAY_MS);
        expect(byId(element, 'base-object-problem').textContent).toBe(
            'Base object: no object "Acount".'
        );
    });

    it('asks before unsaved changes are dropped for another template, and warns the browser', async () => {
        const element = createElement('c-template-editor', { is: TemplateEditor });
        document.body.appendChild(element);
        await flushPromises();
        expect(listMock).toHaveBeenCalled();
        const picker = byId(element, 'template');
        picker.dispatchEvent(new CustomEvent('change', { detail: { value: TEMPLATE_ID } }));
        await flushPromises();
        emitDescribes();
        await settle();
        typeInto(element, '<p>unsaved</p>');

        const unload = new Event('beforeunload', { cancelable: true });
        window.dispatchEvent(unload);
        expect(unload.defaultPrevented).toBe(true);

        confirmMock.mockResolvedValueOnce(false);
        byId(element, 'new-template').click();
        await flushPromises();
        expect(confirmMock).toHaveBeenCalledTimes(1);
        expect(area(element).value).toBe('<p>unsaved</p>');

        confirmMock.mockResolvedValueOnce(true);
        byId(element, 'new-template').click();
        await flushPromises();
        expect(area(element).value).toBe('');
        expect(byId(element, 'version').textContent).toBe('c.Resident_TplEdit_NotSavedYet');
        await expectAccessible(element);
    });
});

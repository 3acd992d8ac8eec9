import { createElement } from 'lwc';
import DocumentGenerator from 'c/documentGenerator';
import listTemplates from '@salesforce/apex/DocumentTemplateController.listTemplates';
import getTemplate from '@salesforce/apex/DocumentTemplateController.getTemplate';
import readRecordData from '@salesforce/apex/DocumentRecordController.readRecordData';
import saveDocument from '@salesforce/apex/DocumentFileController.saveDocument';
import getRelaySession from '@salesforce/apex/RelayConnectionController.getRelaySession';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
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
    {
        virtual: true
    }
);
jest.mock(
    '@salesforce/apex/DocumentRecordController.readRecordData',
    () => ({ default: jest.fn() }),
    {
        virtual: true
    }
);
jest.mock('@salesforce/apex/DocumentFileController.saveDocument', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock(
    '@salesforce/apex/RelayConnectionController.getRelaySession',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock('c/relayClient', () => {
    const actual = jest.requireActual('c/relayClient');
    return { ...actual, renderPdf: jest.fn() };
});

// Labels whose placeholders carry what the user must read.
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
jest.mock(
    '@salesforce/label/c.Resident_Doc_WarningUnreadable',
    () => ({ default: "You can't see {0}: it prints empty." }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_DocGen_LoadFailed',
    () => ({ default: "Couldn't load the document templates: {0}" }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_DocGen_MissingGlyphs',
    () => ({ default: 'These characters have no font: {0}' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_DocGen_PreviewTitle',
    () => ({ default: 'Preview of {0}' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_DocGen_SaveFailed',
    () => ({ default: 'The document was not saved: {0}' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_DocGen_TooBigToSave',
    () => ({ default: 'This PDF is {0} MB, more than {1} MB. Download it instead.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_DocGen_RecordFailed',
    () => ({ default: "Couldn't read the record: {0}" }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_DocGen_SessionFailed',
    () => ({ default: "Couldn't connect to the PDF service: {0}" }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_DocGen_RelayUnreachable',
    () => ({ default: "The PDF service can't be reached ({0})." }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_DocGen_RelayTooBig',
    () => ({ default: 'The document is too big to convert: {0}' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_DocGen_RelayRefused',
    () => ({ default: 'The PDF service refused the document: {0}' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_DocGen_TooBig',
    () => ({ default: 'Too big: {0} is {1}, at most {2}. Nothing was sent.' }),
    { virtual: true }
);
jest.mock('@salesforce/label/c.Resident_DocGen_LimitSize', () => ({ default: 'its size in MB' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.Resident_DocGen_RequestId', () => ({ default: '(Request {0})' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.Resident_DocGen_DocumentTitle', () => ({ default: '{0} - {1}' }), {
    virtual: true
});

jest.mock(
    '@salesforce/label/c.Resident_DocGen_Saved',
    () => ({ default: 'Saved to this record as' }),
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
                return Promise.resolve(
                    `/lightning/r/ContentDocument/${pageReference.attributes.recordId}/view`
                );
            }
        };
    NavigationMixin.Navigate = Navigate;
    NavigationMixin.GenerateUrl = GenerateUrl;
    return { NavigationMixin };
});

const listMock = listTemplates as unknown as jest.Mock;
const getTemplateMock = getTemplate as unknown as jest.Mock;
const readMock = readRecordData as unknown as jest.Mock;
const saveMock = saveDocument as unknown as jest.Mock;
const sessionMock = getRelaySession as unknown as jest.Mock;
const renderMock = renderPdf as unknown as jest.Mock;
const describeWire = getObjectInfo as unknown as { emit(value: unknown): void; error(): void };

const SUMMARIES = [
    {
        id: 'a0T000000000001AAA',
        name: 'Letter',
        baseObject: 'Account',
        version: 1,
        lastModified: ''
    },
    { id: 'a0T000000000002AAA', name: 'Quote', baseObject: 'Account', version: 3, lastModified: '' }
];

const TEMPLATE = {
    id: 'a0T000000000002AAA',
    name: 'Quote',
    baseObject: 'Account',
    body: '<h1>Quote for {{Name}}</h1>\n<p>Revenue: {{AnnualRevenue}}</p>',
    header: null,
    footer: null,
    pageSize: 'A4',
    orientation: 'portrait',
    margins: { top: 36, right: 36, bottom: 36, left: 36 },
    active: true,
    version: 3
};

const ACCOUNT_DESCRIBE = {
    apiName: 'Account',
    fields: {
        Name: { apiName: 'Name', dataType: 'String' },
        AnnualRevenue: { apiName: 'AnnualRevenue', dataType: 'Currency' }
    },
    childRelationships: []
};

const RECORD = {
    record: { Name: 'Acme <b>Corp</b>' },
    unreadableFields: ['AnnualRevenue'],
    truncatedRelationships: []
};

const SESSION = { relayUrl: 'https://relay.example.com', token: 'tok', expiresAt: 0 };
const PDF_TEXT = '%PDF-1.7 fake';

function pdfBlob(size?: number): Blob {
    return new Blob([size ? 'x'.repeat(size) : PDF_TEXT], { type: 'application/pdf' });
}

const createObjectURL = jest.fn(() => 'blob:https://example.com/preview-1');
const revokeObjectURL = jest.fn();
Object.assign(URL, { createObjectURL, revokeObjectURL });

function mount(props: Record<string, unknown> = {}) {
    const element = createElement('c-document-generator', { is: DocumentGenerator });
    Object.assign(element, {
        recordId: '001000000000001AAA',
        objectApiName: 'Account',
        defaultTemplateName: 'quote',
        ...props
    });
    document.body.appendChild(element);
    return element;
}

const q = (element: HTMLElement, id: string) =>
    element.shadowRoot!.querySelector(`[data-id="${id}"]`) as HTMLElement & Record<string, unknown>;

function happyPath(): void {
    listMock.mockResolvedValue(SUMMARIES);
    getTemplateMock.mockResolvedValue(TEMPLATE);
    readMock.mockResolvedValue(RECORD);
    sessionMock.mockResolvedValue(SESSION);
    renderMock.mockResolvedValue({ pdf: pdfBlob(), warnings: { missingCharacters: [] } });
}

/** Mounts, presses Preview, answers the describe, and waits for what follows. */
async function generate(element: HTMLElement): Promise<void> {
    await flushPromises();
    q(element, 'generate').click();
    await flushPromises();
    describeWire.emit(ACCOUNT_DESCRIBE);
    await flushPromises();
}

describe('c-document-generator', () => {
    afterEach(() => {
        resetDom();
        jest.clearAllMocks();
    });

    it('shows a spinner while the templates load', async () => {
        listMock.mockReturnValue(new Promise(() => undefined));
        const element = mount();
        await flushPromises();
        expect(element.shadowRoot!.querySelector('lightning-spinner')).not.toBeNull();
        expect(listMock).toHaveBeenCalledWith({ baseObject: 'Account' });
        await expect(element).toBeAccessible();
    });

    it("says why the templates couldn't load, and tries again", async () => {
        listMock.mockRejectedValueOnce({ body: { message: 'No access to templates.' } });
        const element = mount();
        await flushPromises();
        expect(q(element, 'load-error').textContent).toBe(
            "Couldn't load the document templates: No access to templates."
        );
        await expect(element).toBeAccessible();
        listMock.mockResolvedValueOnce(SUMMARIES);
        q(element, 'retry-load').click();
        await flushPromises();
        expect(q(element, 'load-error')).toBeNull();
        expect(q(element, 'template')).not.toBeNull();
    });

    it('says so when the object has no active template', async () => {
        listMock.mockResolvedValue([]);
        const element = mount();
        await flushPromises();
        expect(q(element, 'no-templates').textContent).toBe('c.Resident_DocGen_NoTemplates');
        expect(q(element, 'template')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('lists the templates and picks the default template by name', async () => {
        happyPath();
        const element = mount();
        await flushPromises();
        const picker = q(element, 'template');
        expect((picker.options as { label: string }[]).map((o) => o.label)).toEqual([
            'Letter',
            'Quote'
        ]);
        expect(picker.value).toBe('a0T000000000002AAA');
        expect(q(element, 'generate').disabled).toBe(false);
        await expect(element).toBeAccessible();
    });

    it('waits for a choice when there is no default and several templates', async () => {
        happyPath();
        const element = mount({ defaultTemplateName: undefined });
        await flushPromises();
        expect(q(element, 'template').value).toBeUndefined();
        expect(q(element, 'generate').disabled).toBe(true);
    });

    it('shows what it is doing while it generates', async () => {
        happyPath();
        renderMock.mockReturnValue(new Promise(() => undefined));
        const element = mount();
        await generate(element);
        expect(q(element, 'step').textContent).toBe('c.Resident_DocGen_StepPdf');
        expect(q(element, 'generate').disabled).toBe(true);
        await expect(element).toBeAccessible();
    });

    it('merges in the user session and previews the PDF with the warnings listed', async () => {
        happyPath();
        renderMock.mockResolvedValue({
            pdf: pdfBlob(),
            warnings: { missingCharacters: [0x4e2d] }
        });
        const element = mount();
        await generate(element);

        expect(getTemplateMock).toHaveBeenCalledWith({ templateId: 'a0T000000000002AAA' });
        expect(readMock).toHaveBeenCalledWith({
            recordId: '001000000000001AAA',
            fields: ['Name', 'AnnualRevenue'],
            children: []
        });
        expect(sessionMock).toHaveBeenCalledWith({ scopes: ['pdf'], taskId: null });
        const [session, description] = renderMock.mock.calls[0];
        expect(session).toEqual(SESSION);
        expect(description.metadata.title).toBe('Quote - Acme <b>Corp</b>');
        expect(description.metadata.language).toBe('en-US');
        // The record's markup-looking value is text in the description, never markup.
        expect(JSON.stringify(description.body)).toContain('Quote for Acme <b>Corp</b>');

        const frame = q(element, 'preview') as unknown as HTMLIFrameElement;
        expect(frame.getAttribute('src')).toBe('blob:https://example.com/preview-1');
        expect(frame.getAttribute('title')).toBe('Preview of Quote - Acme b Corp b.pdf');
        const warnings = [...q(element, 'warnings').querySelectorAll('li')].map(
            (li) => li.textContent
        );
        expect(warnings).toEqual([
            "You can't see AnnualRevenue: it prints empty.",
            'These characters have no font: 中 (U+4E2D)'
        ]);
        const download = q(element, 'download');
        expect(download.getAttribute('href')).toBe('blob:https://example.com/preview-1');
        expect(download.getAttribute('download')).toBe('Quote - Acme b Corp b.pdf');
        await expect(element).toBeAccessible();
    });

    it('lists template problems with their line and column, and sends nothing', async () => {
        happyPath();
        getTemplateMock.mockResolvedValue({ ...TEMPLATE, body: '<p>Hi</p>\n{{#if Name}}open' });
        const element = mount();
        await generate(element);
        const problems = [...q(element, 'problems').querySelectorAll('li')].map(
            (li) => li.textContent
        );
        expect(problems).toEqual([
            'c.Resident_Doc_PartBody, line 2, column 1: {{#if}} is never closed'
        ]);
        expect(readMock).not.toHaveBeenCalled();
        expect(renderMock).not.toHaveBeenCalled();
        await expect(element).toBeAccessible();
    });

    it("says the relay can't be reached, and tries again", async () => {
        happyPath();
        renderMock.mockRejectedValueOnce(new RelayRequestError('network', 'Failed to fetch'));
        const element = mount();
        await generate(element);
        expect(q(element, 'failure').textContent).toBe(
            "The PDF service can't be reached (Failed to fetch)."
        );
        expect(q(element, 'preview')).toBeNull();
        await expect(element).toBeAccessible();
        q(element, 'retry-generate').click();
        await flushPromises();
        expect(q(element, 'preview')).not.toBeNull();
    });

    it('says the document is too big before sending, naming the limit', async () => {
        happyPath();
        renderMock.mockRejectedValueOnce(
            new RelayRequestError('limit', 'too big', {
                relayType: 'payload_too_large',
                breach: { limit: 'maxDescriptionBytes', actual: 7 * 1048576, max: 6 * 1048576 }
            })
        );
        const element = mount();
        await generate(element);
        expect(q(element, 'failure').textContent).toBe(
            'Too big: its size in MB is 7.0, at most 6.0. Nothing was sent.'
        );
    });

    it("quotes the relay's reason and request id when it refuses the document", async () => {
        happyPath();
        renderMock.mockRejectedValueOnce(
            new RelayRequestError('http', 'The document has 1,204 pages; at most 1,000.', {
                status: 413,
                relayType: 'payload_too_large',
                requestId: 'req-9'
            })
        );
        const element = mount();
        await generate(element);
        expect(q(element, 'failure').textContent).toBe(
            'The document is too big to convert: The document has 1,204 pages; at most 1,000. (Request req-9)'
        );
    });

    it("says why when the PDF service session can't be had", async () => {
        happyPath();
        sessionMock.mockRejectedValueOnce({ body: { message: 'The relay is not connected.' } });
        const element = mount();
        await generate(element);
        expect(q(element, 'failure').textContent).toBe(
            "Couldn't connect to the PDF service: The relay is not connected."
        );
        expect(renderMock).not.toHaveBeenCalled();
    });

    it("says why when the record can't be read", async () => {
        happyPath();
        readMock.mockRejectedValueOnce({ body: { message: 'The record does not exist.' } });
        const element = mount();
        await generate(element);
        expect(q(element, 'failure').textContent).toBe(
            "Couldn't read the record: The record does not exist."
        );
    });

    it('saves the PDF as a File on the record and links to it', async () => {
        happyPath();
        saveMock.mockResolvedValue({
            contentVersionId: '068000000000001AAA',
            contentDocumentId: '069000000000001AAA',
            activityId: 'a0A000000000001AAA'
        });
        const element = mount();
        await generate(element);
        q(element, 'save').click();
        await flushPromises();

        expect(saveMock).toHaveBeenCalledWith({
            recordId: '001000000000001AAA',
            fileName: 'Quote - Acme b Corp b.pdf',
            base64Pdf: btoa(PDF_TEXT),
            templateId: 'a0T000000000002AAA'
        });
        expect(q(element, 'saved').textContent).toContain('Saved to this record as');
        const link = q(element, 'file-link');
        expect(link.textContent).toBe('Quote - Acme b Corp b.pdf');
        expect(link.getAttribute('href')).toBe(
            '/lightning/r/ContentDocument/069000000000001AAA/view'
        );
        expect(q(element, 'save').disabled).toBe(true);
        link.click();
        expect(mockNavigate).toHaveBeenCalledWith({
            type: 'standard__recordPage',
            attributes: {
                recordId: '069000000000001AAA',
                objectApiName: 'ContentDocument',
                actionName: 'view'
            }
        });
        await expect(element).toBeAccessible();
    });

    it('keeps the preview when the save fails, so the user can try again or download', async () => {
        happyPath();
        saveMock.mockRejectedValueOnce({ body: { message: 'Storage limit exceeded.' } });
        const element = mount();
        await generate(element);
        q(element, 'save').click();
        await flushPromises();
        expect(q(element, 'save-error').textContent).toBe(
            'The document was not saved: Storage limit exceeded.'
        );
        expect(q(element, 'preview')).not.toBeNull();
        expect(q(element, 'download')).not.toBeNull();
        expect(q(element, 'save').disabled).toBe(false);
        await expect(element).toBeAccessible();
    });

    it('offers only the download for a PDF larger than a File may be', async () => {
        happyPath();
        renderMock.mockResolvedValue({
            pdf: pdfBlob(3 * 1024 * 1024 + 1),
            warnings: { missingCharacters: [] }
        });
        const element = mount();
        await generate(element);
        expect(q(element, 'save-error').textContent).toBe(
            'This PDF is 3.0 MB, more than 3.0 MB. Download it instead.'
        );
        expect(q(element, 'save').disabled).toBe(true);
        expect(q(element, 'download')).not.toBeNull();
    });

    it('picking another template generates it at once, and releases the old preview', async () => {
        happyPath();
        const element = mount();
        await generate(element);
        expect(createObjectURL).toHaveBeenCalledTimes(1);
        q(element, 'template').dispatchEvent(
            new CustomEvent('change', { detail: { value: 'a0T000000000001AAA' } })
        );
        await flushPromises();
        expect(revokeObjectURL).toHaveBeenCalledWith('blob:https://example.com/preview-1');
        expect(getTemplateMock).toHaveBeenLastCalledWith({ templateId: 'a0T000000000001AAA' });
        expect(q(element, 'preview')).not.toBeNull();
    });

    it('releases the preview when it leaves the page', async () => {
        happyPath();
        const element = mount();
        await generate(element);
        document.body.removeChild(element);
        expect(revokeObjectURL).toHaveBeenCalledWith('blob:https://example.com/preview-1');
    });
});

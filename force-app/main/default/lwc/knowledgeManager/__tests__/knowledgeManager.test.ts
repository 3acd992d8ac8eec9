import { createElement } from 'lwc';
import KnowledgeManager, { MAX_ORIGINAL_BYTES } from 'c/knowledgeManager';
import listDocuments from '@salesforce/apex/KnowledgeController.listDocuments';
import saveDocument from '@salesforce/apex/KnowledgeController.saveDocument';
import deleteDocument from '@salesforce/apex/KnowledgeController.deleteDocument';
import setDocumentActive from '@salesforce/apex/KnowledgeController.setDocumentActive';
import keepOriginal from '@salesforce/apex/KnowledgeController.keepOriginal';
import { splitDocument } from 'c/knowledgeIndex';
import { extractPdfText } from 'c/pdfText';
import LightningConfirm from 'lightning/confirm';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import { flushPromises, resetDom } from '@resident/jest-utils';
import type { KnowledgeDocumentSummary } from 'c/coworkerContract';

jest.mock('@salesforce/apex/KnowledgeController.listDocuments', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/KnowledgeController.saveDocument', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/KnowledgeController.deleteDocument', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock(
    '@salesforce/apex/KnowledgeController.setDocumentActive',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock('@salesforce/apex/KnowledgeController.keepOriginal', () => ({ default: jest.fn() }), {
    virtual: true
});
// The real chunker is the tools helper's c/knowledgeIndex; here only its contract matters.
jest.mock('c/knowledgeIndex', () => ({ splitDocument: jest.fn() }));
jest.mock('c/pdfText', () => ({ extractPdfText: jest.fn() }));
jest.mock(
    '@salesforce/label/c.Resident_KnowledgeManager_PdfNoText',
    () => ({ default: 'No text found in {0}: this PDF may be scanned.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_KnowledgeManager_SaveFailed',
    () => ({ default: "Couldn't save the document; your text is still here: {0}" }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_KnowledgeManager_Preview',
    () => ({ default: 'Saves as {0} passages ({1} characters).' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_KnowledgeManager_FileTooLarge',
    () => ({ default: '{0} is larger than {1} MB.' }),
    { virtual: true }
);

jest.mock(
    '@salesforce/label/c.Resident_KnowledgeManager_OriginalKept',
    () => ({ default: '{0} will be kept as a File.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_KnowledgeManager_OriginalTooLarge',
    () => ({ default: '{0} is larger than {1} MB: text only, the original is not kept.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_KnowledgeManager_SavedWithOriginal',
    () => ({ default: 'Added {0} ({1} passages), with its original file {2}.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_KnowledgeManager_OriginalNotKept',
    () => ({ default: 'Added {0} ({1} passages), but {2} was not kept: {3}' }),
    { virtual: true }
);

const listMock = listDocuments as unknown as jest.Mock;
const keepMock = keepOriginal as unknown as jest.Mock;
const saveMock = saveDocument as unknown as jest.Mock;
const deleteMock = deleteDocument as unknown as jest.Mock;
const activeMock = setDocumentActive as unknown as jest.Mock;
const splitMock = splitDocument as unknown as jest.Mock;
const pdfMock = extractPdfText as unknown as jest.Mock;

type Field = HTMLElement & { value: unknown; disabled?: boolean };

const GUIDE: KnowledgeDocumentSummary = {
    id: 'a03000000000001AAA',
    name: 'Refund policy',
    format: 'Markdown',
    chunkCount: 4,
    active: true,
    lastModified: '2026-11-01T09:00:00.000Z'
};

function chunksOf(text: string) {
    return text
        .split(/\n\n+/)
        .filter(Boolean)
        .map((body, i) => ({ sequence: i, heading: null, body, searchText: body.toLowerCase() }));
}

/** What getObjectInfo says of Resident_Knowledge_Document__c for an admin, and for a user. */
const ADMIN_ACCESS = { createable: true, updateable: true, deletable: true };
const READER_ACCESS = { createable: false, updateable: false, deletable: false };

function mount(access = ADMIN_ACCESS): HTMLElement {
    const element = createElement('c-knowledge-manager', { is: KnowledgeManager });
    document.body.appendChild(element);
    (getObjectInfo as unknown as { emit(d: unknown): void }).emit({
        apiName: 'Resident_Knowledge_Document__c',
        ...access
    });
    return element;
}

function q(element: HTMLElement, dataId: string): Field | null {
    return element.shadowRoot!.querySelector<Field>(`[data-id="${dataId}"]`);
}

async function type(element: HTMLElement, dataId: string, value: string): Promise<void> {
    const field = q(element, dataId)!;
    field.value = value;
    field.dispatchEvent(new CustomEvent('change', { detail: { value } }));
    await flushPromises();
}

async function chooseFile(element: HTMLElement, file: File | object): Promise<void> {
    q(element, 'file')!.dispatchEvent(new CustomEvent('change', { detail: { files: [file] } }));
    await flushPromises();
}

describe('c-knowledge-manager', () => {
    let confirmSpy: jest.SpyInstance;

    beforeEach(() => {
        confirmSpy = jest.spyOn(LightningConfirm, 'open').mockResolvedValue(true);
        splitMock.mockImplementation((text: string) => chunksOf(text));
        listMock.mockResolvedValue([GUIDE]);
    });

    afterEach(() => {
        resetDom();
        jest.clearAllMocks();
        confirmSpy.mockRestore();
    });

    it('shows a spinner while documents load', async () => {
        listMock.mockReturnValue(new Promise(() => {}));
        const element = mount();
        await flushPromises();
        expect(q(element, 'loading')).not.toBeNull();
    });

    it('says so when there are no documents yet', async () => {
        listMock.mockResolvedValue([]);
        const element = mount();
        await flushPromises();
        expect(q(element, 'empty')!.textContent).toBe('c.Resident_KnowledgeManager_Empty');
        await expect(element).toBeAccessible();
    });

    it('lists documents with their passages and state', async () => {
        const element = mount();
        await flushPromises();
        const table = q(element, 'documents') as Field & { data: KnowledgeDocumentSummary[] };
        expect(table.data).toEqual([GUIDE]);
        await expect(element).toBeAccessible();
    });

    it('reports a failed load and tries again', async () => {
        listMock.mockRejectedValueOnce({ body: { message: 'No access' } });
        const element = mount();
        await flushPromises();
        expect(q(element, 'load-error')!.textContent).toContain(
            'c.Resident_KnowledgeManager_LoadFailed'
        );
        q(element, 'retry')!.click();
        await flushPromises();
        expect(q(element, 'documents')).not.toBeNull();
    });

    it('adds pasted Markdown: previews the passage count, saves the chunks, refreshes the list', async () => {
        saveMock.mockResolvedValue('a03000000000002AAA');
        const element = mount();
        await flushPromises();
        await type(element, 'name', 'Shipping guide');
        await type(element, 'format', 'Markdown');
        await type(
            element,
            'text',
            '# Shipping\n\nOrders ship in two days.\n\nReturns take a week.'
        );
        expect(splitMock).toHaveBeenLastCalledWith(
            '# Shipping\n\nOrders ship in two days.\n\nReturns take a week.',
            'Markdown'
        );
        expect(q(element, 'preview')!.textContent).toBe('Saves as 3 passages (58 characters).');
        q(element, 'save')!.click();
        await flushPromises();
        expect(saveMock).toHaveBeenCalledWith({
            name: 'Shipping guide',
            format: 'Markdown',
            chunks: chunksOf('# Shipping\n\nOrders ship in two days.\n\nReturns take a week.')
        });
        expect(q(element, 'notice')!.textContent).toBe('c.Resident_KnowledgeManager_Saved');
        expect(q(element, 'text')!.value).toBe('');
        expect(listMock).toHaveBeenCalledTimes(2);
        // Typed text has no original file: its passages are all there is.
        expect(keepMock).not.toHaveBeenCalled();
        expect(q(element, 'original-note')).toBeNull();
    });

    it('refuses empty text with a message, and a missing name', async () => {
        const element = mount();
        await flushPromises();
        q(element, 'save')!.click();
        await flushPromises();
        expect(q(element, 'form-error')!.textContent).toBe(
            'c.Resident_KnowledgeManager_NameRequired'
        );
        await type(element, 'name', 'Empty');
        await type(element, 'text', '   \n  ');
        q(element, 'save')!.click();
        await flushPromises();
        expect(q(element, 'form-error')!.textContent).toBe('c.Resident_KnowledgeManager_EmptyText');
        expect(saveMock).not.toHaveBeenCalled();
    });

    it('keeps the text when the save fails, and shows why', async () => {
        saveMock.mockRejectedValue({ body: { message: 'Storage limit exceeded' } });
        const element = mount();
        await flushPromises();
        await type(element, 'name', 'Pricing');
        await type(element, 'text', 'Prices rise in March.');
        q(element, 'save')!.click();
        await flushPromises();
        expect(q(element, 'form-error')!.textContent).toBe(
            "Couldn't save the document; your text is still here: Storage limit exceeded"
        );
        expect(q(element, 'text')!.value).toBe('Prices rise in March.');
        expect(q(element, 'name')!.value).toBe('Pricing');
    });

    it('reads a chosen Markdown file, names the document after it, and previews', async () => {
        const element = mount();
        await flushPromises();
        const file = new File(['# FAQ\n\nAsk us anything.'], 'faq.md', { type: 'text/markdown' });
        await chooseFile(element, file);
        await flushPromises();
        expect(q(element, 'text')!.value).toBe('# FAQ\n\nAsk us anything.');
        expect(q(element, 'name')!.value).toBe('faq');
        expect(q(element, 'format')!.value).toBe('Markdown');
        expect(q(element, 'preview')!.textContent).toBe('Saves as 2 passages (23 characters).');
    });

    it("extracts a PDF's text in the browser and saves it as a PDF document", async () => {
        pdfMock.mockResolvedValue({ text: 'Warranty\n\nTwo years on parts.', pages: 2 });
        saveMock.mockResolvedValue('a03000000000003AAA');
        const element = mount();
        await flushPromises();
        const file = new File([new Uint8Array([37, 80, 68, 70])], 'warranty.pdf', {
            type: 'application/pdf'
        });
        await chooseFile(element, file);
        await flushPromises();
        expect(pdfMock).toHaveBeenCalledWith(expect.any(ArrayBuffer), expect.anything());
        expect(q(element, 'text')!.value).toBe('Warranty\n\nTwo years on parts.');
        expect(q(element, 'format')!.value).toBe('PDF');
        expect(q(element, 'notice')!.textContent).toBe('c.Resident_KnowledgeManager_ReadPdf');
        q(element, 'save')!.click();
        await flushPromises();
        expect(saveMock).toHaveBeenCalledWith(
            expect.objectContaining({ name: 'warranty', format: 'PDF' })
        );
    });

    it('says a PDF without text may be scanned, and keeps what was typed', async () => {
        pdfMock.mockRejectedValue(Object.assign(new Error('no_text'), { code: 'no_text' }));
        const element = mount();
        await flushPromises();
        await type(element, 'name', 'Scanned contract');
        await chooseFile(
            element,
            new File([new Uint8Array([1])], 'contract.pdf', { type: 'application/pdf' })
        );
        await flushPromises();
        expect(q(element, 'form-error')!.textContent).toBe(
            'No text found in contract.pdf: this PDF may be scanned.'
        );
        expect(q(element, 'name')!.value).toBe('Scanned contract');
        await expect(element).toBeAccessible();
    });

    it('refuses files over 10 MB and files of other types before reading them', async () => {
        const element = mount();
        await flushPromises();
        await chooseFile(element, {
            name: 'huge.pdf',
            size: 11 * 1024 * 1024,
            type: 'application/pdf'
        });
        expect(q(element, 'form-error')!.textContent).toBe('huge.pdf is larger than 10 MB.');
        await chooseFile(element, new File(['x'], 'sheet.xlsx'));
        expect(q(element, 'form-error')!.textContent).toBe('c.Resident_KnowledgeManager_FileType');
        expect(pdfMock).not.toHaveBeenCalled();
    });

    it('deactivates and activates a document', async () => {
        activeMock.mockResolvedValue(undefined);
        const element = mount();
        await flushPromises();
        q(element, 'documents')!.dispatchEvent(
            new CustomEvent('rowaction', { detail: { action: { name: 'deactivate' }, row: GUIDE } })
        );
        await flushPromises();
        expect(activeMock).toHaveBeenCalledWith({ documentId: GUIDE.id, active: false });
        expect(q(element, 'notice')!.textContent).toBe('c.Resident_KnowledgeManager_Deactivated');
        expect(listMock).toHaveBeenCalledTimes(2);
    });

    it('offers a user without Resident Admin no add form and no row actions', async () => {
        listMock.mockResolvedValue([GUIDE]);
        const element = mount(READER_ACCESS);
        await flushPromises();
        expect(q(element, 'documents')).not.toBeNull();
        expect(q(element, 'save')).toBeNull();
        expect(q(element, 'text')).toBeNull();
        const table = q(element, 'documents') as unknown as { columns: { type?: string }[] };
        expect(table.columns.some((c) => c.type === 'action')).toBe(false);
        await expect(element).toBeAccessible();
    });

    it('deletes a document only after confirmation', async () => {
        deleteMock.mockResolvedValue(undefined);
        const element = mount();
        await flushPromises();
        confirmSpy.mockResolvedValueOnce(false);
        const remove = () =>
            q(element, 'documents')!.dispatchEvent(
                new CustomEvent('rowaction', { detail: { action: { name: 'delete' }, row: GUIDE } })
            );
        remove();
        await flushPromises();
        expect(deleteMock).not.toHaveBeenCalled();
        remove();
        await flushPromises();
        expect(deleteMock).toHaveBeenCalledWith({ documentId: GUIDE.id });
        expect(q(element, 'notice')!.textContent).toBe('c.Resident_KnowledgeManager_Deleted');
    });

    it("reports Salesforce's message when a delete fails", async () => {
        deleteMock.mockRejectedValue({ body: { message: 'Insufficient access rights' } });
        const element = mount();
        await flushPromises();
        q(element, 'documents')!.dispatchEvent(
            new CustomEvent('rowaction', { detail: { action: { name: 'delete' }, row: GUIDE } })
        );
        await flushPromises();
        expect(q(element, 'notice')!.getAttribute('role')).toBe('alert');
        expect(listMock).toHaveBeenCalledTimes(1);
    });

    describe('the original file', () => {
        const MARKDOWN = '# FAQ\n\nAsk us anything.';
        const MARKDOWN_BASE64 = Buffer.from(MARKDOWN).toString('base64');

        it('keeps a chosen file as it is: the passages first, then the file on the new document', async () => {
            saveMock.mockResolvedValue('a03000000000005AAA');
            keepMock.mockResolvedValue('069000000000005AAA');
            const element = mount();
            await flushPromises();
            await chooseFile(element, new File([MARKDOWN], 'faq.md', { type: 'text/markdown' }));
            await flushPromises();
            expect(q(element, 'original-note')!.textContent).toBe('faq.md will be kept as a File.');
            q(element, 'save')!.click();
            await flushPromises();
            await flushPromises();
            expect(saveMock).toHaveBeenCalledWith(
                expect.objectContaining({ name: 'faq', format: 'Markdown' })
            );
            expect(keepMock).toHaveBeenCalledWith({
                documentId: 'a03000000000005AAA',
                fileName: 'faq.md',
                base64: MARKDOWN_BASE64
            });
            expect(saveMock.mock.invocationCallOrder[0]).toBeLessThan(
                keepMock.mock.invocationCallOrder[0]!
            );
            expect(q(element, 'notice')!.textContent).toBe(
                'Added faq (2 passages), with its original file faq.md.'
            );
            // The form is clear for the next document, and so is the file it kept.
            expect(q(element, 'original-note')).toBeNull();
            expect(listMock).toHaveBeenCalledTimes(2);
        });

        it('keeps a PDF’s bytes, not its extracted text', async () => {
            pdfMock.mockResolvedValue({ text: 'Warranty\n\nTwo years on parts.', pages: 1 });
            saveMock.mockResolvedValue('a03000000000006AAA');
            keepMock.mockResolvedValue('069000000000006AAA');
            const element = mount();
            await flushPromises();
            const bytes = new Uint8Array([37, 80, 68, 70, 45, 49, 46, 52, 0, 255]);
            await chooseFile(
                element,
                new File([bytes], 'warranty.pdf', { type: 'application/pdf' })
            );
            await flushPromises();
            q(element, 'save')!.click();
            await flushPromises();
            await flushPromises();
            expect(keepMock).toHaveBeenCalledWith({
                documentId: 'a03000000000006AAA',
                fileName: 'warranty.pdf',
                base64: Buffer.from(bytes).toString('base64')
            });
        });

        it('indexes a PDF over 2 MB as text and says, before saving, that its original is not kept', async () => {
            // Text and Markdown over 2 MB exceed the text cap anyway; a large PDF is the case.
            pdfMock.mockResolvedValue({ text: 'Handbook\n\nEverything.', pages: 40 });
            saveMock.mockResolvedValue('a03000000000007AAA');
            const element = mount();
            await flushPromises();
            const big = new File([new Uint8Array(MAX_ORIGINAL_BYTES + 1)], 'handbook.pdf', {
                type: 'application/pdf'
            });
            await chooseFile(element, big);
            await flushPromises();
            expect(q(element, 'original-note')!.textContent).toBe(
                'handbook.pdf is larger than 2 MB: text only, the original is not kept.'
            );
            q(element, 'save')!.click();
            await flushPromises();
            await flushPromises();
            expect(saveMock).toHaveBeenCalledWith(
                expect.objectContaining({ name: 'handbook', format: 'PDF' })
            );
            expect(keepMock).not.toHaveBeenCalled();
            expect(q(element, 'notice')!.textContent).toBe('c.Resident_KnowledgeManager_Saved');
        });

        it('a failed save sends no file and loses nothing: the text and the file are still there to retry', async () => {
            saveMock.mockRejectedValueOnce({ body: { message: 'Storage limit exceeded' } });
            const element = mount();
            await flushPromises();
            await chooseFile(element, new File([MARKDOWN], 'faq.md', { type: 'text/markdown' }));
            await flushPromises();
            q(element, 'save')!.click();
            await flushPromises();
            await flushPromises();
            expect(q(element, 'form-error')!.textContent).toBe(
                "Couldn't save the document; your text is still here: Storage limit exceeded"
            );
            expect(keepMock).not.toHaveBeenCalled();
            expect(q(element, 'text')!.value).toBe(MARKDOWN);
            expect(q(element, 'original-note')!.textContent).toBe('faq.md will be kept as a File.');

            saveMock.mockResolvedValueOnce('a03000000000008AAA');
            keepMock.mockResolvedValueOnce('069000000000008AAA');
            q(element, 'save')!.click();
            await flushPromises();
            await flushPromises();
            expect(keepMock).toHaveBeenCalledWith({
                documentId: 'a03000000000008AAA',
                fileName: 'faq.md',
                base64: MARKDOWN_BASE64
            });
        });

        it('when the file cannot be kept, the document is still saved and a warning says why', async () => {
            saveMock.mockResolvedValue('a03000000000009AAA');
            keepMock.mockRejectedValue({ body: { message: 'File uploads are blocked.' } });
            const element = mount();
            await flushPromises();
            await chooseFile(element, new File([MARKDOWN], 'faq.md', { type: 'text/markdown' }));
            await flushPromises();
            q(element, 'save')!.click();
            await flushPromises();
            await flushPromises();
            const notice = q(element, 'notice')!;
            expect(notice.textContent).toBe(
                'Added faq (2 passages), but faq.md was not kept: File uploads are blocked.'
            );
            // A warning, not an error: the save succeeded; only the file was not kept.
            expect(notice.className).toContain('slds-theme_warning');
            // The passages are saved: the list is reloaded, and the form is free for the next one.
            expect(saveMock).toHaveBeenCalledTimes(1);
            expect(listMock).toHaveBeenCalledTimes(2);
            expect(q(element, 'text')!.value).toBe('');
            await expect(element).toBeAccessible();
        });

        it('Clear forgets the chosen file', async () => {
            saveMock.mockResolvedValue('a03000000000010AAA');
            const element = mount();
            await flushPromises();
            await chooseFile(element, new File([MARKDOWN], 'faq.md', { type: 'text/markdown' }));
            await flushPromises();
            q(element, 'clear')!.click();
            await flushPromises();
            expect(q(element, 'original-note')).toBeNull();
            await type(element, 'name', 'Typed');
            await type(element, 'text', 'Typed text.');
            q(element, 'save')!.click();
            await flushPromises();
            await flushPromises();
            expect(saveMock).toHaveBeenCalledTimes(1);
            expect(keepMock).not.toHaveBeenCalled();
        });
    });
});

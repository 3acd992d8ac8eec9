import { LightningElement, wire } from 'lwc';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import KNOWLEDGE_DOCUMENT from '@salesforce/schema/Resident_Knowledge_Document__c';
import LightningConfirm from 'lightning/confirm';
import listDocuments from '@salesforce/apex/KnowledgeController.listDocuments';
import saveDocument from '@salesforce/apex/KnowledgeController.saveDocument';
import deleteDocument from '@salesforce/apex/KnowledgeController.deleteDocument';
import setDocumentActive from '@salesforce/apex/KnowledgeController.setDocumentActive';
import keepOriginal from '@salesforce/apex/KnowledgeController.keepOriginal';
import { splitDocument } from 'c/knowledgeIndex';
import { extractPdfText } from 'c/pdfText';
import type { KnowledgeChunkInput, KnowledgeDocumentSummary } from 'c/coworkerContract';
import { EXPORT_MAX_ORIGINAL_BYTES } from 'c/trustCenterContract';
import { formatLabel, readableError, noticeClass, noticeRole } from 'c/userMessages';

import titleLabel from '@salesforce/label/c.Resident_KnowledgeManager_Title';
import loadingLabel from '@salesforce/label/c.Resident_KnowledgeManager_Loading';
import loadFailedLabel from '@salesforce/label/c.Resident_KnowledgeManager_LoadFailed';
import retryLabel from '@salesforce/label/c.Resident_KnowledgeManager_Retry';
import emptyLabel from '@salesforce/label/c.Resident_KnowledgeManager_Empty';
import columnNameLabel from '@salesforce/label/c.Resident_KnowledgeManager_ColumnName';
import columnFormatLabel from '@salesforce/label/c.Resident_KnowledgeManager_ColumnFormat';
import columnChunksLabel from '@salesforce/label/c.Resident_KnowledgeManager_ColumnChunks';
import columnActiveLabel from '@salesforce/label/c.Resident_KnowledgeManager_ColumnActive';
import columnModifiedLabel from '@salesforce/label/c.Resident_KnowledgeManager_ColumnModified';
import activateLabel from '@salesforce/label/c.Resident_KnowledgeManager_Activate';
import deactivateLabel from '@salesforce/label/c.Resident_KnowledgeManager_Deactivate';
import deleteLabel from '@salesforce/label/c.Resident_KnowledgeManager_Delete';
import confirmDeleteTitleLabel from '@salesforce/label/c.Resident_KnowledgeManager_ConfirmDeleteTitle';
import confirmDeleteLabel from '@salesforce/label/c.Resident_KnowledgeManager_ConfirmDelete';
import deletedLabel from '@salesforce/label/c.Resident_KnowledgeManager_Deleted';
import activatedLabel from '@salesforce/label/c.Resident_KnowledgeManager_Activated';
import deactivatedLabel from '@salesforce/label/c.Resident_KnowledgeManager_Deactivated';
import actionFailedLabel from '@salesforce/label/c.Resident_KnowledgeManager_ActionFailed';
import addTitleLabel from '@salesforce/label/c.Resident_KnowledgeManager_AddTitle';
import nameLabel from '@salesforce/label/c.Resident_KnowledgeManager_Name';
import formatLabelText from '@salesforce/label/c.Resident_KnowledgeManager_Format';
import textLabel from '@salesforce/label/c.Resident_KnowledgeManager_Text';
import textHelpLabel from '@salesforce/label/c.Resident_KnowledgeManager_TextHelp';
import fileLabel from '@salesforce/label/c.Resident_KnowledgeManager_File';
import readingLabel from '@salesforce/label/c.Resident_KnowledgeManager_Reading';
import readPdfLabel from '@salesforce/label/c.Resident_KnowledgeManager_ReadPdf';
import previewLabel from '@salesforce/label/c.Resident_KnowledgeManager_Preview';
import splitFailedLabel from '@salesforce/label/c.Resident_KnowledgeManager_SplitFailed';
import saveLabel from '@salesforce/label/c.Resident_KnowledgeManager_Save';
import clearLabel from '@salesforce/label/c.Resident_KnowledgeManager_Clear';
import savingLabel from '@salesforce/label/c.Resident_KnowledgeManager_Saving';
import savedLabel from '@salesforce/label/c.Resident_KnowledgeManager_Saved';
import saveFailedLabel from '@salesforce/label/c.Resident_KnowledgeManager_SaveFailed';
import nameRequiredLabel from '@salesforce/label/c.Resident_KnowledgeManager_NameRequired';
import emptyTextLabel from '@salesforce/label/c.Resident_KnowledgeManager_EmptyText';
import textTooLongLabel from '@salesforce/label/c.Resident_KnowledgeManager_TextTooLong';
import fileTooLargeLabel from '@salesforce/label/c.Resident_KnowledgeManager_FileTooLarge';
import fileTypeLabel from '@salesforce/label/c.Resident_KnowledgeManager_FileType';
import fileReadFailedLabel from '@salesforce/label/c.Resident_KnowledgeManager_FileReadFailed';
import pdfNoTextLabel from '@salesforce/label/c.Resident_KnowledgeManager_PdfNoText';
import pdfEncryptedLabel from '@salesforce/label/c.Resident_KnowledgeManager_PdfEncrypted';
import pdfUnreadableLabel from '@salesforce/label/c.Resident_KnowledgeManager_PdfUnreadable';
import pdfTooManyPagesLabel from '@salesforce/label/c.Resident_KnowledgeManager_PdfTooManyPages';
import originalKeptLabel from '@salesforce/label/c.Resident_KnowledgeManager_OriginalKept';
import originalTooLargeLabel from '@salesforce/label/c.Resident_KnowledgeManager_OriginalTooLarge';
import savedWithOriginalLabel from '@salesforce/label/c.Resident_KnowledgeManager_SavedWithOriginal';
import originalNotKeptLabel from '@salesforce/label/c.Resident_KnowledgeManager_OriginalNotKept';

type DocumentFormat = KnowledgeDocumentSummary['format'];

/** Files larger than this are refused before they are read (the browser holds them in memory). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Text beyond this is a book, not a reference document: it would not fit one save either. */
export const MAX_TEXT_CHARS = 1_000_000;
/**
 * The largest original file kept as a File on its document: the export's cap (one Apex request
 * and heap carry it in and out as base64), so every original kept can also be exported.
 */
export const MAX_ORIGINAL_BYTES = EXPORT_MAX_ORIGINAL_BYTES;
/** The document's name is the record's Name field (80 characters). */
const MAX_NAME_CHARS = 80;

type Notice = { variant: 'success' | 'error' | 'warning'; text: string };

function readFile(file: Blob, as: 'text' | 'bytes' | 'dataUrl'): Promise<string | ArrayBuffer> {
    return new Promise((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(reader.result as string | ArrayBuffer);
        reader.onerror = () => reject(reader.error ?? new Error('unreadable file'));
        if (as === 'text') reader.readAsText(file);
        else if (as === 'dataUrl') reader.readAsDataURL(file);
        else reader.readAsArrayBuffer(file);
    });
}

/** The file's bytes as base64 (a data URL without its `data:…;base64,` head). */
async function base64Of(file: Blob): Promise<string> {
    const url = (await readFile(file, 'dataUrl')) as string;
    return url.slice(url.indexOf(',') + 1);
}

function extensionOf(fileName: string): string {
    const dot = fileName.lastIndexOf('.');
    return dot >= 0 ? fileName.slice(dot + 1).toLowerCase() : '';
}

/**
 * Admins add and maintain the knowledge base the coworker searches: paste text or Markdown, or
 * choose a .txt, .md or .pdf file (a PDF's text is read here, in the browser), see how many
 * passages it makes, and save. A chosen file up to MAX_ORIGINAL_BYTES is also kept, as it is, as a
 * File on the document (so the trust center's export returns the original); a larger one is
 * indexed as text only, and the form says so before saving. Documents can be switched off or
 * deleted (with their original File).
 */
export default class KnowledgeManager extends LightningElement {
    documents: KnowledgeDocumentSummary[] = [];
    isLoading = true;
    loadError?: string;
    notice?: Notice;

    name = '';
    format: DocumentFormat = 'Plain text';
    text = '';
    chunks: KnowledgeChunkInput[] = [];
    splitError?: string;
    formError?: string;
    isReading = false;
    isSaving = false;
    /** The chosen file, kept as the document's original on save; none for typed text. */
    original?: { file: Blob; fileName: string };
    /** What happens to the chosen file: kept, or too large to keep. */
    originalNote?: string;

    labels = {
        title: titleLabel,
        loading: loadingLabel,
        retry: retryLabel,
        empty: emptyLabel,
        addTitle: addTitleLabel,
        name: nameLabel,
        format: formatLabelText,
        text: textLabel,
        textHelp: textHelpLabel,
        file: fileLabel,
        reading: readingLabel,
        save: saveLabel,
        clear: clearLabel,
        saving: savingLabel
    };

    formatOptions = [
        { label: 'Plain text', value: 'Plain text' },
        { label: 'Markdown', value: 'Markdown' },
        { label: 'PDF', value: 'PDF' }
    ];

    acceptedFiles = '.txt,.md,.markdown,.pdf';

    override connectedCallback(): void {
        this.load();
    }

    async load(): Promise<void> {
        this.isLoading = true;
        this.loadError = undefined;
        try {
            const answer = (await listDocuments()) as KnowledgeDocumentSummary[] | null;
            this.documents = Array.isArray(answer) ? answer : [];
        } catch (error) {
            this.loadError = formatLabel(loadFailedLabel, readableError(error));
        } finally {
            this.isLoading = false;
        }
    }

    handleRetry(): void {
        this.load();
    }

    get isEmpty(): boolean {
        return !this.isLoading && !this.loadError && this.documents.length === 0;
    }

    get showList(): boolean {
        return !this.isLoading && !this.loadError && this.documents.length > 0;
    }

    /**
     * What this user may do with knowledge documents, as Salesforce says (object permissions in
     * the UI API's object info): only what the org would allow is offered.
     */
    documentAccess: { createable: boolean; updateable: boolean; deletable: boolean } = {
        createable: false,
        updateable: false,
        deletable: false
    };

    @wire(getObjectInfo, { objectApiName: KNOWLEDGE_DOCUMENT })
    wiredDocumentInfo({ data }: { data?: Record<string, unknown> }): void {
        if (!data) return;
        this.documentAccess = {
            createable: data.createable === true,
            updateable: data.updateable === true,
            deletable: data.deletable === true
        };
    }

    get canAdd(): boolean {
        return this.documentAccess.createable;
    }

    get columns(): object[] {
        const { updateable, deletable } = this.documentAccess;
        const actions = updateable || deletable;
        return [
            { label: columnNameLabel, fieldName: 'name', wrapText: true },
            { label: columnFormatLabel, fieldName: 'format', initialWidth: 110 },
            {
                label: columnChunksLabel,
                fieldName: 'chunkCount',
                type: 'number',
                initialWidth: 110
            },
            { label: columnActiveLabel, fieldName: 'active', type: 'boolean', initialWidth: 90 },
            {
                label: columnModifiedLabel,
                fieldName: 'lastModified',
                type: 'date',
                typeAttributes: { year: 'numeric', month: 'short', day: '2-digit' },
                initialWidth: 140
            },
            ...(actions
                ? [
                      {
                          type: 'action',
                          typeAttributes: {
                              rowActions: (
                                  row: KnowledgeDocumentSummary,
                                  done: (rowActions: object[]) => void
                              ) =>
                                  done([
                                      ...(updateable
                                          ? [
                                                row.active
                                                    ? { label: deactivateLabel, name: 'deactivate' }
                                                    : { label: activateLabel, name: 'activate' }
                                            ]
                                          : []),
                                      ...(deletable ? [{ label: deleteLabel, name: 'delete' }] : [])
                                  ])
                          }
                      }
                  ]
                : [])
        ];
    }

    async handleRowAction(
        event: CustomEvent<{ action: { name: string }; row: KnowledgeDocumentSummary }>
    ): Promise<void> {
        const { action, row } = event.detail;
        this.notice = undefined;
        try {
            if (action.name === 'delete') {
                const confirmed = await LightningConfirm.open({
                    label: confirmDeleteTitleLabel,
                    message: formatLabel(confirmDeleteLabel, row.name, row.chunkCount),
                    theme: 'warning'
                });
                if (!confirmed) return;
                await deleteDocument({ documentId: row.id });
                this.notice = { variant: 'success', text: formatLabel(deletedLabel, row.name) };
            } else if (action.name === 'activate' || action.name === 'deactivate') {
                const active = action.name === 'activate';
                await setDocumentActive({ documentId: row.id, active });
                this.notice = {
                    variant: 'success',
                    text: formatLabel(active ? activatedLabel : deactivatedLabel, row.name)
                };
            } else {
                return;
            }
        } catch (error) {
            this.notice = {
                variant: 'error',
                text: formatLabel(actionFailedLabel, row.name, readableError(error))
            };
            return;
        }
        await this.load();
    }

    // ---------------------------------------------------------------------------------------
    // Adding a document

    handleNameChange(event: CustomEvent<{ value: string }>): void {
        this.name = event.detail.value ?? '';
        this.formError = undefined;
    }

    handleFormatChange(event: CustomEvent<{ value: DocumentFormat }>): void {
        this.format = event.detail.value;
        this.split();
    }

    handleTextChange(event: CustomEvent<{ value: string }>): void {
        this.text = event.detail.value ?? '';
        this.formError = undefined;
        this.split();
    }

    /** Splits the text the way it will be saved, so the admin sees the passage count first. */
    split(): void {
        this.splitError = undefined;
        if (this.text.trim().length === 0) {
            this.chunks = [];
            return;
        }
        try {
            this.chunks = splitDocument(this.text, this.format);
        } catch (error) {
            this.chunks = [];
            this.splitError = formatLabel(splitFailedLabel, readableError(error));
        }
    }

    get previewText(): string | undefined {
        return this.chunks.length > 0
            ? formatLabel(previewLabel, this.chunks.length, this.text.length)
            : undefined;
    }

    async handleFileChange(event: CustomEvent<{ files?: FileList | File[] }>): Promise<void> {
        const files =
            event.detail?.files ?? (event.target as HTMLInputElement | null)?.files ?? undefined;
        const file = files?.[0];
        if (!file) return;
        this.notice = undefined;
        this.formError = undefined;
        if (file.size > MAX_FILE_BYTES) {
            this.formError = formatLabel(
                fileTooLargeLabel,
                file.name,
                Math.round(MAX_FILE_BYTES / (1024 * 1024))
            );
            return;
        }
        const extension = extensionOf(file.name);
        const isPdf = extension === 'pdf' || file.type === 'application/pdf';
        if (!isPdf && !['txt', 'md', 'markdown'].includes(extension)) {
            this.formError = formatLabel(fileTypeLabel, file.name);
            return;
        }
        this.isReading = true;
        try {
            let text: string;
            if (isPdf) {
                const bytes = (await readFile(file, 'bytes')) as ArrayBuffer;
                const pdf = await extractPdfText(bytes, this);
                text = pdf.text;
                this.format = 'PDF';
                this.notice = {
                    variant: 'success',
                    text: formatLabel(readPdfLabel, file.name, pdf.pages)
                };
            } else {
                text = (await readFile(file, 'text')) as string;
                this.format = extension === 'txt' ? 'Plain text' : 'Markdown';
            }
            this.text = text;
            if (!this.name.trim()) {
                this.name = file.name.replace(/\.[^.]+$/, '').slice(0, MAX_NAME_CHARS);
            }
            this.keepAsOriginal(file);
            this.split();
        } catch (error) {
            this.formError = this.fileError(file.name, error);
        } finally {
            this.isReading = false;
        }
    }

    /** The file just read becomes the original to keep, if it fits the cap; the form says which. */
    keepAsOriginal(file: File): void {
        if (file.size <= MAX_ORIGINAL_BYTES) {
            this.original = { file, fileName: file.name };
            this.originalNote = formatLabel(originalKeptLabel, file.name);
        } else {
            this.original = undefined;
            this.originalNote = formatLabel(
                originalTooLargeLabel,
                file.name,
                Math.round(MAX_ORIGINAL_BYTES / (1024 * 1024))
            );
        }
    }

    fileError(fileName: string, error: unknown): string {
        switch ((error as { code?: string } | null)?.code) {
            case 'no_text':
                return formatLabel(pdfNoTextLabel, fileName);
            case 'encrypted':
                return formatLabel(pdfEncryptedLabel, fileName);
            case 'too_many_pages':
                return formatLabel(pdfTooManyPagesLabel, fileName);
            case 'unreadable':
                return formatLabel(pdfUnreadableLabel, fileName);
            default:
                return formatLabel(fileReadFailedLabel, fileName, readableError(error));
        }
    }

    async handleSave(): Promise<void> {
        if (this.isSaving || this.isReading) return;
        this.notice = undefined;
        const name = this.name.trim();
        if (!name) {
            this.formError = nameRequiredLabel;
            return;
        }
        if (this.text.trim().length === 0) {
            this.formError = emptyTextLabel;
            return;
        }
        if (this.text.length > MAX_TEXT_CHARS) {
            this.formError = formatLabel(textTooLongLabel, MAX_TEXT_CHARS);
            return;
        }
        this.split();
        if (this.splitError) {
            this.formError = this.splitError;
            return;
        }
        if (this.chunks.length === 0) {
            this.formError = emptyTextLabel;
            return;
        }
        this.isSaving = true;
        const original = this.original;
        let documentId: string;
        try {
            documentId = (await saveDocument({
                name: name.slice(0, MAX_NAME_CHARS),
                format: this.format,
                chunks: this.chunks
            })) as string;
        } catch (error) {
            // The pasted text stays: nothing the admin typed is lost.
            this.formError = formatLabel(saveFailedLabel, readableError(error));
            this.isSaving = false;
            return;
        }
        const passages = this.chunks.length;
        this.notice = { variant: 'success', text: formatLabel(savedLabel, name, passages) };
        if (original) {
            // A second request: the passages are saved and searchable whatever happens here, so a
            // failure is a warning that says the original was not kept and why, not a lost save.
            try {
                await keepOriginal({
                    documentId,
                    fileName: original.fileName,
                    base64: await base64Of(original.file)
                });
                this.notice = {
                    variant: 'success',
                    text: formatLabel(savedWithOriginalLabel, name, passages, original.fileName)
                };
            } catch (error) {
                this.notice = {
                    variant: 'warning',
                    text: formatLabel(
                        originalNotKeptLabel,
                        name,
                        passages,
                        original.fileName,
                        readableError(error)
                    )
                };
            }
        }
        this.clearForm();
        this.isSaving = false;
        await this.load();
    }

    handleClear(): void {
        this.clearForm();
        this.notice = undefined;
    }

    clearForm(): void {
        this.name = '';
        this.text = '';
        this.format = 'Plain text';
        this.chunks = [];
        this.splitError = undefined;
        this.formError = undefined;
        this.original = undefined;
        this.originalNote = undefined;
    }

    get isBusy(): boolean {
        return this.isSaving || this.isReading;
    }

    get noticeClass(): string {
        return noticeClass(this.notice?.variant);
    }

    get noticeRole(): string {
        return noticeRole(this.notice?.variant);
    }
}

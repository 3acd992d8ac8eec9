import { LightningElement, api, wire } from 'lwc';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import { NavigationMixin } from 'lightning/navigation';
import listTemplates from '@salesforce/apex/DocumentTemplateController.listTemplates';
import getTemplate from '@salesforce/apex/DocumentTemplateController.getTemplate';
import readRecordData from '@salesforce/apex/DocumentRecordController.readRecordData';
import saveDocument from '@salesforce/apex/DocumentFileController.saveDocument';
import getRelaySession from '@salesforce/apex/RelayConnectionController.getRelaySession';
import userLocale from '@salesforce/i18n/locale';
import userTimeZone from '@salesforce/i18n/timeZone';
import userCurrency from '@salesforce/i18n/currency';
import { fieldsUsed, mergeTemplate, prepareTemplate } from 'c/documentMerge';
import type {
    DocumentRecordData,
    DocumentTemplate,
    DocumentTemplateSummary,
    ObjectDescribe,
    SavedDocument
} from 'c/documentMerge';
import { RelayRequestError, renderPdf } from 'c/relayClient';
import type { LimitBreach, RelaySession } from 'c/relayClient';
import { formatLabel, readableError } from 'c/userMessages';
import { loadTemplateImage } from './templateImages';
import titleLabel from '@salesforce/label/c.Resident_DocGen_Title';
import templateLabel from '@salesforce/label/c.Resident_DocGen_Template';
import choosePlaceholderLabel from '@salesforce/label/c.Resident_DocGen_ChooseTemplate';
import loadingLabel from '@salesforce/label/c.Resident_DocGen_Loading';
import loadFailedLabel from '@salesforce/label/c.Resident_DocGen_LoadFailed';
import noTemplatesLabel from '@salesforce/label/c.Resident_DocGen_NoTemplates';
import generateLabel from '@salesforce/label/c.Resident_DocGen_Generate';
import tryAgainLabel from '@salesforce/label/c.Resident_DocGen_TryAgain';
import stepTemplateLabel from '@salesforce/label/c.Resident_DocGen_StepTemplate';
import stepRecordLabel from '@salesforce/label/c.Resident_DocGen_StepRecord';
import stepPdfLabel from '@salesforce/label/c.Resident_DocGen_StepPdf';
import problemsTitleLabel from '@salesforce/label/c.Resident_DocGen_ProblemsTitle';
import problemsHelpLabel from '@salesforce/label/c.Resident_DocGen_ProblemsHelp';
import previewTitleLabel from '@salesforce/label/c.Resident_DocGen_PreviewTitle';
import warningsTitleLabel from '@salesforce/label/c.Resident_DocGen_WarningsTitle';
import missingGlyphsLabel from '@salesforce/label/c.Resident_DocGen_MissingGlyphs';
import saveLabel from '@salesforce/label/c.Resident_DocGen_Save';
import savingLabel from '@salesforce/label/c.Resident_DocGen_Saving';
import downloadLabel from '@salesforce/label/c.Resident_DocGen_Download';
import savedLabel from '@salesforce/label/c.Resident_DocGen_Saved';
import saveFailedLabel from '@salesforce/label/c.Resident_DocGen_SaveFailed';
import tooBigToSaveLabel from '@salesforce/label/c.Resident_DocGen_TooBigToSave';
import templateFailedLabel from '@salesforce/label/c.Resident_DocGen_TemplateFailed';
import recordFailedLabel from '@salesforce/label/c.Resident_DocGen_RecordFailed';
import sessionFailedLabel from '@salesforce/label/c.Resident_DocGen_SessionFailed';
import relayUnreachableLabel from '@salesforce/label/c.Resident_DocGen_RelayUnreachable';
import relayRefusedLabel from '@salesforce/label/c.Resident_DocGen_RelayRefused';
import relayTooBigLabel from '@salesforce/label/c.Resident_DocGen_RelayTooBig';
import relayBadAnswerLabel from '@salesforce/label/c.Resident_DocGen_RelayBadAnswer';
import tooBigLabel from '@salesforce/label/c.Resident_DocGen_TooBig';
import limitSizeLabel from '@salesforce/label/c.Resident_DocGen_LimitSize';
import limitImagesLabel from '@salesforce/label/c.Resident_DocGen_LimitImages';
import limitImageSizeLabel from '@salesforce/label/c.Resident_DocGen_LimitImageSize';
import limitImagePixelsLabel from '@salesforce/label/c.Resident_DocGen_LimitImagePixels';
import limitColumnsLabel from '@salesforce/label/c.Resident_DocGen_LimitColumns';
import limitMarginBlocksLabel from '@salesforce/label/c.Resident_DocGen_LimitMarginBlocks';
import requestIdLabel from '@salesforce/label/c.Resident_DocGen_RequestId';
import documentTitleLabel from '@salesforce/label/c.Resident_DocGen_DocumentTitle';

/** What `DocumentFileController.saveDocument` accepts (its MAX_PDF_BYTES). */
export const MAX_SAVED_PDF_BYTES = 3 * 1024 * 1024;

/** How long a describe may take through Lightning Data Service before the field counts as unseen. */
const DESCRIBE_TIMEOUT_MS = 10000;

type ViewState =
    | 'loading'
    | 'loadFailed'
    | 'empty'
    | 'ready'
    | 'generating'
    | 'problems'
    | 'preview'
    | 'failed';
type SaveState = 'idle' | 'saving' | 'saved' | 'failed';

interface PendingDescribe {
    key: string;
    resolve: (value: ObjectDescribe | undefined) => void;
    timer: ReturnType<typeof setTimeout>;
}

interface Notice {
    key: string;
    text: string;
}

const LIMIT_LABELS: Record<LimitBreach['limit'], string> = {
    maxDescriptionBytes: limitSizeLabel,
    maxPages: limitSizeLabel,
    maxImageBytes: limitImageSizeLabel,
    maxImages: limitImagesLabel,
    maxImagePixels: limitImagePixelsLabel,
    maxTableColumns: limitColumnsLabel,
    maxListDepth: limitColumnsLabel,
    maxHeaderFooterBlocks: limitMarginBlocksLabel
};

function megabytes(bytes: number): string {
    return (bytes / (1024 * 1024)).toFixed(1);
}

/** A code point as the user sees it, with its number for the admin who picks a font. */
function describeCharacter(codePoint: number): string {
    const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
    return `${String.fromCodePoint(codePoint)} (U+${hex})`;
}

/** Reads a Blob as base64 without its `data:` prefix (what saveDocument takes). */
function blobToBase64(blob: Blob): Promise<string> {
    return new Promise((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => {
            const url = String(reader.result ?? '');
            resolve(url.slice(url.indexOf(',') + 1));
        };
        reader.onerror = () => reject(reader.error ?? new Error('read failed'));
        reader.readAsDataURL(blob);
    });
}

/** File names Salesforce and every OS accept: no path separators or control characters. */
function safeFileName(title: string): string {
    // Control characters become spaces (a regular expression of them trips the linter).
    const printable = [...title].map((c) => {
        return c.charCodeAt(0) < 0x20 ? ' ' : c;
    });
    const cleaned = printable
        .join('')
        .replace(/[\\/:*?"<>|]+/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 190);
    return `${cleaned || 'Document'}.pdf`;
}

/**
 * Generates a document from the record in front of the user: pick a template, merge it in the
 * user's own session (only what they may see), have the relay convert it to PDF, preview it in
 * the page, then save it as a File on the record or download it.
 */
export default class DocumentGenerator extends NavigationMixin(LightningElement) {
    @api recordId?: string;
    @api objectApiName?: string;
    /** Design attribute: the template chosen when the component opens (by name). */
    @api defaultTemplateName?: string;

    state: ViewState = 'loading';
    templates: DocumentTemplateSummary[] = [];
    selectedTemplateId?: string;
    loadError = '';
    step = '';
    problems: Notice[] = [];
    failure = '';
    warnings: Notice[] = [];
    previewUrl?: string;
    fileName = '';
    saveState: SaveState = 'idle';
    saveError = '';
    saved?: SavedDocument & { fileUrl?: string };

    /** The reactive config through which prepareTemplate's describes are read (LDS, bridged). */
    describeRequest?: string;
    private pendingDescribe: PendingDescribe | null = null;
    private describeCache = new Map<string, ObjectDescribe | undefined>();
    private describeChain: Promise<unknown> = Promise.resolve();
    private pdf?: Blob;
    private generation = 0;
    private connected = false;

    labels = {
        title: titleLabel,
        template: templateLabel,
        choosePlaceholder: choosePlaceholderLabel,
        loading: loadingLabel,
        noTemplates: noTemplatesLabel,
        generate: generateLabel,
        tryAgain: tryAgainLabel,
        problemsTitle: problemsTitleLabel,
        problemsHelp: problemsHelpLabel,
        previewTitle: previewTitleLabel,
        warningsTitle: warningsTitleLabel,
        save: saveLabel,
        saving: savingLabel,
        download: downloadLabel
    };

    override connectedCallback(): void {
        this.connected = true;
        this.loadTemplates();
    }

    override disconnectedCallback(): void {
        this.connected = false;
        this.generation += 1;
        this.releasePreview();
        if (this.pendingDescribe) {
            clearTimeout(this.pendingDescribe.timer);
            this.pendingDescribe.resolve(undefined);
            this.pendingDescribe = null;
        }
    }

    // ───────────── Templates ─────────────

    async loadTemplates(): Promise<void> {
        this.state = 'loading';
        this.loadError = '';
        try {
            const templates = (await listTemplates({
                baseObject: this.objectApiName ?? ''
            })) as DocumentTemplateSummary[];
            this.templates = templates ?? [];
            if (this.templates.length === 0) {
                this.state = 'empty';
                return;
            }
            const wanted = (this.defaultTemplateName ?? '').trim().toLowerCase();
            const preferred = wanted
                ? this.templates.find((t) => t.name.toLowerCase() === wanted)
                : undefined;
            this.selectedTemplateId =
                preferred?.id ?? (this.templates.length === 1 ? this.templates[0]!.id : undefined);
            this.state = 'ready';
        } catch (error) {
            this.loadError = formatLabel(loadFailedLabel, readableError(error));
            this.state = 'loadFailed';
        }
    }

    get templateOptions(): { label: string; value: string }[] {
        return this.templates.map((t) => ({ label: t.name, value: t.id }));
    }

    handleTemplateChange(event: CustomEvent<{ value: string }>): void {
        this.selectedTemplateId = event.detail.value;
        this.generate();
    }

    handleGenerate(): void {
        this.generate();
    }

    handleRetryLoad(): void {
        this.loadTemplates();
    }

    // ───────────── Generating ─────────────

    /** Template → describe check → the user's data → merge → the relay's PDF → preview. */
    async generate(): Promise<void> {
        const templateId = this.selectedTemplateId;
        if (!templateId || !this.recordId) return;
        const run = ++this.generation;
        const current = () => run === this.generation && this.connected;
        this.releasePreview();
        this.problems = [];
        this.warnings = [];
        this.failure = '';
        this.saveState = 'idle';
        this.saveError = '';
        this.saved = undefined;
        this.state = 'generating';
        this.step = stepTemplateLabel;

        let source: DocumentTemplate;
        try {
            source = (await getTemplate({ templateId })) as DocumentTemplate;
        } catch (error) {
            if (current()) this.fail(formatLabel(templateFailedLabel, readableError(error)));
            return;
        }
        if (!current()) return;
        const prepared = await prepareTemplate(source, (name) => this.loadDescribe(name), {
            forGeneration: true
        });
        if (!current()) return;
        if (!prepared.template) {
            this.problems = prepared.problems.map((p, i) => ({ key: `p${i}`, text: p.message }));
            this.state = 'problems';
            return;
        }

        this.step = stepRecordLabel;
        const used = fieldsUsed(prepared.template);
        let data: DocumentRecordData;
        try {
            data = (await readRecordData({
                recordId: this.recordId,
                fields: used.fields,
                children: used.children
            })) as DocumentRecordData;
        } catch (error) {
            if (current()) this.fail(formatLabel(recordFailedLabel, readableError(error)));
            return;
        }
        if (!current()) return;
        const recordName = typeof data.record?.Name === 'string' ? data.record.Name : '';
        const title = recordName
            ? formatLabel(documentTitleLabel, source.name, recordName)
            : source.name;
        const merged = await mergeTemplate(prepared.template, data, {
            locale: userLocale,
            timeZone: userTimeZone,
            defaultCurrencyIsoCode: userCurrency,
            loadImage: loadTemplateImage,
            title
        });
        if (!current()) return;

        this.step = stepPdfLabel;
        let session: RelaySession;
        try {
            session = (await getRelaySession({ scopes: ['pdf'], taskId: null })) as RelaySession;
        } catch (error) {
            if (current()) this.fail(formatLabel(sessionFailedLabel, readableError(error)));
            return;
        }
        if (!current()) return;
        try {
            const rendered = await renderPdf(session, merged.document);
            if (!current()) return;
            this.pdf = rendered.pdf;
            this.previewUrl = URL.createObjectURL(rendered.pdf);
            this.fileName = safeFileName(title);
            const glyphs = rendered.warnings.missingCharacters;
            this.warnings = [
                ...merged.warnings.map((w, i) => ({ key: `w${i}`, text: w.message })),
                ...(glyphs.length
                    ? [
                          {
                              key: 'glyphs',
                              text: formatLabel(
                                  missingGlyphsLabel,
                                  glyphs.map(describeCharacter).join(', ')
                              )
                          }
                      ]
                    : [])
            ];
            this.state = 'preview';
            if (rendered.pdf.size > MAX_SAVED_PDF_BYTES) {
                this.saveState = 'failed';
                this.saveError = formatLabel(
                    tooBigToSaveLabel,
                    megabytes(rendered.pdf.size),
                    megabytes(MAX_SAVED_PDF_BYTES)
                );
            }
        } catch (error) {
            if (current()) this.fail(this.relayMessage(error));
        }
    }

    private fail(message: string): void {
        this.failure = message;
        this.state = 'failed';
    }

    /** What to tell the user about a failed conversion: what happened and what to do. */
    private relayMessage(error: unknown): string {
        if (!(error instanceof RelayRequestError)) {
            return formatLabel(relayBadAnswerLabel, readableError(error));
        }
        const request = error.requestId ? ' ' + formatLabel(requestIdLabel, error.requestId) : '';
        if (error.kind === 'limit' && error.breach) {
            const { limit, actual, max } = error.breach;
            const bytes = limit === 'maxDescriptionBytes' || limit === 'maxImageBytes';
            return formatLabel(
                tooBigLabel,
                LIMIT_LABELS[limit],
                bytes ? megabytes(actual) : actual,
                bytes ? megabytes(max) : max
            );
        }
        if (error.kind === 'network') {
            return formatLabel(relayUnreachableLabel, error.message);
        }
        if (error.kind === 'http' && error.relayType === 'payload_too_large') {
            return formatLabel(relayTooBigLabel, error.message) + request;
        }
        if (error.kind === 'http') {
            return formatLabel(relayRefusedLabel, error.message) + request;
        }
        return formatLabel(relayBadAnswerLabel, error.message) + request;
    }

    // ───────────── Saving ─────────────

    async handleSave(): Promise<void> {
        if (!this.pdf || !this.recordId || !this.selectedTemplateId) return;
        if (this.pdf.size > MAX_SAVED_PDF_BYTES) return;
        this.saveState = 'saving';
        this.saveError = '';
        try {
            const base64Pdf = await blobToBase64(this.pdf);
            const saved = (await saveDocument({
                recordId: this.recordId,
                fileName: this.fileName,
                base64Pdf,
                templateId: this.selectedTemplateId
            })) as SavedDocument;
            this.saved = { ...saved, fileUrl: await this.fileUrl(saved.contentDocumentId) };
            this.saveState = 'saved';
        } catch (error) {
            // The preview stays: nothing is lost, the user can try again or download it.
            this.saveError = formatLabel(saveFailedLabel, readableError(error));
            this.saveState = 'failed';
        }
    }

    private fileReference(contentDocumentId: string) {
        return {
            type: 'standard__recordPage',
            attributes: {
                recordId: contentDocumentId,
                objectApiName: 'ContentDocument',
                actionName: 'view'
            }
        };
    }

    private async fileUrl(contentDocumentId: string): Promise<string | undefined> {
        try {
            return await this[NavigationMixin.GenerateUrl](this.fileReference(contentDocumentId));
        } catch {
            return undefined;
        }
    }

    handleOpenFile(event: Event): void {
        if (!this.saved) return;
        event.preventDefault();
        this[NavigationMixin.Navigate](this.fileReference(this.saved.contentDocumentId));
    }

    // ───────────── Describes through Lightning Data Service ─────────────

    /**
     * prepareTemplate asks for describes one object at a time; each goes through the getObjectInfo
     * wire (the user's own describe, so hidden fields stay unknown). A describe that fails or does
     * not come leaves its fields unseen: they print empty with a warning.
     */
    private loadDescribe(objectApiName: string): Promise<ObjectDescribe | undefined> {
        const key = objectApiName.toLowerCase();
        if (this.describeCache.has(key)) return Promise.resolve(this.describeCache.get(key));
        const next = this.describeChain.then(
            () =>
                new Promise<ObjectDescribe | undefined>((resolve) => {
                    if (this.describeCache.has(key)) {
                        resolve(this.describeCache.get(key));
                        return;
                    }
                    // eslint-disable-next-line @lwc/lwc/no-async-operation
                    const timer = setTimeout(() => {
                        this.pendingDescribe = null;
                        this.describeRequest = undefined;
                        resolve(undefined);
                    }, DESCRIBE_TIMEOUT_MS);
                    this.pendingDescribe = { key, resolve, timer };
                    this.describeRequest = objectApiName;
                })
        );
        this.describeChain = next.catch(() => undefined);
        return next;
    }

    @wire(getObjectInfo, { objectApiName: '$describeRequest' })
    wiredDescribe(result: { data?: unknown; error?: unknown }): void {
        const data = result.data as ObjectDescribe | undefined;
        const pending = this.pendingDescribe;
        if (data?.apiName) {
            this.describeCache.set(data.apiName.toLowerCase(), data);
        }
        if (!pending) return;
        if (data?.apiName && data.apiName.toLowerCase() === pending.key) {
            clearTimeout(pending.timer);
            this.pendingDescribe = null;
            pending.resolve(data);
        } else if (result.error) {
            clearTimeout(pending.timer);
            this.pendingDescribe = null;
            this.describeCache.set(pending.key, undefined);
            // The same config will not emit again: forget it so a later request asks afresh.
            this.describeRequest = undefined;
            pending.resolve(undefined);
        }
    }

    // ───────────── Preview ─────────────

    private releasePreview(): void {
        if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
        this.previewUrl = undefined;
        this.pdf = undefined;
    }

    get isLoading(): boolean {
        return this.state === 'loading';
    }
    get isLoadFailed(): boolean {
        return this.state === 'loadFailed';
    }
    get isEmpty(): boolean {
        return this.state === 'empty';
    }
    get showPicker(): boolean {
        return !['loading', 'loadFailed', 'empty'].includes(this.state);
    }
    get isGenerating(): boolean {
        return this.state === 'generating';
    }
    get hasProblems(): boolean {
        return this.state === 'problems';
    }
    get isFailed(): boolean {
        return this.state === 'failed';
    }
    get isPreview(): boolean {
        return this.state === 'preview';
    }
    get hasWarnings(): boolean {
        return this.warnings.length > 0;
    }
    get generateDisabled(): boolean {
        return !this.selectedTemplateId || this.state === 'generating';
    }
    get saveDisabled(): boolean {
        return (
            this.saveState === 'saving' ||
            this.saveState === 'saved' ||
            !this.pdf ||
            this.pdf.size > MAX_SAVED_PDF_BYTES
        );
    }
    get isSaving(): boolean {
        return this.saveState === 'saving';
    }
    get isSaved(): boolean {
        return this.saveState === 'saved';
    }
    get isSaveFailed(): boolean {
        return this.saveState === 'failed';
    }
    get savedMessage(): string {
        return savedLabel;
    }
    get previewFrameTitle(): string {
        return formatLabel(previewTitleLabel, this.fileName);
    }
}

import { LightningElement, api, wire } from 'lwc';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import { NavigationMixin } from 'lightning/navigation';
import listTemplates from '@salesforce/apex/DocumentTemplateController.listTemplates';
import userLocale from '@salesforce/i18n/locale';
import userTimeZone from '@salesforce/i18n/timeZone';
import userCurrency from '@salesforce/i18n/currency';
import type { DocumentTemplateSummary, SavedDocument } from 'c/documentMerge';
import {
    GenerationError,
    MAX_SAVED_PDF_BYTES,
    RelaySessionKeeper,
    WiredDescribes,
    generateDocument,
    loadTemplateImage,
    megabytes,
    pickDefaultTemplate,
    prepareDocumentTemplate,
    saveDocumentFile
} from 'c/documentPipeline';
import type { GeneratedDocument } from 'c/documentPipeline';
import { formatLabel, readableError } from 'c/userMessages';
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
import saveLabel from '@salesforce/label/c.Resident_DocGen_Save';
import savingLabel from '@salesforce/label/c.Resident_DocGen_Saving';
import downloadLabel from '@salesforce/label/c.Resident_DocGen_Download';
import savedLabel from '@salesforce/label/c.Resident_DocGen_Saved';
import tooBigToSaveLabel from '@salesforce/label/c.Resident_DocGen_TooBigToSave';

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

interface Notice {
    key: string;
    text: string;
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
    saveState: SaveState = 'idle';
    saveError = '';
    saved?: SavedDocument & { fileUrl?: string };

    /** The reactive config through which prepareTemplate's describes are read (LDS, bridged). */
    describeRequest?: string;
    private readonly describes = new WiredDescribes((name) => {
        this.describeRequest = name;
    });
    private readonly sessions = new RelaySessionKeeper();
    /** The document previewed: its PDF and file name are read from it, never kept beside it. */
    private document?: GeneratedDocument;
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
        this.describes.dispose();
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
            this.selectedTemplateId = pickDefaultTemplate(
                this.templates,
                this.defaultTemplateName
            )?.id;
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
        const recordId = this.recordId;
        if (!templateId || !recordId) return;
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

        try {
            const preparation = await prepareDocumentTemplate(templateId, this.describes.load);
            if (!current()) return;
            if (!preparation.prepared) {
                this.problems = preparation.problems.map((text, i) => ({ key: `p${i}`, text }));
                this.state = 'problems';
                return;
            }
            const generated = await generateDocument(preparation.prepared, recordId, {
                sessions: this.sessions,
                formats: { locale: userLocale, timeZone: userTimeZone, currency: userCurrency },
                loadImage: loadTemplateImage,
                onStep: (stage) => {
                    if (current()) this.step = stage === 'record' ? stepRecordLabel : stepPdfLabel;
                }
            });
            if (!current()) return;
            this.document = generated;
            this.previewUrl = URL.createObjectURL(generated.pdf);
            this.warnings = generated.warnings.map((text, i) => ({ key: `w${i}`, text }));
            this.state = 'preview';
            if (generated.pdf.size > MAX_SAVED_PDF_BYTES) {
                this.saveState = 'failed';
                this.saveError = formatLabel(
                    tooBigToSaveLabel,
                    megabytes(generated.pdf.size),
                    megabytes(MAX_SAVED_PDF_BYTES)
                );
            }
        } catch (error) {
            if (!current()) return;
            this.failure = error instanceof GenerationError ? error.message : readableError(error);
            this.state = 'failed';
        }
    }

    // ───────────── Saving ─────────────

    async handleSave(): Promise<void> {
        if (!this.document || !this.selectedTemplateId) return;
        if (this.document.pdf.size > MAX_SAVED_PDF_BYTES) return;
        this.saveState = 'saving';
        this.saveError = '';
        try {
            const saved = await saveDocumentFile(this.document, this.selectedTemplateId);
            this.saved = { ...saved, fileUrl: await this.fileUrl(saved.contentDocumentId) };
            this.saveState = 'saved';
        } catch (error) {
            // The preview stays: nothing is lost, the user can try again or download it.
            this.saveError =
                error instanceof GenerationError ? error.message : readableError(error);
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
     * wire (the user's own describe, so hidden fields stay unknown), bridged by WiredDescribes.
     */
    @wire(getObjectInfo, { objectApiName: '$describeRequest' })
    wiredDescribe(result: { data?: unknown; error?: unknown }): void {
        this.describes.receive(result);
    }

    // ───────────── Preview ─────────────

    private releasePreview(): void {
        if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
        this.previewUrl = undefined;
        this.document = undefined;
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
            !this.document ||
            this.document.pdf.size > MAX_SAVED_PDF_BYTES
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
    get fileName(): string {
        return this.document?.fileName ?? '';
    }
    get previewFrameTitle(): string {
        return formatLabel(previewTitleLabel, this.fileName);
    }
}

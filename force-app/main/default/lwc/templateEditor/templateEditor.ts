import { LightningElement, api, wire } from 'lwc';
import { getObjectInfos } from 'lightning/uiObjectInfoApi';
import { notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import LightningConfirm from 'lightning/confirm';
import listTemplatesForEditing from '@salesforce/apex/DocumentTemplateController.listTemplatesForEditing';
import getTemplateForEditing from '@salesforce/apex/DocumentTemplateController.getTemplateForEditing';
import findSampleRecords from '@salesforce/apex/DocumentTemplateController.findSampleRecords';
import saveTemplate from '@salesforce/apex/DocumentTemplateController.saveTemplate';
import userLocale from '@salesforce/i18n/locale';
import userTimeZone from '@salesforce/i18n/timeZone';
import userCurrency from '@salesforce/i18n/currency';
import { fieldsUsed, positionAt, prepareTemplate } from 'c/documentMerge';
import type {
    DocumentTemplate,
    DocumentTemplateSummary,
    LoadedImage,
    TemplatePart,
    TemplateProblem
} from 'c/documentMerge';
import {
    DESCRIBE_TIMEOUT_MS,
    GenerationError,
    RelaySessionKeeper,
    generateDocument,
    loadTemplateImage
} from 'c/documentPipeline';
import { formatLabel, readableError } from 'c/userMessages';
import {
    eachBlock,
    pickerFields,
    pickerSources,
    type PickerDescribe,
    type PickerField,
    type PickerSource
} from './mergeFieldCatalog';
import { insertAt, offsetAt } from './templateText';
import titleLabel from '@salesforce/label/c.Resident_TplEdit_Title';
import templateLabel from '@salesforce/label/c.Resident_TplEdit_Template';
import chooseTemplateLabel from '@salesforce/label/c.Resident_TplEdit_ChooseTemplate';
import newTemplateLabel from '@salesforce/label/c.Resident_TplEdit_NewTemplate';
import noTemplatesLabel from '@salesforce/label/c.Resident_TplEdit_NoTemplates';
import loadingLabel from '@salesforce/label/c.Resident_TplEdit_Loading';
import loadFailedLabel from '@salesforce/label/c.Resident_TplEdit_LoadFailed';
import tryAgainLabel from '@salesforce/label/c.Resident_TplEdit_TryAgain';
import nameLabel from '@salesforce/label/c.Resident_TplEdit_Name';
import baseObjectLabel from '@salesforce/label/c.Resident_TplEdit_BaseObject';
import baseObjectHelpLabel from '@salesforce/label/c.Resident_TplEdit_BaseObjectHelp';
import unknownObjectLabel from '@salesforce/label/c.Resident_TplEdit_UnknownObject';
import pageSizeLabel from '@salesforce/label/c.Resident_TplEdit_PageSize';
import orientationLabel from '@salesforce/label/c.Resident_TplEdit_Orientation';
import portraitLabel from '@salesforce/label/c.Resident_TplEdit_Portrait';
import landscapeLabel from '@salesforce/label/c.Resident_TplEdit_Landscape';
import marginTopLabel from '@salesforce/label/c.Resident_TplEdit_MarginTop';
import marginRightLabel from '@salesforce/label/c.Resident_TplEdit_MarginRight';
import marginBottomLabel from '@salesforce/label/c.Resident_TplEdit_MarginBottom';
import marginLeftLabel from '@salesforce/label/c.Resident_TplEdit_MarginLeft';
import activeLabel from '@salesforce/label/c.Resident_TplEdit_Active';
import versionLabel from '@salesforce/label/c.Resident_TplEdit_Version';
import notSavedYetLabel from '@salesforce/label/c.Resident_TplEdit_NotSavedYet';
import partLabel from '@salesforce/label/c.Resident_TplEdit_Part';
import partBodyLabel from '@salesforce/label/c.Resident_TplEdit_PartBody';
import partHeaderLabel from '@salesforce/label/c.Resident_TplEdit_PartHeader';
import partFooterLabel from '@salesforce/label/c.Resident_TplEdit_PartFooter';
import cursorAtLabel from '@salesforce/label/c.Resident_TplEdit_CursorAt';
import problemsTitleLabel from '@salesforce/label/c.Resident_TplEdit_ProblemsTitle';
import noProblemsLabel from '@salesforce/label/c.Resident_TplEdit_NoProblems';
import goToProblemLabel from '@salesforce/label/c.Resident_TplEdit_GoToProblem';
import fieldsTitleLabel from '@salesforce/label/c.Resident_TplEdit_FieldsTitle';
import fieldsOfLabel from '@salesforce/label/c.Resident_TplEdit_FieldsOf';
import searchFieldsLabel from '@salesforce/label/c.Resident_TplEdit_SearchFields';
import sourceBaseLabel from '@salesforce/label/c.Resident_TplEdit_SourceBase';
import sourceParentLabel from '@salesforce/label/c.Resident_TplEdit_SourceParent';
import sourceChildLabel from '@salesforce/label/c.Resident_TplEdit_SourceChild';
import insertFieldLabel from '@salesforce/label/c.Resident_TplEdit_InsertField';
import insertEachLabel from '@salesforce/label/c.Resident_TplEdit_InsertEach';
import childFieldsHelpLabel from '@salesforce/label/c.Resident_TplEdit_ChildFieldsHelp';
import noFieldsLabel from '@salesforce/label/c.Resident_TplEdit_NoFields';
import fieldsLoadingLabel from '@salesforce/label/c.Resident_TplEdit_FieldsLoading';
import moreFieldsLabel from '@salesforce/label/c.Resident_TplEdit_MoreFields';
import previewTitleLabel from '@salesforce/label/c.Resident_TplEdit_PreviewTitle';
import sampleSearchLabel from '@salesforce/label/c.Resident_TplEdit_SampleSearch';
import sampleRecordLabel from '@salesforce/label/c.Resident_TplEdit_SampleRecord';
import noSampleLabel from '@salesforce/label/c.Resident_TplEdit_NoSample';
import noSampleRecordsLabel from '@salesforce/label/c.Resident_TplEdit_NoSampleRecords';
import sampleFailedLabel from '@salesforce/label/c.Resident_TplEdit_SampleFailed';
import refreshLabel from '@salesforce/label/c.Resident_TplEdit_Refresh';
import renderingLabel from '@salesforce/label/c.Resident_TplEdit_Rendering';
import previewBlockedLabel from '@salesforce/label/c.Resident_TplEdit_PreviewBlocked';
import previewFrameLabel from '@salesforce/label/c.Resident_TplEdit_PreviewFrame';
import previewFailedLabel from '@salesforce/label/c.Resident_TplEdit_PreviewFailed';
import warningsTitleLabel from '@salesforce/label/c.Resident_TplEdit_WarningsTitle';
import saveLabel from '@salesforce/label/c.Resident_TplEdit_Save';
import savingLabel from '@salesforce/label/c.Resident_TplEdit_Saving';
import savedLabel from '@salesforce/label/c.Resident_TplEdit_Saved';
import saveFailedLabel from '@salesforce/label/c.Resident_TplEdit_SaveFailed';
import unsavedLabel from '@salesforce/label/c.Resident_TplEdit_Unsaved';
import fixBeforeSaveLabel from '@salesforce/label/c.Resident_TplEdit_FixBeforeSave';
import discardTitleLabel from '@salesforce/label/c.Resident_TplEdit_DiscardTitle';
import discardMessageLabel from '@salesforce/label/c.Resident_TplEdit_DiscardMessage';
import inactiveLabel from '@salesforce/label/c.Resident_TplEdit_Inactive';

// ───────────────────────────── The Apex it pairs with (DocumentTemplateController) ─────────────────────────────

/** `getTemplateForEditing` / `saveTemplate` → a template, active or not, with its last save. */
export interface EditableTemplate extends DocumentTemplate {
    /** ISO 8601 LastModifiedDate: what a save must still find, or it is refused as stale. */
    lastModified: string;
}

/** `listTemplatesForEditing` → every template the admin can read, active or not. */
export interface EditableTemplateSummary extends DocumentTemplateSummary {
    active: boolean;
}

/** `saveTemplate({ template })`: what is saved, and which save it builds on (null when new). */
export interface TemplateSaveInput {
    id: string | null;
    name: string;
    baseObject: string;
    body: string;
    header: string;
    footer: string;
    pageSize: string;
    orientation: string;
    marginTop: number;
    marginRight: number;
    marginBottom: number;
    marginLeft: number;
    active: boolean;
    loadedVersion: number | null;
    loadedLastModified: string | null;
}

/** `findSampleRecords({ baseObject, searchText })` → records of the base object the admin can read. */
export interface SampleRecord {
    id: string;
    name: string;
}

/** Quiet time after the last keystroke before the template is checked again. */
export const CHECK_DELAY_MS = 300;
/** Quiet time after the last edit before the preview is rendered again (the relay is a round trip). */
export const PREVIEW_DELAY_MS = 1200;
/** Quiet time after typing in the sample record search. */
const SAMPLE_SEARCH_DELAY_MS = 300;
/** Rows the picker lists at once: search to narrow. */
const MAX_LISTED_FIELDS = 150;

type ViewState = 'loading' | 'loadFailed' | 'choose' | 'editing';
type PreviewState = 'idle' | 'noSample' | 'blocked' | 'rendering' | 'ready' | 'failed';
type SaveState = 'idle' | 'saving' | 'saved' | 'failed';

interface Draft {
    id: string | null;
    name: string;
    baseObject: string;
    body: string;
    header: string;
    footer: string;
    pageSize: string;
    orientation: string;
    marginTop: number;
    marginRight: number;
    marginBottom: number;
    marginLeft: number;
    active: boolean;
    version: number | null;
    lastModified: string | null;
}

interface ShownProblem {
    key: string;
    part: TemplatePart;
    line: number;
    column: number;
    message: string;
    goToLabel: string;
}

interface Notice {
    key: string;
    text: string;
}

const PART_LABELS: Record<TemplatePart, string> = {
    body: partBodyLabel,
    header: partHeaderLabel,
    footer: partFooterLabel
};

const EMPTY_DRAFT: Draft = {
    id: null,
    name: '',
    baseObject: '',
    body: '',
    header: '',
    footer: '',
    pageSize: 'A4',
    orientation: 'portrait',
    marginTop: 50,
    marginRight: 50,
    marginBottom: 50,
    marginLeft: 50,
    active: false,
    version: null,
    lastModified: null
};

function draftOf(template: EditableTemplate): Draft {
    return {
        id: template.id,
        name: template.name ?? '',
        baseObject: template.baseObject ?? '',
        body: template.body ?? '',
        header: template.header ?? '',
        footer: template.footer ?? '',
        pageSize: template.pageSize ?? 'A4',
        orientation: template.orientation ?? 'portrait',
        marginTop: template.margins?.top ?? 50,
        marginRight: template.margins?.right ?? 50,
        marginBottom: template.margins?.bottom ?? 50,
        marginLeft: template.margins?.left ?? 50,
        active: template.active === true,
        version: template.version ?? null,
        lastModified: template.lastModified ?? null
    };
}

/** What the admin can change: two drafts with the same content are the same template. */
function contentOf(draft: Draft): string {
    return JSON.stringify([
        draft.name,
        draft.baseObject,
        draft.body,
        draft.header,
        draft.footer,
        draft.pageSize,
        draft.orientation,
        draft.marginTop,
        draft.marginRight,
        draft.marginBottom,
        draft.marginLeft,
        draft.active
    ]);
}

/**
 * Edits a document template for an admin: its settings, body, header and footer, with a
 * merge-field picker from the base object's describe, the template's problems listed at their
 * line and column as the admin types, and a live PDF preview of a sample record merged as the
 * admin (their locale, time zone, currency) and rendered by the relay. Saves through
 * DocumentTemplateController.saveTemplate, which refuses a stale save.
 */
export default class TemplateEditor extends LightningElement {
    /** On the template's record page: the template to edit. Elsewhere, the admin picks one. */
    @api recordId?: string;
    /** Design attribute: render the preview only on Refresh, not after each pause in typing. */
    @api previewOnRequest = false;
    /** Design attribute: the preview's height in pixels. */
    @api previewHeight = 640;

    state: ViewState = 'loading';
    loadError = '';
    templates: EditableTemplateSummary[] = [];
    selectedTemplateId?: string;

    draft: Draft = { ...EMPTY_DRAFT };
    private savedContent = contentOf(EMPTY_DRAFT);
    activePart: TemplatePart = 'body';
    cursorLine = 1;
    cursorColumn = 1;

    private readonly imageCache = new Map<string, Promise<LoadedImage>>();
    problems: ShownProblem[] = [];
    baseObjectProblem = '';
    private problemsByKey = new Map<string, ShownProblem>();

    pickerSourceValue = 'base';
    pickerSearch = '';
    /** Describes by lower-case API name; null for an object the admin cannot see. */
    describes: Record<string, PickerDescribe | null> = {};
    /** The config of the getObjectInfos wire: every object a describe was asked for. */
    describeNames?: string[];

    sampleSearch = '';
    sampleRecords: SampleRecord[] = [];
    sampleRecordId?: string;
    sampleError = '';

    previewState: PreviewState = 'idle';
    previewUrl?: string;
    previewError = '';
    previewWarnings: Notice[] = [];
    private previewTitle = '';

    saveState: SaveState = 'idle';
    saveMessage = '';

    private waiting = new Map<string, ((value: PickerDescribe | undefined) => void)[]>();
    private checkTimer?: ReturnType<typeof setTimeout>;
    private previewTimer?: ReturnType<typeof setTimeout>;
    private sampleTimer?: ReturnType<typeof setTimeout>;
    private checkRun = 0;
    private previewRun = 0;
    private sampleRun = 0;
    private previewAbort?: AbortController;
    /** The relay session for previews: reused while valid, renewed once when the relay refuses it. */
    private readonly sessions = new RelaySessionKeeper();
    /** Timers of describes still waiting for the wire (cleared when the editor leaves the page). */
    private describeTimers = new Set<ReturnType<typeof setTimeout>>();
    private pendingSelection: { start: number; end: number } | null = null;
    private connected = false;
    private readonly beforeUnload = (event: BeforeUnloadEvent) => {
        if (this.isDirty) {
            event.preventDefault();
            // Older browsers need returnValue set to show their prompt.
            event.returnValue = '';
        }
    };

    labels = {
        title: titleLabel,
        template: templateLabel,
        chooseTemplate: chooseTemplateLabel,
        newTemplate: newTemplateLabel,
        noTemplates: noTemplatesLabel,
        loading: loadingLabel,
        tryAgain: tryAgainLabel,
        name: nameLabel,
        baseObject: baseObjectLabel,
        baseObjectHelp: baseObjectHelpLabel,
        pageSize: pageSizeLabel,
        orientation: orientationLabel,
        marginTop: marginTopLabel,
        marginRight: marginRightLabel,
        marginBottom: marginBottomLabel,
        marginLeft: marginLeftLabel,
        active: activeLabel,
        part: partLabel,
        problemsTitle: problemsTitleLabel,
        noProblems: noProblemsLabel,
        fieldsTitle: fieldsTitleLabel,
        fieldsOf: fieldsOfLabel,
        searchFields: searchFieldsLabel,
        noFields: noFieldsLabel,
        fieldsLoading: fieldsLoadingLabel,
        moreFields: moreFieldsLabel,
        previewTitle: previewTitleLabel,
        sampleSearch: sampleSearchLabel,
        sampleRecord: sampleRecordLabel,
        noSample: noSampleLabel,
        refresh: refreshLabel,
        rendering: renderingLabel,
        previewBlocked: previewBlockedLabel,
        warningsTitle: warningsTitleLabel,
        save: saveLabel,
        saving: savingLabel,
        unsaved: unsavedLabel
    };

    override connectedCallback(): void {
        this.connected = true;
        window.addEventListener('beforeunload', this.beforeUnload);
        this.load();
    }

    override disconnectedCallback(): void {
        this.connected = false;
        window.removeEventListener('beforeunload', this.beforeUnload);
        for (const timer of [this.checkTimer, this.previewTimer, this.sampleTimer]) {
            if (timer) clearTimeout(timer);
        }
        // Nothing waits for a describe that will not come: the waiting checks end (they see the
        // editor gone), and nothing is cached as unseen.
        for (const timer of this.describeTimers) clearTimeout(timer);
        this.describeTimers.clear();
        const waiting = [...this.waiting.values()].flat();
        this.waiting.clear();
        for (const resolve of waiting) resolve(undefined);
        this.previewAbort?.abort();
        this.checkRun += 1;
        this.previewRun += 1;
        this.releasePreview();
    }

    override renderedCallback(): void {
        this.syncText();
        if (this.pendingSelection) this.applySelection();
    }

    /** The text area shows the draft's text of the active part (set only when it differs). */
    private syncText(): void {
        const area = this.textArea();
        const text = this.activeText;
        if (area && area.value !== text) area.value = text;
    }

    // ───────────── Loading ─────────────

    async load(): Promise<void> {
        this.state = 'loading';
        this.loadError = '';
        try {
            if (this.recordId) {
                const template = (await getTemplateForEditing({
                    templateId: this.recordId
                })) as EditableTemplate;
                this.open(draftOf(template));
                return;
            }
            this.templates = ((await listTemplatesForEditing()) ?? []) as EditableTemplateSummary[];
            this.state = 'choose';
        } catch (error) {
            this.loadError = formatLabel(loadFailedLabel, readableError(error));
            this.state = 'loadFailed';
        }
    }

    private async openTemplate(templateId: string): Promise<void> {
        this.state = 'loading';
        try {
            const template = (await getTemplateForEditing({ templateId })) as EditableTemplate;
            this.selectedTemplateId = templateId;
            this.open(draftOf(template));
        } catch (error) {
            this.loadError = formatLabel(loadFailedLabel, readableError(error));
            this.state = 'loadFailed';
        }
    }

    /** Starts editing a draft: nothing unsaved yet; check, find sample records and preview. */
    private open(draft: Draft): void {
        this.draft = draft;
        this.savedContent = contentOf(draft);
        this.activePart = 'body';
        this.cursorLine = 1;
        this.cursorColumn = 1;
        this.problems = [];
        this.problemsByKey = new Map();
        this.baseObjectProblem = '';
        this.pickerSourceValue = 'base';
        this.pickerSearch = '';
        this.sampleSearch = '';
        this.sampleRecords = [];
        this.sampleRecordId = undefined;
        this.sampleError = '';
        this.saveState = 'idle';
        this.saveMessage = '';
        this.previewRun += 1;
        this.previewAbort?.abort();
        this.releasePreview();
        this.previewState = 'idle';
        this.previewWarnings = [];
        this.state = 'editing';
        this.runCheck();
        this.findSamples();
    }

    get isLoading(): boolean {
        return this.state === 'loading';
    }
    get isLoadFailed(): boolean {
        return this.state === 'loadFailed';
    }
    get isEditing(): boolean {
        return this.state === 'editing';
    }
    get showTemplateBar(): boolean {
        return !this.recordId && (this.state === 'choose' || this.state === 'editing');
    }
    get hasNoTemplates(): boolean {
        return this.state === 'choose' && this.templates.length === 0;
    }
    get templateOptions(): { label: string; value: string }[] {
        return this.templates.map((t) => ({
            label: t.active ? t.name : formatLabel(inactiveLabel, t.name),
            value: t.id
        }));
    }

    handleRetryLoad(): void {
        this.load();
    }

    /** Unsaved changes are never dropped without the admin saying so. */
    private async confirmDiscard(): Promise<boolean> {
        if (!this.isDirty) return true;
        const confirmed = await LightningConfirm.open({
            label: discardTitleLabel,
            message: formatLabel(discardMessageLabel, this.draft.name || newTemplateLabel),
            theme: 'warning'
        });
        return confirmed === true;
    }

    async handleTemplateChange(event: CustomEvent<{ value: string }>): Promise<void> {
        const wanted = event.detail.value;
        const previous = this.selectedTemplateId;
        if (!(await this.confirmDiscard())) {
            // Put the picker back on the template still being edited.
            this.selectedTemplateId = undefined;
            this.selectedTemplateId = previous;
            return;
        }
        this.openTemplate(wanted);
    }

    async handleNewTemplate(): Promise<void> {
        if (!(await this.confirmDiscard())) return;
        this.selectedTemplateId = undefined;
        this.open({ ...EMPTY_DRAFT, baseObject: this.draft.baseObject || 'Account' });
    }

    // ───────────── Editing ─────────────

    get isDirty(): boolean {
        return this.state === 'editing' && contentOf(this.draft) !== this.savedContent;
    }

    get cardTitle(): string {
        return this.draft.name ? `${titleLabel}: ${this.draft.name}` : titleLabel;
    }

    get versionText(): string {
        return this.draft.version === null
            ? notSavedYetLabel
            : formatLabel(versionLabel, this.draft.version);
    }

    get pageSizeOptions(): { label: string; value: string }[] {
        return ['A4', 'Letter', 'Legal'].map((size) => ({ label: size, value: size }));
    }

    get orientationOptions(): { label: string; value: string }[] {
        return [
            { label: portraitLabel, value: 'portrait' },
            { label: landscapeLabel, value: 'landscape' }
        ];
    }

    get partOptions(): { label: string; value: string }[] {
        return (['body', 'header', 'footer'] as TemplatePart[]).map((part) => ({
            label: PART_LABELS[part],
            value: part
        }));
    }

    get activePartLabel(): string {
        return PART_LABELS[this.activePart];
    }

    get activeText(): string {
        return this.partText(this.activePart);
    }

    get textRows(): number {
        return this.activePart === 'body' ? 24 : 8;
    }

    get cursorText(): string {
        return formatLabel(cursorAtLabel, this.cursorLine, this.cursorColumn);
    }

    private partText(part: TemplatePart): string {
        return this.draft[part] ?? '';
    }

    /** A settings field changed (name, base object, page, margins, active). */
    handleSettingChange(event: Event): void {
        const target = event.target as HTMLInputElement & { dataset: { field: string } };
        const field = target.dataset.field as keyof Draft;
        const detail = (event as CustomEvent<{ value?: unknown; checked?: boolean }>).detail;
        let value: unknown;
        if (field === 'active') {
            value = detail?.checked ?? target.checked;
        } else if (field.startsWith('margin')) {
            const number = Number(detail?.value ?? target.value);
            value = Number.isFinite(number) ? Math.round(number) : 0;
        } else {
            value = String(detail?.value ?? target.value ?? '');
        }
        const baseChanged = field === 'baseObject' && value !== this.draft.baseObject;
        this.draft = { ...this.draft, [field]: value };
        this.edited();
        if (baseChanged) {
            this.pickerSourceValue = 'base';
            this.sampleRecordId = undefined;
            this.sampleRecords = [];
            this.findSamples();
        }
    }

    handlePartChange(event: CustomEvent<{ value: string }>): void {
        this.activePart = event.detail.value as TemplatePart;
        this.cursorLine = 1;
        this.cursorColumn = 1;
    }

    handleTextInput(event: Event): void {
        const area = event.target as HTMLTextAreaElement;
        this.draft = { ...this.draft, [this.activePart]: area.value };
        this.trackCursor(area);
        this.edited();
    }

    handleCursorMove(event: Event): void {
        this.trackCursor(event.target as HTMLTextAreaElement);
    }

    private trackCursor(area: HTMLTextAreaElement): void {
        const { line, column } = positionAt(area.value, area.selectionStart ?? 0);
        this.cursorLine = line;
        this.cursorColumn = column;
    }

    /** After every change: nothing saved any more; check and preview again once the admin pauses. */
    private edited(): void {
        if (this.saveState === 'saved') {
            this.saveState = 'idle';
            this.saveMessage = '';
        }
        if (this.checkTimer) clearTimeout(this.checkTimer);
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.checkTimer = setTimeout(() => this.runCheck(), CHECK_DELAY_MS);
        if (!this.previewOnRequest) this.schedulePreview();
    }

    private textArea(): HTMLTextAreaElement | null {
        return this.template?.querySelector('textarea[data-id="template-text"]') ?? null;
    }

    /** Puts the cursor (or selection) where asked, in view, with the focus. */
    private applySelection(): void {
        const area = this.textArea();
        const selection = this.pendingSelection;
        if (!area || !selection) return;
        this.pendingSelection = null;
        area.focus();
        area.setSelectionRange(selection.start, selection.end);
        const { line, column } = positionAt(area.value, selection.start);
        this.cursorLine = line;
        this.cursorColumn = column;
        const lineHeight = Number.parseFloat(getComputedStyle(area).lineHeight) || 18;
        area.scrollTop = Math.max(0, (line - 3) * lineHeight);
    }

    private moveCursor(part: TemplatePart, start: number, end = start): void {
        this.pendingSelection = { start, end };
        this.activePart = part;
        this.syncText();
        this.applySelection();
    }

    // ───────────── Problems ─────────────

    private templateSource(): DocumentTemplate {
        const d = this.draft;
        return {
            id: d.id ?? '',
            name: d.name,
            baseObject: d.baseObject.trim(),
            body: d.body,
            header: d.header || null,
            footer: d.footer || null,
            pageSize: (['A4', 'Letter', 'Legal'].includes(d.pageSize)
                ? d.pageSize
                : 'A4') as DocumentTemplate['pageSize'],
            orientation: d.orientation === 'landscape' ? 'landscape' : 'portrait',
            margins: {
                top: d.marginTop,
                right: d.marginRight,
                bottom: d.marginBottom,
                left: d.marginLeft
            },
            active: d.active,
            version: d.version ?? 1
        };
    }

    /** Syntax, structure and every field against the admin's describe; no relay involved. */
    async runCheck(): Promise<void> {
        const run = ++this.checkRun;
        const source = this.templateSource();
        const base = source.baseObject ? await this.loadDescribe(source.baseObject) : undefined;
        if (run !== this.checkRun || !this.connected) return;
        this.baseObjectProblem = base ? '' : formatLabel(unknownObjectLabel, source.baseObject);
        const result = await prepareTemplate(source, (name) => this.loadDescribe(name));
        if (run !== this.checkRun || !this.connected) return;
        this.showProblems(base ? result.problems : []);
    }

    private showProblems(problems: TemplateProblem[]): void {
        const shown = problems.map((p, index) => ({
            key: `${p.part}-${p.line}-${p.column}-${index}`,
            part: p.part,
            line: p.line,
            column: p.column,
            message: p.message,
            goToLabel: formatLabel(goToProblemLabel, PART_LABELS[p.part], p.line, p.column)
        }));
        this.problems = shown;
        this.problemsByKey = new Map(shown.map((p) => [p.key, p]));
    }

    get hasProblems(): boolean {
        return this.problems.length > 0 || Boolean(this.baseObjectProblem);
    }

    handleGoToProblem(event: Event): void {
        const key = (event.currentTarget as HTMLElement).dataset.key ?? '';
        const problem = this.problemsByKey.get(key);
        if (!problem) return;
        const offset = offsetAt(this.partText(problem.part), problem.line, problem.column);
        this.moveCursor(problem.part, offset);
    }

    // ───────────── Describes (getObjectInfos, the admin's own) ─────────────

    /** The describe of an object the admin can see, or undefined. Cached; batched through LDS. */
    loadDescribe(objectApiName: string): Promise<PickerDescribe | undefined> {
        const key = objectApiName.toLowerCase();
        if (key in this.describes) return Promise.resolve(this.describes[key] ?? undefined);
        return new Promise((resolve) => {
            const list = this.waiting.get(key) ?? [];
            list.push(resolve);
            this.waiting.set(key, list);
            const names = this.describeNames ?? [];
            if (!names.some((n) => n.toLowerCase() === key)) {
                this.describeNames = [...names, objectApiName];
            }
            // eslint-disable-next-line @lwc/lwc/no-async-operation
            const timer = setTimeout(() => {
                this.describeTimers.delete(timer);
                this.settleDescribe(key, null);
            }, DESCRIBE_TIMEOUT_MS);
            this.describeTimers.add(timer);
        });
    }

    private settleDescribe(key: string, describe: PickerDescribe | null): void {
        if (!(key in this.describes) || describe) {
            this.describes = { ...this.describes, [key]: describe };
        }
        const list = this.waiting.get(key);
        this.waiting.delete(key);
        for (const resolve of list ?? []) resolve(describe ?? undefined);
    }

    @wire(getObjectInfos, { objectApiNames: '$describeNames' })
    wiredDescribes(result: { data?: unknown; error?: unknown }): void {
        const requested = this.describeNames ?? [];
        const data = result.data as
            | { results?: { statusCode: number; result: PickerDescribe }[] }
            | undefined;
        if (data?.results) {
            data.results.forEach((entry, index) => {
                const describe = entry?.result;
                if (entry?.statusCode === 200 && describe?.apiName) {
                    this.settleDescribe(describe.apiName.toLowerCase(), describe);
                } else if (requested[index]) {
                    this.settleDescribe(requested[index]!.toLowerCase(), null);
                }
            });
        } else if (result.error) {
            for (const key of [...this.waiting.keys()]) this.settleDescribe(key, null);
        }
    }

    // ───────────── Merge-field picker ─────────────

    private get baseDescribe(): PickerDescribe | null {
        const key = this.draft.baseObject.trim().toLowerCase();
        return key ? (this.describes[key] ?? null) : null;
    }

    get pickerSourceList(): PickerSource[] {
        const base = this.baseDescribe;
        return base ? pickerSources(base) : [];
    }

    get pickerSourceOptions(): { label: string; value: string }[] {
        const base = this.baseDescribe;
        return this.pickerSourceList.map((source) => ({
            value: source.value,
            label:
                source.kind === 'base'
                    ? formatLabel(sourceBaseLabel, base?.label ?? source.objectApiName)
                    : source.kind === 'parent'
                      ? formatLabel(sourceParentLabel, source.relationship, source.objectApiName)
                      : formatLabel(sourceChildLabel, source.relationship, source.objectApiName)
        }));
    }

    get hasPicker(): boolean {
        return this.baseDescribe !== null;
    }

    private get pickerSource(): PickerSource | undefined {
        return this.pickerSourceList.find((s) => s.value === this.pickerSourceValue);
    }

    get pickerIsChild(): boolean {
        return this.pickerSource?.kind === 'child';
    }

    get childFieldsHelp(): string {
        return formatLabel(childFieldsHelpLabel, this.pickerSource?.relationship ?? '');
    }

    get insertEachText(): string {
        return formatLabel(insertEachLabel, this.pickerSource?.relationship ?? '');
    }

    get pickerLoading(): boolean {
        const source = this.pickerSource;
        return Boolean(source) && !(source!.objectApiName.toLowerCase() in this.describes);
    }

    private get allPickerFields(): PickerField[] {
        const source = this.pickerSource;
        if (!source) return [];
        const describe = this.describes[source.objectApiName.toLowerCase()];
        return describe ? pickerFields(source, describe, this.pickerSearch) : [];
    }

    get pickerFieldList(): (PickerField & { insertLabel: string })[] {
        return this.allPickerFields
            .slice(0, MAX_LISTED_FIELDS)
            .map((f) => ({ ...f, insertLabel: formatLabel(insertFieldLabel, f.tag) }));
    }

    get hasPickerFields(): boolean {
        return this.allPickerFields.length > 0;
    }

    get showNoFields(): boolean {
        return !this.pickerLoading && !this.hasPickerFields;
    }

    get hasMoreFields(): boolean {
        return this.allPickerFields.length > MAX_LISTED_FIELDS;
    }

    handlePickerSourceChange(event: CustomEvent<{ value: string }>): void {
        this.pickerSourceValue = event.detail.value;
        const source = this.pickerSource;
        if (source) this.loadDescribe(source.objectApiName);
    }

    handlePickerSearch(event: CustomEvent<{ value: string }>): void {
        this.pickerSearch = event.detail.value ?? '';
    }

    handleInsertField(event: Event): void {
        const tag = (event.currentTarget as HTMLElement).dataset.tag;
        if (tag) this.insert(tag);
    }

    handleInsertEach(): void {
        const source = this.pickerSource;
        if (source?.kind === 'child') this.insert(eachBlock(source.relationship));
    }

    /** Puts merge text at the cursor of the part being edited (replacing or wrapping a selection). */
    private insert(text: string | [string, string]): void {
        const current = this.partText(this.activePart);
        const area = this.textArea();
        const start = area ? area.selectionStart : current.length;
        const end = area ? area.selectionEnd : current.length;
        const result = insertAt(current, start, end, text);
        this.draft = { ...this.draft, [this.activePart]: result.text };
        this.pendingSelection = { start: result.selectionStart, end: result.selectionEnd };
        this.syncText();
        this.applySelection();
        this.edited();
    }

    // ───────────── Sample record ─────────────

    handleSampleSearch(event: CustomEvent<{ value: string }>): void {
        this.sampleSearch = event.detail.value ?? '';
        if (this.sampleTimer) clearTimeout(this.sampleTimer);
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.sampleTimer = setTimeout(() => this.findSamples(), SAMPLE_SEARCH_DELAY_MS);
    }

    /** Records of the base object matching the search; the first is chosen when none is. */
    async findSamples(): Promise<void> {
        const run = ++this.sampleRun;
        const baseObject = this.draft.baseObject.trim();
        if (!baseObject) return;
        try {
            const records = ((await findSampleRecords({
                baseObject,
                searchText: this.sampleSearch
            })) ?? []) as SampleRecord[];
            if (run !== this.sampleRun || !this.connected) return;
            this.sampleError = records.length ? '' : formatLabel(noSampleRecordsLabel, baseObject);
            this.sampleRecords = records;
            const stillThere = records.some((r) => r.id === this.sampleRecordId);
            if (!stillThere && records.length > 0 && !this.sampleRecordId) {
                this.sampleRecordId = records[0]!.id;
                this.refreshPreview();
            } else if (!this.sampleRecordId) {
                this.previewState = 'noSample';
            }
        } catch (error) {
            if (run !== this.sampleRun) return;
            this.sampleError = formatLabel(sampleFailedLabel, readableError(error));
        }
    }

    get sampleOptions(): { label: string; value: string }[] {
        const options = this.sampleRecords.map((r) => ({ label: r.name || r.id, value: r.id }));
        if (this.sampleRecordId && !options.some((o) => o.value === this.sampleRecordId)) {
            // The chosen record stays choosable while another search shows other records.
            options.unshift({
                label: this.previewTitle || this.sampleRecordId,
                value: this.sampleRecordId
            });
        }
        return options;
    }

    handleSampleChange(event: CustomEvent<{ value: string }>): void {
        this.sampleRecordId = event.detail.value;
        this.refreshPreview();
    }

    // ───────────── Preview ─────────────

    private schedulePreview(): void {
        if (this.previewTimer) clearTimeout(this.previewTimer);
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.previewTimer = setTimeout(() => this.refreshPreview(), PREVIEW_DELAY_MS);
    }

    handleRefreshPreview(): void {
        if (this.previewTimer) clearTimeout(this.previewTimer);
        this.refreshPreview();
    }

    /**
     * Merges the draft with the sample record as the admin and has the relay render it, through the
     * same steps a generated document takes (c/documentPipeline). Only the latest edit's preview is
     * shown: an older one still running is stopped and its answer dropped.
     */
    async refreshPreview(): Promise<void> {
        const run = ++this.previewRun;
        const current = () => run === this.previewRun && this.connected;
        this.previewAbort?.abort();
        this.previewAbort = undefined;
        const recordId = this.sampleRecordId;
        if (!recordId) {
            this.previewState = 'noSample';
            return;
        }
        this.previewState = 'rendering';
        this.previewError = '';
        const source = this.templateSource();
        // The admin's own check (typos are problems, not empty fields), not the generation's.
        const checked = await prepareTemplate(source, (name) => this.loadDescribe(name));
        if (!current()) return;
        if (!checked.template) {
            this.previewState = 'blocked';
            return;
        }
        const abort = new AbortController();
        this.previewAbort = abort;
        try {
            const generated = await generateDocument(
                {
                    source: { ...source, name: source.name || newTemplateLabel },
                    template: checked.template,
                    used: fieldsUsed(checked.template)
                },
                recordId,
                {
                    sessions: this.sessions,
                    formats: { locale: userLocale, timeZone: userTimeZone, currency: userCurrency },
                    loadImage: (imageSource: string) => this.loadImage(imageSource),
                    signal: abort.signal
                }
            );
            if (!current()) return;
            this.releasePreview();
            this.previewUrl = URL.createObjectURL(generated.pdf);
            this.previewTitle = generated.recordName;
            this.previewWarnings = generated.warnings.map((text, i) => ({ key: `w${i}`, text }));
            this.previewState = 'ready';
        } catch (error) {
            // A stopped preview was replaced by a newer one (or the editor left): nothing to say.
            if (abort.signal.aborted || !current()) return;
            this.failPreview(
                error instanceof GenerationError ? error.message : readableError(error)
            );
        } finally {
            if (this.previewAbort === abort) this.previewAbort = undefined;
        }
    }

    /**
     * Images load as documents load them (same origin, the admin's session), once per source
     * while the editor is open: the preview re-renders on every pause in typing, the logo need not
     * be fetched each time. A failed load is forgotten, so the next preview tries again.
     */
    private loadImage(source: string): Promise<LoadedImage> {
        let loading = this.imageCache.get(source);
        if (!loading) {
            loading = loadTemplateImage(source);
            this.imageCache.set(source, loading);
            loading.catch(() => this.imageCache.delete(source));
        }
        return loading;
    }

    private failPreview(message: string): void {
        this.previewError = formatLabel(previewFailedLabel, message);
        this.previewState = 'failed';
    }

    private releasePreview(): void {
        if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
        this.previewUrl = undefined;
    }

    get isRendering(): boolean {
        return this.previewState === 'rendering';
    }
    get isPreviewReady(): boolean {
        return this.previewState === 'ready' && Boolean(this.previewUrl);
    }
    get isPreviewFailed(): boolean {
        return this.previewState === 'failed';
    }
    get isPreviewBlocked(): boolean {
        return this.previewState === 'blocked';
    }
    get needsSample(): boolean {
        return (
            this.previewState === 'noSample' ||
            (!this.sampleRecordId && this.previewState === 'idle')
        );
    }
    get hasPreviewWarnings(): boolean {
        return this.isPreviewReady && this.previewWarnings.length > 0;
    }
    get previewFrameTitle(): string {
        return formatLabel(previewFrameLabel, this.previewTitle);
    }
    get previewFrameHeight(): number {
        return this.previewHeight;
    }
    get refreshDisabled(): boolean {
        return !this.sampleRecordId;
    }

    // ───────────── Saving ─────────────

    get saveDisabled(): boolean {
        return this.saveState === 'saving' || (!this.isDirty && this.draft.id !== null);
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

    private inputsValid(): boolean {
        const inputs = [
            ...(this.template?.querySelectorAll<HTMLElement & { reportValidity(): boolean }>(
                '[data-validate]'
            ) ?? [])
        ];
        // Every field shows its own message (reportValidity on each, not stopping at the first).
        return inputs.reduce((valid, input) => input.reportValidity() !== false && valid, true);
    }

    async handleSave(): Promise<void> {
        if (!this.inputsValid()) return;
        if (this.draft.active && this.hasProblems) {
            this.saveState = 'failed';
            this.saveMessage = fixBeforeSaveLabel;
            return;
        }
        const d = this.draft;
        const input: TemplateSaveInput = {
            id: d.id,
            name: d.name.trim(),
            baseObject: d.baseObject.trim(),
            body: d.body,
            header: d.header,
            footer: d.footer,
            pageSize: d.pageSize,
            orientation: d.orientation,
            marginTop: d.marginTop,
            marginRight: d.marginRight,
            marginBottom: d.marginBottom,
            marginLeft: d.marginLeft,
            active: d.active,
            loadedVersion: d.version,
            loadedLastModified: d.lastModified
        };
        const sent = contentOf(d);
        this.saveState = 'saving';
        this.saveMessage = '';
        try {
            const saved = (await saveTemplate({ template: input })) as EditableTemplate;
            // The server spells the base object as its describe does. Edits made while saving
            // stay unsaved: only what was sent counts as saved.
            const normalised = { ...d, baseObject: saved.baseObject };
            const editedMeanwhile = contentOf(this.draft) !== sent;
            this.draft = {
                ...(editedMeanwhile ? this.draft : normalised),
                id: saved.id,
                version: saved.version,
                lastModified: saved.lastModified
            };
            this.savedContent = contentOf(normalised);
            this.saveState = 'saved';
            this.saveMessage = formatLabel(savedLabel, saved.version);
            this.dispatchEvent(
                new ShowToastEvent({
                    title: this.saveMessage,
                    message: saved.name,
                    variant: 'success'
                })
            );
            if (this.recordId) {
                notifyRecordUpdateAvailable([{ recordId: this.recordId }]).catch(() => undefined);
            } else {
                this.selectedTemplateId = saved.id;
                this.refreshTemplateList();
            }
        } catch (error) {
            // The draft is untouched: nothing the admin typed is lost.
            this.saveState = 'failed';
            this.saveMessage = formatLabel(saveFailedLabel, readableError(error));
        }
    }

    private async refreshTemplateList(): Promise<void> {
        try {
            this.templates = ((await listTemplatesForEditing()) ?? []) as EditableTemplateSummary[];
        } catch {
            // The list is a convenience; the saved template stays open either way.
        }
    }
}

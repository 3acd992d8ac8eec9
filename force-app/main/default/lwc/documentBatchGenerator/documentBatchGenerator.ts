import { LightningElement, api, wire } from 'lwc';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import { getListInfosByObjectName, getListRecordsByName } from 'lightning/uiListsApi';
import { NavigationMixin } from 'lightning/navigation';
import listTemplates from '@salesforce/apex/DocumentTemplateController.listTemplates';
import findRecords from '@salesforce/apex/DocumentBatchController.findRecords';
import userLocale from '@salesforce/i18n/locale';
import userTimeZone from '@salesforce/i18n/timeZone';
import userCurrency from '@salesforce/i18n/currency';
import type { DocumentTemplateSummary, LoadedImage } from 'c/documentMerge';
import {
    GenerationError,
    RelaySessionKeeper,
    WiredDescribes,
    generateDocument,
    loadTemplateImage,
    logFailedGeneration,
    pickDefaultTemplate,
    prepareDocumentTemplate,
    saveDocumentFile
} from 'c/documentPipeline';
import type { PreparedDocumentTemplate } from 'c/documentPipeline';
import { formatLabel, readableError } from 'c/userMessages';
import { queryFilterProblems } from 'c/reportSchedule';
import { toQueryFilter } from 'c/queryFilterEditor';
import type { EditableFilter } from 'c/queryFilterEditor';
import { DEFAULT_CONCURRENCY, runWithConcurrency } from './batchRunner';
import titleLabel from '@salesforce/label/c.Resident_Batch_Title';
import templateLabel from '@salesforce/label/c.Resident_DocGen_Template';
import choosePlaceholderLabel from '@salesforce/label/c.Resident_DocGen_ChooseTemplate';
import loadingLabel from '@salesforce/label/c.Resident_DocGen_Loading';
import loadFailedLabel from '@salesforce/label/c.Resident_DocGen_LoadFailed';
import noTemplatesLabel from '@salesforce/label/c.Resident_DocGen_NoTemplates';
import tryAgainLabel from '@salesforce/label/c.Resident_DocGen_TryAgain';
import problemsTitleLabel from '@salesforce/label/c.Resident_DocGen_ProblemsTitle';
import problemsHelpLabel from '@salesforce/label/c.Resident_DocGen_ProblemsHelp';
import checkingTemplateLabel from '@salesforce/label/c.Resident_Batch_CheckingTemplate';
import listViewLabel from '@salesforce/label/c.Resident_Batch_ListView';
import chooseListViewLabel from '@salesforce/label/c.Resident_Batch_ChooseListView';
import noListViewsLabel from '@salesforce/label/c.Resident_Batch_NoListViews';
import listViewsFailedLabel from '@salesforce/label/c.Resident_Batch_ListViewsFailed';
import recordsLoadingLabel from '@salesforce/label/c.Resident_Batch_RecordsLoading';
import recordsFailedLabel from '@salesforce/label/c.Resident_Batch_RecordsFailed';
import recordsChosenLabel from '@salesforce/label/c.Resident_Batch_RecordsChosen';
import selectedRecordsLabel from '@salesforce/label/c.Resident_Batch_SelectedRecords';
import noRecordsLabel from '@salesforce/label/c.Resident_Batch_NoRecords';
import overLimitLabel from '@salesforce/label/c.Resident_Batch_OverLimit';
import generateLabel from '@salesforce/label/c.Resident_Batch_Generate';
import cancelLabel from '@salesforce/label/c.Resident_Batch_Cancel';
import cancellingLabel from '@salesforce/label/c.Resident_Batch_Cancelling';
import retryLabel from '@salesforce/label/c.Resident_Batch_Retry';
import newBatchLabel from '@salesforce/label/c.Resident_Batch_NewBatch';
import progressLabel from '@salesforce/label/c.Resident_Batch_Progress';
import progressBarLabel from '@salesforce/label/c.Resident_Batch_ProgressBar';
import resultsLabel from '@salesforce/label/c.Resident_Batch_Results';
import columnRecordLabel from '@salesforce/label/c.Resident_Batch_ColumnRecord';
import columnStatusLabel from '@salesforce/label/c.Resident_Batch_ColumnStatus';
import columnResultLabel from '@salesforce/label/c.Resident_Batch_ColumnResult';
import statusWaitingLabel from '@salesforce/label/c.Resident_Batch_StatusWaiting';
import statusRunningLabel from '@salesforce/label/c.Resident_Batch_StatusRunning';
import statusSavedLabel from '@salesforce/label/c.Resident_Batch_StatusSaved';
import statusFailedLabel from '@salesforce/label/c.Resident_Batch_StatusFailed';
import statusNotStartedLabel from '@salesforce/label/c.Resident_Batch_StatusNotStarted';
import summaryLabel from '@salesforce/label/c.Resident_Batch_Summary';
import summaryAllSavedLabel from '@salesforce/label/c.Resident_Batch_SummaryAllSaved';
import wrongObjectLabel from '@salesforce/label/c.Resident_Batch_WrongObject';
import sourceLabel from '@salesforce/label/c.Resident_BatchQuery_Source';
import sourceListViewLabel from '@salesforce/label/c.Resident_BatchQuery_SourceListView';
import sourceFiltersLabel from '@salesforce/label/c.Resident_BatchQuery_SourceFilters';
import filtersHelpLabel from '@salesforce/label/c.Resident_BatchQuery_FiltersHelp';
import sortByLabel from '@salesforce/label/c.Resident_BatchQuery_SortBy';
import noSortLabel from '@salesforce/label/c.Resident_BatchQuery_NoSort';
import directionLabel from '@salesforce/label/c.Resident_BatchQuery_Direction';
import ascendingLabel from '@salesforce/label/c.Resident_BatchQuery_Ascending';
import descendingLabel from '@salesforce/label/c.Resident_BatchQuery_Descending';
import limitLabel from '@salesforce/label/c.Resident_BatchQuery_Limit';
import limitProblemLabel from '@salesforce/label/c.Resident_BatchQuery_LimitProblem';
import findLabel from '@salesforce/label/c.Resident_BatchQuery_Find';
import findingLabel from '@salesforce/label/c.Resident_BatchQuery_Finding';
import findFailedLabel from '@salesforce/label/c.Resident_BatchQuery_FindFailed';
import fixFiltersLabel from '@salesforce/label/c.Resident_BatchQuery_FixFilters';
import recordsFoundLabel from '@salesforce/label/c.Resident_BatchQuery_RecordsFound';
import noMatchesLabel from '@salesforce/label/c.Resident_BatchQuery_NoMatches';
import filterOverLimitLabel from '@salesforce/label/c.Resident_BatchQuery_OverLimit';
// The filter vocabulary is the report scheduler's (c/reportSchedule QueryFilter): its words too.
import filtersLabel from '@salesforce/label/c.Resident_ReportScheduler_Filters';

/**
 * The most records one batch generates. Every document is merged in this browser tab, converted by
 * the relay and saved through Apex one by one: 200 takes a few minutes at two or three at a time,
 * which a user waits for with the tab open, and at most 600 MB of Files (3 MB each). Larger runs
 * belong to a narrower list view, or to several batches.
 */
export const MAX_BATCH_RECORDS = 200;

/** Records read per page of a list view (the UI API allows up to 2,000). */
export const LIST_PAGE_SIZE = 100;

type Phase =
    | 'loading'
    | 'loadFailed'
    | 'empty'
    | 'ready'
    | 'preparing'
    | 'problems'
    | 'running'
    | 'finished';
type RowStatus = 'waiting' | 'running' | 'saved' | 'failed' | 'notStarted';
type ListState = 'idle' | 'loading' | 'loaded' | 'failed';
type RecordSource = 'listView' | 'filters';

interface BatchRow {
    id: string;
    name: string;
    recordUrl?: string;
    status: RowStatus;
    fileName?: string;
    fileId?: string;
    fileUrl?: string;
    error?: string;
    warnings?: string;
    /** The failure could not be written to the activity log: why. */
    logError?: string;
}

interface ListInfoSummary {
    apiName: string;
    label: string;
}

interface ListRecord {
    id: string;
    fields?: Record<string, { value?: unknown; displayValue?: string | null }>;
}

const STATUS_LABELS: Record<RowStatus, string> = {
    waiting: statusWaitingLabel,
    running: statusRunningLabel,
    saved: statusSavedLabel,
    failed: statusFailedLabel,
    notStarted: statusNotStartedLabel
};

const STATUS_ICONS: Record<RowStatus, string> = {
    waiting: 'utility:clock',
    running: 'utility:sync',
    saved: 'utility:success',
    failed: 'utility:error',
    notStarted: 'utility:ban'
};

/** A Salesforce record id (15 or 18 characters). */
const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/**
 * Generates one document per record: the records of a list view of the template's object, or the
 * ids a Flow screen or list-view button hands over (`recordIds`). Each is merged in the user's
 * session, converted by the relay and saved as a File on its record with its activity log entry,
 * a few at a time; one record's failure is reported beside it and never stops the rest.
 */
export default class DocumentBatchGenerator extends NavigationMixin(LightningElement) {
    /** Design attribute: list only the templates for this object (e.g. `Account`); empty lists all. */
    @api objectApiName?: string;
    /** Design attribute: the template chosen when the component opens (by name). */
    @api defaultTemplateName?: string;
    /** Design attribute: documents generated at once (1 to 3). */
    @api concurrency: number = DEFAULT_CONCURRENCY;

    private selectedIds: string[] = [];
    private hasSelection = false;

    /**
     * Records handed over by a Flow (a Text collection, e.g. the `ids` a list-view button passes
     * to its flow) or a comma-separated string. When set, the list view picker is not shown.
     */
    @api
    get recordIds(): string[] | string | undefined {
        return this.selectedIds;
    }
    set recordIds(value: string[] | string | undefined) {
        const list = Array.isArray(value)
            ? value
            : typeof value === 'string'
              ? value.split(/[\s,;]+/)
              : [];
        const ids = [
            ...new Set(list.map((v) => String(v).trim()).filter((v) => RECORD_ID.test(v)))
        ];
        this.selectedIds = ids;
        this.hasSelection = ids.length > 0;
    }

    phase: Phase = 'loading';
    templates: DocumentTemplateSummary[] = [];
    selectedTemplateId?: string;
    loadError = '';
    problems: { key: string; text: string }[] = [];
    templateFailure = '';
    prepared?: PreparedDocumentTemplate;

    listViews: ListInfoSummary[] = [];
    listViewsState: ListState = 'idle';
    listViewsError = '';
    selectedListView?: string;
    listRecords: { id: string; name: string }[] = [];
    listRecordsState: ListState = 'idle';
    listRecordsError = '';
    listMoreThanLimit = false;

    recordSource: RecordSource = 'listView';
    filterRows: EditableFilter[] = [];
    sortField = '';
    sortDirection: 'ASC' | 'DESC' = 'ASC';
    limitText = '';
    limitProblem = '';
    filterRecords: { id: string; name: string }[] = [];
    filterRecordsState: ListState = 'idle';
    filterRecordsError = '';
    filterMoreThanLimit = false;
    private finding = 0;

    rows: BatchRow[] = [];
    cancelRequested = false;
    runTotal = 0;

    /** Reactive configs of the wires. */
    describeRequest?: string;
    listObjectApiName?: string;
    listViewApiName?: string;
    listPageToken?: string;
    listOptionalFields?: string[];

    private readonly describes = new WiredDescribes((name) => {
        this.describeRequest = name;
    });
    private sessions = new RelaySessionKeeper();
    private preparation = 0;
    private connected = false;

    labels = {
        title: titleLabel,
        template: templateLabel,
        choosePlaceholder: choosePlaceholderLabel,
        loading: loadingLabel,
        noTemplates: noTemplatesLabel,
        tryAgain: tryAgainLabel,
        problemsTitle: problemsTitleLabel,
        problemsHelp: problemsHelpLabel,
        checkingTemplate: checkingTemplateLabel,
        listView: listViewLabel,
        recordsLoading: recordsLoadingLabel,
        cancel: cancelLabel,
        cancelling: cancellingLabel,
        newBatch: newBatchLabel,
        progressBar: progressBarLabel,
        results: resultsLabel,
        columnRecord: columnRecordLabel,
        columnStatus: columnStatusLabel,
        columnResult: columnResultLabel,
        source: sourceLabel,
        sortBy: sortByLabel,
        direction: directionLabel,
        limit: limitLabel,
        find: findLabel,
        finding: findingLabel,
        fixFilters: fixFiltersLabel,
        filters: filtersLabel
    };

    sourceOptions = [
        { label: sourceListViewLabel, value: 'listView' },
        { label: sourceFiltersLabel, value: 'filters' }
    ];
    directionOptions = [
        { label: ascendingLabel, value: 'ASC' },
        { label: descendingLabel, value: 'DESC' }
    ];

    override connectedCallback(): void {
        this.connected = true;
        this.loadTemplates();
    }

    override disconnectedCallback(): void {
        this.connected = false;
        // Leaving the page stops the batch from starting more: what is saved stays saved.
        this.cancelRequested = true;
        this.preparation += 1;
        this.describes.dispose();
    }

    // ───────────── Templates ─────────────

    async loadTemplates(): Promise<void> {
        this.phase = 'loading';
        this.loadError = '';
        try {
            const templates = (await listTemplates({
                baseObject: (this.objectApiName ?? '').trim()
            })) as DocumentTemplateSummary[];
            this.templates = templates ?? [];
            if (this.templates.length === 0) {
                this.phase = 'empty';
                return;
            }
            const chosen = pickDefaultTemplate(this.templates, this.defaultTemplateName);
            this.phase = 'ready';
            if (chosen) this.chooseTemplate(chosen.id);
        } catch (error) {
            this.loadError = formatLabel(loadFailedLabel, readableError(error));
            this.phase = 'loadFailed';
        }
    }

    get templateOptions(): { label: string; value: string }[] {
        return this.templates.map((t) => ({
            label: `${t.name} (${t.baseObject})`,
            value: t.id
        }));
    }

    handleTemplateChange(event: CustomEvent<{ value: string }>): void {
        this.chooseTemplate(event.detail.value);
    }

    handleRetryLoad(): void {
        this.loadTemplates();
    }

    /** Checks the template against the user's describe at once, so problems show before a run. */
    async chooseTemplate(templateId: string): Promise<void> {
        const run = ++this.preparation;
        const current = () => run === this.preparation && this.connected;
        this.selectedTemplateId = templateId;
        this.prepared = undefined;
        this.problems = [];
        this.templateFailure = '';
        this.rows = [];
        this.phase = 'preparing';
        const summary = this.templates.find((t) => t.id === templateId);
        if (summary && !this.hasSelection && summary.baseObject !== this.listObjectApiName) {
            this.resetListView();
            this.resetFilters();
            // The list views of the template's object, as the user may see them.
            this.listObjectApiName = summary.baseObject;
            this.listViewsState = 'loading';
        }
        try {
            const preparation = await prepareDocumentTemplate(templateId, this.describes.load);
            if (!current()) return;
            if (!preparation.prepared) {
                this.problems = preparation.problems.map((text, i) => ({ key: `p${i}`, text }));
                this.phase = 'problems';
                return;
            }
            this.prepared = preparation.prepared;
            const nameField = this.nameField(preparation.prepared.source.baseObject);
            this.listOptionalFields = [`${preparation.prepared.source.baseObject}.${nameField}`];
            this.phase = 'ready';
        } catch (error) {
            if (!current()) return;
            this.templateFailure =
                error instanceof GenerationError ? error.message : readableError(error);
            this.phase = 'problems';
        }
    }

    private nameField(objectApiName: string): string {
        const describe = this.describes.cached(objectApiName) as
            | { nameFields?: string[] }
            | undefined;
        return describe?.nameFields?.[0] ?? 'Name';
    }

    @wire(getObjectInfo, { objectApiName: '$describeRequest' })
    wiredDescribe(result: { data?: unknown; error?: unknown }): void {
        this.describes.receive(result);
    }

    // ───────────── Records: a list view, paged ─────────────

    private resetListView(): void {
        this.listViews = [];
        this.listViewsState = 'idle';
        this.listViewsError = '';
        this.selectedListView = undefined;
        this.listViewApiName = undefined;
        this.listPageToken = undefined;
        this.listRecords = [];
        this.listRecordsState = 'idle';
        this.listRecordsError = '';
        this.listMoreThanLimit = false;
    }

    @wire(getListInfosByObjectName, { objectApiName: '$listObjectApiName', pageSize: 100 })
    wiredListViews(result: { data?: unknown; error?: unknown }): void {
        if (!this.listObjectApiName) return;
        const data = result.data as { lists?: ListInfoSummary[] } | undefined;
        if (data) {
            this.listViews = (data.lists ?? []).filter((l) => l?.apiName);
            this.listViewsState = 'loaded';
            this.listViewsError = '';
        } else if (result.error) {
            this.listViews = [];
            this.listViewsState = 'failed';
            this.listViewsError = formatLabel(listViewsFailedLabel, readableError(result.error));
        }
    }

    get listViewOptions(): { label: string; value: string }[] {
        return this.listViews.map((l) => ({ label: l.label, value: l.apiName }));
    }

    handleListViewChange(event: CustomEvent<{ value: string }>): void {
        this.selectedListView = event.detail.value;
        this.listRecords = [];
        this.listMoreThanLimit = false;
        this.listRecordsError = '';
        this.listRecordsState = 'loading';
        this.rows = [];
        if (this.phase === 'finished') this.phase = 'ready';
        this.listPageToken = undefined;
        this.listViewApiName = event.detail.value;
    }

    @wire(getListRecordsByName, {
        objectApiName: '$listObjectApiName',
        listViewApiName: '$listViewApiName',
        optionalFields: '$listOptionalFields',
        pageSize: LIST_PAGE_SIZE,
        pageToken: '$listPageToken'
    })
    wiredListRecords(result: { data?: unknown; error?: unknown }): void {
        if (!this.listViewApiName || this.listRecordsState !== 'loading') return;
        const data = result.data as
            | { records?: ListRecord[]; nextPageToken?: string | null }
            | undefined;
        if (data) {
            const nameField = (this.listOptionalFields?.[0] ?? '').split('.').slice(1).join('.');
            const seen = new Set(this.listRecords.map((r) => r.id));
            const page = (data.records ?? [])
                .filter((r) => r?.id && !seen.has(r.id))
                .map((r) => {
                    const value = r.fields?.[nameField]?.value;
                    return { id: r.id, name: typeof value === 'string' && value ? value : r.id };
                });
            this.listRecords = [...this.listRecords, ...page];
            if (this.listRecords.length > MAX_BATCH_RECORDS) {
                this.listMoreThanLimit = true;
                this.listRecordsState = 'loaded';
            } else if (data.nextPageToken && page.length > 0) {
                // The next page: the wire asks again with the new token.
                this.listPageToken = data.nextPageToken;
            } else {
                this.listRecordsState = 'loaded';
            }
        } else if (result.error) {
            this.listRecordsState = 'failed';
            this.listRecordsError = formatLabel(recordsFailedLabel, readableError(result.error));
            // Choosing the same list view again must ask again: an unchanged config would not.
            this.selectedListView = undefined;
            this.listViewApiName = undefined;
            this.listPageToken = undefined;
        }
    }

    // ───────────── Records: matching filters (Apex, user mode) ─────────────

    handleSourceChange(event: CustomEvent<{ value: RecordSource }>): void {
        this.recordSource = event.detail.value;
        this.rows = [];
        if (this.phase === 'finished') this.phase = 'ready';
    }

    private resetFilters(): void {
        this.finding += 1;
        this.filterRows = [];
        this.sortField = '';
        this.sortDirection = 'ASC';
        this.limitText = '';
        this.limitProblem = '';
        this.forgetFoundRecords();
    }

    /** The filters changed: what was found for the old ones no longer applies. */
    private forgetFoundRecords(): void {
        this.finding += 1;
        this.filterRecords = [];
        this.filterRecordsState = 'idle';
        this.filterRecordsError = '';
        this.filterMoreThanLimit = false;
        this.rows = [];
        if (this.phase === 'finished') this.phase = 'ready';
    }

    /** The template's object's fields the user can see (its describe), by label. */
    get filterFieldOptions(): { label: string; value: string }[] {
        const base = this.prepared?.source.baseObject;
        const describe = base
            ? (this.describes.cached(base) as
                  | { fields?: Record<string, { apiName: string; label?: string }> }
                  | undefined)
            : undefined;
        return Object.values(describe?.fields ?? {})
            .map((f) => ({ label: f.label || f.apiName, value: f.apiName }))
            .sort((a, b) => a.label.localeCompare(b.label));
    }

    get sortOptions(): { label: string; value: string }[] {
        return [{ label: noSortLabel, value: '' }, ...this.filterFieldOptions];
    }

    get filtersHelp(): string {
        return formatLabel(filtersHelpLabel, this.prepared?.source.baseObject ?? '');
    }

    /** c-query-filter-editor's rows after an edit: what was found for the old ones no longer applies. */
    handleFiltersChange(event: CustomEvent<{ filters: EditableFilter[] }>): void {
        this.filterRows = event.detail.filters;
        this.forgetFoundRecords();
    }

    handleSortFieldChange(event: CustomEvent<{ value: string }>): void {
        this.sortField = event.detail.value ?? '';
        this.forgetFoundRecords();
    }

    handleSortDirectionChange(event: CustomEvent<{ value: 'ASC' | 'DESC' }>): void {
        this.sortDirection = event.detail.value === 'DESC' ? 'DESC' : 'ASC';
        this.forgetFoundRecords();
    }

    handleLimitChange(event: CustomEvent<{ value: string }>): void {
        this.limitText = String(event.detail.value ?? '').trim();
        this.limitProblem = '';
        this.forgetFoundRecords();
    }

    /** Checks every filter and the limit here (the problem beside its field), then asks Apex. */
    async handleFind(): Promise<void> {
        const base = this.prepared?.source.baseObject;
        if (!base) return;
        const filters = this.filterRows.map(toQueryFilter);
        this.filterRows = this.filterRows.map((row, i) => {
            const problems = queryFilterProblems(filters[i]!, i);
            return { ...row, problem: problems.length ? problems.join(' ') : undefined };
        });
        const limit = this.limitText === '' ? null : Number(this.limitText);
        const limitOk =
            limit === null || (Number.isInteger(limit) && limit >= 1 && limit <= MAX_BATCH_RECORDS);
        this.limitProblem = limitOk ? '' : formatLabel(limitProblemLabel, MAX_BATCH_RECORDS);
        if (!limitOk || this.filterRows.some((row) => row.problem)) {
            this.filterRecordsState = 'idle';
            return;
        }
        const request = ++this.finding;
        this.filterRecords = [];
        this.filterMoreThanLimit = false;
        this.filterRecordsError = '';
        this.filterRecordsState = 'loading';
        try {
            const found = (await findRecords({
                definition: JSON.stringify({
                    object: base,
                    filters,
                    orderBy: this.sortField
                        ? { field: this.sortField, direction: this.sortDirection }
                        : null,
                    limit
                })
            })) as { records?: { id: string; name: string }[]; moreThanLimit?: boolean };
            if (request !== this.finding) return;
            this.filterRecords = (found?.records ?? [])
                .filter((r) => r && RECORD_ID.test(String(r.id)))
                .slice(0, MAX_BATCH_RECORDS)
                .map((r) => ({ id: r.id, name: r.name || r.id }));
            this.filterMoreThanLimit = Boolean(found?.moreThanLimit);
            this.filterRecordsState = 'loaded';
        } catch (error) {
            if (request !== this.finding) return;
            this.filterRecordsError = formatLabel(findFailedLabel, readableError(error));
            this.filterRecordsState = 'failed';
        }
    }

    // ───────────── Running ─────────────

    private get usesFilters(): boolean {
        return !this.hasSelection && this.recordSource === 'filters';
    }

    /** The records this batch generates: the selection, the list view's or the filters', bounded. */
    private get batchRecords(): { id: string; name: string }[] {
        const all = this.hasSelection
            ? this.selectedIds.map((id) => ({ id, name: id }))
            : this.usesFilters
              ? this.filterRecords
              : this.listRecords;
        return all.slice(0, MAX_BATCH_RECORDS);
    }

    handleGenerate(): void {
        const records = this.batchRecords;
        if (!this.prepared || records.length === 0) return;
        this.rows = records.map((r) => ({ id: r.id, name: r.name, status: 'waiting' }));
        for (const row of this.rows) this.linkRecord(row.id);
        this.run(this.rows.map((r) => r.id));
    }

    handleRetry(): void {
        const again = this.rows.filter((r) => r.status === 'failed' || r.status === 'notStarted');
        if (again.length === 0) return;
        for (const row of again) {
            this.updateRow(row.id, { status: 'waiting', error: undefined, logError: undefined });
        }
        this.run(again.map((r) => r.id));
    }

    handleCancel(): void {
        this.cancelRequested = true;
    }

    handleNewBatch(): void {
        this.rows = [];
        this.phase = 'ready';
    }

    private async run(ids: string[]): Promise<void> {
        const prepared = this.prepared;
        if (!prepared) return;
        this.cancelRequested = false;
        this.runTotal = this.rows.length;
        this.phase = 'running';
        const templateId = prepared.source.id;
        // The template's images (a logo) are the same for every record: fetched once per run.
        const images = new Map<string, Promise<LoadedImage>>();
        const loadImage = (source: string): Promise<LoadedImage> => {
            if (!images.has(source)) images.set(source, loadTemplateImage(source));
            return images.get(source)!;
        };
        const keyPrefix = (
            this.describes.cached(prepared.source.baseObject) as { keyPrefix?: string } | undefined
        )?.keyPrefix;
        const notStarted = await runWithConcurrency(
            ids,
            this.concurrency,
            async (id) => {
                try {
                    if (keyPrefix && !id.startsWith(keyPrefix)) {
                        throw new GenerationError(
                            'record',
                            formatLabel(wrongObjectLabel, prepared.source.baseObject)
                        );
                    }
                    const document = await generateDocument(prepared, id, {
                        sessions: this.sessions,
                        formats: {
                            locale: userLocale,
                            timeZone: userTimeZone,
                            currency: userCurrency
                        },
                        loadImage
                    });
                    if (document.recordName) this.updateRow(id, { name: document.recordName });
                    const saved = await saveDocumentFile(document, templateId);
                    this.updateRow(id, {
                        status: 'saved',
                        fileName: document.fileName,
                        fileId: saved.contentDocumentId,
                        warnings: document.warnings.join(' ')
                    });
                    this.linkFile(id, saved.contentDocumentId);
                } catch (error) {
                    const reason = this.failureText(error);
                    this.updateRow(id, { status: 'failed', error: reason, logError: undefined });
                    const name = this.rows.find((r) => r.id === id)?.name;
                    try {
                        await logFailedGeneration(prepared.source, { id, name }, reason);
                    } catch (logError) {
                        this.updateRow(id, { logError: readableError(logError) });
                    }
                }
            },
            {
                cancelled: () => this.cancelRequested,
                onStart: (id) => this.updateRow(id, { status: 'running' })
            }
        );
        for (const id of notStarted) this.updateRow(id, { status: 'notStarted' });
        if (this.connected) this.phase = 'finished';
    }

    private failureText(error: unknown): string {
        if (error instanceof GenerationError) {
            // Salesforce's own sentence for a refused save; the record page's wording offers a
            // preview and a download, which a batch has not.
            return error.stage === 'save' ? error.reason : error.message;
        }
        return readableError(error);
    }

    private updateRow(id: string, changes: Partial<BatchRow>): void {
        this.rows = this.rows.map((row) => {
            return row.id === id ? { ...row, ...changes } : row;
        });
    }

    private async linkRecord(id: string): Promise<void> {
        const url = await this.urlFor({
            type: 'standard__recordPage',
            attributes: { recordId: id, actionName: 'view' }
        });
        if (url) this.updateRow(id, { recordUrl: url });
    }

    private async linkFile(id: string, contentDocumentId: string): Promise<void> {
        const url = await this.urlFor(this.fileReference(contentDocumentId));
        if (url) this.updateRow(id, { fileUrl: url });
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

    private async urlFor(reference: {
        type: string;
        attributes: Record<string, unknown>;
    }): Promise<string | undefined> {
        try {
            return await this[NavigationMixin.GenerateUrl](reference);
        } catch {
            return undefined;
        }
    }

    handleOpenRecord(event: Event): void {
        const id = (event.currentTarget as HTMLElement).dataset.recordId;
        if (!id) return;
        event.preventDefault();
        this[NavigationMixin.Navigate]({
            type: 'standard__recordPage',
            attributes: { recordId: id, actionName: 'view' }
        });
    }

    handleOpenFile(event: Event): void {
        const id = (event.currentTarget as HTMLElement).dataset.fileId;
        if (!id) return;
        event.preventDefault();
        this[NavigationMixin.Navigate](this.fileReference(id));
    }

    // ───────────── What the template shows ─────────────

    get isLoading(): boolean {
        return this.phase === 'loading';
    }
    get isLoadFailed(): boolean {
        return this.phase === 'loadFailed';
    }
    get isEmpty(): boolean {
        return this.phase === 'empty';
    }
    get showPicker(): boolean {
        return !['loading', 'loadFailed', 'empty'].includes(this.phase);
    }
    get isPreparing(): boolean {
        return this.phase === 'preparing';
    }
    get hasProblems(): boolean {
        return this.phase === 'problems' && this.problems.length > 0;
    }
    get hasTemplateFailure(): boolean {
        return this.phase === 'problems' && this.templateFailure !== '';
    }
    get isRunning(): boolean {
        return this.phase === 'running';
    }
    get isFinished(): boolean {
        return this.phase === 'finished';
    }
    get pickersDisabled(): boolean {
        return this.phase === 'running';
    }
    get showRecordChoice(): boolean {
        return this.phase === 'ready' || this.phase === 'running' || this.phase === 'finished';
    }
    get showSourceChoice(): boolean {
        return this.showRecordChoice && !this.hasSelection;
    }
    get showListViewPicker(): boolean {
        return this.showSourceChoice && this.recordSource === 'listView';
    }
    get showFilters(): boolean {
        return this.showSourceChoice && this.recordSource === 'filters';
    }
    get findDisabled(): boolean {
        return this.phase !== 'ready' || this.filterRecordsState === 'loading';
    }
    get filterRecordsLoading(): boolean {
        return this.usesFilters && this.filterRecordsState === 'loading';
    }
    get filterRecordsFailed(): boolean {
        return this.usesFilters && this.filterRecordsState === 'failed';
    }
    get hasFilterProblems(): boolean {
        return this.usesFilters && (this.filterRows.some((r) => r.problem) || !!this.limitProblem);
    }
    get listViewsLoading(): boolean {
        return this.listViewsState === 'loading';
    }
    get listViewsFailed(): boolean {
        return this.listViewsState === 'failed';
    }
    get noListViews(): boolean {
        return this.listViewsState === 'loaded' && this.listViews.length === 0;
    }
    get hasListViews(): boolean {
        return this.listViews.length > 0;
    }
    get noListViewsMessage(): string {
        return formatLabel(noListViewsLabel, this.listObjectApiName ?? '');
    }
    get listViewPlaceholder(): string {
        return formatLabel(chooseListViewLabel, this.listObjectApiName ?? '');
    }
    get listRecordsLoading(): boolean {
        return !this.usesFilters && this.listRecordsState === 'loading';
    }
    get listRecordsFailed(): boolean {
        return !this.usesFilters && this.listRecordsState === 'failed';
    }
    get listHasNoRecords(): boolean {
        return this.usesFilters
            ? this.filterRecordsState === 'loaded' && this.filterRecords.length === 0
            : this.listRecordsState === 'loaded' && this.listRecords.length === 0;
    }
    get noRecordsMessage(): string {
        return this.usesFilters ? noMatchesLabel : noRecordsLabel;
    }
    get recordCountMessage(): string {
        if (this.hasSelection) {
            return formatLabel(selectedRecordsLabel, this.batchRecords.length);
        }
        if (this.usesFilters) {
            return this.filterRecordsState === 'loaded' && this.filterRecords.length > 0
                ? formatLabel(recordsFoundLabel, this.batchRecords.length)
                : '';
        }
        return this.listRecordsState === 'loaded' && this.listRecords.length > 0
            ? formatLabel(recordsChosenLabel, this.batchRecords.length)
            : '';
    }
    get isOverLimit(): boolean {
        if (this.hasSelection) return this.selectedIds.length > MAX_BATCH_RECORDS;
        return this.usesFilters ? this.filterMoreThanLimit : this.listMoreThanLimit;
    }
    get overLimitMessage(): string {
        return formatLabel(
            this.usesFilters ? filterOverLimitLabel : overLimitLabel,
            MAX_BATCH_RECORDS
        );
    }
    get generateLabel(): string {
        return formatLabel(generateLabel, this.batchRecords.length);
    }
    get generateDisabled(): boolean {
        const recordsReady =
            this.hasSelection ||
            (this.usesFilters ? this.filterRecordsState : this.listRecordsState) === 'loaded';
        return (
            this.phase !== 'ready' ||
            !this.prepared ||
            !recordsReady ||
            this.batchRecords.length === 0
        );
    }
    get showGenerate(): boolean {
        return this.phase === 'ready';
    }
    get hasRows(): boolean {
        return this.rows.length > 0;
    }
    get finishedCount(): number {
        return this.rows.filter((r) => r.status === 'saved' || r.status === 'failed').length;
    }
    get progressValue(): number {
        return this.runTotal ? Math.round((this.finishedCount / this.runTotal) * 100) : 0;
    }
    get progressText(): string {
        return formatLabel(progressLabel, this.finishedCount, this.runTotal);
    }
    get retryCount(): number {
        return this.rows.filter((r) => r.status === 'failed' || r.status === 'notStarted').length;
    }
    get showRetry(): boolean {
        return this.phase === 'finished' && this.retryCount > 0;
    }
    get retryLabel(): string {
        return formatLabel(retryLabel, this.retryCount);
    }
    get summary(): string {
        const saved = this.rows.filter((r) => r.status === 'saved').length;
        const failed = this.rows.filter((r) => r.status === 'failed').length;
        const notStarted = this.rows.filter((r) => r.status === 'notStarted').length;
        return failed === 0 && notStarted === 0
            ? formatLabel(summaryAllSavedLabel, saved)
            : formatLabel(summaryLabel, saved, failed, notStarted);
    }
    get summaryClass(): string {
        const clean = this.rows.every((r) => r.status === 'saved');
        return `slds-notify slds-notify_alert slds-m-bottom_small ${
            clean ? 'slds-theme_success' : 'slds-theme_warning'
        }`;
    }
    get tableRows() {
        return this.rows.map((row) => ({
            ...row,
            statusLabel: STATUS_LABELS[row.status],
            statusIcon: STATUS_ICONS[row.status],
            statusVariant:
                row.status === 'saved' ? 'success' : row.status === 'failed' ? 'error' : undefined,
            isSaved: row.status === 'saved',
            isFailed: row.status === 'failed',
            hasWarnings: Boolean(row.warnings),
            hasLogError: Boolean(row.logError)
        }));
    }
}

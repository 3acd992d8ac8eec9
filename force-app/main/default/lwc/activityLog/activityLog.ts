import { LightningElement, api, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import {
    APPLICATION_SCOPE,
    MessageContext,
    subscribe,
    unsubscribe
} from 'lightning/messageService';
import type { MessageContextType, Subscription } from 'lightning/messageService';
import ACTIVITY_LOGGED from '@salesforce/messageChannel/Resident_Activity_Logged__c';
import {
    getRecord,
    updateRecord,
    deleteRecord,
    notifyRecordUpdateAvailable
} from 'lightning/uiRecordApi';
import LightningConfirm from 'lightning/confirm';
import listActivity from '@salesforce/apex/ActivityLogController.listActivity';
import logActivity from '@salesforce/apex/ActivityLogController.logActivity';
import { TOOL_NAMES } from 'c/coworkerContract';
import type {
    ActivityEntry,
    ActivityEntryInput,
    ActivityFilter,
    ActivityKind,
    ActivityOutcome,
    ToolName
} from 'c/coworkerContract';
import { formatLabel, readableError, noticeClass, noticeRole } from 'c/userMessages';
import {
    checkUnchanged,
    diffRows,
    fieldsToRead,
    isUndone,
    parseValues,
    prettyJson,
    undoPlan
} from './activityUndo';
import type { CurrentRecord, UndoPlan } from './activityUndo';

import titleLabel from '@salesforce/label/c.Resident_ActivityLog_Title';
import recordTitleLabel from '@salesforce/label/c.Resident_ActivityLog_RecordTitle';
import loadingLabel from '@salesforce/label/c.Resident_ActivityLog_Loading';
import emptyLabel from '@salesforce/label/c.Resident_ActivityLog_Empty';
import loadFailedLabel from '@salesforce/label/c.Resident_ActivityLog_LoadFailed';
import retryLabel from '@salesforce/label/c.Resident_ActivityLog_Retry';
import refreshLabel from '@salesforce/label/c.Resident_ActivityLog_Refresh';
import filterKindLabel from '@salesforce/label/c.Resident_ActivityLog_FilterKind';
import filterToolLabel from '@salesforce/label/c.Resident_ActivityLog_FilterTool';
import filterOutcomeLabel from '@salesforce/label/c.Resident_ActivityLog_FilterOutcome';
import filterSinceLabel from '@salesforce/label/c.Resident_ActivityLog_FilterSince';
import filterMineLabel from '@salesforce/label/c.Resident_ActivityLog_FilterMine';
import anyLabel from '@salesforce/label/c.Resident_ActivityLog_Any';
import previousLabel from '@salesforce/label/c.Resident_ActivityLog_Previous';
import nextLabel from '@salesforce/label/c.Resident_ActivityLog_Next';
import pageLabel from '@salesforce/label/c.Resident_ActivityLog_Page';
import columnWhenLabel from '@salesforce/label/c.Resident_ActivityLog_ColumnWhen';
import columnKindLabel from '@salesforce/label/c.Resident_ActivityLog_ColumnKind';
import columnToolLabel from '@salesforce/label/c.Resident_ActivityLog_ColumnTool';
import columnOutcomeLabel from '@salesforce/label/c.Resident_ActivityLog_ColumnOutcome';
import columnSummaryLabel from '@salesforce/label/c.Resident_ActivityLog_ColumnSummary';
import columnUserLabel from '@salesforce/label/c.Resident_ActivityLog_ColumnUser';
import openLabel from '@salesforce/label/c.Resident_ActivityLog_Open';
import detailTitleLabel from '@salesforce/label/c.Resident_ActivityLog_DetailTitle';
import closeDetailLabel from '@salesforce/label/c.Resident_ActivityLog_CloseDetail';
import whoLabel from '@salesforce/label/c.Resident_ActivityLog_Who';
import coworkerLabel from '@salesforce/label/c.Resident_ActivityLog_Coworker';
import taskLabel from '@salesforce/label/c.Resident_ActivityLog_Task';
import recordLabel from '@salesforce/label/c.Resident_ActivityLog_Record';
import openRecordLabel from '@salesforce/label/c.Resident_ActivityLog_OpenRecord';
import openTaskLabel from '@salesforce/label/c.Resident_ActivityLog_OpenTask';
import inputLabel from '@salesforce/label/c.Resident_ActivityLog_Input';
import resultLabel from '@salesforce/label/c.Resident_ActivityLog_Result';
import changesLabel from '@salesforce/label/c.Resident_ActivityLog_Changes';
import fieldLabel from '@salesforce/label/c.Resident_ActivityLog_Field';
import beforeLabel from '@salesforce/label/c.Resident_ActivityLog_Before';
import afterLabel from '@salesforce/label/c.Resident_ActivityLog_After';
import undoneByLabel from '@salesforce/label/c.Resident_ActivityLog_UndoneBy';
import undoLabel from '@salesforce/label/c.Resident_ActivityLog_Undo';
import undoCreateLabel from '@salesforce/label/c.Resident_ActivityLog_UndoCreate';
import confirmTitleLabel from '@salesforce/label/c.Resident_ActivityLog_ConfirmTitle';
import confirmUpdateLabel from '@salesforce/label/c.Resident_ActivityLog_ConfirmUpdate';
import confirmCreateLabel from '@salesforce/label/c.Resident_ActivityLog_ConfirmCreate';
import checkingLabel from '@salesforce/label/c.Resident_ActivityLog_Checking';
import undoneLabel from '@salesforce/label/c.Resident_ActivityLog_Undone';
import deletedLabel from '@salesforce/label/c.Resident_ActivityLog_Deleted';
import refusedChangedLabel from '@salesforce/label/c.Resident_ActivityLog_RefusedChanged';
import refusedByLabel from '@salesforce/label/c.Resident_ActivityLog_RefusedBy';
import refusedModifiedLabel from '@salesforce/label/c.Resident_ActivityLog_RefusedModified';
import refusedUnreadableLabel from '@salesforce/label/c.Resident_ActivityLog_RefusedUnreadable';
import readFailedLabel from '@salesforce/label/c.Resident_ActivityLog_ReadFailed';
import undoFailedLabel from '@salesforce/label/c.Resident_ActivityLog_UndoFailed';
import notLoggedLabel from '@salesforce/label/c.Resident_ActivityLog_NotLogged';
import undoSummaryLabel from '@salesforce/label/c.Resident_ActivityLog_UndoSummary';
import deleteSummaryLabel from '@salesforce/label/c.Resident_ActivityLog_DeleteSummary';
import undoFailedSummaryLabel from '@salesforce/label/c.Resident_ActivityLog_UndoFailedSummary';

/** Bounds of the page size an admin may set in Lightning App Builder (the Apex bound is 200). */
export const MIN_PAGE_SIZE = 5;
export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 25;
/** SOQL's OFFSET bound: pages beyond it cannot be read. */
const MAX_OFFSET = 2000;
/** How long undo waits for LDS to read the record before it gives up (nothing is written). */
export const RECORD_READ_TIMEOUT_MS = 15_000;
/** Wait after the last "activity logged" message before reloading: one reload per burst. */
export const ACTIVITY_RELOAD_DELAY_MS = 400;

const KINDS: ActivityKind[] = [
    'Tool call',
    'Model call',
    'Document generated',
    'Report run',
    'Undo',
    'Retention run',
    'Data export',
    'Data purge',
    'Relay connection',
    'Template saved'
];
const OUTCOMES: ActivityOutcome[] = ['Succeeded', 'Failed', 'Proposed', 'Rejected', 'Undone'];

type Notice = { variant: 'success' | 'error' | 'warning'; text: string };

interface PendingRead {
    resolve(record: CurrentRecord): void;
    reject(error: unknown): void;
}

/**
 * The coworker's activity log. On an app or home page: every entry the user may see, filtered and
 * paged. On a record page: that record's entries, like a related list. Opening an entry shows
 * what ran, on what, who and when, and the field changes; Undo restores the prior values of an
 * update (or deletes what a create made) through uiRecordApi, so validation rules and field-level
 * security apply, and only when nobody changed the record since.
 */
export default class ActivityLog extends NavigationMixin(LightningElement) {
    /** Set by the platform on a record page: show this record's entries. */
    @api recordId?: string;
    /** Design attribute: entries per page. */
    @api pageSize?: number | string;

    entries: ActivityEntry[] = [];
    isLoading = true;
    loadError?: string;
    offset = 0;

    kind = '';
    tool = '';
    outcome = '';
    since = '';
    mineOnly = false;

    selected?: ActivityEntry;
    isUndoing = false;
    notice?: Notice;

    /** The record undo reads through LDS; undefined when no undo is checking. */
    undoRecordId?: string;
    undoFields?: string[];
    private pendingRead?: PendingRead;

    labels = {
        loading: loadingLabel,
        empty: emptyLabel,
        retry: retryLabel,
        refresh: refreshLabel,
        filterKind: filterKindLabel,
        filterTool: filterToolLabel,
        filterOutcome: filterOutcomeLabel,
        filterSince: filterSinceLabel,
        filterMine: filterMineLabel,
        previous: previousLabel,
        next: nextLabel,
        detailTitle: detailTitleLabel,
        closeDetail: closeDetailLabel,
        who: whoLabel,
        coworker: coworkerLabel,
        task: taskLabel,
        record: recordLabel,
        openRecord: openRecordLabel,
        openTask: openTaskLabel,
        input: inputLabel,
        result: resultLabel,
        changes: changesLabel,
        undoneBy: undoneByLabel,
        checking: checkingLabel,
        kind: columnKindLabel,
        tool: columnToolLabel,
        outcome: columnOutcomeLabel,
        when: columnWhenLabel
    };

    /** Lightning Message Service: the coworker panel says when it logged an entry. */
    @wire(MessageContext)
    messageContext?: MessageContextType;

    private subscription?: Subscription;
    private reloadTimer?: ReturnType<typeof setTimeout>;

    override connectedCallback(): void {
        this.load();
        this.subscription = subscribe(
            this.messageContext,
            ACTIVITY_LOGGED,
            (message) => this.handleActivityLogged(message),
            { scope: APPLICATION_SCOPE }
        );
    }

    override disconnectedCallback(): void {
        if (this.subscription) unsubscribe(this.subscription);
        this.subscription = undefined;
        clearTimeout(this.reloadTimer);
    }

    /**
     * A new entry was logged on this page. On a record page only entries about this record
     * matter. A reply logs several entries in a row (tool call, model call), so one reload
     * follows the last of them.
     */
    handleActivityLogged(message: { recordId?: unknown }): void {
        if (this.recordId && message?.recordId !== this.recordId) return;
        clearTimeout(this.reloadTimer);
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.reloadTimer = setTimeout(() => this.load(), ACTIVITY_RELOAD_DELAY_MS);
    }

    // ---------------------------------------------------------------------------------------
    // The list

    get effectivePageSize(): number {
        const requested = Number(this.pageSize);
        return Number.isFinite(requested) && requested > 0
            ? Math.min(MAX_PAGE_SIZE, Math.max(MIN_PAGE_SIZE, Math.round(requested)))
            : DEFAULT_PAGE_SIZE;
    }

    get isRecordView(): boolean {
        return Boolean(this.recordId);
    }

    /** A record page shows that record's entries like a related list, without the filters. */
    get showFilters(): boolean {
        return !this.isRecordView;
    }

    get cardTitle(): string {
        return this.isRecordView ? recordTitleLabel : titleLabel;
    }

    buildFilter(): ActivityFilter {
        const filter: ActivityFilter = {
            pageSize: this.effectivePageSize,
            offset: this.offset
        };
        if (this.recordId) filter.recordId = this.recordId;
        if (this.kind) filter.kinds = [this.kind as ActivityKind];
        if (this.tool) filter.tool = this.tool as ToolName;
        if (this.outcome) filter.outcome = this.outcome as ActivityOutcome;
        if (this.since) filter.since = this.since;
        if (this.mineOnly) filter.mineOnly = true;
        return filter;
    }

    async load(): Promise<void> {
        this.isLoading = true;
        this.loadError = undefined;
        try {
            const answer = (await listActivity({ filter: this.buildFilter() })) as
                | ActivityEntry[]
                | null;
            this.entries = Array.isArray(answer) ? answer : [];
            if (this.selected) {
                // Keep the open entry current (Undone by/at after an undo).
                this.selected =
                    this.entries.find((e) => e.id === this.selected?.id) ?? this.selected;
            }
        } catch (error) {
            this.entries = [];
            this.loadError = formatLabel(loadFailedLabel, readableError(error));
        } finally {
            this.isLoading = false;
        }
    }

    get hasEntries(): boolean {
        return this.entries.length > 0;
    }

    get isEmpty(): boolean {
        return !this.isLoading && !this.loadError && this.entries.length === 0;
    }

    get showList(): boolean {
        return !this.isLoading && !this.loadError && this.entries.length > 0;
    }

    get rows(): (ActivityEntry & { toolLabel: string })[] {
        return this.entries.map((e) => ({ ...e, toolLabel: e.tool ?? '' }));
    }

    get columns(): object[] {
        const when = {
            label: columnWhenLabel,
            fieldName: 'occurredAt',
            type: 'date',
            typeAttributes: {
                year: 'numeric',
                month: 'short',
                day: '2-digit',
                hour: '2-digit',
                minute: '2-digit'
            },
            initialWidth: 170
        };
        const open = {
            type: 'button',
            initialWidth: 100,
            typeAttributes: {
                label: openLabel,
                name: 'open',
                title: openLabel,
                variant: 'base'
            }
        };
        const summary = { label: columnSummaryLabel, fieldName: 'summary', wrapText: true };
        const tool = { label: columnToolLabel, fieldName: 'toolLabel' };
        const outcome = { label: columnOutcomeLabel, fieldName: 'outcome', initialWidth: 120 };
        const user = { label: columnUserLabel, fieldName: 'userName' };
        if (this.isRecordView) {
            return [when, tool, outcome, summary, user, open];
        }
        const kind = { label: columnKindLabel, fieldName: 'kind', initialWidth: 130 };
        return [when, kind, tool, outcome, summary, user, open];
    }

    get kindOptions(): { label: string; value: string }[] {
        return [{ label: anyLabel, value: '' }, ...KINDS.map((k) => ({ label: k, value: k }))];
    }

    get toolOptions(): { label: string; value: string }[] {
        return [{ label: anyLabel, value: '' }, ...TOOL_NAMES.map((t) => ({ label: t, value: t }))];
    }

    get outcomeOptions(): { label: string; value: string }[] {
        return [{ label: anyLabel, value: '' }, ...OUTCOMES.map((o) => ({ label: o, value: o }))];
    }

    handleFilterChange(event: CustomEvent<{ value?: string; checked?: boolean }>): void {
        const name = (event.target as HTMLElement).dataset.filter;
        if (name === 'mineOnly') {
            this.mineOnly = Boolean((event.target as HTMLInputElement).checked);
        } else if (name === 'kind' || name === 'tool' || name === 'outcome' || name === 'since') {
            this[name] = String(event.detail?.value ?? '');
        }
        this.offset = 0;
        this.load();
    }

    handleRefresh(): void {
        this.notice = undefined;
        this.load();
    }

    get pageNumberText(): string {
        return formatLabel(pageLabel, Math.floor(this.offset / this.effectivePageSize) + 1);
    }

    get isFirstPage(): boolean {
        return this.offset === 0 || this.isLoading;
    }

    get isLastPage(): boolean {
        // A short page is the last one; so is the page at SOQL's OFFSET bound.
        return (
            this.isLoading ||
            this.entries.length < this.effectivePageSize ||
            this.offset + this.effectivePageSize > MAX_OFFSET
        );
    }

    get showPaging(): boolean {
        return !this.isFirstPage || !this.isLastPage;
    }

    handlePrevious(): void {
        this.offset = Math.max(0, this.offset - this.effectivePageSize);
        this.load();
    }

    handleNext(): void {
        this.offset += this.effectivePageSize;
        this.load();
    }

    // ---------------------------------------------------------------------------------------
    // One entry

    handleRowAction(event: CustomEvent<{ action: { name: string }; row: ActivityEntry }>): void {
        if (event.detail.action.name === 'open') {
            this.openEntry(event.detail.row.id);
        }
    }

    openEntry(id: string): void {
        this.selected = this.entries.find((e) => e.id === id);
        this.notice = undefined;
        // Move focus to the details so keyboard and screen reader users land where they asked.
        this.focusDetail = true;
    }

    private focusDetail = false;

    override renderedCallback(): void {
        if (this.focusDetail) {
            this.focusDetail = false;
            (
                this.template?.querySelector('[data-id="detail-heading"]') as HTMLElement | null
            )?.focus();
        }
    }

    handleCloseDetail(): void {
        this.selected = undefined;
        this.notice = undefined;
    }

    get detailHeading(): string {
        return this.selected ? formatLabel(detailTitleLabel, this.selected.name) : '';
    }

    get selectedInput(): string {
        return prettyJson(this.selected?.input);
    }

    get selectedResult(): string {
        return prettyJson(this.selected?.result);
    }

    get diff(): { field: string; before: string; after: string }[] {
        if (!this.selected) return [];
        return diffRows(
            parseValues(this.selected.priorValues),
            parseValues(this.selected.newValues)
        );
    }

    get hasDiff(): boolean {
        return this.diff.length > 0;
    }

    get diffColumns(): object[] {
        return [
            { label: fieldLabel, fieldName: 'field' },
            { label: beforeLabel, fieldName: 'before', wrapText: true },
            { label: afterLabel, fieldName: 'after', wrapText: true }
        ];
    }

    get selectedIsUndone(): boolean {
        return this.selected ? isUndone(this.selected) : false;
    }

    get selectedPlan(): UndoPlan | null {
        return this.selected ? undoPlan(this.selected) : null;
    }

    get canUndo(): boolean {
        return this.selectedPlan !== null;
    }

    get undoButtonLabel(): string {
        return this.selectedPlan?.kind === 'create' ? undoCreateLabel : undoLabel;
    }

    handleOpenRecord(): void {
        if (!this.selected?.recordId) return;
        this[NavigationMixin.Navigate]({
            type: 'standard__recordPage',
            attributes: {
                recordId: this.selected.recordId,
                objectApiName: this.selected.objectApiName ?? undefined,
                actionName: 'view'
            }
        });
    }

    handleOpenTask(): void {
        if (!this.selected?.taskId) return;
        this[NavigationMixin.Navigate]({
            type: 'standard__recordPage',
            attributes: { recordId: this.selected.taskId, actionName: 'view' }
        });
    }

    // ---------------------------------------------------------------------------------------
    // Undo

    @wire(getRecord, { recordId: '$undoRecordId', optionalFields: '$undoFields' })
    wiredUndoRecord({ data, error }: { data?: CurrentRecord; error?: unknown }): void {
        if (!this.pendingRead) return;
        if (data) this.pendingRead.resolve(data);
        else if (error) this.pendingRead.reject(error);
    }

    /** Reads the record now, through LDS, after telling LDS its cached copy may be stale. */
    async readCurrentRecord(plan: UndoPlan): Promise<CurrentRecord> {
        await notifyRecordUpdateAvailable([{ recordId: plan.recordId }]).catch(() => undefined);
        return new Promise<CurrentRecord>((resolve, reject) => {
            // eslint-disable-next-line @lwc/lwc/no-async-operation
            const timer = setTimeout(() => {
                reject(new Error('timed out'));
            }, RECORD_READ_TIMEOUT_MS);
            this.pendingRead = {
                resolve: (record) => {
                    clearTimeout(timer);
                    resolve(record);
                },
                reject: (error) => {
                    clearTimeout(timer);
                    reject(error);
                }
            };
            this.undoFields = fieldsToRead(plan);
            this.undoRecordId = plan.recordId;
        }).finally(() => {
            this.pendingRead = undefined;
            // Unset, so the next undo of the same record reads it again instead of the old answer.
            this.undoRecordId = undefined;
            this.undoFields = undefined;
        });
    }

    async handleUndo(): Promise<void> {
        const entry = this.selected;
        const plan = this.selectedPlan;
        if (!entry || !plan || this.isUndoing) return;
        const confirmed = await LightningConfirm.open({
            label: confirmTitleLabel,
            message:
                plan.kind === 'create'
                    ? confirmCreateLabel
                    : formatLabel(confirmUpdateLabel, Object.keys(plan.prior).join(', ')),
            theme: 'warning'
        });
        if (!confirmed) return;

        this.isUndoing = true;
        this.notice = undefined;
        try {
            let record: CurrentRecord;
            try {
                record = await this.readCurrentRecord(plan);
            } catch (error) {
                this.notice = {
                    variant: 'error',
                    text: formatLabel(readFailedLabel, readableError(error))
                };
                return;
            }
            const check = checkUnchanged(plan, record, entry.occurredAt);
            if (check.changed.length > 0 || check.unreadable.length > 0) {
                this.notice = { variant: 'warning', text: this.refusal(plan, check) };
                return;
            }
            const modified = record.fields.LastModifiedDate?.value;
            await this.writeUndo(entry, plan, typeof modified === 'string' ? modified : undefined);
        } finally {
            this.isUndoing = false;
        }
    }

    refusal(plan: UndoPlan, check: ReturnType<typeof checkUnchanged>): string {
        const parts: string[] = [];
        if (check.changed.length > 0) {
            parts.push(
                plan.kind === 'create'
                    ? refusedModifiedLabel
                    : formatLabel(refusedChangedLabel, check.changed.join(', '))
            );
            if (check.lastModifiedBy || check.lastModifiedDate) {
                parts.push(
                    formatLabel(
                        refusedByLabel,
                        check.lastModifiedBy ?? '?',
                        check.lastModifiedDate ?? '?'
                    )
                );
            }
        }
        if (check.unreadable.length > 0) {
            parts.push(formatLabel(refusedUnreadableLabel, check.unreadable.join(', ')));
        }
        return parts.join(' ');
    }

    /**
     * Writes the prior values back. `readAt` is the LastModifiedDate the change check just saw:
     * passed as `ifUnmodifiedSince`, it makes Salesforce refuse the write if anyone saved the
     * record between that check and this write.
     */
    async writeUndo(entry: ActivityEntry, plan: UndoPlan, readAt?: string): Promise<void> {
        const base: ActivityEntryInput = {
            kind: 'Undo',
            outcome: 'Succeeded',
            tool: entry.tool as ToolName,
            summary: '',
            coworkerName: entry.coworkerName,
            taskId: entry.taskId,
            recordId: plan.recordId,
            objectApiName: plan.objectApiName,
            undoOfId: entry.id,
            // What the record held before the undo, and what it holds after.
            priorValues: JSON.stringify(plan.written),
            newValues: plan.kind === 'update' ? JSON.stringify(plan.prior) : null
        };
        try {
            if (plan.kind === 'update') {
                await updateRecord(
                    { fields: { Id: plan.recordId, ...plan.prior } },
                    readAt ? { ifUnmodifiedSince: readAt } : undefined
                );
            } else {
                await deleteRecord(plan.recordId);
            }
        } catch (error) {
            const message = readableError(error);
            this.notice = { variant: 'error', text: formatLabel(undoFailedLabel, message) };
            await this.log({
                ...base,
                outcome: 'Failed',
                newValues: null,
                summary: clip(formatLabel(undoFailedSummaryLabel, entry.name, message)),
                result: JSON.stringify({ error: message })
            });
            return;
        }
        const logged = await this.log({
            ...base,
            summary: clip(
                formatLabel(
                    plan.kind === 'update' ? undoSummaryLabel : deleteSummaryLabel,
                    entry.name
                )
            )
        });
        this.notice = logged
            ? { variant: 'success', text: plan.kind === 'update' ? undoneLabel : deletedLabel }
            : {
                  variant: 'warning',
                  text: formatLabel(notLoggedLabel, this.lastLogError ?? '')
              };
        if (plan.kind === 'update') {
            notifyRecordUpdateAvailable([{ recordId: plan.recordId }]).catch(() => undefined);
        }
        await this.load();
    }

    private lastLogError?: string;

    /** Writes an entry; a failure is reported, never swallowed, and never undoes the undo. */
    async log(entry: ActivityEntryInput): Promise<boolean> {
        try {
            await logActivity({ entry });
            return true;
        } catch (error) {
            this.lastLogError = readableError(error);
            if (this.notice?.variant === 'error') {
                this.notice = {
                    variant: 'error',
                    text: `${this.notice.text} ${formatLabel(notLoggedLabel, this.lastLogError)}`
                };
            }
            return false;
        }
    }

    get noticeClass(): string {
        return noticeClass(this.notice?.variant);
    }

    get noticeRole(): string {
        return noticeRole(this.notice?.variant);
    }
}

/** Result_Summary__c holds 255 characters. */
function clip(text: string): string {
    return text.length > 255 ? `${text.slice(0, 254)}…` : text;
}

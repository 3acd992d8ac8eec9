import { LightningElement, api, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import userTimeZone from '@salesforce/i18n/timeZone';
import userLocale from '@salesforce/i18n/locale';
import getSchedulerSettings from '@salesforce/apex/ReportScheduleController.getSchedulerSettings';
import listSchedules from '@salesforce/apex/ReportScheduleController.listSchedules';
import getSchedule from '@salesforce/apex/ReportScheduleController.getSchedule';
import saveSchedule from '@salesforce/apex/ReportScheduleController.saveSchedule';
import setActive from '@salesforce/apex/ReportScheduleController.setActive';
import runNow from '@salesforce/apex/ReportScheduleController.runNow';
import listRuns from '@salesforce/apex/ReportScheduleController.listRuns';
import previewRows from '@salesforce/apex/ReportScheduleController.previewRows';
import listReports from '@salesforce/apex/ReportScheduleController.listReports';
import findUsers from '@salesforce/apex/ReportScheduleController.findUsers';
import { nextRunAt, validateSchedule, SCHEDULE_LIMITS } from 'c/reportSchedule';
import { editableFilters, toQueryFilter } from 'c/queryFilterEditor';
import type { EditableFilter } from 'c/queryFilterEditor';
import type {
    Frequency,
    QueryDefinition,
    Recipient,
    ReportScheduleDefinition,
    RunStep,
    ScheduleProblem,
    Weekday
} from 'c/reportSchedule';
import { formatLabel, readableError, noticeClass, noticeRole } from 'c/userMessages';

import titleLabel from '@salesforce/label/c.Resident_ReportScheduler_Title';
import loadingLabel from '@salesforce/label/c.Resident_ReportScheduler_Loading';
import loadFailedLabel from '@salesforce/label/c.Resident_ReportScheduler_LoadFailed';
import retryLabel from '@salesforce/label/c.Resident_ReportScheduler_Retry';
import emptyLabel from '@salesforce/label/c.Resident_ReportScheduler_Empty';
import newLabel from '@salesforce/label/c.Resident_ReportScheduler_New';
import columnNameLabel from '@salesforce/label/c.Resident_ReportScheduler_ColumnName';
import columnFormatLabel from '@salesforce/label/c.Resident_ReportScheduler_ColumnFormat';
import columnNextRunLabel from '@salesforce/label/c.Resident_ReportScheduler_ColumnNextRun';
import columnLastStatusLabel from '@salesforce/label/c.Resident_ReportScheduler_ColumnLastStatus';
import columnActiveLabel from '@salesforce/label/c.Resident_ReportScheduler_ColumnActive';
import editLabel from '@salesforce/label/c.Resident_ReportScheduler_Edit';
import pauseLabel from '@salesforce/label/c.Resident_ReportScheduler_Pause';
import resumeLabel from '@salesforce/label/c.Resident_ReportScheduler_Resume';
import runNowLabel from '@salesforce/label/c.Resident_ReportScheduler_RunNow';
import pausedLabel from '@salesforce/label/c.Resident_ReportScheduler_Paused';
import resumedLabel from '@salesforce/label/c.Resident_ReportScheduler_Resumed';
import runNowDoneLabel from '@salesforce/label/c.Resident_ReportScheduler_RunNowDone';
import actionFailedLabel from '@salesforce/label/c.Resident_ReportScheduler_ActionFailed';
import formNewLabel from '@salesforce/label/c.Resident_ReportScheduler_FormNew';
import formEditLabel from '@salesforce/label/c.Resident_ReportScheduler_FormEdit';
import nameLabel from '@salesforce/label/c.Resident_ReportScheduler_Name';
import sourceLabel from '@salesforce/label/c.Resident_ReportScheduler_Source';
import sourceReportLabel from '@salesforce/label/c.Resident_ReportScheduler_SourceReport';
import sourceQueryLabel from '@salesforce/label/c.Resident_ReportScheduler_SourceQuery';
import reportLabel from '@salesforce/label/c.Resident_ReportScheduler_Report';
import objectLabel from '@salesforce/label/c.Resident_ReportScheduler_Object';
import fieldsLabel from '@salesforce/label/c.Resident_ReportScheduler_Fields';
import fieldsAvailableLabel from '@salesforce/label/c.Resident_ReportScheduler_FieldsAvailable';
import fieldsSelectedLabel from '@salesforce/label/c.Resident_ReportScheduler_FieldsSelected';
import filtersLabel from '@salesforce/label/c.Resident_ReportScheduler_Filters';
import groupByLabel from '@salesforce/label/c.Resident_ReportScheduler_GroupBy';
import noneLabel from '@salesforce/label/c.Resident_ReportScheduler_None';
import totalsLabel from '@salesforce/label/c.Resident_ReportScheduler_Totals';
import formatLabelText from '@salesforce/label/c.Resident_ReportScheduler_Format';
import frequencyLabel from '@salesforce/label/c.Resident_ReportScheduler_Frequency';
import hourlyLabel from '@salesforce/label/c.Resident_ReportScheduler_Hourly';
import dailyLabel from '@salesforce/label/c.Resident_ReportScheduler_Daily';
import weeklyLabel from '@salesforce/label/c.Resident_ReportScheduler_Weekly';
import monthlyLabel from '@salesforce/label/c.Resident_ReportScheduler_Monthly';
import cronLabel from '@salesforce/label/c.Resident_ReportScheduler_Cron';
import minuteLabel from '@salesforce/label/c.Resident_ReportScheduler_Minute';
import timeLabel from '@salesforce/label/c.Resident_ReportScheduler_Time';
import daysLabel from '@salesforce/label/c.Resident_ReportScheduler_Days';
import dayOfMonthLabel from '@salesforce/label/c.Resident_ReportScheduler_DayOfMonth';
import cronExpressionLabel from '@salesforce/label/c.Resident_ReportScheduler_CronExpression';
import cronHelpLabel from '@salesforce/label/c.Resident_ReportScheduler_CronHelp';
import timeZoneLabel from '@salesforce/label/c.Resident_ReportScheduler_TimeZone';
import recipientsLabel from '@salesforce/label/c.Resident_ReportScheduler_Recipients';
import findUserLabel from '@salesforce/label/c.Resident_ReportScheduler_FindUser';
import addUserLabel from '@salesforce/label/c.Resident_ReportScheduler_AddUser';
import emailLabel from '@salesforce/label/c.Resident_ReportScheduler_Email';
import addEmailLabel from '@salesforce/label/c.Resident_ReportScheduler_AddEmail';
import externalOffLabel from '@salesforce/label/c.Resident_ReportScheduler_ExternalOff';
import perRecipientLabel from '@salesforce/label/c.Resident_ReportScheduler_PerRecipient';
import perRecipientHelpLabel from '@salesforce/label/c.Resident_ReportScheduler_PerRecipientHelp';
import aiSummaryLabel from '@salesforce/label/c.Resident_ReportScheduler_AiSummary';
import aiSummaryHelpLabel from '@salesforce/label/c.Resident_ReportScheduler_AiSummaryHelp';
import saveLabel from '@salesforce/label/c.Resident_ReportScheduler_Save';
import cancelLabel from '@salesforce/label/c.Resident_ReportScheduler_Cancel';
import savingLabel from '@salesforce/label/c.Resident_ReportScheduler_Saving';
import savedLabel from '@salesforce/label/c.Resident_ReportScheduler_Saved';
import saveFailedLabel from '@salesforce/label/c.Resident_ReportScheduler_SaveFailed';
import fixProblemsLabel from '@salesforce/label/c.Resident_ReportScheduler_FixProblems';
import nextRunFailedLabel from '@salesforce/label/c.Resident_ReportScheduler_NextRunFailed';
import previewLabel from '@salesforce/label/c.Resident_ReportScheduler_Preview';
import previewingLabel from '@salesforce/label/c.Resident_ReportScheduler_Previewing';
import previewFailedLabel from '@salesforce/label/c.Resident_ReportScheduler_PreviewFailed';
import previewEmptyLabel from '@salesforce/label/c.Resident_ReportScheduler_PreviewEmpty';
import previewTruncatedLabel from '@salesforce/label/c.Resident_ReportScheduler_PreviewTruncated';
import historyLabel from '@salesforce/label/c.Resident_ReportScheduler_History';
import historyEmptyLabel from '@salesforce/label/c.Resident_ReportScheduler_HistoryEmpty';
import historyFailedLabel from '@salesforce/label/c.Resident_ReportScheduler_HistoryFailed';
import refreshRunsLabel from '@salesforce/label/c.Resident_ReportScheduler_RefreshRuns';
import watchingRunLabel from '@salesforce/label/c.Resident_ReportScheduler_WatchingRun';
import runNotSeenLabel from '@salesforce/label/c.Resident_ReportScheduler_RunNotSeen';
import columnRunLabel from '@salesforce/label/c.Resident_ReportScheduler_ColumnRun';
import columnTriggerLabel from '@salesforce/label/c.Resident_ReportScheduler_ColumnTrigger';
import columnStartedLabel from '@salesforce/label/c.Resident_ReportScheduler_ColumnStarted';
import columnStatusLabel from '@salesforce/label/c.Resident_ReportScheduler_ColumnStatus';
import columnRowsLabel from '@salesforce/label/c.Resident_ReportScheduler_ColumnRows';
import columnErrorLabel from '@salesforce/label/c.Resident_ReportScheduler_ColumnError';
import openFileLabel from '@salesforce/label/c.Resident_ReportScheduler_OpenFile';
import showStepsLabel from '@salesforce/label/c.Resident_ReportScheduler_ShowSteps';
import stepsLabel from '@salesforce/label/c.Resident_ReportScheduler_Steps';
import formatRowLimitsLabel from '@salesforce/label/c.Resident_ReportScheduler_FormatRowLimits';

/** A schedule in the list (ReportScheduleLibrary.ScheduleSummary). */
export interface ScheduleSummary {
    id: string;
    name: string;
    sourceType: string;
    format: string;
    frequency: Frequency | null;
    timeZone: string;
    recipientCount: number;
    active: boolean;
    nextRunAt: string | null;
    lastRunAt: string | null;
    lastStatus: string | null;
}

/** One schedule whole (ReportScheduleLibrary.ScheduleDetail). */
export interface ScheduleDetail extends ScheduleSummary {
    ownerId: string;
    reportId: string | null;
    query: QueryDefinition | null;
    recipients: Recipient[];
    recipientNames: Record<string, string>;
    perRecipient: boolean;
    aiSummary: boolean;
}

/** One run (ReportScheduleLibrary.RunSummary). */
export interface RunSummary {
    id: string;
    name: string;
    triggeredBy: string;
    dueAt: string | null;
    startedAt: string | null;
    finishedAt: string | null;
    status: string;
    steps: RunStep[];
    error: string | null;
    rows: number | null;
    fileId: string | null;
    recipientUserName?: string | null;
}

interface PreviewResult {
    columns: { fieldName: string; label: string; path: string; type: string }[];
    rows: Record<string, unknown>[];
    truncated: boolean;
}

interface PickOption {
    id: string;
    name: string;
    detail?: string | null;
}

type Notice = { variant: 'success' | 'error' | 'warning'; text: string };
type FieldInfo = { apiName: string; label: string; dataType: string };

const WEEKDAYS: Weekday[] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
const NUMERIC_TYPES = new Set(['Currency', 'Double', 'Int', 'Integer', 'Long', 'Percent']);
const RUNS_SHOWN = 20;
/**
 * After Run now, the history looks for the run by itself: the relay picks a due schedule up at its
 * next check (every 5 minutes), so it looks for two checks and a margin, soon at first, then every
 * 15 s. Then it stops and says what to do, rather than polling an org that is not connected forever.
 */
const RUN_WATCH_LIMIT_MS = 12 * 60_000;
const RUN_WATCH_DELAYS_MS = [3_000, 5_000, 10_000, 15_000];
const DEFAULT_OBJECTS = 'Account,Contact,Opportunity,Case,Lead';

function blankDefinition(timeZone: string): ReportScheduleDefinition {
    return {
        name: '',
        sourceType: 'Query',
        reportId: null,
        query: { object: 'Account', fields: ['Name'], filters: [], groupBy: null, totals: [] },
        format: 'PDF',
        frequency: { kind: 'weekly', time: '08:00', days: ['MON'] },
        timeZone,
        recipients: [],
        perRecipient: false,
        aiSummary: false,
        active: true
    };
}

/** Every IANA zone the browser knows, so the time zone is picked, never typed. */
function timeZones(current: string): string[] {
    const supported = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] })
        .supportedValuesOf;
    const zones = typeof supported === 'function' ? supported('timeZone') : [];
    return zones.includes(current) ? zones : [current, ...zones];
}

/** `08:30:00.000` (lightning-input type=time) → `08:30`, the contract's HH:mm. */
function hhmm(value: string | undefined): string {
    return (value ?? '').slice(0, 5);
}

/**
 * Scheduled reports that run as their owner: the user's schedules with their next run and last
 * outcome; a form to create or edit one (a report the user can see, or a query built with pickers
 * over the object's fields, never free SOQL); a preview that runs the source now, as the user;
 * run now, pause and resume; and the history of runs with their steps and Files.
 */
export default class ReportScheduler extends NavigationMixin(LightningElement) {
    /** How many schedules the list shows at once (App Builder). */
    @api pageSize = 25;
    /** Objects users may build queries on (App Builder), comma-separated API names. */
    @api objects = DEFAULT_OBJECTS;

    schedules: ScheduleSummary[] = [];
    isLoading = true;
    loadError?: string;
    notice?: Notice;
    allowExternalRecipients = false;

    isEditing = false;
    draft: ReportScheduleDefinition = blankDefinition(userTimeZone);
    recipientNames: Record<string, string> = {};
    filterRows: EditableFilter[] = [];
    problems: ScheduleProblem[] = [];
    formError?: string;
    isSaving = false;

    reportOptionsRaw: PickOption[] = [];
    userMatches: PickOption[] = [];
    userSearch = '';
    emailToAdd = '';

    preview?: PreviewResult;
    previewError?: string;
    isPreviewing = false;

    runs: RunSummary[] = [];
    runsError?: string;
    runsLoading = false;
    selectedRun?: RunSummary;
    /** Run now was asked from the open form: the history is looking for that run. */
    watchingRun = false;
    /** The watch ended without seeing the run finish: what to do. */
    runNotSeen?: string;
    private runWatch?: {
        scheduleId: string;
        knownRunIds: Set<string>;
        startedAt: number;
        looks: number;
        timer?: ReturnType<typeof setTimeout>;
    };

    objectFields: FieldInfo[] = [];

    labels = {
        title: titleLabel,
        loading: loadingLabel,
        retry: retryLabel,
        empty: emptyLabel,
        newSchedule: newLabel,
        name: nameLabel,
        source: sourceLabel,
        report: reportLabel,
        object: objectLabel,
        fields: fieldsLabel,
        fieldsAvailable: fieldsAvailableLabel,
        fieldsSelected: fieldsSelectedLabel,
        filters: filtersLabel,
        groupBy: groupByLabel,
        totals: totalsLabel,
        format: formatLabelText,
        frequency: frequencyLabel,
        minute: minuteLabel,
        time: timeLabel,
        days: daysLabel,
        dayOfMonth: dayOfMonthLabel,
        cronExpression: cronExpressionLabel,
        cronHelp: cronHelpLabel,
        timeZone: timeZoneLabel,
        recipients: recipientsLabel,
        findUser: findUserLabel,
        addUser: addUserLabel,
        email: emailLabel,
        addEmail: addEmailLabel,
        externalOff: externalOffLabel,
        perRecipient: perRecipientLabel,
        perRecipientHelp: perRecipientHelpLabel,
        aiSummary: aiSummaryLabel,
        aiSummaryHelp: aiSummaryHelpLabel,
        save: saveLabel,
        cancel: cancelLabel,
        saving: savingLabel,
        preview: previewLabel,
        previewing: previewingLabel,
        previewEmpty: previewEmptyLabel,
        history: historyLabel,
        refreshRuns: refreshRunsLabel,
        watchingRun: watchingRunLabel,
        historyEmpty: historyEmptyLabel,
        steps: stepsLabel,
        runNow: runNowLabel,
        pause: pauseLabel,
        resume: resumeLabel
    };

    sourceOptions = [
        { label: sourceQueryLabel, value: 'Query' },
        { label: sourceReportLabel, value: 'Report' }
    ];
    formatOptions = [
        { label: 'PDF', value: 'PDF' },
        { label: 'CSV', value: 'CSV' }
    ];
    frequencyOptions = [
        { label: hourlyLabel, value: 'hourly' },
        { label: dailyLabel, value: 'daily' },
        { label: weeklyLabel, value: 'weekly' },
        { label: monthlyLabel, value: 'monthly' },
        { label: cronLabel, value: 'cron' }
    ];

    /** Weekday names in the user's language (Intl), not labels: the platform's own locale data. */
    dayOptions = WEEKDAYS.map((day, i) => ({
        value: day,
        // 2024-01-01 was a Monday.
        label: new Intl.DateTimeFormat(userLocale, { weekday: 'long', timeZone: 'UTC' }).format(
            new Date(Date.UTC(2024, 0, 1 + i))
        )
    }));

    timeZoneOptions = timeZones(userTimeZone).map((zone) => ({ label: zone, value: zone }));

    override disconnectedCallback(): void {
        this.stopWatchingRun();
    }

    override connectedCallback(): void {
        this.load();
        getSchedulerSettings()
            .then((settings) => {
                this.allowExternalRecipients =
                    (settings as { allowExternalRecipients?: boolean } | null)
                        ?.allowExternalRecipients === true;
            })
            .catch(() => {
                // Without the setting, external addresses stay off: the server refuses them anyway.
                this.allowExternalRecipients = false;
            });
    }

    async load(): Promise<void> {
        this.isLoading = true;
        this.loadError = undefined;
        try {
            const answer = (await listSchedules()) as ScheduleSummary[] | null;
            this.schedules = Array.isArray(answer) ? answer : [];
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
        return !this.isLoading && !this.loadError && this.schedules.length === 0;
    }

    get shownSchedules(): (ScheduleSummary & { status: string })[] {
        return this.schedules
            .slice(0, Math.max(1, Number(this.pageSize) || 25))
            .map((s) => ({ ...s, status: s.lastStatus ?? '' }));
    }

    get scheduleColumns(): object[] {
        return [
            { label: columnNameLabel, fieldName: 'name', wrapText: true },
            { label: columnFormatLabel, fieldName: 'format', initialWidth: 90 },
            {
                label: columnNextRunLabel,
                fieldName: 'nextRunAt',
                type: 'date',
                typeAttributes: {
                    year: 'numeric',
                    month: 'short',
                    day: '2-digit',
                    hour: '2-digit',
                    minute: '2-digit'
                }
            },
            { label: columnLastStatusLabel, fieldName: 'status', initialWidth: 130 },
            { label: columnActiveLabel, fieldName: 'active', type: 'boolean', initialWidth: 90 },
            {
                type: 'action',
                typeAttributes: {
                    rowActions: (row: ScheduleSummary, done: (actions: object[]) => void) =>
                        done([
                            { label: editLabel, name: 'edit' },
                            { label: runNowLabel, name: 'run_now', disabled: !row.active },
                            row.active
                                ? { label: pauseLabel, name: 'pause' }
                                : { label: resumeLabel, name: 'resume' }
                        ])
                }
            }
        ];
    }

    async handleScheduleAction(
        event: CustomEvent<{ action: { name: string }; row: ScheduleSummary }>
    ): Promise<void> {
        const { action, row } = event.detail;
        if (action.name === 'edit') {
            await this.openSchedule(row.id);
        } else if (action.name === 'run_now') {
            await this.runScheduleNow(row.id, row.name);
        } else if (action.name === 'pause' || action.name === 'resume') {
            await this.changeActive(row, action.name === 'resume');
        }
    }

    // ---------------------------------------------------------------------------------------
    // Run now, pause, resume

    async runScheduleNow(scheduleId: string, name: string): Promise<void> {
        this.notice = undefined;
        try {
            await runNow({ scheduleId });
            this.notice = { variant: 'success', text: formatLabel(runNowDoneLabel, name) };
        } catch (error) {
            this.notice = {
                variant: 'error',
                text: formatLabel(actionFailedLabel, name, readableError(error))
            };
            return;
        }
        if (this.isEditing && this.draft.id === scheduleId) this.watchForRun(scheduleId);
        await this.load();
    }

    async changeActive(
        schedule: { id: string; name: string; frequency: Frequency | null; timeZone: string },
        active: boolean
    ): Promise<void> {
        this.notice = undefined;
        try {
            // Resuming starts from the next due time after now, never from a missed one.
            const next =
                active && schedule.frequency
                    ? nextRunAt(schedule.frequency, schedule.timeZone, new Date()).toISOString()
                    : null;
            await setActive({ scheduleId: schedule.id, active, nextRunAt: next });
            this.notice = {
                variant: 'success',
                text: formatLabel(active ? resumedLabel : pausedLabel, schedule.name)
            };
            if (this.isEditing && this.draft.id === schedule.id) this.draft.active = active;
        } catch (error) {
            this.notice = {
                variant: 'error',
                text: formatLabel(actionFailedLabel, schedule.name, readableError(error))
            };
            return;
        }
        await this.load();
    }

    handleFormRunNow(): void {
        if (this.draft.id) this.runScheduleNow(this.draft.id, this.draft.name);
    }

    handleFormToggleActive(): void {
        if (!this.draft.id) return;
        this.changeActive(
            {
                id: this.draft.id,
                name: this.draft.name,
                frequency: this.draft.frequency,
                timeZone: this.draft.timeZone
            },
            !this.draft.active
        );
    }

    get formActiveLabel(): string {
        return this.draft.active ? pauseLabel : resumeLabel;
    }

    // ---------------------------------------------------------------------------------------
    // The form

    handleNew(): void {
        this.startEditing(blankDefinition(userTimeZone), {});
        this.runs = [];
    }

    async openSchedule(scheduleId: string): Promise<void> {
        this.notice = undefined;
        try {
            const detail = (await getSchedule({ scheduleId })) as ScheduleDetail;
            this.startEditing(
                {
                    id: detail.id,
                    name: detail.name,
                    ownerId: detail.ownerId,
                    sourceType: detail.sourceType === 'Report' ? 'Report' : 'Query',
                    reportId: detail.reportId,
                    query: detail.query ?? blankDefinition(userTimeZone).query,
                    format: detail.format === 'CSV' ? 'CSV' : 'PDF',
                    frequency: detail.frequency ?? blankDefinition(userTimeZone).frequency,
                    timeZone: detail.timeZone || userTimeZone,
                    recipients: detail.recipients ?? [],
                    perRecipient: detail.perRecipient,
                    aiSummary: detail.aiSummary,
                    active: detail.active
                },
                detail.recipientNames ?? {}
            );
        } catch (error) {
            this.notice = {
                variant: 'error',
                text: formatLabel(loadFailedLabel, readableError(error))
            };
            return;
        }
        await this.loadRuns();
    }

    startEditing(definition: ReportScheduleDefinition, names: Record<string, string>): void {
        this.stopWatchingRun();
        this.runNotSeen = undefined;
        this.draft = definition;
        this.recipientNames = { ...names };
        this.filterRows = editableFilters(definition.query?.filters);
        this.problems = [];
        this.formError = undefined;
        this.preview = undefined;
        this.previewError = undefined;
        this.selectedRun = undefined;
        this.runsError = undefined;
        this.isEditing = true;
        if (definition.sourceType === 'Report') this.loadReports();
    }

    handleCancel(): void {
        this.stopWatchingRun();
        this.isEditing = false;
        this.problems = [];
        this.formError = undefined;
    }

    get formTitle(): string {
        return this.draft.id ? formatLabel(formEditLabel, this.draft.name) : formNewLabel;
    }

    get isExisting(): boolean {
        return Boolean(this.draft.id);
    }

    /** Changes the draft immutably, so the template re-renders. */
    update(changes: Partial<ReportScheduleDefinition>): void {
        this.draft = { ...this.draft, ...changes };
        this.formError = undefined;
    }

    updateQuery(changes: Partial<QueryDefinition>): void {
        const query = { ...(this.draft.query as QueryDefinition), ...changes };
        this.update({ query });
    }

    updateFrequency(frequency: Frequency): void {
        this.update({ frequency });
    }

    handleNameChange(event: CustomEvent<{ value: string }>): void {
        this.update({ name: event.detail.value ?? '' });
    }

    handleSourceChange(event: CustomEvent<{ value: 'Report' | 'Query' }>): void {
        this.update({ sourceType: event.detail.value });
        this.preview = undefined;
        if (event.detail.value === 'Report') this.loadReports();
    }

    get isReportSource(): boolean {
        return this.draft.sourceType === 'Report';
    }

    async loadReports(): Promise<void> {
        try {
            const answer = (await listReports({ searchTerm: '' })) as PickOption[] | null;
            this.reportOptionsRaw = Array.isArray(answer) ? answer : [];
        } catch (error) {
            this.formError = readableError(error);
        }
    }

    get reportOptions(): { label: string; value: string }[] {
        return this.reportOptionsRaw.map((r) => ({
            label: r.detail ? `${r.name} (${r.detail})` : r.name,
            value: r.id
        }));
    }

    handleReportChange(event: CustomEvent<{ value: string }>): void {
        this.update({ reportId: event.detail.value });
    }

    // ---- query pickers (fields from getObjectInfo) ----

    get objectOptions(): { label: string; value: string }[] {
        return String(this.objects || DEFAULT_OBJECTS)
            .split(',')
            .map((name) => name.trim())
            .filter(Boolean)
            .map((name) => ({ label: name, value: name }));
    }

    get queryObject(): string | undefined {
        return this.isEditing && !this.isReportSource ? this.draft.query?.object : undefined;
    }

    @wire(getObjectInfo, { objectApiName: '$queryObject' })
    wiredObjectInfo({
        data,
        error
    }: {
        data?: { fields?: Record<string, FieldInfo> };
        error?: unknown;
    }): void {
        if (data) {
            this.objectFields = Object.values(data.fields ?? {})
                .map((f) => ({ apiName: f.apiName, label: f.label, dataType: f.dataType }))
                .sort((a, b) => a.label.localeCompare(b.label));
        } else if (error) {
            this.objectFields = [];
            this.formError = readableError(error);
        }
    }

    get fieldOptions(): { label: string; value: string }[] {
        return this.objectFields.map((f) => ({ label: f.label, value: f.apiName }));
    }

    get groupByOptions(): { label: string; value: string }[] {
        return [{ label: noneLabel, value: '' }, ...this.selectedFieldOptions];
    }

    get selectedFieldOptions(): { label: string; value: string }[] {
        const selected = this.draft.query?.fields ?? [];
        return this.fieldOptions.filter((o) => selected.includes(o.value));
    }

    get totalOptions(): { label: string; value: string }[] {
        const selected = this.draft.query?.fields ?? [];
        return this.objectFields
            .filter((f) => selected.includes(f.apiName) && NUMERIC_TYPES.has(f.dataType))
            .map((f) => ({ label: f.label, value: f.apiName }));
    }

    get hasTotalOptions(): boolean {
        return this.totalOptions.length > 0;
    }

    get maxFields(): number {
        return SCHEDULE_LIMITS.fieldsPerQuery;
    }

    handleObjectChange(event: CustomEvent<{ value: string }>): void {
        // Another object: its fields differ, so the picks start again.
        this.filterRows = [];
        this.updateQuery({
            object: event.detail.value,
            fields: ['Name'],
            filters: [],
            groupBy: null,
            totals: [],
            orderBy: null
        });
        this.preview = undefined;
    }

    handleFieldsChange(event: CustomEvent<{ value: string[] }>): void {
        const fields = [...(event.detail.value ?? [])];
        const query = this.draft.query as QueryDefinition;
        this.updateQuery({
            fields,
            groupBy: query.groupBy && fields.includes(query.groupBy) ? query.groupBy : null,
            totals: (query.totals ?? []).filter((t) => fields.includes(t))
        });
    }

    handleGroupByChange(event: CustomEvent<{ value: string }>): void {
        this.updateQuery({ groupBy: event.detail.value || null });
    }

    handleTotalsChange(event: CustomEvent<{ value: string[] }>): void {
        this.updateQuery({ totals: [...(event.detail.value ?? [])] });
    }

    /** c-query-filter-editor's rows after an edit, into the query being drafted. */
    handleFiltersChange(event: CustomEvent<{ filters: EditableFilter[] }>): void {
        this.filterRows = event.detail.filters;
        this.updateQuery({ filters: this.filterRows.map(toQueryFilter) });
    }

    // ---- format, frequency, time zone ----

    handleFormatChange(event: CustomEvent<{ value: 'PDF' | 'CSV' }>): void {
        this.update({ format: event.detail.value });
    }

    get frequencyKind(): Frequency['kind'] {
        return this.draft.frequency.kind;
    }

    get isHourly(): boolean {
        return this.frequencyKind === 'hourly';
    }
    get hasTime(): boolean {
        return ['daily', 'weekly', 'monthly'].includes(this.frequencyKind);
    }
    get isWeekly(): boolean {
        return this.frequencyKind === 'weekly';
    }
    get isMonthly(): boolean {
        return this.frequencyKind === 'monthly';
    }
    get isCron(): boolean {
        return this.frequencyKind === 'cron';
    }

    get frequencyMinute(): number | '' {
        return this.draft.frequency.kind === 'hourly' ? this.draft.frequency.minute : '';
    }
    get frequencyTime(): string {
        const f = this.draft.frequency;
        return 'time' in f ? f.time : '';
    }
    get frequencyDays(): Weekday[] {
        return this.draft.frequency.kind === 'weekly' ? this.draft.frequency.days : [];
    }
    get frequencyDay(): number | '' {
        return this.draft.frequency.kind === 'monthly' ? this.draft.frequency.day : '';
    }
    get frequencyExpression(): string {
        return this.draft.frequency.kind === 'cron' ? this.draft.frequency.expression : '';
    }

    handleFrequencyKindChange(event: CustomEvent<{ value: Frequency['kind'] }>): void {
        const time = this.frequencyTime || '08:00';
        const kind = event.detail.value;
        const next: Record<Frequency['kind'], Frequency> = {
            hourly: { kind: 'hourly', minute: 0 },
            daily: { kind: 'daily', time },
            weekly: {
                kind: 'weekly',
                time,
                days: this.frequencyDays.length ? this.frequencyDays : ['MON']
            },
            monthly: { kind: 'monthly', time, day: 1 },
            cron: { kind: 'cron', expression: '0 8 * * 1-5' }
        };
        this.updateFrequency(next[kind]);
    }

    handleMinuteChange(event: CustomEvent<{ value: string }>): void {
        this.updateFrequency({ kind: 'hourly', minute: Number(event.detail.value) });
    }

    handleTimeChange(event: CustomEvent<{ value: string }>): void {
        const time = hhmm(event.detail.value);
        const f = this.draft.frequency;
        if (f.kind === 'daily' || f.kind === 'weekly' || f.kind === 'monthly') {
            this.updateFrequency({ ...f, time });
        }
    }

    handleDaysChange(event: CustomEvent<{ value: Weekday[] }>): void {
        const f = this.draft.frequency;
        if (f.kind === 'weekly')
            this.updateFrequency({ ...f, days: [...(event.detail.value ?? [])] });
    }

    handleDayChange(event: CustomEvent<{ value: string }>): void {
        const f = this.draft.frequency;
        if (f.kind === 'monthly') this.updateFrequency({ ...f, day: Number(event.detail.value) });
    }

    handleCronChange(event: CustomEvent<{ value: string }>): void {
        this.updateFrequency({ kind: 'cron', expression: event.detail.value ?? '' });
    }

    handleTimeZoneChange(event: CustomEvent<{ value: string }>): void {
        this.update({ timeZone: event.detail.value });
    }

    // ---- recipients ----

    get recipientPills(): { key: string; label: string; index: number }[] {
        return this.draft.recipients.map((r, index) => ({
            key: `${r.type}:${r.type === 'user' ? r.userId : r.address}`,
            label: r.type === 'user' ? (this.recipientNames[r.userId] ?? r.userId) : r.address,
            index
        }));
    }

    /** External addresses are refused unless the admin allowed them: say so before the user types one. */
    get showExternalOff(): boolean {
        return !this.allowExternalRecipients;
    }

    get hasRecipients(): boolean {
        return this.draft.recipients.length > 0;
    }

    async handleUserSearch(event: CustomEvent<{ value: string }>): Promise<void> {
        this.userSearch = event.detail.value ?? '';
        if (this.userSearch.trim().length < 2) {
            this.userMatches = [];
            return;
        }
        try {
            const answer = (await findUsers({ searchTerm: this.userSearch })) as
                | PickOption[]
                | null;
            this.userMatches = Array.isArray(answer) ? answer : [];
        } catch (error) {
            this.userMatches = [];
            this.formError = readableError(error);
        }
    }

    get userMatchViews(): (PickOption & { addLabel: string })[] {
        return this.userMatches.map((u) => ({ ...u, addLabel: formatLabel(addUserLabel, u.name) }));
    }

    handleAddUser(event: Event): void {
        const id = (event.currentTarget as HTMLElement).dataset.userId;
        const match = this.userMatches.find((u) => u.id === id);
        if (!match) return;
        if (!this.draft.recipients.some((r) => r.type === 'user' && r.userId === match.id)) {
            this.recipientNames = { ...this.recipientNames, [match.id]: match.name };
            this.update({
                recipients: [...this.draft.recipients, { type: 'user', userId: match.id }]
            });
        }
        this.userMatches = [];
        this.userSearch = '';
    }

    handleEmailChange(event: CustomEvent<{ value: string }>): void {
        this.emailToAdd = event.detail.value ?? '';
    }

    handleAddEmail(): void {
        const address = this.emailToAdd.trim();
        if (!address) return;
        if (!this.draft.recipients.some((r) => r.type === 'email' && r.address === address)) {
            this.update({ recipients: [...this.draft.recipients, { type: 'email', address }] });
        }
        this.emailToAdd = '';
    }

    handleRemoveRecipient(event: Event): void {
        const index = Number((event.currentTarget as HTMLElement).dataset.index);
        this.update({ recipients: this.draft.recipients.filter((_, i) => i !== index) });
    }

    handlePerRecipientChange(event: CustomEvent<{ checked: boolean }>): void {
        this.update({ perRecipient: event.detail.checked === true });
    }

    handleAiSummaryChange(event: CustomEvent<{ checked: boolean }>): void {
        this.update({ aiSummary: event.detail.checked === true });
    }

    // ---- problems at their fields ----

    problemsOf(...fields: ScheduleProblem['field'][]): string | undefined {
        const messages = this.problems
            .filter((p) => fields.includes(p.field))
            .map((p) => p.message);
        return messages.length > 0 ? messages.join(' ') : undefined;
    }

    get nameError(): string | undefined {
        return this.problemsOf('name');
    }
    get sourceError(): string | undefined {
        return this.problemsOf('sourceType', 'reportId', 'query', 'query.fields');
    }
    get formatError(): string | undefined {
        return this.problemsOf('format');
    }
    /** How many rows each format holds, beside the choice (the relay refuses a PDF above it). */
    get formatRowLimits(): string {
        return formatLabel(
            formatRowLimitsLabel,
            SCHEDULE_LIMITS.maxPdfRows.toLocaleString(),
            SCHEDULE_LIMITS.maxReportRows.toLocaleString()
        );
    }
    get frequencyError(): string | undefined {
        return this.problemsOf('frequency', 'frequency.time', 'frequency.days');
    }
    get timeZoneError(): string | undefined {
        return this.problemsOf('timeZone');
    }
    get recipientsError(): string | undefined {
        return this.problemsOf('recipients', 'perRecipient');
    }

    /** What is sent: the draft as the contract spells it (a report or a query, not both). */
    definition(): ReportScheduleDefinition {
        const d = this.draft;
        return d.sourceType === 'Report' ? { ...d, query: null } : { ...d, reportId: null };
    }

    async handleSave(): Promise<void> {
        if (this.isSaving) return;
        this.notice = undefined;
        this.formError = undefined;
        const definition = this.definition();
        this.problems = validateSchedule(definition, {
            allowExternalRecipients: this.allowExternalRecipients
        });
        if (this.problems.length > 0) {
            this.formError = fixProblemsLabel;
            return;
        }
        let next: string | null = null;
        if (definition.active) {
            try {
                next = nextRunAt(
                    definition.frequency,
                    definition.timeZone,
                    new Date()
                ).toISOString();
            } catch (error) {
                this.formError = formatLabel(nextRunFailedLabel, readableError(error));
                return;
            }
        }
        this.isSaving = true;
        try {
            const id = (await saveSchedule({
                definition: JSON.stringify(definition),
                nextRunAt: next
            })) as string;
            this.draft = { ...this.draft, id };
            this.notice = { variant: 'success', text: formatLabel(savedLabel, definition.name) };
        } catch (error) {
            // The form stays as typed: nothing is lost.
            this.formError = formatLabel(saveFailedLabel, readableError(error));
            return;
        } finally {
            this.isSaving = false;
        }
        await this.load();
    }

    // ---- preview ----

    async handlePreview(): Promise<void> {
        if (this.isPreviewing) return;
        this.preview = undefined;
        this.previewError = undefined;
        this.isPreviewing = true;
        try {
            const answer = (await previewRows({
                definition: JSON.stringify(this.definition())
            })) as PreviewResult;
            this.preview = {
                columns: answer?.columns ?? [],
                rows: answer?.rows ?? [],
                truncated: answer?.truncated === true
            };
        } catch (error) {
            this.previewError = formatLabel(previewFailedLabel, readableError(error));
        } finally {
            this.isPreviewing = false;
        }
    }

    get previewColumns(): object[] {
        return (this.preview?.columns ?? []).map((c) => ({
            label: c.label,
            fieldName: c.fieldName
        }));
    }

    get previewHasRows(): boolean {
        return (this.preview?.rows.length ?? 0) > 0;
    }

    get previewIsEmpty(): boolean {
        return this.preview !== undefined && !this.previewHasRows;
    }

    get previewNote(): string | undefined {
        return this.preview?.truncated
            ? formatLabel(previewTruncatedLabel, this.preview.rows.length)
            : undefined;
    }

    // ---- history ----

    /**
     * The open schedule's runs. `quiet` (the Run now watch) keeps the table in place while it
     * looks, instead of a spinner every few seconds; a failure is shown either way.
     */
    async loadRuns({ quiet = false }: { quiet?: boolean } = {}): Promise<boolean> {
        const scheduleId = this.draft.id;
        if (!scheduleId) return false;
        if (!quiet) this.runsLoading = true;
        this.runsError = undefined;
        try {
            const answer = (await listRuns({
                scheduleId,
                maxRows: RUNS_SHOWN
            })) as RunSummary[] | null;
            // The form moved on to another schedule while this was loading.
            if (this.draft.id !== scheduleId) return false;
            this.runs = Array.isArray(answer) ? answer : [];
            return true;
        } catch (error) {
            if (this.draft.id !== scheduleId) return false;
            this.runs = [];
            this.runsError = formatLabel(historyFailedLabel, readableError(error));
            return false;
        } finally {
            this.runsLoading = false;
        }
    }

    handleRefreshRuns(): void {
        this.runNotSeen = undefined;
        this.loadRuns();
    }

    /** Looks for the run Run now asked for until it has finished (see RUN_WATCH_LIMIT_MS). */
    private watchForRun(scheduleId: string): void {
        this.stopWatchingRun();
        this.runNotSeen = undefined;
        this.watchingRun = true;
        this.runWatch = {
            scheduleId,
            // The runs shown when Run now was asked; if they could not load, the watch looks again
            // first, so an old run is never taken for the new one.
            knownRunIds: new Set(this.runsError ? [] : this.runs.map((r) => r.id)),
            startedAt: Date.now(),
            looks: this.runsError ? -1 : 0
        };
        this.scheduleNextLook();
    }

    private scheduleNextLook(): void {
        const watch = this.runWatch;
        if (!watch) return;
        const delay =
            RUN_WATCH_DELAYS_MS[
                Math.min(Math.max(watch.looks, 0), RUN_WATCH_DELAYS_MS.length - 1)
            ]!;
        // eslint-disable-next-line @lwc/lwc/no-async-operation -- polling the org for the relay's run
        watch.timer = setTimeout(() => this.lookForRun(), watch.looks < 0 ? 0 : delay);
    }

    private async lookForRun(): Promise<void> {
        const watch = this.runWatch;
        if (!watch || this.draft.id !== watch.scheduleId) return;
        const loaded = await this.loadRuns({ quiet: true });
        if (this.runWatch !== watch) return;
        if (!loaded) {
            // The failure is on screen with Refresh; looking on would hide it again.
            this.stopWatchingRun();
            return;
        }
        if (watch.looks < 0) {
            for (const run of this.runs) watch.knownRunIds.add(run.id);
        } else if (
            this.runs.some((run) => !watch.knownRunIds.has(run.id) && run.status !== 'Running')
        ) {
            this.stopWatchingRun();
            return;
        }
        if (Date.now() - watch.startedAt >= RUN_WATCH_LIMIT_MS) {
            this.stopWatchingRun();
            this.runNotSeen = runNotSeenLabel;
            return;
        }
        watch.looks += 1;
        this.scheduleNextLook();
    }

    private stopWatchingRun(): void {
        if (this.runWatch?.timer) clearTimeout(this.runWatch.timer);
        this.runWatch = undefined;
        this.watchingRun = false;
    }

    get runsEmpty(): boolean {
        return !this.runsLoading && !this.runsError && this.runs.length === 0;
    }

    get runColumns(): object[] {
        return [
            { label: columnRunLabel, fieldName: 'name', initialWidth: 130 },
            { label: columnTriggerLabel, fieldName: 'triggeredBy', initialWidth: 110 },
            {
                label: columnStartedLabel,
                fieldName: 'startedAt',
                type: 'date',
                typeAttributes: {
                    year: 'numeric',
                    month: 'short',
                    day: '2-digit',
                    hour: '2-digit',
                    minute: '2-digit'
                }
            },
            { label: columnStatusLabel, fieldName: 'status', initialWidth: 110 },
            { label: columnRowsLabel, fieldName: 'rows', type: 'number', initialWidth: 90 },
            { label: columnErrorLabel, fieldName: 'error', wrapText: true },
            {
                type: 'action',
                typeAttributes: {
                    rowActions: (row: RunSummary, done: (actions: object[]) => void) =>
                        done([
                            { label: showStepsLabel, name: 'steps' },
                            { label: openFileLabel, name: 'file', disabled: !row.fileId }
                        ])
                }
            }
        ];
    }

    handleRunAction(event: CustomEvent<{ action: { name: string }; row: RunSummary }>): void {
        const { action, row } = event.detail;
        if (action.name === 'steps') {
            this.selectedRun = row;
        } else if (action.name === 'file' && row.fileId) {
            this[NavigationMixin.Navigate]({
                type: 'standard__namedPage',
                attributes: { pageName: 'filePreview' },
                state: { selectedRecordId: row.fileId }
            });
        }
    }

    get selectedRunSteps(): (RunStep & { key: string; text: string })[] {
        return (this.selectedRun?.steps ?? []).map((s, i) => ({
            ...s,
            key: `${i}`,
            text: `${s.step}: ${s.outcome}${s.detail ? ` (${s.detail})` : ''}`
        }));
    }

    get selectedRunTitle(): string {
        return this.selectedRun ? formatLabel(stepsLabel, this.selectedRun.name) : '';
    }

    // ---- notices ----

    get noticeClass(): string {
        return noticeClass(this.notice?.variant);
    }

    get noticeRole(): string {
        return noticeRole(this.notice?.variant);
    }

    get isBusy(): boolean {
        return this.isSaving;
    }
}

/* eslint-disable no-await-in-loop -- paging is sequential by design: each export page starts after
   the last page's last Id, each purge page deletes what the previous one left, and a retention
   run is polled until it ends. */
import { LightningElement, api } from 'lwc';
import currentUserId from '@salesforce/user/Id';
import hasManageTrustSettings from '@salesforce/customPermission/Resident_Manage_Trust_Settings';
import hasManageRelayConnection from '@salesforce/customPermission/Resident_Manage_Relay_Connection';

import getRelayConnection from '@salesforce/apex/RelayConnectionController.getRelayConnection';
import getRelaySession from '@salesforce/apex/RelayConnectionController.getRelaySession';
import getOrgKeyStatus from '@salesforce/apex/RelayOrgKeyController.getOrgKeyStatus';
import saveOrgKey from '@salesforce/apex/RelayOrgKeyController.saveOrgKey';
import rotateOrgKey from '@salesforce/apex/RelayOrgKeyController.rotateOrgKey';
import disconnectRelay from '@salesforce/apex/RelayOrgKeyController.disconnectRelay';
import getRetentionSettings from '@salesforce/apex/RetentionController.getRetentionSettings';
import saveRetentionSettings from '@salesforce/apex/RetentionController.saveRetentionSettings';
import getRetentionJob from '@salesforce/apex/RetentionController.getRetentionJob';
import scheduleRetentionJob from '@salesforce/apex/RetentionController.scheduleRetentionJob';
import unscheduleRetentionJob from '@salesforce/apex/RetentionController.unscheduleRetentionJob';
import runRetentionNow from '@salesforce/apex/RetentionController.runRetentionNow';
import getRetentionRun from '@salesforce/apex/RetentionController.getRetentionRun';
import listExportObjects from '@salesforce/apex/DataExportController.listExportObjects';
import exportPage from '@salesforce/apex/DataExportController.exportPage';
import exportKnowledgeOriginal from '@salesforce/apex/DataExportController.exportKnowledgeOriginal';
import recordExport from '@salesforce/apex/DataExportController.recordExport';
import getOrgId from '@salesforce/apex/DataExportController.getOrgId';
import getOrgName from '@salesforce/apex/DataPurgeController.getOrgName';
import purgePage from '@salesforce/apex/DataPurgeController.purgePage';
import recordPurge from '@salesforce/apex/DataPurgeController.recordPurge';
import getUsage from '@salesforce/apex/UsageController.getUsage';

import { checkRelayConnection, checkRelayHealth, RelayRequestError } from 'c/relayClient';
import type { RelayConnection, RelaySession, RelayStatus } from 'c/relayClient';
import type { RelayConnectionCheck } from 'c/relayContract';
import {
    defaultRetentionSettings,
    EXPORT_MAX_PAGE_SIZE,
    PACKAGE_DATA_OBJECTS,
    RETENTION_KINDS,
    RETENTION_MAX_DAYS,
    RETENTION_MIN_DAYS,
    SUBPROCESSORS,
    USAGE_MAX_MONTHS
} from 'c/trustCenterContract';
import type {
    ExportObjectInfo,
    ExportPage,
    KnowledgeOriginal,
    OrgKeyStatus,
    PurgePage,
    RetentionCounts,
    RetentionJobState,
    RetentionKind,
    RetentionProblem,
    RetentionRunState,
    RetentionSettings,
    UsageRow
} from 'c/trustCenterContract';
import { formatLabel, noticeClass, noticeRole, readableError } from 'c/userMessages';
import { ExportFileWriter } from './exportFileWriter';

import titleLabel from '@salesforce/label/c.Resident_TrustCenter_Title';
import loadingLabel from '@salesforce/label/c.Resident_TrustCenter_Loading';
import notPermittedLabel from '@salesforce/label/c.Resident_TrustCenter_NotPermitted';
import retryLabel from '@salesforce/label/c.Resident_TrustCenter_Retry';
import loadFailedLabel from '@salesforce/label/c.Resident_TrustCenter_LoadFailed';
import cancelLabel from '@salesforce/label/c.Resident_TrustCenter_Cancel';
import objectColumnLabel from '@salesforce/label/c.Resident_TrustCenter_ObjectColumn';
import rowsColumnLabel from '@salesforce/label/c.Resident_TrustCenter_RowsColumn';
import countLineLabel from '@salesforce/label/c.Resident_TrustCenter_CountLine';
import relayTitleLabel from '@salesforce/label/c.Resident_TrustCenter_RelayTitle';
import relayReachableLabel from '@salesforce/label/c.Resident_TrustCenter_RelayReachable';
import relayUnreachableLabel from '@salesforce/label/c.Resident_TrustCenter_RelayUnreachable';
import relayNotConfiguredLabel from '@salesforce/label/c.Resident_TrustCenter_RelayNotConfigured';
import keyConfiguredLabel from '@salesforce/label/c.Resident_TrustCenter_KeyConfigured';
import keyMissingLabel from '@salesforce/label/c.Resident_TrustCenter_KeyMissing';
import keyAcceptedLabel from '@salesforce/label/c.Resident_TrustCenter_KeyAccepted';
import keyRefusedLabel from '@salesforce/label/c.Resident_TrustCenter_KeyRefused';
import keyCheckingLabel from '@salesforce/label/c.Resident_TrustCenter_KeyChecking';
import keyNotCheckedLabel from '@salesforce/label/c.Resident_TrustCenter_KeyNotChecked';
import checkAgainLabel from '@salesforce/label/c.Resident_TrustCenter_CheckAgain';
import newKeyLabel from '@salesforce/label/c.Resident_TrustCenter_NewKey';
import newKeyHelpLabel from '@salesforce/label/c.Resident_TrustCenter_NewKeyHelp';
import newKeyRequiredLabel from '@salesforce/label/c.Resident_TrustCenter_NewKeyRequired';
import connectLabel from '@salesforce/label/c.Resident_TrustCenter_Connect';
import rotateLabel from '@salesforce/label/c.Resident_TrustCenter_Rotate';
import rotatedLabel from '@salesforce/label/c.Resident_TrustCenter_Rotated';
import rotateFailedLabel from '@salesforce/label/c.Resident_TrustCenter_RotateFailed';
import disconnectLabel from '@salesforce/label/c.Resident_TrustCenter_Disconnect';
import disconnectConfirmLabel from '@salesforce/label/c.Resident_TrustCenter_DisconnectConfirm';
import disconnectedLabel from '@salesforce/label/c.Resident_TrustCenter_Disconnected';
import disconnectFailedLabel from '@salesforce/label/c.Resident_TrustCenter_DisconnectFailed';
import retentionTitleLabel from '@salesforce/label/c.Resident_TrustCenter_RetentionTitle';
import retentionHelpLabel from '@salesforce/label/c.Resident_TrustCenter_RetentionHelp';
import retentionTasksLabel from '@salesforce/label/c.Resident_TrustCenter_RetentionTasks';
import retentionActivityLabel from '@salesforce/label/c.Resident_TrustCenter_RetentionActivity';
import retentionReportRunsLabel from '@salesforce/label/c.Resident_TrustCenter_RetentionReportRuns';
import retentionFeedbackLabel from '@salesforce/label/c.Resident_TrustCenter_RetentionFeedback';
import retentionKnowledgeLabel from '@salesforce/label/c.Resident_TrustCenter_RetentionKnowledge';
import retentionKnowledgeHelpLabel from '@salesforce/label/c.Resident_TrustCenter_RetentionKnowledgeHelp';
import retentionDaysHelpLabel from '@salesforce/label/c.Resident_TrustCenter_RetentionDaysHelp';
import retentionRangeLabel from '@salesforce/label/c.Resident_TrustCenter_RetentionRange';
import retentionFixLabel from '@salesforce/label/c.Resident_TrustCenter_RetentionFix';
import retentionSaveLabel from '@salesforce/label/c.Resident_TrustCenter_RetentionSave';
import retentionSavedLabel from '@salesforce/label/c.Resident_TrustCenter_RetentionSaved';
import retentionSaveFailedLabel from '@salesforce/label/c.Resident_TrustCenter_RetentionSaveFailed';
import jobTitleLabel from '@salesforce/label/c.Resident_TrustCenter_JobTitle';
import jobScheduledLabel from '@salesforce/label/c.Resident_TrustCenter_JobScheduled';
import jobNotScheduledLabel from '@salesforce/label/c.Resident_TrustCenter_JobNotScheduled';
import jobNextRunLabel from '@salesforce/label/c.Resident_TrustCenter_JobNextRun';
import jobLastRunLabel from '@salesforce/label/c.Resident_TrustCenter_JobLastRun';
import jobNeverRunLabel from '@salesforce/label/c.Resident_TrustCenter_JobNeverRun';
import jobStartedLabel from '@salesforce/label/c.Resident_TrustCenter_JobStarted';
import jobFinishedLabel from '@salesforce/label/c.Resident_TrustCenter_JobFinished';
import jobRunningLabel from '@salesforce/label/c.Resident_TrustCenter_JobRunning';
import jobNothingDeletedLabel from '@salesforce/label/c.Resident_TrustCenter_JobNothingDeleted';
import jobFailedLabel from '@salesforce/label/c.Resident_TrustCenter_JobFailed';
import jobStillRunningLabel from '@salesforce/label/c.Resident_TrustCenter_JobStillRunning';
import scheduleLabel from '@salesforce/label/c.Resident_TrustCenter_Schedule';
import unscheduleLabel from '@salesforce/label/c.Resident_TrustCenter_Unschedule';
import runNowLabel from '@salesforce/label/c.Resident_TrustCenter_RunNow';
import jobActionFailedLabel from '@salesforce/label/c.Resident_TrustCenter_JobActionFailed';
import exportTitleLabel from '@salesforce/label/c.Resident_TrustCenter_ExportTitle';
import exportHelpLabel from '@salesforce/label/c.Resident_TrustCenter_ExportHelp';
import exportLabel from '@salesforce/label/c.Resident_TrustCenter_Export';
import exportProgressLabel from '@salesforce/label/c.Resident_TrustCenter_ExportProgress';
import exportOriginalsProgressLabel from '@salesforce/label/c.Resident_TrustCenter_ExportOriginalsProgress';
import exportDoneLabel from '@salesforce/label/c.Resident_TrustCenter_ExportDone';
import exportSkippedLabel from '@salesforce/label/c.Resident_TrustCenter_ExportSkipped';
import exportFailedLabel from '@salesforce/label/c.Resident_TrustCenter_ExportFailed';
import exportNotRecordedLabel from '@salesforce/label/c.Resident_TrustCenter_ExportNotRecorded';
import exportDownloadLabel from '@salesforce/label/c.Resident_TrustCenter_ExportDownload';
import purgeTitleLabel from '@salesforce/label/c.Resident_TrustCenter_PurgeTitle';
import purgeHelpLabel from '@salesforce/label/c.Resident_TrustCenter_PurgeHelp';
import purgeTypeNameLabel from '@salesforce/label/c.Resident_TrustCenter_PurgeTypeName';
import purgeLabel from '@salesforce/label/c.Resident_TrustCenter_Purge';
import purgeConfirmLabel from '@salesforce/label/c.Resident_TrustCenter_PurgeConfirm';
import purgeConfirmButtonLabel from '@salesforce/label/c.Resident_TrustCenter_PurgeConfirmButton';
import purgeProgressLabel from '@salesforce/label/c.Resident_TrustCenter_PurgeProgress';
import purgeDoneLabel from '@salesforce/label/c.Resident_TrustCenter_PurgeDone';
import purgeStoppedLabel from '@salesforce/label/c.Resident_TrustCenter_PurgeStopped';
import purgeStuckLabel from '@salesforce/label/c.Resident_TrustCenter_PurgeStuck';
import purgeDeletedLabel from '@salesforce/label/c.Resident_TrustCenter_PurgeDeleted';
import purgeLeftLabel from '@salesforce/label/c.Resident_TrustCenter_PurgeLeft';
import purgeNotRecordedLabel from '@salesforce/label/c.Resident_TrustCenter_PurgeNotRecorded';
import purgeRecordedLabel from '@salesforce/label/c.Resident_TrustCenter_PurgeRecorded';
import usageTitleLabel from '@salesforce/label/c.Resident_TrustCenter_UsageTitle';
import usageHelpLabel from '@salesforce/label/c.Resident_TrustCenter_UsageHelp';
import usageMonthsLabel from '@salesforce/label/c.Resident_TrustCenter_UsageMonths';
import usageMonthsOptionLabel from '@salesforce/label/c.Resident_TrustCenter_UsageMonthsOption';
import usageEmptyLabel from '@salesforce/label/c.Resident_TrustCenter_UsageEmpty';
import usageMonthLabel from '@salesforce/label/c.Resident_TrustCenter_UsageMonth';
import usageUserLabel from '@salesforce/label/c.Resident_TrustCenter_UsageUser';
import usageTasksLabel from '@salesforce/label/c.Resident_TrustCenter_UsageTasks';
import usageToolCallsLabel from '@salesforce/label/c.Resident_TrustCenter_UsageToolCalls';
import usageDocumentsLabel from '@salesforce/label/c.Resident_TrustCenter_UsageDocuments';
import usageReportRunsLabel from '@salesforce/label/c.Resident_TrustCenter_UsageReportRuns';
import usageTokensLabel from '@salesforce/label/c.Resident_TrustCenter_UsageTokens';
import subprocessorsTitleLabel from '@salesforce/label/c.Resident_TrustCenter_SubprocessorsTitle';
import subprocessorsHelpLabel from '@salesforce/label/c.Resident_TrustCenter_SubprocessorsHelp';
import subprocessorRoleLabel from '@salesforce/label/c.Resident_TrustCenter_SubprocessorRole';
import subprocessorSeesLabel from '@salesforce/label/c.Resident_TrustCenter_SubprocessorSees';
import cloudflareRoleLabel from '@salesforce/label/c.Resident_Trust_SubprocessorCloudflareRole';
import cloudflareSeesLabel from '@salesforce/label/c.Resident_Trust_SubprocessorCloudflareSees';
import anthropicRoleLabel from '@salesforce/label/c.Resident_Trust_SubprocessorAnthropicRole';
import anthropicSeesLabel from '@salesforce/label/c.Resident_Trust_SubprocessorAnthropicSees';

/** How often the page asks whether a retention run has finished. */
const DEFAULT_POLL_INTERVAL_MS = 2000;
/** Polls before the page stops waiting and says the run is still going (about 20 minutes). */
const MAX_RETENTION_POLLS = 600;
/** Polls after "Completed" while the run's counts are still being logged. */
const MAX_POLLS_FOR_COUNTS = 5;
const FINISHED_STATUSES = new Set(['Completed', 'Failed', 'Aborted']);
/** The session scope the connection check asks for: the smallest one every org key can mint. */
const CONNECTION_CHECK_SCOPE = 'pdf';
const USAGE_MONTH_CHOICES = [1, 3, 6, 12].filter((m) => m <= USAGE_MAX_MONTHS);
const DEFAULT_USAGE_MONTHS = 3;

const RETENTION_LABELS: Record<RetentionKind, string> = {
    tasks: retentionTasksLabel,
    activity: retentionActivityLabel,
    reportRuns: retentionReportRunsLabel,
    feedback: retentionFeedbackLabel,
    knowledge: retentionKnowledgeLabel
};

/**
 * The subprocessors' Custom Labels, by the contract's name: a subprocessor added to the contract
 * without its labels fails to compile (a test checks the texts agree).
 */
const SUBPROCESSOR_LABELS: Record<
    (typeof SUBPROCESSORS)[number]['name'],
    { role: string; sees: string }
> = {
    Cloudflare: { role: cloudflareRoleLabel, sees: cloudflareSeesLabel },
    Anthropic: { role: anthropicRoleLabel, sees: anthropicSeesLabel }
};

type Notice = { variant: 'success' | 'warning' | 'error'; text: string };
type SectionNotice = (Notice & { className: string; role: string }) | undefined;

type KeyCheck =
    | { state: 'checking' }
    | { state: 'accepted'; check: RelayConnectionCheck }
    | { state: 'refused'; message: string }
    | { state: 'not_checked'; message: string };

interface Column {
    label: string;
    fieldName: string;
    type?: string;
}

interface CountLine {
    key: string;
    text: string;
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
        // Polling a batch job's status: there is no platform event for it the page could wait on.
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        setTimeout(resolve, ms);
    });
}

function withNotice(notice: Notice | undefined): SectionNotice {
    return notice
        ? { ...notice, className: noticeClass(notice.variant), role: noticeRole(notice.variant) }
        : undefined;
}

/** Whole days from the bounds, or a problem; an empty knowledge window means "until removed". */
function validateRetention(form: Record<RetentionKind, string>): {
    settings?: RetentionSettings;
    problems: RetentionProblem[];
} {
    const problems: RetentionProblem[] = [];
    const values: Partial<Record<RetentionKind, number | null>> = {};
    for (const { kind } of RETENTION_KINDS) {
        const text = (form[kind] ?? '').trim();
        if (text === '' && kind === 'knowledge') {
            values[kind] = null;
            continue;
        }
        const days = /^\d+$/.test(text) ? Number(text) : NaN;
        if (!Number.isInteger(days) || days < RETENTION_MIN_DAYS || days > RETENTION_MAX_DAYS) {
            problems.push({
                kind,
                message: formatLabel(retentionRangeLabel, RETENTION_MIN_DAYS, RETENTION_MAX_DAYS)
            });
            continue;
        }
        values[kind] = days;
    }
    if (problems.length > 0) return { problems };
    // Every kind has a value here: a number, or null for an empty knowledge window.
    return { problems, settings: values as RetentionSettings };
}

/** The form's text per kind; a window of null (knowledge kept until removed) is an empty field. */
function formOf(settings: RetentionSettings): Record<RetentionKind, string> {
    return Object.fromEntries(
        RETENTION_KINDS.map(({ kind }) => {
            const days: number | null = settings[kind];
            return [kind, days === null ? '' : String(days)];
        })
    ) as Record<RetentionKind, string>;
}

/**
 * The trust center for admins, one card per job: the relay connection (status, key rotation,
 * disconnect), retention windows and the retention job, JSON export of every row the package
 * stores, purge of all of it, usage per user per month, and the subprocessors. Each card loads and
 * fails on its own, so one unreachable service never hides the others. Controls appear only for
 * users with the custom permissions; Apex checks the same permissions again.
 */
export default class TrustCenter extends LightningElement {
    /** How often a running retention job is polled (ms). Not a design attribute: tests shorten it. */
    @api pollIntervalMs = DEFAULT_POLL_INTERVAL_MS;

    readonly canManageTrust = hasManageTrustSettings === true;
    readonly canManageRelay = hasManageRelayConnection === true;

    labels = {
        title: titleLabel,
        loading: loadingLabel,
        notPermitted: notPermittedLabel,
        retry: retryLabel,
        cancel: cancelLabel,
        relayTitle: relayTitleLabel,
        checkAgain: checkAgainLabel,
        newKey: newKeyLabel,
        newKeyHelp: newKeyHelpLabel,
        disconnect: disconnectLabel,
        disconnectConfirm: disconnectConfirmLabel,
        retentionTitle: retentionTitleLabel,
        retentionHelp: retentionHelpLabel,
        retentionSave: retentionSaveLabel,
        jobTitle: jobTitleLabel,
        schedule: scheduleLabel,
        unschedule: unscheduleLabel,
        runNow: runNowLabel,
        jobRunning: jobRunningLabel,
        jobNextRun: jobNextRunLabel,
        jobStarted: jobStartedLabel,
        jobFinished: jobFinishedLabel,
        jobNothingDeleted: jobNothingDeletedLabel,
        exportTitle: exportTitleLabel,
        exportHelp: exportHelpLabel,
        export: exportLabel,
        exportDownload: exportDownloadLabel,
        purgeTitle: purgeTitleLabel,
        purgeHelp: purgeHelpLabel,
        purge: purgeLabel,
        purgeConfirm: purgeConfirmLabel,
        purgeConfirmButton: purgeConfirmButtonLabel,
        purgeDeleted: purgeDeletedLabel,
        purgeLeft: purgeLeftLabel,
        usageTitle: usageTitleLabel,
        usageHelp: usageHelpLabel,
        usageMonths: usageMonthsLabel,
        subprocessorsTitle: subprocessorsTitleLabel,
        subprocessorsHelp: subprocessorsHelpLabel,
        subprocessorRole: subprocessorRoleLabel,
        subprocessorSees: subprocessorSeesLabel
    };

    /** Fixed for the page's life: the bounds of a retention window and the tables' columns. */
    readonly retentionMin = RETENTION_MIN_DAYS;
    readonly retentionMax = RETENTION_MAX_DAYS;
    readonly objectColumns: readonly Column[] = [
        { label: objectColumnLabel, fieldName: 'label' },
        { label: rowsColumnLabel, fieldName: 'rowCount', type: 'number' }
    ];
    readonly usageColumns: readonly Column[] = [
        { label: usageMonthLabel, fieldName: 'month' },
        { label: usageUserLabel, fieldName: 'userName' },
        { label: usageTasksLabel, fieldName: 'tasks', type: 'number' },
        { label: usageToolCallsLabel, fieldName: 'toolCalls', type: 'number' },
        { label: usageDocumentsLabel, fieldName: 'documents', type: 'number' },
        { label: usageReportRunsLabel, fieldName: 'reportRuns', type: 'number' },
        { label: usageTokensLabel, fieldName: 'tokens', type: 'number' }
    ];
    readonly usageMonthOptions: readonly { label: string; value: string }[] =
        USAGE_MONTH_CHOICES.map((months) => ({
            label: formatLabel(usageMonthsOptionLabel, months),
            value: String(months)
        }));

    // ---- relay connection ----
    relayLoading = false;
    relayLoadError?: string;
    relayConnection?: RelayConnection;
    keyStatus?: OrgKeyStatus;
    relayHealth?: RelayStatus;
    keyCheck?: KeyCheck;
    newKey = '';
    relayBusy = false;
    confirmingDisconnect = false;
    private relayNotice?: Notice;

    // ---- retention ----
    retentionLoading = false;
    retentionLoadError?: string;
    retentionForm: Record<RetentionKind, string> = formOf(defaultRetentionSettings());
    retentionSaving = false;
    private retentionNotice?: Notice;
    job?: RetentionJobState;
    jobBusy = false;
    /** The run this page started and is polling; once finished it is the job's `lastRun`. */
    activeRun?: RetentionRunState;
    private jobNotice?: Notice;
    private savedRetention?: RetentionSettings;

    // ---- export ----
    exportLoading = false;
    exportLoadError?: string;
    exportObjects: ExportObjectInfo[] = [];
    exporting = false;
    exportProgress = 0;
    exportProgressText = '';
    exportUrl?: string;
    exportFileName = '';
    private exportNotice?: Notice;

    // ---- purge ----
    orgName?: string;
    purgeNameTyped = '';
    confirmingPurge = false;
    purging = false;
    purgeProgress = 0;
    purgeProgressText = '';
    purgeDeletedLines: CountLine[] = [];
    purgeLeftLines: CountLine[] = [];
    private purgeNotice?: Notice;

    // ---- usage ----
    usageLoading = false;
    usageError?: string;
    usageRows: UsageRow[] = [];
    usageMonths = String(DEFAULT_USAGE_MONTHS);
    private usageLoaded = false;

    private connected = false;
    /** Field problems to show on the retention inputs after the next render. */
    private retentionProblems: RetentionProblem[] = [];

    override connectedCallback(): void {
        this.connected = true;
        if (this.canManageRelay) this.loadRelay();
        if (this.canManageTrust) {
            this.loadRetention();
            this.loadExportObjects();
            this.loadOrgName();
            this.loadUsage();
        }
    }

    override disconnectedCallback(): void {
        // Stops a poll loop; the running job itself carries on in the org.
        this.connected = false;
        if (this.exportUrl) URL.revokeObjectURL(this.exportUrl);
    }

    override renderedCallback(): void {
        if (this.retentionProblems.length === 0) return;
        const inputs =
            this.template?.querySelectorAll<HTMLElement & ValidityInput>(
                'lightning-input[data-kind]'
            ) ?? [];
        for (const input of inputs) {
            const problem = this.retentionProblems.find((p) => p.kind === input.dataset.kind);
            input.setCustomValidity(problem?.message ?? '');
            input.reportValidity();
        }
        this.retentionProblems = [];
    }

    get notPermitted(): boolean {
        return !this.canManageTrust && !this.canManageRelay;
    }

    // ================================================================================ relay

    async loadRelay(): Promise<void> {
        this.relayLoading = true;
        this.relayLoadError = undefined;
        try {
            const [connection, status] = await Promise.all([
                getRelayConnection() as Promise<RelayConnection>,
                getOrgKeyStatus() as Promise<OrgKeyStatus>
            ]);
            this.relayConnection = connection;
            this.keyStatus = status;
        } catch (error) {
            this.relayLoadError = formatLabel(loadFailedLabel, readableError(error));
            return;
        } finally {
            this.relayLoading = false;
        }
        await this.checkRelay();
    }

    /** Is the relay up, and does it accept a token signed with the key stored now? */
    async checkRelay(): Promise<void> {
        this.relayHealth = await checkRelayHealth(this.relayConnection?.relayUrl);
        if (!this.keyStatus?.configured) {
            this.keyCheck = { state: 'not_checked', message: keyMissingLabel };
            return;
        }
        if (this.relayHealth.state !== 'connected') {
            this.keyCheck = { state: 'not_checked', message: this.relayHealthText };
            return;
        }
        this.keyCheck = { state: 'checking' };
        try {
            const session = (await getRelaySession({
                scopes: [CONNECTION_CHECK_SCOPE]
            })) as RelaySession;
            const check = await checkRelayConnection(session);
            this.keyCheck = { state: 'accepted', check };
        } catch (error) {
            const message =
                error instanceof RelayRequestError && error.requestId
                    ? `${error.message} (${error.requestId})`
                    : readableError(error);
            this.keyCheck = { state: 'refused', message };
        }
    }

    handleCheckRelay(): void {
        this.loadRelay();
    }

    get relayReady(): boolean {
        return !this.relayLoading && !this.relayLoadError && this.relayConnection !== undefined;
    }

    get relayHealthText(): string {
        const health = this.relayHealth;
        if (!health) return keyCheckingLabel;
        if (health.state === 'connected') {
            return formatLabel(relayReachableLabel, this.relayConnection?.relayUrl ?? '');
        }
        if (health.state === 'not_configured') return relayNotConfiguredLabel;
        return formatLabel(
            relayUnreachableLabel,
            this.relayConnection?.relayUrl ?? '',
            health.detail
        );
    }

    get relayHealthIcon(): string {
        return this.relayHealth?.state === 'connected' ? 'utility:success' : 'utility:warning';
    }

    get relayHealthVariant(): string {
        return this.relayHealth?.state === 'connected' ? 'success' : 'warning';
    }

    get keyText(): string {
        return this.keyStatus?.configured
            ? formatLabel(keyConfiguredLabel, this.keyStatus.keyId ?? '')
            : keyMissingLabel;
    }

    get keyIcon(): string {
        return this.keyStatus?.configured ? 'utility:success' : 'utility:warning';
    }

    get keyVariant(): string {
        return this.keyStatus?.configured ? 'success' : 'warning';
    }

    get keyCheckText(): string {
        const check = this.keyCheck;
        if (!check || check.state === 'checking') return keyCheckingLabel;
        if (check.state === 'accepted') {
            return formatLabel(keyAcceptedLabel, check.check.keyId, check.check.orgId);
        }
        if (check.state === 'refused') return formatLabel(keyRefusedLabel, check.message);
        return formatLabel(keyNotCheckedLabel, check.message);
    }

    get keyCheckIcon(): string {
        const state = this.keyCheck?.state;
        if (state === 'accepted') return 'utility:success';
        if (state === 'refused') return 'utility:error';
        return 'utility:info';
    }

    get keyCheckVariant(): string {
        const state = this.keyCheck?.state;
        if (state === 'accepted') return 'success';
        if (state === 'refused') return 'error';
        return '';
    }

    get keyCheckState(): string {
        return this.keyCheck?.state ?? 'checking';
    }

    get keyConfigured(): boolean {
        return this.keyStatus?.configured === true;
    }

    get saveKeyLabel(): string {
        return this.keyConfigured ? rotateLabel : connectLabel;
    }

    get saveKeyDisabled(): boolean {
        return this.relayBusy;
    }

    get relayNoticeView(): SectionNotice {
        return withNotice(this.relayNotice);
    }

    handleNewKeyChange(event: CustomEvent<{ value: string }>): void {
        this.newKey = event.detail?.value ?? '';
        this.keyInput()?.setCustomValidity('');
    }

    private keyInput(): (HTMLElement & ValidityInput) | null {
        return this.template?.querySelector('lightning-input[data-id="new-key"]') ?? null;
    }

    /** Stores the pasted key: the first key connects the org, a later one rotates to it. */
    async handleSaveKey(): Promise<void> {
        const input = this.keyInput();
        const key = this.newKey.trim();
        if (key === '') {
            input?.setCustomValidity(newKeyRequiredLabel);
            input?.reportValidity();
            return;
        }
        const rotating = this.keyConfigured;
        this.relayBusy = true;
        this.relayNotice = undefined;
        try {
            const status = (await (rotating
                ? rotateOrgKey({ newOrgKey: key })
                : saveOrgKey({ orgKey: key }))) as OrgKeyStatus;
            this.keyStatus = status;
            this.newKey = '';
            this.relayNotice = {
                variant: 'success',
                text: formatLabel(rotatedLabel, status.keyId ?? '')
            };
        } catch (error) {
            // The Apex message says what is wrong with the key (format, same key id, permission).
            const message = readableError(error);
            input?.setCustomValidity(message);
            input?.reportValidity();
            this.relayNotice = { variant: 'error', text: formatLabel(rotateFailedLabel, message) };
            return;
        } finally {
            this.relayBusy = false;
        }
        // Apex just answered the key status: only the relay's verdict on the new key is unknown.
        await this.checkRelay();
    }

    handleDisconnect(): void {
        this.confirmingDisconnect = true;
        this.relayNotice = undefined;
    }

    handleCancelDisconnect(): void {
        this.confirmingDisconnect = false;
    }

    async handleConfirmDisconnect(): Promise<void> {
        this.relayBusy = true;
        try {
            this.keyStatus = (await disconnectRelay()) as OrgKeyStatus;
            this.relayNotice = { variant: 'success', text: disconnectedLabel };
        } catch (error) {
            this.relayNotice = {
                variant: 'error',
                text: formatLabel(disconnectFailedLabel, readableError(error))
            };
            return;
        } finally {
            this.relayBusy = false;
            this.confirmingDisconnect = false;
        }
        await this.checkRelay();
    }

    // ================================================================================ retention

    async loadRetention(): Promise<void> {
        this.retentionLoading = true;
        this.retentionLoadError = undefined;
        try {
            const [settings, job] = await Promise.all([
                getRetentionSettings() as Promise<RetentionSettings>,
                getRetentionJob() as Promise<RetentionJobState>
            ]);
            this.savedRetention = settings;
            this.retentionForm = formOf(settings);
            this.job = job;
        } catch (error) {
            this.retentionLoadError = formatLabel(loadFailedLabel, readableError(error));
        } finally {
            this.retentionLoading = false;
        }
    }

    handleRetryRetention(): void {
        this.loadRetention();
    }

    get retentionReady(): boolean {
        return !this.retentionLoading && !this.retentionLoadError && this.job !== undefined;
    }

    get retentionFields(): {
        kind: RetentionKind;
        label: string;
        value: string;
        help: string;
        required: boolean;
    }[] {
        return RETENTION_KINDS.map(({ kind }) => ({
            kind,
            label: RETENTION_LABELS[kind],
            value: this.retentionForm[kind],
            help:
                kind === 'knowledge'
                    ? retentionKnowledgeHelpLabel
                    : formatLabel(retentionDaysHelpLabel, RETENTION_MIN_DAYS, RETENTION_MAX_DAYS),
            required: kind !== 'knowledge'
        }));
    }

    get retentionNoticeView(): SectionNotice {
        return withNotice(this.retentionNotice);
    }

    handleRetentionChange(event: CustomEvent<{ value: string }>): void {
        const kind = (event.target as HTMLElement).dataset.kind as RetentionKind;
        this.retentionForm = { ...this.retentionForm, [kind]: String(event.detail?.value ?? '') };
        (event.target as HTMLElement & ValidityInput).setCustomValidity('');
    }

    async handleSaveRetention(): Promise<void> {
        const { settings, problems } = validateRetention(this.retentionForm);
        if (!settings) {
            this.retentionProblems = problems;
            this.retentionNotice = { variant: 'error', text: retentionFixLabel };
            return;
        }
        this.retentionSaving = true;
        this.retentionNotice = undefined;
        try {
            const saved = (await saveRetentionSettings({ settings })) as RetentionSettings;
            this.savedRetention = saved;
            this.retentionForm = formOf(saved);
            this.retentionNotice = { variant: 'success', text: retentionSavedLabel };
        } catch (error) {
            this.retentionNotice = {
                variant: 'error',
                text: formatLabel(retentionSaveFailedLabel, readableError(error))
            };
        } finally {
            this.retentionSaving = false;
        }
    }

    get jobScheduled(): boolean {
        return this.job?.scheduled === true;
    }

    get jobScheduledText(): string {
        const job = this.job;
        if (!job?.scheduled) return jobNotScheduledLabel;
        return formatLabel(jobScheduledLabel, job.cronExpression ?? '', job.scheduledByName ?? '');
    }

    get jobNextRunAt(): string | null {
        return this.job?.nextRunAt ?? null;
    }

    /** The run to show: the one this page is following, else the job's last run. */
    get shownRun(): RetentionRunState | null {
        return this.activeRun ?? this.job?.lastRun ?? null;
    }

    get hasShownRun(): boolean {
        return this.shownRun !== null;
    }

    get runStatusText(): string {
        const run = this.shownRun;
        if (!run) return jobNeverRunLabel;
        return formatLabel(jobLastRunLabel, run.status);
    }

    get runIsRunning(): boolean {
        const run = this.shownRun;
        return run !== null && !FINISHED_STATUSES.has(run.status);
    }

    get runErrorText(): string | null {
        const run = this.shownRun;
        return run?.error ? formatLabel(jobFailedLabel, run.error) : null;
    }

    get runCountLines(): CountLine[] {
        return this.countLines(this.shownRun?.counts ?? null);
    }

    get runDeletedNothing(): boolean {
        const run = this.shownRun;
        return (
            run !== null &&
            run.status === 'Completed' &&
            run.counts !== null &&
            this.runCountLines.length === 0
        );
    }

    get jobNoticeView(): SectionNotice {
        return withNotice(this.jobNotice);
    }

    get jobButtonsDisabled(): boolean {
        return this.jobBusy || this.runIsRunning;
    }

    async handleSchedule(): Promise<void> {
        await this.jobAction(() => scheduleRetentionJob() as Promise<RetentionJobState>);
    }

    async handleUnschedule(): Promise<void> {
        await this.jobAction(() => unscheduleRetentionJob() as Promise<RetentionJobState>);
    }

    private async jobAction(action: () => Promise<RetentionJobState>): Promise<void> {
        this.jobBusy = true;
        this.jobNotice = undefined;
        try {
            this.job = await action();
        } catch (error) {
            this.jobNotice = {
                variant: 'error',
                text: formatLabel(jobActionFailedLabel, readableError(error))
            };
        } finally {
            this.jobBusy = false;
        }
    }

    /** Starts the batch now and follows it until it finishes, then shows what it deleted. */
    async handleRunNow(): Promise<void> {
        this.jobBusy = true;
        this.jobNotice = undefined;
        let jobId: string;
        try {
            jobId = (await runRetentionNow()) as string;
        } catch (error) {
            this.jobBusy = false;
            this.jobNotice = {
                variant: 'error',
                text: formatLabel(jobActionFailedLabel, readableError(error))
            };
            return;
        }
        this.activeRun = {
            jobId,
            status: 'Queued',
            startedAt: new Date().toISOString(),
            finishedAt: null,
            counts: null,
            error: null
        };
        this.jobBusy = false;
        await this.followRun(jobId);
    }

    private async followRun(jobId: string): Promise<void> {
        let pollsForCounts = 0;
        for (let poll = 0; poll < MAX_RETENTION_POLLS; poll++) {
            await sleep(this.pollIntervalMs);
            if (!this.connected) return;
            let run: RetentionRunState;
            try {
                run = (await getRetentionRun({ jobId })) as RetentionRunState;
            } catch (error) {
                this.jobNotice = {
                    variant: 'error',
                    text: formatLabel(jobActionFailedLabel, readableError(error))
                };
                return;
            }
            this.activeRun = run;
            if (FINISHED_STATUSES.has(run.status)) {
                const waitingForCounts = run.status === 'Completed' && run.counts === null;
                if (!waitingForCounts || ++pollsForCounts >= MAX_POLLS_FOR_COUNTS) {
                    this.finishRun(run);
                    return;
                }
            }
        }
        this.jobNotice = { variant: 'warning', text: jobStillRunningLabel };
    }

    /**
     * The finished run is now the job's last run: shown from the poll's own answer (asking for the
     * job again would tell nothing new: a manual run changes neither the schedule nor the next
     * run). The rows it deleted change the export's counts, so those are read again.
     */
    private finishRun(run: RetentionRunState): void {
        if (this.job) {
            this.job = { ...this.job, lastRun: run };
            this.activeRun = undefined;
        }
        this.loadExportObjects();
    }

    // ================================================================================ export

    async loadExportObjects(): Promise<void> {
        this.exportLoading = true;
        this.exportLoadError = undefined;
        try {
            this.exportObjects = (await listExportObjects()) as ExportObjectInfo[];
        } catch (error) {
            this.exportLoadError = formatLabel(loadFailedLabel, readableError(error));
        } finally {
            this.exportLoading = false;
        }
    }

    handleRetryExport(): void {
        this.loadExportObjects();
    }

    get exportReady(): boolean {
        return !this.exportLoading && !this.exportLoadError;
    }

    get exportDisabled(): boolean {
        return this.exporting || this.purging || this.exportObjects.length === 0;
    }

    get exportNoticeView(): SectionNotice {
        return withNotice(this.exportNotice);
    }

    private objectLabel(objectApiName: string): string {
        return (
            this.exportObjects.find((o) => o.objectApiName === objectApiName)?.label ??
            objectApiName
        );
    }

    private countLines(counts: RetentionCounts | null): CountLine[] {
        if (!counts) return [];
        return PACKAGE_DATA_OBJECTS.filter((name) => (counts[name] ?? 0) > 0).map((name) => ({
            key: name,
            text: formatLabel(countLineLabel, this.objectLabel(name), counts[name] ?? 0)
        }));
    }

    /**
     * Pages every object (parents first), then each knowledge document's original File, into one
     * JSON file the browser downloads; logs the export once the file is complete.
     */
    async handleExport(): Promise<void> {
        this.exporting = true;
        this.exportNotice = undefined;
        this.exportProgress = 0;
        if (this.exportUrl) {
            URL.revokeObjectURL(this.exportUrl);
            this.exportUrl = undefined;
        }
        const counts: RetentionCounts = {};
        const documentIds: string[] = [];
        const expectedRows = Math.max(
            1,
            this.exportObjects.reduce((sum, o) => sum + o.rowCount, 0)
        );
        let rowsDone = 0;
        let blob: Blob;
        const skipped: string[] = [];
        try {
            const [orgId, retention] = await Promise.all([
                getOrgId() as Promise<string>,
                this.savedRetention
                    ? Promise.resolve(this.savedRetention)
                    : (getRetentionSettings() as Promise<RetentionSettings>)
            ]);
            const writer = new ExportFileWriter({
                orgId,
                exportedAt: new Date().toISOString(),
                exportedByUserId: currentUserId,
                retention
            });
            const parentsFirst = [...PACKAGE_DATA_OBJECTS].reverse();
            for (const objectApiName of parentsFirst) {
                writer.beginObject(objectApiName);
                counts[objectApiName] = 0;
                let afterId: string | null = null;
                do {
                    this.exportProgressText = formatLabel(
                        exportProgressLabel,
                        this.objectLabel(objectApiName),
                        rowsDone,
                        expectedRows
                    );
                    const page = (await exportPage({
                        objectApiName,
                        afterId,
                        pageSize: EXPORT_MAX_PAGE_SIZE
                    })) as ExportPage;
                    writer.addRows(page.rows);
                    counts[objectApiName] = (counts[objectApiName] ?? 0) + page.rows.length;
                    if (objectApiName === 'Resident_Knowledge_Document__c') {
                        // Only a document made from a file names one (Source_File_Id__c, in the
                        // row): typed-in text has no original beyond its chunks, so no Apex call.
                        for (const row of page.rows) {
                            if (String(row.Source_File_Id__c ?? '').trim() !== '') {
                                documentIds.push(String(row.Id));
                            }
                        }
                    }
                    rowsDone += page.rows.length;
                    this.exportProgress = Math.min(95, Math.round((rowsDone / expectedRows) * 95));
                    afterId = page.nextAfterId;
                } while (afterId);
                writer.endObject();
            }
            for (const [index, documentId] of documentIds.entries()) {
                this.exportProgressText = formatLabel(
                    exportOriginalsProgressLabel,
                    index + 1,
                    documentIds.length
                );
                const original = (await exportKnowledgeOriginal({
                    documentId
                })) as KnowledgeOriginal | null;
                if (original) {
                    writer.addKnowledgeOriginal(original);
                    if (original.base64 === null) {
                        skipped.push(
                            `${original.fileName}: ${original.skippedReason ?? ''}`.trim()
                        );
                    }
                }
            }
            blob = writer.finish();
        } catch (error) {
            this.exporting = false;
            this.exportProgressText = '';
            this.exportNotice = {
                variant: 'error',
                text: formatLabel(exportFailedLabel, readableError(error))
            };
            return;
        }
        this.exportProgress = 100;
        this.exportFileName = `resident-export-${new Date().toISOString().slice(0, 10)}.json`;
        this.exportUrl = URL.createObjectURL(blob);
        this.exporting = false;
        this.exportProgressText = '';
        const total = Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0);
        const notices: string[] = [formatLabel(exportDoneLabel, total)];
        if (skipped.length > 0) notices.push(formatLabel(exportSkippedLabel, skipped.join('; ')));
        try {
            await recordExport({ counts });
        } catch (error) {
            notices.push(formatLabel(exportNotRecordedLabel, readableError(error)));
        }
        this.exportNotice = {
            variant: notices.length > 1 ? 'warning' : 'success',
            text: notices.join(' ')
        };
        // The link renders with the notice; clicking it starts the browser's download.
        await Promise.resolve();
        this.template?.querySelector<HTMLAnchorElement>('a[data-id="export-download"]')?.click();
    }

    // ================================================================================ purge

    async loadOrgName(): Promise<void> {
        try {
            this.orgName = (await getOrgName()) as string;
        } catch (error) {
            this.purgeNotice = {
                variant: 'error',
                text: formatLabel(loadFailedLabel, readableError(error))
            };
        }
    }

    get purgeTypeNameText(): string {
        return formatLabel(purgeTypeNameLabel, this.orgName ?? '');
    }

    get purgeDisabled(): boolean {
        return (
            this.orgName === undefined ||
            this.purgeNameTyped.trim() !== this.orgName.trim() ||
            this.purging ||
            this.exporting
        );
    }

    get purgeNoticeView(): SectionNotice {
        return withNotice(this.purgeNotice);
    }

    get hasPurgeDeleted(): boolean {
        return this.purgeDeletedLines.length > 0;
    }

    get hasPurgeLeft(): boolean {
        return this.purgeLeftLines.length > 0;
    }

    handlePurgeNameChange(event: CustomEvent<{ value: string }>): void {
        this.purgeNameTyped = event.detail?.value ?? '';
        this.confirmingPurge = false;
    }

    handlePurge(): void {
        if (this.purgeDisabled) return;
        this.confirmingPurge = true;
        this.purgeNotice = undefined;
    }

    handleCancelPurge(): void {
        this.confirmingPurge = false;
    }

    /**
     * Deletes every object's rows, children first, page by page; stops at the first failure and
     * says what was deleted and what is left. The purge is logged either way, so the audit trail
     * shows who deleted what even when it stopped halfway.
     */
    async handleConfirmPurge(): Promise<void> {
        const confirmOrgName = this.purgeNameTyped.trim();
        this.confirmingPurge = false;
        this.purging = true;
        this.purgeProgress = 0;
        this.purgeDeletedLines = [];
        this.purgeLeftLines = [];
        const deleted: RetentionCounts = {};
        const expected = Math.max(
            1,
            this.exportObjects.reduce((sum, o) => sum + o.rowCount, 0)
        );
        let done = 0;
        let failure: string | undefined;
        try {
            for (const objectApiName of PACKAGE_DATA_OBJECTS) {
                let remaining = 1;
                while (remaining > 0) {
                    this.purgeProgressText = formatLabel(
                        purgeProgressLabel,
                        this.objectLabel(objectApiName),
                        done
                    );
                    const page = (await purgePage({ objectApiName, confirmOrgName })) as PurgePage;
                    deleted[objectApiName] = (deleted[objectApiName] ?? 0) + page.deleted;
                    done += page.deleted;
                    this.purgeProgress = Math.min(99, Math.round((done / expected) * 100));
                    if (page.deleted === 0 && page.remaining > 0) {
                        // Rows this admin cannot delete (sharing, permissions): never loop forever.
                        throw new Error(
                            formatLabel(
                                purgeStuckLabel,
                                this.objectLabel(objectApiName),
                                page.remaining
                            )
                        );
                    }
                    remaining = page.remaining;
                }
            }
        } catch (error) {
            failure = readableError(error);
        }
        this.purging = false;
        this.purgeProgressText = '';
        this.purgeDeletedLines = this.countLines(deleted);
        let notRecorded: string | undefined;
        if (done > 0 || !failure) {
            try {
                await recordPurge({ counts: deleted });
            } catch (error) {
                notRecorded = formatLabel(purgeNotRecordedLabel, readableError(error));
            }
        }
        await this.loadExportObjects();
        if (failure) {
            this.purgeLeftLines = this.countLines(
                Object.fromEntries(
                    this.exportObjects.map((o) => [o.objectApiName, o.rowCount])
                ) as RetentionCounts
            );
            this.purgeNotice = {
                variant: 'error',
                text: [formatLabel(purgeStoppedLabel, failure), notRecorded]
                    .filter(Boolean)
                    .join(' ')
            };
            return;
        }
        this.purgeProgress = 100;
        this.purgeNameTyped = '';
        // Either the purge is on the record or the admin is told it is not: never both.
        this.purgeNotice = {
            variant: notRecorded ? 'warning' : 'success',
            text: `${formatLabel(purgeDoneLabel, done)} ${notRecorded ?? purgeRecordedLabel}`
        };
        this.loadUsage();
    }

    // ================================================================================ usage

    async loadUsage(): Promise<void> {
        this.usageLoading = true;
        this.usageError = undefined;
        try {
            this.usageRows = (await getUsage({ months: Number(this.usageMonths) })) as UsageRow[];
            this.usageLoaded = true;
        } catch (error) {
            this.usageError = formatLabel(loadFailedLabel, readableError(error));
        } finally {
            this.usageLoading = false;
        }
    }

    handleUsageMonthsChange(event: CustomEvent<{ value: string }>): void {
        this.usageMonths = event.detail?.value ?? String(DEFAULT_USAGE_MONTHS);
        this.loadUsage();
    }

    handleRetryUsage(): void {
        this.loadUsage();
    }

    get usageTableRows(): (UsageRow & { key: string })[] {
        return this.usageRows.map((row) => ({ ...row, key: `${row.month}:${row.userId}` }));
    }

    get usageEmpty(): boolean {
        return this.usageLoaded && !this.usageLoading && this.usageRows.length === 0;
    }

    get hasUsageRows(): boolean {
        return this.usageRows.length > 0 && !this.usageLoading;
    }

    get usageEmptyText(): string {
        return formatLabel(usageEmptyLabel, this.usageMonths);
    }

    // ================================================================================ subprocessors

    get subprocessors(): { name: string; url: string; role: string; sees: string }[] {
        return SUBPROCESSORS.map((s) => ({
            name: s.name,
            url: s.url,
            role: SUBPROCESSOR_LABELS[s.name].role,
            sees: SUBPROCESSOR_LABELS[s.name].sees
        }));
    }
}

/** The validity API of lightning-input. */
interface ValidityInput {
    setCustomValidity(message: string): void;
    reportValidity(): boolean;
}

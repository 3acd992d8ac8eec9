import { LightningElement, api, wire } from 'lwc';
import { createRecord, getRecord, updateRecord } from 'lightning/uiRecordApi';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import { MessageContext, publish } from 'lightning/messageService';
import type { MessageContextType } from 'lightning/messageService';
import ACTIVITY_LOGGED from '@salesforce/messageChannel/Resident_Activity_Logged__c';
import getRelayConnection from '@salesforce/apex/RelayConnectionController.getRelayConnection';
import getRelaySession from '@salesforce/apex/RelayConnectionController.getRelaySession';
import getCoworker from '@salesforce/apex/CoworkerController.getCoworker';
import listTasks from '@salesforce/apex/CoworkerTaskController.listTasks';
import getTask from '@salesforce/apex/CoworkerTaskController.getTask';
import createTask from '@salesforce/apex/CoworkerTaskController.createTask';
import saveTask from '@salesforce/apex/CoworkerTaskController.saveTask';
import logActivity from '@salesforce/apex/ActivityLogController.logActivity';
import saveFeedback from '@salesforce/apex/FeedbackController.saveFeedback';
import runQuery from '@salesforce/apex/CoworkerDataController.runQuery';
import searchRecords from '@salesforce/apex/CoworkerDataController.searchRecords';
import findChunks from '@salesforce/apex/KnowledgeController.findChunks';
import getOrgHealth from '@salesforce/apex/OrgHealthController.getOrgHealth';
import { checkRelayHealth } from 'c/relayClient';
import type { RelayConnection, RelayStatus } from 'c/relayClient';
import { CoworkerSession } from 'c/coworkerSession';
import { formatLabel, readableError } from 'c/userMessages';
import type { CoworkerApex } from 'c/coworkerSession';
import type { ObjectInfoLike, RecordLike, ToolHost } from 'c/coworkerTools';
import type {
    CoworkerDefinition,
    CoworkerError,
    DisplayMessage,
    FeedbackRating,
    KnowledgeChunk,
    OrgHealth,
    QueryResult,
    SearchResult,
    SessionState,
    TaskDetail,
    TaskSummary,
    ToolCard,
    ToolName
} from 'c/coworkerContract';

import titleLabel from '@salesforce/label/c.Resident_CoworkerPanel_Title';
import checkingLabel from '@salesforce/label/c.Resident_RelayStatus_Checking';
import connectedLabel from '@salesforce/label/c.Resident_RelayStatus_Connected';
import unreachableLabel from '@salesforce/label/c.Resident_RelayStatus_Unreachable';
import notConfiguredLabel from '@salesforce/label/c.Resident_RelayStatus_NotConfigured';
import notConnectedLabel from '@salesforce/label/c.Resident_RelayStatus_NotConnected';
import relayAnswersLabel from '@salesforce/label/c.Resident_RelayStatus_RelayAnswers';
import alsoUnreachableLabel from '@salesforce/label/c.Resident_RelayStatus_AlsoUnreachable';
import settingsFailedLabel from '@salesforce/label/c.Resident_RelayStatus_SettingsFailed';
import detailLabel from '@salesforce/label/c.Resident_RelayStatus_Detail';
import modelMissingLabel from '@salesforce/label/c.Resident_Model_NotConfigured';
import modelCustomLabel from '@salesforce/label/c.Resident_Model_CustomUpstream';
import retryLabel from '@salesforce/label/c.Resident_Action_CheckAgain';
import recordContextLabel from '@salesforce/label/c.Resident_CoworkerPanel_RecordContext';
import homeContextLabel from '@salesforce/label/c.Resident_CoworkerPanel_HomeContext';
import tasksLabel from '@salesforce/label/c.Resident_CoworkerPanel_Tasks';
import newTaskLabel from '@salesforce/label/c.Resident_CoworkerPanel_NewTask';
import noTasksLabel from '@salesforce/label/c.Resident_CoworkerPanel_NoTasks';
import loadingTasksLabel from '@salesforce/label/c.Resident_CoworkerPanel_LoadingTasks';
import tasksFailedLabel from '@salesforce/label/c.Resident_CoworkerPanel_TasksFailed';
import loadingTaskLabel from '@salesforce/label/c.Resident_CoworkerPanel_LoadingTask';
import taskFailedLabel from '@salesforce/label/c.Resident_CoworkerPanel_TaskFailed';
import allTasksLabel from '@salesforce/label/c.Resident_CoworkerPanel_AllTasks';
import loadingCoworkerLabel from '@salesforce/label/c.Resident_CoworkerPanel_LoadingCoworker';
import coworkerFailedLabel from '@salesforce/label/c.Resident_CoworkerPanel_CoworkerFailed';
import messageLabel from '@salesforce/label/c.Resident_CoworkerPanel_Message';
import messagePlaceholderLabel from '@salesforce/label/c.Resident_CoworkerPanel_MessagePlaceholder';
import sendLabel from '@salesforce/label/c.Resident_CoworkerPanel_Send';
import stopLabel from '@salesforce/label/c.Resident_CoworkerPanel_Stop';
import youLabel from '@salesforce/label/c.Resident_CoworkerPanel_You';
import conversationLabel from '@salesforce/label/c.Resident_CoworkerPanel_Conversation';
import sendingLabel from '@salesforce/label/c.Resident_CoworkerPanel_Sending';
import replyingLabel from '@salesforce/label/c.Resident_CoworkerPanel_Replying';
import runningToolLabel from '@salesforce/label/c.Resident_CoworkerPanel_RunningTool';
import waitingApprovalLabel from '@salesforce/label/c.Resident_CoworkerPanel_WaitingApproval';
import replyDoneLabel from '@salesforce/label/c.Resident_CoworkerPanel_ReplyDone';
import emptyChatLabel from '@salesforce/label/c.Resident_CoworkerPanel_EmptyChat';
import toolRunningLabel from '@salesforce/label/c.Resident_CoworkerPanel_ToolRunning';
import toolSucceededLabel from '@salesforce/label/c.Resident_CoworkerPanel_ToolSucceeded';
import toolFailedLabel from '@salesforce/label/c.Resident_CoworkerPanel_ToolFailed';
import toolAwaitingLabel from '@salesforce/label/c.Resident_CoworkerPanel_ToolAwaiting';
import toolRejectedLabel from '@salesforce/label/c.Resident_CoworkerPanel_ToolRejected';
import toolUndoneLabel from '@salesforce/label/c.Resident_CoworkerPanel_ToolUndone';
import queryRecordsLabel from '@salesforce/label/c.Resident_CoworkerTool_QueryRecords';
import searchRecordsLabel from '@salesforce/label/c.Resident_CoworkerTool_SearchRecords';
import describeObjectLabel from '@salesforce/label/c.Resident_CoworkerTool_DescribeObject';
import getRecordLabel from '@salesforce/label/c.Resident_CoworkerTool_GetRecord';
import createRecordLabel from '@salesforce/label/c.Resident_CoworkerTool_CreateRecord';
import updateRecordLabel from '@salesforce/label/c.Resident_CoworkerTool_UpdateRecord';
import searchKnowledgeLabel from '@salesforce/label/c.Resident_CoworkerTool_SearchKnowledge';
import orgHealthLabel from '@salesforce/label/c.Resident_CoworkerTool_OrgHealth';
import createTitleLabel from '@salesforce/label/c.Resident_CoworkerPanel_CreateTitle';
import updateTitleLabel from '@salesforce/label/c.Resident_CoworkerPanel_UpdateTitle';
import changesTitleLabel from '@salesforce/label/c.Resident_CoworkerPanel_ChangesTitle';
import changesCaptionLabel from '@salesforce/label/c.Resident_CoworkerPanel_ChangesCaption';
import fieldLabel from '@salesforce/label/c.Resident_CoworkerPanel_Field';
import beforeLabel from '@salesforce/label/c.Resident_CoworkerPanel_Before';
import afterLabel from '@salesforce/label/c.Resident_CoworkerPanel_After';
import emptyValueLabel from '@salesforce/label/c.Resident_CoworkerPanel_EmptyValue';
import approveLabel from '@salesforce/label/c.Resident_CoworkerPanel_Approve';
import rejectLabel from '@salesforce/label/c.Resident_CoworkerPanel_Reject';
import approveHelpLabel from '@salesforce/label/c.Resident_CoworkerPanel_ApproveHelp';
import rejectedLabel from '@salesforce/label/c.Resident_CoworkerPanel_Rejected';
import approvedLabel from '@salesforce/label/c.Resident_CoworkerPanel_Approved';
import autoApprovedLabel from '@salesforce/label/c.Resident_CoworkerPanel_AutoApproved';
import requestIdLabel from '@salesforce/label/c.Resident_CoworkerPanel_RequestId';
import tryAgainLabel from '@salesforce/label/c.Resident_CoworkerPanel_TryAgain';
import dismissLabel from '@salesforce/label/c.Resident_CoworkerPanel_Dismiss';
import helpfulLabel from '@salesforce/label/c.Resident_CoworkerPanel_Helpful';
import notHelpfulLabel from '@salesforce/label/c.Resident_CoworkerPanel_NotHelpful';
import feedbackSavedLabel from '@salesforce/label/c.Resident_CoworkerPanel_FeedbackSaved';
import feedbackFailedLabel from '@salesforce/label/c.Resident_CoworkerPanel_FeedbackFailed';
import whatWasSentLabel from '@salesforce/label/c.Resident_CoworkerPanel_WhatWasSent';
import hideWhatWasSentLabel from '@salesforce/label/c.Resident_CoworkerPanel_HideWhatWasSent';
import whatWasSentHelpLabel from '@salesforce/label/c.Resident_CoworkerPanel_WhatWasSentHelp';
import nothingSentLabel from '@salesforce/label/c.Resident_CoworkerPanel_NothingSent';
import aiDisabledLabel from '@salesforce/label/c.Resident_CoworkerError_AiDisabled';
import salesforceTimeoutLabel from '@salesforce/label/c.Resident_CoworkerPanel_SalesforceTimeout';

/** Bounds of the height an admin may set in Lightning App Builder, in pixels. */
export const MIN_HEIGHT = 240;
export const MAX_HEIGHT = 1200;
export const DEFAULT_HEIGHT = 480;
/** How long the panel waits for Lightning Data Service to answer a tool's read. */
export const LDS_TIMEOUT_MS = 15_000;

type PanelState =
    | 'checking'
    | 'connected'
    | 'unreachable'
    | 'not_configured'
    /** The relay is configured but the org key is not stored: no session can be minted yet. */
    | 'not_connected'
    | 'settings_failed';

const TOOL_LABELS: Record<ToolName, string> = {
    query_records: queryRecordsLabel,
    search_records: searchRecordsLabel,
    describe_object: describeObjectLabel,
    get_record: getRecordLabel,
    create_record: createRecordLabel,
    update_record: updateRecordLabel,
    search_knowledge: searchKnowledgeLabel,
    org_health: orgHealthLabel
};

const CARD_STATUS: Record<ToolCard['status'], { label: string; icon: string; variant: string }> = {
    running: { label: toolRunningLabel, icon: 'utility:sync', variant: '' },
    succeeded: { label: toolSucceededLabel, icon: 'utility:success', variant: 'success' },
    failed: { label: toolFailedLabel, icon: 'utility:error', variant: 'error' },
    awaiting_approval: { label: toolAwaitingLabel, icon: 'utility:warning', variant: 'warning' },
    rejected: { label: toolRejectedLabel, icon: 'utility:ban', variant: '' },
    undone: { label: toolUndoneLabel, icon: 'utility:undo', variant: '' }
};

/** A field value as the diff shows it: text, never markup; empty values say so. */
function shownValue(value: unknown): string {
    if (value === null || value === undefined || value === '') return emptyValueLabel;
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
}

interface CardView {
    key: string;
    toolUseId: string;
    toolLabel: string;
    target: string;
    summary: string;
    statusLabel: string;
    iconName: string;
    iconVariant: string;
    isAwaiting: boolean;
    isRejected: boolean;
    showDiff: boolean;
    diffTitle: string;
    rows: { key: string; label: string; before: string; after: string }[];
    decisionNote: string;
}

interface MessageView {
    key: string;
    index: number;
    isUser: boolean;
    author: string;
    text: string;
    itemClass: string;
    cards: CardView[];
    hasCards: boolean;
    rateable: boolean;
    ratedUp: boolean;
    ratedDown: boolean;
    feedbackNote: string;
}

/** A read bridged from a reactive @wire: resolved when the adapter answers for it. */
interface PendingRead<T> {
    key: string;
    resolve: (value: T) => void;
    reject: (error: Error) => void;
    timer: ReturnType<typeof setTimeout>;
}

/**
 * The AI coworker's panel on record, app and home pages: the user's tasks, the chat with streamed
 * replies, tool cards, approvals of proposed writes, feedback and what was sent. It also checks
 * that the Resident relay answers, and says who answers for the model.
 */
export default class CoworkerPanel extends LightningElement {
    /** Set by the platform on a record page: the record the coworker works on. */
    @api recordId?: string;
    @api objectApiName?: string;
    /** Design attribute: which coworker (an admin-defined role) this panel talks to. */
    @api coworkerName?: string;
    /** Design attribute: the panel's height in pixels. */
    @api height?: number | string;

    /** Lightning Message Service: tells other Resident components on the page what was logged. */
    @wire(MessageContext)
    messageContext?: MessageContextType;

    state: PanelState = 'checking';
    status?: RelayStatus;
    settingsError?: string;

    coworker: CoworkerDefinition | null = null;
    coworkerLoading = true;
    coworkerError?: string;

    tasks: TaskSummary[] = [];
    tasksLoading = true;
    tasksError?: string;

    view: 'list' | 'chat' = 'list';
    taskLoading = false;
    taskError?: string;
    session: CoworkerSession | null = null;
    sessionState: SessionState = 'idle';
    messageViews: MessageView[] = [];
    error: CoworkerError | null = null;
    draft = '';
    showSent = false;
    liveStatus = '';
    /** messageIndex → the rating the user gave, and the note shown beside it. */
    ratings: Record<number, { rating: FeedbackRating | null; note: string }> = {};

    /** Reactive @wire configs the tool host sets to read through Lightning Data Service. */
    objectInfoRequest?: string;
    recordRequestId?: string;
    recordRequestFields?: string[];
    private pendingObjectInfo: PendingRead<ObjectInfoLike> | null = null;
    private pendingRecord: PendingRead<RecordLike> | null = null;
    private objectInfoCache = new Map<string, ObjectInfoLike>();
    private lastRecord: { key: string; record: RecordLike } | null = null;
    private readChain: Promise<unknown> = Promise.resolve();

    labels = {
        title: titleLabel,
        retry: retryLabel,
        checking: checkingLabel,
        tasks: tasksLabel,
        newTask: newTaskLabel,
        noTasks: noTasksLabel,
        loadingTasks: loadingTasksLabel,
        loadingTask: loadingTaskLabel,
        allTasks: allTasksLabel,
        loadingCoworker: loadingCoworkerLabel,
        message: messageLabel,
        messagePlaceholder: messagePlaceholderLabel,
        send: sendLabel,
        stop: stopLabel,
        conversation: conversationLabel,
        emptyChat: emptyChatLabel,
        changesCaption: changesCaptionLabel,
        field: fieldLabel,
        before: beforeLabel,
        after: afterLabel,
        approve: approveLabel,
        reject: rejectLabel,
        approveHelp: approveHelpLabel,
        tryAgain: tryAgainLabel,
        dismiss: dismissLabel,
        helpful: helpfulLabel,
        notHelpful: notHelpfulLabel,
        whatWasSentHelp: whatWasSentHelpLabel,
        nothingSent: nothingSentLabel
    };

    // `override` is kept on lifecycle hooks so tsc flags any accidental override of a platform member.
    override connectedCallback(): void {
        this.checkRelay();
        this.loadCoworker();
        this.loadTasks();
    }

    override disconnectedCallback(): void {
        this.session?.stop();
    }

    // -----------------------------------------------------------------------------------------
    // Relay status (the first slice of the panel)
    // -----------------------------------------------------------------------------------------

    /**
     * Reads the relay's address and whether the org key is stored (Apex, user mode), then asks the
     * relay if it is up. Without a key the relay is still checked: an admin fixing the connection
     * learns in one look whether the relay itself answers.
     */
    async checkRelay(): Promise<void> {
        this.state = 'checking';
        this.status = undefined;
        this.settingsError = undefined;
        let connection: Partial<RelayConnection>;
        try {
            connection = ((await getRelayConnection()) ?? {}) as Partial<RelayConnection>;
        } catch (error) {
            this.settingsError = readableError(error);
            this.state = 'settings_failed';
            return;
        }
        const status = await checkRelayHealth(connection.relayUrl);
        this.status = status;
        // Anything but an explicit `true` is not connected: no key, no session, no answers.
        this.state =
            status.state !== 'not_configured' && connection.keyConfigured !== true
                ? 'not_connected'
                : status.state;
    }

    handleCheckAgain(): void {
        this.checkRelay();
        if (this.coworkerError) this.loadCoworker();
        if (this.tasksError) this.loadTasks();
    }

    get cardTitle(): string {
        return this.coworkerName ? `${titleLabel}: ${this.coworkerName}` : titleLabel;
    }

    get isChecking(): boolean {
        return this.state === 'checking';
    }

    get canCheckAgain(): boolean {
        return this.state !== 'checking' && this.state !== 'connected';
    }

    get statusText(): string {
        switch (this.state) {
            case 'checking':
                return checkingLabel;
            case 'connected':
                return connectedLabel;
            case 'not_configured':
                return notConfiguredLabel;
            case 'not_connected':
                return notConnectedLabel;
            case 'settings_failed':
                return formatLabel(settingsFailedLabel, this.settingsError ?? '');
            default:
                return unreachableLabel;
        }
    }

    /** Technical detail for an admin, shown under the user-facing message. */
    get statusDetail(): string | undefined {
        if (this.state === 'not_connected') {
            if (this.status?.state === 'connected') {
                return relayAnswersLabel;
            }
            if (this.status?.state === 'unreachable') {
                return formatLabel(alsoUnreachableLabel, this.status.detail);
            }
            return undefined;
        }
        if (this.status?.state === 'unreachable') {
            return formatLabel(detailLabel, this.status.detail);
        }
        return undefined;
    }

    get statusIcon(): string {
        if (this.state === 'connected') return 'utility:success';
        if (this.state === 'checking') return 'utility:sync';
        return 'utility:warning';
    }

    get statusVariant(): string {
        return this.state === 'connected' ? 'success' : this.state === 'checking' ? '' : 'warning';
    }

    /** Says plainly who answers: nobody (no key), Anthropic, or a named custom upstream. */
    get modelNotice(): string | undefined {
        // Until the org is connected, who answers is beside the point: nobody can ask yet.
        if (this.state !== 'connected' || this.status?.state !== 'connected') {
            return undefined;
        }
        const llm = this.status.health.llm;
        if (!llm.configured) {
            return modelMissingLabel;
        }
        if (llm.upstream === 'custom') {
            return formatLabel(modelCustomLabel, llm.upstreamLabel ?? 'custom endpoint');
        }
        return undefined;
    }

    get recordContext(): string | undefined {
        return this.recordId
            ? formatLabel(recordContextLabel, this.objectApiName ?? '')
            : undefined;
    }

    get homeContext(): string {
        return homeContextLabel;
    }

    get bodyStyle(): string {
        const requested = Number(this.height);
        const height =
            Number.isFinite(requested) && requested > 0
                ? Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.round(requested)))
                : DEFAULT_HEIGHT;
        return `height: ${height}px; overflow-y: auto;`;
    }

    // -----------------------------------------------------------------------------------------
    // Coworker and tasks
    // -----------------------------------------------------------------------------------------

    async loadCoworker(): Promise<void> {
        this.coworkerLoading = true;
        this.coworkerError = undefined;
        try {
            this.coworker = (await getCoworker({
                coworkerName: this.coworkerName ?? ''
            })) as CoworkerDefinition;
        } catch (error) {
            this.coworker = null;
            this.coworkerError = formatLabel(coworkerFailedLabel, readableError(error));
        } finally {
            this.coworkerLoading = false;
        }
    }

    async loadTasks(): Promise<void> {
        this.tasksLoading = true;
        this.tasksError = undefined;
        try {
            const tasks = (await listTasks({ recordId: this.recordId ?? null })) as
                | TaskSummary[]
                | null;
            this.tasks = Array.isArray(tasks) ? tasks : [];
        } catch (error) {
            this.tasksError = formatLabel(tasksFailedLabel, readableError(error));
        } finally {
            this.tasksLoading = false;
        }
    }

    get showTaskList(): boolean {
        return this.view === 'list';
    }

    get showChat(): boolean {
        return this.view === 'chat' && Boolean(this.session);
    }

    get newTaskDisabled(): boolean {
        return !this.coworker;
    }

    get hasNoTasks(): boolean {
        return !this.tasksLoading && !this.tasksError && this.tasks.length === 0;
    }

    get taskItems(): { id: string; title: string; status: string; lastModified: string }[] {
        return this.tasks.map((t) => ({
            id: t.id,
            title: t.title,
            status: t.status,
            lastModified: t.lastModified
        }));
    }

    handleNewTask(): void {
        if (!this.coworker) return;
        this.openSession(null);
    }

    async handleOpenTask(event: Event): Promise<void> {
        const taskId = (event.currentTarget as HTMLElement).dataset.taskId;
        if (!taskId || !this.coworker) return;
        this.taskLoading = true;
        this.taskError = undefined;
        try {
            const task = (await getTask({ taskId })) as TaskDetail;
            this.openSession(task);
        } catch (error) {
            this.taskError = formatLabel(taskFailedLabel, readableError(error));
        } finally {
            this.taskLoading = false;
        }
    }

    handleBackToTasks(): void {
        this.session?.stop();
        this.session = null;
        this.view = 'list';
        this.error = null;
        this.showSent = false;
        this.loadTasks();
    }

    private openSession(task: TaskDetail | null): void {
        const apex: CoworkerApex = {
            getRelaySession: (p) => getRelaySession(p),
            createTask: (p) => createTask(p),
            saveTask: (p) => saveTask(p),
            logActivity: async (p) => {
                const id = await logActivity(p as unknown as Record<string, unknown>);
                // An activity log on the same page shows the entry now, not after a reload.
                publish(this.messageContext, ACTIVITY_LOGGED, {
                    entryId: typeof id === 'string' ? id : null,
                    recordId: p.entry.recordId ?? null
                });
                return id;
            }
        };
        this.error = null;
        this.ratings = {};
        this.showSent = false;
        this.draft = '';
        this.session = new CoworkerSession({
            coworker: this.coworker!,
            task,
            recordId: this.recordId,
            objectApiName: this.objectApiName,
            host: this.toolHost(),
            apex,
            listener: {
                onStateChange: (state) => this.handleSessionState(state),
                onTextDelta: () => this.refreshConversation(),
                onCard: () => this.refreshConversation(),
                onError: (error) => {
                    this.error = error;
                    this.refreshConversation();
                },
                onSaved: (saved) => this.handleSaved(saved)
            }
        });
        this.sessionState = this.session.state;
        this.error = this.session.error;
        this.view = 'chat';
        this.refreshConversation();
    }

    private handleSessionState(state: SessionState): void {
        const was = this.sessionState;
        this.sessionState = state;
        if (state === 'streaming') this.liveStatus = replyingLabel;
        else if (state === 'sending') this.liveStatus = sendingLabel;
        else if (state === 'running_tool') this.liveStatus = runningToolLabel;
        else if (state === 'awaiting_approval') this.liveStatus = waitingApprovalLabel;
        else if (state === 'idle' && was !== 'idle') this.liveStatus = replyDoneLabel;
        else if (state === 'error') this.liveStatus = this.error?.message ?? '';
        this.refreshConversation();
    }

    private handleSaved(saved: TaskSummary): void {
        const others = this.tasks.filter((t) => t.id !== saved.id);
        this.tasks = [saved, ...others];
    }

    // -----------------------------------------------------------------------------------------
    // Chat
    // -----------------------------------------------------------------------------------------

    get chatTitle(): string {
        return this.session?.task?.title ?? newTaskLabel;
    }

    get hasMessages(): boolean {
        return this.messageViews.length > 0;
    }

    get isWorking(): boolean {
        return (
            this.sessionState === 'sending' ||
            this.sessionState === 'streaming' ||
            this.sessionState === 'running_tool'
        );
    }

    get ariaBusy(): string {
        return this.sessionState === 'streaming' ? 'true' : 'false';
    }

    get aiDisabled(): boolean {
        return this.coworker?.policy?.aiEnabled === false;
    }

    get composerDisabled(): boolean {
        return (
            this.isWorking ||
            this.sessionState === 'awaiting_approval' ||
            this.aiDisabled ||
            this.state !== 'connected'
        );
    }

    get sendDisabled(): boolean {
        return this.composerDisabled || !this.draft.trim();
    }

    get hasError(): boolean {
        return Boolean(this.error) && this.error!.code !== 'stopped';
    }

    get stoppedNote(): string | undefined {
        return this.error?.code === 'stopped' ? this.error.message : undefined;
    }

    get errorMessage(): string {
        return this.error?.message ?? '';
    }

    get errorRequestId(): string | undefined {
        return this.error?.requestId
            ? formatLabel(requestIdLabel, this.error.requestId)
            : undefined;
    }

    /** Errors worth trying again as they stand (the user's message is kept in the conversation). */
    get canRetry(): boolean {
        const code = this.error?.code;
        return (
            !this.isWorking &&
            (code === 'rate_limited' ||
                code === 'relay_unreachable' ||
                code === 'stream_interrupted' ||
                code === 'model_error' ||
                code === 'session_failed' ||
                code === 'tool_rounds_exhausted')
        );
    }

    /** The org turned AI off: said up front, instead of after the user typed a message. */
    get aiDisabledNotice(): string | undefined {
        return this.aiDisabled ? aiDisabledLabel : undefined;
    }

    get sentToggleLabel(): string {
        return this.showSent ? hideWhatWasSentLabel : whatWasSentLabel;
    }

    get sentExpanded(): string {
        return this.showSent ? 'true' : 'false';
    }

    get sentJson(): string {
        const messages = this.session?.sentMessages ?? [];
        return messages.length ? JSON.stringify(messages, null, 2) : '';
    }

    handleToggleSent(): void {
        this.showSent = !this.showSent;
    }

    handleDraftChange(event: CustomEvent<{ value: string }>): void {
        this.draft = event.detail?.value ?? (event.target as HTMLTextAreaElement)?.value ?? '';
    }

    handleComposerKeydown(event: KeyboardEvent): void {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            this.handleSend();
        }
    }

    handleSend(): void {
        const text = this.draft.trim();
        if (!text || this.composerDisabled || !this.session) return;
        this.draft = '';
        this.error = null;
        this.session.send(text);
    }

    get firstSendDisabled(): boolean {
        return (
            !this.draft.trim() || !this.coworker || this.aiDisabled || this.state !== 'connected'
        );
    }

    handleFirstKeydown(event: KeyboardEvent): void {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            this.handleFirstSend();
        }
    }

    /** The empty list's composer: opens a new task and sends the question in one step. */
    handleFirstSend(): void {
        const text = this.draft.trim();
        if (!text || !this.coworker) return;
        this.openSession(null);
        this.draft = text;
        this.handleSend();
    }

    handleStop(): void {
        this.session?.stop();
    }

    handleRetry(): void {
        this.error = null;
        this.session?.retry();
    }

    handleDismissError(): void {
        this.error = null;
    }

    handleApprove(event: Event): void {
        const id = (event.currentTarget as HTMLElement).dataset.toolUseId;
        if (id) this.session?.approve(id);
    }

    handleReject(event: Event): void {
        const id = (event.currentTarget as HTMLElement).dataset.toolUseId;
        if (id) this.session?.reject(id);
    }

    async handleFeedback(event: Event): Promise<void> {
        const target = event.currentTarget as HTMLElement;
        const index = Number(target.dataset.index);
        const rating = target.dataset.rating as FeedbackRating;
        const taskId = this.session?.task?.id;
        if (!taskId || !Number.isInteger(index)) return;
        try {
            await saveFeedback({ taskId, messageIndex: index, rating, comment: null });
            // Confirmed inline, beside the buttons, in a status region screen readers announce.
            this.ratings = { ...this.ratings, [index]: { rating, note: feedbackSavedLabel } };
        } catch (error) {
            const previous = this.ratings[index]?.rating ?? null;
            this.ratings = {
                ...this.ratings,
                [index]: {
                    rating: previous,
                    note: formatLabel(feedbackFailedLabel, readableError(error))
                }
            };
        }
        this.refreshConversation();
    }

    /** Rebuilds what the template shows from the session (after every event it reports). */
    private refreshConversation(): void {
        const session = this.session;
        if (!session) {
            this.messageViews = [];
            return;
        }
        const author = this.coworker?.label ?? titleLabel;
        this.messageViews = session.messages.map((m: DisplayMessage) => {
            const rated = this.ratings[m.index];
            return {
                key: `m${m.index}`,
                index: m.index,
                isUser: m.role === 'user',
                author: m.role === 'user' ? youLabel : author,
                text: m.text,
                itemClass:
                    m.role === 'user'
                        ? 'slds-box slds-box_x-small slds-theme_shade slds-m-bottom_small'
                        : 'slds-m-bottom_small',
                cards: m.cards.map((c) => this.cardView(c)),
                hasCards: m.cards.length > 0,
                rateable: m.rateable,
                ratedUp: rated?.rating === 'Up',
                ratedDown: rated?.rating === 'Down',
                feedbackNote: rated?.note ?? ''
            };
        });
    }

    private cardView(card: ToolCard): CardView {
        const status = CARD_STATUS[card.status] ?? CARD_STATUS.running;
        const proposal = card.proposal;
        const showDiff = Boolean(proposal && proposal.changes?.length);
        let decisionNote = '';
        if (proposal?.autoApproved) {
            decisionNote = formatLabel(autoApprovedLabel, proposal.objectApiName);
        } else if (proposal && card.status === 'succeeded') {
            decisionNote = approvedLabel;
        } else if (card.status === 'rejected') {
            decisionNote = rejectedLabel;
        }
        return {
            key: card.toolUseId,
            toolUseId: card.toolUseId,
            toolLabel: TOOL_LABELS[card.tool] ?? card.tool,
            target: card.target,
            summary: card.summary,
            statusLabel: status.label,
            iconName: status.icon,
            iconVariant: status.variant,
            isAwaiting: card.status === 'awaiting_approval' && Boolean(proposal),
            isRejected: card.status === 'rejected',
            showDiff,
            // A question while the user decides; once decided, the table just lists the changes.
            diffTitle: !proposal
                ? ''
                : card.status !== 'awaiting_approval'
                  ? changesTitleLabel
                  : proposal.tool === 'create_record'
                    ? formatLabel(createTitleLabel, proposal.objectApiName)
                    : formatLabel(updateTitleLabel, proposal.recordName ?? proposal.recordId ?? ''),
            rows: (proposal?.changes ?? []).map((change) => ({
                key: change.field,
                label: change.label || change.field,
                before: shownValue(change.before),
                after: shownValue(change.after)
            })),
            decisionNote
        };
    }

    // -----------------------------------------------------------------------------------------
    // The tool host: the tools' way into Salesforce, in the user's session
    // -----------------------------------------------------------------------------------------

    private toolHost(): ToolHost {
        return {
            runQuery: (soql, coworkerName) =>
                runQuery({ soql, coworkerName }) as Promise<QueryResult>,
            searchRecords: (term, objectApiNames, coworkerName) =>
                searchRecords({ term, objectApiNames, coworkerName }) as Promise<SearchResult>,
            getObjectInfo: (objectApiName) => this.readObjectInfo(objectApiName),
            getRecord: (recordId, fields) => this.readRecord(recordId, fields),
            createRecord: async (apiName, fields) => {
                const created = await createRecord({ apiName, fields });
                return { id: created.id };
            },
            updateRecord: async (recordId, fields, options) => {
                // clientOptions.ifUnmodifiedSince: Salesforce refuses if anyone edited meanwhile.
                await updateRecord(
                    { fields: { ...fields, Id: recordId } },
                    options?.ifUnmodifiedSince
                        ? { ifUnmodifiedSince: options.ifUnmodifiedSince }
                        : undefined
                );
            },
            findKnowledgeChunks: async (terms, maxCandidates) =>
                ((await findChunks({ terms, maxCandidates })) ?? []) as KnowledgeChunk[],
            getOrgHealth: () => getOrgHealth() as Promise<OrgHealth>
        };
    }

    /** One LDS read at a time: each sets the one reactive config its @wire listens to. */
    private serialise<T>(read: () => Promise<T>): Promise<T> {
        const next = this.readChain.then(read, read);
        this.readChain = next.catch(() => undefined);
        return next;
    }

    private pending<T>(
        key: string,
        what: string,
        assign: (p: PendingRead<T> | null) => void
    ): Promise<T> {
        return new Promise<T>((resolve, reject) => {
            // LDS may never answer (offline, an object the user cannot see): the tool must not hang.
            // eslint-disable-next-line @lwc/lwc/no-async-operation
            const timer = setTimeout(() => {
                assign(null);
                reject(new Error(formatLabel(salesforceTimeoutLabel, what)));
            }, LDS_TIMEOUT_MS);
            assign({
                key,
                resolve: (value) => {
                    clearTimeout(timer);
                    assign(null);
                    resolve(value);
                },
                reject: (error) => {
                    clearTimeout(timer);
                    assign(null);
                    reject(error);
                },
                timer
            });
        });
    }

    private readObjectInfo(objectApiName: string): Promise<ObjectInfoLike> {
        const key = objectApiName.toLowerCase();
        const cached = this.objectInfoCache.get(key);
        if (cached) return Promise.resolve(cached);
        return this.serialise(() => {
            const cachedNow = this.objectInfoCache.get(key);
            if (cachedNow) return Promise.resolve(cachedNow);
            const promise = this.pending<ObjectInfoLike>(key, objectApiName, (p) => {
                this.pendingObjectInfo = p;
            });
            this.objectInfoRequest = objectApiName;
            return promise;
        });
    }

    @wire(getObjectInfo, { objectApiName: '$objectInfoRequest' })
    wiredObjectInfo(result: { data?: unknown; error?: unknown }): void {
        // Typed loosely: each environment's adapter (platform, jest, workbench) has its own type.
        const data = result.data as ObjectInfoLike | undefined;
        const error = result.error;
        const pending = this.pendingObjectInfo;
        if (data) {
            this.objectInfoCache.set(data.apiName.toLowerCase(), data);
            if (pending && pending.key === data.apiName.toLowerCase()) pending.resolve(data);
        } else if (error && pending) {
            // The same config will not emit again: forget it so a later read asks afresh.
            this.objectInfoRequest = undefined;
            pending.reject(new Error(readableError(error)));
        }
    }

    private readRecord(recordId: string, fields: string[]): Promise<RecordLike> {
        const objectApiName = recordId === this.recordId ? this.objectApiName : undefined;
        // LDS wants qualified names; the page's own record can be read with bare field names.
        const qualified = fields.map((f) => {
            if (f.includes('.') || !objectApiName) return f;
            return `${objectApiName}.${f}`;
        });
        const key = `${recordId}|${[...qualified].sort().join(',')}`;
        return this.serialise(() => {
            // The same config does not emit again, but LDS keeps the record it gave fresh.
            if (this.lastRecord?.key === key) return Promise.resolve(this.lastRecord.record);
            const promise = this.pending<RecordLike>(key, recordId, (p) => {
                this.pendingRecord = p;
            });
            this.recordRequestId = recordId;
            this.recordRequestFields = qualified;
            return promise;
        });
    }

    @wire(getRecord, { recordId: '$recordRequestId', optionalFields: '$recordRequestFields' })
    wiredRecord(result: { data?: unknown; error?: unknown }): void {
        const data = result.data as RecordLike | undefined;
        const error = result.error;
        const pending = this.pendingRecord;
        if (data) {
            const key = `${this.recordRequestId}|${[...(this.recordRequestFields ?? [])].sort().join(',')}`;
            this.lastRecord = { key, record: data };
            if (pending && pending.key === key) pending.resolve(data);
        } else if (error && pending) {
            this.recordRequestId = undefined;
            this.lastRecord = null;
            pending.reject(new Error(readableError(error)));
        }
    }

    // -----------------------------------------------------------------------------------------
    // Template helpers
    // -----------------------------------------------------------------------------------------

    get showStop(): boolean {
        return this.isWorking;
    }
}

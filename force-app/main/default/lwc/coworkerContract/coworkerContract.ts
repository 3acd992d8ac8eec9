/**
 * The coworker's contract, written once: the tool names and their inputs, the shapes the package's
 * Apex answers with, the activity log's vocabulary and the loop's bounds. The panel, the tool
 * layer, the activity log, the Apex stand-ins of the local workbench and the tests all import this
 * one file, so a renamed field breaks the build instead of a user's task.
 *
 * Pure types and constants: no DOM, Node or Workers APIs.
 */
import type { EgressPolicy } from 'c/egressPolicy';

// ---------------------------------------------------------------------------------------------
// Tools
// ---------------------------------------------------------------------------------------------

/** Every tool a coworker can be given (`Resident_Coworker__mdt.Allowed_Tools__c`, one per line). */
export const TOOL_NAMES = Object.freeze([
    'query_records',
    'search_records',
    'describe_object',
    'get_record',
    'create_record',
    'update_record',
    'search_knowledge',
    'org_health'
] as const);
export type ToolName = (typeof TOOL_NAMES)[number];

/** Tools that change data: they never run before the user approves (or the object is auto-approved). */
export const WRITE_TOOLS: readonly ToolName[] = Object.freeze(['create_record', 'update_record']);

export function isToolName(value: unknown): value is ToolName {
    return typeof value === 'string' && (TOOL_NAMES as readonly string[]).includes(value);
}

/** Inputs the model sends, as the tools' JSON schemas describe them (validated before anything runs). */
export interface QueryRecordsInput {
    soql: string;
}
export interface SearchRecordsInput {
    /** Words to find; SOSL reserved characters are escaped by Apex. */
    term: string;
    /** Objects to search; every one must be allowed for the coworker. Empty: all allowed objects. */
    objects?: string[];
}
export interface DescribeObjectInput {
    objectApiName: string;
}
export interface GetRecordInput {
    /** Omitted: the record of the page the panel is on. */
    recordId?: string;
    fields?: string[];
}
export interface CreateRecordInput {
    objectApiName: string;
    fields: Record<string, unknown>;
}
export interface UpdateRecordInput {
    recordId: string;
    fields: Record<string, unknown>;
}
export interface SearchKnowledgeInput {
    query: string;
}
export type OrgHealthInput = Record<string, never>;

/** Bounds the browser enforces (and Apex enforces again where it runs the work). */
export const COWORKER_LIMITS = Object.freeze({
    /** A query's LIMIT is added when missing and lowered to this when higher. */
    maxQueryRows: 200,
    /** Subqueries (child relationships) per query, and the LIMIT each may have at most. */
    maxSubqueries: 2,
    maxSubqueryRows: 20,
    /** SOSL: records per object. */
    maxSearchRowsPerObject: 20,
    /** Model calls per user message: a reply that keeps calling tools stops here with a message. */
    maxToolRoundsPerReply: 8,
    /** A tool result sent to the model is cut to this many characters (and says it was cut). */
    maxToolResultChars: 20_000,
    /** The activity log's structured result is cut to this many characters (field holds 32,768). */
    maxLoggedResultChars: 30_000,
    /** Result summary: one line (Result_Summary__c holds 255). */
    maxSummaryChars: 255,
    /** Task title (the object's Name field). */
    maxTaskTitleChars: 80,
    /** The conversation stored on the task (Conversation__c holds 131,072). */
    maxConversationChars: 131_072,
    /** Knowledge chunk size when splitting a document. */
    knowledgeChunkChars: 1_200,
    /** Candidate chunks Apex returns for BM25 ranking in the browser. */
    knowledgeCandidates: 50
});

// ---------------------------------------------------------------------------------------------
// What Apex answers (each `@AuraEnabled` method named below; the workbench's stand-in org mirrors
// them with the same names, parameters and shapes)
// ---------------------------------------------------------------------------------------------

/**
 * `CoworkerController.getCoworker({ coworkerName })`: the coworker for this user, or the Default
 * one when `coworkerName` is blank. Throws (AuraHandledException) with a readable message when the
 * named coworker does not exist or is inactive.
 */
export interface CoworkerDefinition {
    /** DeveloperName of the Resident_Coworker__mdt record. */
    name: string;
    label: string;
    roleInstructions: string;
    /** Allowed tools, minus `org_health` unless `canUseOrgHealth`. */
    allowedTools: ToolName[];
    /** Object API names, as written in the definition (compare case-insensitively). */
    allowedObjects: string[];
    autoApproveObjects: string[];
    /** The user holds the Resident Admin permission (custom permission Resident_Org_Health). */
    canUseOrgHealth: boolean;
    /** The org's effective egress policy, the same the session token carries. */
    policy: EgressPolicy;
    /** Fields Salesforce classifies Confidential or Restricted (`Object.Field`): never sent. */
    classifiedFields: string[];
}

export type TaskStatus = 'Open' | 'Waiting for approval' | 'Done' | 'Failed';

/** `CoworkerTaskController.listTasks({ recordId })`: the user's own tasks, newest first (max 50). */
export interface TaskSummary {
    id: string;
    title: string;
    status: TaskStatus;
    coworkerName: string | null;
    recordId: string | null;
    /** ISO 8601. */
    lastModified: string;
    tokensUsed: number;
}

/** `CoworkerTaskController.getTask({ taskId })`. */
export interface TaskDetail extends TaskSummary {
    description: string | null;
    /** The stored JSON of `StoredConversation`, or null for a new task. */
    conversation: string | null;
}

/**
 * What a task stores in `Conversation__c`: the masked messages exactly as the model sees them
 * (this is also the "what was sent" view), the mask map to show the user real values again (it
 * stays in the org, private to the task's owner), and the cards the panel shows for tool calls.
 */
export interface StoredConversation {
    version: 1;
    messages: ModelMessage[];
    masks: Record<string, string>;
    cards: ToolCard[];
}

/** `CoworkerTaskController.createTask({ title, description, coworkerName, recordId })` → TaskSummary. */
/** `CoworkerTaskController.saveTask({ taskId, conversation, status })` → TaskSummary. Conversation is JSON. */

/** `CoworkerDataController.runQuery({ soql, coworkerName })`: the query Apex ran (in user mode). */
export interface QueryResult {
    /** The SOQL Apex ran (its own LIMIT enforcement may have lowered the browser's). */
    soql: string;
    totalSize: number;
    /** Flattened records: `{ Id, Name, Owner: { Name } }` → `{ Id, Name, 'Owner.Name' }`; no `attributes`. */
    records: Record<string, unknown>[];
}

/** `CoworkerDataController.searchRecords({ term, objectApiNames, coworkerName })`. */
export interface SearchResult {
    groups: { objectApiName: string; records: Record<string, unknown>[] }[];
}

/** `KnowledgeController.findChunks({ terms, maxCandidates })`: SOSL candidates for BM25 in the browser. */
export interface KnowledgeChunk {
    id: string;
    documentId: string;
    documentName: string;
    heading: string | null;
    body: string;
    sequence: number;
}

/** `KnowledgeController.listDocuments()`. */
export interface KnowledgeDocumentSummary {
    id: string;
    name: string;
    format: 'Plain text' | 'Markdown' | 'PDF';
    chunkCount: number;
    active: boolean;
    lastModified: string;
}

/**
 * `KnowledgeController.saveDocument({ name, format, chunks })` → the new document's id, inserted with
 * its chunks as the user (Resident Admin). `deleteDocument({ documentId })`,
 * `setDocumentActive({ documentId, active })`.
 */
export interface KnowledgeChunkInput {
    sequence: number;
    heading: string | null;
    body: string;
    /** Lower-cased, accent-folded words for SOSL. */
    searchText: string;
}

/** `OrgHealthController.getOrgHealth()` (Resident Admin only). */
export interface OrgHealth {
    limits: { name: string; max: number; remaining: number }[];
    flows: { apiName: string; label: string; processType: string; active: boolean }[];
    apexClasses: { name: string; apiVersion: number; status: string; valid: boolean }[];
}

// ---------------------------------------------------------------------------------------------
// Activity log
// ---------------------------------------------------------------------------------------------

/** `Resident_Activity__c.Kind__c` values. `Model call` entries carry the tokens a model call used. */
export type ActivityKind =
    | 'Tool call'
    | 'Model call'
    | 'Document generated'
    | 'Report run'
    | 'Undo'
    /** The trust center's entries (trustCenterContract TRUST_ACTIVITY_KINDS). */
    | 'Retention run'
    | 'Data export'
    | 'Data purge'
    | 'Relay connection'
    | 'Template saved';
/** `Resident_Activity__c.Outcome__c` values. */
export type ActivityOutcome = 'Succeeded' | 'Failed' | 'Proposed' | 'Rejected' | 'Undone';

/** `ActivityLogController.logActivity({ entry })` → the new entry's id. Inserted as the user. */
export interface ActivityEntryInput {
    kind: ActivityKind;
    outcome: ActivityOutcome;
    tool?: ToolName | null;
    /** JSON of the tool's input (real values: the log stays in the org). */
    input?: string | null;
    /** One line, at most 255 characters. */
    summary: string;
    /** JSON, trimmed to `maxLoggedResultChars`. */
    result?: string | null;
    coworkerName?: string | null;
    taskId?: string | null;
    recordId?: string | null;
    objectApiName?: string | null;
    /** JSON `{ Field: value }` of changed fields before and after (updates and undos). */
    priorValues?: string | null;
    newValues?: string | null;
    /** For `Undo`: the entry reversed. A trigger stamps Undone_By/At on it. */
    undoOfId?: string | null;
    /** For `Model call`: tokens the model reported (input + output). */
    tokens?: number | null;
}

/** `ActivityLogController.listActivity({ filter })`. */
export interface ActivityFilter {
    recordId?: string | null;
    taskId?: string | null;
    kinds?: ActivityKind[] | null;
    tool?: ToolName | null;
    outcome?: ActivityOutcome | null;
    /** Only the current user's entries (auditors and admins may see everyone's). */
    mineOnly?: boolean;
    /** ISO date (inclusive), e.g. 2026-11-01. */
    since?: string | null;
    /** Page size (max 200) and offset (max 2,000, SOQL's bound). */
    pageSize?: number;
    offset?: number;
}

export interface ActivityEntry {
    id: string;
    /** Auto-number, e.g. ACT-0000042. */
    name: string;
    kind: ActivityKind;
    outcome: ActivityOutcome;
    tool: string | null;
    input: string | null;
    summary: string;
    result: string | null;
    userId: string;
    userName: string;
    coworkerName: string | null;
    taskId: string | null;
    recordId: string | null;
    objectApiName: string | null;
    priorValues: string | null;
    newValues: string | null;
    undoOfId: string | null;
    undoneById: string | null;
    undoneByName: string | null;
    undoneAt: string | null;
    tokens: number | null;
    /** ISO 8601. */
    occurredAt: string;
}

/** `FeedbackController.saveFeedback({ taskId, messageIndex, rating, comment })` → id. */
export type FeedbackRating = 'Up' | 'Down';

// ---------------------------------------------------------------------------------------------
// The conversation (Anthropic Messages API shapes, as the relay passes them through)
// ---------------------------------------------------------------------------------------------

export type ModelContentBlock =
    | { type: 'text'; text: string }
    | { type: 'tool_use'; id: string; name: string; input: unknown }
    | { type: 'tool_result'; tool_use_id: string; content: string; is_error?: boolean };

export interface ModelMessage {
    role: 'user' | 'assistant';
    content: string | ModelContentBlock[];
}

/** What the panel shows for one tool call. Values are real (unmasked): this never leaves the org. */
export interface ToolCard {
    toolUseId: string;
    tool: ToolName;
    /** "Account", "SELECT Name FROM Account …", "Acme Corporation" */
    target: string;
    status: 'running' | 'succeeded' | 'failed' | 'awaiting_approval' | 'rejected' | 'undone';
    summary: string;
    /** Index in `StoredConversation.messages` of the assistant message holding the tool_use. */
    messageIndex: number;
    activityId?: string;
    proposal?: WriteProposal;
}

/** A write the model proposed, shown as a field-by-field diff until approved or rejected. */
export interface WriteProposal {
    tool: 'create_record' | 'update_record';
    objectApiName: string;
    /** Null for a create. */
    recordId: string | null;
    recordName: string | null;
    changes: FieldChange[];
    /**
     * The record's LastModifiedDate when the change was proposed (updates only). The write passes
     * it to Salesforce as `ifUnmodifiedSince`, so an edit made after the proposal (by anyone, in
     * any window) makes Salesforce refuse the write instead of the coworker overwriting it.
     */
    lastModified?: string | null;
    /** The object is in the coworker's auto-approve list: it was written without asking. */
    autoApproved: boolean;
}

export interface FieldChange {
    field: string;
    label: string;
    /** Null for a create, or a field that was empty. */
    before: unknown;
    after: unknown;
}

// ---------------------------------------------------------------------------------------------
// The tool loop as the panel sees it (`c/coworkerSession`)
// ---------------------------------------------------------------------------------------------

export type SessionState =
    | 'idle'
    /** Minting a session token, masking, sending. */
    | 'sending'
    /** Reply text arriving. */
    | 'streaming'
    | 'running_tool'
    /** A proposed write waits for Approve / Reject; the loop resumes after the decision. */
    | 'awaiting_approval'
    | 'error';

export type CoworkerErrorCode =
    | 'ai_disabled'
    | 'not_connected'
    | 'session_failed'
    | 'relay_unreachable'
    | 'rate_limited'
    | 'budget_exhausted'
    | 'model_error'
    | 'stream_interrupted'
    | 'tool_rounds_exhausted'
    | 'save_failed'
    | 'stopped';

/** An error the panel shows: what went wrong and what to do, already in the user's language. */
export interface CoworkerError {
    code: CoworkerErrorCode;
    message: string;
    retryAfterSeconds?: number;
    requestId?: string;
}

/** One message as the panel renders it: real values, text and the cards of its tool calls. */
export interface DisplayMessage {
    index: number;
    role: 'user' | 'assistant';
    text: string;
    cards: ToolCard[];
    /** Assistant replies the user can rate. */
    rateable: boolean;
}

export interface CoworkerSessionListener {
    onStateChange?(state: SessionState): void;
    /** Unmasked text of the reply being streamed, as it grows (append `delta`). */
    onTextDelta?(delta: string, messageIndex: number): void;
    /** A card was added or changed (running → succeeded, awaiting_approval → rejected, …). */
    onCard?(card: ToolCard): void;
    onError?(error: CoworkerError): void;
    /** The task was saved to the org (after each reply and each decision). */
    onSaved?(task: TaskSummary): void;
}

// ---------------------------------------------------------------------------------------------
// Trust settings (admin)
// ---------------------------------------------------------------------------------------------

/** `TrustSettingsController.getTrustSettings()`. */
export interface TrustSettings {
    policy: EgressPolicy;
    coworkers: { name: string; label: string; active: boolean; autoApproveObjects: string[] }[];
    /** The user may change the settings (custom permission Resident_Manage_Trust_Settings). */
    canEdit: boolean;
}

/**
 * `TrustSettingsController.saveTrustSettings({ settings })`, `settings` being the JSON of this.
 * Custom metadata changes deploy asynchronously: the answer is the deployment's id, and the new
 * values apply to the next session token once the deployment finishes.
 */
export interface TrustSettingsChange {
    policy: EgressPolicy;
    /** Coworker name → objects whose writes are auto-approved (empty: every write asks). */
    autoApprove: Record<string, string[]>;
}
export interface TrustSettingsSaveResult {
    deploymentId: string;
}

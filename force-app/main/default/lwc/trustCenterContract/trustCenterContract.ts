/**
 * The trust center's contract, written once: what the package stores and for how long, every Apex
 * method the trust center calls with its answer's shape, the order data is exported and purged in,
 * and the subprocessors. `c/trustCenter`, the package's Apex, the workbench's stand-in doubles and
 * the tests all build to this one file, so a renamed field breaks the build instead of an admin's
 * purge.
 *
 * Pure types and constants: no DOM, Node or Workers APIs.
 */

// ---------------------------------------------------------------------------------------------
// What the package stores
// ---------------------------------------------------------------------------------------------

/**
 * Every custom object whose rows the package stores, children before their parents: the order a
 * purge deletes in (so each count is the object's own rows, not a cascade) and the order an export
 * writes in, reversed (parents first, so an importer can resolve lookups as it reads).
 * Custom metadata (coworkers, egress policy, relay endpoint, scheduler settings) is configuration
 * that ships with the package: neither exported as data nor purged. The org key (a protected custom
 * setting) is a credential: never exported, only removed by "Disconnect".
 */
export const PACKAGE_DATA_OBJECTS = Object.freeze([
    'Resident_Knowledge_Chunk__c',
    'Resident_Knowledge_Document__c',
    'Resident_Feedback__c',
    'Resident_Activity__c',
    'Resident_Task__c',
    'Resident_Report_Run__c',
    'Resident_Report_Schedule__c',
    'Resident_Document_Template__c'
] as const);
export type PackageDataObject = (typeof PACKAGE_DATA_OBJECTS)[number];

export function isPackageDataObject(value: unknown): value is PackageDataObject {
    return typeof value === 'string' && (PACKAGE_DATA_OBJECTS as readonly string[]).includes(value);
}

// ---------------------------------------------------------------------------------------------
// Retention
// ---------------------------------------------------------------------------------------------

/**
 * The kinds of data with a retention window, the object each applies to, and the date field that
 * says how old a row is. Knowledge has no window by default: it is kept until an admin removes it.
 */
export const RETENTION_KINDS = Object.freeze([
    {
        kind: 'tasks',
        objectApiName: 'Resident_Task__c',
        ageField: 'LastModifiedDate',
        defaultDays: 90
    },
    {
        kind: 'activity',
        objectApiName: 'Resident_Activity__c',
        ageField: 'Occurred_At__c',
        defaultDays: 365
    },
    {
        kind: 'reportRuns',
        objectApiName: 'Resident_Report_Run__c',
        ageField: 'CreatedDate',
        defaultDays: 90
    },
    {
        kind: 'feedback',
        objectApiName: 'Resident_Feedback__c',
        ageField: 'CreatedDate',
        defaultDays: 365
    },
    {
        kind: 'knowledge',
        objectApiName: 'Resident_Knowledge_Document__c',
        ageField: 'LastModifiedDate',
        defaultDays: null
    }
] as const);
export type RetentionKind = (typeof RETENTION_KINDS)[number]['kind'];

/** Bounds an admin may set (days). 1 day is allowed so a test org can prove the job works today. */
export const RETENTION_MIN_DAYS = 1;
export const RETENTION_MAX_DAYS = 3650;

/**
 * Retention windows in days, stored in the protected hierarchy custom setting
 * `Resident_Retention__c` (org default). `knowledge: null` = kept until removed.
 * `RetentionController.getRetentionSettings()` → this; `saveRetentionSettings({ settings })` takes
 * it (every window an integer within the bounds, knowledge also null) and answers it as stored.
 * Only users with the `Resident_Manage_Trust_Settings` custom permission may save.
 */
export interface RetentionSettings {
    tasks: number;
    activity: number;
    reportRuns: number;
    feedback: number;
    knowledge: number | null;
}

/** The windows a new org starts with: each kind's `defaultDays` in RETENTION_KINDS. */
export function defaultRetentionSettings(): RetentionSettings {
    return Object.fromEntries(
        RETENTION_KINDS.map(({ kind, defaultDays }) => [kind, defaultDays])
    ) as unknown as RetentionSettings;
}

/** A problem with a retention window, for the field it belongs to (the message is a label's text). */
export interface RetentionProblem {
    kind: RetentionKind;
    message: string;
}

/**
 * The retention job: `RetentionJob` (Schedulable) starts `RetentionBatch` (Batchable, one object
 * after another, queries and deletes in user mode as the admin who scheduled it, then empties the
 * recycle bin of what it deleted) and finally logs one `Retention run` activity entry whose
 * `result` is the JSON of `RetentionCounts`.
 * `RetentionController.getRetentionJob()` → this.
 */
export interface RetentionJobState {
    /** Whether the daily job is scheduled (a CronTrigger named `RETENTION_JOB_NAME`). */
    scheduled: boolean;
    /** The cron expression it is scheduled with, e.g. `0 0 2 * * ?` (02:00 daily). */
    cronExpression: string | null;
    /** ISO 8601, from CronTrigger.NextFireTime. */
    nextRunAt: string | null;
    /** Who scheduled it (the job runs as them). */
    scheduledByName: string | null;
    /** The latest run's batch job, if one ran or is running. */
    lastRun: RetentionRunState | null;
}

export interface RetentionRunState {
    /** AsyncApexJob id, for `getRetentionRun`. */
    jobId: string;
    /** AsyncApexJob.Status as the platform reports it. */
    status: 'Queued' | 'Preparing' | 'Processing' | 'Completed' | 'Failed' | 'Aborted' | 'Holding';
    /** ISO 8601. */
    startedAt: string;
    finishedAt: string | null;
    /** What it deleted (only once finished and logged). */
    counts: RetentionCounts | null;
    /** The platform's error text when the job failed. */
    error: string | null;
}

/** Rows deleted per object by one retention run or purge: counts only, never contents. */
export type RetentionCounts = Partial<Record<PackageDataObject, number>>;

/** The name the job is scheduled under (so the page finds it and never schedules it twice). */
export const RETENTION_JOB_NAME = 'Resident retention';
/** Daily at 02:00 in the scheduling admin's time zone. */
export const RETENTION_DEFAULT_CRON = '0 0 2 * * ?';

// `RetentionController.scheduleRetentionJob()` → RetentionJobState (schedules RETENTION_DEFAULT_CRON;
//    refuses with a readable error when already scheduled).
// `RetentionController.unscheduleRetentionJob()` → RetentionJobState.
// `RetentionController.runRetentionNow()` → the AsyncApexJob id (string) of the batch it started.
// `RetentionController.getRetentionRun({ jobId })` → RetentionRunState (the page polls it).

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

/** `DataExportController.listExportObjects()` → one per PACKAGE_DATA_OBJECTS, in that order. */
export interface ExportObjectInfo {
    objectApiName: PackageDataObject;
    label: string;
    /** Rows the running user can see (COUNT() in user mode). */
    rowCount: number;
}

/** The largest page the page may ask for; Apex clamps to it. */
export const EXPORT_MAX_PAGE_SIZE = 2000;

/**
 * `DataExportController.exportPage({ objectApiName, afterId, pageSize })` → one page, ordered by Id,
 * of every field of the object the user can read (user mode; lookups as ids; the system fields
 * Id, Name, CreatedDate, CreatedById, LastModifiedDate, LastModifiedById, OwnerId where present).
 * `afterId` null for the first page; the page passes the answer's `nextAfterId` until it is null.
 */
export interface ExportPage {
    objectApiName: PackageDataObject;
    rows: Record<string, unknown>[];
    nextAfterId: string | null;
}

/**
 * `DataExportController.exportKnowledgeOriginal({ documentId })` → the File a knowledge document
 * was made from (its latest ContentVersion, read as the user), or null when it has none (text that
 * was typed in: its original is its chunks, which are in the export). Files above
 * `EXPORT_MAX_ORIGINAL_BYTES` answer with `base64: null` and `skippedReason` set.
 */
export interface KnowledgeOriginal {
    documentId: string;
    contentDocumentId: string;
    fileName: string;
    fileExtension: string | null;
    contentSize: number;
    base64: string | null;
    skippedReason: string | null;
}
/**
 * 2 MB: Apex holds a File's bytes and their base64 (4/3 larger) at once, inside the 6 MB heap of
 * one synchronous transaction, so 4 MB could never be answered. Larger originals stay in Files.
 */
export const EXPORT_MAX_ORIGINAL_BYTES = 2 * 1024 * 1024;

/**
 * `DataExportController.getOrgId()` → the org's 18-character id (UserInfo.getOrganizationId()),
 * for the export file's `orgId`: no platform module gives a component the org id.
 */

/** The export file's format version; `docs/EXPORT_SCHEMA.json` describes this shape. */
export const EXPORT_FORMAT = 'resident-export/1';

/**
 * `DataExportController.recordExport({ counts })` → the id of a `Data export` activity entry (who
 * exported, when, rows per object as the `result` JSON of RetentionCounts-shaped counts). The page
 * calls it once the file is assembled.
 */

/** The one JSON file the admin downloads. */
export interface ExportFile {
    format: typeof EXPORT_FORMAT;
    orgId: string;
    exportedAt: string;
    exportedByUserId: string;
    retention: RetentionSettings;
    /** Keyed by object API name, parents first (PACKAGE_DATA_OBJECTS reversed). */
    objects: Record<PackageDataObject, Record<string, unknown>[]>;
    knowledgeOriginals: KnowledgeOriginal[];
}

// ---------------------------------------------------------------------------------------------
// Purge
// ---------------------------------------------------------------------------------------------

/** `DataPurgeController.getOrgName()` → Organization.Name, the text the admin must type. */

/** The most rows one `purgePage` call deletes (DML limits of one transaction, with headroom). */
export const PURGE_PAGE_SIZE = 2000;

/**
 * `DataPurgeController.purgePage({ objectApiName, confirmOrgName })` → deletes up to
 * PURGE_PAGE_SIZE rows of one object as the user (user mode; hard-deleted: emptied from the
 * recycle bin). Refuses, deleting nothing, unless `confirmOrgName` equals the org's name exactly
 * (trimmed) and the user holds `Resident_Manage_Trust_Settings`. The page calls it per object in
 * PACKAGE_DATA_OBJECTS order until `remaining` is 0.
 */
export interface PurgePage {
    objectApiName: PackageDataObject;
    deleted: number;
    remaining: number;
}

/**
 * `DataPurgeController.recordPurge({ counts })` → the id of the one `Data purge` activity entry that
 * records who purged, when, and how many rows of each object (its `result` is the JSON of the
 * counts). It is the only row left after a purge, deliberately: an auditor must be able to see
 * that data was deleted and by whom, and the entry holds no customer data.
 */

// ---------------------------------------------------------------------------------------------
// Relay connection
// ---------------------------------------------------------------------------------------------

/**
 * `RelayOrgKeyController.getOrgKeyStatus()` (exists) → `{ configured, keyId }`.
 * `RelayOrgKeyController.rotateOrgKey({ newOrgKey })` → OrgKeyStatus: refuses a malformed key, a
 * key whose key id equals the stored one ("ask the vendor for a key under a new key id"), and users
 * without `Resident_Manage_Relay_Connection`; stores it and logs a `Relay connection` entry
 * (`summary` names the old and new key ids, never the key).
 * `RelayOrgKeyController.disconnectRelay()` → OrgKeyStatus `{ configured: false, keyId: null }`:
 * removes the org key and logs a `Relay connection` entry. After it, `getRelaySession` throws
 * Resident_Error_NoOrgKey, which the coworker and the document generator already show.
 */
export interface OrgKeyStatus {
    configured: boolean;
    keyId: string | null;
}

/* The relay's side of the connection check (`GET RELAY_PATHS.connection`, `RelayConnectionCheck`)
   is part of the relay's wire contract, c/relayContract. */

// ---------------------------------------------------------------------------------------------
// Usage
// ---------------------------------------------------------------------------------------------

/** How many months back the usage table may reach. */
export const USAGE_MAX_MONTHS = 12;

/**
 * `UsageController.getUsage({ months })` → one row per user per calendar month (in the org's time
 * zone) with anything in it, newest month first, computed in user mode from the org's own rows:
 * tasks created (Resident_Task__c), tool calls (`Tool call` activity entries), documents
 * (`Document generated` entries), report runs (Resident_Report_Run__c) and tokens (sum of
 * `Model call` entries' tokens). Nothing about usage leaves the org.
 */
export interface UsageRow {
    /** `YYYY-MM`. */
    month: string;
    userId: string;
    userName: string;
    tasks: number;
    toolCalls: number;
    documents: number;
    reportRuns: number;
    tokens: number;
}

// ---------------------------------------------------------------------------------------------
// Subprocessors
// ---------------------------------------------------------------------------------------------

/**
 * The canonical list, shown by the trust center and copied in docs/TRUST.md (a test checks they
 * agree). The component shows `role` and `sees` through Custom Labels
`Resident_Trust_Subprocessor<Name>Role` / `...Sees` whose text equals these strings (a test checks).
 */
export const SUBPROCESSORS = Object.freeze([
    {
        name: 'Cloudflare',
        url: 'https://www.cloudflare.com/trust-hub/',
        role: 'Runs the stateless relay (Workers)',
        sees: 'Requests in transit to the relay: masked prompts, document layouts, scheduled report data during a run. Nothing is stored.'
    },
    {
        name: 'Anthropic',
        url: 'https://trust.anthropic.com/',
        role: 'Claude, the language model',
        sees: 'Masked prompts and the tool results the coworker sends, under the org egress policy. Never credentials, excluded or classified fields.'
    }
] as const);

// ---------------------------------------------------------------------------------------------
// Activity log vocabulary added by the trust center
// ---------------------------------------------------------------------------------------------

/** New `Resident_Activity__c.Kind__c` values (added to the picklist and to coworkerContract). */
export const TRUST_ACTIVITY_KINDS = Object.freeze([
    'Retention run',
    'Data export',
    'Data purge',
    'Relay connection'
] as const);
export type TrustActivityKind = (typeof TRUST_ACTIVITY_KINDS)[number];

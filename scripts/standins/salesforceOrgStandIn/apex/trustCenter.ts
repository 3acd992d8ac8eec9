import {
    EXPORT_MAX_ORIGINAL_BYTES,
    EXPORT_MAX_PAGE_SIZE,
    isPackageDataObject,
    PACKAGE_DATA_OBJECTS,
    PURGE_PAGE_SIZE,
    RETENTION_DEFAULT_CRON,
    RETENTION_KINDS,
    RETENTION_MAX_DAYS,
    RETENTION_MIN_DAYS,
    USAGE_MAX_MONTHS,
    type ExportObjectInfo,
    type ExportPage,
    type KnowledgeOriginal,
    type OrgKeyStatus,
    type PackageDataObject,
    type PurgePage,
    type RetentionCounts,
    type RetentionJobState,
    type RetentionRunState,
    type RetentionSettings,
    type TrustActivityKind,
    type UsageRow
} from '../../../../force-app/main/default/lwc/trustCenterContract/trustCenterContract';
import { parseOrgKey } from '../../../../relay/src/auth/orgKeys';
import type { OrgUser } from '../orgStore';
import { objectDef } from '../schema';
import { makeId, ORG_ID, type StoredRecord } from '../seedData';
import { STANDIN_ORG_NAME, type RetentionRunRecord } from '../trustCenterState';
import { logApexOnlyActivity } from './activity';
import { deleteWithKnowledgeOriginal } from './knowledge';
import {
    asUser,
    AuraHandledError,
    isoDateTime,
    numberOr,
    optionalId,
    optionalInteger,
    requiredId,
    requiredString,
    type ApexContext,
    type ApexParams
} from './support';

// Trust center (issue 7): test doubles of RetentionController, DataExportController,
// DataPurgeController, UsageController and the key rotation of RelayOrgKeyController, with the
// method names, parameters and answers of c/trustCenterContract. Reads and deletes run as the
// calling admin through the store (sharing, CRUD and FLS as user mode applies them); the org key
// lives in the stand-in's key store (ApexContext.settings), as the real package keeps it in a
// protected custom setting.

const MANAGE_TRUST = 'Resident_Manage_Trust_Settings';
const MANAGE_RELAY = 'Resident_Manage_Relay_Connection';
const TRUST_DENIED =
    'Only admins with the Manage Resident Trust Settings permission can do this in the trust center.';
const RELAY_DENIED =
    'Only admins with the Manage Resident Relay Connection permission can change the relay connection.';
const FINISHED = new Set(['Completed', 'Failed', 'Aborted']);

function requireTrust(context: ApexContext): void {
    if (!context.store.hasCustomPermission(context.user, MANAGE_TRUST)) {
        throw new AuraHandledError(TRUST_DENIED);
    }
}

function requireRelay(context: ApexContext): void {
    if (!context.store.hasCustomPermission(context.user, MANAGE_RELAY)) {
        throw new AuraHandledError(RELAY_DENIED);
    }
}

function timeOf(value: unknown): number {
    return typeof value === 'string' ? Date.parse(value.replace(/\+0000$/, 'Z')) : NaN;
}

/** The rows of a package object the user can see, ordered by Id (user mode). */
function visibleRows(context: ApexContext, objectApiName: PackageDataObject): StoredRecord[] {
    return asUser(() =>
        context.store.query(context.user, `SELECT Id FROM ${objectApiName}`)
    ).records.sort((a, b) => (a.fields.Id < b.fields.Id ? -1 : a.fields.Id > b.fields.Id ? 1 : 0));
}

function packageCounts(context: ApexContext): Record<PackageDataObject, number> {
    return Object.fromEntries(
        PACKAGE_DATA_OBJECTS.map((name) => [name, context.store.systemRecords(name).length])
    ) as Record<PackageDataObject, number>;
}

/** Rows per object that disappeared between two counts (cascaded children included). */
function deletedBetween(
    before: Record<PackageDataObject, number>,
    after: Record<PackageDataObject, number>
): RetentionCounts {
    const counts: RetentionCounts = {};
    for (const name of PACKAGE_DATA_OBJECTS) {
        const gone = before[name] - after[name];
        if (gone > 0) counts[name] = gone;
    }
    return counts;
}

/**
 * TrustActivityLog.log: a trust center entry in the activity log, inserted as the admin (counts,
 * never contents) through the same checks and insert as every entry (logApexOnlyActivity).
 */
function logTrustActivity(
    context: ApexContext,
    kind: TrustActivityKind,
    summary: string,
    result: unknown,
    options: { outcome?: 'Succeeded' | 'Failed'; recordId?: string | null } = {}
): string {
    return logApexOnlyActivity(context, {
        kind,
        outcome: options.outcome ?? 'Succeeded',
        summary,
        result: result === null ? null : JSON.stringify(result),
        recordId: options.recordId ?? null
    });
}

function totalOf(counts: RetentionCounts): number {
    return Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0);
}

/** `counts` as RetentionCounts: package objects only, whole numbers from 0. */
function requiredCounts(params: ApexParams): RetentionCounts {
    const raw = params.counts;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        throw new AuraHandledError('The counts must be rows per package object.');
    }
    const counts: RetentionCounts = {};
    for (const [name, value] of Object.entries(raw)) {
        if (!isPackageDataObject(name)) {
            throw new AuraHandledError(`"${name}" is not one of Resident's objects.`);
        }
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
            throw new AuraHandledError(`The count for ${name} must be a whole number from 0.`);
        }
        counts[name] = value;
    }
    return counts;
}

// ---------------------------------------------------------------------------------------------
// RetentionController
// ---------------------------------------------------------------------------------------------

/** `getRetentionSettings()`. */
export function getRetentionSettings(_params: ApexParams, context: ApexContext): RetentionSettings {
    return { ...context.store.trustCenter.retention };
}

/** `saveRetentionSettings({ settings })`: every window whole days within the bounds. */
export function saveRetentionSettings(params: ApexParams, context: ApexContext): RetentionSettings {
    requireTrust(context);
    const raw = params.settings;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        throw new AuraHandledError('The retention windows are missing.');
    }
    const settings = raw as Record<string, unknown>;
    const saved: Partial<Record<string, number | null>> = {};
    for (const { kind } of RETENTION_KINDS) {
        const value = settings[kind];
        if (kind === 'knowledge' && (value === null || value === undefined)) {
            saved[kind] = null;
            continue;
        }
        if (
            typeof value !== 'number' ||
            !Number.isInteger(value) ||
            value < RETENTION_MIN_DAYS ||
            value > RETENTION_MAX_DAYS
        ) {
            throw new AuraHandledError(
                `The ${kind} window must be a whole number of days from ${RETENTION_MIN_DAYS} to ${RETENTION_MAX_DAYS}.`
            );
        }
        saved[kind] = value;
    }
    const unknown = Object.keys(settings).filter((k) => !RETENTION_KINDS.some((r) => r.kind === k));
    if (unknown.length > 0) {
        throw new AuraHandledError(`There is no retention window named ${unknown.join(', ')}.`);
    }
    context.store.trustCenter.retention = saved as unknown as RetentionSettings;
    return { ...context.store.trustCenter.retention };
}

function runState(run: RetentionRunRecord): RetentionRunState {
    return {
        jobId: run.jobId,
        status: run.status,
        startedAt: run.startedAt,
        finishedAt: run.finishedAt,
        counts: run.counts,
        error: run.error
    };
}

/** The next 02:00 UTC (the stand-in's admins all work in UTC), as CronTrigger.NextFireTime. */
function nextDailyRun(now: Date = new Date()): string {
    const next = new Date(
        Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 2, 0, 0)
    );
    if (next.getTime() <= now.getTime()) next.setUTCDate(next.getUTCDate() + 1);
    return next.toISOString();
}

/** `getRetentionJob()`. */
export function getRetentionJob(_params: ApexParams, context: ApexContext): RetentionJobState {
    const { job, runs } = context.store.trustCenter;
    const last = runs.at(-1);
    return {
        scheduled: job !== null,
        cronExpression: job?.cronExpression ?? null,
        nextRunAt: job ? nextDailyRun() : null,
        scheduledByName: job ? (context.store.user(job.scheduledById)?.name ?? null) : null,
        lastRun: last ? runState(last) : null
    };
}

/** `scheduleRetentionJob()`: daily at 02:00, as the calling admin; never twice. */
export function scheduleRetentionJob(params: ApexParams, context: ApexContext): RetentionJobState {
    requireTrust(context);
    if (context.store.trustCenter.job) {
        throw new AuraHandledError(
            'The retention job is already scheduled. Unschedule it first to schedule it as yourself.'
        );
    }
    context.store.trustCenter.job = {
        cronExpression: RETENTION_DEFAULT_CRON,
        scheduledById: context.user.id
    };
    return getRetentionJob(params, context);
}

/** `unscheduleRetentionJob()`. */
export function unscheduleRetentionJob(
    params: ApexParams,
    context: ApexContext
): RetentionJobState {
    requireTrust(context);
    context.store.trustCenter.job = null;
    return getRetentionJob(params, context);
}

/** `runRetentionNow()` → the AsyncApexJob id of the batch it started (as the calling admin). */
export function runRetentionNow(_params: ApexParams, context: ApexContext): string {
    requireTrust(context);
    const state = context.store.trustCenter;
    if (state.runs.some((r) => !FINISHED.has(r.status))) {
        throw new AuraHandledError('A retention run is already running: wait for it to finish.');
    }
    state.jobsStarted += 1;
    const jobId = makeId('707', state.jobsStarted);
    state.runs.push({
        jobId,
        status: 'Queued',
        startedAt: new Date().toISOString(),
        finishedAt: null,
        counts: null,
        error: null,
        runAsUserId: context.user.id,
        polls: 0
    });
    return jobId;
}

/**
 * What RetentionBatch does: for each kind with a window, deletes (as the admin, user mode) the
 * rows whose age field is older than the window, then logs one `Retention run` entry whose
 * result is the counts. Counts come from the store before and after, so master-detail children
 * deleted with their parent are counted too.
 */
export function runRetention(
    context: ApexContext,
    runAs: OrgUser,
    now = Date.now(),
    jobId: string | null = null
): RetentionCounts {
    const asAdmin: ApexContext = { ...context, user: runAs };
    const windows = context.store.trustCenter.retention;
    const before = packageCounts(context);
    for (const { kind, objectApiName, ageField } of RETENTION_KINDS) {
        const days = windows[kind];
        if (days === null) continue;
        const cutoff = now - days * 86_400_000;
        const fields = ['Id', ageField];
        const rows = asUser(() =>
            context.store.query(runAs, `SELECT ${fields.join(', ')} FROM ${objectApiName}`)
        ).records;
        for (const row of rows) {
            if (timeOf(row.fields[ageField]) < cutoff) {
                // A child deleted with its parent earlier in this loop is already gone.
                if (!context.store.visibleRecordOrNull(runAs, row.fields.Id)) continue;
                asUser(() =>
                    deleteWithKnowledgeOriginal(context.store, runAs, row.fields.Id, () =>
                        context.store.deletePackageRow(runAs, row.fields.Id)
                    )
                );
            }
        }
    }
    const counts = deletedBetween(before, packageCounts(context));
    logTrustActivity(
        asAdmin,
        'Retention run',
        `Retention run: ${totalOf(counts)} rows past their window deleted`,
        counts,
        { recordId: jobId }
    );
    return counts;
}

/**
 * `getRetentionRun({ jobId })`: the stand-in's batch moves one step per poll (Queued →
 * Processing → Completed) so the page's polling is exercised; it does its work on the last step.
 */
export function getRetentionRun(params: ApexParams, context: ApexContext): RetentionRunState {
    const jobId = requiredId(params, 'jobId', 'The retention job');
    const run = context.store.trustCenter.runs.find((r) => r.jobId === jobId);
    if (!run) throw new AuraHandledError('There is no retention run with this id.');
    if (!FINISHED.has(run.status)) {
        run.polls += 1;
        if (run.status === 'Queued') {
            run.status = 'Processing';
        } else {
            const runAs = context.store.user(run.runAsUserId);
            try {
                if (!runAs) throw new Error('The user the job runs as no longer exists.');
                run.counts = runRetention(context, runAs, Date.now(), run.jobId);
                run.status = 'Completed';
            } catch (error) {
                run.status = 'Failed';
                run.error = error instanceof Error ? error.message : String(error);
            }
            run.finishedAt = new Date().toISOString();
        }
    }
    return runState(run);
}

// ---------------------------------------------------------------------------------------------
// DataExportController
// ---------------------------------------------------------------------------------------------

function requiredPackageObject(params: ApexParams): PackageDataObject {
    const name = params.objectApiName;
    if (!isPackageDataObject(name)) {
        throw new AuraHandledError(`"${String(name)}" is not one of Resident's objects.`);
    }
    return name;
}

/** `listExportObjects()`: each package object with the rows the user can see. */
export function listExportObjects(_params: ApexParams, context: ApexContext): ExportObjectInfo[] {
    requireTrust(context);
    return PACKAGE_DATA_OBJECTS.map((objectApiName) => ({
        objectApiName,
        label: objectDef(objectApiName)?.labelPlural ?? objectApiName,
        rowCount: visibleRows(context, objectApiName).length
    }));
}

/** `exportPage({ objectApiName, afterId, pageSize })`: readable fields, ordered by Id. */
export function exportPage(params: ApexParams, context: ApexContext): ExportPage {
    requireTrust(context);
    const objectApiName = requiredPackageObject(params);
    const afterId = optionalId(params, 'afterId', 'The page start');
    const pageSize = Math.min(
        optionalInteger(params, 'pageSize', 1, 1_000_000, 'The page size') ?? EXPORT_MAX_PAGE_SIZE,
        EXPORT_MAX_PAGE_SIZE
    );
    const object = objectDef(objectApiName);
    if (!object) throw new AuraHandledError(`${objectApiName} is not in this org.`);
    const fields = object.fields.filter((f) =>
        context.store.canReadField(context.user, objectApiName, f.apiName)
    );
    const all = visibleRows(context, objectApiName).filter(
        (r) => afterId === null || r.fields.Id > afterId
    );
    const page = all.slice(0, pageSize);
    const rows = page.map((record) =>
        Object.fromEntries(
            fields.map((f) => {
                const value = record.fields[f.apiName] ?? null;
                return [f.apiName, f.dataType === 'DateTime' ? isoDateTime(value) : value];
            })
        )
    );
    return {
        objectApiName,
        rows,
        nextAfterId: all.length > pageSize ? (page.at(-1)?.fields.Id ?? null) : null
    };
}

/**
 * `exportKnowledgeOriginal({ documentId })`: as KnowledgeOriginalReader, the latest version of the
 * File named by the document's Source_File_Id__c (which KnowledgeController.keepOriginal sets), and
 * nothing else: a File merely linked to the document is not its original. A File the user cannot
 * open is answered with a reason, as the Apex does.
 */
export function exportKnowledgeOriginal(
    params: ApexParams,
    context: ApexContext
): KnowledgeOriginal | null {
    requireTrust(context);
    const documentId = requiredId(params, 'documentId', 'The knowledge document');
    const document = asUser(
        () =>
            context.store.visibleRecord(context.user, documentId, 'Resident_Knowledge_Document__c'),
        { notFound: 'This knowledge document does not exist, or you do not have access to it.' }
    );
    const contentDocumentId =
        typeof document.fields.Source_File_Id__c === 'string'
            ? document.fields.Source_File_Id__c.trim()
            : '';
    if (!contentDocumentId) return null;
    const version = context.store
        .systemRecords('ContentVersion')
        .filter(
            (v) =>
                v.fields.ContentDocumentId === contentDocumentId &&
                context.store.canReadRecord(context.user, v)
        )
        .sort((a, b) => timeOf(b.fields.CreatedDate) - timeOf(a.fields.CreatedDate))[0];
    if (!version) {
        return {
            documentId,
            contentDocumentId,
            fileName: String(document.fields.Name ?? ''),
            fileExtension: null,
            contentSize: 0,
            base64: null,
            skippedReason:
                'You cannot open this File, so its original is not in the export. Its text is, in the knowledge chunks.'
        };
    }
    const bytes = context.store.fileBytes.get(version.fields.Id);
    const size = numberOr(version.fields.ContentSize, bytes?.length ?? 0);
    const tooLarge = size > EXPORT_MAX_ORIGINAL_BYTES;
    return {
        documentId,
        contentDocumentId,
        fileName: String(version.fields.PathOnClient ?? version.fields.Title ?? ''),
        fileExtension: (version.fields.FileExtension as string | null) ?? null,
        contentSize: size,
        base64: tooLarge || !bytes ? null : bytes.toString('base64'),
        skippedReason: tooLarge
            ? `The file is larger than ${EXPORT_MAX_ORIGINAL_BYTES / 1024 / 1024} MB: download it from Files.`
            : bytes
              ? null
              : 'The file has no content.'
    };
}

/**
 * TrustActivityLog.logCounts: an export's or a purge's entry with its rows per package object
 * (checked: package objects only, whole numbers from 0); the entry's id.
 */
function logCounts(
    context: ApexContext,
    kind: 'Data export' | 'Data purge',
    summary: (total: number) => string,
    params: ApexParams
): string {
    const counts = requiredCounts(params);
    return logTrustActivity(context, kind, summary(totalOf(counts)), counts);
}

/** `recordExport({ counts })` → the `Data export` entry's id. */
export function recordExport(params: ApexParams, context: ApexContext): string {
    requireTrust(context);
    return logCounts(context, 'Data export', (n) => `Data export: ${n} rows exported`, params);
}

/** `getOrgId()`. */
export function getOrgId(): string {
    return ORG_ID;
}

// ---------------------------------------------------------------------------------------------
// DataPurgeController
// ---------------------------------------------------------------------------------------------

/** `getOrgName()`: Organization.Name. */
export function getOrgName(): string {
    return STANDIN_ORG_NAME;
}

/** `purgePage({ objectApiName, confirmOrgName })`: up to PURGE_PAGE_SIZE rows, as the admin. */
export function purgePage(params: ApexParams, context: ApexContext): PurgePage {
    requireTrust(context);
    const objectApiName = requiredPackageObject(params);
    const typed = requiredString(params, 'confirmOrgName', 255, "The org's name").trim();
    if (typed !== STANDIN_ORG_NAME.trim()) {
        throw new AuraHandledError(
            `Nothing was deleted: type the org's name exactly as it is (${STANDIN_ORG_NAME}) to confirm the purge.`
        );
    }
    const before = context.store.systemRecords(objectApiName).length;
    for (const row of visibleRows(context, objectApiName).slice(0, PURGE_PAGE_SIZE)) {
        if (!context.store.visibleRecordOrNull(context.user, row.fields.Id)) continue;
        asUser(() =>
            deleteWithKnowledgeOriginal(context.store, context.user, row.fields.Id, () =>
                context.store.deletePackageRow(context.user, row.fields.Id)
            )
        );
    }
    const after = context.store.systemRecords(objectApiName).length;
    return {
        objectApiName,
        deleted: before - after,
        remaining: visibleRows(context, objectApiName).length
    };
}

/**
 * `recordPurge({ counts })` → the `Data purge` entry's id: the one row a purge leaves. The entry
 * certifies a complete purge, so it is refused while any package object still holds rows the
 * admin can see (a partial purge, or counts sent without purging).
 */
export function recordPurge(params: ApexParams, context: ApexContext): string {
    requireTrust(context);
    const notEmpty = PACKAGE_DATA_OBJECTS.filter(
        (name) => visibleRows(context, name).length > 0
    ).map((name) => objectDef(name)?.labelPlural ?? name);
    if (notEmpty.length > 0) {
        throw new AuraHandledError(
            `The purge is not recorded: ${notEmpty.join(', ')} still hold rows. A Data purge entry records a complete purge only: purge again to finish.`
        );
    }
    return logCounts(context, 'Data purge', (n) => `Data purge: ${n} rows deleted`, params);
}

// ---------------------------------------------------------------------------------------------
// UsageController
// ---------------------------------------------------------------------------------------------

function monthOf(value: unknown): string | null {
    const time = timeOf(value);
    return Number.isNaN(time) ? null : new Date(time).toISOString().slice(0, 7);
}

/**
 * `getUsage({ months })`: per user per calendar month (UTC: the stand-in org's time zone), from
 * the rows the admin can read: tasks created, Tool call entries, succeeded Document generated
 * entries, Model call tokens, and report runs (counted for the schedule's owner).
 */
export function getUsage(params: ApexParams, context: ApexContext): UsageRow[] {
    requireTrust(context);
    const months =
        optionalInteger(params, 'months', 1, USAGE_MAX_MONTHS, 'The number of months') ?? 3;
    const now = new Date();
    const since = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1), 1);
    const rows = new Map<string, UsageRow>();
    const add = (
        userId: unknown,
        at: unknown,
        field: 'tasks' | 'toolCalls' | 'documents' | 'reportRuns' | 'tokens',
        amount = 1
    ): void => {
        const month = monthOf(at);
        if (typeof userId !== 'string' || !month || timeOf(at) < since || amount === 0) return;
        const key = `${month}|${userId}`;
        const row = rows.get(key) ?? {
            month,
            userId,
            userName: context.store.user(userId)?.name ?? userId,
            tasks: 0,
            toolCalls: 0,
            documents: 0,
            reportRuns: 0,
            tokens: 0
        };
        row[field] += amount;
        rows.set(key, row);
    };
    const query = (soql: string) => asUser(() => context.store.query(context.user, soql)).records;
    for (const task of query('SELECT Id, CreatedById, CreatedDate FROM Resident_Task__c')) {
        add(task.fields.CreatedById, task.fields.CreatedDate, 'tasks');
    }
    for (const entry of query(
        'SELECT Id, Kind__c, Outcome__c, User__c, Occurred_At__c, Model_Usage__c FROM Resident_Activity__c'
    )) {
        const f = entry.fields;
        if (f.Kind__c === 'Tool call') add(f.User__c, f.Occurred_At__c, 'toolCalls');
        // A failed generation made no document.
        if (f.Kind__c === 'Document generated' && f.Outcome__c === 'Succeeded') {
            add(f.User__c, f.Occurred_At__c, 'documents');
        }
        if (f.Kind__c === 'Model call') {
            add(f.User__c, f.Occurred_At__c, 'tokens', numberOr(f.Model_Usage__c, 0));
        }
    }
    for (const run of query('SELECT Id, Schedule__c, CreatedDate FROM Resident_Report_Run__c')) {
        const schedule = context.store.visibleRecordOrNull(
            context.user,
            String(run.fields.Schedule__c)
        );
        add(schedule?.fields.OwnerId, run.fields.CreatedDate, 'reportRuns');
    }
    return [...rows.values()].sort(
        (a, b) => b.month.localeCompare(a.month) || a.userName.localeCompare(b.userName)
    );
}

// ---------------------------------------------------------------------------------------------
// RelayOrgKeyController (the org key in the stand-in's key store)
// ---------------------------------------------------------------------------------------------

function keyIdOf(orgKey: string | undefined): string | null {
    if (!orgKey) return null;
    try {
        return parseOrgKey(orgKey).keyId;
    } catch {
        return null;
    }
}

function statusOf(context: ApexContext): OrgKeyStatus {
    const keyId = keyIdOf(context.settings.orgKey);
    return { configured: Boolean(context.settings.orgKey), keyId };
}

function storeKey(context: ApexContext, orgKey: string | undefined): void {
    context.settings.setOrgKey?.(orgKey);
    context.settings.orgKey = orgKey;
}

function wellFormedKey(params: ApexParams, name: string): { key: string; keyId: string } {
    const key = requiredString(params, name, 200, 'The org key').trim();
    try {
        return { key, keyId: parseOrgKey(key).keyId };
    } catch {
        throw new AuraHandledError(
            'This is not an org key: it looks like v1:<key id>:<43 characters>. Paste the whole key the vendor sent.'
        );
    }
}

/** `getOrgKeyStatus()`. */
export function getOrgKeyStatus(_params: ApexParams, context: ApexContext): OrgKeyStatus {
    requireRelay(context);
    return statusOf(context);
}

/**
 * Stores the key and logs it as one step, as RelayOrgKeyController's transaction does: when the
 * entry cannot be written the earlier key is put back, so no key change goes unlogged.
 */
function changeKeyLogged(context: ApexContext, orgKey: string | undefined, summary: string): void {
    const previous = context.settings.orgKey;
    storeKey(context, orgKey);
    try {
        logTrustActivity(context, 'Relay connection', summary, null);
    } catch (error) {
        storeKey(context, previous);
        throw error;
    }
}

/** RelayOrgKeyController.storeKey: the one path for connecting and rotating. */
function storeCheckedKey(
    params: ApexParams,
    context: ApexContext,
    rotating: boolean
): OrgKeyStatus {
    requireRelay(context);
    const { key, keyId } = wellFormedKey(params, rotating ? 'newOrgKey' : 'orgKey');
    const oldKeyId = keyIdOf(context.settings.orgKey);
    if (oldKeyId && !rotating) {
        throw new AuraHandledError(
            `An org key is already stored (key id ${oldKeyId}). To replace it, use Rotate key with the new key the vendor sent.`
        );
    }
    if (oldKeyId === keyId) {
        throw new AuraHandledError(
            `This key has the key id already in use (${keyId}): ask the vendor for a key under a new key id.`
        );
    }
    changeKeyLogged(
        context,
        key,
        oldKeyId
            ? `Org key rotated from key id ${oldKeyId} to ${keyId}`
            : `Org key stored, key id ${keyId}`
    );
    return statusOf(context);
}

/** `saveOrgKey({ orgKey })`: the first key only; a stored key is replaced by a rotation. Logged. */
export function saveOrgKey(params: ApexParams, context: ApexContext): OrgKeyStatus {
    return storeCheckedKey(params, context, false);
}

/** `rotateOrgKey({ newOrgKey })`: refuses the key id in use; logs old and new key ids. */
export function rotateOrgKey(params: ApexParams, context: ApexContext): OrgKeyStatus {
    return storeCheckedKey(params, context, true);
}

/** `disconnectRelay()`: removes the org key; logs it (nothing to log when none was stored). */
export function disconnectRelay(_params: ApexParams, context: ApexContext): OrgKeyStatus {
    requireRelay(context);
    const oldKeyId = keyIdOf(context.settings.orgKey);
    if (context.settings.orgKey) {
        changeKeyLogged(
            context,
            undefined,
            `Relay disconnected: org key ${oldKeyId ?? '(none)'} removed`
        );
    }
    return { configured: false, keyId: null };
}

/** The doubles by `Class.method`, for apexDoubles.ts. */
export const TRUST_CENTER_DOUBLES: [
    string,
    (params: ApexParams, context: ApexContext) => unknown
][] = [
    ['RetentionController.getRetentionSettings', getRetentionSettings],
    ['RetentionController.saveRetentionSettings', saveRetentionSettings],
    ['RetentionController.getRetentionJob', getRetentionJob],
    ['RetentionController.scheduleRetentionJob', scheduleRetentionJob],
    ['RetentionController.unscheduleRetentionJob', unscheduleRetentionJob],
    ['RetentionController.runRetentionNow', runRetentionNow],
    ['RetentionController.getRetentionRun', getRetentionRun],
    ['DataExportController.listExportObjects', listExportObjects],
    ['DataExportController.exportPage', exportPage],
    ['DataExportController.exportKnowledgeOriginal', exportKnowledgeOriginal],
    ['DataExportController.recordExport', recordExport],
    ['DataExportController.getOrgId', getOrgId],
    ['DataPurgeController.getOrgName', getOrgName],
    ['DataPurgeController.purgePage', purgePage],
    ['DataPurgeController.recordPurge', recordPurge],
    ['UsageController.getUsage', getUsage],
    ['RelayOrgKeyController.getOrgKeyStatus', getOrgKeyStatus],
    ['RelayOrgKeyController.saveOrgKey', saveOrgKey],
    ['RelayOrgKeyController.rotateOrgKey', rotateOrgKey],
    ['RelayOrgKeyController.disconnectRelay', disconnectRelay]
];

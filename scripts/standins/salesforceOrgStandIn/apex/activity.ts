import {
    COWORKER_LIMITS,
    isToolName,
    type ActivityEntry,
    type ActivityKind,
    type ActivityOutcome
} from '../../../../force-app/main/default/lwc/coworkerContract/coworkerContract';
import { ACTIVITY_KINDS, APEX_ONLY_ACTIVITY_KINDS, LISTABLE_ACTIVITY_KINDS } from '../schema';
import type { FieldValue, StoredRecord } from '../seedData';
import {
    abbreviate,
    asUser,
    AuraHandledError,
    isoDateTime,
    nowDateTime,
    numberOr,
    optionalId,
    optionalInteger,
    optionalString,
    soqlLiteral,
    stringOrNull,
    type ApexContext,
    type ApexParams
} from './support';

// ActivityLogController and what the activity log's trigger does. Entries are inserted as the
// user, who can create and read them but never edit or delete them; the trigger (system context)
// stamps an undone entry and rolls model usage up onto the task.

export const ACTIVITY_OUTCOMES: readonly ActivityOutcome[] = [
    'Succeeded',
    'Failed',
    'Proposed',
    'Rejected',
    'Undone'
];
const LONG_TEXT = 32_768;
const ENTRY_NOT_FOUND = 'The activity log entry does not exist, or you do not have access to it.';

function jsonObjectOrNull(entry: ApexParams, name: string, what: string): string | null {
    const value = optionalString(entry, name, LONG_TEXT, what);
    if (value === null) return null;
    let parsed: unknown;
    try {
        parsed = JSON.parse(value);
    } catch {
        throw new AuraHandledError(`${what} must be JSON.`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new AuraHandledError(`${what} must be a JSON object of field names and values.`);
    }
    return value;
}

/** The trigger's work after insert, in system context. */
function afterInsert(entry: StoredRecord, context: ApexContext): void {
    const f = entry.fields;
    if (f.Kind__c === 'Undo' && f.Outcome__c === 'Succeeded' && typeof f.Undo_Of__c === 'string') {
        context.store.systemUpdate(context.user, f.Undo_Of__c, {
            Undone_By__c: context.user.id,
            Undone_At__c: f.Occurred_At__c ?? nowDateTime(),
            Outcome__c: 'Undone'
        });
    }
    if (
        f.Kind__c === 'Model call' &&
        typeof f.Task__c === 'string' &&
        typeof f.Model_Usage__c === 'number'
    ) {
        const task = context.store
            .systemRecords('Resident_Task__c')
            .find((t) => t.fields.Id === f.Task__c);
        if (task) {
            context.store.systemUpdate(context.user, task.fields.Id, {
                Model_Usage__c: numberOr(task.fields.Model_Usage__c, 0) + f.Model_Usage__c
            });
        }
    }
}

/** `logActivity({ entry })` → the new entry's id: only the kinds a browser may log. */
export function logActivity(params: ApexParams, context: ApexContext): string {
    const raw = params.entry;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        throw new AuraHandledError('The activity log entry is missing.');
    }
    const entry = raw as ApexParams;
    if (!ACTIVITY_KINDS.includes(entry.kind as ActivityKind)) {
        throw new AuraHandledError(
            `"${String(entry.kind)}" is not an activity kind. Use one of: ${ACTIVITY_KINDS.join(', ')}.`
        );
    }
    return insertEntry(context, entry, false);
}

/**
 * ActivityLogWriter.logApexOnly: an entry of a kind only the package's Apex writes (trust center
 * entries, Template saved), checked and cut exactly as `logActivity` does, inserted with the
 * activity trigger's guard open. For the doubles of that Apex only, never a browser's kind.
 */
export function logApexOnlyActivity(context: ApexContext, entry: ApexParams): string {
    if (!APEX_ONLY_ACTIVITY_KINDS.includes(String(entry.kind))) {
        throw new Error(`Not an Apex-only activity kind: ${String(entry.kind)}`);
    }
    return insertEntry(context, entry, true);
}

/** ActivityLogWriter.checkedRecord and its insert as the user; the kind is already checked. */
function insertEntry(context: ApexContext, entry: ApexParams, apexOnly: boolean): string {
    const kind = entry.kind as ActivityKind;
    const outcome = entry.outcome as ActivityOutcome;
    if (!ACTIVITY_OUTCOMES.includes(outcome)) {
        throw new AuraHandledError(
            `"${String(entry.outcome)}" is not an outcome. Use one of: ${ACTIVITY_OUTCOMES.join(', ')}.`
        );
    }
    const tool = entry.tool ?? null;
    if (tool !== null && !isToolName(tool)) {
        throw new AuraHandledError(`"${String(tool)}" is not a coworker tool.`);
    }
    const summary = entry.summary;
    if (typeof summary !== 'string' || summary.trim() === '') {
        throw new AuraHandledError('The activity log entry needs a one-line summary.');
    }
    const result = entry.result;
    if (result !== undefined && result !== null && typeof result !== 'string') {
        throw new AuraHandledError('The result must be JSON text.');
    }
    const undoOfId = optionalId(entry, 'undoOfId', 'The entry to undo');
    if (kind === 'Undo' && !undoOfId) {
        throw new AuraHandledError('An undo must name the entry it reverses.');
    }
    if (kind !== 'Undo' && undoOfId) {
        throw new AuraHandledError('Only an Undo entry can name an entry it reverses.');
    }
    if (undoOfId) {
        const original = asUser(
            () => context.store.visibleRecord(context.user, undoOfId, 'Resident_Activity__c'),
            { notFound: ENTRY_NOT_FOUND }
        );
        if (original.fields.Undone_At__c && outcome === 'Succeeded') {
            throw new AuraHandledError('This change was already undone.');
        }
    }
    const tokens = optionalInteger(entry, 'tokens', 0, 10_000_000, 'Tokens');
    const values: Record<string, FieldValue> = {
        Kind__c: kind,
        Outcome__c: outcome,
        Tool__c: tool as string | null,
        Input__c: optionalString(entry, 'input', LONG_TEXT, 'The tool input'),
        // One line: the log keeps the entry rather than refuse it for a long summary.
        Result_Summary__c: abbreviate(
            summary.replace(/\s+/g, ' ').trim(),
            COWORKER_LIMITS.maxSummaryChars
        ),
        Result__c:
            typeof result === 'string'
                ? abbreviate(result, COWORKER_LIMITS.maxLoggedResultChars)
                : null,
        User__c: context.user.id,
        Coworker__c: optionalString(entry, 'coworkerName', 40, 'The coworker name'),
        Task__c: optionalId(entry, 'taskId', 'The task'),
        Record_Id__c: optionalId(entry, 'recordId', 'The record'),
        Object_Api_Name__c: optionalString(entry, 'objectApiName', 80, 'The object'),
        Prior_Values__c: jsonObjectOrNull(entry, 'priorValues', 'The prior values'),
        New_Values__c: jsonObjectOrNull(entry, 'newValues', 'The new values'),
        Undo_Of__c: undoOfId,
        Model_Usage__c: tokens
    };
    const insert = () => context.store.create(context.user, 'Resident_Activity__c', values);
    const id = asUser(() => (apexOnly ? context.store.asPackageApex(insert) : insert()), {
        notFound:
            'The task or entry this log entry names does not exist, or you do not have access to it.',
        noAccess: 'You do not have permission to write to the Resident activity log.'
    });
    afterInsert(context.store.visibleRecord(context.user, id), context);
    return id;
}

const ENTRY_FIELDS = [
    'Id',
    'Name',
    'Kind__c',
    'Outcome__c',
    'Tool__c',
    'Input__c',
    'Result_Summary__c',
    'Result__c',
    'User__c',
    'User__r.Name',
    'Coworker__c',
    'Task__c',
    'Record_Id__c',
    'Object_Api_Name__c',
    'Prior_Values__c',
    'New_Values__c',
    'Undo_Of__c',
    'Undone_By__c',
    'Undone_By__r.Name',
    'Undone_At__c',
    'Model_Usage__c',
    'Occurred_At__c'
];

function entryOf(row: Record<string, unknown>): ActivityEntry {
    return {
        id: String(row.Id),
        name: String(row.Name ?? ''),
        kind: row.Kind__c as ActivityKind,
        outcome: row.Outcome__c as ActivityOutcome,
        tool: stringOrNull(row.Tool__c),
        input: stringOrNull(row.Input__c),
        summary: String(row.Result_Summary__c ?? ''),
        result: stringOrNull(row.Result__c),
        userId: String(row.User__c ?? ''),
        userName: String(row['User__r.Name'] ?? ''),
        coworkerName: stringOrNull(row.Coworker__c),
        taskId: stringOrNull(row.Task__c),
        recordId: stringOrNull(row.Record_Id__c),
        objectApiName: stringOrNull(row.Object_Api_Name__c),
        priorValues: stringOrNull(row.Prior_Values__c),
        newValues: stringOrNull(row.New_Values__c),
        undoOfId: stringOrNull(row.Undo_Of__c),
        undoneById: stringOrNull(row.Undone_By__c),
        undoneByName: stringOrNull(row['Undone_By__r.Name']),
        undoneAt: isoDateTime(row.Undone_At__c),
        tokens: typeof row.Model_Usage__c === 'number' ? row.Model_Usage__c : null,
        occurredAt: isoDateTime(row.Occurred_At__c) ?? ''
    };
}

/** `listActivity({ filter })`: newest first, as the user (own entries, or all with View All). */
export function listActivity(params: ApexParams, context: ApexContext): ActivityEntry[] {
    const raw = params.filter ?? {};
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        throw new AuraHandledError('The activity filter is not valid.');
    }
    const filter = raw as ApexParams;
    const pageSize = optionalInteger(filter, 'pageSize', 1, 200, 'The page size') ?? 50;
    const offset = optionalInteger(filter, 'offset', 0, 2_000, 'The offset') ?? 0;
    const where: string[] = [];
    const recordId = optionalId(filter, 'recordId', 'The record');
    if (recordId) where.push(`Record_Id__c = ${soqlLiteral(recordId)}`);
    const taskId = optionalId(filter, 'taskId', 'The task');
    if (taskId) where.push(`Task__c = ${soqlLiteral(taskId)}`);
    const kinds = filter.kinds;
    if (kinds !== undefined && kinds !== null) {
        if (
            !Array.isArray(kinds) ||
            !kinds.every((k) => LISTABLE_ACTIVITY_KINDS.includes(String(k)))
        ) {
            throw new AuraHandledError(
                `The kinds must be among: ${LISTABLE_ACTIVITY_KINDS.join(', ')}.`
            );
        }
        if (kinds.length > 0)
            where.push(`Kind__c IN (${kinds.map((k) => soqlLiteral(String(k))).join(', ')})`);
    }
    const tool = filter.tool;
    if (tool !== undefined && tool !== null) {
        if (!isToolName(tool))
            throw new AuraHandledError(`"${String(tool)}" is not a coworker tool.`);
        where.push(`Tool__c = ${soqlLiteral(tool)}`);
    }
    const outcome = filter.outcome;
    if (outcome !== undefined && outcome !== null) {
        if (!ACTIVITY_OUTCOMES.includes(outcome as ActivityOutcome)) {
            throw new AuraHandledError(
                `The outcome must be one of: ${ACTIVITY_OUTCOMES.join(', ')}.`
            );
        }
        where.push(`Outcome__c = ${soqlLiteral(String(outcome))}`);
    }
    if (filter.mineOnly === true) where.push(`User__c = ${soqlLiteral(context.user.id)}`);
    const since = optionalString(filter, 'since', 30, 'The start date');
    let sinceTime: number | undefined;
    if (since !== null) {
        sinceTime = /^\d{4}-\d{2}-\d{2}$/.test(since) ? Date.parse(`${since}T00:00:00Z`) : NaN;
        if (Number.isNaN(sinceTime)) {
            throw new AuraHandledError('The start date must be a date like 2026-11-01.');
        }
    }
    const soql =
        `SELECT ${ENTRY_FIELDS.join(', ')} FROM Resident_Activity__c` +
        (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
        ' ORDER BY Occurred_At__c DESC';
    const result = asUser(() => context.store.query(context.user, soql));
    return result.records
        .filter(
            (r) =>
                sinceTime === undefined ||
                Date.parse(String(r.fields.Occurred_At__c).replace(/\+0000$/, 'Z')) >= sinceTime
        )
        .slice(offset, offset + pageSize)
        .map((r) => entryOf(context.store.flatRecord(context.user, r, ENTRY_FIELDS)));
}

/**
 * Tokens the user's Model call entries used today (UTC) and the task's roll-up: what the session
 * token's remaining budgets are computed from.
 */
export function tokensUsed(
    context: ApexContext,
    taskId: string | null
): { today: number; task: number } {
    const startOfDay = new Date();
    startOfDay.setUTCHours(0, 0, 0, 0);
    const today = context.store
        .systemRecords('Resident_Activity__c')
        .filter(
            (r) =>
                r.fields.Kind__c === 'Model call' &&
                r.fields.User__c === context.user.id &&
                Date.parse(String(r.fields.Occurred_At__c).replace(/\+0000$/, 'Z')) >=
                    startOfDay.getTime()
        )
        .reduce((sum, r) => sum + numberOr(r.fields.Model_Usage__c, 0), 0);
    let task = 0;
    if (taskId) {
        const record = asUser(
            () => context.store.visibleRecord(context.user, taskId, 'Resident_Task__c'),
            { notFound: 'This task does not exist, or you do not have access to it.' }
        );
        task = numberOr(record.fields.Model_Usage__c, 0);
    }
    return { today, task };
}

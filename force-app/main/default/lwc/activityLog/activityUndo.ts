/**
 * What undo may do with an activity log entry, and whether the record changed since the coworker
 * wrote it. Pure functions: the component reads the record through LDS and writes through
 * uiRecordApi; these decide.
 */
import type { ActivityEntry } from 'c/coworkerContract';

export type FieldValues = Record<string, unknown>;

/** A Succeeded, not yet undone update restores prior values; a create deletes the record. */
export type UndoPlan =
    | {
          kind: 'update';
          recordId: string;
          objectApiName: string;
          prior: FieldValues;
          written: FieldValues;
      }
    | { kind: 'create'; recordId: string; objectApiName: string; written: FieldValues };

/** `{ Field: value }` JSON from the log, or null when absent or not an object. */
export function parseValues(json: string | null | undefined): FieldValues | null {
    if (!json) return null;
    try {
        const parsed: unknown = JSON.parse(json);
        return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
            ? (parsed as FieldValues)
            : null;
    } catch {
        return null;
    }
}

export function isUndone(entry: ActivityEntry): boolean {
    return entry.outcome === 'Undone' || Boolean(entry.undoneById) || Boolean(entry.undoneAt);
}

export function undoPlan(entry: ActivityEntry): UndoPlan | null {
    if (
        entry.kind !== 'Tool call' ||
        entry.outcome !== 'Succeeded' ||
        isUndone(entry) ||
        !entry.recordId ||
        !entry.objectApiName
    ) {
        return null;
    }
    const written = parseValues(entry.newValues);
    if (entry.tool === 'update_record') {
        const prior = parseValues(entry.priorValues);
        if (!prior || !written || Object.keys(prior).length === 0) return null;
        return {
            kind: 'update',
            recordId: entry.recordId,
            objectApiName: entry.objectApiName,
            prior,
            written
        };
    }
    if (entry.tool === 'create_record') {
        return {
            kind: 'create',
            recordId: entry.recordId,
            objectApiName: entry.objectApiName,
            written: written ?? {}
        };
    }
    return null;
}

/** Fields LDS must read to check the record: the changed fields and who last modified it. */
export function fieldsToRead(plan: UndoPlan): string[] {
    const fields = plan.kind === 'update' ? Object.keys(plan.written) : [];
    return [...fields, 'LastModifiedDate', 'LastModifiedBy.Name'].map(
        (f) => `${plan.objectApiName}.${f}`
    );
}

function asNumber(value: unknown): number | null {
    if (typeof value === 'number') return value;
    if (typeof value === 'string' && value.trim() !== '' && !/^0\d/.test(value.trim())) {
        const n = Number(value);
        return Number.isFinite(n) ? n : null;
    }
    return null;
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Whether the value in the log and the value LDS reads are the same value. The model may have
 * written `"5000"` where the record holds `5000`, or a date-time without milliseconds; those are
 * equal. Empty (null, undefined, "") is one value, as Salesforce stores it.
 */
export function sameValue(logged: unknown, current: unknown): boolean {
    const empty = (v: unknown) => v === null || v === undefined || v === '';
    if (empty(logged) || empty(current)) return empty(logged) && empty(current);
    if (typeof logged === 'boolean' || typeof current === 'boolean') {
        return String(logged).toLowerCase() === String(current).toLowerCase();
    }
    const a = asNumber(logged);
    const b = asNumber(current);
    if (a !== null && b !== null) return a === b;
    if (
        typeof logged === 'string' &&
        typeof current === 'string' &&
        ISO_DATE_TIME.test(logged) &&
        ISO_DATE_TIME.test(current)
    ) {
        return Date.parse(logged) === Date.parse(current);
    }
    if (typeof logged === 'object' || typeof current === 'object') {
        return JSON.stringify(logged) === JSON.stringify(current);
    }
    return String(logged) === String(current);
}

export interface CurrentRecord {
    fields: Record<string, { value: unknown; displayValue?: string | null } | undefined>;
}

export interface ChangeCheck {
    /** Fields whose value is no longer what the coworker wrote. */
    changed: string[];
    /** Fields the user cannot read now (FLS), so the check cannot vouch for them. */
    unreadable: string[];
    lastModifiedBy: string | null;
    lastModifiedDate: string | null;
}

/**
 * Compares the record now with what the coworker wrote. An update is unchanged when every written
 * field still holds the written value; a create is unchanged when nobody modified the record after
 * the entry was logged (the log entry is written after the create, so the record's
 * LastModifiedDate is not later than the entry's time unless someone edited it since).
 */
export function checkUnchanged(
    plan: UndoPlan,
    record: CurrentRecord,
    entryOccurredAt: string
): ChangeCheck {
    const changed: string[] = [];
    const unreadable: string[] = [];
    if (plan.kind === 'update') {
        for (const [field, written] of Object.entries(plan.written)) {
            const current = record.fields[field];
            if (!current) unreadable.push(field);
            else if (!sameValue(written, current.value)) changed.push(field);
        }
    }
    const modified = record.fields.LastModifiedDate;
    const by = record.fields.LastModifiedBy?.value as
        | { fields?: { Name?: { value?: unknown } } }
        | null
        | undefined;
    const check: ChangeCheck = {
        changed,
        unreadable,
        lastModifiedBy:
            typeof by?.fields?.Name?.value === 'string'
                ? by.fields.Name.value
                : (record.fields.LastModifiedBy?.displayValue ?? null),
        lastModifiedDate:
            (modified?.displayValue ?? (modified?.value as string | undefined)) || null
    };
    if (plan.kind === 'create') {
        const modifiedAt = Date.parse(String(modified?.value ?? ''));
        const loggedAt = Date.parse(entryOccurredAt);
        if (Number.isNaN(modifiedAt) || Number.isNaN(loggedAt)) {
            check.unreadable.push('LastModifiedDate');
        } else if (modifiedAt > loggedAt) {
            check.changed.push('LastModifiedDate');
        }
    }
    return check;
}

/** A logged value as the diff shows it. */
export function displayValue(value: unknown): string {
    if (value === null || value === undefined || value === '') return '';
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
}

export interface DiffRow {
    field: string;
    before: string;
    after: string;
}

/** Field-by-field before → after, in the order the fields were written. */
export function diffRows(prior: FieldValues | null, next: FieldValues | null): DiffRow[] {
    const fields = [...new Set([...Object.keys(next ?? {}), ...Object.keys(prior ?? {})])];
    return fields.map((field) => ({
        field,
        before: displayValue(prior?.[field]),
        after: displayValue(next?.[field])
    }));
}

/** JSON shown indented for reading; anything else as it is. */
export function prettyJson(text: string | null | undefined): string {
    if (!text) return '';
    try {
        return JSON.stringify(JSON.parse(text), null, 2);
    } catch {
        return text;
    }
}

/**
 * `lightning/uiRecordApi` over the stand-in org's UI API: the same adapters and functions the
 * platform gives components, fetching `/services/data/v62.0/ui-api/records/...` as the workbench user.
 */
import { FetchingWireAdapter } from './wireAdapter';
import { orgFetch, uiApiPath, type OrgFetchError } from './session';

interface UiApiError {
    errorCode?: string;
    message?: string;
    fields?: string[];
}

/**
 * Lightning Data Service's error shape: the UI API's `[{ errorCode, message, fields }]` becomes
 * `body: { message, statusCode, errorCode, output: { errors, fieldErrors } }`, so components read
 * `error.body.message` and field errors as they do on the platform.
 */
export function ldsError(error: unknown): unknown {
    const failure = error as OrgFetchError | undefined;
    if (!failure || !Array.isArray(failure.body)) {
        return error;
    }
    const errors = failure.body as UiApiError[];
    const fieldErrors: Record<string, { errorCode?: string; field: string; message?: string }[]> =
        {};
    for (const item of errors) {
        for (const field of item.fields ?? []) {
            (fieldErrors[field] ??= []).push({
                errorCode: item.errorCode,
                field,
                message: item.message
            });
        }
    }
    const first = errors[0];
    return {
        ...failure,
        body: {
            message: first?.message ?? failure.statusText,
            statusCode: failure.status,
            errorCode: first?.errorCode,
            output: {
                errors: errors.filter((item) => !item.fields?.length),
                fieldErrors
            }
        }
    };
}

function withLdsErrors<T>(request: Promise<T>): Promise<T> {
    return request.catch((error: unknown) => {
        throw ldsError(error);
    });
}

/** A field as components name it: an `@salesforce/schema` import or `'Account.Name'`. */
export type FieldId = string | { objectApiName: string; fieldApiName: string };

export interface UiField {
    value: unknown;
    displayValue: string | null;
}

export interface UiRecord {
    id: string;
    apiName: string;
    fields: Record<string, UiField>;
    [key: string]: unknown;
}

export interface GetRecordConfig {
    recordId?: string;
    fields?: FieldId | FieldId[];
    optionalFields?: FieldId | FieldId[];
    layoutTypes?: string | string[];
    modes?: string | string[];
}

/** `'Account.Owner.Name'` from either way of naming a field. */
export function qualifiedFieldName(field: FieldId): string {
    return typeof field === 'string' ? field : `${field.objectApiName}.${field.fieldApiName}`;
}

function fieldList(fields: FieldId | FieldId[] | undefined): string[] {
    if (fields === undefined) {
        return [];
    }
    return (Array.isArray(fields) ? fields : [fields]).map(qualifiedFieldName);
}

/** Walks `Account.Owner.Name` through a record's nested field values. */
function fieldAt(record: UiRecord | undefined, field: FieldId): UiField | undefined {
    const [, ...path] = qualifiedFieldName(field).split('.');
    let current: UiRecord | undefined = record;
    let found: UiField | undefined;
    for (const [index, name] of path.entries()) {
        found = current?.fields?.[name];
        if (!found) {
            return undefined;
        }
        if (index < path.length - 1) {
            current = found.value as UiRecord | undefined;
        }
    }
    return found;
}

export function getFieldValue(record: UiRecord | undefined, field: FieldId): unknown {
    return fieldAt(record, field)?.value;
}

export function getFieldDisplayValue(record: UiRecord | undefined, field: FieldId): unknown {
    return fieldAt(record, field)?.displayValue;
}

/** Live getRecord adapters, so an update refreshes every component showing that record. */
const liveRecordAdapters = new Set<getRecord>();

export class getRecord extends FetchingWireAdapter<GetRecordConfig, UiRecord> {
    override connect(): void {
        liveRecordAdapters.add(this);
        super.connect();
    }

    override disconnect(): void {
        liveRecordAdapters.delete(this);
        super.disconnect();
    }

    get recordId(): string | undefined {
        return this.config?.recordId;
    }

    protected load(config: GetRecordConfig): Promise<UiRecord> | undefined {
        if (!config.recordId) {
            return undefined;
        }
        const query = new URLSearchParams();
        const fields = fieldList(config.fields);
        const optionalFields = fieldList(config.optionalFields);
        if (fields.length > 0) query.set('fields', fields.join(','));
        if (optionalFields.length > 0) query.set('optionalFields', optionalFields.join(','));
        const search = query.toString();
        return withLdsErrors(
            orgFetch(
                uiApiPath(`records/${encodeURIComponent(config.recordId)}`) +
                    (search ? `?${search}` : '')
            ) as Promise<UiRecord>
        );
    }
}

/** Tells every component showing these records to fetch them again. */
export async function notifyRecordUpdateAvailable(items: { recordId: string }[]): Promise<void> {
    const ids = new Set(items.map((item) => item.recordId));
    for (const adapter of liveRecordAdapters) {
        if (adapter.recordId && ids.has(adapter.recordId)) {
            adapter.refresh();
        }
    }
}

export interface RecordInput {
    apiName?: string;
    fields: Record<string, unknown>;
}

export async function updateRecord(
    recordInput: RecordInput,
    clientOptions?: { ifUnmodifiedSince?: string }
): Promise<UiRecord> {
    const { Id: id, ...fields } = recordInput.fields;
    if (typeof id !== 'string') {
        throw new Error('updateRecord needs fields.Id');
    }
    // As on the platform: a conflict check becomes the UI API's If-Unmodified-Since header.
    const since = clientOptions?.ifUnmodifiedSince;
    const record = (await withLdsErrors(
        orgFetch(uiApiPath(`records/${encodeURIComponent(id)}`), {
            method: 'PATCH',
            body: JSON.stringify({ fields }),
            ...(since ? { headers: { 'if-unmodified-since': since } } : {})
        })
    )) as UiRecord;
    await notifyRecordUpdateAvailable([{ recordId: id }]);
    return record;
}

export async function createRecord(recordInput: RecordInput): Promise<UiRecord> {
    return (await withLdsErrors(
        orgFetch(uiApiPath('records'), {
            method: 'POST',
            body: JSON.stringify({ apiName: recordInput.apiName, fields: recordInput.fields })
        })
    )) as UiRecord;
}

/** The platform's `getRecordNotifyChange`, kept for components written before its replacement. */
export function getRecordNotifyChange(items: { recordId: string }[]): void {
    void notifyRecordUpdateAvailable(items);
}

/** Deletes a record as the workbench user (the stand-in org answers 204, or LDS-shaped errors). */
export async function deleteRecord(recordId: string): Promise<void> {
    await withLdsErrors(
        orgFetch(uiApiPath(`records/${encodeURIComponent(recordId)}`), { method: 'DELETE' })
    );
}

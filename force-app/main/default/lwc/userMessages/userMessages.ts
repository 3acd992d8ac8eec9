/**
 * Turning Salesforce's answers into sentences a user can act on, for every Resident component:
 * Custom Labels with `{0}` placeholders, and the readable message inside an Apex, LDS or
 * JavaScript error (never an object dump).
 */

/** Fills `{0}`, `{1}`... in a Custom Label, the way Salesforce's own format helpers do. */
export function formatLabel(label: string, ...values: (string | number)[]): string {
    return label.replace(/\{(\d+)\}/g, (match, index: string) => {
        const value = values[Number(index)];
        return value === undefined ? match : String(value);
    });
}

interface ErrorBody {
    message?: string;
    /** uiRecordApi: validation rule and field errors. */
    output?: {
        errors?: { message?: string }[];
        fieldErrors?: Record<string, { message?: string }[]>;
    };
    /** Apex: a page error or DML error list. */
    pageErrors?: { message?: string }[];
    fieldErrors?: Record<string, { message?: string }[]>;
}

/** The readable message of an Apex, LDS or JavaScript error. */
export function readableError(error: unknown): string {
    const body = (error as { body?: ErrorBody | ErrorBody[] } | null)?.body;
    const messages: string[] = [];
    const collect = (b: ErrorBody) => {
        const before = messages.length;
        for (const e of b.output?.errors ?? []) if (e.message) messages.push(e.message);
        for (const list of Object.values(b.output?.fieldErrors ?? {})) {
            for (const e of list) if (e.message) messages.push(e.message);
        }
        for (const e of b.pageErrors ?? []) if (e.message) messages.push(e.message);
        for (const list of Object.values(b.fieldErrors ?? {})) {
            for (const e of list) if (e.message) messages.push(e.message);
        }
        // LDS puts a generic "An error occurred while trying to update the record" beside the
        // specific ones: only fall back to it.
        if (messages.length === before && b.message) messages.push(b.message);
    };
    if (Array.isArray(body)) body.forEach(collect);
    else if (body && typeof body === 'object') collect(body);
    if (messages.length > 0) return [...new Set(messages)].join(' ');
    if (error instanceof Error && error.message) return error.message;
    if (typeof error === 'string' && error) return error;
    return String((error as { message?: unknown })?.message ?? error);
}

/** How a page-level message looks: SLDS alert tone by variant. */
export type NoticeVariant = 'success' | 'warning' | 'error';

/** The SLDS alert classes for a notice (an error unless it says otherwise). */
export function noticeClass(variant: NoticeVariant | undefined): string {
    const tone =
        variant === 'success'
            ? 'slds-theme_success'
            : variant === 'warning'
              ? 'slds-theme_warning'
              : 'slds-theme_error';
    return `slds-notify slds-notify_alert slds-m-bottom_small ${tone}`;
}

/** Success is announced politely (status); warnings and errors interrupt (alert). */
export function noticeRole(variant: NoticeVariant | undefined): string {
    return variant === 'success' ? 'status' : 'alert';
}

import { OrgError, type OrgStore, type OrgUser } from '../orgStore';

// What every Apex double shares: how it receives its call, how it checks parameters the way an
// `@AuraEnabled` method's typed parameters and its own validation would, and how it answers
// errors (AuraHandledException with a message a user can act on).

export type ApexContext = {
    user: OrgUser;
    store: OrgStore;
    /** The stand-in's start options and counters the doubles may read. */
    settings: {
        relayUrl: string;
        orgKey?: string;
        /** Trust center (issue 7): replaces or removes the stored org key (rotation, disconnect). */
        setOrgKey?: (orgKey: string | undefined) => void;
        apiRequests?: { used: number; limit: number };
    };
};
export type ApexParams = Record<string, unknown>;
export type ApexDouble = (params: ApexParams, context: ApexContext) => unknown;

/** Thrown by a double to answer like an AuraHandledException. */
export class AuraHandledError extends Error {}

const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export function optionalString(
    params: ApexParams,
    name: string,
    max: number,
    what = name
): string | null {
    const value = params[name];
    if (value === undefined || value === null || value === '') return null;
    if (typeof value !== 'string') throw new AuraHandledError(`${what} must be text.`);
    if (value.length > max) {
        throw new AuraHandledError(
            `${what} is too long: at most ${max.toLocaleString('en-US')} characters.`
        );
    }
    return value;
}

export function requiredString(params: ApexParams, name: string, max: number, what = name): string {
    const value = optionalString(params, name, max, what);
    if (value === null || value.trim() === '') throw new AuraHandledError(`${what} is required.`);
    return value;
}

export function optionalId(params: ApexParams, name: string, what = name): string | null {
    const value = params[name];
    if (value === undefined || value === null || value === '') return null;
    if (typeof value !== 'string' || !SALESFORCE_ID.test(value)) {
        throw new AuraHandledError(`${what} is not a valid Salesforce record ID.`);
    }
    return value;
}

export function requiredId(params: ApexParams, name: string, what = name): string {
    const value = optionalId(params, name, what);
    if (value === null) throw new AuraHandledError(`${what} is required.`);
    return value;
}

export function optionalInteger(
    params: ApexParams,
    name: string,
    min: number,
    max: number,
    what = name
): number | null {
    const value = params[name];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
        throw new AuraHandledError(`${what} must be a whole number from ${min} to ${max}.`);
    }
    return value;
}

export function requiredBoolean(params: ApexParams, name: string, what = name): boolean {
    const value = params[name];
    if (typeof value !== 'boolean') throw new AuraHandledError(`${what} must be true or false.`);
    return value;
}

/** Quoted for a SOQL string literal (ids and picklist values are validated before they get here). */
export function soqlLiteral(value: string): string {
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * `text` for a LIKE pattern with its own `%`, `_` and backslashes matching themselves, as the Apex
 * escapes a search term before binding it (DocumentSampleRecordFinder, ReportSchedulePickers,
 * ReportQueryBuilder).
 */
export function likeEscaped(text: string): string {
    return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * A LIKE pattern (wildcards and escapes as Apex would bind it) quoted for SOQL text: only the quote
 * needs escaping, since the pattern's backslashes are already its own escapes.
 */
export function soqlLikeLiteral(pattern: string): string {
    return `'${pattern.replace(/'/g, "\\'")}'`;
}

/**
 * Runs user-mode work and turns the org's refusals into the messages the real controller gives:
 * a record out of reach reads as "does not exist" (Salesforce does not say which), a refused
 * write says what permission is missing, and a field or type error keeps Salesforce's text.
 */
export function asUser<T>(
    work: () => T,
    messages: {
        notFound?: string;
        noAccess?: string;
        /** The controller's own wording of other errors, by Salesforce error code. */
        byCode?: Record<string, (message: string) => string>;
    } = {}
): T {
    try {
        return work();
    } catch (err) {
        if (!(err instanceof OrgError)) throw err;
        const worded = messages.byCode?.[err.errorCode];
        if (worded) throw new AuraHandledError(worded(err.message));
        if (
            err.errorCode === 'NOT_FOUND' ||
            err.errorCode === 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY'
        ) {
            throw new AuraHandledError(
                messages.notFound ?? 'The record does not exist, or you do not have access to it.'
            );
        }
        if (err.errorCode === 'INSUFFICIENT_ACCESS_OR_READONLY') {
            throw new AuraHandledError(
                messages.noAccess ?? 'You do not have permission to make this change.'
            );
        }
        throw new AuraHandledError(err.message);
    }
}

/** The stand-in stores `2026-01-15T09:00:00.000+0000`; Apex serializes Datetimes as ISO 8601 (Z). */
export function isoDateTime(value: unknown): string | null {
    if (typeof value !== 'string' || value === '') return null;
    const time = Date.parse(value.replace(/\+0000$/, 'Z'));
    return Number.isNaN(time) ? null : new Date(time).toISOString();
}

export function nowDateTime(): string {
    return new Date().toISOString().replace('Z', '+0000');
}

export function numberOr(value: unknown, fallback: number): number {
    return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export function stringOrNull(value: unknown): string | null {
    return typeof value === 'string' && value !== '' ? value : null;
}

/** Text cut to `max` characters, marked with an ellipsis, as Apex's String.abbreviate does. */
export function abbreviate(text: string, max: number): string {
    return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Turning a field's value into the text a document shows, by the user's locale (Intl, with the
 * locale passed in, never the machine's) and the record's currency. Always returns plain text.
 */
import type { Formatter, Literal } from './templateParser';

/** What a field holds, from the describe; decides the default format and rich text handling. */
export type FieldKind =
    | 'text'
    | 'richText'
    | 'date'
    | 'datetime'
    | 'time'
    | 'currency'
    | 'percent'
    | 'number'
    | 'boolean'
    | 'other';

/** UI API and Apex describe data types (any case) to a kind. */
export function fieldKind(dataType: string | undefined, htmlFormatted?: boolean): FieldKind {
    const type = (dataType ?? '').toLowerCase();
    if (htmlFormatted || type === 'richtextarea' || type === 'html') return 'richText';
    switch (type) {
        case 'date':
            return 'date';
        case 'datetime':
            return 'datetime';
        case 'time':
            return 'time';
        case 'currency':
            return 'currency';
        case 'percent':
            return 'percent';
        case 'double':
        case 'int':
        case 'integer':
        case 'long':
        case 'number':
            return 'number';
        case 'boolean':
            return 'boolean';
        case 'string':
        case 'textarea':
        case 'email':
        case 'phone':
        case 'url':
        case 'picklist':
        case 'multipicklist':
        case 'combobox':
        case 'id':
        case 'reference':
        case 'encryptedstring':
            return 'text';
        default:
            return 'other';
    }
}

export interface FormatContext {
    locale: string;
    /** IANA time zone for date-times (the user's); dates are calendar days and never shift. */
    timeZone?: string;
    /** The ISO code for currency values: the record's `CurrencyIsoCode`, else the org's. */
    currencyIsoCode: string;
    yes: string;
    no: string;
}

export function isEmpty(value: unknown): boolean {
    return value === null || value === undefined || value === '';
}

function asNumber(value: unknown): number | null {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
        return Number(value);
    return null;
}

/** `2026-03-14` as a calendar day (UTC noon, so no time zone moves it to another day). */
function asDate(value: unknown, kind: FieldKind): Date | null {
    if (typeof value !== 'string' && typeof value !== 'number') return null;
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
        return new Date(`${value}T12:00:00Z`);
    }
    const date = new Date(typeof value === 'string' ? value.replace(/\+0000$/, 'Z') : value);
    if (Number.isNaN(date.getTime())) return null;
    return kind === 'date'
        ? new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), 12))
        : date;
}

function dateText(
    value: unknown,
    kind: FieldKind,
    style: string | undefined,
    withTime: boolean,
    ctx: FormatContext
): string {
    const date = asDate(value, kind);
    if (!date) return String(value);
    const isDay =
        kind === 'date' || (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value));
    const timeZone = isDay ? 'UTC' : ctx.timeZone;
    if (style === 'iso') return isDay ? date.toISOString().slice(0, 10) : date.toISOString();
    const options: Intl.DateTimeFormatOptions =
        style === undefined
            ? // Salesforce shows dates as e.g. 3/14/2026, 14.3.2026, 2026/03/14: numeric, four-digit year.
              { year: 'numeric', month: 'numeric', day: 'numeric', timeZone }
            : { dateStyle: style as 'short' | 'medium' | 'long' | 'full', timeZone };
    if (withTime && !isDay) {
        if (style === undefined) Object.assign(options, { hour: 'numeric', minute: '2-digit' });
        else options.timeStyle = 'short';
    }
    return new Intl.DateTimeFormat(ctx.locale, options).format(date);
}

function numberText(value: unknown, options: Intl.NumberFormatOptions, ctx: FormatContext): string {
    const n = asNumber(value);
    return n === null ? String(value) : new Intl.NumberFormat(ctx.locale, options).format(n);
}

function currencyOptions(code: string, ctx: FormatContext): Intl.NumberFormatOptions {
    return { style: 'currency', currency: code || ctx.currencyIsoCode, currencyDisplay: 'symbol' };
}

function digits(arg: Literal | undefined): Intl.NumberFormatOptions {
    return typeof arg === 'number'
        ? { minimumFractionDigits: arg, maximumFractionDigits: arg }
        : {};
}

/** A value as the field's kind shows it when the template names no formatter. */
function defaultText(value: unknown, kind: FieldKind, ctx: FormatContext): string {
    switch (kind) {
        case 'date':
            return dateText(value, kind, undefined, false, ctx);
        case 'datetime':
            return dateText(value, kind, undefined, true, ctx);
        case 'currency':
            return numberText(value, currencyOptions(ctx.currencyIsoCode, ctx), ctx);
        case 'percent':
            return numberText(
                asNumber(value) === null ? value : (asNumber(value) as number) / 100,
                { style: 'percent', maximumFractionDigits: 2 },
                ctx
            );
        case 'number':
            return numberText(value, {}, ctx);
        case 'boolean':
            return value === true || value === 'true' ? ctx.yes : ctx.no;
        default:
            return typeof value === 'object' ? '' : String(value);
    }
}

/**
 * The value's text after the template's formatters, in order. An empty value stays empty (and
 * prints nothing) until a `default` supplies text; a value a formatter cannot read (a date
 * formatter on a name) prints as it is rather than failing the document.
 */
export function formatValue(
    value: unknown,
    kind: FieldKind,
    formatters: Formatter[],
    ctx: FormatContext
): string {
    let current: unknown = value;
    let text: string | null = null;
    let formatted = false;
    for (const f of formatters) {
        const arg = f.args[0];
        if (f.name === 'default') {
            if (isEmpty(current) || text === '') {
                text = String(arg);
                current = text;
                formatted = true;
            }
            continue;
        }
        if (isEmpty(current)) continue;
        switch (f.name) {
            case 'date':
                text = dateText(
                    current,
                    kind === 'datetime' ? 'datetime' : 'date',
                    arg as string | undefined,
                    false,
                    ctx
                );
                break;
            case 'datetime':
                text = dateText(
                    current,
                    kind === 'date' ? 'date' : 'datetime',
                    arg as string | undefined,
                    true,
                    ctx
                );
                break;
            case 'number':
                text = numberText(current, digits(arg), ctx);
                break;
            case 'currency':
                text = numberText(
                    current,
                    currencyOptions(typeof arg === 'string' ? arg : ctx.currencyIsoCode, ctx),
                    ctx
                );
                break;
            case 'percent': {
                const n = asNumber(current);
                // Salesforce stores percent fields as 25 for 25 %.
                text =
                    n === null
                        ? String(current)
                        : numberText(
                              n / 100,
                              {
                                  style: 'percent',
                                  ...digits(arg),
                                  ...(arg === undefined ? { maximumFractionDigits: 2 } : {})
                              },
                              ctx
                          );
                break;
            }
            case 'upper':
                text = (text ?? defaultText(current, kind, ctx)).toLocaleUpperCase(ctx.locale);
                break;
            case 'lower':
                text = (text ?? defaultText(current, kind, ctx)).toLocaleLowerCase(ctx.locale);
                break;
            default:
                break;
        }
        formatted = true;
        current = text;
    }
    if (formatted) return text ?? '';
    return isEmpty(value) ? '' : defaultText(value, kind, ctx);
}

/** Compares two values for `{{#if}}` and `where`: numbers as numbers, text without case. */
export function compareValues(left: unknown, right: unknown): number | null {
    if (isEmpty(left) || isEmpty(right)) return null;
    const a = asNumber(left);
    const b = asNumber(right);
    if (a !== null && b !== null && typeof left !== 'boolean' && typeof right !== 'boolean')
        return a - b;
    if (typeof left === 'boolean' || typeof right === 'boolean') {
        return String(left).toLowerCase() === String(right).toLowerCase() ? 0 : null;
    }
    return String(left).localeCompare(String(right), 'en', { sensitivity: 'accent' });
}

/** What `{{#if Field}}` treats as true: not empty, not false, not zero. */
export function isTruthy(value: unknown): boolean {
    if (isEmpty(value) || value === false || value === 0) return false;
    if (Array.isArray(value)) return value.length > 0;
    return true;
}

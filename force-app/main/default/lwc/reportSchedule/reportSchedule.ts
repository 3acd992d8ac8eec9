/**
 * Scheduled reports, written once: what a schedule says (stored as fields of
 * `Resident_Report_Schedule__c`), what a run records (`Resident_Report_Run__c`), and the rules both
 * sides must compute the same way. The `reportScheduler` component imports it as
 * `c/reportSchedule`; the relay's cron handler imports the same file by relative path.
 *
 * Types, constants and pure functions only: no DOM, Node or Workers APIs.
 *
 * THIS FILE IS THE CONTRACT. Its exported names and signatures are fixed; the bodies of the
 * functions marked "to implement" are written by the relay side of issue 6.
 */

// ---------------------------------------------------------------------------------------------
// The objects (API names the relay queries over REST and the component reads through LDS/Apex)
// ---------------------------------------------------------------------------------------------

export const SCHEDULE_OBJECT = 'Resident_Report_Schedule__c';
export const RUN_OBJECT = 'Resident_Report_Run__c';

/** Fields of `Resident_Report_Schedule__c` (besides Id, Name = the schedule's name, OwnerId). */
export const SCHEDULE_FIELDS = Object.freeze({
    sourceType: 'Source_Type__c', // picklist: Report | Query
    reportId: 'Report_Id__c', // Text(18): a Salesforce report id, for Source_Type__c = Report
    queryDefinition: 'Query_Definition__c', // Long text: JSON of QueryDefinition
    format: 'Format__c', // picklist: PDF | CSV
    frequency: 'Frequency__c', // Long text(1000): JSON of Frequency
    timeZone: 'Time_Zone__c', // Text(64): an IANA zone, e.g. Europe/Berlin
    recipients: 'Recipients__c', // Long text: JSON of Recipient[]
    perRecipient: 'Per_Recipient__c', // Checkbox: render once per internal recipient, as them
    aiSummary: 'AI_Summary__c', // Checkbox: add a model-written summary (under the egress policy)
    active: 'Active__c', // Checkbox
    nextRunAt: 'Next_Run_At__c', // DateTime: when it is next due (UTC in the API)
    lastRunAt: 'Last_Run_At__c', // DateTime
    lastStatus: 'Last_Status__c' // picklist: RunStatus
});

/** Fields of `Resident_Report_Run__c` (Name is an auto-number, RUN-0000001). */
export const RUN_FIELDS = Object.freeze({
    schedule: 'Schedule__c', // Master-detail to the schedule
    trigger: 'Trigger__c', // picklist: Cron tick | Run now
    dueAt: 'Due_At__c', // DateTime: the due time this run serves (cron) or its start (run now)
    startedAt: 'Started_At__c', // DateTime
    finishedAt: 'Finished_At__c', // DateTime
    status: 'Status__c', // picklist: RunStatus
    steps: 'Steps__c', // Long text: JSON of RunStep[]
    error: 'Error__c', // Long text: a readable reason, never a stack trace
    rows: 'Rows__c', // Number: rows reported
    fileId: 'File_Id__c', // Text(18): the ContentDocument id of the result
    recipientUser: 'Recipient_User__c' // Lookup(User): set in per-recipient mode
});

export type SourceType = 'Report' | 'Query';
export type ReportFormat = 'PDF' | 'CSV';
export type RunTrigger = 'Cron tick' | 'Run now';
export type RunStatus = 'Running' | 'Succeeded' | 'Failed' | 'Skipped';

/** A query the user builds in the component (never free SOQL): the relay and browser compose it. */
export interface QueryDefinition {
    object: string;
    /** Field API names, parent paths allowed (Owner.Name). */
    fields: string[];
    filters: QueryFilter[];
    /** Field to group rows by (rows sorted by it, a subtotal per group). */
    groupBy?: string | null;
    /** Numeric fields totalled at the end (and per group). */
    totals?: string[];
    orderBy?: { field: string; direction: 'ASC' | 'DESC' } | null;
    /** At most MAX_REPORT_ROWS. */
    limit?: number | null;
}

export type FilterOperator =
    | 'equals'
    | 'notEquals'
    | 'lessThan'
    | 'greaterThan'
    | 'lessOrEqual'
    | 'greaterOrEqual'
    | 'contains'
    | 'startsWith'
    | 'in'
    | 'isNull'
    | 'isNotNull';

export interface QueryFilter {
    field: string;
    operator: FilterOperator;
    /** A string, number, boolean, ISO date, a date literal (TODAY, LAST_N_DAYS:30), or a list for `in`. */
    value?: string | number | boolean | (string | number)[] | null;
}

export type Weekday = 'MON' | 'TUE' | 'WED' | 'THU' | 'FRI' | 'SAT' | 'SUN';

export type Frequency =
    /** Every hour at `minute` past. */
    | { kind: 'hourly'; minute: number }
    /** Every day at `time` (HH:mm, in the schedule's time zone). */
    | { kind: 'daily'; time: string }
    | { kind: 'weekly'; time: string; days: Weekday[] }
    /** `day` 1–31; a month without that day runs on its last day. */
    | { kind: 'monthly'; time: string; day: number }
    /** Five fields: minute hour day-of-month month day-of-week, in the schedule's time zone. */
    | { kind: 'cron'; expression: string };

export type Recipient = { type: 'user'; userId: string } | { type: 'email'; address: string };

export interface RunStep {
    /** ISO 8601. */
    at: string;
    step: 'claim' | 'sign_in' | 'read' | 'render' | 'summarise' | 'upload' | 'email' | 'record';
    /** `warning`: the step did its work, but the recipients get less than they may expect (a cut report). */
    outcome: 'ok' | 'retry' | 'failed' | 'skipped' | 'warning';
    detail?: string;
}

export const SCHEDULE_LIMITS = Object.freeze({
    /** Rows a run reports at most (the relay pages with queryMore up to this). */
    maxReportRows: 50_000,
    /**
     * Rows a PDF report holds at most (about 360 landscape pages). Rendering costs the relay ~0.2 ms
     * of CPU a row and all of a tick's reports share the cron trigger's 30 s of CPU and the
     * isolate's 128 MB (scripts/benchScheduler.ts); larger reports are delivered as CSV.
     */
    maxPdfRows: 10_000,
    recipientsPerSchedule: 50,
    /** The shortest gap between two runs of one schedule. */
    minIntervalMinutes: 60,
    fieldsPerQuery: 50,
    filtersPerQuery: 20
});

/** A schedule as both sides handle it once its fields are parsed. */
export interface ReportScheduleDefinition {
    id?: string;
    name: string;
    ownerId?: string;
    sourceType: SourceType;
    reportId?: string | null;
    query?: QueryDefinition | null;
    format: ReportFormat;
    frequency: Frequency;
    timeZone: string;
    recipients: Recipient[];
    perRecipient: boolean;
    aiSummary: boolean;
    active: boolean;
}

/** A problem with a schedule, for the form (field) and the relay (a run that cannot start). */
export interface ScheduleProblem {
    field: keyof ReportScheduleDefinition | 'frequency.time' | 'frequency.days' | 'query.fields';
    message: string;
}

// ---------------------------------------------------------------------------------------------
// Rules both sides compute the same way (implemented by the relay side of issue 6)
// ---------------------------------------------------------------------------------------------

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** How far ahead a search for the next due time looks (a cron for 29 February needs 8 years). */
const MAX_SEARCH_DAYS = 366 * 8 + 2;
const WEEKDAYS: readonly Weekday[] = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** A wall-clock time in some zone, as the numbers a person reads (month 1–12). */
interface WallTime {
    year: number;
    month: number;
    day: number;
    hour: number;
    minute: number;
}

// Intl formatters are costly to build; one per zone for the life of the module (pure: no I/O).
const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
    let formatter = zoneFormatters.get(timeZone);
    if (!formatter) {
        formatter = new Intl.DateTimeFormat('en-US', {
            timeZone,
            hourCycle: 'h23',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric'
        });
        zoneFormatters.set(timeZone, formatter);
    }
    return formatter;
}

/** Whether `timeZone` is an IANA zone this runtime knows (Intl throws a RangeError otherwise). */
export function isKnownTimeZone(timeZone: unknown): boolean {
    if (typeof timeZone !== 'string' || timeZone.trim() === '' || timeZone.length > 64)
        return false;
    try {
        formatterFor(timeZone);
        return true;
    } catch {
        return false;
    }
}

/** The wall time in `timeZone` at the instant `utcMs`, as milliseconds "as if UTC". */
function wallClockMs(utcMs: number, timeZone: string): number {
    const parts: Record<string, number> = {};
    for (const part of formatterFor(timeZone).formatToParts(new Date(utcMs))) {
        if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    return Date.UTC(
        parts.year ?? 1970,
        (parts.month ?? 1) - 1,
        parts.day ?? 1,
        parts.hour ?? 0,
        parts.minute ?? 0,
        parts.second ?? 0
    );
}

/** The zone's offset from UTC at an instant, in ms (Berlin in summer: +7,200,000). */
function offsetAt(utcMs: number, timeZone: string): number {
    const whole = Math.floor(utcMs / 1000) * 1000;
    return wallClockMs(whole, timeZone) - whole;
}

/**
 * The instant a wall time names in a zone. Twice-occurring times (fall-back) give the first
 * occurrence; times that do not exist (the spring-forward gap) give the first valid time after
 * the gap, i.e. the instant of the change itself.
 */
function instantOf(wall: WallTime, timeZone: string): number {
    const local = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
    // Offsets in force a day either side cover every transition the time can fall into.
    const before = offsetAt(local - DAY_MS, timeZone);
    const after = offsetAt(local + DAY_MS, timeZone);
    const valid = [...new Set([before, after])]
        .map((offset) => local - offset)
        .filter((utc) => wallClockMs(utc, timeZone) === local)
        .sort((a, b) => a - b);
    if (valid[0] !== undefined) return valid[0];
    // In a gap: the change happened between (local - after) and (local - before); zones change
    // offset on whole minutes, so a binary search over minutes finds it.
    let low = Math.floor((local - after) / MINUTE_MS);
    let high = Math.ceil((local - before) / MINUTE_MS);
    while (high - low > 1) {
        const middle = Math.floor((low + high) / 2);
        if (offsetAt(middle * MINUTE_MS, timeZone) === before) low = middle;
        else high = middle;
    }
    return high * MINUTE_MS;
}

/** The calendar date (in the zone) of an instant, as a UTC midnight to step days with. */
function localDateMs(utcMs: number, timeZone: string): number {
    const wall = wallClockMs(utcMs, timeZone);
    return wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS);
}

function parseTimeOfDay(time: unknown): { hour: number; minute: number } | null {
    const match = typeof time === 'string' ? TIME_OF_DAY.exec(time) : null;
    return match ? { hour: Number(match[1]), minute: Number(match[2]) } : null;
}

function daysInMonth(year: number, month: number): number {
    return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

// ---- cron (five fields, the classic Vixie cron meaning) ----

/** A parsed cron expression: the values each field allows. */
export interface CronFields {
    minutes: number[];
    hours: number[];
    daysOfMonth: Set<number>;
    months: Set<number>;
    /** 0 = Sunday … 6 = Saturday (7 is read as Sunday). */
    daysOfWeek: Set<number>;
    /** Whether day-of-month / day-of-week were restricted (not `*`): both restricted = either matches. */
    domRestricted: boolean;
    dowRestricted: boolean;
}

const MONTH_NAMES = [
    'JAN',
    'FEB',
    'MAR',
    'APR',
    'MAY',
    'JUN',
    'JUL',
    'AUG',
    'SEP',
    'OCT',
    'NOV',
    'DEC'
];

function cronField(
    text: string,
    min: number,
    max: number,
    what: string,
    names?: readonly string[],
    nameBase = 0
): number[] {
    const values = new Set<number>();
    const valueOf = (token: string): number => {
        const upper = token.toUpperCase();
        const named = names ? names.indexOf(upper) : -1;
        if (named >= 0) return named + nameBase;
        if (!/^\d{1,2}$/.test(token))
            throw new Error(`The ${what} field has "${token}", which is not a number.`);
        const value = Number(token);
        if (value < min || value > max) {
            throw new Error(
                `The ${what} field must be between ${min} and ${max}; it has ${value}.`
            );
        }
        return value;
    };
    for (const item of text.split(',')) {
        const [range = '', stepText] = item.split('/');
        const step = stepText === undefined ? 1 : Number(stepText);
        if (
            !Number.isInteger(step) ||
            step < 1 ||
            (stepText !== undefined && !/^\d+$/.test(stepText))
        ) {
            throw new Error(
                `The ${what} field has a step "${stepText}" that is not a positive number.`
            );
        }
        let from: number;
        let to: number;
        if (range === '*') {
            from = min;
            to = max;
        } else if (range.includes('-')) {
            const [a = '', b = ''] = range.split('-');
            from = valueOf(a);
            to = valueOf(b);
            if (from > to)
                throw new Error(`The ${what} field has a range "${range}" that runs backwards.`);
        } else {
            from = valueOf(range);
            to = stepText === undefined ? from : max;
        }
        for (let v = from; v <= to; v += step) values.add(v);
    }
    return [...values].sort((a, b) => a - b);
}

/** Parses a five-field cron expression, or throws an Error whose message says what is wrong. */
export function parseCron(expression: string): CronFields {
    const fields = typeof expression === 'string' ? expression.trim().split(/\s+/) : [];
    if (fields.length !== 5 || fields.some((f) => f === '')) {
        throw new Error(
            'A cron expression has five fields: minute, hour, day of month, month, day of week.'
        );
    }
    const [minute = '', hour = '', dom = '', month = '', dow = ''] = fields;
    const daysOfWeek = new Set(
        cronField(dow, 0, 7, 'day-of-week', WEEKDAYS).map((d) => {
            // Cron allows 7 for Sunday as well as 0.
            return d === 7 ? 0 : d;
        })
    );
    return {
        minutes: cronField(minute, 0, 59, 'minute'),
        hours: cronField(hour, 0, 23, 'hour'),
        daysOfMonth: new Set(cronField(dom, 1, 31, 'day-of-month')),
        months: new Set(cronField(month, 1, 12, 'month', MONTH_NAMES, 1)),
        daysOfWeek,
        domRestricted: dom !== '*' && !dom.startsWith('*/'),
        dowRestricted: dow !== '*' && !dow.startsWith('*/')
    };
}

function cronMatchesDate(cron: CronFields, dateMs: number): boolean {
    const date = new Date(dateMs);
    if (!cron.months.has(date.getUTCMonth() + 1)) return false;
    const domOk = cron.daysOfMonth.has(date.getUTCDate());
    const dowOk = cron.daysOfWeek.has(date.getUTCDay());
    if (cron.domRestricted && cron.dowRestricted) return domOk || dowOk;
    return domOk && dowOk;
}

/** The wall times (hour, minute) a frequency runs at on one local date; none when it skips it. */
function timesOnDate(frequency: Frequency, dateMs: number, cron: CronFields | null): WallTime[] {
    const date = new Date(dateMs);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    const day = date.getUTCDate();
    const at = (hour: number, minute: number): WallTime => ({ year, month, day, hour, minute });
    switch (frequency.kind) {
        case 'hourly':
            return Array.from({ length: 24 }, (_, hour) => at(hour, frequency.minute));
        case 'daily':
        case 'weekly':
        case 'monthly': {
            const time = parseTimeOfDay(frequency.time);
            if (!time) throw new Error(`"${String(frequency.time)}" is not a time of day (HH:mm).`);
            if (frequency.kind === 'weekly') {
                const weekday = WEEKDAYS[date.getUTCDay()];
                if (!weekday || !frequency.days.includes(weekday)) return [];
            }
            if (frequency.kind === 'monthly') {
                // A month without the chosen day (the 31st in April) runs on its last day.
                const wanted = Math.min(frequency.day, daysInMonth(year, month));
                if (day !== wanted) return [];
            }
            return [at(time.hour, time.minute)];
        }
        case 'cron': {
            if (!cron || !cronMatchesDate(cron, dateMs)) return [];
            return cron.hours.flatMap((hour) => cron.minutes.map((minute) => at(hour, minute)));
        }
        default:
            // A kind the type does not know (stored JSON from a newer version): never due.
            return [];
    }
}

/**
 * The first due time strictly after `after`, in UTC, for the frequency in the schedule's time
 * zone — correct across daylight-saving changes (a 02:30 daily run on a spring-forward day runs at
 * the first valid local time after the gap; on a fall-back day it runs once, at the first 02:30).
 * Throws an Error (its message readable) for a frequency or zone `validateSchedule` refuses.
 */
export function nextRunAt(frequency: Frequency, timeZone: string, after: Date): Date {
    const afterMs = after.getTime();
    if (Number.isNaN(afterMs)) throw new Error('The time to start from is not a valid date.');
    if (!isKnownTimeZone(timeZone))
        throw new Error(`"${String(timeZone)}" is not a known time zone.`);
    const problem = frequencyProblems(frequency)[0];
    if (problem) throw new Error(problem.message);
    const cron = frequency.kind === 'cron' ? parseCron(frequency.expression) : null;
    if (frequency.kind === 'hourly') {
        // Every hour of elapsed time at `minute` past, by the local clock (zones with half-hour
        // offsets included); on a fall-back night the repeated hour runs too, as an hour has passed.
        let candidate = (Math.floor(afterMs / MINUTE_MS) + 1) * MINUTE_MS;
        for (let step = 0; step < 180; step++) {
            const wall = wallClockMs(candidate, timeZone);
            const localMinute = Math.floor((((wall % HOUR_MS) + HOUR_MS) % HOUR_MS) / MINUTE_MS);
            if (localMinute === frequency.minute) return new Date(candidate);
            // The local minute moves with the UTC minute: jump straight to the wanted one.
            candidate += ((frequency.minute - localMinute + 60) % 60) * MINUTE_MS;
        }
        throw new Error('No next run time was found for this frequency.');
    }
    // Start a day early: a wall time on the previous local date can still lie after `after`
    // only by a day, but starting early is cheap and keeps the search obviously complete.
    const firstDate = localDateMs(afterMs, timeZone) - DAY_MS;
    for (let d = 0; d <= MAX_SEARCH_DAYS; d++) {
        const dateMs = firstDate + d * DAY_MS;
        let best: number | null = null;
        for (const wall of timesOnDate(frequency, dateMs, cron)) {
            const instant = instantOf(wall, timeZone);
            if (instant > afterMs && (best === null || instant < best)) best = instant;
        }
        if (best !== null) return new Date(best);
    }
    throw new Error('This frequency never comes due (for example, a date that does not exist).');
}

// ---- validation ----

const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const OBJECT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;
const FIELD_PATH = /^[A-Za-z][A-Za-z0-9_]{0,79}(?:\.[A-Za-z][A-Za-z0-9_]{0,79}){0,5}$/;
// Deliberately plain: one @, no spaces or angle brackets, a dot in the domain. Salesforce checks
// deliverability itself; this catches typing mistakes and anything that could inject headers.
const EMAIL_ADDRESS = /^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+\.[A-Za-z]{2,}$/;
const FILTER_OPERATORS: readonly FilterOperator[] = [
    'equals',
    'notEquals',
    'lessThan',
    'greaterThan',
    'lessOrEqual',
    'greaterOrEqual',
    'contains',
    'startsWith',
    'in',
    'isNull',
    'isNotNull'
];
const MAX_NAME_LENGTH = 80;

/** Whether an id names a record of the given key prefix (User: 005, Report: 00O). */
function isIdWithPrefix(value: unknown, prefix: string): boolean {
    return typeof value === 'string' && SALESFORCE_ID.test(value) && value.startsWith(prefix);
}

export function isEmailAddress(value: unknown): boolean {
    return typeof value === 'string' && value.length <= 254 && EMAIL_ADDRESS.test(value);
}

/**
 * The shortest gap between two runs of a cron expression, simulated in UTC over eight years (a
 * 29 February cron runs twice in that time); `runs` 0 means it never comes due.
 */
function cronGaps(cron: CronFields): { shortestMinutes: number; runs: number } {
    let previous: number | null = null;
    let shortest = Number.POSITIVE_INFINITY;
    const start = Date.UTC(2024, 0, 1);
    let runs = 0;
    for (let d = 0; d < MAX_SEARCH_DAYS && runs < 2000; d++) {
        const dateMs = start + d * DAY_MS;
        if (!cronMatchesDate(cron, dateMs)) continue;
        for (const hour of cron.hours) {
            for (const minute of cron.minutes) {
                const at = dateMs + hour * HOUR_MS + minute * MINUTE_MS;
                if (previous !== null) shortest = Math.min(shortest, (at - previous) / MINUTE_MS);
                previous = at;
                runs += 1;
            }
        }
    }
    return { shortestMinutes: shortest, runs };
}

function frequencyProblems(frequency: Frequency | null | undefined): ScheduleProblem[] {
    const problem = (field: ScheduleProblem['field'], message: string): ScheduleProblem[] => [
        { field, message }
    ];
    if (!frequency || typeof frequency !== 'object') {
        return problem('frequency', 'Choose how often the report runs.');
    }
    const minInterval = SCHEDULE_LIMITS.minIntervalMinutes;
    switch (frequency.kind) {
        case 'hourly':
            return Number.isInteger(frequency.minute) &&
                frequency.minute >= 0 &&
                frequency.minute <= 59
                ? []
                : problem('frequency', 'Choose the minute past the hour, from 0 to 59.');
        case 'daily':
        case 'weekly':
        case 'monthly': {
            const problems: ScheduleProblem[] = [];
            if (!parseTimeOfDay(frequency.time)) {
                problems.push({
                    field: 'frequency.time',
                    message: 'Enter a time of day as HH:mm (24-hour), e.g. 07:30.'
                });
            }
            if (frequency.kind === 'weekly') {
                const days = Array.isArray(frequency.days) ? frequency.days : [];
                if (days.length === 0) {
                    problems.push({
                        field: 'frequency.days',
                        message: 'Choose at least one day of the week.'
                    });
                } else if (days.some((d) => !WEEKDAYS.includes(d))) {
                    problems.push({
                        field: 'frequency.days',
                        message: 'Days of the week must be MON, TUE, WED, THU, FRI, SAT or SUN.'
                    });
                } else if (new Set(days).size !== days.length) {
                    problems.push({
                        field: 'frequency.days',
                        message: 'Each day of the week can be chosen only once.'
                    });
                }
            }
            if (
                frequency.kind === 'monthly' &&
                !(Number.isInteger(frequency.day) && frequency.day >= 1 && frequency.day <= 31)
            ) {
                problems.push({
                    field: 'frequency',
                    message: 'Choose a day of the month from 1 to 31.'
                });
            }
            return problems;
        }
        case 'cron': {
            let cron: CronFields;
            try {
                cron = parseCron(frequency.expression);
            } catch (err) {
                return problem('frequency', err instanceof Error ? err.message : String(err));
            }
            const { shortestMinutes: gap, runs } = cronGaps(cron);
            if (runs === 0) {
                return problem(
                    'frequency',
                    'This cron expression never runs (it names a date that does not exist).'
                );
            }
            return gap < minInterval
                ? problem(
                      'frequency',
                      `Runs must be at least ${minInterval} minutes apart; this cron expression runs every ${gap} minutes.`
                  )
                : [];
        }
        default:
            return problem(
                'frequency',
                'Choose hourly, daily, weekly, monthly or a cron expression.'
            );
    }
}

/**
 * The problems of one filter (numbered from 0), as `validateSchedule` words them: for a form that
 * shows each problem beside its filter (the batch document generator's filters).
 */
export function queryFilterProblems(filter: QueryFilter, index: number): string[] {
    return filterProblems(filter, index);
}

function filterProblems(filter: QueryFilter, index: number): string[] {
    const where = `Filter ${index + 1}`;
    if (!filter || typeof filter !== 'object') return [`${where} is empty.`];
    const problems: string[] = [];
    if (typeof filter.field !== 'string' || !FIELD_PATH.test(filter.field)) {
        problems.push(`${where}: "${String(filter.field)}" is not a field API name.`);
    }
    if (!FILTER_OPERATORS.includes(filter.operator)) {
        problems.push(`${where}: "${String(filter.operator)}" is not an operator.`);
        return problems;
    }
    const value = filter.value;
    if (filter.operator === 'isNull' || filter.operator === 'isNotNull') return problems;
    if (filter.operator === 'in') {
        if (!Array.isArray(value) || value.length === 0 || value.length > 200) {
            problems.push(`${where}: "is one of" needs a list of 1 to 200 values.`);
        } else if (value.some((v) => !isScalarValue(v) || typeof v === 'boolean')) {
            problems.push(`${where}: every value in the list must be text or a number.`);
        }
        return problems;
    }
    if (!isScalarValue(value)) {
        problems.push(`${where}: enter a value to compare with.`);
    } else if (
        (filter.operator === 'contains' || filter.operator === 'startsWith') &&
        typeof value !== 'string'
    ) {
        problems.push(`${where}: "contains" and "starts with" compare text.`);
    }
    return problems;
}

function isScalarValue(value: unknown): value is string | number | boolean {
    return (
        typeof value === 'string' ||
        typeof value === 'boolean' ||
        (typeof value === 'number' && Number.isFinite(value))
    );
}

function queryProblems(query: QueryDefinition | null | undefined): ScheduleProblem[] {
    if (!query || typeof query !== 'object') {
        return [{ field: 'query', message: 'Build the query: choose an object and its fields.' }];
    }
    const problems: ScheduleProblem[] = [];
    const add = (field: ScheduleProblem['field'], message: string): void => {
        problems.push({ field, message });
    };
    if (typeof query.object !== 'string' || !OBJECT_NAME.test(query.object)) {
        add('query', 'Choose the object to report on.');
    }
    const fields = Array.isArray(query.fields) ? query.fields : [];
    const { fieldsPerQuery, filtersPerQuery, maxReportRows } = SCHEDULE_LIMITS;
    if (fields.length === 0) add('query.fields', 'Choose at least one field.');
    if (fields.length > fieldsPerQuery)
        add('query.fields', `Choose at most ${fieldsPerQuery} fields.`);
    const badFields = fields.filter((f) => typeof f !== 'string' || !FIELD_PATH.test(f));
    if (badFields.length > 0) {
        add('query.fields', `These are not field API names: ${badFields.map(String).join(', ')}.`);
    }
    const lowerFields = new Set(fields.map((f) => String(f).toLowerCase()));
    if (lowerFields.size !== fields.length)
        add('query.fields', 'Each field can be chosen only once.');
    const filters = Array.isArray(query.filters) ? query.filters : [];
    if (query.filters !== undefined && query.filters !== null && !Array.isArray(query.filters)) {
        add('query', 'Filters must be a list.');
    }
    if (filters.length > filtersPerQuery) add('query', `Use at most ${filtersPerQuery} filters.`);
    filters.forEach((filter, index) =>
        filterProblems(filter, index).forEach((m) => add('query', m))
    );
    if (query.groupBy !== undefined && query.groupBy !== null && query.groupBy !== '') {
        if (!lowerFields.has(String(query.groupBy).toLowerCase())) {
            add('query', 'Group rows by one of the chosen fields.');
        }
    }
    for (const total of query.totals ?? []) {
        if (!lowerFields.has(String(total).toLowerCase())) {
            add('query', `Totals must be of chosen fields; "${String(total)}" is not one.`);
        }
    }
    if (query.orderBy) {
        if (typeof query.orderBy.field !== 'string' || !FIELD_PATH.test(query.orderBy.field)) {
            add('query', 'Sort by a field API name.');
        }
        if (query.orderBy.direction !== 'ASC' && query.orderBy.direction !== 'DESC') {
            add('query', 'Sort ascending or descending.');
        }
    }
    if (query.limit !== undefined && query.limit !== null) {
        if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > maxReportRows) {
            add(
                'query',
                `The row limit must be a whole number from 1 to ${maxReportRows.toLocaleString('en-US')}.`
            );
        }
    }
    return problems;
}

/** Why a run refuses a PDF report that has more rows than a PDF holds (the run's error). */
export function pdfTooManyRowsMessage(): string {
    const max = SCHEDULE_LIMITS.maxPdfRows.toLocaleString('en-US');
    return `This report has more than ${max} rows, the most a PDF report holds. Choose CSV for a report this large, or narrow it with filters or a row limit of ${max} or less.`;
}

/** Every problem of a definition (empty when it can be saved and run). */
export function validateSchedule(
    definition: ReportScheduleDefinition,
    options?: { allowExternalRecipients?: boolean }
): ScheduleProblem[] {
    const problems: ScheduleProblem[] = [];
    const add = (field: ScheduleProblem['field'], message: string): void => {
        problems.push({ field, message });
    };
    if (!definition || typeof definition !== 'object') {
        return [{ field: 'name', message: 'The schedule is empty.' }];
    }
    const name = typeof definition.name === 'string' ? definition.name.trim() : '';
    if (name === '') add('name', 'Give the schedule a name.');
    else if (name.length > MAX_NAME_LENGTH)
        add('name', `The name can be at most ${MAX_NAME_LENGTH} characters.`);

    if (definition.sourceType === 'Report') {
        if (!isIdWithPrefix(definition.reportId, '00O')) {
            add('reportId', 'Choose a Salesforce report (its id starts with 00O).');
        }
    } else if (definition.sourceType === 'Query') {
        problems.push(...queryProblems(definition.query));
    } else {
        add('sourceType', 'Choose what to report: a Salesforce report or a query.');
    }
    if (definition.format !== 'PDF' && definition.format !== 'CSV')
        add('format', 'Choose PDF or CSV.');
    const rowLimit = definition.sourceType === 'Query' ? definition.query?.limit : undefined;
    if (
        definition.format === 'PDF' &&
        typeof rowLimit === 'number' &&
        rowLimit > SCHEDULE_LIMITS.maxPdfRows
    ) {
        add(
            'format',
            `A PDF report holds at most ${SCHEDULE_LIMITS.maxPdfRows.toLocaleString('en-US')} rows: choose CSV, or set the row limit to ${SCHEDULE_LIMITS.maxPdfRows.toLocaleString('en-US')} or less.`
        );
    }
    problems.push(...frequencyProblems(definition.frequency));
    if (!isKnownTimeZone(definition.timeZone)) {
        add('timeZone', 'Choose a time zone, such as Europe/Berlin or America/New_York.');
    }

    const recipients = Array.isArray(definition.recipients) ? definition.recipients : [];
    const { recipientsPerSchedule } = SCHEDULE_LIMITS;
    if (recipients.length === 0) add('recipients', 'Add at least one recipient.');
    if (recipients.length > recipientsPerSchedule) {
        add('recipients', `A schedule can have at most ${recipientsPerSchedule} recipients.`);
    }
    const seen = new Set<string>();
    for (const recipient of recipients) {
        if (recipient?.type === 'user') {
            if (!isIdWithPrefix(recipient.userId, '005')) {
                add('recipients', `"${String(recipient.userId)}" is not a user id.`);
                continue;
            }
            const key = `user:${recipient.userId.slice(0, 15)}`;
            if (seen.has(key)) add('recipients', 'A user is listed twice.');
            seen.add(key);
        } else if (recipient?.type === 'email') {
            if (!isEmailAddress(recipient.address)) {
                add('recipients', `"${String(recipient.address)}" is not an email address.`);
                continue;
            }
            if (!options?.allowExternalRecipients) {
                add(
                    'recipients',
                    `Your admin does not allow sending reports to email addresses; remove ${recipient.address} or choose a user.`
                );
            }
            const key = `email:${recipient.address.toLowerCase()}`;
            if (seen.has(key)) add('recipients', `${recipient.address} is listed twice.`);
            seen.add(key);
        } else {
            add('recipients', 'A recipient must be a user or an email address.');
        }
    }
    if (definition.perRecipient === true && !recipients.some((r) => r?.type === 'user')) {
        add(
            'perRecipient',
            'Rendering once per recipient needs at least one user among the recipients.'
        );
    }
    for (const flag of ['perRecipient', 'aiSummary', 'active'] as const) {
        if (typeof definition[flag] !== 'boolean') add(flag, 'Choose yes or no.');
    }
    return problems;
}

// ---- query composition ----

/** SOQL date literals (TODAY, LAST_N_DAYS:30, NEXT_FISCAL_QUARTER, …), written without quotes. */
const DATE_LITERAL =
    /^(?:YESTERDAY|TODAY|TOMORROW|(?:LAST|THIS|NEXT)_(?:WEEK|MONTH|QUARTER|YEAR|FISCAL_QUARTER|FISCAL_YEAR)|LAST_90_DAYS|NEXT_90_DAYS|(?:LAST|NEXT|N)_(?:N_)?(?:DAYS|WEEKS|MONTHS|QUARTERS|YEARS|FISCAL_QUARTERS|FISCAL_YEARS)(?:_AGO)?:\d{1,4})$/;
const ISO_DATE = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;
const ISO_DATE_TIME =
    /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,3})?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)$/;

/** Whether a filter value is written unquoted as a SOQL date, date-time or date literal. */
export function isDateValue(value: string): boolean {
    return DATE_LITERAL.test(value) || ISO_DATE.test(value) || ISO_DATE_TIME.test(value);
}

/** A SOQL string literal: quotes, backslashes and control characters escaped. */
export function soqlString(value: string): string {
    return `'${escapeSoqlText(value)}'`;
}

function escapeSoqlText(value: string): string {
    return value.replace(/[\\'"\n\r\t\b\f]/g, (c) => {
        switch (c) {
            case '\n':
                return '\\n';
            case '\r':
                return '\\r';
            case '\t':
                return '\\t';
            case '\b':
                return '\\b';
            case '\f':
                return '\\f';
            default:
                return `\\${c}`;
        }
    });
}

/** A LIKE pattern: the user's text escaped, its % and _ literal, around our own wildcards. */
function likePattern(before: string, text: string, after: string): string {
    return `'${before}${escapeSoqlText(text).replace(/[%_]/g, (c) => `\\${c}`)}${after}'`;
}

function soqlValue(value: string | number | boolean): string {
    if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
    if (typeof value === 'number') {
        if (!Number.isFinite(value)) throw new Error('A filter value must be a finite number.');
        return String(value);
    }
    return isDateValue(value) ? value : soqlString(value);
}

function checkedField(field: unknown): string {
    if (typeof field !== 'string' || !FIELD_PATH.test(field)) {
        throw new Error(`"${String(field)}" is not a field API name.`);
    }
    return field;
}

function condition(filter: QueryFilter): string {
    const field = checkedField(filter.field);
    const value = filter.value;
    const scalar = (): string | number | boolean => {
        if (!isScalarValue(value)) throw new Error(`The filter on ${field} needs a value.`);
        return value;
    };
    switch (filter.operator) {
        case 'equals':
            return value === null || value === undefined
                ? `${field} = null`
                : `${field} = ${soqlValue(scalar())}`;
        case 'notEquals':
            return value === null || value === undefined
                ? `${field} != null`
                : `${field} != ${soqlValue(scalar())}`;
        case 'lessThan':
            return `${field} < ${soqlValue(scalar())}`;
        case 'greaterThan':
            return `${field} > ${soqlValue(scalar())}`;
        case 'lessOrEqual':
            return `${field} <= ${soqlValue(scalar())}`;
        case 'greaterOrEqual':
            return `${field} >= ${soqlValue(scalar())}`;
        case 'contains':
            return `${field} LIKE ${likePattern('%', String(scalar()), '%')}`;
        case 'startsWith':
            return `${field} LIKE ${likePattern('', String(scalar()), '%')}`;
        case 'in': {
            if (!Array.isArray(value) || value.length === 0) {
                throw new Error(`The filter on ${field} needs a list of values.`);
            }
            return `${field} IN (${value.map((v) => soqlValue(v)).join(', ')})`;
        }
        case 'isNull':
            return `${field} = null`;
        case 'isNotNull':
            return `${field} != null`;
        default:
            throw new Error(`"${String(filter.operator)}" is not a filter operator.`);
    }
}

/**
 * The SOQL for a query definition (fields and values escaped; LIMIT bounded). Identifiers cannot be
 * escaped in SOQL, so anything that is not an API name is refused with an Error instead. ISO dates,
 * date-times and date literals (TODAY, LAST_N_DAYS:30) are written unquoted, as SOQL wants them
 * for date fields; every other string is a quoted, escaped literal. Rows are sorted by the
 * grouping field first (so groups are contiguous), then by the chosen order.
 */
export function composeReportQuery(query: QueryDefinition): string {
    if (!query || typeof query.object !== 'string' || !OBJECT_NAME.test(query.object)) {
        throw new Error(`"${String(query?.object)}" is not an object API name.`);
    }
    const fields = (Array.isArray(query.fields) ? query.fields : []).map(checkedField);
    const unique = fields.filter(
        (f, i) => fields.findIndex((g) => g.toLowerCase() === f.toLowerCase()) === i
    );
    if (unique.length === 0) throw new Error('Choose at least one field.');
    if (unique.length > SCHEDULE_LIMITS.fieldsPerQuery) {
        throw new Error(`Choose at most ${SCHEDULE_LIMITS.fieldsPerQuery} fields.`);
    }
    const filters = Array.isArray(query.filters) ? query.filters : [];
    if (filters.length > SCHEDULE_LIMITS.filtersPerQuery) {
        throw new Error(`Use at most ${SCHEDULE_LIMITS.filtersPerQuery} filters.`);
    }
    let soql = `SELECT ${unique.join(', ')} FROM ${query.object}`;
    if (filters.length > 0) soql += ` WHERE ${filters.map(condition).join(' AND ')}`;
    const order: string[] = [];
    if (query.groupBy) order.push(`${checkedField(query.groupBy)} ASC NULLS LAST`);
    if (query.orderBy) {
        const direction = query.orderBy.direction === 'DESC' ? 'DESC' : 'ASC';
        const field = checkedField(query.orderBy.field);
        if (field.toLowerCase() !== String(query.groupBy ?? '').toLowerCase()) {
            order.push(`${field} ${direction}${direction === 'DESC' ? ' NULLS LAST' : ''}`);
        }
    }
    if (order.length > 0) soql += ` ORDER BY ${order.join(', ')}`;
    const max = SCHEDULE_LIMITS.maxReportRows;
    const wanted = query.limit;
    const limit =
        typeof wanted === 'number' && Number.isInteger(wanted) && wanted >= 1
            ? Math.min(wanted, max)
            : max;
    return `${soql} LIMIT ${limit}`;
}

// ---- reading a schedule record ----

/** A schedule record as the REST API or Apex returns it (field API names → values). */
export type ScheduleRecord = Record<string, unknown>;

function parseJsonField<T>(value: unknown, what: string): T {
    if (typeof value !== 'string' || value.trim() === '')
        throw new Error(`The schedule has no ${what}.`);
    try {
        return JSON.parse(value) as T;
    } catch {
        throw new Error(`The schedule's ${what} is not valid JSON.`);
    }
}

/**
 * A schedule record's fields as a definition (JSON fields parsed). Throws an Error with a readable
 * message when a JSON field cannot be read; `validateSchedule` then checks the rest.
 */
export function scheduleFromRecord(record: ScheduleRecord): ReportScheduleDefinition {
    const f = SCHEDULE_FIELDS;
    const sourceType = record[f.sourceType] as SourceType;
    return {
        id: typeof record.Id === 'string' ? record.Id : undefined,
        name: typeof record.Name === 'string' ? record.Name : '',
        ownerId: typeof record.OwnerId === 'string' ? record.OwnerId : undefined,
        sourceType,
        reportId: (record[f.reportId] as string | null | undefined) ?? null,
        query:
            sourceType === 'Query'
                ? parseJsonField<QueryDefinition>(record[f.queryDefinition], 'query definition')
                : null,
        format: record[f.format] as ReportFormat,
        frequency: parseJsonField<Frequency>(record[f.frequency], 'frequency'),
        timeZone: typeof record[f.timeZone] === 'string' ? (record[f.timeZone] as string) : '',
        recipients: parseJsonField<Recipient[]>(record[f.recipients], 'recipient list'),
        perRecipient: record[f.perRecipient] === true,
        aiSummary: record[f.aiSummary] === true,
        active: record[f.active] === true
    };
}

/** The record fields that store a definition (for Apex/LDS writes and the stand-in's seeds). */
export function scheduleToFields(definition: ReportScheduleDefinition): Record<string, unknown> {
    const f = SCHEDULE_FIELDS;
    return {
        Name: definition.name,
        [f.sourceType]: definition.sourceType,
        [f.reportId]: definition.sourceType === 'Report' ? (definition.reportId ?? null) : null,
        [f.queryDefinition]:
            definition.sourceType === 'Query' && definition.query
                ? JSON.stringify(definition.query)
                : null,
        [f.format]: definition.format,
        [f.frequency]: JSON.stringify(definition.frequency),
        [f.timeZone]: definition.timeZone,
        [f.recipients]: JSON.stringify(definition.recipients),
        [f.perRecipient]: definition.perRecipient,
        [f.aiSummary]: definition.aiSummary,
        [f.active]: definition.active
    };
}

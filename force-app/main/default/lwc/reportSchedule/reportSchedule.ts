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
    outcome: 'ok' | 'retry' | 'failed' | 'skipped';
    detail?: string;
}

export const SCHEDULE_LIMITS = Object.freeze({
    /** Rows a run reports at most (the relay pages with queryMore up to this). */
    maxReportRows: 50_000,
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
// Rules both sides compute the same way (to implement, with tests, by the relay side)
// ---------------------------------------------------------------------------------------------

/**
 * The first due time strictly after `after`, in UTC, for the frequency in the schedule's time
 * zone — correct across daylight-saving changes (a 02:30 daily run on a spring-forward day runs at
 * the first valid local time after the gap; on a fall-back day it runs once, at the first 02:30).
 */
export declare function nextRunAt(frequency: Frequency, timeZone: string, after: Date): Date;

/** Every problem of a definition (empty when it can be saved and run). */
export declare function validateSchedule(
    definition: ReportScheduleDefinition,
    options?: { allowExternalRecipients?: boolean }
): ScheduleProblem[];

/** The SOQL for a query definition (fields and values escaped; LIMIT bounded). */
export declare function composeReportQuery(query: QueryDefinition): string;

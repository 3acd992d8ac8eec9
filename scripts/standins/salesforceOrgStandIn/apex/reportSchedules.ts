import type {
    Frequency,
    QueryDefinition,
    ReportScheduleDefinition
} from '../../../../force-app/main/default/lwc/reportSchedule/reportSchedule';
import { SCHEDULE_LIMITS } from '../../../../force-app/main/default/lwc/reportSchedule/reportSchedule';
import { OrgError } from '../orgStore';
import type { StoredRecord } from '../seedData';
import { listReports as sampleReports, runReport } from '../reports';
import { objectDef } from '../schema';
import {
    asUser,
    AuraHandledError,
    isoDateTime,
    likeEscaped,
    nowDateTime,
    optionalInteger,
    requiredBoolean,
    requiredId,
    soqlLikeLiteral,
    soqlLiteral,
    type ApexContext,
    type ApexParams
} from './support';

// ReportScheduleController: a user's own report schedules (Private), their runs (master-detail,
// read-only to users; the relay writes them), a 50-row preview of the source as the user, and the
// report and user pickers. Messages are the Custom Labels' text.

const NOT_FOUND = 'This schedule does not exist, or you do not have access to it.';
const NEXT_RUN_PAST =
    'The next run must be in the future. Check the time and time zone, then save again.';
const MALFORMED = 'The schedule could not be read. Reload the page and try again.';
const PREVIEW_ROWS = 50;
const QUERY_OBJECTS_FIELDS =
    'Id, Name, OwnerId, Source_Type__c, Report_Id__c, Query_Definition__c, Format__c, Frequency__c, Time_Zone__c, Recipients__c, Per_Recipient__c, AI_Summary__c, Active__c, Next_Run_At__c, Last_Run_At__c, Last_Status__c';
/** Allow External Recipients in the Default Resident Scheduler Setting (off, as shipped). */
export const schedulerSetting = { allowExternalRecipients: false };

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const WEEKDAYS = new Set(['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN']);
const OPERATORS: Record<string, string> = {
    equals: '=',
    notEquals: '!=',
    lessThan: '<',
    greaterThan: '>',
    lessOrEqual: '<=',
    greaterOrEqual: '>='
};

function parsed(json: unknown): unknown {
    if (typeof json !== 'string' || json === '') return null;
    try {
        return JSON.parse(json);
    } catch {
        return null;
    }
}

function definitionOf(params: ApexParams): Partial<ReportScheduleDefinition> {
    const value = parsed(params.definition);
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
        throw new AuraHandledError(MALFORMED);
    }
    return value as Partial<ReportScheduleDefinition>;
}

function isTimeZone(zone: unknown): boolean {
    if (typeof zone !== 'string' || zone === '') return false;
    try {
        return (
            new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone === zone
        );
    } catch {
        return false;
    }
}

function frequencyProblem(f: Frequency | undefined): string | null {
    if (!f || typeof f !== 'object') return 'Choose how often the report runs.';
    switch (f.kind) {
        case 'hourly':
            return Number.isInteger(f.minute) && f.minute >= 0 && f.minute <= 59
                ? null
                : 'Enter the minutes past the hour, from 0 to 59.';
        case 'daily':
        case 'weekly':
        case 'monthly':
            if (!TIME.test(String(f.time)))
                return 'Enter a time of day as HH:mm, for example 08:30.';
            if (
                f.kind === 'weekly' &&
                (!Array.isArray(f.days) ||
                    f.days.length === 0 ||
                    !f.days.every((d) => WEEKDAYS.has(d)))
            ) {
                return 'Choose at least one day of the week.';
            }
            if (f.kind === 'monthly' && !(Number.isInteger(f.day) && f.day >= 1 && f.day <= 31)) {
                return 'Enter a day of the month from 1 to 31.';
            }
            return null;
        case 'cron': {
            const parts = String(f.expression ?? '')
                .trim()
                .split(/\s+/);
            return parts.length === 5 &&
                /^[0-5]?\d$/.test(parts[0] ?? '') &&
                parts.every((p) => /^[0-9A-Za-z*,/-]{1,60}$/.test(p))
                ? null
                : 'Enter a cron expression of five fields whose minute is a single number (a schedule runs at most once an hour).';
        }
        default:
            return 'Choose how often the report runs.';
    }
}

/** The server-side checks of ReportScheduleValidator (the browser is not trusted). */
function problems(d: Partial<ReportScheduleDefinition>, context: ApexContext): string[] {
    const found: string[] = [];
    const name = typeof d.name === 'string' ? d.name.trim() : '';
    if (!name) found.push('Give the schedule a name.');
    else if (name.length > 80) found.push('The name can be at most 80 characters.');
    if (d.sourceType === 'Report') {
        if (typeof d.reportId !== 'string' || !d.reportId.startsWith('00O')) {
            found.push('Choose a report you can see.');
        }
    } else if (d.sourceType === 'Query') {
        try {
            composeQuery(d.query, 1, context);
        } catch (err) {
            found.push((err as Error).message);
        }
    } else {
        found.push('Choose what to report: a Salesforce report or a query.');
    }
    if (d.format !== 'PDF' && d.format !== 'CSV') found.push('Choose PDF or CSV.');
    const frequency = frequencyProblem(d.frequency);
    if (frequency) found.push(frequency);
    if (!isTimeZone(d.timeZone)) found.push('Choose a time zone from the list.');
    const recipients = Array.isArray(d.recipients) ? d.recipients : [];
    if (recipients.length === 0) found.push('Add at least one recipient.');
    if (recipients.length > SCHEDULE_LIMITS.recipientsPerSchedule) {
        found.push(
            `A schedule can have at most ${SCHEDULE_LIMITS.recipientsPerSchedule} recipients.`
        );
    }
    for (const r of recipients) {
        if (r?.type === 'user' && typeof r.userId === 'string' && r.userId.startsWith('005')) {
            continue;
        }
        const address = r?.type === 'email' ? String(r.address ?? '') : '';
        if (!EMAIL.test(address)) {
            found.push(
                `${address.slice(0, 80)} is not a valid recipient: add a user or an email address.`
            );
        } else if (!schedulerSetting.allowExternalRecipients) {
            found.push(
                `${address} is outside your org, and your admin has not allowed external recipients.`
            );
        }
    }
    return found;
}

/** The SOQL ReportQueryBuilder would run: names checked against the schema, values quoted. */
export function composeQuery(
    query: QueryDefinition | null | undefined,
    maxRows: number,
    context: ApexContext
): { soql: string; paths: string[] } {
    const object = query && typeof query.object === 'string' ? objectDef(query.object) : undefined;
    if (!object || !context.store.objectPermissions(context.user, object.apiName).read) {
        throw new AuraHandledError('Choose an object you can read.');
    }
    const canonical = (path: unknown): string => {
        try {
            const resolved = context.store.resolvePath(context.user, object, String(path));
            return [...resolved.hops.map((h) => h.relationshipName), resolved.field.apiName].join(
                '.'
            );
        } catch {
            throw new AuraHandledError(
                `${String(path).slice(0, 80)} is not a field you can read on this object.`
            );
        }
    };
    const fields = Array.isArray(query!.fields) ? query!.fields : [];
    if (fields.length === 0 || fields.length > SCHEDULE_LIMITS.fieldsPerQuery) {
        throw new AuraHandledError(`Choose from 1 to ${SCHEDULE_LIMITS.fieldsPerQuery} columns.`);
    }
    const paths = [...new Set(fields.map(canonical))];
    const filters = Array.isArray(query!.filters) ? query!.filters : [];
    if (filters.length > SCHEDULE_LIMITS.filtersPerQuery) {
        throw new AuraHandledError(
            `A query can have at most ${SCHEDULE_LIMITS.filtersPerQuery} filters.`
        );
    }
    const literal = (value: unknown): string =>
        typeof value === 'number' || typeof value === 'boolean'
            ? String(value)
            : /^-?\d+(\.\d+)?$/.test(String(value))
              ? String(value)
              : soqlLiteral(String(value ?? ''));
    const where = filters.map((f) => {
        const path = canonical(f.field);
        if (f.operator === 'isNull') return `${path} = null`;
        if (f.operator === 'isNotNull') return `${path} != null`;
        // ReportQueryBuilder: the user's %, _ and backslashes match themselves.
        const text = likeEscaped(String(f.value ?? ''));
        if (f.operator === 'contains') return `${path} LIKE ${soqlLikeLiteral(`%${text}%`)}`;
        if (f.operator === 'startsWith') return `${path} LIKE ${soqlLikeLiteral(`${text}%`)}`;
        if (f.operator === 'in') {
            const values = Array.isArray(f.value) ? f.value : [];
            if (values.length === 0) {
                throw new AuraHandledError(
                    `The filter value for ${path} does not fit the field: enter a value of its type.`
                );
            }
            return `${path} IN (${values.map(literal).join(', ')})`;
        }
        const op = OPERATORS[f.operator];
        if (!op) throw new AuraHandledError(`Choose an operator for the filter on ${path}.`);
        return `${path} ${op} ${literal(f.value)}`;
    });
    const order: string[] = [];
    if (query!.groupBy) order.push(`${canonical(query!.groupBy)} ASC NULLS LAST`);
    if (query!.orderBy?.field) {
        order.push(
            `${canonical(query!.orderBy.field)} ${query!.orderBy.direction === 'DESC' ? 'DESC' : 'ASC'} NULLS LAST`
        );
    }
    for (const total of query!.totals ?? []) canonical(total);
    const limit = Math.min(
        maxRows,
        typeof query!.limit === 'number' && query!.limit >= 1 ? query!.limit : maxRows,
        SCHEDULE_LIMITS.maxReportRows
    );
    return {
        soql:
            `SELECT ${paths.join(', ')} FROM ${object.apiName}` +
            (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
            (order.length ? ` ORDER BY ${order.join(', ')}` : '') +
            ` LIMIT ${limit}`,
        paths
    };
}

function readSchedule(context: ApexContext, scheduleId: string): StoredRecord {
    const [record] = asUser(
        () =>
            context.store.query(
                context.user,
                `SELECT ${QUERY_OBJECTS_FIELDS} FROM Resident_Report_Schedule__c WHERE Id = ${soqlLiteral(scheduleId)} LIMIT 1`
            ),
        { notFound: NOT_FOUND }
    ).records;
    if (!record) throw new AuraHandledError(NOT_FOUND);
    return record;
}

function summary(r: StoredRecord) {
    const f = r.fields;
    const recipients = parsed(f.Recipients__c);
    return {
        id: f.Id,
        name: String(f.Name ?? ''),
        sourceType: String(f.Source_Type__c ?? ''),
        format: String(f.Format__c ?? ''),
        frequency: parsed(f.Frequency__c),
        timeZone: String(f.Time_Zone__c ?? ''),
        recipientCount: Array.isArray(recipients) ? recipients.length : 0,
        active: f.Active__c === true,
        nextRunAt: isoDateTime(f.Next_Run_At__c),
        lastRunAt: isoDateTime(f.Last_Run_At__c),
        lastStatus: typeof f.Last_Status__c === 'string' ? f.Last_Status__c : null
    };
}

/** `getSchedulerSettings()`. */
export function getSchedulerSettings(): {
    allowExternalRecipients: boolean;
    maxPreviewRows: number;
} {
    return {
        allowExternalRecipients: schedulerSetting.allowExternalRecipients,
        maxPreviewRows: PREVIEW_ROWS
    };
}

/** `listSchedules()`: the caller's own schedules, soonest due first. */
export function listSchedules(_params: ApexParams, context: ApexContext) {
    const result = asUser(() =>
        context.store.query(
            context.user,
            `SELECT ${QUERY_OBJECTS_FIELDS} FROM Resident_Report_Schedule__c WHERE OwnerId = ${soqlLiteral(context.user.id)} ORDER BY Active__c DESC, Next_Run_At__c ASC NULLS LAST, Name LIMIT 200`
        )
    );
    return result.records.map(summary);
}

/** `getSchedule({ scheduleId })`: one schedule whole, recipients' names included. */
export function getSchedule(params: ApexParams, context: ApexContext) {
    const record = readSchedule(context, requiredId(params, 'scheduleId', 'The schedule'));
    const f = record.fields;
    const recipients = parsed(f.Recipients__c);
    const list = Array.isArray(recipients)
        ? (recipients as { type: string; userId?: string }[])
        : [];
    const recipientNames: Record<string, string> = {};
    for (const r of list) {
        if (r.type === 'user' && r.userId && context.store.canReadId(context.user, r.userId)) {
            recipientNames[r.userId] = context.store.user(r.userId)?.name ?? r.userId;
        }
    }
    return {
        ...summary(record),
        ownerId: String(f.OwnerId),
        reportId: typeof f.Report_Id__c === 'string' ? f.Report_Id__c : null,
        query: parsed(f.Query_Definition__c),
        recipients: list,
        recipientNames,
        perRecipient: f.Per_Recipient__c === true,
        aiSummary: f.AI_Summary__c === true
    };
}

function futureDateTime(value: unknown): string {
    const time = typeof value === 'string' ? Date.parse(value) : NaN;
    if (Number.isNaN(time) || time <= Date.now()) throw new AuraHandledError(NEXT_RUN_PAST);
    return new Date(time).toISOString().replace('Z', '+0000');
}

/** `saveSchedule({ definition, nextRunAt })`: validated again, saved as the user; answers the id. */
export function saveSchedule(params: ApexParams, context: ApexContext): string {
    const d = definitionOf(params);
    const found = problems(d, context);
    const active = d.active !== false;
    let next: string | null = null;
    if (active) {
        try {
            next = futureDateTime(params.nextRunAt);
        } catch (err) {
            found.push((err as Error).message);
        }
    }
    if (found.length > 0) throw new AuraHandledError(found.join(' '));
    const isReport = d.sourceType === 'Report';
    const values = {
        Name: d.name!.trim(),
        Source_Type__c: d.sourceType,
        Report_Id__c: isReport ? d.reportId : null,
        Query_Definition__c: isReport ? null : JSON.stringify(d.query),
        Format__c: d.format,
        Frequency__c: JSON.stringify(d.frequency),
        Time_Zone__c: d.timeZone,
        Recipients__c: JSON.stringify(d.recipients),
        Per_Recipient__c: d.perRecipient === true,
        AI_Summary__c: d.aiSummary === true,
        Active__c: active,
        Next_Run_At__c: next
    };
    const id = typeof d.id === 'string' && d.id ? d.id : null;
    return asUser(
        () => {
            if (!id)
                return context.store.create(context.user, 'Resident_Report_Schedule__c', values);
            readSchedule(context, id);
            context.store.update(context.user, id, values, 'Resident_Report_Schedule__c');
            return id;
        },
        { notFound: NOT_FOUND }
    );
}

/** `setActive({ scheduleId, active, nextRunAt })`: pause (no next run) or resume. */
export function setActive(params: ApexParams, context: ApexContext): null {
    const scheduleId = requiredId(params, 'scheduleId', 'The schedule');
    const active = requiredBoolean(params, 'active', 'Active');
    readSchedule(context, scheduleId);
    const next = active ? futureDateTime(params.nextRunAt) : null;
    asUser(
        () =>
            context.store.update(
                context.user,
                scheduleId,
                { Active__c: active, Next_Run_At__c: next },
                'Resident_Report_Schedule__c'
            ),
        { notFound: NOT_FOUND }
    );
    return null;
}

/** `runNow({ scheduleId })`: due now for the next tick; creates nothing else. */
export function runNow(params: ApexParams, context: ApexContext): string {
    const scheduleId = requiredId(params, 'scheduleId', 'The schedule');
    const record = readSchedule(context, scheduleId);
    if (record.fields.Active__c !== true) {
        throw new AuraHandledError('This schedule is paused. Resume it before running it now.');
    }
    const now = nowDateTime();
    asUser(
        () =>
            context.store.update(
                context.user,
                scheduleId,
                { Next_Run_At__c: now },
                'Resident_Report_Schedule__c'
            ),
        { notFound: NOT_FOUND }
    );
    return isoDateTime(now)!;
}

/** `listRuns({ scheduleId, maxRows })`: newest first. */
export function listRuns(params: ApexParams, context: ApexContext) {
    const scheduleId = requiredId(params, 'scheduleId', 'The schedule');
    const rows = optionalInteger(params, 'maxRows', 1, 100, 'The number of runs') ?? 20;
    const result = asUser(() =>
        context.store.query(
            context.user,
            `SELECT Id, Name, Trigger__c, Due_At__c, Started_At__c, Finished_At__c, Status__c, Steps__c, Error__c, Rows__c, File_Id__c, Recipient_User__c FROM Resident_Report_Run__c WHERE Schedule__c = ${soqlLiteral(scheduleId)} ORDER BY Started_At__c DESC NULLS LAST, Name DESC LIMIT ${rows}`
        )
    );
    return result.records.map((r) => {
        const f = r.fields;
        const steps = parsed(f.Steps__c);
        const recipient = typeof f.Recipient_User__c === 'string' ? f.Recipient_User__c : null;
        return {
            id: f.Id,
            name: String(f.Name ?? ''),
            triggeredBy: String(f.Trigger__c ?? ''),
            dueAt: isoDateTime(f.Due_At__c),
            startedAt: isoDateTime(f.Started_At__c),
            finishedAt: isoDateTime(f.Finished_At__c),
            status: String(f.Status__c ?? ''),
            steps: Array.isArray(steps) ? steps : [],
            error: typeof f.Error__c === 'string' ? f.Error__c : null,
            rows: typeof f.Rows__c === 'number' ? f.Rows__c : null,
            fileId: typeof f.File_Id__c === 'string' ? f.File_Id__c : null,
            recipientUserId: recipient,
            recipientUserName: recipient ? (context.store.user(recipient)?.name ?? null) : null
        };
    });
}

type ReportRun = {
    reportMetadata: { detailColumns: string[] };
    reportExtendedMetadata: {
        detailColumnInfo: Record<string, { label: string; dataType: string }>;
    };
    factMap: Record<string, { rows: { dataCells: { label: string }[] }[] }>;
};

/** `previewRows({ definition })`: at most 50 rows of the source, run now as the user. */
export function previewRows(params: ApexParams, context: ApexContext) {
    const d = definitionOf(params);
    if (d.sourceType === 'Report') {
        let run: ReportRun;
        try {
            run = runReport(
                context.store,
                context.user,
                String(d.reportId ?? ''),
                'v62.0'
            ) as ReportRun;
        } catch (err) {
            if (err instanceof OrgError) throw new AuraHandledError('Choose a report you can see.');
            throw err;
        }
        const names = run.reportMetadata.detailColumns;
        const columns = names.map((name, i) => ({
            fieldName: `c${i}`,
            label: run.reportExtendedMetadata.detailColumnInfo[name]?.label ?? name,
            path: name,
            type: run.reportExtendedMetadata.detailColumnInfo[name]?.dataType ?? 'string'
        }));
        const detail = Object.entries(run.factMap)
            .filter(([key]) => key.endsWith('!T'))
            .flatMap(([, fact]) => fact.rows);
        return {
            columns,
            rows: detail.slice(0, PREVIEW_ROWS).map((row, i) => ({
                rowKey: String(i),
                ...Object.fromEntries(row.dataCells.map((c, j) => [`c${j}`, c.label]))
            })),
            truncated: detail.length > PREVIEW_ROWS
        };
    }
    const { soql, paths } = composeQuery(d.query, PREVIEW_ROWS + 1, context);
    const object = objectDef(String(d.query!.object))!;
    const result = asUser(() => context.store.query(context.user, soql));
    return {
        columns: paths.map((path, i) => ({
            fieldName: `c${i}`,
            label: context.store.resolvePath(context.user, object, path).field.label,
            path,
            type: context.store.resolvePath(context.user, object, path).field.dataType.toLowerCase()
        })),
        rows: result.records.slice(0, PREVIEW_ROWS).map((r, i) => ({
            rowKey: String(i),
            ...Object.fromEntries(
                paths.map((path, j) => [
                    `c${j}`,
                    context.store.valueAt(
                        context.user,
                        r,
                        context.store.resolvePath(context.user, object, path)
                    )
                ])
            )
        })),
        truncated: result.records.length > PREVIEW_ROWS
    };
}

/** `listReports({ searchTerm })`: the sample reports whose name contains the term. */
export function listReports(params: ApexParams) {
    const term =
        typeof params.searchTerm === 'string' ? params.searchTerm.trim().toLowerCase() : '';
    return sampleReports()
        .filter((r) => r.name.toLowerCase().includes(term))
        .map((r) => ({ id: r.id, name: r.name, detail: 'Sample reports' }));
}

/** `findUsers({ searchTerm })`: active users by name (two letters at least). */
export function findUsers(params: ApexParams, context: ApexContext) {
    const term = typeof params.searchTerm === 'string' ? params.searchTerm.trim() : '';
    if (term.length < 2) return [];
    const result = asUser(() =>
        context.store.query(
            context.user,
            `SELECT Id, Name, Email FROM User WHERE IsActive = true AND Name LIKE ${soqlLikeLiteral(`%${likeEscaped(term)}%`)} ORDER BY Name LIMIT 20`
        )
    );
    return result.records.map((r) => ({
        id: r.fields.Id,
        name: String(r.fields.Name ?? ''),
        detail: typeof r.fields.Email === 'string' ? r.fields.Email : null
    }));
}

import {
    nextRunAt,
    pdfTooManyRowsMessage,
    RUN_FIELDS,
    RUN_OBJECT,
    SCHEDULE_FIELDS,
    SCHEDULE_LIMITS,
    SCHEDULE_OBJECT,
    scheduleFromRecord,
    validateSchedule,
    type ReportScheduleDefinition,
    type RunStatus,
    type RunStep,
    type RunTrigger
} from '../../../force-app/main/default/lwc/reportSchedule/reportSchedule';
import {
    toCsv,
    toDocument,
    type ReportTable
} from '../../../force-app/main/default/lwc/reportRender/reportRender';
import { renderPdf } from '../pdf/pdfRenderer';
import { fileLink, shareFileWithRecipients } from './fileAccess';
import { readQueryRows, readReportRows } from './reportData';
import {
    policyOncePerRun,
    reportObjects,
    summariseReport,
    type ModelCallRecord,
    type SummaryRun,
    type SummarySource
} from './reportSummary';
import {
    describeSignInFailure,
    SalesforceError,
    signInAs,
    type RetryPolicy,
    type SalesforceSession
} from './salesforceApi';
import { importSchedulerKey, parseEnrolledOrgs, type EnrolledOrg } from './schedulerConfig';

/** What one tick did, per schedule (ids and outcomes only: this is also what gets logged). */
export interface TickOutcome {
    orgId: string;
    scheduleId?: string;
    runIds?: string[];
    outcome:
        | 'succeeded'
        | 'failed'
        | 'claimed_elsewhere'
        | 'recently_modified'
        | 'org_failed'
        | 'out_of_time';
    rows?: number;
}

export interface TickOptions {
    now?: Date;
    /** Wall-clock budget of the tick, ms (cron ticks may run for minutes; keep under the interval). */
    budgetMs?: number;
    retryBaseDelayMs?: number;
    maxAttempts?: number;
    /** How long after its last save a schedule may be claimed (CLAIM_QUIET_MS; tests use 0). */
    claimQuietMs?: number;
    /** Estimated CPU the tick may spend on reports before it leaves the rest for the next tick. */
    cpuBudgetMs?: number;
}

/** Fields the due-schedule query reads (the owner's username signs the owner in). */
const DUE_FIELDS = [
    'Id',
    'Name',
    'OwnerId',
    'Owner.Username',
    'Owner.Email',
    'LastModifiedDate',
    ...Object.values(SCHEDULE_FIELDS)
];
const MAX_SCHEDULES_PER_TICK = 200;
/**
 * A cron invocation whose interval is under an hour may use 30 s of CPU, shared by every report
 * the tick runs. Workers cannot read their own CPU time, so each run is charged an estimate from
 * its rows (scripts/benchScheduler.ts measured, on a loaded 2-core machine, ~0.15 ms a PDF row,
 * ~0.01 ms a CSV row and ~0.1 s a run; the rates below are rounded up), and once the estimates
 * reach this budget the remaining due schedules wait, unclaimed, for the next tick. A per-recipient
 * schedule is charged once per recipient; one that exhausts the budget part-way is already claimed,
 * so its remaining recipients are recorded as Skipped with the reason and the owner is told.
 */
const TICK_CPU_BUDGET_MS = 20_000;
function estimatedRunCpuMs(format: unknown, rows: number): number {
    return 150 + rows * (format === 'PDF' ? 0.25 : 0.02);
}
/**
 * A real org's LastModifiedDate has whole seconds, and so has If-Unmodified-Since: a schedule
 * saved in the same second as a claim could let two ticks both claim it. Claims wait until the
 * last save is this far behind (the schedule stays due and the next tick takes it).
 */
const CLAIM_QUIET_MS = 2000;
/** Heads the AI summary in the PDF and the email, so readers know who wrote it. */
const SUMMARY_HEADING = 'Summary (written by AI from the rows below)';

function log(entry: Record<string, unknown>): void {
    // Ids and outcomes only: never a record value, a body, a username or a token.
    console.log(JSON.stringify({ event: 'scheduled_report', ...entry }));
}

function salesforceDateMs(value: unknown): number {
    return Date.parse(String(value ?? '').replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
}

/**
 * Every AI action is in the activity log (docs/TRUST.md), the scheduled summary's model call
 * too: one `Model call` entry written as the signed-in owner or recipient, like the coworker's,
 * so it counts against their daily token budget. Never a value from the rows. A log that cannot
 * be written is a step warning on the run, not a silent loss and not a failed delivery.
 */
async function logModelCall(
    session: SalesforceSession,
    scheduleId: string,
    call: ModelCallRecord,
    steps: RunLog
): Promise<void> {
    try {
        await session.request('POST', 'sobjects/Resident_Activity__c', {
            what: 'logging the AI summary',
            body: {
                Kind__c: 'Model call',
                Outcome__c: call.succeeded ? 'Succeeded' : 'Failed',
                Result_Summary__c: `AI summary of a scheduled report (${call.model}, ${call.rowsSent} rows sent masked)`,
                Model_Usage__c: call.tokens,
                Record_Id__c: scheduleId,
                Object_Api_Name__c: SCHEDULE_OBJECT,
                User__c: session.userId,
                Occurred_At__c: new Date().toISOString()
            }
        });
    } catch (err) {
        steps.add(
            'summarise',
            'warning',
            readableFailure(err, 'writing the AI summary to the activity log')
        );
    }
}

/** One due schedule as read by the scheduler user. */
interface DueSchedule {
    record: Record<string, unknown>;
    id: string;
    ownerUsername: string;
    ownerEmail: string | null;
}

class RunLog {
    readonly steps: RunStep[] = [];
    add(step: RunStep['step'], outcome: RunStep['outcome'], detail?: string): void {
        this.steps.push({
            at: new Date().toISOString(),
            step,
            outcome,
            ...(detail ? { detail: detail.slice(0, 500) } : {})
        });
    }
}

/** A failure that ends a run, with its reason in words for the run record. */
class RunFailure extends Error {}

function readableFailure(err: unknown, doing: string): string {
    if (err instanceof RunFailure) return err.message;
    if (err instanceof SalesforceError) {
        if (err.transient)
            return `Salesforce stayed unavailable while ${doing} (${err.errorCode}), after retries: ${err.message}`;
        if (err.status === 404)
            return `Salesforce could not find what the report needs while ${doing}: ${err.message}`;
        return `Salesforce refused ${doing} (${err.errorCode}): ${err.message}`;
    }
    if (err instanceof Error && /pages|too many|limit/i.test(err.message))
        return `The report could not be rendered: ${err.message}`;
    return `The run failed unexpectedly while ${doing}.`;
}

function base64(bytes: Uint8Array): string {
    let binary = '';
    const chunk = 0x8000;
    for (let i = 0; i < bytes.length; i += chunk) {
        binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
    }
    return btoa(binary);
}

function fileName(title: string, format: 'PDF' | 'CSV', at: Date): string {
    const safe =
        title
            .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, '-')
            .trim()
            .slice(0, 80) || 'report';
    return `${safe} ${at.toISOString().slice(0, 10)}.${format.toLowerCase()}`;
}

/** One report delivered: read as `asUsername`, emailed to `emails`. */
interface Delivery {
    recipientUserId?: string;
    emails: string[];
    asUsername: string;
    /** Shared mode: the recipient users the owner's File is shared with, so the link opens for them. */
    shareWithUserIds: string[];
    /** Email addresses outside the org: they get the email, but the File needs a Salesforce login. */
    externalCount: number;
    /** Link the File to the schedule (owner's version) or leave it with the recipient. */
    linkToSchedule: boolean;
}

export class SchedulerTick {
    private readonly outcomes: TickOutcome[] = [];
    private readonly deadline: number;
    private readonly retry: RetryPolicy;
    private readonly now: Date;
    private readonly claimQuietMs: number;
    private readonly cpuBudgetMs: number;
    private cpuEstimateMs = 0;

    constructor(
        private readonly env: Env,
        options: TickOptions = {}
    ) {
        this.now = options.now ?? new Date();
        this.claimQuietMs = options.claimQuietMs ?? CLAIM_QUIET_MS;
        this.cpuBudgetMs = options.cpuBudgetMs ?? TICK_CPU_BUDGET_MS;
        this.deadline =
            Date.now() + (options.budgetMs ?? Number(env.SCHEDULER_TICK_BUDGET_MS ?? 240_000));
        this.retry = {
            deadline: this.deadline,
            maxAttempts: options.maxAttempts ?? 5,
            baseDelayMs: options.retryBaseDelayMs ?? Number(env.SCHEDULER_RETRY_BASE_MS ?? 500)
        };
    }

    async run(): Promise<TickOutcome[]> {
        let orgs: EnrolledOrg[];
        try {
            orgs = parseEnrolledOrgs(this.env.SCHEDULER_ORGS);
        } catch (err) {
            log({
                outcome: 'config_error',
                reason: err instanceof Error ? err.message : 'unreadable'
            });
            return this.outcomes;
        }
        if (orgs.length === 0) return this.outcomes;
        let key: CryptoKey;
        try {
            key = await importSchedulerKey(this.env.SCHEDULER_PRIVATE_KEY);
        } catch (err) {
            log({
                outcome: 'config_error',
                reason: err instanceof Error ? err.message : 'unreadable'
            });
            return this.outcomes;
        }
        for (const org of orgs) {
            if (Date.now() >= this.deadline) break;
            await this.runOrg(org, key);
        }
        return this.outcomes;
    }

    private record(outcome: TickOutcome): void {
        this.outcomes.push(outcome);
        log({ ...outcome });
    }

    private async runOrg(org: EnrolledOrg, key: CryptoKey): Promise<void> {
        let scheduler: SalesforceSession;
        let due: DueSchedule[];
        try {
            scheduler = await signInAs(org, org.schedulerUsername, key, this.retry);
            const soql =
                `SELECT ${DUE_FIELDS.join(', ')} FROM ${SCHEDULE_OBJECT} ` +
                `WHERE ${SCHEDULE_FIELDS.active} = true AND ${SCHEDULE_FIELDS.nextRunAt} <= ${this.now.toISOString().replace(/\.\d{3}Z$/, 'Z')} ` +
                `ORDER BY ${SCHEDULE_FIELDS.nextRunAt} LIMIT ${MAX_SCHEDULES_PER_TICK}`;
            const page = await scheduler.request<{ records: Record<string, unknown>[] }>(
                'GET',
                `query?q=${encodeURIComponent(soql)}`,
                { what: 'due schedules' }
            );
            due = page.records.map((record) => {
                const owner = (record.Owner ?? {}) as Record<string, unknown>;
                return {
                    record,
                    id: String(record.Id),
                    ownerUsername: String(owner.Username ?? ''),
                    ownerEmail: typeof owner.Email === 'string' ? owner.Email : null
                };
            });
        } catch (err) {
            const code = err instanceof SalesforceError ? err.errorCode : 'unexpected';
            this.record({ orgId: org.orgId, outcome: 'org_failed' });
            log({ orgId: org.orgId, outcome: 'org_failed', errorCode: code });
            return;
        }
        for (const schedule of due) {
            if (this.outOfTime()) {
                this.record({ orgId: org.orgId, scheduleId: schedule.id, outcome: 'out_of_time' });
                continue;
            }
            // Charges the tick's CPU estimate itself, run by run (see outOfTime).
            await this.runSchedule(org, key, scheduler, schedule);
        }
    }

    private async runSchedule(
        org: EnrolledOrg,
        key: CryptoKey,
        scheduler: SalesforceSession,
        schedule: DueSchedule
    ): Promise<void> {
        const F = SCHEDULE_FIELDS;
        const lastModified = salesforceDateMs(schedule.record.LastModifiedDate);
        if (Date.now() - lastModified < this.claimQuietMs) {
            this.record({
                orgId: org.orgId,
                scheduleId: schedule.id,
                outcome: 'recently_modified'
            });
            return;
        }
        const dueAt = new Date(salesforceDateMs(schedule.record[F.nextRunAt]));
        let definition: ReportScheduleDefinition | null = null;
        let problem: string | null = null;
        try {
            definition = scheduleFromRecord(schedule.record);
            const problems = validateSchedule(definition, {
                allowExternalRecipients: org.allowExternalRecipients
            });
            if (problems.length > 0)
                problem = `The schedule cannot run: ${problems.map((p) => p.message).join(' ')}`;
        } catch (err) {
            problem = err instanceof Error ? err.message : 'The schedule cannot be read.';
        }
        // A due time the frequency itself does not produce was set by "Run now".
        let trigger: RunTrigger = 'Cron tick';
        let next: Date | null = null;
        if (definition && !problem) {
            next = nextRunAt(definition.frequency, definition.timeZone, this.now);
            const expected = nextRunAt(
                definition.frequency,
                definition.timeZone,
                new Date(dueAt.getTime() - 1)
            );
            if (expected.getTime() !== dueAt.getTime()) trigger = 'Run now';
        }

        // Claim: move the next run on, only if nobody saved the schedule since we read it. Of two
        // overlapping ticks exactly one succeeds; the other gets 412 and leaves the schedule alone.
        const steps = new RunLog();
        try {
            await scheduler.request('PATCH', `sobjects/${SCHEDULE_OBJECT}/${schedule.id}`, {
                body: {
                    [F.nextRunAt]: next ? next.toISOString() : null,
                    [F.lastStatus]: 'Running'
                },
                headers: { 'if-unmodified-since': new Date(lastModified).toUTCString() },
                what: 'claim'
            });
        } catch (err) {
            if (err instanceof SalesforceError && err.status === 412) {
                this.record({
                    orgId: org.orgId,
                    scheduleId: schedule.id,
                    outcome: 'claimed_elsewhere'
                });
                return;
            }
            this.record({ orgId: org.orgId, scheduleId: schedule.id, outcome: 'failed' });
            return;
        }
        steps.add('claim', 'ok', next ? `next run ${next.toISOString()}` : 'no next run');

        const deliveries: Delivery[] = [];
        let runIds: string[] = [];
        const finish = async (
            runId: string,
            status: RunStatus,
            log: RunLog,
            extra: Record<string, unknown> = {}
        ): Promise<void> => {
            await scheduler.request('PATCH', `sobjects/${RUN_OBJECT}/${runId}`, {
                body: {
                    [RUN_FIELDS.status]: status,
                    [RUN_FIELDS.finishedAt]: new Date().toISOString(),
                    [RUN_FIELDS.steps]: JSON.stringify(log.steps),
                    ...extra
                },
                what: 'record run'
            });
        };
        /** A run record; `final` creates it already finished (a recipient the tick could not reach). */
        const createRun = async (
            log: RunLog,
            recipientUserId?: string,
            final?: { status: RunStatus; extra: Record<string, unknown> }
        ): Promise<string> => {
            const at = new Date().toISOString();
            const created = await scheduler.request<{ id: string }>(
                'POST',
                `sobjects/${RUN_OBJECT}`,
                {
                    body: {
                        [RUN_FIELDS.schedule]: schedule.id,
                        [RUN_FIELDS.trigger]: trigger,
                        [RUN_FIELDS.dueAt]: Number.isNaN(dueAt.getTime())
                            ? null
                            : dueAt.toISOString(),
                        [RUN_FIELDS.startedAt]: at,
                        [RUN_FIELDS.status]: final?.status ?? 'Running',
                        [RUN_FIELDS.steps]: JSON.stringify(log.steps),
                        ...(recipientUserId ? { [RUN_FIELDS.recipientUser]: recipientUserId } : {}),
                        ...(final ? { [RUN_FIELDS.finishedAt]: at, ...final.extra } : {})
                    },
                    what: 'create run'
                }
            );
            runIds.push(created.id);
            return created.id;
        };

        let overall: RunStatus = 'Succeeded';
        let totalRows = 0;
        try {
            if (!definition || problem) {
                this.charge(schedule.record[F.format], 0);
                const runId = await createRun(steps);
                steps.add('read', 'failed', problem ?? undefined);
                await finish(runId, 'Failed', steps, { [RUN_FIELDS.error]: problem });
                overall = 'Failed';
                await this.notifyOwner(scheduler, schedule, problem ?? 'The schedule cannot run.');
            } else {
                // Who reads and receives: the owner for everyone, or each internal recipient as
                // themselves (per-recipient mode; external addresses get the owner's version).
                const userIds = definition.recipients.flatMap((r) =>
                    r.type === 'user' ? [r.userId] : []
                );
                const externals = definition.recipients.flatMap((r) =>
                    r.type === 'email' ? [r.address] : []
                );
                const users = await this.recipientUsers(scheduler, userIds);
                const activeUsers = users.filter((u) => u.active);
                if (definition.perRecipient) {
                    for (const user of activeUsers) {
                        deliveries.push({
                            recipientUserId: user.id,
                            emails: [user.email],
                            asUsername: user.username,
                            shareWithUserIds: [],
                            externalCount: 0,
                            linkToSchedule: false
                        });
                    }
                    if (externals.length > 0) {
                        deliveries.push({
                            emails: externals,
                            asUsername: schedule.ownerUsername,
                            shareWithUserIds: [],
                            externalCount: externals.length,
                            linkToSchedule: true
                        });
                    }
                } else {
                    deliveries.push({
                        emails: [...activeUsers.map((u) => u.email), ...externals],
                        asUsername: schedule.ownerUsername,
                        shareWithUserIds: activeUsers.map((u) => u.id),
                        externalCount: externals.length,
                        linkToSchedule: true
                    });
                }
                if (users.length > activeUsers.length) {
                    steps.add(
                        'email',
                        'skipped',
                        `${users.length - activeUsers.length} inactive or unknown recipient(s) left out`
                    );
                }
                // The org's egress policy, read once for the whole run and only if a summary
                // gets that far (no key or no rows ask the org nothing).
                const summaryRun: SummaryRun = {
                    orgId: org.orgId,
                    policy: policyOncePerRun(scheduler),
                    deadline: this.deadline
                };
                for (const [index, delivery] of deliveries.entries()) {
                    if (index > 0 && this.outOfTime()) {
                        // Per-recipient mode renders once per recipient, each charged to the tick.
                        // Running on would overrun the cron CPU limit and leave runs "Running"
                        // forever; the schedule is claimed, so these recipients are recorded as
                        // not delivered, with what to do, and the owner is told once.
                        const left = deliveries.slice(index);
                        const reason =
                            `Not delivered: this check of the relay ran out of time after ` +
                            `${index} of ${deliveries.length} deliveries. Run now delivers to ` +
                            `everyone again; for a schedule this large, split its recipients ` +
                            `across schedules or use CSV.`;
                        for (const skipped of left) {
                            // Created once, already Skipped: never seen as Running.
                            const skippedLog = new RunLog();
                            skippedLog.steps.push(...steps.steps);
                            skippedLog.add('read', 'skipped', 'out of time');
                            await createRun(skippedLog, skipped.recipientUserId, {
                                status: 'Skipped',
                                extra: { [RUN_FIELDS.error]: reason }
                            });
                        }
                        overall = 'Failed';
                        await this.notifyOwner(scheduler, schedule, reason);
                        break;
                    }
                    const log = new RunLog();
                    log.steps.push(...steps.steps);
                    const runId = await createRun(log, delivery.recipientUserId);
                    const result = await this.deliver(
                        org,
                        key,
                        definition,
                        delivery,
                        log,
                        schedule,
                        summaryRun
                    );
                    totalRows += result.rows ?? 0;
                    this.charge(definition.format, result.rows ?? 0);
                    if (result.error) {
                        overall = 'Failed';
                        await finish(runId, 'Failed', log, {
                            [RUN_FIELDS.error]: result.error,
                            ...(result.rows !== undefined ? { [RUN_FIELDS.rows]: result.rows } : {})
                        });
                        await this.notifyOwner(scheduler, schedule, result.error);
                    } else {
                        await finish(runId, 'Succeeded', log, {
                            [RUN_FIELDS.rows]: result.rows ?? 0,
                            [RUN_FIELDS.fileId]: result.fileId ?? null
                        });
                    }
                }
                if (deliveries.length === 0) {
                    this.charge(definition.format, 0);
                    const runId = await createRun(steps);
                    const reason = 'No active recipient is left on this schedule.';
                    steps.add('email', 'failed', reason);
                    await finish(runId, 'Failed', steps, { [RUN_FIELDS.error]: reason });
                    overall = 'Failed';
                    await this.notifyOwner(scheduler, schedule, reason);
                }
            }
            await scheduler.request('PATCH', `sobjects/${SCHEDULE_OBJECT}/${schedule.id}`, {
                body: { [F.lastStatus]: overall, [F.lastRunAt]: new Date().toISOString() },
                what: 'record schedule'
            });
        } catch {
            overall = 'Failed';
        }
        this.record({
            orgId: org.orgId,
            scheduleId: schedule.id,
            runIds,
            outcome: overall === 'Succeeded' ? 'succeeded' : 'failed',
            rows: totalRows
        });
        runIds = [];
    }

    /** Adds a run's estimated CPU to the tick's (see TICK_CPU_BUDGET_MS). */
    private charge(format: unknown, rows: number): void {
        this.cpuEstimateMs += estimatedRunCpuMs(format, rows);
    }

    /** The tick's wall-clock or estimated CPU budget is spent: start nothing more. */
    private outOfTime(): boolean {
        return Date.now() >= this.deadline || this.cpuEstimateMs >= this.cpuBudgetMs;
    }

    private async recipientUsers(
        scheduler: SalesforceSession,
        userIds: string[]
    ): Promise<{ id: string; username: string; email: string; active: boolean }[]> {
        if (userIds.length === 0) return [];
        const ids = userIds.filter((id) => /^005[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/.test(id));
        const soql = `SELECT Id, Username, Email, IsActive FROM User WHERE Id IN (${ids.map((id) => `'${id}'`).join(', ')})`;
        const page = await scheduler.request<{ records: Record<string, unknown>[] }>(
            'GET',
            `query?q=${encodeURIComponent(soql)}`,
            {
                what: 'recipients'
            }
        );
        return page.records.map((r) => ({
            id: String(r.Id),
            username: String(r.Username ?? ''),
            email: String(r.Email ?? ''),
            active: r.IsActive === true && typeof r.Email === 'string' && r.Email !== ''
        }));
    }

    /** Sign in as the reader, read, render, upload and email: one run record's work. */
    private async deliver(
        org: EnrolledOrg,
        key: CryptoKey,
        definition: ReportScheduleDefinition,
        delivery: Delivery,
        steps: RunLog,
        schedule: DueSchedule,
        summaryRun: SummaryRun
    ): Promise<{ rows?: number; fileId?: string; error?: string }> {
        const role = delivery.recipientUserId ? 'recipient' : "schedule's owner";
        let session: SalesforceSession;
        try {
            session = await signInAs(org, delivery.asUsername, key, {
                ...this.retry,
                onRetry: () => steps.add('sign_in', 'retry')
            });
            steps.add('sign_in', 'ok');
        } catch (err) {
            const reason =
                err instanceof SalesforceError
                    ? describeSignInFailure(err, delivery.asUsername, role)
                    : readableFailure(err, 'signing in');
            steps.add('sign_in', 'failed', reason);
            return { error: reason };
        }
        let current: RunStep['step'] = 'read';
        const onRetry = (what: string, error: SalesforceError): void =>
            steps.add(current, 'retry', `${what}: ${error.errorCode}`);
        const retrying = session.withRetryListener(onRetry);
        let table: ReportTable;
        let source: SummarySource;
        let rows = 0;
        // A PDF holds at most maxPdfRows: read one row more to know, never the whole 50,000.
        const pdfCap = SCHEDULE_LIMITS.maxPdfRows + 1;
        try {
            if (definition.sourceType === 'Query' && definition.query) {
                const query =
                    definition.format === 'PDF'
                        ? {
                              ...definition.query,
                              limit: Math.min(definition.query.limit ?? pdfCap, pdfCap)
                          }
                        : definition.query;
                const read = await readQueryRows(retrying, definition.name, query);
                table = read;
                source = { kind: 'Query', object: query.object };
                if (definition.format === 'PDF' && read.rows.length > SCHEDULE_LIMITS.maxPdfRows)
                    throw new RunFailure(pdfTooManyRowsMessage());
                steps.add('read', 'ok', `${read.rows.length} rows in ${read.pages} page(s)`);
            } else {
                const read = await readReportRows(
                    retrying,
                    definition.name,
                    String(definition.reportId)
                );
                table = read;
                source = {
                    kind: 'Report',
                    objects: reportObjects(
                        read.reportType,
                        read.columns.map((c) => c.key)
                    )
                };
                if (definition.format === 'PDF' && read.rows.length > SCHEDULE_LIMITS.maxPdfRows)
                    throw new RunFailure(pdfTooManyRowsMessage());
                if (read.complete) {
                    steps.add('read', 'ok', `${read.rows.length} rows`);
                } else {
                    // The Analytics API runs a report synchronously with at most 2,000 detail rows.
                    steps.add(
                        'read',
                        'warning',
                        `The report has more rows than Salesforce's report API returns in one run: only the first ${read.rows.length} rows are in the file. To report every row, schedule a query (source: Query) on the same object instead.`
                    );
                }
            }
            rows = table.rows.length;
        } catch (err) {
            const reason = readableFailure(err, `reading the report as the ${role}`);
            steps.add('read', 'failed', reason);
            return { error: reason };
        }
        let summary: string | undefined;
        if (definition.aiSummary) {
            current = 'summarise';
            // Never fails the run: without a summary the report is still delivered, and the step says why.
            const result = await summariseReport(this.env, summaryRun, retrying, table, source);
            summary = result.summary;
            steps.add('summarise', result.outcome, result.detail);
            if (result.modelCall) {
                await logModelCall(retrying, schedule.id, result.modelCall, steps);
            }
        }
        let bytes: Uint8Array;
        const at = new Date();
        try {
            if (definition.format === 'CSV') {
                bytes = new TextEncoder().encode(toCsv(table, { bom: true }));
            } else {
                const description = toDocument(table, {
                    subtitle: `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC · ${rows} rows`,
                    created: at.toISOString()
                });
                if (summary) {
                    // At the top, under the title and subtitle; drawn as text like every cell.
                    description.body.splice(
                        2,
                        0,
                        {
                            type: 'heading',
                            level: 2,
                            runs: [{ type: 'text', text: SUMMARY_HEADING }]
                        },
                        { type: 'paragraph', runs: [{ type: 'text', text: summary }] }
                    );
                }
                bytes = (await renderPdf(description, { now: at })).bytes;
            }
            steps.add('render', 'ok', `${definition.format}, ${bytes.length} bytes`);
        } catch (err) {
            const reason = readableFailure(err, 'rendering');
            steps.add('render', 'failed', reason);
            return { rows, error: reason };
        }
        let fileId: string;
        current = 'upload';
        const name = fileName(definition.name, definition.format, at);
        try {
            const version = await retrying.request<{ id: string }>(
                'POST',
                'sobjects/ContentVersion',
                {
                    body: {
                        Title: name.replace(/\.(csv|pdf)$/, ''),
                        PathOnClient: name,
                        VersionData: base64(bytes),
                        ...(delivery.linkToSchedule ? { FirstPublishLocationId: schedule.id } : {})
                    },
                    what: 'upload'
                }
            );
            const read = await retrying.request<{ ContentDocumentId: string }>(
                'GET',
                `sobjects/ContentVersion/${version.id}?fields=ContentDocumentId`,
                { what: 'upload' }
            );
            fileId = read.ContentDocumentId;
            steps.add('upload', 'ok', fileId);
            if (delivery.shareWithUserIds.length > 0) {
                const access = await shareFileWithRecipients(
                    retrying,
                    fileId,
                    delivery.shareWithUserIds
                );
                if (access.failed.length > 0) {
                    steps.add(
                        'upload',
                        'warning',
                        `The file could not be shared with ${access.failed.length} recipient(s), so the link will not open for them: ${access.failed.map((f) => `${f.userId} (${f.reason})`).join('; ')}`
                    );
                } else if (access.shared > 0) {
                    steps.add('upload', 'ok', `shared with ${access.shared} recipient(s)`);
                }
            }
        } catch (err) {
            const reason = readableFailure(err, 'uploading the file');
            steps.add('upload', 'failed', reason);
            return { rows, error: reason };
        }
        current = 'email';
        try {
            const result = await retrying.request<
                { isSuccess: boolean; errors?: { message?: string }[] | null }[]
            >('POST', 'actions/standard/emailSimple', {
                body: {
                    inputs: [
                        {
                            emailAddresses: delivery.emails.join(','),
                            emailSubject: `${definition.name}: ${rows} rows`,
                            emailBody:
                                (summary ? `${SUMMARY_HEADING}\n${summary}\n\n` : '') +
                                `${definition.name} ran at ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC with ${rows} rows.\n` +
                                `The ${definition.format} file is in Salesforce Files (sign in to open it): ${fileLink(session.instanceUrl, fileId)}`
                        }
                    ]
                },
                what: 'email'
            });
            if (!result[0]?.isSuccess)
                throw new RunFailure(
                    `Salesforce did not send the email: ${result[0]?.errors?.[0]?.message ?? 'no reason given'}`
                );
            steps.add('email', 'ok', `${delivery.emails.length} recipient(s)`);
            if (delivery.externalCount > 0) {
                steps.add(
                    'email',
                    'warning',
                    `${delivery.externalCount} external address(es) got the email, but the file opens only with a Salesforce login: Resident never makes a public link.`
                );
            }
        } catch (err) {
            const reason = readableFailure(err, 'sending the email');
            steps.add('email', 'failed', reason);
            return { rows, fileId, error: reason };
        }
        return { rows, fileId };
    }

    /** Tells the owner a run failed, by email from the scheduler user; best effort, never fatal. */
    private async notifyOwner(
        scheduler: SalesforceSession,
        schedule: DueSchedule,
        reason: string
    ): Promise<void> {
        if (!schedule.ownerEmail) return;
        try {
            await scheduler.request('POST', 'actions/standard/emailSimple', {
                body: {
                    inputs: [
                        {
                            emailAddresses: schedule.ownerEmail,
                            emailSubject: `Scheduled report failed: ${String(schedule.record.Name ?? '')}`,
                            emailBody: `Your scheduled report "${String(schedule.record.Name ?? '')}" did not run.\n\n${reason}`
                        }
                    ]
                },
                what: 'notify owner'
            });
        } catch {
            // The run record already carries the reason; a failed notice must not hide it.
        }
    }
}

/** The cron trigger's work: every enrolled org's due schedules, once each. */
export function runSchedulerTick(env: Env, options: TickOptions = {}): Promise<TickOutcome[]> {
    return new SchedulerTick(env, options).run();
}

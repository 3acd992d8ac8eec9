/**
 * What a scheduled report run costs on workerd: rows per second end to end, peak memory and CPU
 * per run, for 10,000 and 50,000 rows as CSV and as PDF, against the Workers limits a cron
 * trigger runs under, and against a baseline measured in the same run.
 *
 *   npx tsx scripts/benchScheduler.ts [--rows 10000,50000] [--formats CSV,PDF] [--runs 3]
 *       [--json out.json]
 *
 * The relay runs as `wrangler deploy` would bundle it, in workerd through Miniflare (as
 * scripts/benchRelay.ts runs it), and each run is the Worker's real `scheduled` handler (one cron
 * tick): JWT bearer sign-in as the scheduler user, due schedules, claim, sign-in as the owner,
 * `queryMore` pages, render, ContentVersion upload, `emailSimple`, run records. Salesforce is the
 * org stand-in (a test double) in a process of its own, seeded with N accounts through its
 * `/__standin/seed` test-double endpoint; the schedule's query returns exactly those N rows.
 *
 * Figures, per scenario, on a fresh workerd (so its memory is this scenario's alone):
 * - rows/s: rows delivered / wall time of the tick, seen from Node (stand-in time included).
 * - CPU: workerd's utime + stime (/proc/<pid>/stat) over the tick, minus its idle rate measured
 *   just before; and the busiest thread's share (/proc/<pid>/task/<tid>/stat), which is the
 *   isolate's thread and the closer match to what Cloudflare counts as a Worker's CPU time (JS and
 *   its GC, not the runtime's network I/O). Compared with the Cron Trigger CPU limit.
 * - memory: workerd's resident size (VmRSS, sampled every 2 ms) above its size just before the
 *   first (cold) tick; and the V8 heap of the isolate (used bytes, through the inspector protocol's
 *   `Runtime.getHeapUsage`, polled while the tick runs: a lower bound of the peak when the isolate
 *   is busy between two polls). Compared with the 128 MB isolate memory limit.
 * - baseline: a bench-only Worker (scripts/benchSchedulerBaselineWorker.ts) on its own fresh
 *   workerd reads the same query's pages with a ready access token, joins the rows into CSV and
 *   uploads it: the same rows fetched and written without the scheduler's steps.
 *
 * Limits (Cloudflare's documentation, docs/SCHEDULER_SETUP.md cites it): a Cron Trigger whose
 * interval is under an hour (the relay's is 5 minutes) may use 30 s of CPU per invocation, for
 * every schedule the tick runs together; an isolate may use 128 MB.
 */
import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fetch as upgradingFetch, Miniflare, type MiniflareOptions } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import {
    composeReportQuery,
    RUN_OBJECT,
    SCHEDULE_OBJECT,
    scheduleToFields,
    type QueryDefinition,
    type ReportFormat,
    type ReportScheduleDefinition,
    type RunStep
} from '../force-app/main/default/lwc/reportSchedule/reportSchedule';
import { freePort } from './start';
import { ADA_ADMIN_ID, ORG_ID, STANDIN_USERNAMES } from './standins/salesforceOrgStandIn/seedData';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(repoRoot, '.tmp', 'bench-scheduler');
const HOST = '127.0.0.1';
const CRON = '*/5 * * * *';
/** Cloudflare: a Cron Trigger with an interval under 1 hour may use up to 30 s of CPU. */
const CRON_CPU_LIMIT_MS = 30_000;
/** Cloudflare: 128 MB per isolate, shared by everything it runs at once. */
const ISOLATE_MEMORY_LIMIT_MB = 128;
/** The stand-in's connected app consumer key when started from the command line. */
const STANDIN_CONSUMER_KEY = 'resident-standin-consumer-key';
const ADA = STANDIN_USERNAMES.ada;
const ADA_ID = ADA_ADMIN_ID;
const API = '/services/data/v62.0';
const CLK_TCK = 100;

interface Args {
    rows: number[];
    formats: ReportFormat[];
    runs: number;
    json?: string;
}

function parseArgs(argv: string[]): Args {
    const args: Args = { rows: [10_000, 50_000], formats: ['CSV', 'PDF'], runs: 3 };
    for (let i = 0; i < argv.length; i += 2) {
        const value = String(argv[i + 1] ?? '');
        switch (argv[i]) {
            case '--rows':
                args.rows = value.split(',').map(Number);
                break;
            case '--formats':
                args.formats = value.split(',').map((f) => f.toUpperCase() as ReportFormat);
                break;
            case '--runs':
                args.runs = Number(value);
                break;
            case '--json':
                args.json = value;
                break;
            default:
                throw new Error(`Unknown option ${argv[i]}. Usage: see the comment at the top.`);
        }
    }
    if (
        args.rows.some((n) => !Number.isInteger(n) || n < 1 || n > 100_000) ||
        args.formats.some((f) => f !== 'CSV' && f !== 'PDF') ||
        !(args.runs >= 1)
    ) {
        throw new Error('--rows 1..100000 (comma-separated), --formats CSV,PDF, --runs >= 1.');
    }
    return args;
}

/** The report every scenario runs: six columns of an account list, two of them totalled. */
const QUERY: QueryDefinition = {
    object: 'Account',
    fields: ['Name', 'Industry', 'Type', 'BillingCity', 'NumberOfEmployees', 'AnnualRevenue'],
    filters: [{ field: 'Name', operator: 'startsWith', value: 'Bench account ' }],
    totals: ['NumberOfEmployees', 'AnnualRevenue']
};

function scheduleDefinition(format: ReportFormat): ReportScheduleDefinition {
    return {
        name: `Bench accounts ${format}`,
        sourceType: 'Query',
        query: QUERY,
        format,
        frequency: { kind: 'daily', time: '07:00' },
        timeZone: 'Europe/Berlin',
        recipients: [{ type: 'user', userId: ADA_ID }],
        perRecipient: false,
        aiSummary: false,
        active: true
    };
}

// ---- the Salesforce org stand-in, in a process of its own ----

interface StandIn {
    url: string;
    close(): Promise<void>;
}

async function startStandIn(publicKeyFile: string): Promise<StandIn> {
    const port = await freePort();
    const child = spawn(
        path.join(repoRoot, 'node_modules', '.bin', 'tsx'),
        [
            path.join(repoRoot, 'scripts', 'standins', 'salesforceOrgStandIn', 'index.ts'),
            '--port',
            String(port),
            '--jwt-public-key',
            publicKeyFile
        ],
        { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] }
    );
    const url = `http://${HOST}:${port}`;
    const started = Date.now();
    for (;;) {
        const up = await fetch(`${url}/__standin/health`).then(
            (r) => r.ok,
            () => false
        );
        if (up) break;
        if (Date.now() - started > 30_000 || child.exitCode !== null) {
            child.kill('SIGKILL');
            throw new Error('The Salesforce org stand-in did not start.');
        }
        await sleep(100);
    }
    return {
        url,
        close: async () => {
            if (child.exitCode !== null) return;
            const exited = new Promise((resolve) => child.once('exit', resolve));
            child.kill('SIGTERM');
            await exited;
        }
    };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function standInPost(standIn: StandIn, route: string, body: unknown): Promise<unknown> {
    const response = await fetch(`${standIn.url}${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body)
    });
    if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`);
    return response.json();
}

async function adaSession(standIn: StandIn): Promise<{ token: string; instanceUrl: string }> {
    const session = (await standInPost(standIn, '/__standin/session', { username: ADA })) as {
        access_token: string;
        instance_url: string;
    };
    return { token: session.access_token, instanceUrl: session.instance_url };
}

async function orgApi<T>(
    standIn: StandIn,
    route: string,
    init: { method?: string; json?: unknown } = {}
): Promise<T> {
    const { token } = await adaSession(standIn);
    const response = await fetch(`${standIn.url}${API}/${route}`, {
        method: init.method ?? 'GET',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: init.json === undefined ? undefined : JSON.stringify(init.json)
    });
    if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
}

/** N accounts the query returns, through the stand-in's seed endpoint (a test-double knob). */
async function seedRows(standIn: StandIn, count: number): Promise<void> {
    await standInPost(standIn, '/__standin/reset', {});
    await standInPost(standIn, '/__standin/seed', {
        type: 'Account',
        count,
        ownerUsername: ADA,
        fields: {
            Name: 'Bench account {n}',
            Industry: 'Manufacturing',
            Type: 'Customer - Direct',
            BillingCity: 'Berlin, Mitte',
            NumberOfEmployees: 250,
            AnnualRevenue: 1250000.5
        }
    });
}

/** A schedule due a minute ago, owned by Ada; claimable once its last save is 2 s old. */
async function createDueSchedule(standIn: StandIn, format: ReportFormat): Promise<string> {
    const created = await orgApi<{ id: string }>(standIn, `sobjects/${SCHEDULE_OBJECT}`, {
        method: 'POST',
        json: {
            ...scheduleToFields(scheduleDefinition(format)),
            OwnerId: ADA_ID,
            Next_Run_At__c: new Date(Date.now() - 60_000).toISOString()
        }
    });
    return created.id;
}

interface RunRecord {
    Status__c: string;
    Rows__c: number | null;
    Error__c: string | null;
    Steps__c: string;
}

async function runOf(standIn: StandIn, scheduleId: string): Promise<RunRecord | undefined> {
    const soql = `SELECT Status__c, Rows__c, Error__c, Steps__c FROM ${RUN_OBJECT} WHERE Schedule__c = '${scheduleId}'`;
    const page = await orgApi<{ records: RunRecord[] }>(
        standIn,
        `query?q=${encodeURIComponent(soql)}`
    );
    return page.records[0];
}

// ---- workerd: bundles, processes, CPU and memory ----

/** A copy of the relay's config whose paths resolve from .tmp (as scripts/benchRelay.ts does). */
function writeRelayConfig(): string {
    mkdirSync(benchDir, { recursive: true });
    const source = readFileSync(path.join(repoRoot, 'relay', 'wrangler.jsonc'), 'utf8');
    const relayMain = path.relative(benchDir, path.join(repoRoot, 'relay', 'src', 'index.ts'));
    const config = source
        .replace(/"main":\s*"[^"]*"/, `"main": ${JSON.stringify(relayMain)}`)
        .replace(/"\$schema":\s*"[^"]*",?/, '')
        .replace(/"(\.\/[^"]+)"/g, (_match, relayPath: string) =>
            JSON.stringify(path.relative(benchDir, path.join(repoRoot, 'relay', relayPath)))
        );
    const file = path.join(benchDir, 'wrangler.jsonc');
    writeFileSync(file, config);
    return file;
}

function bundle(configFile: string, outdir: string): void {
    execFileSync(
        path.join(repoRoot, 'node_modules', '.bin', 'wrangler'),
        ['deploy', '--dry-run', '--outdir', outdir, '--config', configFile],
        { cwd: repoRoot, stdio: 'ignore', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } }
    );
}

function writeBaselineConfig(): string {
    const file = path.join(benchDir, 'baseline.wrangler.json');
    writeFileSync(
        file,
        JSON.stringify({
            name: 'resident-scheduler-bench-baseline',
            main: path.join(repoRoot, 'scripts', 'benchSchedulerBaselineWorker.ts'),
            compatibility_date: '2026-04-20',
            minify: true
        })
    );
    return file;
}

/** The workerd process Miniflare started: a child of this process. */
function workerdPid(): number {
    const out = execFileSync('ps', ['-eo', 'pid,ppid,comm'], { encoding: 'utf8' });
    const pids = out
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.trim().split(/\s+/))
        .filter(([, ppid, comm]) => Number(ppid) === process.pid && comm === 'workerd')
        .map(([pid]) => Number(pid));
    if (pids.length !== 1) throw new Error(`expected one workerd child, found ${pids.length}`);
    return pids[0]!;
}

function ticksOf(statLine: string): number {
    const fields = statLine.slice(statLine.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
}

/** CPU ms of the whole process and of each of its threads. */
function cpuSnapshot(pid: number): { total: number; threads: Map<string, number> } {
    const threads = new Map<string, number>();
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
        try {
            threads.set(
                tid,
                (ticksOf(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')) * 1000) / CLK_TCK
            );
        } catch {
            // A thread that ended between the listing and the read.
        }
    }
    return {
        total: (ticksOf(readFileSync(`/proc/${pid}/stat`, 'utf8')) * 1000) / CLK_TCK,
        threads
    };
}

function rssKb(pid: number): number {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
}

/** Polls the isolate's V8 heap through the inspector protocol (used bytes, highest seen). */
class HeapWatcher {
    private socket?: { send(message: string): void; close(): void };
    private next = 1;
    private timer?: ReturnType<typeof setInterval>;
    private pending = false;
    peakBytes = 0;
    samples = 0;

    async connect(inspectorPort: number): Promise<void> {
        const targets = (await (
            await fetch(`http://${HOST}:${inspectorPort}/json/list`)
        ).json()) as { webSocketDebuggerUrl: string; title?: string }[];
        const target =
            targets.find((t) => /resident-relay-bench|baseline/.test(t.title ?? '')) ??
            targets.at(-1);
        if (!target) throw new Error('no inspector target');
        // Miniflare's fetch opens client WebSockets (Node 20 has no WebSocket of its own).
        const upgraded = await upgradingFetch(
            target.webSocketDebuggerUrl.replace(/^ws:/, 'http:'),
            { headers: { upgrade: 'websocket' } }
        );
        const socket = upgraded.webSocket;
        if (!socket) throw new Error('the inspector did not accept a WebSocket');
        socket.accept();
        socket.addEventListener('message', (event: { data: unknown }) => {
            const message = JSON.parse(String(event.data)) as {
                result?: { usedSize?: number };
            };
            if (typeof message.result?.usedSize === 'number') {
                this.peakBytes = Math.max(this.peakBytes, message.result.usedSize);
                this.samples += 1;
                this.pending = false;
            }
        });
        this.socket = socket;
    }

    /** Collects garbage first, so a run's peak is not the garbage earlier runs left behind. */
    async start(): Promise<void> {
        this.socket?.send(
            JSON.stringify({ id: this.next++, method: 'HeapProfiler.collectGarbage' })
        );
        await sleep(200);
        this.peakBytes = 0;
        this.samples = 0;
        this.pending = false;
        this.timer = setInterval(() => this.poll(), 5);
    }

    private poll(): void {
        if (!this.socket || this.pending) return;
        this.pending = true;
        this.socket.send(JSON.stringify({ id: this.next++, method: 'Runtime.getHeapUsage' }));
    }

    async stop(): Promise<void> {
        clearInterval(this.timer);
        // One last reading after the tick, in case the isolate was busy through the last poll.
        this.pending = false;
        this.poll();
        await sleep(50);
    }

    close(): void {
        this.socket?.close();
    }
}

interface RunMeasurement {
    wallMs: number;
    cpuMs: number;
    busiestThreadMs: number;
    rssPeakMb: number;
    heapPeakMb: number;
    heapSamples: number;
    rows: number;
    status: string;
    error: string | null;
    renderDetail: string;
}

interface Runtime {
    mf: Miniflare;
    pid: number;
    heap: HeapWatcher;
    idleCpuMsPerS: number;
    rssAtStartKb: number;
}

async function startRuntime(options: MiniflareOptions): Promise<Runtime> {
    const inspectorPort = await freePort();
    const mf = new Miniflare({ ...options, inspectorPort } as MiniflareOptions);
    await mf.ready;
    const pid = workerdPid();
    const heap = new HeapWatcher();
    await heap.connect(inspectorPort);
    // The idle rate: what workerd spends while nothing runs, subtracted from every run.
    const before = cpuSnapshot(pid).total;
    await sleep(2000);
    const idleCpuMsPerS = (cpuSnapshot(pid).total - before) / 2;
    return { mf, pid, heap, idleCpuMsPerS, rssAtStartKb: rssKb(pid) };
}

async function measure(
    runtime: Runtime,
    action: () => Promise<void>
): Promise<Omit<RunMeasurement, 'rows' | 'status' | 'error' | 'renderDetail'>> {
    const { pid, heap } = runtime;
    await heap.start();
    const rssBefore = rssKb(pid);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
        rssPeak = Math.max(rssPeak, rssKb(pid));
    }, 2);
    const cpuBefore = cpuSnapshot(pid);
    const started = performance.now();
    await action();
    const wallMs = performance.now() - started;
    const cpuAfter = cpuSnapshot(pid);
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, rssKb(pid));
    await heap.stop();
    let busiest = 0;
    for (const [tid, ms] of cpuAfter.threads) {
        busiest = Math.max(busiest, ms - (cpuBefore.threads.get(tid) ?? 0));
    }
    return {
        wallMs,
        cpuMs: Math.max(
            0,
            cpuAfter.total - cpuBefore.total - runtime.idleCpuMsPerS * (wallMs / 1000)
        ),
        busiestThreadMs: busiest,
        rssPeakMb: (rssPeak - rssBefore) / 1024,
        heapPeakMb: heap.peakBytes / 1024 / 1024,
        heapSamples: heap.samples
    };
}

const HEAP_LIMITS_MB = [16, 24, 32, 48, 64, 96, 128, 192];

/**
 * The smallest V8 heap (old space, `--max-old-space-size`) in which Node, running the same engine
 * and the same relay bundle, completes the same scheduled run against the same stand-in: workerd
 * sets no heap limit locally and its resident size counts what V8 reserved, not what a run needs.
 * (Node holds fetched bodies in its JS heap where workerd holds them outside it: an upper bound.)
 */
async function smallestHeapMb(
    standIn: StandIn,
    format: ReportFormat,
    bindings: Record<string, unknown>,
    relayScript: string
): Promise<string> {
    const envFile = path.join(benchDir, 'probe-env.json');
    writeFileSync(envFile, JSON.stringify(bindings));
    const probe = [
        `const { default: worker } = await import(${JSON.stringify(pathToFileURL(relayScript).href)});`,
        `const env = JSON.parse((await import('node:fs')).readFileSync(${JSON.stringify(envFile)}, 'utf8'));`,
        'const waits = [];',
        'const ctx = { waitUntil: (p) => waits.push(p), passThroughOnException() {}, props: {} };',
        `await worker.scheduled({ cron: ${JSON.stringify(CRON)}, scheduledTime: Date.now(), noRetry() {} }, env, ctx);`,
        'await Promise.all(waits);',
        'process.exit(0);'
    ].join('\n');
    for (const limit of HEAP_LIMITS_MB) {
        const scheduleId = await createDueSchedule(standIn, format);
        await sleep(2100);
        const exitCode = await new Promise<number | null>((resolve) => {
            const child = spawn(
                process.execPath,
                [`--max-old-space-size=${limit}`, '--input-type=module', '-e', probe],
                { stdio: 'ignore' }
            );
            child.once('exit', (code) => resolve(code));
        });
        const run = await runOf(standIn, scheduleId);
        // Out of heap mid-run leaves the run Running (or none): the next, larger heap gets a go.
        if (exitCode === 0 && run && run.Status__c !== 'Running') return `≤ ${limit}`;
        // The claimed schedule is no longer due; nothing else to clean up.
    }
    return `> ${HEAP_LIMITS_MB.at(-1)}`;
}

// ---- scenarios ----

interface ScenarioResult {
    name: string;
    rows: number;
    runs: RunMeasurement[];
    /** The smallest V8 heap the run completes in (Node, same bundle); scheduler scenarios only. */
    heapNeeded?: string;
}

async function runSchedulerScenario(
    standIn: StandIn,
    relayOptions: MiniflareOptions,
    rows: number,
    format: ReportFormat,
    runs: number
): Promise<ScenarioResult> {
    const runtime = await startRuntime(relayOptions);
    const results: RunMeasurement[] = [];
    try {
        const worker = await runtime.mf.getWorker();
        for (let i = 0; i < runs; i++) {
            const scheduleId = await createDueSchedule(standIn, format);
            // The scheduler leaves a schedule saved in the last 2 s for the next tick.
            await sleep(2100);
            const measured = await measure(runtime, async () => {
                // Miniflare's Fetcher has workerd's scheduled(); the Node-side types here do not.
                await (
                    worker as unknown as {
                        scheduled(options: { cron: string; scheduledTime: Date }): Promise<unknown>;
                    }
                ).scheduled({ cron: CRON, scheduledTime: new Date() });
            });
            const run = await runOf(standIn, scheduleId);
            const steps = JSON.parse(run?.Steps__c ?? '[]') as RunStep[];
            results.push({
                ...measured,
                rows: run?.Rows__c ?? 0,
                status: run?.Status__c ?? 'no run recorded',
                error: run?.Error__c ?? null,
                renderDetail:
                    steps.find((s) => s.step === 'render')?.detail ??
                    steps.find((s) => s.outcome === 'failed')?.detail ??
                    ''
            });
        }
    } finally {
        runtime.heap.close();
        await runtime.mf.dispose();
    }
    return { name: `scheduler, ${format}`, rows, runs: results };
}

async function runBaselineScenario(
    standIn: StandIn,
    baselineScript: string,
    rows: number,
    runs: number
): Promise<ScenarioResult> {
    const runtime = await startRuntime({
        name: 'resident-scheduler-bench-baseline',
        modules: true,
        scriptPath: baselineScript,
        compatibilityDate: '2026-04-20',
        host: HOST,
        port: 0
    } as MiniflareOptions);
    const results: RunMeasurement[] = [];
    try {
        for (let i = 0; i < runs; i++) {
            const { token, instanceUrl } = await adaSession(standIn);
            let answer: { rows?: number; bytes?: number } = {};
            let status = 'Succeeded';
            const measured = await measure(runtime, async () => {
                const response = await runtime.mf.dispatchFetch('http://bench/', {
                    method: 'POST',
                    body: JSON.stringify({
                        instanceUrl,
                        accessToken: token,
                        soql: composeReportQuery(QUERY),
                        fields: QUERY.fields
                    })
                });
                if (response.ok) answer = (await response.json()) as typeof answer;
                else status = `Failed: ${response.status} ${(await response.text()).slice(0, 200)}`;
            });
            results.push({
                ...measured,
                rows: answer.rows ?? 0,
                status,
                error: null,
                renderDetail: `CSV, ${answer.bytes ?? 0} bytes`
            });
        }
    } finally {
        runtime.heap.close();
        await runtime.mf.dispose();
    }
    return { name: 'baseline: read + CSV + upload', rows, runs: results };
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function main(): Promise<void> {
    const args = parseArgs(process.argv.slice(2));
    process.env.WRANGLER_SEND_METRICS = 'false';
    mkdirSync(benchDir, { recursive: true });

    // A key pair for this run: the private half signs the relay's JWT bearer assertions, the
    // public half is the stand-in's connected app certificate.
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicKeyFile = path.join(benchDir, 'scheduler-public.pem');
    writeFileSync(publicKeyFile, keys.publicKey.export({ type: 'spki', format: 'pem' }));
    const standIn = await startStandIn(publicKeyFile);

    const relayConfig = writeRelayConfig();
    bundle(relayConfig, path.join(benchDir, 'relay'));
    bundle(writeBaselineConfig(), path.join(benchDir, 'baseline'));
    const { workerOptions } = unstable_getMiniflareWorkerOptions(relayConfig);
    const relayScript = path.join(benchDir, 'relay', 'index.js');
    const relayBindings: Record<string, unknown> = {
        ...workerOptions.bindings,
        ANTHROPIC_API_KEY: '',
        RELAY_MASTER_KEYS: '{}',
        SCHEDULER_ORGS: JSON.stringify([
            {
                orgId: ORG_ID,
                loginUrl: standIn.url,
                consumerKey: STANDIN_CONSUMER_KEY,
                schedulerUsername: ADA
            }
        ]),
        SCHEDULER_PRIVATE_KEY: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    };
    const relayOptions = {
        ...workerOptions,
        name: 'resident-relay-bench',
        modules: true,
        scriptPath: relayScript,
        bindings: relayBindings,
        host: HOST,
        port: 0,
        // The scheduler's log lines (ids and outcomes) are not what is measured.
        handleRuntimeStdio(stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream) {
            stdout.resume();
            stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
        }
    } as MiniflareOptions;

    const scenarios: ScenarioResult[] = [];
    try {
        for (const rows of args.rows) {
            await seedRows(standIn, rows);
            scenarios.push(
                await runBaselineScenario(
                    standIn,
                    path.join(benchDir, 'baseline', 'benchSchedulerBaselineWorker.js'),
                    rows,
                    args.runs
                )
            );
            for (const format of args.formats) {
                const scenario = await runSchedulerScenario(
                    standIn,
                    relayOptions,
                    rows,
                    format,
                    args.runs
                );
                scenario.heapNeeded = await smallestHeapMb(
                    standIn,
                    format,
                    relayBindings,
                    relayScript
                );
                scenarios.push(scenario);
            }
        }
    } finally {
        await standIn.close();
    }

    console.log(
        `\n${args.runs} run(s) per scenario, medians; memory of the first (cold) run on a fresh workerd; ratios against the baseline of the same row count.\n`
    );
    console.log(
        'rows    scenario                        status      wall ms   rows/s  ratio   CPU ms  thread ms  of 30 s   RSS+ MB  heap MB  needs MB  file'
    );
    for (const scenario of scenarios) {
        const baseline = scenarios.find(
            (s) => s.rows === scenario.rows && s.name.startsWith('baseline')
        );
        const wall = median(scenario.runs.map((r) => r.wallMs));
        const cpu = median(scenario.runs.map((r) => r.cpuMs));
        const thread = median(scenario.runs.map((r) => r.busiestThreadMs));
        const baseWall = baseline ? median(baseline.runs.map((r) => r.wallMs)) : Number.NaN;
        const first = scenario.runs[0]!;
        const heapPeak = median(scenario.runs.map((r) => r.heapPeakMb));
        const statuses = [...new Set(scenario.runs.map((r) => r.status))].join('/');
        console.log(
            [
                scenario.rows.toLocaleString('en-US').padEnd(7),
                scenario.name.padEnd(31),
                statuses.padEnd(10),
                wall.toFixed(0).padStart(8),
                (first.rows > 0 ? ((first.rows / wall) * 1000).toFixed(0) : '-').padStart(8),
                `${(wall / baseWall).toFixed(1)}×`.padStart(6),
                cpu.toFixed(0).padStart(8),
                thread.toFixed(0).padStart(10),
                `${((thread / CRON_CPU_LIMIT_MS) * 100).toFixed(1)}%`.padStart(9),
                first.rssPeakMb.toFixed(1).padStart(9),
                heapPeak.toFixed(1).padStart(8),
                (scenario.heapNeeded ?? '').padStart(9),
                `  ${first.renderDetail} (${first.heapSamples} heap readings)`
            ].join(' ')
        );
        for (const error of new Set(scenario.runs.map((r) => r.error).filter(Boolean))) {
            console.log(`        error: ${error}`);
        }
    }
    console.log(
        '\nCPU ms: workerd process CPU over the tick minus its idle rate. thread ms: the busiest thread (the isolate).'
    );
    console.log(
        'RSS+ MB: workerd resident memory above its size before the first tick. heap MB: highest V8 used heap seen during a tick after a GC (inspector; garbage included, and polls wait while the isolate computes).'
    );
    console.log(
        `needs MB: the smallest V8 old space in which Node completes the same run with the same bundle. Limits: ${CRON_CPU_LIMIT_MS / 1000} s CPU per cron tick, ${ISOLATE_MEMORY_LIMIT_MB} MB per isolate.`
    );
    if (args.json) writeFileSync(args.json, JSON.stringify(scenarios, null, 2));
}

await main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
});

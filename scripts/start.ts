/**
 * `npm start`: builds the components and the workbench, starts the Anthropic stand-in, the
 * Salesforce org stand-in, the relay (wrangler dev on workerd) and the workbench server, prints
 * the URLs, and on Ctrl-C stops every process it started (workerd included).
 *
 * `startWorkbenchStack()` is the same, reusable: the browser tests start the whole stack on free
 * ports with it and stop it when they are done.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deriveOrgKey } from '../relay/src/auth/orgKeys';
import { startAnthropicStandIn, type AnthropicStandIn } from './standins/anthropicStandIn';
import {
    startSalesforceOrgStandIn,
    type SalesforceOrgStandIn
} from './standins/salesforceOrgStandIn/index';
import {
    ORG_ID as STANDIN_ORG_ID,
    STANDIN_USERNAMES
} from './standins/salesforceOrgStandIn/seedData';
import { buildWorkbench, type WorkbenchBuildResult } from './workbench/build';
import { startWorkbenchServer, type AppPageKey, type WorkbenchServer } from './workbench/server';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const relayDir = path.join(repoRoot, 'relay');
const wranglerBin = path.join(repoRoot, 'node_modules', '.bin', 'wrangler');
const HOST = '127.0.0.1';
const HARMLESS_OFFLINE_NOISE = /Request\.cf|workers\.cloudflare\.com|GetAddrInfoReqWrap/;
/** The local cron's own requests (every few seconds); what each tick did is logged by the relay. */
const LOCAL_CRON_NOISE = /GET \/__scheduled\S* 200/;
const STAND_IN_MODEL_LABEL = 'Local Anthropic stand-in (test double)';
/** The key id of the per-run master secret the local relay and the stand-in org share. */
const WORKBENCH_KEY_ID = 'workbench';
/** The key id the vendor's next master secret has: what a rotation moves the org to. */
const WORKBENCH_NEXT_KEY_ID = 'workbench-2';
/** The stand-in org's scheduler connected app (a test double): the JWT's `iss`. */
const WORKBENCH_SCHEDULER_CONSUMER_KEY = 'resident-workbench-scheduler-standin';
/** What `wrangler dev --test-scheduled` fires: the deployed relay's cron (wrangler.jsonc). */
const SCHEDULED_PATH = `/__scheduled?cron=${encodeURIComponent('*/5 * * * *')}`;
/** How often `npm start` fires the relay's cron locally (the deployed relay: every 5 minutes). */
export const DEFAULT_SCHEDULER_TICK_MS = 5000;

export interface WorkbenchStackOptions {
    /** Ports; 0 (the default here) picks free ones. `npm start` passes 8787-8790. */
    relayPort?: number;
    anthropicPort?: number;
    orgPort?: number;
    workbenchPort?: number;
    /** Build components and workbench first (default true). */
    build?: boolean;
    /** Where progress and the relay's output go (default: nowhere). */
    log?: (line: string) => void;
    /** How long the relay may take to answer its health check (default 60 s). */
    relayStartTimeoutMs?: number;
    /**
     * How often the relay's cron trigger fires, in ms (default 0: never, so a browser test does not
     * poll the stand-in org every few seconds for nothing; tests that need it pass an interval or
     * call `scheduler.tickNow()`). `npm start` uses DEFAULT_SCHEDULER_TICK_MS; the deployed
     * relay's cron runs every 5 minutes.
     */
    schedulerTickMs?: number;
}

/** The local cron: `GET /__scheduled` on the relay (wrangler dev --test-scheduled), on a timer. */
export interface LocalScheduler {
    /** Fires the relay's scheduled handler once, now. */
    tickNow(): Promise<void>;
    /** Ticks fired so far. */
    readonly ticks: number;
}

export interface WorkbenchStack {
    urls: {
        workbench: string;
        recordPage: string;
        /** Home and the app pages (activity-log, knowledge, trust-settings). */
        appPages: Record<AppPageKey, string>;
        relay: string;
        orgStandIn: string;
        anthropicStandIn: string;
    };
    /** True when relay/.dev.vars has a key: the relay talks to Anthropic's real API. */
    usesRealAnthropicApi: boolean;
    build?: WorkbenchBuildResult;
    org: SalesforceOrgStandIn;
    anthropic: AnthropicStandIn;
    scheduler: LocalScheduler;
    /**
     * TEST DOUBLE of the vendor issuing a rotated key: the stand-in org's key under the relay's
     * second master secret (key id `workbench-2`), which the org does not hold until an admin
     * rotates to it in the trust center. Never printed.
     */
    nextOrgKey: string;
    /** Stops only the relay (tests use it to show what the panel says when the relay is gone). */
    stopRelay(): Promise<void>;
    stop(): Promise<void>;
}

/** A port nobody listens on right now, for a process that must be told its port up front. */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const probe = createServer();
        probe.once('error', reject);
        probe.listen(0, HOST, () => {
            const address = probe.address();
            const port = typeof address === 'object' && address ? address.port : 0;
            probe.close(() => resolve(port));
        });
    });
}

/** Whether relay/.dev.vars sets a non-empty ANTHROPIC_API_KEY (the value is never read out). */
async function hasAnthropicKey(): Promise<boolean> {
    const devVars = await readFile(path.join(relayDir, '.dev.vars'), 'utf8').catch(() => '');
    return /^\s*ANTHROPIC_API_KEY\s*=\s*["']?[^\s"']+/m.test(devVars);
}

async function waitUntilAnswers(
    url: string,
    timeoutMs: number,
    isUp: () => boolean
): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastError = '';
    while (Date.now() < deadline) {
        if (!isUp()) {
            throw new Error(`${url}: the process exited before answering`);
        }
        try {
            const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
            if (response.ok) {
                return;
            }
            lastError = `HTTP ${response.status}`;
        } catch (error) {
            lastError = (error as Error).message;
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`${url} did not answer within ${timeoutMs} ms (${lastError})`);
}

/** The relay under wrangler dev, in its own process group so workerd stops with it. */
export class RelayProcess {
    private child?: ChildProcess;
    private exited = true;
    readonly output: string[] = [];

    start(args: string[], log: (line: string) => void): void {
        const child = spawn(wranglerBin, args, {
            cwd: relayDir,
            detached: true,
            stdio: ['ignore', 'pipe', 'pipe'],
            env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: '1', NO_COLOR: '1' }
        });
        this.child = child;
        this.exited = false;
        child.once('exit', () => {
            this.exited = true;
        });
        const collect = (chunk: Buffer): void => {
            for (const line of chunk.toString().split('\n')) {
                if (line.trim()) {
                    this.output.push(line);
                    log(`[relay] ${line}`);
                }
            }
        };
        child.stdout?.on('data', collect);
        child.stderr?.on('data', collect);
    }

    get running(): boolean {
        return !this.exited;
    }

    /** wrangler's process id, which is also the id of the group workerd runs in. */
    get pid(): number | undefined {
        return this.child?.pid;
    }

    private groupAlive(): boolean {
        const pid = this.child?.pid;
        if (!pid) return false;
        try {
            process.kill(-pid, 0);
            return true;
        } catch {
            return false;
        }
    }

    private signalGroup(signal: NodeJS.Signals): void {
        const pid = this.child?.pid;
        if (!pid) return;
        try {
            process.kill(-pid, signal);
        } catch {
            // Already gone.
        }
    }

    /** SIGTERM to wrangler and workerd together; SIGKILL whatever is left after 5 s. */
    async stop(): Promise<void> {
        if (!this.child) return;
        this.signalGroup('SIGTERM');
        const deadline = Date.now() + 5000;
        while (this.groupAlive() && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        if (this.groupAlive()) {
            this.signalGroup('SIGKILL');
            while (this.groupAlive()) {
                await new Promise((resolve) => setTimeout(resolve, 50));
            }
        }
        this.child = undefined;
    }

    /** Last resort when the parent exits without stopping: never leave workerd behind. */
    killNow(): void {
        this.signalGroup('SIGKILL');
    }
}

/**
 * Fires the relay's cron every `intervalMs` (never two at once from here; the relay's claims keep
 * overlapping ticks from running a schedule twice anyway). "Run now" in the workbench makes a
 * schedule due at once: the next tick that finds its last save 2 s behind runs it.
 */
function startLocalCron(
    relayUrl: string,
    intervalMs: number,
    log: (line: string) => void
): LocalScheduler & { stop(): Promise<void> } {
    let ticks = 0;
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> = Promise.resolve();
    const tickNow = (): Promise<void> => {
        running = running.then(async () => {
            if (stopped) return;
            ticks += 1;
            try {
                const response = await fetch(`${relayUrl}${SCHEDULED_PATH}`, {
                    signal: AbortSignal.timeout(30_000)
                });
                await response.text();
                if (!response.ok) log(`[scheduler] the cron tick answered ${response.status}`);
            } catch (error) {
                if (!stopped) log(`[scheduler] the cron tick failed: ${(error as Error).message}`);
            }
        });
        return running;
    };
    const next = (): void => {
        if (stopped || intervalMs <= 0) return;
        timer = setTimeout(() => void tickNow().then(next), intervalMs);
        timer.unref();
    };
    next();
    return {
        tickNow,
        get ticks() {
            return ticks;
        },
        async stop() {
            stopped = true;
            clearTimeout(timer);
            await running;
        }
    };
}

export async function startWorkbenchStack(
    options: WorkbenchStackOptions = {}
): Promise<WorkbenchStack> {
    const log = options.log ?? (() => undefined);
    const stoppers: (() => Promise<void>)[] = [];
    const relay = new RelayProcess();
    const killRelayOnExit = (): void => relay.killNow();
    process.once('exit', killRelayOnExit);

    async function stop(): Promise<void> {
        process.removeListener('exit', killRelayOnExit);
        for (const stopOne of stoppers.reverse()) {
            await stopOne().catch(() => undefined);
        }
        stoppers.length = 0;
    }

    try {
        let build: WorkbenchBuildResult | undefined;
        if (options.build !== false) {
            log('Building the components and the workbench...');
            build = await buildWorkbench();
            log(`Workbench built in ${(build.durationMs / 1000).toFixed(1)} s`);
        }
        const relayPort = options.relayPort || (await freePort());
        const relayUrl = `http://${HOST}:${relayPort}`;

        const anthropic = await startAnthropicStandIn({
            port: options.anthropicPort ?? 0,
            host: HOST
        });
        stoppers.push(() => anthropic.close());
        // A master secret for this run only, handed to the relay on its command line and never
        // written anywhere; the stand-in org stores the org key derived from it, as a real org
        // stores the key the vendor issued.
        const masterSecret = crypto.getRandomValues(new Uint8Array(32));
        const orgKey = await deriveOrgKey(masterSecret, WORKBENCH_KEY_ID, STANDIN_ORG_ID);
        // The vendor keeps the next master secret deployed beside the current one, so an org can
        // rotate to its key whenever its admin is ready (docs/ADMIN.md, "Rotate the org key").
        const nextMasterSecret = crypto.getRandomValues(new Uint8Array(32));
        const nextOrgKey = await deriveOrgKey(
            nextMasterSecret,
            WORKBENCH_NEXT_KEY_ID,
            STANDIN_ORG_ID
        );
        // Scheduled reports: a throwaway RSA key pair for this run only, held in memory (a test
        // double of the vendor's scheduler key). The private half goes to the local relay as
        // SCHEDULER_PRIVATE_KEY, the public half to the stand-in org's JWT bearer endpoint as the
        // connected app's certificate. Neither is written anywhere.
        const schedulerKeys = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
        const org = await startSalesforceOrgStandIn({
            port: options.orgPort ?? 0,
            host: HOST,
            relayUrl,
            orgKey,
            jwtPublicKey: schedulerKeys.publicKey,
            consumerKey: WORKBENCH_SCHEDULER_CONSUMER_KEY
        });
        stoppers.push(() => org.close());
        const workbench: WorkbenchServer = await startWorkbenchServer({
            port: options.workbenchPort ?? 0,
            host: HOST,
            orgStandInUrl: org.url
        });
        stoppers.push(() => workbench.close());

        const usesRealAnthropicApi = await hasAnthropicKey();
        const args = [
            'dev',
            '--config',
            'wrangler.jsonc',
            '--local',
            '--ip',
            HOST,
            '--port',
            String(relayPort),
            '--inspector-port',
            String(await freePort()),
            '--show-interactive-dev-session=false',
            '--var',
            `ALLOWED_ORIGINS:${workbench.url}`,
            '--var',
            `RELAY_MASTER_KEYS:${JSON.stringify({
                [WORKBENCH_KEY_ID]: Buffer.from(masterSecret).toString('base64url'),
                [WORKBENCH_NEXT_KEY_ID]: Buffer.from(nextMasterSecret).toString('base64url')
            })}`,
            // The stand-in org enrolled for scheduled reports, signing in as Ada (who is also the
            // stand-in's scheduler integration user), and /__scheduled to fire the cron locally.
            '--test-scheduled',
            '--var',
            `SCHEDULER_ORGS:${JSON.stringify([
                {
                    orgId: STANDIN_ORG_ID,
                    loginUrl: org.url,
                    consumerKey: WORKBENCH_SCHEDULER_CONSUMER_KEY,
                    schedulerUsername: STANDIN_USERNAMES.ada,
                    allowExternalRecipients: false
                }
            ])}`,
            '--var',
            // One line (the relay reads `\n` back as newlines), so it fits one argument.
            `SCHEDULER_PRIVATE_KEY:${schedulerKeys.privateKey
                .export({ type: 'pkcs8', format: 'pem' })
                .toString()
                .trim()
                .replace(/\n/g, '\\n')}`
        ];
        if (!usesRealAnthropicApi) {
            args.push(
                '--var',
                `ANTHROPIC_BASE_URL:${anthropic.url}`,
                '--var',
                'ANTHROPIC_API_KEY:standin-no-key',
                '--var',
                `LLM_UPSTREAM_LABEL:${STAND_IN_MODEL_LABEL}`
            );
        }
        // The per-run secrets are not for the console.
        const shown = args.map((arg) =>
            /^(RELAY_MASTER_KEYS|SCHEDULER_PRIVATE_KEY):/.test(arg)
                ? `${arg.split(':')[0]}:<this run's test key>`
                : arg
        );
        log(`Starting the relay: wrangler ${shown.join(' ')}`);
        relay.start(args, log);
        stoppers.push(() => relay.stop());
        try {
            await waitUntilAnswers(
                `${relayUrl}/healthz`,
                options.relayStartTimeoutMs ?? 60_000,
                () => relay.running
            );
        } catch (error) {
            throw new Error(
                `The relay did not start: ${(error as Error).message}\n${relay.output.slice(-20).join('\n')}`
            );
        }
        const scheduler = startLocalCron(relayUrl, options.schedulerTickMs ?? 0, log);
        stoppers.push(() => scheduler.stop());
        return {
            scheduler,
            urls: {
                workbench: workbench.url,
                recordPage: workbench.recordPageUrl,
                appPages: workbench.appPageUrls,
                relay: relayUrl,
                orgStandIn: org.url,
                anthropicStandIn: anthropic.url
            },
            usesRealAnthropicApi,
            build,
            org,
            anthropic,
            nextOrgKey,
            stopRelay: () => relay.stop(),
            stop
        };
    } catch (error) {
        await stop();
        throw error;
    }
}

/**
 * `SCHEDULER_TICK_SECONDS` as milliseconds: unset, the 5 s default; otherwise a number of seconds
 * from 0 (never) to 3600. Anything else is refused, since `Number('5s')` is NaN and a NaN
 * interval would fire the cron continuously.
 */
export function schedulerTickMsFromEnv(value: string | undefined): number {
    if (value === undefined || value.trim() === '') return DEFAULT_SCHEDULER_TICK_MS;
    const seconds = Number(value);
    if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600) {
        throw new Error(
            `SCHEDULER_TICK_SECONDS must be a number of seconds from 0 (never) to 3600, not "${value}".`
        );
    }
    return Math.round(seconds * 1000);
}

async function main(): Promise<void> {
    const port = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
    const schedulerTickMs = schedulerTickMsFromEnv(process.env.SCHEDULER_TICK_SECONDS);
    const stack = await startWorkbenchStack({
        schedulerTickMs,
        relayPort: port('RELAY_PORT', 8787),
        anthropicPort: port('ANTHROPIC_STANDIN_PORT', 8788),
        orgPort: port('SALESFORCE_STANDIN_PORT', 8789),
        workbenchPort: port('WORKBENCH_PORT', 8790),
        log: (line) => {
            // workerd offline cannot fetch Cloudflare's Request.cf data; harmless, and noisy.
            if (!HARMLESS_OFFLINE_NOISE.test(line) && !LOCAL_CRON_NOISE.test(line))
                console.log(line);
        }
    });
    console.log(`
Resident local workbench (stand-in org and stand-in model are test doubles, not Salesforce)

  Record page (Ada Admin)   ${stack.urls.recordPage}
  Same page as Sam Seller   ${stack.urls.recordPage}?user=sam
  Home page                 ${stack.urls.appPages.home}
  Activity log              ${stack.urls.appPages['activity-log']}
  Knowledge                 ${stack.urls.appPages.knowledge}
  Trust settings            ${stack.urls.appPages['trust-settings']}
  Reports (schedules)       ${stack.urls.appPages.reports}
  Scheduled reports         ${schedulerTickMs > 0 ? `the relay's cron fires every ${schedulerTickMs / 1000} s` : "the relay's cron is off"} (SCHEDULER_TICK_SECONDS), signed in to the stand-in org with this run's throwaway key
  Trust center              ${stack.urls.appPages['trust-center']}
  Document templates        ${stack.urls.appPages.templates}
  Batch documents           ${stack.urls.appPages['batch-documents']}
  Relay (wrangler dev)      ${stack.urls.relay}/healthz
  Salesforce org stand-in   ${stack.urls.orgStandIn}
  Anthropic stand-in        ${stack.urls.anthropicStandIn}${stack.usesRealAnthropicApi ? '  (not used: relay/.dev.vars has ANTHROPIC_API_KEY, the relay talks to the real API)' : ''}

Press Ctrl-C to stop everything.`);
    let stopping = false;
    const shutdown = (signal: string): void => {
        if (stopping) return;
        stopping = true;
        console.log(`\n${signal}: stopping the relay, the stand-ins and the workbench...`);
        void stack.stop().then(() => {
            console.log('Stopped.');
            process.exit(0);
        });
    };
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    main().catch((error: unknown) => {
        console.error(`✖ npm start failed: ${(error as Error).message}`);
        process.exit(1);
    });
}

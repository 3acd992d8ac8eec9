/**
 * `npm start`: builds the components and the workbench, starts the Anthropic stand-in, the
 * Salesforce org stand-in, the relay (wrangler dev on workerd) and the workbench server, prints
 * the URLs, and on Ctrl-C stops every process it started (workerd included).
 *
 * `startWorkbenchStack()` is the same, reusable: the browser tests start the whole stack on free
 * ports with it and stop it when they are done.
 */
import { spawn, type ChildProcess } from 'node:child_process';
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
import { ORG_ID as STANDIN_ORG_ID } from './standins/salesforceOrgStandIn/seedData';
import { buildWorkbench, type WorkbenchBuildResult } from './workbench/build';
import { startWorkbenchServer, type AppPageKey, type WorkbenchServer } from './workbench/server';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const relayDir = path.join(repoRoot, 'relay');
const wranglerBin = path.join(repoRoot, 'node_modules', '.bin', 'wrangler');
const HOST = '127.0.0.1';
const HARMLESS_OFFLINE_NOISE = /Request\.cf|workers\.cloudflare\.com|GetAddrInfoReqWrap/;
const STAND_IN_MODEL_LABEL = 'Local Anthropic stand-in (test double)';
/** The key id of the per-run master secret the local relay and the stand-in org share. */
const WORKBENCH_KEY_ID = 'workbench';

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
        const org = await startSalesforceOrgStandIn({
            port: options.orgPort ?? 0,
            host: HOST,
            relayUrl,
            orgKey
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
            `RELAY_MASTER_KEYS:${JSON.stringify({ [WORKBENCH_KEY_ID]: Buffer.from(masterSecret).toString('base64url') })}`
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
        log(`Starting the relay: wrangler ${args.join(' ')}`);
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
        return {
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
            stopRelay: () => relay.stop(),
            stop
        };
    } catch (error) {
        await stop();
        throw error;
    }
}

async function main(): Promise<void> {
    const port = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
    const stack = await startWorkbenchStack({
        relayPort: port('RELAY_PORT', 8787),
        anthropicPort: port('ANTHROPIC_STANDIN_PORT', 8788),
        orgPort: port('SALESFORCE_STANDIN_PORT', 8789),
        workbenchPort: port('WORKBENCH_PORT', 8790),
        log: (line) => {
            // workerd offline cannot fetch Cloudflare's Request.cf data; harmless, and noisy.
            if (!HARMLESS_OFFLINE_NOISE.test(line)) console.log(line);
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

/**
 * What the relay adds to a streamed reply: time to first byte and to the last byte of the same
 * streamed conversation, through the relay (workerd, run by Miniflare as wrangler dev does, from
 * the bundle `wrangler deploy` would upload) and straight to the same Anthropic stand-in (in a
 * process of its own), interleaved in one run so both paths share the machine's load.
 *
 * Streams are paced as a model writes them (--pace-ms between deltas) and clients stream back to
 * back with staggered starts, so "50 concurrent streams" means about 50 replies open at once, as a
 * relay serving 50 chatting users sees them. Reports p50/p99 of both paths, the added milliseconds
 * and the ratio, at 1, 50 and 200 concurrent streams; workerd's CPU time per relayed request; a
 * soak of 200 concurrent streams for 60 s counting errors; and the relay bundle size. A
 * measurement, so it exits 0 unless the stack cannot start. `--pace-ms 0` turns it into a burst
 * (throughput) test, where one workerd isolate's CPU, not the relay's latency, is what shows.
 *
 * Usage: npx tsx scripts/benchRelay.ts [--rounds 20] [--soak-seconds 60] [--pace-ms 20]
 *     [--concurrency 1,50,200] [--json out.json]
 *
 * The bench relay runs with its rate limits raised (a copy of wrangler.jsonc under .tmp): the
 * limiter is not what is measured, and one machine cannot look like many users.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DEFAULT_POLICY } from '../force-app/main/default/lwc/egressPolicy/egressPolicy';
import { deriveOrgKey } from '../relay/src/auth/orgKeys';
import { mintSessionToken } from '../relay/src/auth/sessionToken';
import { Miniflare, type MiniflareOptions } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { freePort } from './start';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(repoRoot, '.tmp', 'bench-relay');
const HOST = '127.0.0.1';
const BENCH_ORG_ID = '00D000000000BNCHAA';
const BENCH_KEY_ID = 'bench';
const MODEL = DEFAULT_POLICY.models[0] ?? 'claude-sonnet-5-5';

interface Args {
    rounds: number;
    soakSeconds: number;
    concurrencies: number[];
    /** Delay between streamed deltas: the pace at which a model writes (20 ms: ~50 deltas/s). */
    paceMs: number;
    json?: string;
}

function parseArgs(argv: string[]): Args {
    const args: Args = { rounds: 20, soakSeconds: 60, concurrencies: [1, 50, 200], paceMs: 20 };
    for (let i = 0; i < argv.length; i += 1) {
        const value = argv[i + 1];
        switch (argv[i]) {
            case '--rounds':
                args.rounds = Number(value);
                i += 1;
                break;
            case '--soak-seconds':
                args.soakSeconds = Number(value);
                i += 1;
                break;
            case '--pace-ms':
                args.paceMs = Number(value);
                break;
            case '--concurrency':
                args.concurrencies = String(value).split(',').map(Number);
                i += 1;
                break;
            case '--json':
                args.json = value;
                i += 1;
                break;
            default:
                throw new Error(`Unknown option ${argv[i]}. Usage: see the comment at the top.`);
        }
    }
    if (
        !(args.rounds >= 1) ||
        !(args.soakSeconds >= 0) ||
        args.concurrencies.some((c) => !(c >= 1)) ||
        !(args.paceMs >= 0)
    ) {
        throw new Error('--rounds and --concurrency need positive numbers, --soak-seconds >= 0.');
    }
    return args;
}

/** One streamed request: when its first body byte and its last byte arrived, in ms from start. */
interface StreamTiming {
    ttfbMs: number;
    totalMs: number;
}

interface Target {
    name: 'direct' | 'relay';
    url: string;
    headers: () => Record<string, string>;
}

const REQUEST_BODY = JSON.stringify({
    model: MODEL,
    max_tokens: 256,
    stream: true,
    messages: [{ role: 'user', content: 'Summarise the account for the weekly review.' }]
});

async function streamOnce(target: Target): Promise<StreamTiming> {
    const started = performance.now();
    const response = await fetch(`${target.url}/v1/messages`, {
        method: 'POST',
        headers: {
            'content-type': 'application/json',
            'anthropic-version': '2023-06-01',
            ...target.headers()
        },
        body: REQUEST_BODY
    });
    if (response.status !== 200 || !response.body) {
        const text = await response.text().catch(() => '');
        throw new Error(`${target.name}: HTTP ${response.status} ${text.slice(0, 200)}`);
    }
    const reader = response.body.getReader();
    let ttfbMs = -1;
    let received = '';
    const decoder = new TextDecoder();
    for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (ttfbMs < 0) ttfbMs = performance.now() - started;
        received += decoder.decode(value, { stream: true });
    }
    if (!received.includes('event: message_stop')) {
        throw new Error(`${target.name}: the stream ended without message_stop`);
    }
    return { ttfbMs, totalMs: performance.now() - started };
}

function percentile(sorted: number[], p: number): number {
    if (sorted.length === 0) return Number.NaN;
    const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
    return sorted[Math.max(0, index)] ?? Number.NaN;
}

interface PathStats {
    ttfbP50: number;
    ttfbP99: number;
    totalP50: number;
    totalP99: number;
    samples: number;
}

function statsOf(timings: StreamTiming[]): PathStats {
    const ttfb = timings.map((t) => t.ttfbMs).sort((a, b) => a - b);
    const total = timings.map((t) => t.totalMs).sort((a, b) => a - b);
    return {
        ttfbP50: percentile(ttfb, 50),
        ttfbP99: percentile(ttfb, 99),
        totalP50: percentile(total, 50),
        totalP99: percentile(total, 99),
        samples: timings.length
    };
}

interface ConcurrencyResult {
    concurrency: number;
    direct: PathStats;
    relay: PathStats;
    errors: string[];
}

/**
 * `concurrency` clients, each streaming back to back for `rounds` rounds and alternating the two
 * paths, so about `concurrency` streams are open at any moment, half through each path, started at
 * staggered times as a chat relay sees them. Each client waits a random part of one reply before
 * its first request, so the run does not open with every stream starting at the same instant.
 */
async function measureAt(
    concurrency: number,
    rounds: number,
    direct: Target,
    relay: Target,
    staggerMs: number
): Promise<ConcurrencyResult> {
    const timings: Record<'direct' | 'relay', StreamTiming[]> = { direct: [], relay: [] };
    const errors: string[] = [];
    await Promise.all(
        Array.from({ length: concurrency }, async (_, client) => {
            await new Promise((resolve) => setTimeout(resolve, Math.random() * staggerMs));
            for (let round = 0; round < rounds; round += 1) {
                const order = (client + round) % 2 === 0 ? [direct, relay] : [relay, direct];
                for (const target of order) {
                    try {
                        timings[target.name].push(await streamOnce(target));
                    } catch (error) {
                        errors.push(String(error));
                    }
                }
            }
        })
    );
    return {
        concurrency,
        direct: statsOf(timings.direct),
        relay: statsOf(timings.relay),
        errors
    };
}

async function soak(
    relay: Target,
    concurrency: number,
    seconds: number
): Promise<{ completed: number; errors: string[] }> {
    const deadline = performance.now() + seconds * 1000;
    let completed = 0;
    const errors: string[] = [];
    async function worker(): Promise<void> {
        while (performance.now() < deadline) {
            try {
                await streamOnce(relay);
                completed += 1;
            } catch (error) {
                errors.push(String(error));
            }
        }
    }
    await Promise.all(Array.from({ length: concurrency }, () => worker()));
    return { completed, errors };
}

/** utime + stime of a process and its threads, in ms (Linux /proc; undefined elsewhere). */
function cpuTimeMs(pid: number): number | undefined {
    try {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ');
        if (!fields) return undefined;
        const ticksPerSecond = 100;
        const utime = Number(fields[11]);
        const stime = Number(fields[12]);
        return ((utime + stime) * 1000) / ticksPerSecond;
    } catch {
        return undefined;
    }
}

/** The workerd process Miniflare started for the bench: a child of this process. */
async function workerdPid(): Promise<number | undefined> {
    const { stdout } = await promisify(execFile)('pgrep', [
        '-P',
        String(process.pid),
        'workerd'
    ]).catch(() => ({ stdout: '' }));
    return stdout
        .split('\n')
        .map(Number)
        .filter((n) => n > 0)
        .at(-1);
}

/** Bundles the relay as `wrangler deploy` would (into .tmp) and answers wrangler's size line. */
async function bundleRelay(configFile: string): Promise<string> {
    const { stdout, stderr } = await promisify(execFile)(
        path.join(repoRoot, 'node_modules', '.bin', 'wrangler'),
        ['deploy', '--dry-run', '--outdir', path.join(benchDir, 'dist'), '--config', configFile],
        {
            cwd: repoRoot,
            env: {
                ...process.env,
                WRANGLER_SEND_METRICS: 'false',
                NO_COLOR: '1'
            }
        }
    );
    const line = `${stdout}\n${stderr}`.split('\n').find((l) => l.includes('Total Upload'));
    return line?.trim() ?? 'unknown (no "Total Upload" line from wrangler)';
}

/**
 * The Anthropic stand-in in a process of its own, so it does not share an event loop with the
 * bench's clients: under load that sharing, not the relay, would dominate both paths.
 */
async function startStandInProcess(
    paceMs: number
): Promise<{ url: string; close: () => Promise<void> }> {
    const port = await freePort();
    const child = spawn(
        path.join(repoRoot, 'node_modules', '.bin', 'tsx'),
        [
            path.join(repoRoot, 'scripts', 'standins', 'anthropicStandIn.ts'),
            '--port',
            String(port),
            '--chunk-delay-ms',
            String(paceMs)
        ],
        { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] }
    );
    const url = `http://${HOST}:${port}`;
    const started = Date.now();
    for (;;) {
        const up = await fetch(`${url}/v1/models`).then(
            () => true,
            () => false
        );
        if (up) break;
        if (Date.now() - started > 30_000 || child.exitCode !== null) {
            child.kill('SIGKILL');
            throw new Error('The Anthropic stand-in did not start.');
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
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

/** A copy of the relay's config with the rate limits raised, so the limiter is not what is measured. */
function writeBenchConfig(): string {
    mkdirSync(benchDir, { recursive: true });
    const source = readFileSync(path.join(repoRoot, 'relay', 'wrangler.jsonc'), 'utf8');
    const relayMain = path.relative(benchDir, path.join(repoRoot, 'relay', 'src', 'index.ts'));
    const config = source
        .replace(/"main":\s*"[^"]*"/, `"main": ${JSON.stringify(relayMain)}`)
        .replace(/"\$schema":\s*"[^"]*",?/, '')
        // Other relative paths (the alias of pdf-lib's standard fonts) are relative to relay/ too.
        .replace(/"(\.\/[^"]+)"/g, (_match, relayPath: string) =>
            JSON.stringify(path.relative(benchDir, path.join(repoRoot, 'relay', relayPath)))
        )
        .replace(/"limit":\s*\d+/g, '"limit": 100000000');
    const file = path.join(benchDir, 'wrangler.jsonc');
    writeFileSync(file, config);
    return file;
}

function fmt(ms: number): string {
    return Number.isFinite(ms) ? ms.toFixed(1) : '-';
}

async function main(): Promise<void> {
    const args = parseArgs(process.argv.slice(2));
    const masterSecret = crypto.getRandomValues(new Uint8Array(32));
    const masterKeys = JSON.stringify({
        [BENCH_KEY_ID]: Buffer.from(masterSecret).toString('base64url')
    });
    const orgKey = await deriveOrgKey(masterSecret, BENCH_KEY_ID, BENCH_ORG_ID);

    const anthropic = await startStandInProcess(args.paceMs);
    const configFile = writeBenchConfig();
    const bundle = await bundleRelay(configFile);
    const standInKey = 'bench-standin-key';
    // The relay in workerd through Miniflare, as wrangler dev runs it but without wrangler's
    // reload proxy in front (a hop of its own, ~3 ms here, that no deployed request takes).
    const { workerOptions } = unstable_getMiniflareWorkerOptions(configFile);
    let logLines = 0;
    const relayRuntime = new Miniflare({
        ...workerOptions,
        name: 'resident-relay-bench',
        modules: true,
        scriptPath: path.join(benchDir, 'dist', 'index.js'),
        bindings: {
            ...workerOptions.bindings,
            ANTHROPIC_BASE_URL: anthropic.url,
            ANTHROPIC_API_KEY: standInKey,
            RELAY_MASTER_KEYS: masterKeys
        },
        host: HOST,
        port: 0,
        // The relay's one line per request is counted, not printed: a terminal is not a log sink.
        handleRuntimeStdio(stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream) {
            for (const stream of [stdout, stderr]) {
                stream.on('data', (chunk: Buffer) => {
                    logLines += chunk.toString().split('\n').filter(Boolean).length;
                });
            }
        }
    } as MiniflareOptions);
    try {
        const relayUrl = (await relayRuntime.ready).origin;
        const health = await fetch(`${relayUrl}/healthz`);
        if (!health.ok) throw new Error(`The bench relay answered /healthz with ${health.status}.`);

        // Tokens live 10 minutes; mint per user up front and renew when a phase could outlive them.
        let tokens: string[] = [];
        let mintedAt = 0;
        async function renewTokens(): Promise<void> {
            tokens = await Promise.all(
                Array.from({ length: 200 }, (_, i) =>
                    mintSessionToken(orgKey, {
                        orgId: BENCH_ORG_ID,
                        userId: `005000000000${String(i).padStart(4, '0')}AA`,
                        scopes: ['llm'],
                        policy: DEFAULT_POLICY,
                        budget: { userDayRemaining: 1_000_000_000, taskRemaining: 1_000_000_000 }
                    })
                )
            );
            mintedAt = Date.now();
        }
        await renewTokens();
        let next = 0;
        const relay: Target = {
            name: 'relay',
            url: relayUrl,
            headers: () => ({ authorization: `Bearer ${tokens[next++ % tokens.length]}` })
        };
        const direct: Target = {
            name: 'direct',
            url: anthropic.url,
            headers: () => ({ 'x-api-key': standInKey })
        };

        // How long one reply takes to stream at this pace: the window clients stagger their starts in.
        const replyMs = (await streamOnce(direct)).totalMs;
        // Warm both paths (isolate start, connection pools) before anything is counted.
        await measureAt(10, 2, direct, relay, 0);

        const results: ConcurrencyResult[] = [];
        for (const concurrency of args.concurrencies) {
            if (Date.now() - mintedAt > 5 * 60_000) await renewTokens();
            results.push(await measureAt(concurrency, args.rounds, direct, relay, replyMs));
        }

        const pid = await workerdPid();
        const cpuSamples = 200;
        const cpuBefore = pid ? cpuTimeMs(pid) : undefined;
        await measureAt(20, cpuSamples / 20, relay, relay, replyMs);
        const cpuAfter = pid ? cpuTimeMs(pid) : undefined;
        // measureAt ran the relay target twice per round: 2 * cpuSamples requests.
        const cpuPerRequest =
            cpuBefore !== undefined && cpuAfter !== undefined
                ? (cpuAfter - cpuBefore) / (2 * cpuSamples)
                : undefined;

        if (args.soakSeconds > 0) await renewTokens();
        const soakResult =
            args.soakSeconds > 0 ? await soak(relay, 200, args.soakSeconds) : undefined;

        console.log(
            `\nStreamed replies (${args.paceMs} ms between deltas, one reply ${fmt(replyMs)} ms), relay vs straight to the same Anthropic stand-in (ms)\n`
        );
        console.log(
            'streams | TTFB p50 direct/relay (+added, ratio) | TTFB p99 direct/relay (+added) | end p50 direct/relay | end p99 direct/relay | errors'
        );
        for (const r of results) {
            const added50 = r.relay.ttfbP50 - r.direct.ttfbP50;
            const added99 = r.relay.ttfbP99 - r.direct.ttfbP99;
            console.log(
                `${String(r.concurrency).padStart(7)} | ${fmt(r.direct.ttfbP50)} / ${fmt(r.relay.ttfbP50)} (+${fmt(added50)}, x${(r.relay.ttfbP50 / r.direct.ttfbP50).toFixed(2)})` +
                    ` | ${fmt(r.direct.ttfbP99)} / ${fmt(r.relay.ttfbP99)} (+${fmt(added99)})` +
                    ` | ${fmt(r.direct.totalP50)} / ${fmt(r.relay.totalP50)}` +
                    ` | ${fmt(r.direct.totalP99)} / ${fmt(r.relay.totalP99)} | ${r.errors.length}`
            );
        }
        console.log(
            `\nworkerd CPU per relayed request: ${cpuPerRequest === undefined ? 'not measurable here' : `${cpuPerRequest.toFixed(2)} ms (workerd process CPU delta / requests)`}`
        );
        if (soakResult) {
            console.log(
                `Soak: 200 concurrent streams for ${args.soakSeconds} s: ${soakResult.completed} completed, ${soakResult.errors.length} errors${soakResult.errors.length ? ` (first: ${soakResult.errors[0]})` : ''}`
            );
        }
        console.log(`Relay bundle: ${bundle}`);
        console.log(`Relay log lines written (one per request, never printed): ${logLines}`);
        const errorsSeen = results.flatMap((r) => r.errors);
        if (errorsSeen.length) console.log(`First error: ${errorsSeen[0]}`);
        if (args.json) {
            writeFileSync(
                args.json,
                JSON.stringify({ results, cpuPerRequest, soak: soakResult, bundle }, null, 2)
            );
        }
    } finally {
        await relayRuntime.dispose();
        await anthropic.close();
    }
}

await main().catch(async (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
});

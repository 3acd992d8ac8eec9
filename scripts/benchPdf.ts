/**
 * PDF renderer benchmark on workerd (not a timed test): pages per second and peak memory for a
 * product table of 10, 1,000 and 10,000 rows and a 50-page quote, against a plain pdf-lib baseline
 * that draws the same text without layout.
 *
 *   npx tsx scripts/benchPdf.ts
 *
 * Time is measured around each request from Node (workerd's clocks stand still while a request
 * computes), so it includes sending the JSON and receiving the PDF over loopback. Memory is the
 * workerd process's resident size (/proc/<pid>/status VmRSS, sampled every 2 ms) at its highest
 * during the first request of a fresh workerd, above its size just before: the JSON, the
 * validated description, the layout, the PDF and whatever V8 kept for them. Targets (issue 5): 50 pages in under 1 s and
 * 64 MB; 10,000 rows without exceeding 128 MB.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { unstable_startWorker } from 'wrangler';
import type { DocumentDescription } from '../force-app/main/default/lwc/documentModel/documentModel';
import {
    documentWith,
    productTable,
    quoteDocument
} from '../relay/test/fixtures/pdf/sampleDocuments';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = 3;

interface Scenario {
    name: string;
    description: DocumentDescription;
    /** The same cell texts, for the baseline. */
    cells: string[][];
}

function tableScenario(rows: number): Scenario {
    const description = documentWith([productTable(rows)], {
        metadata: { title: `${rows} rows` }
    });
    return {
        name: `table, ${rows.toLocaleString('en-US')} rows`,
        description,
        cells: cellsOf(description)
    };
}

function cellsOf(description: DocumentDescription): string[][] {
    const cells: string[][] = [];
    for (const block of description.body) {
        if (block.type !== 'table') continue;
        for (const row of block.rows) {
            cells.push(row.cells.map((c) => c.runs.map((r) => r.text).join('')));
        }
    }
    return cells;
}

/** Every workerd process under this one (wrangler runs a proxy worker beside the bench worker). */
function workerdPids(): number[] {
    const out = execFileSync('ps', ['-eo', 'pid,ppid,comm'], { encoding: 'utf8' });
    const children = new Map<number, number[]>();
    const names = new Map<number, string>();
    for (const line of out.trim().split('\n').slice(1)) {
        const [pid, ppid, comm] = line.trim().split(/\s+/);
        names.set(Number(pid), comm ?? '');
        children.set(Number(ppid), [...(children.get(Number(ppid)) ?? []), Number(pid)]);
    }
    const found: number[] = [];
    const queue = [process.pid];
    while (queue.length > 0) {
        const pid = queue.shift()!;
        if (names.get(pid) === 'workerd') found.push(pid);
        queue.push(...(children.get(pid) ?? []));
    }
    if (found.length === 0) throw new Error('workerd process not found');
    return found;
}

function memoryKb(pid: number, field: 'VmRSS'): number {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
}

interface Measurement {
    ms: number;
    pages: number;
    bytes: number;
    peakMb: number;
}

async function measure(
    worker: Awaited<ReturnType<typeof startBenchWorker>>,
    pids: number[],
    route: string,
    body: string
): Promise<Measurement> {
    const before = new Map(pids.map((pid) => [pid, memoryKb(pid, 'VmRSS')]));
    const peak = new Map(before);
    const sample = () => {
        for (const pid of pids) peak.set(pid, Math.max(peak.get(pid)!, memoryKb(pid, 'VmRSS')));
    };
    const sampler = setInterval(sample, 2);
    const started = performance.now();
    const response = await worker.fetch(`http://bench${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body
    });
    const pdf = new Uint8Array(await response.arrayBuffer());
    const ms = performance.now() - started;
    clearInterval(sampler);
    sample();
    if (!response.ok)
        throw new Error(`${route}: ${response.status} ${new TextDecoder().decode(pdf)}`);
    const pages = Number(response.headers.get('x-pages') ?? countPages(pdf));
    const peakMb = Math.max(...pids.map((pid) => peak.get(pid)! - before.get(pid)!)) / 1024;
    return { ms, pages, bytes: pdf.length, peakMb };
}

/** Page count of a pdf-lib baseline file (its pages are plain /Type /Page objects). */
function countPages(pdf: Uint8Array): number {
    return (new TextDecoder('latin1').decode(pdf).match(/\/Type \/Page\b/g) ?? []).length;
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
}

async function buildScenarios(): Promise<Scenario[]> {
    const quote = await quoteDocument(1600);
    return [
        tableScenario(10),
        tableScenario(1000),
        { name: 'quote, ~50 pages', description: quote, cells: cellsOf(quote) },
        tableScenario(10_000)
    ];
}

const HEAP_LIMITS_MB = [16, 24, 32, 48, 64, 96, 128, 192];
const benchDir = path.join(repoRoot, '.tmp', 'pdf-bench');

/** The bench Worker bundled as wrangler bundles it for workerd, so plain Node can run it too. */
function bundleBenchWorker(): string {
    mkdirSync(benchDir, { recursive: true });
    const config = path.join(benchDir, 'wrangler.json');
    writeFileSync(
        config,
        JSON.stringify({
            name: 'resident-pdf-bench',
            main: path.join(repoRoot, 'scripts', 'benchPdfWorker.ts'),
            compatibility_date: '2026-04-20'
        })
    );
    execFileSync(
        path.join(repoRoot, 'node_modules', '.bin', 'wrangler'),
        ['deploy', '--dry-run', '--outdir', path.join(benchDir, 'bundle'), '--config', config],
        { cwd: repoRoot, stdio: 'ignore', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } }
    );
    return path.join(benchDir, 'bundle', 'benchPdfWorker.js');
}

/**
 * The smallest V8 heap (old space, `--max-old-space-size`) in which Node, running the same engine
 * and the same bundle as workerd, takes the request (JSON text), validates and renders it:
 * workerd reports no per-request memory, and its process size barely moves while V8 reuses the
 * pages it reserved at start.
 */
function smallestHeapMb(bundle: string, json: string): string {
    const input = path.join(benchDir, 'request.json');
    writeFileSync(input, json);
    const probe = [
        `const { default: worker } = await import(${JSON.stringify(pathToFileURL(bundle).href)});`,
        `const body = (await import('node:fs')).readFileSync(${JSON.stringify(input)}, 'utf8');`,
        "const response = await worker.fetch(new Request('http://bench/render', { method: 'POST', body }));",
        'await response.arrayBuffer();',
        'process.exit(response.ok ? 0 : 2);'
    ].join('\n');
    for (const limit of HEAP_LIMITS_MB) {
        const result = spawnSync(
            process.execPath,
            [`--max-old-space-size=${limit}`, '--input-type=module', '-e', probe],
            { stdio: 'ignore' }
        );
        if (result.status === 0) return `≤ ${limit}`;
    }
    return `> ${HEAP_LIMITS_MB.at(-1)}`;
}

async function main(): Promise<void> {
    process.env.WRANGLER_SEND_METRICS = 'false';
    const scenarios = await buildScenarios();
    const bundle = bundleBenchWorker();

    console.log(
        'scenario              pages   cold ms   warm ms   pages/s   RSS+ MB   heap MB   PDF KB   baseline ms  ratio'
    );
    for (const scenario of scenarios) {
        // A fresh workerd per scenario, so its peak memory is this document's and nothing earlier.
        const worker = await startBenchWorker();
        try {
            const pids = workerdPids();
            const json = JSON.stringify(scenario.description);
            const runs: Measurement[] = [];
            for (let i = 0; i < RUNS; i++) runs.push(await measure(worker, pids, '/render', json));
            const baselineJson = JSON.stringify(scenario.cells);
            const baseline: Measurement[] = [];
            for (let i = 0; i < RUNS; i++) {
                baseline.push(await measure(worker, pids, '/baseline', baselineJson));
            }
            const warm = median(runs.slice(1).map((r) => r.ms));
            const baseWarm = median(baseline.slice(1).map((r) => r.ms));
            const pages = runs[0]!.pages;
            console.log(
                [
                    scenario.name.padEnd(20),
                    String(pages).padStart(6),
                    runs[0]!.ms.toFixed(0).padStart(9),
                    warm.toFixed(0).padStart(9),
                    ((pages / warm) * 1000).toFixed(0).padStart(9),
                    runs[0]!.peakMb.toFixed(1).padStart(9),
                    smallestHeapMb(bundle, json).padStart(9),
                    (runs[0]!.bytes / 1024).toFixed(0).padStart(8),
                    baseWarm.toFixed(0).padStart(13),
                    `${(warm / baseWarm).toFixed(1)}×`.padStart(6)
                ].join(' ')
            );
        } finally {
            await worker.dispose();
        }
    }
    const sizes = scenarios.map(
        (s) => `${s.name} ${(JSON.stringify(s.description).length / 1024).toFixed(0)} KB`
    );
    console.log(`\nJSON sent: ${sizes.join('; ')}`);
    console.log(
        'RSS+ MB: workerd resident memory above its idle size during the first (cold) render.'
    );
    console.log(
        'heap MB: the smallest V8 old space (--max-old-space-size) in which Node runs the same bundle.'
    );
}

async function startBenchWorker() {
    const worker = await unstable_startWorker({
        name: 'resident-pdf-bench',
        entrypoint: path.join(repoRoot, 'scripts', 'benchPdfWorker.ts'),
        compatibilityDate: '2026-04-20',
        build: { minify: true },
        dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, logLevel: 'error' }
    });
    await worker.ready;
    return worker;
}

await main();

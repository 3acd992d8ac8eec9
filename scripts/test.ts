/**
 * `npm test`: every layer of checks, in one command, ending with one line `N passed, M failed`.
 * A layer that fails does not stop the others, so one run shows everything that is wrong.
 *
 * Usage: npm test [-- --only name[,name]] [-- --skip name[,name]]
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePrerequisites } from './prerequisites';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(repoRoot, '.tmp', 'test-results');
const bin = (name: string) => path.join(repoRoot, 'node_modules', '.bin', name);

interface Counts {
    passed: number;
    failed: number;
}

interface Layer {
    name: string;
    title: string;
    /** Commands run in order; the layer stops at the first that fails. */
    commands: string[][];
    /** How to count what the layer checked, from its output or result file. */
    count: (run: { exitCode: number; output: string }) => Promise<Counts>;
    /** Prerequisites the layer needs that npm cannot install. */
    needs?: ('java' | 'chromium' | 'pdf-tools')[];
}

/** Reads the `N passed, M failed` line our own check scripts end with. */
async function fromSummaryLine({ exitCode, output }: { exitCode: number; output: string }) {
    const matches = [...output.matchAll(/^(\d+) passed, (\d+) failed$/gm)];
    const last = matches.at(-1);
    if (!last) return { passed: 0, failed: 1 };
    const counts = { passed: Number(last[1]), failed: Number(last[2]) };
    // A crash after the summary still fails the layer.
    if (exitCode !== 0 && counts.failed === 0) counts.failed = 1;
    return counts;
}

/** Reads a jest-compatible JSON report (jest's --json, vitest's json reporter). */
function fromJsonReport(file: string) {
    return async ({ exitCode }: { exitCode: number }): Promise<Counts> => {
        try {
            const report = JSON.parse(await readFile(file, 'utf8')) as {
                numPassedTests: number;
                numFailedTests: number;
                numFailedTestSuites?: number;
                numTotalTests: number;
            };
            const counts = { passed: report.numPassedTests, failed: report.numFailedTests };
            // A suite that fails to load has no failed test but is a failure all the same.
            if (exitCode !== 0 && counts.failed === 0)
                counts.failed = Math.max(1, report.numFailedTestSuites ?? 0);
            if (report.numTotalTests === 0) counts.failed = Math.max(counts.failed, 1);
            return counts;
        } catch {
            return { passed: 0, failed: 1 };
        }
    };
}

/** One check per command that succeeded: for tools that report no count of their own. */
function perCommand(commands: number) {
    return async ({ exitCode }: { exitCode: number }): Promise<Counts> =>
        exitCode === 0 ? { passed: commands, failed: 0 } : { passed: 0, failed: 1 };
}

const tsx = (script: string, ...args: string[]) => [bin('tsx'), script, ...args];
const report = (name: string) => path.join(resultsDir, `${name}.json`);

const typeProjects = [
    'tsconfig.json',
    'relay/tsconfig.json',
    'relay/test/tsconfig.json',
    'scripts/tsconfig.json',
    'scripts/workbench/tsconfig.json'
];

const layers: Layer[] = [
    {
        name: 'build',
        title: 'Compile the components from TypeScript to the JavaScript the platform deploys',
        commands: [tsx('scripts/buildComponents.ts')],
        count: fromSummaryLine
    },
    {
        name: 'types',
        title: 'Type-check every TypeScript project (components, relay, relay tests, scripts)',
        commands: typeProjects.map((p) => [bin('tsc'), '-p', p, '--pretty', 'false']),
        count: perCommand(typeProjects.length)
    },
    {
        name: 'lint',
        title: 'ESLint (LWC rules on deployed JavaScript, typescript-eslint) and Prettier (with Apex)',
        commands: [
            [bin('eslint'), '--max-warnings', '0', '.'],
            [bin('prettier'), '--check', '.']
        ],
        count: perCommand(2)
    },
    {
        name: 'components',
        title: 'Component unit tests (jest, @salesforce/sfdx-lwc-jest)',
        commands: [[bin('jest'), '--ci', '--json', '--outputFile', report('components')]],
        count: fromJsonReport(report('components'))
    },
    {
        name: 'relay',
        title: 'Relay tests inside workerd (@cloudflare/vitest-pool-workers)',
        commands: [
            [
                bin('vitest'),
                'run',
                '--config',
                'relay/vitest.config.mts',
                '--reporter=default',
                '--reporter=json',
                `--outputFile.json=${report('relay')}`
            ]
        ],
        count: fromJsonReport(report('relay'))
    },
    {
        name: 'scripts',
        title: 'Stand-in and script tests (vitest, Node)',
        commands: [
            [
                bin('vitest'),
                'run',
                '--config',
                'scripts/vitest.config.mts',
                '--reporter=default',
                '--reporter=json',
                `--outputFile.json=${report('scripts')}`
            ]
        ],
        count: fromJsonReport(report('scripts')),
        needs: ['pdf-tools']
    },
    {
        name: 'platform',
        title: 'Platform compile of every component (@lwc/sfdc-lwc-compiler)',
        commands: [tsx('scripts/checks/componentPlatformCompile.ts')],
        count: fromSummaryLine
    },
    {
        name: 'apex-syntax',
        title: 'Apex syntax (@apexdevtools/apex-parser)',
        commands: [tsx('scripts/checks/apexSyntax.ts')],
        count: fromSummaryLine
    },
    {
        name: 'apex-security',
        title: 'Apex security and AppExchange rules (PMD via @salesforce/code-analyzer-core)',
        commands: [tsx('scripts/checks/apexSecurityScan.ts')],
        count: fromSummaryLine,
        needs: ['java']
    },
    {
        name: 'metadata',
        title: 'Metadata: sf project convert source of the whole package',
        commands: [tsx('scripts/checks/metadataConvert.ts')],
        count: fromSummaryLine
    },
    {
        name: 'e2e',
        title: 'Browser end-to-end tests (playwright-core, Chromium, the workbench)',
        commands: [
            [
                bin('vitest'),
                'run',
                '--config',
                'scripts/e2e/vitest.config.mts',
                '--reporter=default',
                '--reporter=json',
                `--outputFile.json=${report('e2e')}`
            ]
        ],
        count: fromJsonReport(report('e2e')),
        needs: ['chromium']
    }
];

function run(command: string[]): Promise<{ exitCode: number; output: string }> {
    return new Promise((resolve) => {
        const [file, ...args] = command as [string, ...string[]];
        const child = spawn(file, args, {
            cwd: repoRoot,
            env: {
                ...process.env,
                FORCE_COLOR: '0',
                WRANGLER_SEND_METRICS: 'false',
                SF_DISABLE_AUTOUPDATE: 'true'
            },
            stdio: ['ignore', 'pipe', 'pipe']
        });
        let output = '';
        const forward = (chunk: Buffer, to: NodeJS.WriteStream) => {
            output += chunk.toString();
            to.write(chunk);
        };
        child.stdout.on('data', (c: Buffer) => forward(c, process.stdout));
        child.stderr.on('data', (c: Buffer) => forward(c, process.stderr));
        child.on('error', (error) => {
            output += `\n${error.message}\n`;
            resolve({ exitCode: 127, output });
        });
        child.on('close', (code) => resolve({ exitCode: code ?? 1, output }));
    });
}

function parseList(flag: string): Set<string> | undefined {
    const i = process.argv.indexOf(flag);
    return i >= 0 && process.argv[i + 1] ? new Set(process.argv[i + 1]!.split(',')) : undefined;
}

async function main(): Promise<void> {
    const only = parseList('--only');
    const skip = parseList('--skip') ?? new Set<string>();
    const selected = layers.filter((l) => (!only || only.has(l.name)) && !skip.has(l.name));
    await rm(resultsDir, { recursive: true, force: true });
    await mkdir(resultsDir, { recursive: true });

    const needs = new Set(selected.flatMap((l) => l.needs ?? []));
    const missing = await ensurePrerequisites(needs);

    const rows: { layer: Layer; counts: Counts; seconds: number; note?: string }[] = [];
    const started = Date.now();
    for (const layer of selected) {
        console.log(`\n━━ ${layer.name}: ${layer.title}`);
        const t0 = Date.now();
        const blocked = (layer.needs ?? []).map((n) => missing.get(n)).find(Boolean);
        if (blocked) {
            console.error(blocked);
            rows.push({
                layer,
                counts: { passed: 0, failed: 1 },
                seconds: 0,
                note: 'prerequisite missing'
            });
            continue;
        }
        let last = { exitCode: 0, output: '' };
        for (const command of layer.commands) {
            last = await run(command);
            if (last.exitCode !== 0) break;
        }
        const counts = await layer.count(last);
        rows.push({ layer, counts, seconds: (Date.now() - t0) / 1000 });
    }

    console.log('\n━━ Summary');
    for (const { layer, counts, seconds, note } of rows) {
        const mark = counts.failed > 0 ? '✖' : '✔';
        console.log(
            `${mark} ${layer.name.padEnd(14)} ${String(counts.passed).padStart(4)} passed ${String(counts.failed).padStart(3)} failed  ${seconds.toFixed(1).padStart(6)} s${note ? `  (${note})` : ''}`
        );
    }
    const total = rows.reduce(
        (t, r) => ({ passed: t.passed + r.counts.passed, failed: t.failed + r.counts.failed }),
        {
            passed: 0,
            failed: 0
        }
    );
    console.log(`Total time ${((Date.now() - started) / 1000).toFixed(0)} s`);
    console.log(`${total.passed} passed, ${total.failed} failed`);
    if (total.failed > 0 || rows.length === 0) process.exitCode = 1;
}

await main();

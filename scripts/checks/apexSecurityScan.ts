/**
 * Runs the PMD security and AppExchange rules (the ones the AppExchange security review runs) over
 * the package's Apex, Visualforce and metadata XML through Salesforce Code Analyzer's own engine,
 * so a sharing, CRUD/FLS, injection or insecure-endpoint finding fails here, not in the review.
 * Zero findings is the bar: any violation fails. A file passes when it was scanned with none.
 *
 * Needs Java 17+ (PMD 7). Usage: npx tsx scripts/checks/apexSecurityScan.ts [directory]
 */
import {
    CodeAnalyzer,
    CodeAnalyzerConfig,
    EventType,
    LogLevel
} from '@salesforce/code-analyzer-core';
import type { EngineLogEvent, LogEvent, Violation } from '@salesforce/code-analyzer-core';
import { createEnginePlugin } from '@salesforce/code-analyzer-pmd-engine';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Rule tags as Code Analyzer names them; `a:b` is an intersection, list entries a union. */
const RULE_TAGS = ['Security', 'AppExchange'];
/** The languages the package deploys that PMD reads well; LWC JavaScript is ESLint's job. */
const LANGUAGES = ['Apex', 'Visualforce', 'XML'];
const RULE_SELECTORS = RULE_TAGS.flatMap((tag) => LANGUAGES.map((lang) => `pmd:${tag}:${lang}`));
/** PMD's language ids, to read each language's file extensions from the engine's configuration. */
const PMD_LANGUAGE_IDS = ['apex', 'visualforce', 'xml'];
const MINIMUM_JAVA = 17;

const JAVA_FIX = 'apt-get update && apt-get install -y openjdk-17-jre-headless';

/** PMD 7 needs Java 17; say so in one sentence with the fix rather than a stack trace. */
function checkJava(): string | undefined {
    const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
    if (result.error || result.status !== 0) {
        return `Java ${MINIMUM_JAVA} or newer is needed to run PMD and was not found; install it with: ${JAVA_FIX}`;
    }
    // `java -version` prints to stderr, e.g. openjdk version "17.0.15" or "1.8.0_392".
    const match = /version "(\d+)(?:\.(\d+))?/.exec(result.stderr + result.stdout);
    const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : NaN;
    if (!(major >= MINIMUM_JAVA)) {
        return `Java ${MINIMUM_JAVA} or newer is needed to run PMD but found ${match ? major : 'an unknown version'}; install it with: ${JAVA_FIX}`;
    }
    return undefined;
}

function where(violation: Violation, root: string): string {
    const location = violation.getPrimaryLocation();
    const file = location.getFile();
    const shown = file ? path.relative(process.cwd(), file) : path.relative(process.cwd(), root);
    const line = location.getStartLine();
    return line === undefined ? shown : `${shown}:${line}`;
}

async function main(): Promise<number> {
    const root = path.resolve(process.argv[2] ?? path.join(repoRoot, 'force-app'));
    const javaProblem = checkJava();
    if (javaProblem) {
        console.error(javaProblem);
        console.log('0 passed, 1 failed');
        return 1;
    }

    // Code Analyzer writes working files and logs; keep them out of the repository and remove them.
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'resident-code-analyzer-'));
    try {
        const config = CodeAnalyzerConfig.fromObject(
            { config_root: root, log_folder: scratch, engines: { cpd: { disable_engine: true } } },
            root
        );
        const analyzer = new CodeAnalyzer(config);
        const problems: string[] = [];
        analyzer.onEvent<LogEvent>(EventType.LogEvent, (event) => {
            if (event.logLevel <= LogLevel.Error) problems.push(event.message);
        });
        analyzer.onEvent<EngineLogEvent>(EventType.EngineLogEvent, (event) => {
            if (event.logLevel <= LogLevel.Error)
                problems.push(`${event.engineName}: ${event.message}`);
        });
        await analyzer.addEnginePlugin(createEnginePlugin());

        const workspace = await analyzer.createWorkspace([root]);
        const rules = await analyzer.selectRules(RULE_SELECTORS, { workspace });
        if (rules.getCount() === 0) {
            problems.push(`no rules matched ${RULE_SELECTORS.join(', ')}`);
        }

        const pmdConfig = analyzer.getEngineConfig('pmd') as {
            file_extensions?: Record<string, string[]>;
        };
        const extensions = PMD_LANGUAGE_IDS.flatMap((id) => pmdConfig.file_extensions?.[id] ?? []);
        const scanned = (await workspace.getTargetedFiles()).filter((file) =>
            extensions.some((ext) => file.toLowerCase().endsWith(ext.toLowerCase()))
        );

        const results = await analyzer.run(rules, { workspace });
        const violations = results.getViolations();
        const filesWithFindings = new Set<string>();
        for (const violation of violations) {
            const rule = violation.getRule();
            console.error(
                `${where(violation, root)} ${rule.getName()} ${violation.getMessage().trim()}`
            );
            filesWithFindings.add(violation.getPrimaryLocation().getFile() ?? root);
        }
        for (const problem of problems) {
            console.error(`Code Analyzer error: ${problem}`);
        }

        const ruleNames = rules
            .getRulesFor('pmd')
            .map((r) => r.getName())
            .sort();
        console.log(
            `Ran ${ruleNames.length} PMD rule(s) (${RULE_SELECTORS.join(', ')}) on ${scanned.length} file(s); ` +
                `${violations.length} finding(s)`
        );
        if (process.env.RESIDENT_SCAN_LIST_RULES) console.log(ruleNames.join('\n'));

        const failedFiles = scanned.filter((f) => filesWithFindings.has(f)).length;
        // A finding outside the counted files, or an engine error, still fails the check.
        const extraFailures = filesWithFindings.size - failedFiles + (problems.length > 0 ? 1 : 0);
        const passed = scanned.length - failedFiles;
        const failed = failedFiles + extraFailures;
        console.log(`${passed} passed, ${failed} failed`);
        return failed === 0 ? 0 : 1;
    } finally {
        await rm(scratch, { recursive: true, force: true });
    }
}

main().then(
    (code) => {
        process.exitCode = code;
    },
    (error: unknown) => {
        console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
        console.log('0 passed, 1 failed');
        process.exitCode = 1;
    }
);

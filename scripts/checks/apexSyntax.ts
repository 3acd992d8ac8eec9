/**
 * Parses every Apex class and trigger with @apexdevtools/apex-parser (the grammar Salesforce's own
 * tooling uses, no Java), so a syntax error fails here instead of on deploy to a customer's org.
 * A file passes when neither the lexer nor the parser reports an error.
 *
 * Usage: npx tsx scripts/checks/apexSyntax.ts [directory]   (default: force-app)
 */
import { ApexErrorListener, ApexParserFactory } from '@apexdevtools/apex-parser';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface ApexSyntaxProblem {
    line: number;
    column: number;
    message: string;
}

/** Collects every error instead of stopping at the first, so one run shows them all. */
class CollectingErrorListener extends ApexErrorListener {
    readonly errors: ApexSyntaxProblem[] = [];

    apexSyntaxError(line: number, column: number, message: string): void {
        this.errors.push({ line, column, message });
    }
}

/** ANTLR lists every token it would have accepted; a few are enough to see the mistake. */
function readable(message: string): string {
    const oneLine = message.replace(/\r?\n/g, '\\n');
    return oneLine.replace(/expecting \{(.*)\}$/, (whole, list: string) => {
        const tokens = list.split(', ');
        return tokens.length <= 6
            ? whole
            : `expecting one of ${tokens.length} tokens (${tokens.slice(0, 6).join(', ')}, ...)`;
    });
}

async function findApexFiles(dir: string): Promise<string[]> {
    const found: string[] = [];
    for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
        if (entry.isFile() && /\.(cls|trigger)$/i.test(entry.name)) {
            found.push(path.join(entry.parentPath, entry.name));
        }
    }
    return found.sort();
}

function parseApex(file: string, source: string): ApexSyntaxProblem[] {
    const listener = new CollectingErrorListener();
    const { parser } = ApexParserFactory.createLexerAndParser(source, listener);
    // Classes (and interfaces, enums) and triggers have different grammar entry points.
    if (file.toLowerCase().endsWith('.trigger')) {
        parser.triggerUnit();
    } else {
        parser.compilationUnit();
    }
    return listener.errors;
}

async function main(): Promise<number> {
    const root = path.resolve(process.argv[2] ?? path.join(repoRoot, 'force-app'));
    const files = await findApexFiles(root);
    let passed = 0;
    let failed = 0;
    for (const file of files) {
        const errors = parseApex(file, await readFile(file, 'utf8'));
        const shown = path.relative(process.cwd(), file);
        if (errors.length === 0) {
            passed++;
            continue;
        }
        failed++;
        for (const e of errors) {
            // ANTLR columns are 0-based; editors count from 1.
            console.error(`${shown}:${e.line}:${e.column + 1} ${readable(e.message)}`);
        }
    }
    if (files.length === 0) {
        console.log(
            `No Apex classes or triggers under ${path.relative(process.cwd(), root) || '.'}`
        );
    } else {
        console.log(
            `Parsed ${files.length} Apex file(s) under ${path.relative(process.cwd(), root) || '.'}`
        );
    }
    console.log(`${passed} passed, ${failed} failed`);
    return failed === 0 ? 0 : 1;
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

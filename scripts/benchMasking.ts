/**
 * Measures the masker against a hand-labelled sample: precision and recall per category, and how
 * much ordinary text (no personal data) passes through untouched. A measurement, so it exits 0.
 *
 * Usage: npx tsx scripts/benchMasking.ts [--verbose]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
    DEFAULT_POLICY,
    Masker,
    findSensitiveSpans
} from '../force-app/main/default/lwc/egressPolicy/egressPolicy';
import type { MaskCategory } from '../force-app/main/default/lwc/egressPolicy/egressPolicy';

export interface LabelledSpan {
    category: MaskCategory;
    value: string;
}

export interface SampleItem {
    id: string;
    lang: string;
    text: string;
    expected: LabelledSpan[];
    note?: string;
}

export interface CategoryScore {
    tp: number;
    fp: number;
    fn: number;
    precision: number;
    recall: number;
}

export interface Miss {
    id: string;
    category: string;
    value: string;
}

export interface MaskingEvaluation {
    byCategory: Record<string, CategoryScore>;
    overall: CategoryScore;
    ordinaryTexts: number;
    ordinaryTextsUntouched: number;
    untouchedRate: number;
    falsePositives: Miss[];
    falseNegatives: Miss[];
}

const CATEGORIES: MaskCategory[] = ['EMAIL', 'PHONE', 'CARD', 'IBAN', 'SSN'];
const sampleFile = path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '../force-app/main/default/lwc/egressPolicy/__tests__/data/maskingSample.json'
);

export function loadMaskingSample(): SampleItem[] {
    return JSON.parse(readFileSync(sampleFile, 'utf8')) as SampleItem[];
}

// An empty denominator is a perfect score: nothing was claimed, or nothing was there to find.
const ratio = (n: number, d: number): number => (d === 0 ? 1 : n / d);

function score(tp: number, fp: number, fn: number): CategoryScore {
    return { tp, fp, fn, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn) };
}

/** Scores predictions against labels: a hit needs the same category and the same trimmed value. */
export function evaluateMasking(sample: SampleItem[]): MaskingEvaluation {
    const counts = new Map<string, { tp: number; fp: number; fn: number }>();
    const bucket = (c: string) => {
        let b = counts.get(c);
        if (!b) counts.set(c, (b = { tp: 0, fp: 0, fn: 0 }));
        return b;
    };
    for (const c of CATEGORIES) bucket(c);
    const falsePositives: Miss[] = [];
    const falseNegatives: Miss[] = [];
    let ordinaryTexts = 0;
    let ordinaryTextsUntouched = 0;

    for (const item of sample) {
        const key = (category: string, value: string) => `${category}\u0000${value.trim()}`;
        // Multisets, so a value that occurs twice must be found twice.
        const remaining = new Map<string, number>();
        for (const e of item.expected) {
            const k = key(e.category, e.value);
            remaining.set(k, (remaining.get(k) ?? 0) + 1);
        }
        for (const span of findSensitiveSpans(item.text, DEFAULT_POLICY)) {
            const k = key(span.category, span.value);
            const left = remaining.get(k) ?? 0;
            if (left > 0) {
                remaining.set(k, left - 1);
                bucket(span.category).tp++;
            } else {
                bucket(span.category).fp++;
                falsePositives.push({ id: item.id, category: span.category, value: span.value });
            }
        }
        for (const [k, left] of remaining) {
            const [category = '', value = ''] = k.split('\u0000');
            for (let i = 0; i < left; i++) {
                bucket(category).fn++;
                falseNegatives.push({ id: item.id, category, value });
            }
        }
        if (item.expected.length === 0) {
            ordinaryTexts++;
            if (new Masker().mask(item.text) === item.text) ordinaryTextsUntouched++;
        }
    }

    const byCategory: Record<string, CategoryScore> = {};
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const [c, b] of counts) {
        byCategory[c] = score(b.tp, b.fp, b.fn);
        tp += b.tp;
        fp += b.fp;
        fn += b.fn;
    }
    return {
        byCategory,
        overall: score(tp, fp, fn),
        ordinaryTexts,
        ordinaryTextsUntouched,
        untouchedRate: ratio(ordinaryTextsUntouched, ordinaryTexts),
        falsePositives,
        falseNegatives
    };
}

function printReport(result: MaskingEvaluation, sampleSize: number, verbose: boolean): void {
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    const row = (name: string, s: CategoryScore) =>
        `${name.padEnd(8)}${String(s.tp).padStart(5)}${String(s.fp).padStart(5)}${String(s.fn).padStart(5)}` +
        `${pct(s.precision).padStart(11)}${pct(s.recall).padStart(9)}`;
    console.log(`Masking benchmark: ${sampleSize} labelled sentences`);
    console.log(
        `${'category'.padEnd(8)}${'TP'.padStart(5)}${'FP'.padStart(5)}${'FN'.padStart(5)}${'precision'.padStart(11)}${'recall'.padStart(9)}`
    );
    for (const [c, s] of Object.entries(result.byCategory)) console.log(row(c, s));
    console.log(row('overall', result.overall));
    console.log(
        `Ordinary text untouched: ${result.ordinaryTextsUntouched}/${result.ordinaryTexts} (${pct(result.untouchedRate)})`
    );
    if (verbose) {
        for (const m of result.falsePositives)
            console.log(`FP ${m.id} ${m.category} ${JSON.stringify(m.value)}`);
        for (const m of result.falseNegatives)
            console.log(`FN ${m.id} ${m.category} ${JSON.stringify(m.value)}`);
    }
}

// Run only when executed directly, so a jest test can import evaluateMasking.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    const sample = loadMaskingSample();
    printReport(evaluateMasking(sample), sample.length, process.argv.includes('--verbose'));
}

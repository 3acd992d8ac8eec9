/**
 * Scores the egress masking against the hand-labelled samples beside this file: precision and
 * recall per category, how much ordinary text passes untouched, and for credentials how many are
 * dropped and how many look-alikes are wrongly dropped. Pure functions over the samples, shared by
 * the benchmark (scripts/benchMasking.ts) and the quality gate (maskingQuality.test.ts). Lives
 * under __tests__, so it is never deployed (.forceignore) nor compiled into the component.
 */
import { DEFAULT_POLICY, Masker, findSensitiveSpans, stripCredentials } from '../egressPolicy';
import type { EgressPolicy, MaskCategory } from '../egressPolicy';

export interface LabelledSpan {
    category: MaskCategory;
    value: string;
}

/** One sentence of maskingSample.json: what a careful reader would mask in it (often nothing). */
export interface SampleItem {
    id: string;
    lang: string;
    text: string;
    expected: LabelledSpan[];
    note?: string;
}

/** One text of credentialSample.json: the secrets that must be dropped, the words that must stay. */
export interface CredentialSampleItem {
    id: string;
    lang: string;
    text: string;
    expected: { kind: string; value: string }[];
    keep?: string[];
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
    sampleSize: number;
    itemsByLanguage: Record<string, number>;
    byCategory: Record<string, CategoryScore>;
    overall: CategoryScore;
    ordinaryTexts: number;
    ordinaryTextsUntouched: number;
    untouchedRate: number;
    /** Ordinary texts the masker changed, with what it made of them. */
    touchedOrdinaryTexts: { id: string; masked: string }[];
    falsePositives: Miss[];
    falseNegatives: Miss[];
}

export interface CredentialEvaluation {
    sampleSize: number;
    credentials: number;
    dropped: number;
    recall: number;
    /** Credentials (or a 12-character piece of one) still in the output. */
    missed: { id: string; kind: string; value: string }[];
    /** Texts with no credential (look-alikes: the word token, a commit sha, a record id...). */
    nearMisses: number;
    /** Look-alikes that were changed at all. */
    falseDrops: { id: string; output: string }[];
    falseDropRate: number;
    /** Texts with credentials where words listed under `keep` did not survive. */
    overDrops: { id: string; output: string }[];
}

const CATEGORIES: MaskCategory[] = ['EMAIL', 'PHONE', 'CARD', 'IBAN', 'SSN'];

// An empty denominator is a perfect score: nothing was claimed, or nothing was there to find.
const ratio = (n: number, d: number): number => (d === 0 ? 1 : n / d);

function score(tp: number, fp: number, fn: number): CategoryScore {
    return { tp, fp, fn, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn) };
}

function countByLanguage(items: { lang: string }[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const item of items) counts[item.lang] = (counts[item.lang] ?? 0) + 1;
    return counts;
}

/** Scores predictions against labels: a hit needs the same category and the same trimmed value. */
export function evaluateMasking(
    sample: SampleItem[],
    policy: EgressPolicy = DEFAULT_POLICY
): MaskingEvaluation {
    const counts = new Map<string, { tp: number; fp: number; fn: number }>();
    const bucket = (c: string) => {
        let b = counts.get(c);
        if (!b) counts.set(c, (b = { tp: 0, fp: 0, fn: 0 }));
        return b;
    };
    for (const c of CATEGORIES) bucket(c);
    const falsePositives: Miss[] = [];
    const falseNegatives: Miss[] = [];
    const touchedOrdinaryTexts: { id: string; masked: string }[] = [];
    let ordinaryTexts = 0;

    for (const item of sample) {
        const key = (category: string, value: string) => `${category}\u0000${value.trim()}`;
        // Multisets, so a value that occurs twice must be found twice.
        const remaining = new Map<string, number>();
        for (const e of item.expected) {
            const k = key(e.category, e.value);
            remaining.set(k, (remaining.get(k) ?? 0) + 1);
        }
        for (const span of findSensitiveSpans(item.text, policy)) {
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
            // The whole pipeline (credentials too): ordinary text must come out exactly as it went in.
            const masked = new Masker(policy).mask(item.text);
            if (masked !== item.text) touchedOrdinaryTexts.push({ id: item.id, masked });
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
    const ordinaryTextsUntouched = ordinaryTexts - touchedOrdinaryTexts.length;
    return {
        sampleSize: sample.length,
        itemsByLanguage: countByLanguage(sample),
        byCategory,
        overall: score(tp, fp, fn),
        ordinaryTexts,
        ordinaryTextsUntouched,
        untouchedRate: ratio(ordinaryTextsUntouched, ordinaryTexts),
        touchedOrdinaryTexts,
        falsePositives,
        falseNegatives
    };
}

/** Whether any part of a secret survived: the value itself or any 12 characters of it. */
function leaks(output: string, secret: string): boolean {
    const piece = Math.min(12, secret.length);
    for (let i = 0; i + piece <= secret.length; i++) {
        if (output.includes(secret.slice(i, i + piece))) return true;
    }
    return false;
}

/** Credential recall (every labelled secret gone) and false drops (look-alikes changed). */
export function evaluateCredentials(sample: CredentialSampleItem[]): CredentialEvaluation {
    let credentials = 0;
    let nearMisses = 0;
    const missed: CredentialEvaluation['missed'] = [];
    const falseDrops: CredentialEvaluation['falseDrops'] = [];
    const overDrops: CredentialEvaluation['overDrops'] = [];
    for (const item of sample) {
        const output = stripCredentials(item.text).text;
        for (const secret of item.expected) {
            credentials++;
            if (leaks(output, secret.value)) missed.push({ id: item.id, ...secret });
        }
        if (item.expected.length === 0) {
            nearMisses++;
            if (output !== item.text) falseDrops.push({ id: item.id, output });
        } else if ((item.keep ?? []).some((words) => !output.includes(words))) {
            overDrops.push({ id: item.id, output });
        }
    }
    const dropped = credentials - missed.length;
    return {
        sampleSize: sample.length,
        credentials,
        dropped,
        recall: ratio(dropped, credentials),
        missed,
        nearMisses,
        falseDrops,
        falseDropRate: nearMisses === 0 ? 0 : falseDrops.length / nearMisses,
        overDrops
    };
}

/** Milliseconds to mask `text` with a fresh masker: the best of `runs`, after one warm-up. */
export function timeMasking(text: string, runs = 5): number {
    new Masker().mask(text);
    let best = Infinity;
    for (let i = 0; i < runs; i++) {
        const started = performance.now();
        new Masker().mask(text);
        best = Math.min(best, performance.now() - started);
    }
    return best;
}

/** About `size` characters of realistic text, the labelled sentences one per line, repeated. */
export function realisticText(sample: { text: string }[], size = 100_000): string {
    const lines: string[] = [];
    let length = 0;
    for (let i = 0; length < size; i++) {
        const line = sample[i % sample.length]?.text ?? '';
        lines.push(line);
        length += line.length + 1;
    }
    return lines.join('\n');
}

/**
 * The quality gate of the egress masking, measured on the hand-labelled samples in data/: it must
 * find personal data (recall), must not mangle ordinary text (precision, untouched texts), and must
 * drop every credential without dropping look-alikes. Each failure lists the offending items; run
 * `npx tsx scripts/benchMasking.ts --verbose` for the full report.
 */
import maskingSample from './data/maskingSample.json';
import credentialSample from './data/credentialSample.json';
import heldOutSample from './data/heldOutSample.json';
import {
    evaluateCredentials,
    evaluateMasking,
    realisticText,
    timeMasking
} from './maskingEvaluation';
import type { CredentialSampleItem, SampleItem } from './maskingEvaluation';

const sample = maskingSample as SampleItem[];
const credentials = credentialSample as CredentialSampleItem[];
const masking = evaluateMasking(sample);
const heldOut = heldOutSample as SampleItem[];
const heldOutMasking = evaluateMasking(heldOut);
const credentialResult = evaluateCredentials(credentials);

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const misses = (list: { id: string; category: string; value: string }[]) =>
    list.map((m) => `${m.id} ${m.category} ${JSON.stringify(m.value)}`);

describe('c/egressPolicy masking quality', () => {
    it('is measured on a sample large and varied enough, with labels that match their texts', () => {
        const ids = new Set(sample.map((item) => item.id));
        const ordinary = sample.filter((item) => item.expected.length === 0);
        expect(sample.length).toBeGreaterThanOrEqual(320);
        expect(ids.size).toBe(sample.length);
        expect(Object.keys(masking.itemsByLanguage).length).toBeGreaterThanOrEqual(10);
        expect(ordinary.length).toBeGreaterThanOrEqual(150);
        // A label names text that is really there, so a typo cannot pass as a miss.
        const stray = sample.flatMap((item) =>
            item.expected
                .filter((e) => !item.text.includes(e.value))
                .map((e) => `${item.id} ${e.value}`)
        );
        expect(stray).toEqual([]);
    });

    it('keeps overall precision at 98% or more', () => {
        const failures =
            masking.overall.precision >= 0.98
                ? []
                : [
                      `precision ${pct(masking.overall.precision)}`,
                      ...misses(masking.falsePositives)
                  ];
        expect(failures).toEqual([]);
    });

    it('keeps overall recall at 95% or more', () => {
        const failures =
            masking.overall.recall >= 0.95
                ? []
                : [`recall ${pct(masking.overall.recall)}`, ...misses(masking.falseNegatives)];
        expect(failures).toEqual([]);
    });

    it('leaves every ordinary text exactly as written', () => {
        expect(masking.touchedOrdinaryTexts.map((t) => `${t.id} → ${t.masked}`)).toEqual([]);
    });
});

/**
 * The held-out sample was written by someone who never saw the detectors, and no detector was
 * changed because of it: it measures how the masking does on text nobody tuned it for, so its bar
 * is lower and a failure here is a finding to fix with a new development example, not by
 * tuning on this sample.
 */
describe('c/egressPolicy masking quality on the held-out sample', () => {
    it('is varied and its labels match their texts', () => {
        expect(heldOut.length).toBeGreaterThanOrEqual(200);
        expect(new Set(heldOut.map((item) => item.id)).size).toBe(heldOut.length);
        expect(Object.keys(heldOutMasking.itemsByLanguage).length).toBeGreaterThanOrEqual(10);
        const sharedIds = heldOut.filter((item) => sample.some((s) => s.id === item.id));
        expect(sharedIds).toEqual([]);
        const stray = heldOut.flatMap((item) =>
            item.expected
                .filter((e) => !item.text.includes(e.value))
                .map((e) => `${item.id} ${e.value}`)
        );
        expect(stray).toEqual([]);
    });

    it('keeps precision at 95% or more and recall at 93% or more', () => {
        const { precision, recall } = heldOutMasking.overall;
        const failures = [
            ...(precision >= 0.95
                ? []
                : [`precision ${pct(precision)}`, ...misses(heldOutMasking.falsePositives)]),
            ...(recall >= 0.93
                ? []
                : [`recall ${pct(recall)}`, ...misses(heldOutMasking.falseNegatives)])
        ];
        expect(failures).toEqual([]);
    });

    it('leaves at least 98% of ordinary texts exactly as written', () => {
        expect(heldOutMasking.untouchedRate).toBeGreaterThanOrEqual(0.98);
    });
});

describe('c/egressPolicy credential quality', () => {
    it('is measured on credentials of every kind and on look-alikes', () => {
        expect(credentialResult.credentials).toBeGreaterThanOrEqual(30);
        expect(credentialResult.nearMisses).toBeGreaterThanOrEqual(30);
        const stray = credentials.flatMap((item) =>
            [...item.expected.map((e) => e.value), ...(item.keep ?? [])]
                .filter((value) => !item.text.includes(value))
                .map((value) => `${item.id} ${value}`)
        );
        expect(stray).toEqual([]);
    });

    it('drops every credential in the sample', () => {
        expect(
            credentialResult.missed.map((m) => `${m.id} ${m.kind} ${JSON.stringify(m.value)}`)
        ).toEqual([]);
    });

    it('drops no look-alike and keeps the words around a credential', () => {
        expect(
            [...credentialResult.falseDrops, ...credentialResult.overDrops].map(
                (d) => `${d.id} → ${d.output}`
            )
        ).toEqual([]);
    });
});

describe('c/egressPolicy masking cost', () => {
    // Generous bounds: they catch a regular expression that backtracks catastrophically (seconds),
    // not ordinary variation between machines. scripts/benchMasking.ts prints the real figures.
    it.each([
        ['100 KB of the sample', realisticText(sample)],
        ['100 KB of digits', '1'.repeat(100_000)],
        ['100 KB of spaced digits', '1 '.repeat(50_000)],
        ['100 KB of "+1 1 1"', '+1 1 1 1 1 1 1 1 1 1 '.repeat(5_000)],
        ['100 KB of dotted letters', 'a.'.repeat(50_000)],
        ['100 KB of "a@a."', 'a@a.'.repeat(25_000)],
        ['100 KB of "password: "', 'password: '.repeat(10_000)],
        ['100 KB of "-----BEGIN PRIVATE KEY-----"', '-----BEGIN PRIVATE KEY-----'.repeat(3_700)]
    ])('masks %s in well under a second', (_name, text) => {
        expect(timeMasking(text, 1)).toBeLessThan(1000);
    });
});

/**
 * Measures the masker against the hand-labelled samples (the development sample and a held-out one
 * written without sight of the detectors): precision and recall per category, how
 * much ordinary text passes untouched, credential recall and false drops, and the time to mask
 * 100 KB. The scoring lives in the component's __tests__/maskingEvaluation.ts, shared with the
 * quality gate (maskingQuality.test.ts). A measurement, so it exits 0.
 *
 * Usage: npx tsx scripts/benchMasking.ts [--verbose]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
    evaluateCredentials,
    evaluateMasking,
    realisticText,
    timeMasking
} from '../force-app/main/default/lwc/egressPolicy/__tests__/maskingEvaluation';
import type {
    CategoryScore,
    CredentialSampleItem,
    MaskingEvaluation,
    SampleItem
} from '../force-app/main/default/lwc/egressPolicy/__tests__/maskingEvaluation';

const dataDir = path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '../force-app/main/default/lwc/egressPolicy/__tests__/data'
);
const load = <T>(file: string): T =>
    JSON.parse(readFileSync(path.join(dataDir, file), 'utf8')) as T;

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const languages = (counts: Record<string, number>) =>
    Object.entries(counts)
        .map(([lang, n]) => `${lang} ${n}`)
        .join(', ');

function main(verbose: boolean): void {
    const sample = load<SampleItem[]>('maskingSample.json');
    const heldOut = load<SampleItem[]>('heldOutSample.json');
    const credentialSample = load<CredentialSampleItem[]>('credentialSample.json');
    const masking = evaluateMasking(sample);
    const heldOutMasking = evaluateMasking(heldOut);
    const credentials = evaluateCredentials(credentialSample);

    const row = (name: string, s: CategoryScore) =>
        `${name.padEnd(8)}${String(s.tp).padStart(5)}${String(s.fp).padStart(5)}${String(s.fn).padStart(5)}` +
        `${pct(s.precision).padStart(11)}${pct(s.recall).padStart(9)}`;
    const report = (title: string, result: MaskingEvaluation) => {
        console.log(
            `${title}: ${result.sampleSize} labelled sentences (${languages(result.itemsByLanguage)})`
        );
        console.log(
            `${'category'.padEnd(8)}${'TP'.padStart(5)}${'FP'.padStart(5)}${'FN'.padStart(5)}${'precision'.padStart(11)}${'recall'.padStart(9)}`
        );
        for (const [c, s] of Object.entries(result.byCategory)) console.log(row(c, s));
        console.log(row('overall', result.overall));
        console.log(
            `Ordinary text untouched: ${result.ordinaryTextsUntouched}/${result.ordinaryTexts} (${pct(result.untouchedRate)})\n`
        );
    };
    report('Development sample (the detectors were tuned on it)', masking);
    report(
        'Held-out sample (written without seeing the detectors, never tuned on)',
        heldOutMasking
    );
    console.log(
        `Credentials: ${credentials.sampleSize} texts; dropped ${credentials.dropped}/${credentials.credentials} ` +
            `(recall ${pct(credentials.recall)}); look-alikes changed ${credentials.falseDrops.length}/` +
            `${credentials.nearMisses} (false drops ${pct(credentials.falseDropRate)}); ` +
            `kept words lost ${credentials.overDrops.length}`
    );

    const text = realisticText(sample);
    const adversarial = {
        '100 KB of digits': '1'.repeat(100_000),
        '100 KB of "1 "': '1 '.repeat(50_000),
        '100 KB of "+1 1 1 ..."': '+1 1 1 1 1 1 1 1 1 1 '.repeat(5_000),
        '100 KB of "a.a.a."': 'a.'.repeat(50_000),
        '100 KB of "a@a."': 'a@a.'.repeat(25_000),
        '100 KB of "password: "': 'password: '.repeat(10_000)
    };
    console.log(
        `Time to mask ${Math.round(text.length / 1000)} KB of the sample: ${timeMasking(text).toFixed(1)} ms`
    );
    for (const [name, input] of Object.entries(adversarial)) {
        console.log(`  ${name.padEnd(24)} ${timeMasking(input, 3).toFixed(1)} ms`);
    }

    if (verbose) {
        for (const m of [...masking.falsePositives, ...heldOutMasking.falsePositives]) {
            console.log(`FP ${m.id} ${m.category} ${JSON.stringify(m.value)}`);
        }
        for (const m of [...masking.falseNegatives, ...heldOutMasking.falseNegatives]) {
            console.log(`FN ${m.id} ${m.category} ${JSON.stringify(m.value)}`);
        }
        for (const t of [...masking.touchedOrdinaryTexts, ...heldOutMasking.touchedOrdinaryTexts]) {
            console.log(`TOUCHED ${t.id} ${JSON.stringify(t.masked)}`);
        }
        for (const m of credentials.missed) {
            console.log(`CREDENTIAL KEPT ${m.id} ${m.kind} ${JSON.stringify(m.value)}`);
        }
        for (const d of [...credentials.falseDrops, ...credentials.overDrops]) {
            console.log(`FALSE DROP ${d.id} ${JSON.stringify(d.output)}`);
        }
    }
}

main(process.argv.includes('--verbose'));

/**
 * The Custom Labels file is edited by many changes at once and merged often; a merge that splices
 * two labels into one `<labels>` element still parses as XML but silently loses a label, which a
 * deploy reports only as a component that cannot load. Every element must be one whole label.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const labelsXml = readFileSync(
    path.join(repoRoot, 'force-app/main/default/labels/CustomLabels.labels-meta.xml'),
    'utf8'
);
const elements = [...labelsXml.matchAll(/<labels>([\s\S]*?)<\/labels>/g)].map((m) => m[1]!);

function countOf(text: string, tag: string): number {
    return text.split(`<${tag}>`).length - 1;
}

describe('CustomLabels.labels-meta.xml', () => {
    it('holds each label in an element of its own, with every required part once', () => {
        const broken = elements
            .filter((body) =>
                ['fullName', 'language', 'protected', 'shortDescription', 'value'].some(
                    (tag) => countOf(body, tag) !== 1
                )
            )
            .map((body) => /<fullName>(.*?)<\/fullName>/.exec(body)?.[1] ?? body.slice(0, 80));
        expect(broken).toEqual([]);
        expect(elements.length).toBe(countOf(labelsXml, 'fullName'));
    });

    it('names every label once, in the Resident namespace of names', () => {
        const names = elements.map((body) => /<fullName>(.*?)<\/fullName>/.exec(body)![1]!);
        expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
        expect(names.filter((name) => !/^Resident_[A-Za-z0-9_]+$/.test(name))).toEqual([]);
    });
});

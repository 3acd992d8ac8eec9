/**
 * The trust page (docs/TRUST.md) promises things and links each promise to the test that proves
 * it. This keeps the links honest: every linked file exists, every quoted test case is in that
 * file, every promise has a link, and the subprocessor table says what the package's list says.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SUBPROCESSORS } from '../../force-app/main/default/lwc/trustCenterContract/trustCenterContract';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const trustPagePath = path.join(repoRoot, 'docs', 'TRUST.md');
const trustPage = readFileSync(trustPagePath, 'utf8');

interface Evidence {
    target: string;
    caseName: string | null;
}

/** `[label](../path)` optionally followed by “case name”. */
const EVIDENCE = /\[[^\]]+\]\((\.\.\/[^)#\s]+)\)(?:\s*“([^”]+)”)?/g;

function evidenceIn(text: string): Evidence[] {
    return [...text.matchAll(EVIDENCE)].map((match) => ({
        target: match[1]!,
        caseName: match[2] ?? null
    }));
}

/** The page's promises: list items that begin with a bold sentence. */
function promises(): { claim: string; text: string }[] {
    const items: { claim: string; text: string }[] = [];
    let current: { claim: string; text: string } | null = null;
    for (const line of trustPage.split('\n')) {
        const start = /^- \*\*(.+?)\*\*/.exec(line);
        if (start) {
            const item = { claim: start[1]!, text: line };
            items.push(item);
            current = item;
        } else if (current && /^\s{2,}\S/.test(line)) {
            current.text += `\n${line}`;
        } else {
            current = null;
        }
    }
    return items;
}

describe('docs/TRUST.md', () => {
    const evidence = evidenceIn(trustPage);

    it('links to test files that exist in the repository', () => {
        expect(evidence.length).toBeGreaterThan(20);
        const missing = evidence
            .map((e) => e.target)
            .filter((target) => !existsSync(path.resolve(path.dirname(trustPagePath), target)));
        expect(missing).toEqual([]);
    });

    it('names only test cases that the linked file contains', () => {
        const absent = evidence
            .filter((e) => e.caseName !== null)
            .filter((e) => {
                const file = readFileSync(
                    path.resolve(path.dirname(trustPagePath), e.target),
                    'utf8'
                );
                return !file.includes(e.caseName!);
            })
            .map((e) => `${e.target} “${e.caseName}”`);
        expect(absent).toEqual([]);
    });

    it('backs every promise with at least one linked test or check', () => {
        const list = promises();
        expect(list.length).toBeGreaterThan(15);
        const unproved = list.filter((p) => evidenceIn(p.text).length === 0).map((p) => p.claim);
        expect(unproved).toEqual([]);
    });

    it('lists the same subprocessors, with the same data, as the trust center', () => {
        const rows = trustPage
            .split('\n')
            .filter((line) => /^\| [A-Z]/.test(line) && !line.startsWith('| Subprocessor'))
            .map((line) =>
                line
                    .split('|')
                    .slice(1, -1)
                    .map((cell) => cell.trim())
            );
        expect(rows).toEqual(SUBPROCESSORS.map((s) => [s.name, s.role, s.sees]));
    });

    it('has no placeholder left where a section is still to be written', () => {
        expect(trustPage).not.toMatch(/<!--\s*[A-Z]+\s*-->/);
    });
});

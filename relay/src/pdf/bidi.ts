/**
 * Right-to-left text (Hebrew) in display order: a compact form of the Unicode Bidirectional
 * Algorithm (UAX #9) without explicit embeddings: weak types W1–W7, neutrals N1–N2, implicit
 * levels I1–I2, and per line L1 (trailing spaces), L2 (reordering), L3 (marks stay after their
 * letter) and L4 (mirrored brackets). Text is kept in logical order for line breaking and
 * reordered one line at a time, as the algorithm requires.
 */

export type Direction = 'ltr' | 'rtl';

type BidiClass = 'L' | 'R' | 'EN' | 'ES' | 'ET' | 'CS' | 'NSM' | 'WS' | 'ON';

const RTL_RANGES: [number, number][] = [
    [0x0590, 0x08ff],
    [0xfb1d, 0xfdff],
    [0xfe70, 0xfeff]
];
const MARK_RANGES: [number, number][] = [
    [0x0300, 0x036f],
    [0x0591, 0x05bd],
    [0x05bf, 0x05bf],
    [0x05c1, 0x05c2],
    [0x05c4, 0x05c5],
    [0x05c7, 0x05c7],
    [0x0610, 0x061a],
    [0x064b, 0x065f],
    [0x0670, 0x0670],
    [0x06d6, 0x06ed]
];

const MIRRORED = new Map<number, number>();
for (const pair of ['()', '[]', '{}', '<>', '«»', '‹›']) {
    const open = pair.codePointAt(0)!;
    const close = pair.codePointAt(1)!;
    MIRRORED.set(open, close);
    MIRRORED.set(close, open);
}

const RTL_TEST = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;

/** Whether the text holds any right-to-left letter; when not, no reordering is needed. */
export function hasRightToLeft(text: string): boolean {
    return RTL_TEST.test(text);
}

function inRanges(cp: number, ranges: [number, number][]): boolean {
    return ranges.some(([start, end]) => cp >= start && cp <= end);
}

function isMark(cp: number): boolean {
    return cp >= 0x0300 && inRanges(cp, MARK_RANGES);
}

function bidiClass(cp: number): BidiClass {
    if (cp >= 0x30 && cp <= 0x39) return 'EN';
    if (cp === 0x20 || cp === 0x0a || (cp >= 0x2000 && cp <= 0x200a)) return 'WS';
    if (cp < 0x80) {
        if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) return 'L';
        if (cp === 0x2b || cp === 0x2d) return 'ES';
        if (cp === 0x23 || cp === 0x24 || cp === 0x25) return 'ET';
        if (cp === 0x2c || cp === 0x2e || cp === 0x2f || cp === 0x3a) return 'CS';
        return 'ON';
    }
    if (isMark(cp)) return 'NSM';
    if (inRanges(cp, RTL_RANGES)) {
        // Arabic-Indic digits behave as numbers; everything else there is a right-to-left letter.
        return cp >= 0x0660 && cp <= 0x0669 ? 'EN' : 'R';
    }
    if (cp === 0xb2 || cp === 0xb3 || cp === 0xb9 || (cp >= 0x2070 && cp <= 0x2079)) return 'EN';
    if (cp === 0x2212) return 'ES';
    if (cp === 0xa0 || cp === 0x202f) return 'CS';
    if ((cp >= 0xa2 && cp <= 0xa5) || cp === 0xb0 || cp === 0xb1 || (cp >= 0x20a0 && cp <= 0x20cf))
        return 'ET';
    if ((cp >= 0x2030 && cp <= 0x2034) || cp === 0x2116) return 'ET';
    const isSymbolOrPunctuation =
        (cp >= 0xa1 && cp <= 0xbf) ||
        cp === 0xd7 ||
        cp === 0xf7 ||
        (cp >= 0x2010 && cp <= 0x2bff) ||
        (cp >= 0x3000 && cp <= 0x303f) ||
        cp === 0xfffd;
    return isSymbolOrPunctuation ? 'ON' : 'L';
}

/** The paragraph's direction: as requested, or from its first letter with a direction. */
export function paragraphDirection(
    codePoints: readonly number[],
    requested: 'auto' | Direction
): Direction {
    if (requested !== 'auto') return requested;
    for (const cp of codePoints) {
        const type = bidiClass(cp);
        if (type === 'L') return 'ltr';
        if (type === 'R') return 'rtl';
    }
    return 'ltr';
}

/** The embedding level of each code point of a paragraph (even: left to right, odd: right to left). */
export function resolveLevels(codePoints: readonly number[], base: Direction): Uint8Array {
    const n = codePoints.length;
    const baseLevel = base === 'rtl' ? 1 : 0;
    const sos: BidiClass = base === 'rtl' ? 'R' : 'L';
    const types: BidiClass[] = codePoints.map(bidiClass);

    // W1: a mark takes the type of what it sits on.
    for (let i = 0; i < n; i++) {
        if (types[i] === 'NSM') types[i] = i === 0 ? sos : types[i - 1]!;
    }
    // W4: one separator between two numbers joins them (1,000.50).
    for (let i = 1; i < n - 1; i++) {
        const t = types[i];
        if ((t === 'ES' || t === 'CS') && types[i - 1] === 'EN' && types[i + 1] === 'EN') {
            types[i] = 'EN';
        }
    }
    // W5: currency and percent signs next to a number belong to it.
    for (let i = 0; i < n; i++) {
        if (types[i] !== 'ET') continue;
        let end = i;
        while (end < n && types[end] === 'ET') end++;
        const touchesNumber = (i > 0 && types[i - 1] === 'EN') || types[end] === 'EN';
        for (let j = i; j < end; j++) types[j] = touchesNumber ? 'EN' : 'ON';
        i = end - 1;
    }
    // W6: remaining separators are neutral. W7: numbers after left-to-right text are left to right.
    let lastStrong: BidiClass = sos;
    for (let i = 0; i < n; i++) {
        const t = types[i]!;
        if (t === 'ES' || t === 'CS' || t === 'ET') types[i] = 'ON';
        if (t === 'L' || t === 'R') lastStrong = t;
        if (t === 'EN' && lastStrong === 'L') types[i] = 'L';
    }
    // N1/N2: a run of neutrals between two of the same direction takes it; otherwise the base's.
    const strongOf = (t: BidiClass | undefined): 'L' | 'R' | undefined =>
        t === 'L' ? 'L' : t === 'R' || t === 'EN' ? 'R' : undefined;
    for (let i = 0; i < n; i++) {
        if (strongOf(types[i]) !== undefined) continue;
        let end = i;
        while (end < n && strongOf(types[end]) === undefined) end++;
        const before = i === 0 ? sos : strongOf(types[i - 1])!;
        const after = end === n ? sos : strongOf(types[end])!;
        const resolved = before === after ? before : sos;
        for (let j = i; j < end; j++) types[j] = resolved;
        i = end - 1;
    }
    // I1/I2.
    const levels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
        const t = types[i];
        if (baseLevel === 0) levels[i] = t === 'R' ? 1 : t === 'EN' ? 2 : 0;
        else levels[i] = t === 'L' || t === 'EN' ? 2 : 1;
    }
    return levels;
}

/**
 * Display order (left to right) of the code points `start..end` of a paragraph, as indexes, and
 * whether each sits at a right-to-left level (so brackets are mirrored).
 */
export function visualOrder(
    codePoints: readonly number[],
    levels: Uint8Array,
    start: number,
    end: number,
    base: Direction
): { order: number[]; rtl: boolean[] } {
    const lineLevels = Array.from(levels.subarray(start, end));
    // L1: trailing spaces of a line sit at the paragraph's level.
    const baseLevel = base === 'rtl' ? 1 : 0;
    for (let i = lineLevels.length - 1; i >= 0 && bidiClass(codePoints[start + i]!) === 'WS'; i--) {
        lineLevels[i] = baseLevel;
    }
    // L3: a letter and the marks after it move as one cluster.
    const clusters: { indexes: number[]; level: number }[] = [];
    for (let i = 0; i < lineLevels.length; i++) {
        const cp = codePoints[start + i]!;
        const last = clusters.at(-1);
        if (last && isMark(cp)) last.indexes.push(start + i);
        else clusters.push({ indexes: [start + i], level: lineLevels[i]! });
    }
    // L2: from the highest level down to the lowest odd one, reverse every run at or above it.
    const highest = clusters.reduce((m, c) => Math.max(m, c.level), 0);
    const lowestOdd = clusters.reduce((m, c) => (c.level % 2 === 1 ? Math.min(m, c.level) : m), 99);
    for (let level = highest; level >= lowestOdd && level > 0; level--) {
        for (let i = 0; i < clusters.length; i++) {
            if (clusters[i]!.level < level) continue;
            let j = i;
            while (j < clusters.length && clusters[j]!.level >= level) j++;
            reverseRange(clusters, i, j);
            i = j;
        }
    }
    const order: number[] = [];
    const rtl: boolean[] = [];
    for (const cluster of clusters) {
        for (const index of cluster.indexes) {
            order.push(index);
            rtl.push(cluster.level % 2 === 1);
        }
    }
    return { order, rtl };
}

function reverseRange<T>(items: T[], start: number, end: number): void {
    for (let i = start, j = end - 1; i < j; i++, j--) {
        const tmp = items[i]!;
        items[i] = items[j]!;
        items[j] = tmp;
    }
}

/** L4: the glyph to show for a bracket in right-to-left text (`(` shows as `)`). */
export function mirrored(cp: number): number {
    return MIRRORED.get(cp) ?? cp;
}

import type {
    TextAlign,
    TextDirection
} from '../../../force-app/main/default/lwc/documentModel/documentModel';
import {
    hasRightToLeft,
    mirrored,
    paragraphDirection,
    resolveLevels,
    visualOrder,
    type Direction
} from './bidi';
import { num } from './numbers';
import type { PageCanvas } from './pageCanvas';
import type { Typesetter } from './typesetter';

/** How a run of text looks. Runs of a paragraph share its size. */
export interface RunStyle {
    bold: boolean;
    italic: boolean;
    underline: boolean;
    /** Validated absolute http/https/mailto URL. */
    link?: string;
}

export interface StyledText {
    text: string;
    style: RunStyle;
}

export interface LineFragment {
    /** In display order, brackets already mirrored in right-to-left text. */
    codePoints: number[];
    style: RunStyle;
    /** Offset from the line's left edge, in points. */
    x: number;
    width: number;
}

export interface TextLine {
    fragments: LineFragment[];
    width: number;
}

export interface TextLayout {
    lines: TextLine[];
    fontSize: number;
    lineHeight: number;
    direction: Direction;
    /** Total height: lines × line height. */
    height: number;
}

/** Line spacing as a multiple of the font size; Noto Sans' own ascent + descent is 1.36 em. */
export const LINE_SPACING = 1.35;
/** Noto Sans' ascender, in ems: where the baseline sits below the top of a line box. */
const ASCENT = 1.069;
const DESCENT = 0.293;
/** Noto Sans' underline position below the baseline, and thickness, in ems. */
const UNDERLINE_OFFSET = 0.1;
const UNDERLINE_THICKNESS = 0.05;
/** Slant of synthesized italic (about 12°), in the text matrix. */
const ITALIC_SKEW = 0.21;
const LINK_COLOR = '0.043 0.341 0.816';

// Controls, zero-width and bidi-formatting characters have no glyph; soft hyphens are not shown.
const INVISIBLE =
    /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** Plain text as the renderer draws it: composed accents (NFC), one kind of newline, no controls. */
export function normalizeText(text: string): string {
    return text.normalize('NFC').replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(INVISIBLE, '');
}

function isBreakingSpace(cp: number): boolean {
    return cp === 0x20 || (cp >= 0x2000 && cp <= 0x200a && cp !== 0x2007);
}

/** A line may also break after a hyphen inside a word ("Jean-|Pierre"). */
function isHyphen(cp: number): boolean {
    return cp === 0x2d || cp === 0x2010 || cp === 0x2013;
}

/**
 * Breaks styled text into lines no wider than `maxWidth`: word by word, a word wider than a line
 * character by character, and at every newline. Right-to-left text is reordered per line.
 */
export function layoutText(
    typesetter: Typesetter,
    runs: readonly StyledText[],
    fontSize: number,
    maxWidth: number,
    requestedDirection: TextDirection = 'auto'
): TextLayout {
    const codePoints: number[] = [];
    const styleOf: number[] = [];
    const styles: RunStyle[] = [];
    let anyRightToLeft = false;
    for (const run of runs) {
        const text = normalizeText(run.text);
        if (text === '') continue;
        anyRightToLeft ||= hasRightToLeft(text);
        const styleIndex = styles.push(run.style) - 1;
        for (const ch of text) {
            codePoints.push(ch.codePointAt(0)!);
            styleOf.push(styleIndex);
        }
    }
    const n = codePoints.length;
    const advances = new Float64Array(n);
    for (let i = 0; i < n; i++) {
        const cp = codePoints[i]!;
        advances[i] =
            cp === 0x0a ? 0 : typesetter.place(cp, styles[styleOf[i]!]!.bold).advance * fontSize;
    }

    const direction = anyRightToLeft
        ? paragraphDirection(codePoints, requestedDirection)
        : requestedDirection === 'rtl'
          ? 'rtl'
          : 'ltr';
    const levels =
        anyRightToLeft || direction === 'rtl' ? resolveLevels(codePoints, direction) : undefined;

    const lines: TextLine[] = [];
    const emit = (start: number, end: number) => {
        // Spaces where a line wraps are not drawn and take no room.
        let contentEnd = end;
        while (contentEnd > start && isBreakingSpace(codePoints[contentEnd - 1]!)) contentEnd--;
        lines.push(buildLine(start, contentEnd));
    };
    const buildLine = (start: number, end: number): TextLine => {
        const order: number[] = [];
        let rtlFlags: boolean[] | undefined;
        if (levels) {
            const visual = visualOrder(codePoints, levels, start, end, direction);
            order.push(...visual.order);
            rtlFlags = visual.rtl;
        } else {
            for (let i = start; i < end; i++) order.push(i);
        }
        const fragments: LineFragment[] = [];
        let x = 0;
        order.forEach((index, k) => {
            const style = styles[styleOf[index]!]!;
            const rtl = rtlFlags?.[k] ?? false;
            const cp = rtl ? mirrored(codePoints[index]!) : codePoints[index]!;
            const last = fragments.at(-1);
            if (last && last.style === style) {
                last.codePoints.push(cp);
                last.width += advances[index]!;
            } else {
                fragments.push({ codePoints: [cp], style, x, width: advances[index]! });
            }
            x += advances[index]!;
        });
        return { fragments, width: x };
    };

    let lineStart = 0;
    let lineHasWord = false;
    let lineWidth = 0; // up to the end of the last word placed
    let pendingSpaces = 0; // spaces after that word: drawn only if another word follows
    const startLine = (at: number) => {
        lineStart = at;
        lineHasWord = false;
        lineWidth = 0;
        pendingSpaces = 0;
    };
    let i = 0;
    while (i < n) {
        const cp = codePoints[i]!;
        if (cp === 0x0a) {
            emit(lineStart, i);
            startLine(i + 1);
            i++;
            continue;
        }
        if (isBreakingSpace(cp)) {
            // Spaces starting a paragraph or a line after a newline are meant: they indent.
            if (lineHasWord) pendingSpaces += advances[i]!;
            else lineWidth += advances[i]!;
            i++;
            continue;
        }
        // The next word: up to a space or a newline, or just after a hyphen inside a word.
        let end = i;
        let wordWidth = 0;
        while (end < n) {
            const c = codePoints[end]!;
            if (c === 0x0a || isBreakingSpace(c)) break;
            wordWidth += advances[end]!;
            end++;
            if (isHyphen(c) && end < n && !isBreakingSpace(codePoints[end]!)) break;
        }
        const spaceBefore = lineHasWord ? pendingSpaces : 0;
        if (lineWidth + spaceBefore + wordWidth <= maxWidth) {
            lineWidth += spaceBefore + wordWidth;
            lineHasWord = true;
            pendingSpaces = 0;
            i = end;
            continue;
        }
        if (lineHasWord) {
            emit(lineStart, i);
            startLine(i);
            continue;
        }
        // A word wider than the line: as many characters as fit, at least one, then the rest.
        let cut = i;
        let cutWidth = lineWidth;
        while (cut < end && (cut === i || cutWidth + advances[cut]! <= maxWidth)) {
            cutWidth += advances[cut]!;
            cut++;
        }
        emit(lineStart, cut);
        startLine(cut);
        i = cut;
    }
    if (lineStart < n || lines.length === 0) {
        emit(lineStart, n);
    }

    const lineHeight = fontSize * LINE_SPACING;
    return { lines, fontSize, lineHeight, direction, height: lines.length * lineHeight };
}

/** Where a line starts for an alignment; right-to-left paragraphs default to the right. */
export function lineOffset(
    layout: TextLayout,
    line: TextLine,
    width: number,
    align?: TextAlign
): number {
    const effective = align ?? (layout.direction === 'rtl' ? 'right' : 'left');
    if (effective === 'center') return (width - line.width) / 2;
    if (effective === 'right') return width - line.width;
    return 0;
}

/** Draws lines `from..to` of a layout with their top edge at `top`. */
export function drawText(
    canvas: PageCanvas,
    typesetter: Typesetter,
    layout: TextLayout,
    x: number,
    top: number,
    width: number,
    align?: TextAlign,
    from = 0,
    to = layout.lines.length
): void {
    const { fontSize, lineHeight } = layout;
    const baselineDrop = (lineHeight - fontSize * (ASCENT + DESCENT)) / 2 + fontSize * ASCENT;
    for (let l = from; l < to; l++) {
        const line = layout.lines[l]!;
        if (line.fragments.length === 0) continue;
        const left = x + lineOffset(layout, line, width, align);
        const baseline = top - (l - from) * lineHeight - baselineDrop;
        const ops = canvas.ops;
        ops.push('BT');
        for (const fragment of line.fragments) {
            const fx = left + fragment.x;
            const { style } = fragment;
            ops.push(style.link ? `${LINK_COLOR} rg` : '0 g');
            ops.push(`1 0 ${style.italic ? ITALIC_SKEW : 0} 1 ${num(fx)} ${num(baseline)} Tm`);
            let currentFont = '';
            let hex = '';
            for (const cp of fragment.codePoints) {
                const placed = typesetter.place(cp, style.bold);
                if (placed.subset.resourceName !== currentFont) {
                    if (hex) ops.push(`<${hex}> Tj`);
                    hex = '';
                    currentFont = placed.subset.resourceName;
                    ops.push(`/${currentFont} ${num(fontSize)} Tf`);
                }
                hex += placed.subset.codeFor(
                    placed.glyph,
                    placed.replacement ? '\ufffd' : String.fromCodePoint(cp)
                );
            }
            if (hex) ops.push(`<${hex}> Tj`);
        }
        ops.push('ET');
        for (const fragment of line.fragments) {
            const fx = left + fragment.x;
            if (fragment.style.underline || fragment.style.link) {
                const thickness = fontSize * UNDERLINE_THICKNESS;
                const y = baseline - fontSize * UNDERLINE_OFFSET - thickness / 2;
                ops.push(
                    `${fragment.style.link ? LINK_COLOR : '0'} ${fragment.style.link ? 'rg' : 'g'}`,
                    `${num(fx)} ${num(y)} ${num(fragment.width)} ${num(thickness)} re f`
                );
            }
            if (fragment.style.link) {
                canvas.addLink(
                    fragment.style.link,
                    fx,
                    baseline - fontSize * DESCENT,
                    fx + fragment.width,
                    baseline + fontSize * ASCENT
                );
            }
        }
    }
}

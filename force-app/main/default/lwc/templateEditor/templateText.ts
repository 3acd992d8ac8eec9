/**
 * Positions in a template part's text: what the editor needs to put the cursor where a problem
 * is (documentMerge reports 1-based line and column, and its `positionAt` turns an offset back into
 * them) and to insert a merge field at the cursor.
 * Pure functions, so they are tested without a DOM.
 */

/** The offset of a 1-based line and column; past the end of a line or the text, its end. */
export function offsetAt(text: string, line: number, column: number): number {
    let offset = 0;
    for (let current = 1; current < line; current++) {
        const next = text.indexOf('\n', offset);
        if (next === -1) return text.length;
        offset = next + 1;
    }
    const lineEnd = text.indexOf('\n', offset);
    const end = lineEnd === -1 ? text.length : lineEnd;
    return Math.min(offset + Math.max(0, column - 1), end);
}

export interface Insertion {
    text: string;
    /** Where the cursor goes afterwards (selection start and end). */
    selectionStart: number;
    selectionEnd: number;
}

/**
 * Replaces the selection [start, end) with `insert`. When `wrap` is given as [opening, closing],
 * the selection is kept between them and stays selected (a block around what the admin chose).
 */
export function insertAt(
    text: string,
    start: number,
    end: number,
    insert: string | [string, string]
): Insertion {
    const from = Math.max(0, Math.min(start, text.length));
    const to = Math.max(from, Math.min(end, text.length));
    const before = text.slice(0, from);
    const after = text.slice(to);
    if (typeof insert === 'string') {
        const cursor = from + insert.length;
        return { text: before + insert + after, selectionStart: cursor, selectionEnd: cursor };
    }
    const [opening, closing] = insert;
    const selected = text.slice(from, to);
    return {
        text: before + opening + selected + closing + after,
        selectionStart: from + opening.length,
        selectionEnd: from + opening.length + selected.length
    };
}

// A small SOSL subset: FIND {terms} (or 'terms', as Apex writes it) [IN ALL FIELDS] RETURNING
// Object[(fields [WHERE ...] [ORDER BY ...] [LIMIT n])], ... [LIMIT n]. The search expression
// knows words, "quoted phrases", the * and ? wildcards, AND, OR, AND NOT and backslash escapes.
// Matching is by whole word, case- and accent-insensitive, over the text fields the user can read.

import { parseSoql, SoqlSyntaxError, type SoqlQuery } from './soql';

export class SoslSyntaxError extends Error {}

/** One word or phrase of the search expression: every word must match, in order for a phrase. */
type SearchTerm = { words: RegExp[]; negated: boolean };
/** The expression as OR of AND groups. */
export type SearchExpression = SearchTerm[][];

export type SoslReturning = { object: string; query: SoqlQuery };
export type SoslQuery = {
    expression: SearchExpression;
    /** The search text as written (unescaped), for messages. */
    text: string;
    scope: 'ALL' | 'NAME' | 'EMAIL' | 'PHONE';
    returning: SoslReturning[];
    limit?: number;
};

/** Lower case without accents, so "Résumé" finds "resume", as SOSL's text index does. */
export function foldText(text: string): string {
    return text
        .normalize('NFD')
        .replace(/\p{M}+/gu, '')
        .toLowerCase();
}

export function wordsOf(text: string): string[] {
    return foldText(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

function wordPattern(word: string): RegExp {
    const escaped = word.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`^${escaped.replace(/\*/g, '[\\p{L}\\p{N}]*').replace(/\?/g, '.')}$`, 'u');
}

/** Splits the search text into terms, honouring quotes and backslash escapes. */
function tokenizeSearch(text: string): { value: string; quoted: boolean }[] {
    const tokens: { value: string; quoted: boolean }[] = [];
    let i = 0;
    while (i < text.length) {
        const c = text.charAt(i);
        if (/\s/.test(c)) {
            i += 1;
            continue;
        }
        let value = '';
        const quoted = c === '"';
        if (quoted) i += 1;
        while (i < text.length) {
            const ch = text.charAt(i);
            if (ch === '\\' && i + 1 < text.length) {
                value += text.charAt(i + 1);
                i += 2;
                continue;
            }
            if (quoted ? ch === '"' : /\s/.test(ch) || ch === '(' || ch === ')') break;
            value += ch;
            i += 1;
        }
        if (quoted) i += 1;
        // Parentheses only group; the subset reads OR and AND left to right, which is what the
        // doubles' searches need.
        if (!quoted && value === '' && (c === '(' || c === ')')) i += 1;
        if (value) tokens.push({ value, quoted });
    }
    return tokens;
}

export function parseSearchExpression(text: string): SearchExpression {
    const groups: SearchExpression = [[]];
    let negateNext = false;
    for (const token of tokenizeSearch(text)) {
        const upper = token.quoted ? '' : token.value;
        if (upper === 'OR') {
            groups.push([]);
            continue;
        }
        if (upper === 'AND') continue;
        if (upper === 'NOT') {
            negateNext = true;
            continue;
        }
        const words = (foldText(token.value).match(/[\p{L}\p{N}*?]+/gu) ?? []).filter(
            (w) => w.replace(/[*?]/g, '') !== ''
        );
        // One-letter words are not indexed: skipped, and only a search of nothing else fails.
        if (
            words.length === 0 ||
            (words.length === 1 && (words[0] ?? '').replace(/[*?]/g, '').length < 2)
        ) {
            negateNext = false;
            continue;
        }
        groups.at(-1)?.push({ words: words.map(wordPattern), negated: negateNext });
        negateNext = false;
    }
    const nonEmpty = groups.filter((g) => g.some((t) => !t.negated));
    if (nonEmpty.length === 0)
        throw new SoslSyntaxError('search term must be longer than one character');
    return nonEmpty;
}

function termOccurrences(term: SearchTerm, words: string[]): number {
    let count = 0;
    for (let i = 0; i + term.words.length <= words.length; i += 1) {
        if (term.words.every((re, k) => re.test(words[i + k] ?? ''))) count += 1;
    }
    return count;
}

/** How well a record's text matches: 0 when it does not, else the number of word hits. */
export function searchScore(expression: SearchExpression, words: string[]): number {
    let best = 0;
    for (const group of expression) {
        let score = 0;
        let ok = true;
        for (const term of group) {
            const hits = termOccurrences(term, words);
            if (term.negated ? hits > 0 : hits === 0) {
                ok = false;
                break;
            }
            score += hits;
        }
        if (ok) best = Math.max(best, score);
    }
    return best;
}

/** Finds the text between FIND's braces or quotes, where a backslash escapes the next character. */
function readSearchText(sosl: string): { text: string; rest: string } {
    const m = /^\s*FIND\s*([{'])/i.exec(sosl);
    if (!m) throw new SoslSyntaxError('expected FIND {search terms} at the start of the search');
    const close = m[1] === '{' ? '}' : "'";
    let i = m[0].length;
    let raw = '';
    while (i < sosl.length && sosl.charAt(i) !== close) {
        if (sosl.charAt(i) === '\\' && i + 1 < sosl.length) {
            raw += sosl.slice(i, i + 2);
            i += 2;
            continue;
        }
        raw += sosl.charAt(i);
        i += 1;
    }
    if (i >= sosl.length)
        throw new SoslSyntaxError(`the search text is missing its closing ${close}`);
    return { text: raw, rest: sosl.slice(i + 1) };
}

/** Splits `A(x, y WHERE z IN ('a', 'b')), B` at top-level commas. */
function splitReturning(text: string): string[] {
    const parts: string[] = [];
    let depth = 0;
    let inString = false;
    let current = '';
    for (let i = 0; i < text.length; i += 1) {
        const c = text.charAt(i);
        if (inString) {
            if (c === '\\') {
                current += c + text.charAt(i + 1);
                i += 1;
                continue;
            }
            if (c === "'") inString = false;
        } else if (c === "'") inString = true;
        else if (c === '(') depth += 1;
        else if (c === ')') depth -= 1;
        if (c === ',' && depth === 0 && !inString) {
            parts.push(current.trim());
            current = '';
            continue;
        }
        current += c;
    }
    if (depth !== 0 || inString) throw new SoslSyntaxError('unbalanced parentheses in RETURNING');
    if (current.trim()) parts.push(current.trim());
    return parts;
}

function returningQuery(spec: string): SoslReturning {
    const m = /^(\w+)\s*(?:\(([\s\S]*)\))?$/.exec(spec);
    if (!m?.[1]) throw new SoslSyntaxError(`unexpected RETURNING clause '${spec}'`);
    const object = m[1];
    const inner = (m[2] ?? '').trim();
    const clause = /\s(WHERE|ORDER\s+BY|LIMIT|OFFSET)\s/i.exec(` ${inner} `);
    const fields = clause ? ` ${inner} `.slice(0, clause.index).trim() : inner;
    const rest = clause ? ` ${inner} `.slice(clause.index).trim() : '';
    try {
        return {
            object,
            query: parseSoql(`SELECT ${fields || 'Id'} FROM ${object} ${rest}`)
        };
    } catch (err) {
        if (err instanceof SoqlSyntaxError) throw new SoslSyntaxError(err.message);
        throw err;
    }
}

export function parseSosl(sosl: string): SoslQuery {
    const { text, rest } = readSearchText(sosl);
    const expression = parseSearchExpression(text);
    let tail = rest.trim();
    let scope: SoslQuery['scope'] = 'ALL';
    const inClause = /^IN\s+(ALL|NAME|EMAIL|PHONE)\s+FIELDS\b/i.exec(tail);
    if (inClause) {
        scope = (inClause[1] ?? 'ALL').toUpperCase() as SoslQuery['scope'];
        tail = tail.slice(inClause[0].length).trim();
    }
    const returning = /^RETURNING\s+([\s\S]+)$/i.exec(tail);
    if (!returning?.[1]) {
        throw new SoslSyntaxError(
            tail ? `unexpected '${tail.slice(0, 30)}'` : 'the stand-in needs a RETURNING clause'
        );
    }
    const specs = splitReturning(returning[1]);
    // A LIMIT after the last object (outside its parentheses) bounds the whole search.
    let limit: number | undefined;
    const last = specs.at(-1) ?? '';
    const global = /^(\w+(?:\s*\([\s\S]*\))?)\s+LIMIT\s+(\d+)$/i.exec(last);
    if (global?.[1]) {
        specs[specs.length - 1] = global[1];
        limit = Number(global[2]);
    }
    return {
        expression,
        text: text.replace(/\\(.)/g, '$1'),
        scope,
        returning: specs.map(returningQuery),
        limit
    };
}

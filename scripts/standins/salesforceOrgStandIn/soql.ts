// A small SOQL subset: SELECT fields (incl. parent paths like Owner.Name) and COUNT(), FROM one
// object, WHERE with = != < > <= >= LIKE IN / NOT IN, AND / OR / NOT and parentheses,
// ORDER BY (ASC/DESC, NULLS FIRST/LAST), LIMIT, OFFSET. Anything else is MALFORMED_QUERY.

export type Literal = string | number | boolean | null;
export type Condition =
    | {
          kind: 'compare';
          field: string;
          op: '=' | '!=' | '<' | '>' | '<=' | '>=' | 'LIKE';
          value: Literal;
      }
    | { kind: 'in'; field: string; negated: boolean; values: Literal[] }
    | { kind: 'and' | 'or'; left: Condition; right: Condition }
    | { kind: 'not'; inner: Condition };
export type OrderBy = { field: string; descending: boolean; nullsLast: boolean };
export type SoqlQuery = {
    fields: string[];
    count: boolean;
    from: string;
    where?: Condition;
    orderBy: OrderBy[];
    limit?: number;
    offset?: number;
};

export class SoqlSyntaxError extends Error {}

/** `raw` (strings only): the text between the quotes as written, escapes kept, for LIKE. */
type Token = { kind: 'word' | 'string' | 'number' | 'symbol'; text: string; raw?: string };

function tokenize(q: string): Token[] {
    const tokens: Token[] = [];
    let i = 0;
    while (i < q.length) {
        const c = q.charAt(i);
        if (/\s/.test(c)) {
            i += 1;
        } else if (c === "'") {
            let text = '';
            const start = i + 1;
            i += 1;
            while (i < q.length && q.charAt(i) !== "'") {
                if (q.charAt(i) === '\\') i += 1;
                text += q.charAt(i);
                i += 1;
            }
            if (i >= q.length) throw new SoqlSyntaxError('unterminated string literal');
            tokens.push({ kind: 'string', text, raw: q.slice(start, i) });
            i += 1;
        } else if (/[0-9-]/.test(c) && /[0-9]/.test(q.charAt(c === '-' ? i + 1 : i))) {
            const m = /^-?[0-9][0-9.:TZ+-]*/.exec(q.slice(i));
            const text = m?.[0] ?? c;
            tokens.push({ kind: /^-?\d+(\.\d+)?$/.test(text) ? 'number' : 'string', text });
            i += text.length;
        } else if (/[A-Za-z_]/.test(c)) {
            const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(q.slice(i));
            const text = m?.[0] ?? c;
            tokens.push({ kind: 'word', text });
            i += text.length;
        } else {
            const two = q.slice(i, i + 2);
            const text = ['!=', '<=', '>=', '<>'].includes(two) ? two : c;
            if (!'=<>(),'.includes(text.charAt(0)) && text !== '!=') {
                throw new SoqlSyntaxError(`unexpected character '${c}'`);
            }
            tokens.push({ kind: 'symbol', text: text === '<>' ? '!=' : text });
            i += text.length;
        }
    }
    return tokens;
}

export function parseSoql(q: string): SoqlQuery {
    const tokens = tokenize(q);
    let pos = 0;
    const peek = (): Token | undefined => tokens[pos];
    const isWord = (w: string): boolean =>
        peek()?.kind === 'word' && peek()?.text.toUpperCase() === w;
    const next = (): Token => {
        const t = tokens[pos];
        if (!t) throw new SoqlSyntaxError('unexpected end of query');
        pos += 1;
        return t;
    };
    const expectWord = (w: string): void => {
        if (!isWord(w)) throw new SoqlSyntaxError(`expected ${w} near '${peek()?.text ?? 'end'}'`);
        pos += 1;
    };
    const expectSymbol = (s: string): void => {
        const t = next();
        if (t.kind !== 'symbol' || t.text !== s) throw new SoqlSyntaxError(`expected '${s}'`);
    };
    const fieldName = (): string => {
        const t = next();
        if (t.kind !== 'word') throw new SoqlSyntaxError(`unexpected token '${t.text}'`);
        return t.text;
    };
    const literal = (): Literal => {
        const t = next();
        if (t.kind === 'string') return t.text;
        if (t.kind === 'number') return Number(t.text);
        if (t.kind === 'word') {
            const upper = t.text.toUpperCase();
            if (upper === 'TRUE') return true;
            if (upper === 'FALSE') return false;
            if (upper === 'NULL') return null;
        }
        throw new SoqlSyntaxError(`unexpected token '${t.text}'`);
    };

    expectWord('SELECT');
    const fields: string[] = [];
    let count = false;
    if (isWord('COUNT') && tokens[pos + 1]?.text === '(') {
        pos += 2;
        expectSymbol(')');
        count = true;
    } else {
        for (;;) {
            fields.push(fieldName());
            if (peek()?.text !== ',') break;
            pos += 1;
        }
    }
    expectWord('FROM');
    const from = fieldName();

    const condition = (): Condition => {
        let left = term();
        while (isWord('OR')) {
            pos += 1;
            left = { kind: 'or', left, right: term() };
        }
        return left;
    };
    const term = (): Condition => {
        let left = factor();
        while (isWord('AND')) {
            pos += 1;
            left = { kind: 'and', left, right: factor() };
        }
        return left;
    };
    const factor = (): Condition => {
        if (isWord('NOT')) {
            pos += 1;
            return { kind: 'not', inner: factor() };
        }
        if (peek()?.text === '(') {
            pos += 1;
            const inner = condition();
            expectSymbol(')');
            return inner;
        }
        const field = fieldName();
        const negated = isWord('NOT');
        if (negated) pos += 1;
        if (isWord('IN')) {
            pos += 1;
            expectSymbol('(');
            const values: Literal[] = [literal()];
            while (peek()?.text === ',') {
                pos += 1;
                values.push(literal());
            }
            expectSymbol(')');
            return { kind: 'in', field, negated, values };
        }
        if (negated) throw new SoqlSyntaxError('expected IN after NOT');
        const opToken = next();
        const op = opToken.text.toUpperCase();
        if (!['=', '!=', '<', '>', '<=', '>=', 'LIKE'].includes(op)) {
            throw new SoqlSyntaxError(`unexpected operator '${opToken.text}'`);
        }
        if (op === 'LIKE') {
            // The pattern keeps its escapes: \% and \_ match a literal % and _ (likeToRegExp).
            const t = next();
            if (t.kind !== 'string') throw new SoqlSyntaxError('LIKE needs a string pattern');
            return { kind: 'compare', field, op: 'LIKE', value: t.raw ?? t.text };
        }
        return { kind: 'compare', field, op: op as '=', value: literal() };
    };

    const query: SoqlQuery = { fields, count, from, orderBy: [] };
    if (isWord('WHERE')) {
        pos += 1;
        query.where = condition();
    }
    if (isWord('ORDER')) {
        pos += 1;
        expectWord('BY');
        for (;;) {
            const field = fieldName();
            let descending = false;
            if (isWord('ASC') || isWord('DESC')) descending = next().text.toUpperCase() === 'DESC';
            let nullsLast = descending;
            if (isWord('NULLS')) {
                pos += 1;
                nullsLast = next().text.toUpperCase() === 'LAST';
            }
            query.orderBy.push({ field, descending, nullsLast });
            if (peek()?.text !== ',') break;
            pos += 1;
        }
    }
    if (isWord('LIMIT')) {
        pos += 1;
        query.limit = Number(next().text);
    }
    if (isWord('OFFSET')) {
        pos += 1;
        query.offset = Number(next().text);
    }
    if (pos < tokens.length) throw new SoqlSyntaxError(`unexpected token '${peek()?.text}'`);
    return query;
}

/** Every field path a query reads, for FLS checks. */
export function fieldsReadBy(query: SoqlQuery): string[] {
    const paths = [...query.fields, ...query.orderBy.map((o) => o.field)];
    const walk = (c: Condition | undefined): void => {
        if (!c) return;
        if (c.kind === 'compare' || c.kind === 'in') paths.push(c.field);
        else if (c.kind === 'not') walk(c.inner);
        else {
            walk(c.left);
            walk(c.right);
        }
    };
    walk(query.where);
    return paths;
}

/** A date-time as SOQL writes it (`2026-06-03T07:00:00Z`) or the API returns it (`.000+0000`). */
const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)$/;

function dateTimeMs(value: string): number {
    return Date.parse(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
}

function compareValues(a: Literal, b: Literal): number {
    if (a === b) return 0;
    if (a === null) return -1;
    if (b === null) return 1;
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    // Date-times compare as instants whatever their spelling (issue 6: due schedules).
    if (typeof a === 'string' && typeof b === 'string' && DATE_TIME.test(a) && DATE_TIME.test(b)) {
        return dateTimeMs(a) - dateTimeMs(b);
    }
    return String(a).localeCompare(String(b));
}

/** SOQL's escapes for characters a string literal cannot hold as they are. */
const STRING_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };

/**
 * A LIKE pattern as written between the quotes: `%` is any text, `_` one character, and a
 * backslash makes the next character itself (`\%`, `\_`, `\\`, `\'`), as Salesforce reads it.
 */
function likeToRegExp(pattern: string): RegExp {
    let source = '';
    for (let i = 0; i < pattern.length; i += 1) {
        let c = pattern.charAt(i);
        if (c === '\\' && i + 1 < pattern.length) {
            i += 1;
            c = pattern.charAt(i);
            c = STRING_ESCAPES[c] ?? c;
        } else if (c === '%') {
            source += '.*';
            continue;
        } else if (c === '_') {
            source += '.';
            continue;
        }
        source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
    return new RegExp(`^${source}$`, 'i');
}

export function matches(c: Condition, valueOf: (path: string) => Literal): boolean {
    switch (c.kind) {
        case 'and':
            return matches(c.left, valueOf) && matches(c.right, valueOf);
        case 'or':
            return matches(c.left, valueOf) || matches(c.right, valueOf);
        case 'not':
            return !matches(c.inner, valueOf);
        case 'in': {
            const v = valueOf(c.field);
            const found = c.values.some((x) => compareValues(v, x) === 0);
            return c.negated ? !found : found;
        }
        case 'compare': {
            const v = valueOf(c.field);
            if (c.op === 'LIKE')
                return typeof c.value === 'string' && likeToRegExp(c.value).test(String(v ?? ''));
            if (c.op === '=') return compareValues(v, c.value) === 0;
            if (c.op === '!=') return compareValues(v, c.value) !== 0;
            if (v === null || c.value === null) return false;
            const diff = compareValues(v, c.value);
            if (c.op === '<') return diff < 0;
            if (c.op === '>') return diff > 0;
            if (c.op === '<=') return diff <= 0;
            return diff >= 0;
        }
    }
}

export function sortRecords<T>(
    records: T[],
    orderBy: OrderBy[],
    valueOf: (r: T, path: string) => Literal
): T[] {
    return [...records].sort((x, y) => {
        for (const o of orderBy) {
            const a = valueOf(x, o.field);
            const b = valueOf(y, o.field);
            if (a === b) continue;
            if (a === null) return o.nullsLast ? 1 : -1;
            if (b === null) return o.nullsLast ? -1 : 1;
            const diff = compareValues(a, b);
            if (diff !== 0) return o.descending ? -diff : diff;
        }
        return 0;
    });
}

/**
 * The template language's parser: HTML-like markup an admin writes (a small, fixed set of tags)
 * interleaved with `{{ }}` merge tags, into one tree where tags and blocks must nest properly.
 * Everything here is about the template's own text; record data never passes through it, so a
 * value can never be read as markup. Problems carry a code, values and the offset they point at;
 * documentMerge turns them into Custom Label messages with a line and column.
 */

export type ProblemCode =
    | 'unclosedTag'
    | 'unexpectedClose'
    | 'unknownTag'
    | 'misplaced'
    | 'badMergeTag'
    | 'unclosedBlock'
    | 'unexpectedElse'
    | 'badFormatter'
    | 'badExpression'
    | 'badAttribute'
    | 'badLink'
    | 'badImage'
    | 'columnCount'
    | 'nestedEach'
    | 'totalOutsideEach'
    | 'pageNumberInBody'
    | 'notInMargin'
    | 'unknownField'
    | 'unknownRelationship';

export interface RawProblem {
    code: ProblemCode;
    /** Values for the message's `{0}`, `{1}`. */
    args: string[];
    offset: number;
}

export type Literal = string | number | boolean | null;

export type Expr =
    | { kind: 'path'; path: string; offset: number }
    | { kind: 'literal'; value: Literal }
    | { kind: 'not'; operand: Expr }
    | { kind: 'and' | 'or'; left: Expr; right: Expr }
    | { kind: 'compare'; op: CompareOp; left: Expr; right: Expr };

export type CompareOp = '==' | '!=' | '>' | '>=' | '<' | '<=';

export interface Formatter {
    name: FormatterName;
    args: Literal[];
}

export const FORMATTERS = [
    'date',
    'datetime',
    'number',
    'currency',
    'percent',
    'default',
    'upper',
    'lower'
] as const;
export type FormatterName = (typeof FORMATTERS)[number];

export interface SortKey {
    path: string;
    descending: boolean;
}

export interface EachNode {
    kind: 'each';
    relationship: string;
    sort: SortKey[];
    where: Expr | null;
    limit: number | null;
    children: TemplateNode[];
    offset: number;
}

/** `{{#total Amount}}` / `{{#count}}`: over the rows of the `{{#each}}` closed before it. */
export interface TotalNode {
    kind: 'total';
    aggregate: 'total' | 'count';
    path: string | null;
    formatters: Formatter[];
    offset: number;
    /** Set by the parser: the block whose rows it adds up. */
    each?: EachNode;
}

export type TemplateNode =
    | { kind: 'text'; text: string; offset: number }
    | {
          kind: 'element';
          tag: string;
          attrs: Record<string, string>;
          children: TemplateNode[];
          offset: number;
      }
    | { kind: 'field'; path: string; formatters: Formatter[]; offset: number }
    | EachNode
    | {
          kind: 'if';
          condition: Expr;
          then: TemplateNode[];
          otherwise: TemplateNode[];
          offset: number;
      }
    | TotalNode
    | { kind: 'image'; source: string; width: number | null; alt: string; offset: number }
    | { kind: 'pageNumber' | 'pageCount'; offset: number };

/** Rows an `{{#each}}` may ask for; Apex reads at most this many children per relationship. */
export const MAX_EACH_ROWS = 1000;

/** Tags an admin may write, by the content they hold. */
const INLINE_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'a', 'span']);
const VOID_TAGS = new Set(['br', 'pagebreak']);
const BLOCK_TAGS = new Set([
    'p',
    'div',
    'h1',
    'h2',
    'h3',
    'ul',
    'ol',
    'li',
    'table',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'td',
    'th'
]);
export const KNOWN_TAGS = new Set([...INLINE_TAGS, ...VOID_TAGS, ...BLOCK_TAGS]);

const IMAGE_SOURCE =
    /^(?:StaticResource:[A-Za-z][A-Za-z0-9_]{0,79}|(?:068|069)[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)$/;
const PATH = /^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*$/;
const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

export class TemplateSyntaxError extends Error {
    constructor(readonly problem: RawProblem) {
        super(problem.code);
    }
}

function fail(code: ProblemCode, offset: number, ...args: string[]): never {
    throw new TemplateSyntaxError({ code, args, offset });
}

// ───────────────────────────── Lexing the markup ─────────────────────────────

type MarkupToken =
    | { kind: 'text'; text: string; offset: number }
    | {
          kind: 'open';
          tag: string;
          attrs: Record<string, string>;
          selfClosing: boolean;
          offset: number;
      }
    | { kind: 'close'; tag: string; offset: number }
    | { kind: 'merge'; content: string; offset: number; contentOffset: number };

const ENTITIES: Record<string, string> = {
    amp: '&',
    lt: '<',
    gt: '>',
    quot: '"',
    apos: "'",
    nbsp: '\u00a0',
    mdash: '—',
    ndash: '–',
    euro: '€',
    copy: '©',
    reg: '®',
    hellip: '…'
};

/** `&amp;`, `&#233;`, `&#x20AC;` in the template's (or a rich text field's) own text. */
export function decodeEntities(text: string): string {
    return text.replace(
        /&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});/g,
        (whole, name: string) => {
            if (name.startsWith('#')) {
                const code =
                    name[1] === 'x' || name[1] === 'X'
                        ? parseInt(name.slice(2), 16)
                        : parseInt(name.slice(1), 10);
                return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
            }
            return ENTITIES[name.toLowerCase()] ?? whole;
        }
    );
}

function lexMarkup(source: string): MarkupToken[] {
    const tokens: MarkupToken[] = [];
    let text = '';
    let textStart = 0;
    const flush = () => {
        if (text !== '')
            tokens.push({ kind: 'text', text: decodeEntities(text), offset: textStart });
        text = '';
    };
    let i = 0;
    while (i < source.length) {
        if (source.startsWith('\\{{', i)) {
            // An escaped merge tag prints as typed.
            if (text === '') textStart = i;
            text += '{{';
            i += 3;
            continue;
        }
        if (source.startsWith('{{', i)) {
            flush();
            const end = source.indexOf('}}', i + 2);
            if (end < 0) fail('badMergeTag', i, source.slice(i, i + 20));
            tokens.push({
                kind: 'merge',
                content: source.slice(i + 2, end),
                offset: i,
                contentOffset: i + 2
            });
            i = end + 2;
            textStart = i;
            continue;
        }
        if (source.startsWith('<!--', i)) {
            flush();
            const end = source.indexOf('-->', i + 4);
            if (end < 0) fail('unclosedTag', i, '<!--');
            i = end + 3;
            textStart = i;
            continue;
        }
        const tagMatch =
            source[i] === '<'
                ? /^<(\/?)([a-zA-Z][a-zA-Z0-9]*)/.exec(source.slice(i, i + 40))
                : null;
        if (tagMatch) {
            flush();
            const closing = tagMatch[1] === '/';
            const tag = tagMatch[2]!.toLowerCase();
            let j = i + tagMatch[0].length;
            const attrs: Record<string, string> = {};
            let selfClosing = false;
            for (;;) {
                while (j < source.length && /\s/.test(source[j]!)) j++;
                if (j >= source.length) fail('unclosedTag', i, `<${tag}`);
                if (source[j] === '>') {
                    j++;
                    break;
                }
                if (source.startsWith('/>', j)) {
                    selfClosing = true;
                    j += 2;
                    break;
                }
                const attr =
                    /^([a-zA-Z][a-zA-Z0-9_-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>/]+)))?/.exec(
                        source.slice(j)
                    );
                if (!attr || closing) fail('badAttribute', j, `<${tag}`);
                attrs[attr[1]!.toLowerCase()] = decodeEntities(attr[2] ?? attr[3] ?? attr[4] ?? '');
                j += attr[0].length;
            }
            tokens.push(
                closing
                    ? { kind: 'close', tag, offset: i }
                    : { kind: 'open', tag, attrs, selfClosing, offset: i }
            );
            i = j;
            textStart = i;
            continue;
        }
        if (text === '') textStart = i;
        text += source[i];
        i++;
    }
    flush();
    return tokens;
}

// ───────────────────────────── Lexing inside {{ }} ─────────────────────────────

type MergeToken =
    | { kind: 'word'; value: string; offset: number }
    | { kind: 'string'; value: string; offset: number }
    | { kind: 'number'; value: number; offset: number }
    | { kind: 'op'; value: string; offset: number };

function lexMerge(content: string, base: number): MergeToken[] {
    const tokens: MergeToken[] = [];
    let i = 0;
    while (i < content.length) {
        const c = content[i]!;
        if (/\s/.test(c)) {
            i++;
            continue;
        }
        const rest = content.slice(i);
        const quote = c === '"' || c === "'" || c === '“' ? c : null;
        if (quote) {
            const close = quote === '“' ? '”' : quote;
            const end = content.indexOf(close, i + 1);
            if (end < 0) fail('badMergeTag', base + i, content.trim());
            tokens.push({ kind: 'string', value: content.slice(i + 1, end), offset: base + i });
            i = end + 1;
            continue;
        }
        const num = /^-?\d+(?:\.\d+)?/.exec(rest);
        if (num) {
            tokens.push({ kind: 'number', value: Number(num[0]), offset: base + i });
            i += num[0].length;
            continue;
        }
        const word = /^[#/]?[A-Za-z_][A-Za-z0-9_.]*/.exec(rest);
        if (word) {
            tokens.push({ kind: 'word', value: word[0], offset: base + i });
            i += word[0].length;
            continue;
        }
        const op = /^(==|!=|<>|>=|<=|>|<|=|\||\(|\)|!)/.exec(rest);
        if (op) {
            tokens.push({ kind: 'op', value: op[0] === '<>' ? '!=' : op[0], offset: base + i });
            i += op[0].length;
            continue;
        }
        fail('badMergeTag', base + i, content.trim());
    }
    return tokens;
}

/** A cursor over merge-tag tokens. */
class Cursor {
    index = 0;
    constructor(
        readonly tokens: MergeToken[],
        readonly endOffset: number,
        readonly text: string
    ) {}
    peek(): MergeToken | undefined {
        return this.tokens[this.index];
    }
    next(): MergeToken | undefined {
        return this.tokens[this.index++];
    }
    done(): boolean {
        return this.index >= this.tokens.length;
    }
    offset(): number {
        return this.peek()?.offset ?? this.endOffset;
    }
    isOp(value: string): boolean {
        const t = this.peek();
        return t?.kind === 'op' && t.value === value;
    }
    isWord(value: string): boolean {
        const t = this.peek();
        return t?.kind === 'word' && t.value.toLowerCase() === value;
    }
}

// ───────────────────────────── Expressions ─────────────────────────────

/** Parses a condition (`{{#if}}`, `where="…"`); `base` is the offset of its text in the template. */
export function parseExpression(text: string, base: number): Expr {
    const cursor = new Cursor(lexMerge(text, base), base + text.length, text);
    const expr = parseOr(cursor);
    if (!cursor.done()) fail('badExpression', cursor.offset(), text.trim());
    return expr;
}

function parseOr(c: Cursor): Expr {
    let left = parseAnd(c);
    while (c.isWord('or') || c.isOp('||')) {
        c.next();
        left = { kind: 'or', left, right: parseAnd(c) };
    }
    return left;
}

function parseAnd(c: Cursor): Expr {
    let left = parseUnary(c);
    while (c.isWord('and')) {
        c.next();
        left = { kind: 'and', left, right: parseUnary(c) };
    }
    return left;
}

function parseUnary(c: Cursor): Expr {
    if (c.isWord('not') || c.isOp('!')) {
        c.next();
        return { kind: 'not', operand: parseUnary(c) };
    }
    const left = parseOperand(c);
    const t = c.peek();
    if (t?.kind === 'op' && ['==', '!=', '>', '>=', '<', '<=', '='].includes(t.value)) {
        c.next();
        const op = (t.value === '=' ? '==' : t.value) as CompareOp;
        return { kind: 'compare', op, left, right: parseOperand(c) };
    }
    return left;
}

function parseOperand(c: Cursor): Expr {
    const t = c.next();
    if (!t) fail('badExpression', c.endOffset, c.text.trim());
    if (t.kind === 'op' && t.value === '(') {
        const inner = parseOr(c);
        if (!c.isOp(')')) fail('badExpression', c.offset(), c.text.trim());
        c.next();
        return inner;
    }
    if (t.kind === 'string' || t.kind === 'number') return { kind: 'literal', value: t.value };
    if (t.kind === 'word') {
        const lower = t.value.toLowerCase();
        if (lower === 'true' || lower === 'false')
            return { kind: 'literal', value: lower === 'true' };
        if (lower === 'null') return { kind: 'literal', value: null };
        if (PATH.test(t.value)) return { kind: 'path', path: t.value, offset: t.offset };
    }
    return fail('badExpression', t.offset, c.text.trim());
}

// ───────────────────────────── Merge tags ─────────────────────────────

type MergeTag =
    | { kind: 'node'; node: TemplateNode }
    | { kind: 'openEach'; node: Extract<TemplateNode, { kind: 'each' }> }
    | { kind: 'openIf'; node: Extract<TemplateNode, { kind: 'if' }> }
    | { kind: 'else'; offset: number }
    | { kind: 'close'; block: 'each' | 'if'; offset: number };

function parseFormatters(c: Cursor): Formatter[] {
    const formatters: Formatter[] = [];
    while (c.isOp('|')) {
        c.next();
        const name = c.next();
        if (name?.kind !== 'word' || !(FORMATTERS as readonly string[]).includes(name.value)) {
            fail(
                'badFormatter',
                name?.offset ?? c.endOffset,
                name && 'value' in name ? String(name.value) : '',
                FORMATTERS.join(', ')
            );
        }
        const args: Literal[] = [];
        while (!c.done() && !c.isOp('|')) {
            const arg = c.next()!;
            if (arg.kind === 'string' || arg.kind === 'number') args.push(arg.value);
            else fail('badFormatter', arg.offset, name.value, FORMATTERS.join(', '));
        }
        checkFormatterArgs(name.value as FormatterName, args, name.offset);
        formatters.push({ name: name.value as FormatterName, args });
    }
    return formatters;
}

const DATE_STYLES = ['short', 'medium', 'long', 'full', 'iso'];

function checkFormatterArgs(name: FormatterName, args: Literal[], offset: number): void {
    const bad = () => fail('badFormatter', offset, name, FORMATTERS.join(', '));
    if (args.length > 1) bad();
    const [arg] = args;
    if (arg === undefined) {
        if (name === 'default') bad();
        return;
    }
    switch (name) {
        case 'date':
        case 'datetime':
            if (typeof arg !== 'string' || !DATE_STYLES.includes(arg)) bad();
            break;
        case 'number':
        case 'percent':
            if (typeof arg !== 'number' || !Number.isInteger(arg) || arg < 0 || arg > 10) bad();
            break;
        case 'currency':
            if (typeof arg !== 'string' || !/^[A-Z]{3}$/.test(arg)) bad();
            break;
        case 'default':
            if (typeof arg !== 'string' && typeof arg !== 'number') bad();
            break;
        default:
            bad();
    }
}

function attributes(c: Cursor, allowed: string[], what: string): Record<string, Literal> {
    const attrs: Record<string, Literal> = {};
    while (!c.done()) {
        const key = c.next()!;
        if (key.kind !== 'word' || !allowed.includes(key.value) || !c.isOp('=')) {
            fail('badAttribute', key.offset, what);
        }
        c.next();
        const value = c.next();
        if (!value || (value.kind !== 'string' && value.kind !== 'number'))
            fail('badAttribute', key.offset, what);
        attrs[key.value] = value.value;
    }
    return attrs;
}

function parseSort(text: string, offset: number): SortKey[] {
    return text.split(',').map((part) => {
        const [path, direction, extra] = part.trim().split(/\s+/);
        const dir = (direction ?? 'asc').toLowerCase();
        if (!path || !PATH.test(path) || (dir !== 'asc' && dir !== 'desc') || extra) {
            fail('badAttribute', offset, '{{#each}} sort');
        }
        return { path, descending: dir === 'desc' };
    });
}

function parseMergeTag(content: string, offset: number, contentOffset: number): MergeTag {
    const c = new Cursor(lexMerge(content, contentOffset), contentOffset + content.length, content);
    const head = c.next();
    if (!head || head.kind !== 'word') fail('badMergeTag', offset, content.trim());
    const word = head.value;
    switch (word) {
        case '#each': {
            const rel = c.next();
            if (rel?.kind !== 'word' || !NAME.test(rel.value))
                fail('badMergeTag', offset, content.trim());
            const attrs = attributes(c, ['sort', 'where', 'limit'], '{{#each}}');
            const limit = attrs.limit ?? null;
            if (
                limit !== null &&
                (typeof limit !== 'number' ||
                    !Number.isInteger(limit) ||
                    limit < 1 ||
                    limit > MAX_EACH_ROWS)
            ) {
                fail('badAttribute', offset, '{{#each}} limit');
            }
            const whereText = attrs.where;
            const whereOffset = contentOffset + Math.max(0, content.indexOf('where'));
            const where =
                typeof whereText === 'string'
                    ? parseExpression(
                          whereText,
                          contentOffset + Math.max(0, content.indexOf(whereText))
                      )
                    : whereText === undefined
                      ? null
                      : fail('badAttribute', whereOffset, '{{#each}} where');
            const sort = typeof attrs.sort === 'string' ? parseSort(attrs.sort, offset) : [];
            return {
                kind: 'openEach',
                node: {
                    kind: 'each',
                    relationship: rel.value,
                    sort,
                    where,
                    limit: limit as number | null,
                    children: [],
                    offset
                }
            };
        }
        case '#if': {
            const rest = content.slice(head.offset - contentOffset + 3);
            if (rest.trim() === '') fail('badExpression', offset, content.trim());
            const condition = parseExpression(rest, head.offset + 3);
            return {
                kind: 'openIf',
                node: { kind: 'if', condition, then: [], otherwise: [], offset }
            };
        }
        case 'else':
            if (!c.done()) fail('badMergeTag', offset, content.trim());
            return { kind: 'else', offset };
        case '/each':
        case '/if':
            if (!c.done()) fail('badMergeTag', offset, content.trim());
            return { kind: 'close', block: word === '/each' ? 'each' : 'if', offset };
        case '#total':
        case '#count': {
            let path: string | null = null;
            if (word === '#total') {
                const field = c.next();
                if (field?.kind !== 'word' || !PATH.test(field.value))
                    fail('badMergeTag', offset, content.trim());
                path = field.value;
            }
            const formatters = parseFormatters(c);
            if (!c.done()) fail('badMergeTag', c.offset(), content.trim());
            return {
                kind: 'node',
                node: {
                    kind: 'total',
                    aggregate: word === '#total' ? 'total' : 'count',
                    path,
                    formatters,
                    offset
                }
            };
        }
        case 'image': {
            const source = c.next();
            if (source?.kind !== 'string' || !IMAGE_SOURCE.test(source.value)) {
                fail(
                    'badImage',
                    source?.offset ?? offset,
                    source?.kind === 'string' ? source.value : ''
                );
            }
            const attrs = attributes(c, ['width', 'alt'], '{{image}}');
            const width = attrs.width ?? null;
            if (width !== null && (typeof width !== 'number' || width <= 0 || width > 2000)) {
                fail('badAttribute', offset, '{{image}} width');
            }
            return {
                kind: 'node',
                node: {
                    kind: 'image',
                    source: source.value,
                    width: width as number | null,
                    alt: String(attrs.alt ?? ''),
                    offset
                }
            };
        }
        case 'pageNumber':
        case 'pageCount':
            if (!c.done()) fail('badMergeTag', offset, content.trim());
            return { kind: 'node', node: { kind: word, offset } };
        default: {
            if (word.startsWith('#') || word.startsWith('/') || !PATH.test(word))
                fail('badMergeTag', offset, content.trim());
            const formatters = parseFormatters(c);
            if (!c.done()) fail('badMergeTag', c.offset(), content.trim());
            return { kind: 'node', node: { kind: 'field', path: word, formatters, offset } };
        }
    }
}

// ───────────────────────────── The tree ─────────────────────────────

type Frame =
    | { kind: 'root'; children: TemplateNode[] }
    | {
          kind: 'element';
          node: Extract<TemplateNode, { kind: 'element' }>;
          children: TemplateNode[];
      }
    | { kind: 'each'; node: Extract<TemplateNode, { kind: 'each' }>; children: TemplateNode[] }
    | {
          kind: 'if';
          node: Extract<TemplateNode, { kind: 'if' }>;
          children: TemplateNode[];
          inElse: boolean;
      };

/** `<p>`, `<li>`, `<td>`, `<th>` close themselves when a sibling starts, as HTML does. */
const AUTO_CLOSE: Record<string, string[]> = {
    p: ['p', 'div', 'h1', 'h2', 'h3', 'ul', 'ol', 'table'],
    li: ['li'],
    td: ['td', 'th', 'tr'],
    th: ['td', 'th', 'tr'],
    tr: ['tr']
};

/** Builds the tree; throws TemplateSyntaxError at the first problem (one clear message beats ten). */
export function parseMarkup(source: string): TemplateNode[] {
    const root: Frame = { kind: 'root', children: [] };
    const stack: Frame[] = [root];
    const top = () => stack[stack.length - 1]!;
    const append = (node: TemplateNode) => top().children.push(node);
    let lastEach: EachNode | undefined;

    for (const token of lexMarkup(source)) {
        if (token.kind === 'text') {
            append({ kind: 'text', text: token.text, offset: token.offset });
        } else if (token.kind === 'open') {
            if (!KNOWN_TAGS.has(token.tag)) fail('unknownTag', token.offset, token.tag);
            const current = top();
            if (current.kind === 'element' && AUTO_CLOSE[current.node.tag]?.includes(token.tag)) {
                stack.pop();
            }
            if (token.attrs.href !== undefined && token.tag === 'a' && !isLink(token.attrs.href)) {
                fail('badLink', token.offset, token.attrs.href);
            }
            const node = {
                kind: 'element' as const,
                tag: token.tag,
                attrs: token.attrs,
                children: [] as TemplateNode[],
                offset: token.offset
            };
            append(node);
            if (!VOID_TAGS.has(token.tag) && !token.selfClosing) {
                stack.push({ kind: 'element', node, children: node.children });
            }
        } else if (token.kind === 'close') {
            if (VOID_TAGS.has(token.tag)) continue;
            let current = top();
            // An implicitly closed <p>/<li>/<td> may be followed by its parent's close tag.
            while (
                current.kind === 'element' &&
                current.node.tag !== token.tag &&
                AUTO_CLOSE[current.node.tag] &&
                stack.length > 1
            ) {
                const below = stack[stack.length - 2]!;
                if (
                    below.kind === 'element' &&
                    (below.node.tag === token.tag || AUTO_CLOSE[below.node.tag])
                ) {
                    stack.pop();
                    current = top();
                } else break;
            }
            if (current.kind === 'element' && current.node.tag === token.tag) {
                stack.pop();
            } else if (stack.some((f) => f.kind === 'element' && f.node.tag === token.tag)) {
                // Something opened inside it is still open: point at that, where the mistake is.
                if (current.kind === 'element')
                    fail('unclosedTag', current.node.offset, `<${current.node.tag}>`);
                fail(
                    'unclosedBlock',
                    current.kind === 'root' ? token.offset : current.node.offset,
                    current.kind === 'each' ? '{{#each}}' : '{{#if}}',
                    `</${token.tag}>`
                );
            } else if (current.kind === 'each' || current.kind === 'if') {
                fail(
                    'unclosedBlock',
                    current.node.offset,
                    current.kind === 'each' ? '{{#each}}' : '{{#if}}',
                    `</${token.tag}>`
                );
            } else {
                fail('unexpectedClose', token.offset, `</${token.tag}>`);
            }
        } else {
            const tag = parseMergeTag(token.content, token.offset, token.contentOffset);
            const current = top();
            if (tag.kind === 'node') {
                if (tag.node.kind === 'total') {
                    if (stack.some((f) => f.kind === 'each') || !lastEach) {
                        fail(
                            'totalOutsideEach',
                            tag.node.offset,
                            tag.node.aggregate === 'total' ? '{{#total}}' : '{{#count}}'
                        );
                    }
                    tag.node.each = lastEach;
                }
                append(tag.node);
            } else if (tag.kind === 'openEach') {
                if (stack.some((f) => f.kind === 'each')) fail('nestedEach', tag.node.offset);
                append(tag.node);
                stack.push({ kind: 'each', node: tag.node, children: tag.node.children });
            } else if (tag.kind === 'openIf') {
                append(tag.node);
                stack.push({ kind: 'if', node: tag.node, children: tag.node.then, inElse: false });
            } else if (tag.kind === 'else') {
                if (current.kind !== 'if' || current.inElse) fail('unexpectedElse', tag.offset);
                current.inElse = true;
                current.children = current.node.otherwise;
            } else {
                if (current.kind === 'element' && AUTO_CLOSE[current.node.tag]) {
                    // `<tr><td>…</td></tr>{{/each}}` written without the closing tags.
                    while (
                        top().kind === 'element' &&
                        AUTO_CLOSE[(top() as { node: { tag: string } }).node.tag]
                    )
                        stack.pop();
                }
                const open = top();
                if (open.kind === tag.block) {
                    stack.pop();
                    if (open.kind === 'each') lastEach = open.node;
                } else if (open.kind === 'element') {
                    fail('unclosedTag', open.node.offset, `<${open.node.tag}>`);
                } else {
                    fail('unexpectedClose', tag.offset, `{{/${tag.block}}}`);
                }
            }
        }
    }
    while (stack.length > 1) {
        const open = stack.pop()!;
        if (open.kind === 'element') {
            if (AUTO_CLOSE[open.node.tag]) continue;
            fail('unclosedTag', open.node.offset, `<${open.node.tag}>`);
        }
        if (open.kind === 'each' || open.kind === 'if') {
            fail(
                'unclosedBlock',
                open.node.offset,
                open.kind === 'each' ? '{{#each}}' : '{{#if}}',
                '{{/' + open.kind + '}}'
            );
        }
    }
    return root.children;
}

function isLink(href: string): boolean {
    return /^(https?:\/\/[^\s]+|mailto:[^\s]+)$/i.test(href.trim());
}

/**
 * Document templates merged with a record, in the user's browser: parse the template an admin
 * wrote (HTML-like markup plus `{{ }}` merge tags), check its fields against the describe, say
 * which fields and related lists to read, and merge the data the user may see into a
 * `DocumentDescription` (c/documentModel) for the relay to render as PDF.
 *
 * Everything merged from a record is text, never markup: the template is parsed once, before any
 * data is near it, and values only ever become text runs. A field the user cannot read (absent
 * from the data) prints empty and is listed as a warning; it never fails the document.
 * Pure TypeScript: no DOM, Node or Workers API, so it runs in the browser, in jest and in Node.
 */
import {
    DOCUMENT_LIMITS,
    DOCUMENT_MODEL_VERSION,
    type Block,
    type DocumentDescription,
    type ImageBlock,
    type ListBlock,
    type ListItem,
    type PageMarginBlock,
    type PageMarginRun,
    type PageSizeName,
    type TableBlock,
    type TableCell,
    type TableColumn,
    type TableRow,
    type TextAlign,
    type TextRun
} from 'c/documentModel';
import { formatLabel } from 'c/userMessages';
import labelProblemAt from '@salesforce/label/c.Resident_Doc_ProblemAt';
import labelPartBody from '@salesforce/label/c.Resident_Doc_PartBody';
import labelPartHeader from '@salesforce/label/c.Resident_Doc_PartHeader';
import labelPartFooter from '@salesforce/label/c.Resident_Doc_PartFooter';
import labelUnclosedTag from '@salesforce/label/c.Resident_Doc_UnclosedTag';
import labelUnexpectedClose from '@salesforce/label/c.Resident_Doc_UnexpectedClose';
import labelUnknownTag from '@salesforce/label/c.Resident_Doc_UnknownTag';
import labelMisplaced from '@salesforce/label/c.Resident_Doc_Misplaced';
import labelBadMergeTag from '@salesforce/label/c.Resident_Doc_BadMergeTag';
import labelUnclosedBlock from '@salesforce/label/c.Resident_Doc_UnclosedBlock';
import labelUnexpectedElse from '@salesforce/label/c.Resident_Doc_UnexpectedElse';
import labelBadFormatter from '@salesforce/label/c.Resident_Doc_BadFormatter';
import labelBadExpression from '@salesforce/label/c.Resident_Doc_BadExpression';
import labelBadAttribute from '@salesforce/label/c.Resident_Doc_BadAttribute';
import labelBadLink from '@salesforce/label/c.Resident_Doc_BadLink';
import labelBadImage from '@salesforce/label/c.Resident_Doc_BadImage';
import labelColumnCount from '@salesforce/label/c.Resident_Doc_ColumnCount';
import labelNestedEach from '@salesforce/label/c.Resident_Doc_NestedEach';
import labelTotalOutsideEach from '@salesforce/label/c.Resident_Doc_TotalOutsideEach';
import labelPageNumberInBody from '@salesforce/label/c.Resident_Doc_PageNumberInBody';
import labelNotInMargin from '@salesforce/label/c.Resident_Doc_NotInMargin';
import labelUnknownField from '@salesforce/label/c.Resident_Doc_UnknownField';
import labelUnknownRelationship from '@salesforce/label/c.Resident_Doc_UnknownRelationship';
import labelWarningUnreadable from '@salesforce/label/c.Resident_Doc_WarningUnreadable';
import labelWarningImage from '@salesforce/label/c.Resident_Doc_WarningImage';
import labelWarningTruncated from '@salesforce/label/c.Resident_Doc_WarningTruncated';
import labelWarningMixedCurrency from '@salesforce/label/c.Resident_Doc_WarningMixedCurrency';
import labelWarningTooManyImages from '@salesforce/label/c.Resident_Doc_WarningTooManyImages';
import labelYes from '@salesforce/label/c.Resident_Doc_Yes';
import labelNo from '@salesforce/label/c.Resident_Doc_No';
import {
    compareValues,
    fieldKind,
    formatValue,
    isEmpty,
    isTruthy,
    type FieldKind,
    type FormatContext
} from './mergeFormat';
import { richTextRuns } from './richText';
import {
    parseMarkup,
    TemplateSyntaxError,
    type EachNode,
    type Expr,
    type Formatter,
    type ProblemCode,
    type RawProblem,
    type TemplateNode,
    type TotalNode
} from './templateParser';

export type { FieldKind } from './mergeFormat';
export { MAX_EACH_ROWS } from './templateParser';

// ───────────────────────────── The Apex answers (DocumentTemplateController & co.) ─────────────────────────────

/** `DocumentTemplateController.getTemplate` → one template, as documentMerge takes it. */
export interface DocumentTemplate {
    id: string;
    name: string;
    /** API name of the object it is for, e.g. `Account`. */
    baseObject: string;
    body: string;
    header: string | null;
    footer: string | null;
    pageSize: PageSizeName;
    orientation: 'portrait' | 'landscape';
    /** Points from each paper edge. */
    margins: { top: number; right: number; bottom: number; left: number };
    active: boolean;
    version: number;
}

/** `DocumentTemplateController.listTemplates` → one row of the picker. */
export interface DocumentTemplateSummary {
    id: string;
    name: string;
    baseObject: string;
    version: number;
    lastModified: string;
}

/** A related list `DocumentRecordController.readRecordData` reads (from `fieldsUsed`). */
export interface ChildListRequest {
    relationship: string;
    fields: string[];
    /** The order to read rows in (Apex checks the fields again). `sort` is reserved in Apex. */
    sortBy: { path: string; descending: boolean }[];
    /** Rows to read (Apex caps it at MAX_EACH_ROWS). `limit` is reserved in Apex. */
    limitRows: number;
}

/** `DocumentRecordController.readRecordData` → the record as the user may see it. */
export interface DocumentRecordData {
    /**
     * The record's readable fields by API name; parents nested (`{ Owner: { Name: 'Ada' } }`, null
     * when the lookup is empty); each related list an array of rows under its relationship name.
     */
    record: MergeRecord;
    /** Requested paths the user cannot read (left out of `record`, so they print empty). */
    unreadableFields: string[];
    /** Related lists that had more rows than were read. */
    truncatedRelationships: string[];
}

/** `DocumentFileController.saveDocument` → the saved File. */
export interface SavedDocument {
    contentVersionId: string;
    contentDocumentId: string;
    /** The activity log entry recording the generation. */
    activityId: string;
}

export type MergeRecord = { [field: string]: unknown };

// ───────────────────────────── Parsing and checking ─────────────────────────────

export type TemplatePart = 'body' | 'header' | 'footer';

export interface TemplateProblem {
    part: TemplatePart;
    /** 1-based, in that part's text. */
    line: number;
    column: number;
    code: ProblemCode;
    /** The sentence to show, with where it is (from Custom Labels). */
    message: string;
}

export interface ParsedTemplate {
    source: DocumentTemplate;
    body: TemplateNode[];
    header: TemplateNode[];
    footer: TemplateNode[];
    /** Field kinds from the describe (`checkTemplate`); without it values print as text. */
    schema?: TemplateSchema;
}

/**
 * Kinds keyed by `relationship|path` (lower case; relationship empty for the base object);
 * `unknown` for what the user's describe does not show (`relationship|` for a related list).
 */
export type TemplateSchema = Record<string, FieldKind | 'unknown'>;

export interface PrepareOptions {
    /**
     * Generating, not editing: the describe is the generating user's, and a field or related
     * list it does not show (hidden by FLS from this user) is not an error but prints empty with
     * a warning; `fieldsUsed` leaves it out so it is never requested. The editor (an admin
     * writing the template) leaves this off, so typos are errors.
     */
    forGeneration?: boolean;
}

export interface ParseResult {
    /** Null when there are problems: a template with errors is never merged. */
    template: ParsedTemplate | null;
    problems: TemplateProblem[];
    /** With `forGeneration`: fields and related lists the user cannot see (they print empty). */
    unseen?: TemplateProblem[];
}

const PROBLEM_LABELS: Record<ProblemCode, string> = {
    unclosedTag: labelUnclosedTag,
    unexpectedClose: labelUnexpectedClose,
    unknownTag: labelUnknownTag,
    misplaced: labelMisplaced,
    badMergeTag: labelBadMergeTag,
    unclosedBlock: labelUnclosedBlock,
    unexpectedElse: labelUnexpectedElse,
    badFormatter: labelBadFormatter,
    badExpression: labelBadExpression,
    badAttribute: labelBadAttribute,
    badLink: labelBadLink,
    badImage: labelBadImage,
    columnCount: labelColumnCount,
    nestedEach: labelNestedEach,
    totalOutsideEach: labelTotalOutsideEach,
    pageNumberInBody: labelPageNumberInBody,
    notInMargin: labelNotInMargin,
    unknownField: labelUnknownField,
    unknownRelationship: labelUnknownRelationship
};

const PART_LABELS: Record<TemplatePart, string> = {
    body: labelPartBody,
    header: labelPartHeader,
    footer: labelPartFooter
};

/**
 * The 1-based line and column of an offset in a part's text: how problems are reported, and how
 * the template editor shows its cursor (so both count the same way).
 */
export function positionAt(text: string, offset: number): { line: number; column: number } {
    const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
    const lines = before.split('\n');
    return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

function toProblem(part: TemplatePart, text: string, raw: RawProblem): TemplateProblem {
    const { line, column } = positionAt(text, raw.offset);
    const detail = formatLabel(PROBLEM_LABELS[raw.code], ...raw.args);
    return {
        part,
        line,
        column,
        code: raw.code,
        message: formatLabel(labelProblemAt, PART_LABELS[part], line, column, detail)
    };
}

const PARTS: TemplatePart[] = ['body', 'header', 'footer'];

function partText(source: DocumentTemplate, part: TemplatePart): string {
    return (part === 'body' ? source.body : source[part]) ?? '';
}

/**
 * The template's syntax and structure, without the describe: fast enough to run on every
 * keystroke of the editor. Each part reports its first problem with its line and column.
 */
export function parseTemplate(source: DocumentTemplate): ParseResult {
    const problems: TemplateProblem[] = [];
    const trees: Record<TemplatePart, TemplateNode[]> = { body: [], header: [], footer: [] };
    for (const part of PARTS) {
        const text = partText(source, part);
        try {
            trees[part] = parseMarkup(text);
            for (const raw of checkStructure(trees[part], part))
                problems.push(toProblem(part, text, raw));
        } catch (err) {
            if (!(err instanceof TemplateSyntaxError)) throw err;
            problems.push(toProblem(part, text, err.problem));
        }
    }
    return {
        template: problems.length === 0 ? { source, ...trees } : null,
        problems
    };
}

// What each element may hold. `each` and `if` are transparent: their content must fit where they are.
type Content = 'flow' | 'inline' | 'list' | 'table' | 'section' | 'row' | 'li';
const CONTENT_OF: Record<string, Content> = {
    p: 'flow',
    div: 'flow',
    h1: 'inline',
    h2: 'inline',
    h3: 'inline',
    b: 'inline',
    strong: 'inline',
    i: 'inline',
    em: 'inline',
    u: 'inline',
    a: 'inline',
    span: 'inline',
    ul: 'list',
    ol: 'list',
    li: 'li',
    table: 'table',
    thead: 'section',
    tbody: 'section',
    tfoot: 'section',
    tr: 'row',
    td: 'inline',
    th: 'inline'
};
const INLINE_ELEMENTS = new Set(['b', 'strong', 'i', 'em', 'u', 'a', 'span', 'br']);
const BLOCK_ELEMENTS = new Set(['p', 'div', 'h1', 'h2', 'h3', 'ul', 'ol', 'table', 'pagebreak']);
const MARGIN_FORBIDDEN = new Set(['h1', 'h2', 'h3', 'ul', 'ol', 'pagebreak']);

function allowedIn(content: Content, node: TemplateNode): boolean {
    if (node.kind === 'each' || node.kind === 'if') return true;
    if (node.kind === 'text') {
        return (
            content === 'flow' ||
            content === 'inline' ||
            content === 'li' ||
            node.text.trim() === ''
        );
    }
    if (node.kind === 'image') return content === 'flow';
    if (node.kind !== 'element')
        return content === 'flow' || content === 'inline' || content === 'li';
    const tag = node.tag;
    switch (content) {
        case 'flow':
            return INLINE_ELEMENTS.has(tag) || BLOCK_ELEMENTS.has(tag);
        case 'inline':
            return INLINE_ELEMENTS.has(tag);
        case 'li':
            return INLINE_ELEMENTS.has(tag) || tag === 'ul' || tag === 'ol';
        case 'list':
            return tag === 'li';
        case 'table':
            return tag === 'thead' || tag === 'tbody' || tag === 'tfoot' || tag === 'tr';
        case 'section':
            return tag === 'tr';
        case 'row':
            return tag === 'td' || tag === 'th';
        default:
            return false;
    }
}

function describeNode(node: TemplateNode): string {
    switch (node.kind) {
        case 'element':
            return `<${node.tag}>`;
        case 'text':
            return `“${node.text.trim().slice(0, 30)}”`;
        case 'field':
            return `{{${node.path}}}`;
        case 'image':
            return '{{image}}';
        case 'total':
            return node.aggregate === 'total' ? '{{#total}}' : '{{#count}}';
        default:
            return `{{${node.kind}}}`;
    }
}

function checkStructure(nodes: TemplateNode[], part: TemplatePart): RawProblem[] {
    const problems: RawProblem[] = [];
    const visit = (list: TemplateNode[], content: Content, container: string, inRow: boolean) => {
        for (const node of list) {
            if (!allowedIn(content, node)) {
                problems.push({
                    code: 'misplaced',
                    args: [describeNode(node), container],
                    offset: node.offset
                });
                continue;
            }
            if ((node.kind === 'pageNumber' || node.kind === 'pageCount') && part === 'body') {
                problems.push({ code: 'pageNumberInBody', args: [], offset: node.offset });
            }
            if (node.kind === 'each' || node.kind === 'if') {
                if (inRow) {
                    // A row's cells are the table's columns: they cannot come and go.
                    problems.push({
                        code: 'misplaced',
                        args: [describeNode(node), '<tr>'],
                        offset: node.offset
                    });
                    continue;
                }
                visit(node.kind === 'each' ? node.children : node.then, content, container, inRow);
                if (node.kind === 'if') visit(node.otherwise, content, container, inRow);
            } else if (node.kind === 'element') {
                if (part !== 'body' && MARGIN_FORBIDDEN.has(node.tag)) {
                    problems.push({
                        code: 'notInMargin',
                        args: [`<${node.tag}>`],
                        offset: node.offset
                    });
                    continue;
                }
                if (node.tag === 'table') checkColumns(node, problems);
                const inner = CONTENT_OF[node.tag];
                if (inner) visit(node.children, inner, `<${node.tag}>`, inner === 'row');
            }
        }
    };
    visit(nodes, 'flow', PART_LABELS[part], false);
    return problems;
}

function rowsOf(nodes: TemplateNode[]): Extract<TemplateNode, { kind: 'element' }>[] {
    const rows: Extract<TemplateNode, { kind: 'element' }>[] = [];
    for (const node of nodes) {
        if (node.kind === 'element' && node.tag === 'tr') rows.push(node);
        else if (node.kind === 'element' && ['thead', 'tbody', 'tfoot'].includes(node.tag))
            rows.push(...rowsOf(node.children));
        else if (node.kind === 'each') rows.push(...rowsOf(node.children));
        else if (node.kind === 'if') rows.push(...rowsOf(node.then), ...rowsOf(node.otherwise));
    }
    return rows;
}

function cellsOf(
    row: Extract<TemplateNode, { kind: 'element' }>
): Extract<TemplateNode, { kind: 'element' }>[] {
    return row.children.filter(
        (c): c is Extract<TemplateNode, { kind: 'element' }> =>
            c.kind === 'element' && (c.tag === 'td' || c.tag === 'th')
    );
}

function checkColumns(
    table: Extract<TemplateNode, { kind: 'element' }>,
    problems: RawProblem[]
): void {
    const rows = rowsOf(table.children);
    const first = rows[0] ? cellsOf(rows[0]).length : 0;
    if (first > DOCUMENT_LIMITS.maxTableColumns) {
        problems.push({
            code: 'columnCount',
            args: [String(first), String(DOCUMENT_LIMITS.maxTableColumns)],
            offset: rows[0]!.offset
        });
        return;
    }
    for (const row of rows) {
        const count = cellsOf(row).length;
        if (count !== first || count === 0) {
            problems.push({
                code: 'columnCount',
                args: [String(count), String(first)],
                offset: row.offset
            });
        }
    }
}

// ───────────────────────────── Fields used ─────────────────────────────

export interface FieldsUsed {
    /** Paths on the base object, e.g. `Name`, `Owner.Name`, `Account.BillingCity`. */
    fields: string[];
    /** Related lists and the fields of their rows. */
    children: ChildListRequest[];
    /** Image sources (`StaticResource:Logo`, File IDs) the loader will be asked for. */
    images: string[];
}

function exprPaths(expr: Expr | null, out: string[]): void {
    if (!expr) return;
    if (expr.kind === 'path') out.push(expr.path);
    else if (expr.kind === 'not') exprPaths(expr.operand, out);
    else if (expr.kind === 'and' || expr.kind === 'or' || expr.kind === 'compare') {
        exprPaths(expr.left, out);
        exprPaths(expr.right, out);
    }
}

interface PathVisitor {
    field(path: string, relationship: string | null, offset: number): void;
    relationship(each: EachNode): void;
    image(source: string): void;
}

function visitPaths(
    nodes: TemplateNode[],
    relationship: string | null,
    visitor: PathVisitor
): void {
    for (const node of nodes) {
        switch (node.kind) {
            case 'field':
                visitor.field(node.path, relationship, node.offset);
                break;
            case 'total':
                if (node.path && node.each)
                    visitor.field(node.path, node.each.relationship, node.offset);
                break;
            case 'image':
                visitor.image(node.source);
                break;
            case 'element':
                visitPaths(node.children, relationship, visitor);
                break;
            case 'if': {
                const paths: string[] = [];
                exprPaths(node.condition, paths);
                for (const p of paths) visitor.field(p, relationship, node.offset);
                visitPaths(node.then, relationship, visitor);
                visitPaths(node.otherwise, relationship, visitor);
                break;
            }
            case 'each': {
                visitor.relationship(node);
                const paths: string[] = [];
                exprPaths(node.where, paths);
                for (const p of [...paths, ...node.sort.map((s) => s.path)])
                    visitor.field(p, node.relationship, node.offset);
                visitPaths(node.children, node.relationship, visitor);
                break;
            }
            default:
                break;
        }
    }
}

/** Rows an `{{#each}}` without a limit shows; and what is read when the list is filtered here. */
const MAX_ROWS_DEFAULT = 200;
const MAX_ROWS_READ = 1000;

/** What to read for this template: the caller reads exactly these (LDS or DocumentRecordController). */
export function fieldsUsed(template: ParsedTemplate): FieldsUsed {
    const fields = new Map<string, string>();
    const children = new Map<string, ChildListRequest & { seen: Map<string, string> }>();
    const images = new Set<string>();
    const add = (map: Map<string, string>, path: string) => {
        if (!map.has(path.toLowerCase())) map.set(path.toLowerCase(), path);
    };
    for (const part of PARTS) {
        visitPaths(template[part], null, {
            field(path, relationship) {
                const key = `${(relationship ?? '').toLowerCase()}|${path.toLowerCase()}`;
                if (template.schema?.[key] === 'unknown') return;
                if (relationship === null) add(fields, path);
                else {
                    const child = children.get(relationship.toLowerCase());
                    if (child) add(child.seen, path);
                }
            },
            relationship(each) {
                const key = each.relationship.toLowerCase();
                if (template.schema?.[`${key}|`] === 'unknown') return;
                const existing = children.get(key);
                const limit = each.limit ?? MAX_ROWS_DEFAULT;
                if (existing) {
                    existing.limitRows = Math.max(
                        existing.limitRows,
                        each.where ? MAX_ROWS_READ : limit
                    );
                } else {
                    children.set(key, {
                        relationship: each.relationship,
                        fields: [],
                        seen: new Map(),
                        sortBy: each.sort.map((s) => ({ path: s.path, descending: s.descending })),
                        // A filter runs here, after reading: read enough rows to fill the limit.
                        limitRows: each.where ? MAX_ROWS_READ : limit
                    });
                }
            },
            image(source) {
                images.add(source);
            }
        });
    }
    return {
        fields: [...fields.values()],
        children: [...children.values()].map(({ seen, ...child }) => ({
            ...child,
            fields: [...seen.values()]
        })),
        images: [...images]
    };
}

// ───────────────────────────── Checking against the describe ─────────────────────────────

/** The subset of UI API ObjectInfo (getObjectInfo) the check reads. */
export interface ObjectDescribe {
    apiName: string;
    fields: Record<
        string,
        {
            apiName: string;
            dataType: string;
            htmlFormatted?: boolean;
            relationshipName?: string | null;
            referenceToInfos?: { apiName: string }[];
        }
    >;
    childRelationships: { relationshipName: string | null; childObjectApiName: string }[];
}

/** Returns the describe of an object the user can read, or undefined/rejects when there is none. */
export type DescribeLoader = (objectApiName: string) => Promise<ObjectDescribe | undefined>;

/**
 * Parses and checks every merge field and related list against the describe (the user's: a field
 * they cannot see is unknown to them too). Problems point at the line and column of the merge tag.
 * On success the template carries the field kinds the merge formats by.
 */
export async function prepareTemplate(
    source: DocumentTemplate,
    loadDescribe: DescribeLoader,
    options: PrepareOptions = {}
): Promise<ParseResult> {
    const parsed = parseTemplate(source);
    if (!parsed.template) return parsed;
    const template = parsed.template;
    const cache = new Map<string, Promise<ObjectDescribe | undefined>>();
    const describe = (name: string) => {
        const key = name.toLowerCase();
        if (!cache.has(key))
            cache.set(
                key,
                loadDescribe(name).catch(() => undefined)
            );
        return cache.get(key)!;
    };
    const schema: TemplateSchema = {};
    const base = await describe(source.baseObject);
    // Each part is checked on its own; its problems keep their order, body first.
    const perPart = await Promise.all(
        PARTS.map(async (part) => {
            const problems: TemplateProblem[] = [];
            const unseen: TemplateProblem[] = [];
            const text = partText(source, part);
            const checks: { path: string; relationship: string | null; offset: number }[] = [];
            const eaches: EachNode[] = [];
            visitPaths(template[part], null, {
                field: (path, relationship, offset) => checks.push({ path, relationship, offset }),
                relationship: (each) => eaches.push(each),
                image: () => undefined
            });
            const childObjects = new Map<string, string | null>();
            for (const each of eaches) {
                const rel = base?.childRelationships.find(
                    (r) => r.relationshipName?.toLowerCase() === each.relationship.toLowerCase()
                );
                childObjects.set(each.relationship.toLowerCase(), rel?.childObjectApiName ?? null);
                if (!rel) {
                    (options.forGeneration ? unseen : problems).push(
                        toProblem(part, text, {
                            code: 'unknownRelationship',
                            args: [source.baseObject, each.relationship],
                            offset: each.offset
                        })
                    );
                    schema[`${each.relationship.toLowerCase()}|`] = 'unknown';
                }
            }
            const resolutions = await Promise.all(
                checks.map((check) => {
                    const objectName =
                        check.relationship === null
                            ? source.baseObject
                            : childObjects.get(check.relationship.toLowerCase());
                    // A field of an unknown related list: the list is reported already.
                    return objectName ? resolvePath(objectName, check.path, describe) : null;
                })
            );
            for (const [index, check] of checks.entries()) {
                const resolved = resolutions[index];
                if (!resolved) continue;
                if ('missingOn' in resolved) {
                    schema[
                        `${(check.relationship ?? '').toLowerCase()}|${check.path.toLowerCase()}`
                    ] = 'unknown';
                    (options.forGeneration ? unseen : problems).push(
                        toProblem(part, text, {
                            code: 'unknownField',
                            args: [resolved.missingOn, check.path],
                            offset: check.offset
                        })
                    );
                } else {
                    schema[
                        `${(check.relationship ?? '').toLowerCase()}|${check.path.toLowerCase()}`
                    ] = resolved.kind;
                }
            }
            return { problems, unseen };
        })
    );
    const problems = perPart.flatMap((p) => p.problems);
    const unseen = perPart.flatMap((p) => p.unseen);
    return problems.length
        ? { template: null, problems }
        : { template: { ...template, schema }, problems, unseen };
}

/** The field's kind, or the name of the object that has no such field. */
async function resolvePath(
    objectName: string,
    path: string,
    describe: (name: string) => Promise<ObjectDescribe | undefined>
): Promise<{ kind: FieldKind } | { missingOn: string }> {
    const segments = path.split('.');
    let current = objectName;
    for (let i = 0; i < segments.length; i++) {
        // Each hop's object comes from the previous hop: one after the other (cached).
        // eslint-disable-next-line no-await-in-loop
        const info = await describe(current);
        if (!info) return { missingOn: current };
        const segment = segments[i]!.toLowerCase();
        const fields = Object.values(info.fields);
        if (i === segments.length - 1) {
            const field = fields.find((f) => f.apiName.toLowerCase() === segment);
            return field
                ? { kind: fieldKind(field.dataType, field.htmlFormatted) }
                : { missingOn: info.apiName };
        }
        const reference = fields.find((f) => f.relationshipName?.toLowerCase() === segment);
        const target = reference?.referenceToInfos?.[0]?.apiName;
        if (!target) return { missingOn: info.apiName };
        current = target;
    }
    return { missingOn: objectName };
}

// ───────────────────────────── Merging ─────────────────────────────

export interface LoadedImage {
    format: 'png' | 'jpeg';
    /** base64, no `data:` prefix. */
    data: string;
    /** The image's size in pixels, as the browser measured it. */
    width: number;
    height: number;
}

export interface MergeOptions {
    /** BCP 47 locale of the user, e.g. `de-DE` (Intl formats dates, numbers and currency by it). */
    locale: string;
    /** The user's IANA time zone for date-times. */
    timeZone?: string;
    /** The org's (or user's) currency, used when the record has no `CurrencyIsoCode`. */
    defaultCurrencyIsoCode: string;
    /** Loads `StaticResource:Name` or a File ID; a failure leaves the image out with a warning. */
    loadImage?: (source: string) => Promise<LoadedImage>;
    /** Document metadata: the title (also the file name), author, and creation time (default now). */
    title: string;
    author?: string;
    created?: Date;
    baseFontSize?: number;
}

export type MergeWarningCode =
    | 'unreadableField'
    | 'imageNotLoaded'
    | 'truncatedList'
    | 'mixedCurrencies'
    | 'tooManyImages';

export interface MergeWarning {
    code: MergeWarningCode;
    /** The field path, relationship or image source concerned. */
    subject: string;
    message: string;
}

export interface MergeResult {
    document: DocumentDescription;
    warnings: MergeWarning[];
}

type Run = TextRun | PageMarginRun;

interface Style {
    bold?: boolean;
    italic?: boolean;
    underline?: boolean;
    link?: string;
}

interface Scope {
    record: MergeRecord;
    relationship: string | null;
}

class WarningList {
    readonly list: MergeWarning[] = [];
    private readonly seen = new Set<string>();
    add(code: MergeWarningCode, subject: string, message: string): void {
        const key = `${code}|${subject}`;
        if (this.seen.has(key)) return;
        this.seen.add(key);
        this.list.push({ code, subject, message });
    }
}

/** A record's value at a path; `absent` when the data leaves it out (the user cannot read it). */
function lookup(record: MergeRecord, path: string): { value: unknown; absent: boolean } {
    let current: unknown = record;
    for (const segment of path.split('.')) {
        if (current === null || current === undefined) return { value: null, absent: false };
        if (typeof current !== 'object' || Array.isArray(current))
            return { value: null, absent: true };
        const obj = current as MergeRecord;
        const key =
            segment in obj
                ? segment
                : Object.keys(obj).find((k) => k.toLowerCase() === segment.toLowerCase());
        if (key === undefined) return { value: null, absent: true };
        current = obj[key];
    }
    return { value: current, absent: false };
}

class Merger {
    readonly warnings = new WarningList();
    imagesUsed = 0;
    constructor(
        readonly template: ParsedTemplate,
        readonly data: DocumentRecordData,
        readonly options: MergeOptions,
        readonly images: Map<string, LoadedImage | null>
    ) {}

    kind(scope: Scope, path: string): FieldKind {
        const kind =
            this.template.schema?.[
                `${(scope.relationship ?? '').toLowerCase()}|${path.toLowerCase()}`
            ] ?? 'other';
        return kind === 'unknown' ? 'other' : kind;
    }

    value(scope: Scope, path: string): unknown {
        const { value, absent } = lookup(scope.record, path);
        if (absent) {
            const subject = scope.relationship ? `${scope.relationship}.${path}` : path;
            this.warnings.add(
                'unreadableField',
                subject,
                formatLabel(labelWarningUnreadable, subject)
            );
        }
        return value;
    }

    formatContext(record: MergeRecord): FormatContext {
        const code = lookup(record, 'CurrencyIsoCode').value;
        return {
            locale: this.options.locale,
            timeZone: this.options.timeZone,
            currencyIsoCode:
                typeof code === 'string' && /^[A-Z]{3}$/.test(code)
                    ? code
                    : this.options.defaultCurrencyIsoCode,
            yes: labelYes,
            no: labelNo
        };
    }

    evaluate(expr: Expr, scope: Scope): unknown {
        switch (expr.kind) {
            case 'literal':
                return expr.value;
            case 'path':
                return this.value(scope, expr.path);
            case 'not':
                return !isTruthy(this.evaluate(expr.operand, scope));
            case 'and':
                return (
                    isTruthy(this.evaluate(expr.left, scope)) &&
                    isTruthy(this.evaluate(expr.right, scope))
                );
            case 'or':
                return (
                    isTruthy(this.evaluate(expr.left, scope)) ||
                    isTruthy(this.evaluate(expr.right, scope))
                );
            case 'compare': {
                const left = this.evaluate(expr.left, scope);
                const right = this.evaluate(expr.right, scope);
                if (expr.op === '==' || expr.op === '!=') {
                    const equal =
                        isEmpty(left) || isEmpty(right)
                            ? isEmpty(left) && isEmpty(right)
                            : compareValues(left, right) === 0;
                    return expr.op === '==' ? equal : !equal;
                }
                const order = compareValues(left, right);
                if (order === null) return false;
                return expr.op === '>'
                    ? order > 0
                    : expr.op === '>='
                      ? order >= 0
                      : expr.op === '<'
                        ? order < 0
                        : order <= 0;
            }
            default:
                return null;
        }
    }

    /** The rows an `{{#each}}` shows: the related list, filtered, sorted and limited here. */
    rows(each: EachNode): MergeRecord[] {
        const { value, absent } = lookup(this.data.record, each.relationship);
        if (absent) {
            this.warnings.add(
                'unreadableField',
                each.relationship,
                formatLabel(labelWarningUnreadable, each.relationship)
            );
            return [];
        }
        if (
            this.data.truncatedRelationships.some(
                (r) => r.toLowerCase() === each.relationship.toLowerCase()
            )
        ) {
            const count = Array.isArray(value) ? value.length : 0;
            this.warnings.add(
                'truncatedList',
                each.relationship,
                formatLabel(labelWarningTruncated, each.relationship, count)
            );
        }
        let rows = (Array.isArray(value) ? value : []).filter(
            (r): r is MergeRecord => typeof r === 'object' && r !== null
        );
        const rowScope = (record: MergeRecord): Scope => ({
            record,
            relationship: each.relationship
        });
        if (each.where)
            rows = rows.filter((r) => isTruthy(this.evaluate(each.where!, rowScope(r))));
        if (each.sort.length) {
            rows = [...rows].sort((a, b) => {
                for (const key of each.sort) {
                    const x = this.value(rowScope(a), key.path);
                    const y = this.value(rowScope(b), key.path);
                    // Empty values last, whichever the direction, as Salesforce's NULLS LAST.
                    if (isEmpty(x) !== isEmpty(y)) return isEmpty(x) ? 1 : -1;
                    const order = compareValues(x, y) ?? 0;
                    if (order !== 0) return key.descending ? -order : order;
                }
                return 0;
            });
        }
        return rows.slice(0, each.limit ?? MAX_ROWS_DEFAULT);
    }

    fieldRuns(scope: Scope, path: string, formatters: Formatter[], style: Style): Run[] {
        const value = this.value(scope, path);
        const kind = this.kind(scope, path);
        if (kind === 'richText' && formatters.length === 0 && typeof value === 'string') {
            return richTextRuns(value, style);
        }
        const text = formatValue(value, kind, formatters, this.formatContext(scope.record));
        return text === '' ? [] : [styled(text, style)];
    }

    totalRuns(node: TotalNode, scope: Scope, style: Style): Run[] {
        const rows = node.each ? this.rows(node.each) : [];
        if (node.aggregate === 'count') {
            return [
                styled(
                    formatValue(
                        rows.length,
                        'number',
                        node.formatters,
                        this.formatContext(scope.record)
                    ),
                    style
                )
            ];
        }
        const rowScope = (record: MergeRecord): Scope => ({
            record,
            relationship: node.each!.relationship
        });
        let sum = 0;
        const currencies = new Set<string>();
        for (const row of rows) {
            const n = Number(this.value(rowScope(row), node.path!));
            if (Number.isFinite(n)) sum += n;
            currencies.add(this.formatContext(row).currencyIsoCode);
        }
        const kind = this.kind(rowScope({}), node.path!);
        if (
            currencies.size > 1 &&
            (kind === 'currency' || node.formatters.some((f) => f.name === 'currency'))
        ) {
            const subject = `${node.each!.relationship}.${node.path}`;
            this.warnings.add(
                'mixedCurrencies',
                subject,
                formatLabel(labelWarningMixedCurrency, subject)
            );
        }
        // Totals print in the rows' currency (the first row's), else the record's.
        const context = rows[0] ? this.formatContext(rows[0]) : this.formatContext(scope.record);
        return [
            styled(formatValue(Math.round(sum * 1e6) / 1e6, kind, node.formatters, context), style)
        ];
    }

    image(node: Extract<TemplateNode, { kind: 'image' }>, align?: TextAlign): ImageBlock | null {
        const loaded = this.images.get(node.source);
        if (!loaded) return null;
        if (this.imagesUsed >= DOCUMENT_LIMITS.maxImages) {
            this.warnings.add(
                'tooManyImages',
                node.source,
                formatLabel(labelWarningTooManyImages, DOCUMENT_LIMITS.maxImages)
            );
            return null;
        }
        this.imagesUsed++;
        const block: ImageBlock = {
            type: 'image',
            format: loaded.format,
            data: loaded.data,
            intrinsicWidth: loaded.width,
            intrinsicHeight: loaded.height,
            alt: node.alt
        };
        if (node.width !== null) block.width = node.width;
        if (align) block.align = align;
        return block;
    }
}

function styled(text: string, style: Style): TextRun {
    const run: TextRun = { type: 'text', text };
    if (style.bold) run.bold = true;
    if (style.italic) run.italic = true;
    if (style.underline) run.underline = true;
    if (style.link) run.link = style.link;
    return run;
}

function sameStyle(a: Run, b: Run): boolean {
    return (
        a.type === 'text' &&
        b.type === 'text' &&
        !!a.bold === !!b.bold &&
        !!a.italic === !!b.italic &&
        !!a.underline === !!b.underline &&
        a.link === b.link
    );
}

/** Runs of one paragraph or cell: neighbours of one style joined, template whitespace trimmed at the ends. */
function tidyRuns(runs: Run[]): Run[] {
    const out: Run[] = [];
    for (const run of runs) {
        const last = out[out.length - 1];
        if (run.type === 'text' && run.text === '') continue;
        if (last && last.type === 'text' && run.type === 'text' && sameStyle(last, run)) {
            out[out.length - 1] = { ...last, text: last.text + run.text };
        } else out.push({ ...run });
    }
    const first = out[0];
    if (first?.type === 'text') first.text = first.text.replace(/^[ \t\r\n]+/, '');
    const last = out[out.length - 1];
    if (last?.type === 'text') last.text = last.text.replace(/[ \t\r\n]+$/, '');
    return out.filter((r) => r.type !== 'text' || r.text !== '');
}

/** Template text: whitespace (not no-break space) collapses as in HTML. */
function collapse(text: string): string {
    return text.replace(/[ \t\r\n]+/g, ' ');
}

function alignOf(attrs: Record<string, string>): TextAlign | undefined {
    const align = (attrs.align ?? '').toLowerCase();
    return align === 'left' || align === 'center' || align === 'right' ? align : undefined;
}

function shadingOf(attrs: Record<string, string>): string | undefined {
    const color = attrs.bgcolor ?? '';
    return /^#[0-9a-fA-F]{6}$/.test(color) ? color.toUpperCase() : undefined;
}

/** Collects blocks; inline content between blocks becomes paragraphs. */
class FlowBuilder {
    readonly blocks: (Block | PageMarginBlock)[] = [];
    private runs: Run[] = [];
    constructor(
        private readonly align?: TextAlign,
        private readonly fontSize?: number
    ) {}
    addRuns(runs: Run[]): void {
        this.runs.push(...runs);
    }
    breakParagraph(): void {
        const runs = tidyRuns(this.runs);
        this.runs = [];
        if (runs.length === 0) return;
        const paragraph = { type: 'paragraph' as const, runs } as Extract<
            Block,
            { type: 'paragraph' }
        >;
        if (this.align) paragraph.align = this.align;
        if (this.fontSize) paragraph.fontSize = this.fontSize;
        this.blocks.push(paragraph);
    }
    addBlock(block: Block | PageMarginBlock): void {
        this.breakParagraph();
        this.blocks.push(block);
    }
    finish(): (Block | PageMarginBlock)[] {
        this.breakParagraph();
        return this.blocks;
    }
}

class Renderer {
    constructor(readonly merger: Merger) {}

    /** Runs `visit` on each node, expanding `{{#each}}` and `{{#if}}` in place. */
    expand(
        nodes: TemplateNode[],
        scope: Scope,
        visit: (node: TemplateNode, scope: Scope) => void
    ): void {
        for (const node of nodes) {
            if (node.kind === 'each') {
                for (const row of this.merger.rows(node)) {
                    this.expand(
                        node.children,
                        { record: row, relationship: node.relationship },
                        visit
                    );
                }
            } else if (node.kind === 'if') {
                this.expand(
                    isTruthy(this.merger.evaluate(node.condition, scope))
                        ? node.then
                        : node.otherwise,
                    scope,
                    visit
                );
            } else visit(node, scope);
        }
    }

    inline(nodes: TemplateNode[], scope: Scope, style: Style): Run[] {
        const runs: Run[] = [];
        this.expand(nodes, scope, (node, s) => runs.push(...this.inlineNode(node, s, style)));
        return runs;
    }

    inlineNode(node: TemplateNode, scope: Scope, style: Style): Run[] {
        switch (node.kind) {
            case 'text':
                return [styled(collapse(node.text), style)];
            case 'field':
                return this.merger.fieldRuns(scope, node.path, node.formatters, style);
            case 'total':
                return this.merger.totalRuns(node, scope, style);
            case 'pageNumber':
            case 'pageCount': {
                const run: PageMarginRun = { type: node.kind };
                if (style.bold) run.bold = true;
                if (style.italic) run.italic = true;
                return [run];
            }
            case 'element':
                return this.inlineElement(node, scope, style);
            default:
                return [];
        }
    }

    inlineElement(
        node: Extract<TemplateNode, { kind: 'element' }>,
        scope: Scope,
        style: Style
    ): Run[] {
        switch (node.tag) {
            case 'br':
                return [styled('\n', style)];
            case 'b':
            case 'strong':
                return this.inline(node.children, scope, { ...style, bold: true });
            case 'i':
            case 'em':
                return this.inline(node.children, scope, { ...style, italic: true });
            case 'u':
                return this.inline(node.children, scope, { ...style, underline: true });
            case 'a':
                return this.inline(
                    node.children,
                    scope,
                    node.attrs.href ? { ...style, link: node.attrs.href.trim() } : style
                );
            default:
                return this.inline(node.children, scope, style);
        }
    }

    flow(nodes: TemplateNode[], scope: Scope, builder: FlowBuilder, align?: TextAlign): void {
        this.expand(nodes, scope, (node, s) => {
            if (node.kind === 'text' && /\n[ \t\r]*\n/.test(node.text)) {
                // A blank line in the template's own text starts a new paragraph.
                const parts = node.text.split(/\n[ \t\r]*\n/);
                parts.forEach((part, i) => {
                    if (i > 0) builder.breakParagraph();
                    builder.addRuns([styled(collapse(part), {})]);
                });
                return;
            }
            if (node.kind === 'image') {
                const block = this.merger.image(node, align);
                if (block) builder.addBlock(block);
                return;
            }
            if (node.kind !== 'element' || !BLOCK_ELEMENTS.has(node.tag)) {
                builder.addRuns(this.inlineNode(node, s, {}));
                return;
            }
            builder.breakParagraph();
            for (const block of this.block(node, s)) builder.addBlock(block);
        });
    }

    block(
        node: Extract<TemplateNode, { kind: 'element' }>,
        scope: Scope
    ): (Block | PageMarginBlock)[] {
        const align = alignOf(node.attrs);
        switch (node.tag) {
            case 'p':
            case 'div': {
                const size = Number(node.attrs.size);
                const inner = new FlowBuilder(
                    align,
                    Number.isFinite(size) && size >= 6 && size <= 72 ? size : undefined
                );
                this.flow(node.children, scope, inner, align);
                return inner.finish();
            }
            case 'h1':
            case 'h2':
            case 'h3': {
                const runs = tidyRuns(this.inline(node.children, scope, {})) as TextRun[];
                if (runs.length === 0) return [];
                const heading: Extract<Block, { type: 'heading' }> = {
                    type: 'heading',
                    level: Number(node.tag[1]) as 1 | 2 | 3,
                    runs
                };
                if (align) heading.align = align;
                return [heading];
            }
            case 'ul':
            case 'ol': {
                const list = this.list(node, scope);
                return list.items.length ? [list] : [];
            }
            case 'table':
                return this.table(node, scope);
            case 'pagebreak':
                return [{ type: 'pageBreak' }];
            default:
                return [];
        }
    }

    list(node: Extract<TemplateNode, { kind: 'element' }>, scope: Scope): ListBlock {
        const items: ListItem[] = [];
        this.expand(node.children, scope, (li, s) => {
            if (li.kind !== 'element' || li.tag !== 'li') return;
            const inlineNodes = li.children.filter(
                (c) => !(c.kind === 'element' && (c.tag === 'ul' || c.tag === 'ol'))
            );
            const item: ListItem = { runs: tidyRuns(this.inline(inlineNodes, s, {})) as TextRun[] };
            const nested = li.children.find(
                (c): c is Extract<TemplateNode, { kind: 'element' }> =>
                    c.kind === 'element' && (c.tag === 'ul' || c.tag === 'ol')
            );
            const children = nested ? this.list(nested, s) : null;
            if (children?.items.length) item.children = children;
            items.push(item);
        });
        const list: ListBlock = {
            type: 'list',
            style: node.tag === 'ol' ? 'numbered' : 'bulleted',
            items
        };
        const start = Number(node.attrs.start);
        if (node.tag === 'ol' && Number.isInteger(start) && start > 0) list.start = start;
        return list;
    }

    table(
        node: Extract<TemplateNode, { kind: 'element' }>,
        scope: Scope
    ): (Block | PageMarginBlock)[] {
        const firstRow = rowsOf(node.children)[0];
        if (!firstRow) return [];
        const widths = cellsOf(firstRow).map((cell) => widthOf(cell.attrs.width));
        // Percentages are shares of the width; columns without one share what is left equally.
        const shared = widths.reduce((sum, w) => sum + (w && 'fraction' in w ? w.fraction : 0), 0);
        const open = widths.filter((w) => w === null).length;
        const rest = Math.max(0.05, (1 - Math.min(shared, 1)) / Math.max(open, 1));
        const columns: TableColumn[] = cellsOf(firstRow).map((cell, i) => {
            const column: TableColumn = {
                width: widths[i] ?? { fraction: Math.round(rest * 1e4) / 1e4 }
            };
            const align = alignOf(cell.attrs);
            if (align) column.align = align;
            return column;
        });
        const headerRows: TableRow<Run>[] = [];
        const rows: TableRow<Run>[] = [];
        let totalsRow: TableRow<Run> | undefined;
        const addRow = (
            tr: Extract<TemplateNode, { kind: 'element' }>,
            s: Scope,
            section: string
        ) => {
            const cells = cellsOf(tr).map((cell) => this.cell(cell, s));
            const row: TableRow<Run> = { cells };
            const shading = shadingOf(tr.attrs);
            if (shading) row.shading = shading;
            const allHeader = cellsOf(tr).every((c) => c.tag === 'th');
            if (section === 'thead' || (section === 'table' && allHeader && rows.length === 0))
                headerRows.push(row);
            else if (section === 'tfoot' && !totalsRow) totalsRow = row;
            else rows.push(row);
        };
        const walk = (nodes: TemplateNode[], s: Scope, section: string) => {
            this.expand(nodes, s, (child, cs) => {
                if (child.kind !== 'element') return;
                if (child.tag === 'tr') addRow(child, cs, section);
                else if (child.tag === 'thead' || child.tag === 'tfoot')
                    walk(child.children, cs, child.tag);
                else if (child.tag === 'tbody') walk(child.children, cs, 'tbody');
            });
        };
        walk(node.children, scope, 'table');
        if (rows.length === 0 && !totalsRow && headerRows.length === 0) return [];
        const table: TableBlock<Run> = { type: 'table', columns, rows };
        if (headerRows.length) table.headerRows = headerRows;
        if (totalsRow) table.totalsRow = totalsRow;
        const border = (node.attrs.border ?? '').toLowerCase();
        if (border === 'all' || border === 'horizontal' || border === 'none')
            table.borders = border;
        const size = Number(node.attrs.size);
        if (Number.isFinite(size) && size >= 6 && size <= 72) table.fontSize = size;
        return [table as TableBlock];
    }

    cell(cell: Extract<TemplateNode, { kind: 'element' }>, scope: Scope): TableCell<Run> {
        const result: TableCell<Run> = { runs: tidyRuns(this.inline(cell.children, scope, {})) };
        const align = alignOf(cell.attrs);
        if (align) result.align = align;
        const shading = shadingOf(cell.attrs);
        if (shading) result.shading = shading;
        if (cell.tag === 'th') result.bold = true;
        return result;
    }
}

/** `width="30%"` → a share; `width="120"` or `"120pt"` → points; none → null (shares the rest). */
function widthOf(value: string | undefined): TableColumn['width'] | null {
    const text = (value ?? '').trim();
    const percent = /^(\d+(?:\.\d+)?)%$/.exec(text);
    if (percent) return { fraction: Math.max(0.01, Number(percent[1]) / 100) };
    const points = /^(\d+(?:\.\d+)?)(?:pt)?$/.exec(text);
    if (points && Number(points[1]) > 0) return { points: Number(points[1]) };
    return null;
}

/**
 * Merges a parsed (ideally prepared) template with the record data into the description the relay
 * renders. Images are loaded first, once each; one that fails is left out with a warning.
 */
export async function mergeTemplate(
    template: ParsedTemplate,
    data: DocumentRecordData,
    options: MergeOptions
): Promise<MergeResult> {
    const images = new Map<string, LoadedImage | null>();
    const imageWarnings: MergeWarning[] = [];
    // Loaded side by side, once each; a failure leaves that image out and says why.
    await Promise.all(
        fieldsUsed(template).images.map(async (source) => {
            try {
                if (!options.loadImage) throw new Error('no image loader');
                images.set(source, await options.loadImage(source));
            } catch (err) {
                images.set(source, null);
                imageWarnings.push({
                    code: 'imageNotLoaded',
                    subject: source,
                    message: formatLabel(
                        labelWarningImage,
                        source,
                        err instanceof Error ? err.message : String(err)
                    )
                });
            }
        })
    );
    const merger = new Merger(template, data, options, images);
    const renderer = new Renderer(merger);
    const scope: Scope = { record: data.record, relationship: null };
    const part = (nodes: TemplateNode[]) => {
        const builder = new FlowBuilder();
        renderer.flow(nodes, scope, builder);
        return builder.finish();
    };
    const body = part(template.body) as Block[];
    const header = part(template.header) as PageMarginBlock[];
    const footer = part(template.footer) as PageMarginBlock[];
    const source = template.source;
    const document: DocumentDescription = {
        modelVersion: DOCUMENT_MODEL_VERSION,
        metadata: {
            title: options.title,
            created: (options.created ?? new Date()).toISOString(),
            language: options.locale
        },
        page: {
            size: source.pageSize,
            orientation: source.orientation,
            margins: { ...source.margins }
        },
        body
    };
    if (options.author) document.metadata.author = options.author;
    if (options.baseFontSize) document.baseFontSize = options.baseFontSize;
    if (header.length) document.header = { blocks: header };
    if (footer.length) document.footer = { blocks: footer };
    return { document, warnings: [...imageWarnings, ...merger.warnings.list] };
}

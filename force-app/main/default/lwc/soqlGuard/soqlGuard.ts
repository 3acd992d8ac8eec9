/**
 * Checks the SOQL the model writes before anything runs, with a real parser: one SELECT statement
 * over an object the coworker may use, every field (selected, filtered, grouped, sorted, reached
 * through a lookup or a subquery) known to the object's describe and allowed by the trust settings,
 * and bounded rows. The answer is SOQL recomposed from the checked parts, never the model's text,
 * so anything the guard did not understand cannot reach Apex (which checks again, in user mode).
 *
 * Refusals say what to change, because the model reads them and tries again.
 * Pure logic: no DOM, Node or Workers APIs.
 */
// Checks run one after another on purpose: the first problem is the one reported, and lookups
// are followed hop by hop. The describes they await are cached.
/* eslint-disable no-await-in-loop */
import { composeQuery, parseQuery } from 'c/soqlParser';
import type {
    Condition,
    FieldType,
    FunctionExp,
    GroupByClause,
    HavingClause,
    OrderByClause,
    Query,
    Subquery,
    WhereClause
} from 'c/soqlParser';
import { COWORKER_LIMITS } from 'c/coworkerContract';
import type { CoworkerDefinition } from 'c/coworkerContract';
import { isFieldAllowed } from 'c/egressPolicy';
import type { ObjectInfoLike } from 'c/coworkerTools';

export interface SoqlGuardContext {
    /** Objects the coworker may query (compared case-insensitively). */
    allowedObjects: readonly string[];
    getObjectInfo(objectApiName: string): Promise<ObjectInfoLike>;
    /** May this field's values reach the model? */
    isFieldReadable(objectApiName: string, fieldApiName: string): boolean;
}

export type GuardedQuery =
    | {
          ok: true;
          /** The SOQL to run, recomposed from the checked query. */
          soql: string;
          objectApiName: string;
          /** What the guard changed (LIMIT added or lowered), for the model to know. */
          notes: string[];
      }
    | { ok: false; error: string };

/** Longer than any question needs; SOQL itself allows 100,000 characters. */
export const MAX_SOQL_CHARS = 10_000;
/** SOQL's own bounds. */
const MAX_OFFSET = 2_000;
const MAX_PARENT_HOPS = 5;

/** A field may be sent to the model: not excluded by the trust settings, not classified. */
export function fieldReadablePolicy(
    coworker: Pick<CoworkerDefinition, 'policy' | 'classifiedFields'>
): (objectApiName: string, fieldApiName: string) => boolean {
    const classified = new Set(coworker.classifiedFields.map((f) => f.toLowerCase()));
    return (objectApiName, fieldApiName) =>
        isFieldAllowed(objectApiName, fieldApiName, coworker.policy) &&
        !classified.has(`${objectApiName}.${fieldApiName}`.toLowerCase());
}

class Refusal extends Error {}

const WRITE_KEYWORDS = /^\s*(insert|update|delete|upsert|merge|undelete)\b/i;
const SOSL_KEYWORD = /^\s*find\b/i;
const ALIAS = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
const OPERATORS = new Set([
    '=',
    '!=',
    '<>',
    '<',
    '<=',
    '>',
    '>=',
    'LIKE',
    'IN',
    'NOT IN',
    'INCLUDES',
    'EXCLUDES'
]);

type FunctionKind = 'aggregate' | 'date' | 'display' | 'grouping' | 'rollup';
/** Functions whose arguments are fields the guard can check; their canonical spelling. */
const FUNCTIONS = new Map<string, { name: string; kind: FunctionKind }>(
    (
        [
            ['COUNT', 'aggregate'],
            ['COUNT_DISTINCT', 'aggregate'],
            ['SUM', 'aggregate'],
            ['AVG', 'aggregate'],
            ['MIN', 'aggregate'],
            ['MAX', 'aggregate'],
            ['CALENDAR_MONTH', 'date'],
            ['CALENDAR_QUARTER', 'date'],
            ['CALENDAR_YEAR', 'date'],
            ['DAY_IN_MONTH', 'date'],
            ['DAY_IN_WEEK', 'date'],
            ['DAY_IN_YEAR', 'date'],
            ['DAY_ONLY', 'date'],
            ['FISCAL_MONTH', 'date'],
            ['FISCAL_QUARTER', 'date'],
            ['FISCAL_YEAR', 'date'],
            ['HOUR_IN_DAY', 'date'],
            ['WEEK_IN_MONTH', 'date'],
            ['WEEK_IN_YEAR', 'date'],
            ['convertTimezone', 'date'],
            ['toLabel', 'display'],
            ['FORMAT', 'display'],
            ['convertCurrency', 'display'],
            ['GROUPING', 'grouping'],
            ['ROLLUP', 'rollup'],
            ['CUBE', 'rollup']
        ] as [string, FunctionKind][]
    ).map(([name, kind]) => [name.toLowerCase(), { name, kind }])
);

/** Where in the query a field appears, for messages. */
type Clause = 'SELECT' | 'WHERE' | 'HAVING' | 'GROUP BY' | 'ORDER BY';
type Level = 'top' | 'subquery' | 'semi-join';

/** Removes one trailing semicolon; refuses a second statement (a `;` outside a string literal). */
function singleStatement(soql: string): string {
    const text = soql.trim().replace(/;\s*$/, '');
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (quoted && ch === '\\') {
            i++;
        } else if (ch === "'") {
            quoted = !quoted;
        } else if (ch === ';' && !quoted) {
            throw new Refusal(
                'Send exactly one SELECT statement: this text holds more than one (a ";" separates them).'
            );
        }
    }
    return text;
}

function parseError(error: unknown): string {
    const first = ((error as Error)?.message ?? String(error)).split('\n')[0]?.trim() ?? '';
    const detail = first.length > 200 ? `${first.slice(0, 200)}…` : first;
    return `The SOQL could not be parsed (${detail || 'syntax error'}). Write one statement of the form SELECT fields FROM Object [WHERE …] [ORDER BY …] [LIMIT n], with string values in single quotes; SOQL has no UNION, JOIN, bind variables or comments.`;
}

class QueryGuard {
    readonly notes: string[] = [];
    private readonly infos = new Map<string, Promise<ObjectInfoLike>>();
    private subqueries = 0;

    constructor(private readonly ctx: SoqlGuardContext) {}

    async guard(query: Query): Promise<Query> {
        if (query.for) {
            throw new Refusal(
                `FOR ${query.for} is not allowed: the coworker only reads. Remove the FOR clause.`
            );
        }
        if (query.update) {
            throw new Refusal(
                `UPDATE ${query.update} is not allowed: the coworker only reads. Remove it.`
            );
        }
        if (query.withAccessLevel === 'SYSTEM_MODE') {
            throw new Refusal(
                "WITH SYSTEM_MODE is not allowed: queries always run with the user's own access. Remove it."
            );
        }
        const info = await this.allowedObjectInfo(query.sObject ?? '');
        const guarded = (await this.guardBody(query, info, 'top')) as Query;
        guarded.sObject = info.apiName;
        return guarded;
    }

    private allowedName(name: string): string | undefined {
        const wanted = name.toLowerCase();
        return this.ctx.allowedObjects.find((o) => o.toLowerCase() === wanted);
    }

    private async describe(apiName: string): Promise<ObjectInfoLike> {
        const key = apiName.toLowerCase();
        let info = this.infos.get(key);
        if (!info) {
            info = this.ctx.getObjectInfo(apiName);
            this.infos.set(key, info);
        }
        try {
            return await info;
        } catch {
            throw new Refusal(
                `The object ${apiName} could not be described (it may not exist, or the user cannot see it).`
            );
        }
    }

    private async allowedObjectInfo(name: string): Promise<ObjectInfoLike> {
        const allowed = this.allowedName(name);
        if (!allowed) {
            throw new Refusal(
                `The object "${name}" is not one this coworker may query. Allowed objects: ${this.ctx.allowedObjects.join(', ') || 'none'}.`
            );
        }
        return this.describe(allowed);
    }

    private async guardBody(
        query: Query | Subquery,
        info: ObjectInfoLike,
        level: Level
    ): Promise<Query | Subquery> {
        if (query.sObjectAlias) {
            throw new Refusal(
                `Leave out the object alias "${query.sObjectAlias}": write fields as Name or Owner.Name.`
            );
        }
        if (query.withDataCategory) {
            throw new Refusal('WITH DATA CATEGORY is not supported here. Remove it.');
        }
        if (query.withAccessLevel === 'SYSTEM_MODE') {
            throw new Refusal(
                "WITH SYSTEM_MODE is not allowed: queries always run with the user's own access. Remove it."
            );
        }
        const out: Query & Subquery = { fields: [], relationshipName: '' };
        // WITH USER_MODE / SECURITY_ENFORCED are dropped: Apex always runs the query in user mode.
        if (query.usingScope) out.usingScope = query.usingScope;

        const fields = query.fields ?? [];
        if (fields.length === 0) throw new Refusal('Select at least one field.');
        if (level === 'semi-join' && (fields.length !== 1 || fields[0]?.type !== 'Field')) {
            throw new Refusal(
                'A subquery after IN selects exactly one field, e.g. Id IN (SELECT AccountId FROM Contact).'
            );
        }
        const seen = new Set<string>();
        for (const field of fields) {
            const guarded = await this.guardSelectField(field, info, level);
            const key = JSON.stringify(guarded).toLowerCase();
            if (!seen.has(key)) {
                seen.add(key);
                out.fields!.push(guarded);
            }
        }
        if (query.where) out.where = await this.guardCondition(query.where, info, 'WHERE');
        if (query.groupBy) {
            const groups = Array.isArray(query.groupBy) ? query.groupBy : [query.groupBy];
            out.groupBy = [];
            for (const group of groups) out.groupBy.push(await this.guardGroupBy(group, info));
        }
        if (query.having) {
            out.having = (await this.guardCondition(
                query.having as WhereClause,
                info,
                'HAVING'
            )) as HavingClause;
        }
        if (query.orderBy) {
            const orders = Array.isArray(query.orderBy) ? query.orderBy : [query.orderBy];
            out.orderBy = [];
            for (const order of orders) out.orderBy.push(await this.guardOrderBy(order, info));
        }
        if (query.offset !== undefined) {
            if (query.offset > MAX_OFFSET) {
                throw new Refusal(
                    `OFFSET ${query.offset} is too large (SOQL allows ${MAX_OFFSET}). Narrow the WHERE clause instead.`
                );
            }
            out.offset = query.offset;
        }
        this.boundRows(query, out, level);
        if (level === 'subquery') {
            out.relationshipName = (query as Subquery).relationshipName;
        } else {
            // The composer reads a relationshipName as "this is a subquery".
            delete (out as Partial<Subquery>).relationshipName;
        }
        return out;
    }

    /** LIMIT added when missing and lowered when higher; COUNT() returns a number, not rows. */
    private boundRows(query: Query | Subquery, out: Query | Subquery, level: Level): void {
        if (level === 'semi-join') {
            if (query.limit !== undefined) out.limit = query.limit;
            return;
        }
        const fields = out.fields ?? [];
        const onlyCount =
            fields.length === 1 &&
            fields[0]?.type === 'FieldFunctionExpression' &&
            fields[0].functionName === 'COUNT' &&
            fields[0].parameters.length === 0;
        if (onlyCount && level === 'top') {
            // A LIMIT would cap the count itself; COUNT() returns no records.
            if (query.limit !== undefined) out.limit = query.limit;
            return;
        }
        const max =
            level === 'top' ? COWORKER_LIMITS.maxQueryRows : COWORKER_LIMITS.maxSubqueryRows;
        const where =
            level === 'top' ? '' : ` in the ${(query as Subquery).relationshipName} subquery`;
        if (query.limit === undefined) {
            this.notes.push(`LIMIT ${max} added${where}.`);
            out.limit = max;
        } else if (query.limit > max) {
            this.notes.push(`LIMIT lowered from ${query.limit} to ${max}${where}.`);
            out.limit = max;
        } else {
            out.limit = query.limit;
        }
    }

    private async guardSelectField(
        field: FieldType,
        info: ObjectInfoLike,
        level: Level
    ): Promise<FieldType> {
        switch (field.type) {
            case 'Field':
                return {
                    type: 'Field',
                    field: await this.resolvePath(info, field.field, 'SELECT')
                };
            case 'FieldRelationship': {
                const path = await this.resolvePath(
                    info,
                    [...field.relationships, field.field].join('.'),
                    'SELECT'
                );
                const parts = path.split('.');
                if (parts.length === 1) return { type: 'Field', field: path };
                return {
                    type: 'FieldRelationship',
                    field: parts[parts.length - 1] as string,
                    relationships: parts.slice(0, -1)
                };
            }
            case 'FieldFunctionExpression': {
                const fn = await this.guardFunction(field, info, 'SELECT', 0);
                if (fn.functionName === 'ROLLUP' || fn.functionName === 'CUBE') {
                    throw new Refusal(`${fn.functionName}() belongs in GROUP BY, not SELECT.`);
                }
                const out: FieldType = {
                    type: 'FieldFunctionExpression',
                    functionName: fn.functionName as string,
                    parameters: fn.parameters as (string | FunctionExp)[] as never,
                    rawValue: fn.rawValue as string
                };
                if (fn.isAggregateFn) out.isAggregateFn = true;
                if (field.alias !== undefined) {
                    if (!ALIAS.test(field.alias)) {
                        throw new Refusal(
                            `The alias "${field.alias}" is not valid: use letters, digits and underscores.`
                        );
                    }
                    out.alias = field.alias;
                }
                return out;
            }
            case 'FieldSubquery':
                return this.guardSubquery(field.subquery, info, level);
            case 'FieldTypeof':
                throw new Refusal(
                    `TYPEOF is not supported. Select ${field.field}Id, or query the related object directly.`
                );
            default:
                throw new Refusal('A selected item is not a field the guard can check. Remove it.');
        }
    }

    private async guardSubquery(
        subquery: Subquery,
        parent: ObjectInfoLike,
        level: Level
    ): Promise<FieldType> {
        if (level !== 'top') {
            throw new Refusal('Subqueries cannot be nested. Query the child object separately.');
        }
        this.subqueries++;
        if (this.subqueries > COWORKER_LIMITS.maxSubqueries) {
            throw new Refusal(
                `At most ${COWORKER_LIMITS.maxSubqueries} subqueries per query. Split the question into several queries.`
            );
        }
        if (subquery.sObjectPrefix?.length) {
            throw new Refusal(
                `Write the subquery's FROM as the child relationship name alone, e.g. FROM Contacts.`
            );
        }
        const wanted = subquery.relationshipName.toLowerCase();
        const relation = parent.childRelationships.find(
            (r) => r.relationshipName?.toLowerCase() === wanted
        );
        if (!relation?.relationshipName) {
            const names = parent.childRelationships
                .filter((r) => r.relationshipName && this.allowedName(r.childObjectApiName))
                .map((r) => r.relationshipName)
                .join(', ');
            throw new Refusal(
                `${parent.apiName} has no child relationship "${subquery.relationshipName}". ` +
                    (names
                        ? `Child relationships you can query: ${names}.`
                        : 'Use describe_object to see its child relationships.')
            );
        }
        const child = await this.allowedObjectInfo(relation.childObjectApiName);
        const guarded = (await this.guardBody(
            { ...subquery, relationshipName: relation.relationshipName },
            child,
            'subquery'
        )) as Subquery;
        return { type: 'FieldSubquery', subquery: guarded };
    }

    /**
     * A field path (`Name`, `Owner.Name`, `Account.Owner.Email`) as the describe spells it.
     * Lookups are readable fields themselves; through a lookup to an object the coworker may not
     * use, only that object's Id and name can be read.
     */
    private async resolvePath(info: ObjectInfoLike, path: string, clause: Clause): Promise<string> {
        let parts = path.split('.');
        // `SELECT Account.Name FROM Account` names the object itself first.
        if (
            parts.length > 1 &&
            parts[0]?.toLowerCase() === info.apiName.toLowerCase() &&
            !findRelationship(info, parts[0])
        ) {
            parts = parts.slice(1);
        }
        if (parts.length - 1 > MAX_PARENT_HOPS) {
            throw new Refusal(
                `"${path}" goes through more than ${MAX_PARENT_HOPS} lookups, more than SOQL allows.`
            );
        }
        let current = info;
        const canonical: string[] = [];
        let restricted = false;
        for (let i = 0; i < parts.length - 1; i++) {
            const name = parts[i] as string;
            const lookup = findRelationship(current, name);
            if (!lookup?.relationshipName) {
                throw new Refusal(
                    `"${path}" (${clause}): ${current.apiName} has no lookup named "${name}". Custom lookups end in __r (e.g. Region__r.Name); use describe_object to see the fields.`
                );
            }
            this.requireReadable(current.apiName, lookup.apiName, path, clause);
            canonical.push(lookup.relationshipName);
            const targets = (lookup.referenceToInfos ?? []).map((t) => t.apiName);
            if (targets.length !== 1) {
                // A polymorphic lookup (Owner on a Case: User or Queue) only offers the name fields.
                const last = parts[parts.length - 1] as string;
                const common = ['Id', 'Name', 'Type'].find(
                    (f) => f.toLowerCase() === last.toLowerCase()
                );
                if (i !== parts.length - 2 || !common) {
                    throw new Refusal(
                        `"${path}" (${clause}): ${lookup.relationshipName} can point to several objects; only its Id, Name and Type can be read through it.`
                    );
                }
                for (const target of targets) this.requireReadable(target, common, path, clause);
                canonical.push(common);
                return canonical.join('.');
            }
            current = await this.describe(targets[0] as string);
            restricted = !this.allowedName(current.apiName);
            if (restricted && i < parts.length - 2) {
                throw new Refusal(
                    `"${path}" (${clause}): ${current.apiName} is not one of this coworker's objects; through a lookup only its Id and name can be read.`
                );
            }
        }
        const last = parts[parts.length - 1] as string;
        const field = findField(current, last);
        if (!field) {
            throw new Refusal(
                `"${path}" (${clause}): ${current.apiName} has no field "${last}". Use describe_object to see its fields.`
            );
        }
        if (restricted) {
            const names = ['Id', ...(current.nameFields ?? ['Name'])].map((f) => f.toLowerCase());
            if (!names.includes(field.apiName.toLowerCase())) {
                throw new Refusal(
                    `"${path}" (${clause}): ${current.apiName} is not one of this coworker's objects; through a lookup only its Id and name can be read.`
                );
            }
        }
        this.requireReadable(current.apiName, field.apiName, path, clause);
        canonical.push(field.apiName);
        return canonical.join('.');
    }

    private requireReadable(
        objectApiName: string,
        fieldApiName: string,
        path: string,
        clause: Clause
    ) {
        if (!this.ctx.isFieldReadable(objectApiName, fieldApiName)) {
            throw new Refusal(
                `"${path}" (${clause}) is not available to the coworker: the org's trust settings keep ${objectApiName}.${fieldApiName} from being sent. Leave it out of the query, including WHERE and ORDER BY.`
            );
        }
    }

    private async guardFunction(
        fn: FunctionExp,
        info: ObjectInfoLike,
        clause: Clause,
        depth: number
    ): Promise<FunctionExp> {
        const rawName = fn.functionName ?? '';
        const known = FUNCTIONS.get(rawName.toLowerCase());
        if (!known) {
            const hint =
                rawName.toUpperCase() === 'FIELDS'
                    ? ' List the fields by name (describe_object shows them).'
                    : '';
            throw new Refusal(
                `The function ${rawName || '(unnamed)'}() is not supported here.${hint}`
            );
        }
        if (depth > 1) {
            throw new Refusal(`${known.name}(): functions nest at most two deep.`);
        }
        const params = fn.parameters ?? [];
        if (known.name === 'COUNT' && params.length === 0) {
            if (clause !== 'SELECT' && clause !== 'HAVING' && clause !== 'ORDER BY') {
                throw new Refusal(`COUNT() cannot be used in ${clause}.`);
            }
        } else if (known.kind === 'rollup') {
            if (params.length === 0) throw new Refusal(`${known.name}() needs at least one field.`);
        } else if (params.length !== 1) {
            throw new Refusal(`${known.name}() takes exactly one field.`);
        }
        const out: string[] = [];
        const guardedParams: (string | FunctionExp)[] = [];
        for (const param of params) {
            if (typeof param === 'string') {
                const path = await this.resolvePath(info, param, clause);
                guardedParams.push(path);
                out.push(path);
            } else {
                const inner = await this.guardFunction(param, info, clause, depth + 1);
                guardedParams.push({ ...inner, type: 'FieldFunctionExpression' } as FunctionExp);
                out.push(inner.rawValue as string);
            }
        }
        const guarded: FunctionExp = {
            functionName: known.name,
            parameters: guardedParams,
            // The composer prints rawValue in WHERE, GROUP BY, HAVING and ORDER BY: ours, never the model's.
            rawValue: `${known.name}(${out.join(', ')})`
        };
        if (known.kind === 'aggregate') guarded.isAggregateFn = true;
        return guarded;
    }

    private async guardCondition(
        clause: WhereClause,
        info: ObjectInfoLike,
        where: 'WHERE' | 'HAVING'
    ): Promise<WhereClause> {
        const out: Record<string, unknown> = {};
        const left = clause.left as Condition | null;
        out.left = left === null ? null : await this.guardLeaf(left, info, where);
        if ('operator' in clause && clause.operator !== undefined) {
            const op = String(clause.operator).toUpperCase();
            if (op !== 'AND' && op !== 'OR' && op !== 'NOT') {
                throw new Refusal(`Unknown logical operator ${op} in ${where}.`);
            }
            out.operator = op;
        }
        if ('right' in clause && clause.right) {
            out.right = await this.guardCondition(clause.right, info, where);
        }
        return out as unknown as WhereClause;
    }

    private async guardLeaf(
        condition: Condition,
        info: ObjectInfoLike,
        where: 'WHERE' | 'HAVING'
    ): Promise<Condition> {
        const source = condition as unknown as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const key of ['openParen', 'closeParen'] as const) {
            if (typeof source[key] === 'number') out[key] = source[key];
        }
        if (!('operator' in source)) {
            // `NOT (` or a parenthesis with nothing else.
            return out as unknown as Condition;
        }
        const operator = String(source.operator).toUpperCase();
        if (!OPERATORS.has(operator)) {
            throw new Refusal(`The operator ${String(source.operator)} is not valid SOQL.`);
        }
        out.operator = operator;
        if (typeof source.field === 'string') {
            out.field = await this.resolvePath(info, source.field, where);
        } else if (source.fn && typeof source.fn === 'object') {
            out.fn = await this.guardFunction(source.fn as FunctionExp, info, where, 0);
        } else {
            throw new Refusal(
                `A ${where} condition has no field. Write conditions as Field = value.`
            );
        }
        if (source.valueQuery) {
            const inner = source.valueQuery as Query;
            const innerInfo = await this.allowedObjectInfo(inner.sObject ?? '');
            const guarded = (await this.guardBody(inner, innerInfo, 'semi-join')) as Query;
            guarded.sObject = innerInfo.apiName;
            out.valueQuery = guarded;
            out.literalType = 'SUBQUERY';
        } else {
            // Literal tokens as the parser read them: each is one complete literal.
            if (source.literalType === 'APEX_BIND_VARIABLE') {
                throw new Refusal('Bind variables (:name) cannot be used. Write the value itself.');
            }
            for (const key of ['value', 'literalType', 'dateLiteralVariable'] as const) {
                if (source[key] !== undefined) out[key] = source[key];
            }
        }
        return out as unknown as Condition;
    }

    private async guardGroupBy(group: GroupByClause, info: ObjectInfoLike): Promise<GroupByClause> {
        if ('field' in group && typeof group.field === 'string') {
            return { field: await this.resolvePath(info, group.field, 'GROUP BY') };
        }
        if ('fn' in group && group.fn) {
            return { fn: await this.guardFunction(group.fn, info, 'GROUP BY', 0) };
        }
        throw new Refusal('GROUP BY names fields (or ROLLUP/CUBE of fields).');
    }

    private async guardOrderBy(order: OrderByClause, info: ObjectInfoLike): Promise<OrderByClause> {
        let out: OrderByClause;
        if ('field' in order && typeof order.field === 'string') {
            out = { field: await this.resolvePath(info, order.field, 'ORDER BY') };
        } else if ('fn' in order && order.fn) {
            out = { fn: await this.guardFunction(order.fn, info, 'ORDER BY', 0) };
        } else {
            throw new Refusal('ORDER BY names a field.');
        }
        if (order.order) out.order = order.order.toUpperCase() === 'DESC' ? 'DESC' : 'ASC';
        if (order.nulls) out.nulls = order.nulls.toUpperCase() === 'LAST' ? 'LAST' : 'FIRST';
        return out;
    }
}

function findField(
    info: ObjectInfoLike,
    name: string
): ObjectInfoLike['fields'][string] | undefined {
    const wanted = name.toLowerCase();
    return Object.values(info.fields).find((f) => f.apiName.toLowerCase() === wanted);
}

function findRelationship(
    info: ObjectInfoLike,
    name: string
): ObjectInfoLike['fields'][string] | undefined {
    const wanted = name.toLowerCase();
    return Object.values(info.fields).find((f) => f.relationshipName?.toLowerCase() === wanted);
}

/**
 * Checks the model's SOQL and returns the query to run, or why it cannot run. Never throws for
 * bad input: every refusal is an answer the model can act on.
 */
export async function guardSoql(soql: unknown, ctx: SoqlGuardContext): Promise<GuardedQuery> {
    try {
        if (typeof soql !== 'string' || soql.trim() === '') {
            throw new Refusal('Send the SOQL as a non-empty string in "soql".');
        }
        if (soql.length > MAX_SOQL_CHARS) {
            throw new Refusal(
                `The SOQL is ${soql.length} characters; at most ${MAX_SOQL_CHARS} are accepted. Ask for fewer fields or values.`
            );
        }
        const write = WRITE_KEYWORDS.exec(soql);
        if (write) {
            throw new Refusal(
                `query_records only reads; ${write[1]!.toUpperCase()} is not allowed. To change data, use update_record or create_record (the user approves every write).`
            );
        }
        if (SOSL_KEYWORD.test(soql)) {
            throw new Refusal('That is SOSL (FIND …). Use search_records for a text search.');
        }
        const text = singleStatement(soql);
        if (!/^select\b/i.test(text)) {
            throw new Refusal('Only SELECT queries can run: start the query with SELECT.');
        }
        let parsed: Query;
        try {
            parsed = parseQuery(text);
        } catch (error) {
            throw new Refusal(parseError(error));
        }
        const guard = new QueryGuard(ctx);
        const checked = await guard.guard(parsed);
        const composed = composeQuery(checked);
        // Defence in depth: what we send must itself be one query the parser accepts.
        parseQuery(composed);
        return {
            ok: true,
            soql: composed,
            objectApiName: checked.sObject as string,
            notes: guard.notes
        };
    } catch (error) {
        if (error instanceof Refusal) return { ok: false, error: error.message };
        return {
            ok: false,
            error: `The query could not be checked (${(error as Error)?.message ?? String(error)}).`
        };
    }
}

import {
    COWORKER_LIMITS,
    type QueryResult,
    type SearchResult
} from '../../../../force-app/main/default/lwc/coworkerContract/coworkerContract';
import { isSearchable, objectDef, type ObjectDef } from '../schema';
import { parseSoql, SoqlSyntaxError, type SoqlQuery } from '../soql';
import { allowedObject, coworkerFor, requireTool } from './coworker';
import {
    asUser,
    AuraHandledError,
    optionalString,
    requiredString,
    type ApexContext,
    type ApexParams
} from './support';

// CoworkerDataController: the coworker's reads, validated again in Apex (the browser's guard is
// not a security boundary) and run in user mode, so sharing and FLS decide what comes back.

const MAX_ROWS = COWORKER_LIMITS.maxQueryRows;

/** `runQuery({ soql, coworkerName })`: SELECT only, allowed objects, LIMIT lowered to at most 200. */
export function runQuery(params: ApexParams, context: ApexContext): QueryResult {
    const soql = requiredString(params, 'soql', 20_000, 'The query').trim();
    const coworker = coworkerFor(optionalString(params, 'coworkerName', 40), context);
    requireTool(coworker, 'query_records');
    const verb = /^\s*([A-Za-z]+)/.exec(soql)?.[1]?.toUpperCase() ?? '';
    if (verb !== 'SELECT') {
        throw new AuraHandledError(
            `Only SELECT queries can run: this one starts with ${verb || 'something else'}. The coworker never changes data through a query.`
        );
    }
    let parsed: SoqlQuery;
    try {
        parsed = parseSoql(soql);
    } catch (err) {
        if (err instanceof SoqlSyntaxError) {
            throw new AuraHandledError(`The query is not valid SOQL: ${err.message}.`);
        }
        throw err;
    }
    allowedObject(coworker, parsed.from);
    // As the real SoqlGuard: a LIMIT above 200 is lowered, a missing one added (before OFFSET).
    let ran = soql;
    if (parsed.limit !== undefined && parsed.limit > MAX_ROWS) {
        ran = soql.replace(/\bLIMIT\s+\d+/i, `LIMIT ${MAX_ROWS}`);
    } else if (parsed.limit === undefined && !parsed.count) {
        ran = /\s+OFFSET\s+\d+\s*$/i.test(soql)
            ? soql.replace(/(\s+OFFSET\s+\d+\s*)$/i, ` LIMIT ${MAX_ROWS}$1`)
            : `${soql} LIMIT ${MAX_ROWS}`;
    }
    const result = asUser(() => context.store.query(context.user, ran));
    if (result.countOnly) return { soql: ran, totalSize: result.records.length, records: [] };
    const records = result.records.map((r) =>
        context.store.flatRecord(context.user, r, result.paths)
    );
    return { soql: ran, totalSize: records.length, records };
}

/** The fields a search returns per object, besides Id and the name field, when the user may read them. */
const SEARCH_FIELDS: Record<string, string[]> = {
    Account: ['Industry', 'Type', 'BillingCity'],
    Contact: ['Title', 'Email', 'AccountId'],
    Opportunity: ['StageName', 'CloseDate', 'AccountId'],
    Case: ['Subject', 'Status', 'Priority', 'AccountId']
};

/** SOSL's reserved characters, escaped with a backslash so the user's words stay words. */
export function escapeSosl(term: string): string {
    return term.replace(/[?&|!{}[\]()^~*:\\"'+-]/g, '\\$&');
}

function searchFields(object: ObjectDef, context: ApexContext): string[] {
    const wanted = ['Id', object.nameField, ...(SEARCH_FIELDS[object.apiName] ?? [])];
    return [...new Set(wanted)].filter((f) =>
        context.store.canReadField(context.user, object.apiName, f)
    );
}

/** `searchRecords({ term, objectApiNames, coworkerName })`: SOSL over allowed objects, as the user. */
export function searchRecords(params: ApexParams, context: ApexContext): SearchResult {
    const term = requiredString(params, 'term', 200, 'The search text').trim();
    if (term.replace(/[^\p{L}\p{N}]/gu, '').length < 2) {
        throw new AuraHandledError('Search for at least two letters or digits.');
    }
    const coworker = coworkerFor(optionalString(params, 'coworkerName', 40), context);
    requireTool(coworker, 'search_records');
    const requested = params.objectApiNames;
    if (
        requested !== undefined &&
        requested !== null &&
        (!Array.isArray(requested) || !requested.every((o) => typeof o === 'string'))
    ) {
        throw new AuraHandledError('The objects to search must be a list of object API names.');
    }
    const names = (requested as string[] | null | undefined) ?? [];
    const searchable = (name: string): ObjectDef | undefined => {
        const object = objectDef(name);
        return object &&
            isSearchable(object) &&
            context.store.objectPermissions(context.user, object.apiName).read
            ? object
            : undefined;
    };
    let objects: ObjectDef[];
    if (names.length > 0) {
        objects = names.map((name) => {
            allowedObject(coworker, name);
            const object = searchable(name);
            if (!object) throw new AuraHandledError(`${name} cannot be searched in this org.`);
            return object;
        });
    } else {
        // Every allowed object this org has and the user may search; the others are skipped.
        objects = coworker.allowedObjects
            .map(searchable)
            .filter((o): o is ObjectDef => o !== undefined);
    }
    if (objects.length === 0) return { groups: [] };
    const returning = objects
        .map(
            (o) =>
                `${o.apiName}(${searchFields(o, context).join(', ')} LIMIT ${COWORKER_LIMITS.maxSearchRowsPerObject})`
        )
        .join(', ');
    const sosl = `FIND {${escapeSosl(term)}} IN ALL FIELDS RETURNING ${returning}`;
    const groups = asUser(() => context.store.search(context.user, sosl));
    return {
        groups: groups.map((g) => ({
            objectApiName: g.object.apiName,
            records: g.records.map((r) => context.store.flatRecord(context.user, r, g.paths))
        }))
    };
}

import type { QueryDefinition } from '../../../../force-app/main/default/lwc/reportSchedule/reportSchedule';
import { objectDef } from '../schema';
import { composeQuery } from './reportSchedules';
import { asUser, AuraHandledError, type ApexContext, type ApexParams } from './support';

// Test double of DocumentBatchController (the batch generator's "records matching filters"): the
// report scheduler's query composition, run as the user, at most 200 records plus whether more
// match. Errors say what DocumentBatchRecordFinder's labels say.

/** DocumentBatchRecordFinder.MAX_RECORDS (c/documentBatchGenerator MAX_BATCH_RECORDS). */
const MAX_RECORDS = 200;

/** `findRecords({ definition })`: `{ records: [{ id, name }], moreThanLimit }`. */
export function findRecords(params: ApexParams, context: ApexContext) {
    let parsed: unknown;
    try {
        parsed =
            typeof params.definition === 'string' && params.definition.length <= 100_000
                ? JSON.parse(params.definition)
                : null;
    } catch {
        parsed = null;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new AuraHandledError('The filters could not be read: choose them again.');
    }
    const d = parsed as Partial<QueryDefinition>;
    const asked = d.limit;
    if (
        asked !== undefined &&
        asked !== null &&
        !(Number.isInteger(asked) && asked >= 1 && asked <= MAX_RECORDS)
    ) {
        throw new AuraHandledError(
            `The most records must be a whole number from 1 to ${MAX_RECORDS}.`
        );
    }
    const wanted = typeof asked === 'number' ? asked : MAX_RECORDS;
    const object = typeof d.object === 'string' ? objectDef(d.object) : undefined;
    const nameField = object?.nameField ?? 'Id';
    const { soql, paths } = composeQuery(
        {
            object: String(d.object ?? ''),
            fields: [nameField],
            filters: Array.isArray(d.filters) ? d.filters : [],
            orderBy: d.orderBy ?? null
        },
        // One more than taken tells whether more match; a limit the user chose is not a cut.
        typeof asked === 'number' ? wanted : MAX_RECORDS + 1,
        context
    );
    const result = asUser(() => context.store.query(context.user, soql));
    return {
        records: result.records.slice(0, wanted).map((r) => {
            const name = r.fields[paths[0]!];
            return {
                id: String(r.fields.Id),
                name: typeof name === 'string' && name ? name : String(r.fields.Id)
            };
        }),
        moreThanLimit: result.records.length > wanted
    };
}

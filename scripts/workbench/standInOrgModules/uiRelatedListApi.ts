/**
 * `lightning/uiRelatedListApi` (getRelatedListRecords) for the workbench's related lists. The
 * stand-in org has no related-list endpoint, so this asks its SOQL endpoint as the user: sharing
 * decides which children come back and FLS which optional fields are asked for.
 */
import { FetchingWireAdapter } from './wireAdapter';
import { API_VERSION, orgFetch } from './session';
import { fetchObjectInfo } from './uiObjectInfoApi';
import { qualifiedFieldName, type FieldId, type UiRecord } from './uiRecordApi';

/** The related lists the workbench knows: child object and the lookup to the parent. */
const RELATED_LISTS: Record<string, { childObject: string; parentField: string }> = {
    Contacts: { childObject: 'Contact', parentField: 'AccountId' },
    Opportunities: { childObject: 'Opportunity', parentField: 'AccountId' },
    Cases: { childObject: 'Case', parentField: 'AccountId' }
};

export interface GetRelatedListRecordsConfig {
    parentRecordId?: string;
    relatedListId?: string;
    fields?: FieldId[];
    optionalFields?: FieldId[];
    sortBy?: string[];
    pageSize?: number;
}

export interface RelatedListRecords {
    count: number;
    listReference: { parentObjectApiName: string; relatedListId: string };
    records: UiRecord[];
}

interface QueryResult {
    totalSize: number;
    records: Record<string, unknown>[];
}

export class getRelatedListRecords extends FetchingWireAdapter<
    GetRelatedListRecordsConfig,
    RelatedListRecords
> {
    protected load(config: GetRelatedListRecordsConfig): Promise<RelatedListRecords> | undefined {
        if (!config.parentRecordId || !config.relatedListId) {
            return undefined;
        }
        return loadRelatedList(config.parentRecordId, config.relatedListId, config);
    }
}

async function loadRelatedList(
    parentRecordId: string,
    relatedListId: string,
    config: GetRelatedListRecordsConfig
): Promise<RelatedListRecords> {
    const list = RELATED_LISTS[relatedListId];
    if (!list) {
        throw { status: 404, body: [{ errorCode: 'NOT_FOUND', message: relatedListId }] };
    }
    const info = await fetchObjectInfo(list.childObject);
    const fieldName = (field: FieldId): string =>
        qualifiedFieldName(field).split('.').slice(1).join('.');
    const required = (config.fields ?? []).map(fieldName);
    // Optional fields the user cannot read are dropped, as the UI API does.
    const optional = (config.optionalFields ?? [])
        .map(fieldName)
        .filter((name) => info.fields[name.split('.')[0] ?? ''] !== undefined);
    const selected = [...new Set(['Id', ...required, ...optional])];
    const orderBy = (config.sortBy ?? [])
        .map((s) => (s.startsWith('-') ? `${s.slice(1)} DESC` : s))
        .join(', ');
    const soql =
        `SELECT ${selected.join(', ')} FROM ${list.childObject}` +
        ` WHERE ${list.parentField} = '${parentRecordId.replace(/[^A-Za-z0-9]/g, '')}'` +
        (orderBy ? ` ORDER BY ${orderBy}` : '') +
        ` LIMIT ${config.pageSize ?? 50}`;
    const result = (await orgFetch(
        `/services/data/${API_VERSION}/query?q=${encodeURIComponent(soql)}`
    )) as QueryResult;
    return {
        count: result.totalSize,
        listReference: { parentObjectApiName: 'Account', relatedListId },
        records: result.records.map((row) => ({
            id: String(row.Id),
            apiName: list.childObject,
            fields: Object.fromEntries(
                selected.map((name) => [name, { value: row[name] ?? null, displayValue: null }])
            )
        }))
    };
}

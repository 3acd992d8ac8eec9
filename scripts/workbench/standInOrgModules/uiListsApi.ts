/**
 * `lightning/uiListsApi` over the stand-in org: the list views of an object
 * (getListInfosByObjectName) and the records of one, a page at a time (getListRecordsByName),
 * through the UI API's list resources as the user, so sharing decides the rows and FLS the
 * optional fields.
 */
import { FetchingWireAdapter } from './wireAdapter';
import { orgFetch, uiApiPath } from './session';
import { ldsError, qualifiedFieldName, type FieldId, type UiRecord } from './uiRecordApi';

type ObjectName = string | { objectApiName: string };

export interface GetListInfosByObjectNameConfig {
    objectApiName?: ObjectName;
    pageSize?: number;
    pageToken?: string | number;
    q?: string;
    recentListsOnly?: boolean;
}

export interface ListInfoSummaryCollection {
    lists: { apiName: string; id: string | null; label: string; listUrl: string }[];
    nextPageToken: string | null;
    objectApiName: string;
    [key: string]: unknown;
}

export interface GetListRecordsByNameConfig {
    objectApiName?: ObjectName;
    listViewApiName?: string;
    fields?: FieldId[];
    optionalFields?: FieldId[];
    pageSize?: number;
    pageToken?: string;
    sortBy?: FieldId | FieldId[];
}

export interface ListRecordCollection {
    count: number;
    nextPageToken: string | null;
    records: UiRecord[];
    [key: string]: unknown;
}

function objectNameOf(value: ObjectName | undefined): string | undefined {
    return typeof value === 'string' ? value : value?.objectApiName;
}

function search(params: Record<string, string | number | boolean | undefined>): string {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
        if (value !== undefined && value !== '') query.set(key, String(value));
    }
    const text = query.toString();
    return text ? `?${text}` : '';
}

async function fetchLds<T>(path: string): Promise<T> {
    try {
        return (await orgFetch(path)) as T;
    } catch (error) {
        throw ldsError(error);
    }
}

export class getListInfosByObjectName extends FetchingWireAdapter<
    GetListInfosByObjectNameConfig,
    ListInfoSummaryCollection
> {
    protected load(
        config: GetListInfosByObjectNameConfig
    ): Promise<ListInfoSummaryCollection> | undefined {
        const name = objectNameOf(config.objectApiName);
        if (!name) return undefined;
        return fetchLds(
            uiApiPath(
                `list-info/${encodeURIComponent(name)}${search({
                    pageSize: config.pageSize,
                    pageToken: config.pageToken,
                    q: config.q,
                    recentListsOnly: config.recentListsOnly
                })}`
            )
        );
    }
}

export class getListRecordsByName extends FetchingWireAdapter<
    GetListRecordsByNameConfig,
    ListRecordCollection
> {
    protected load(config: GetListRecordsByNameConfig): Promise<ListRecordCollection> | undefined {
        const name = objectNameOf(config.objectApiName);
        if (!name || !config.listViewApiName) return undefined;
        const sortBy = Array.isArray(config.sortBy) ? config.sortBy[0] : config.sortBy;
        return fetchLds(
            uiApiPath(
                `list-records/${encodeURIComponent(name)}/${encodeURIComponent(
                    config.listViewApiName
                )}${search({
                    fields: (config.fields ?? []).map(qualifiedFieldName).join(','),
                    optionalFields: (config.optionalFields ?? []).map(qualifiedFieldName).join(','),
                    pageSize: config.pageSize,
                    pageToken: config.pageToken,
                    sortBy: sortBy ? qualifiedFieldName(sortBy) : undefined
                })}`
            )
        );
    }
}

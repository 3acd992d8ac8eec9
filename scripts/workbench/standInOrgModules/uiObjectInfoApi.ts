/**
 * `lightning/uiObjectInfoApi` over the stand-in org: object metadata as the user sees it (fields the
 * user cannot read are missing, as on the platform).
 */
import { FetchingWireAdapter } from './wireAdapter';
import { orgFetch, uiApiPath } from './session';
import { ldsError } from './uiRecordApi';

export interface ObjectInfoField {
    apiName: string;
    label: string;
    dataType: string;
    updateable: boolean;
    [key: string]: unknown;
}

export interface ObjectInfo {
    apiName: string;
    label: string;
    labelPlural: string;
    fields: Record<string, ObjectInfoField>;
    [key: string]: unknown;
}

export interface GetObjectInfoConfig {
    objectApiName?: string | { objectApiName: string };
}

const objectInfoRequests = new Map<string, Promise<ObjectInfo>>();

/** One request per object per page, as LDS caches object metadata. */
export function fetchObjectInfo(objectApiName: string): Promise<ObjectInfo> {
    let request = objectInfoRequests.get(objectApiName);
    if (!request) {
        request = (
            orgFetch(
                uiApiPath(`object-info/${encodeURIComponent(objectApiName)}`)
            ) as Promise<ObjectInfo>
        ).catch((error: unknown) => {
            throw ldsError(error);
        });
        request.catch(() => objectInfoRequests.delete(objectApiName));
        objectInfoRequests.set(objectApiName, request);
    }
    return request;
}

export class getObjectInfo extends FetchingWireAdapter<GetObjectInfoConfig, ObjectInfo> {
    protected load(config: GetObjectInfoConfig): Promise<ObjectInfo> | undefined {
        const name =
            typeof config.objectApiName === 'string'
                ? config.objectApiName
                : config.objectApiName?.objectApiName;
        return name ? fetchObjectInfo(name) : undefined;
    }
}

export interface GetObjectInfosConfig {
    objectApiNames?: (string | { objectApiName: string })[];
}

/** LDS's batch answer: one result per requested object, in order, each with its own status. */
export interface ObjectInfosResult {
    results: { statusCode: number; result: ObjectInfo | { message: string } }[];
}

export class getObjectInfos extends FetchingWireAdapter<GetObjectInfosConfig, ObjectInfosResult> {
    protected load(config: GetObjectInfosConfig): Promise<ObjectInfosResult> | undefined {
        const names = (config.objectApiNames ?? []).map((n) =>
            typeof n === 'string' ? n : n.objectApiName
        );
        if (names.length === 0) return undefined;
        return Promise.all(
            names.map((name) =>
                fetchObjectInfo(name).then(
                    (result) => ({ statusCode: 200, result }),
                    (error: { body?: { message?: string } }) => ({
                        statusCode: 404,
                        result: { message: error?.body?.message ?? 'not found' }
                    })
                )
            )
        ).then((results) => ({ results }));
    }
}

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

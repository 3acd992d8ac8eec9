/**
 * `@salesforce/apex/<Class>.<method>`: each import becomes a function calling the stand-in org's
 * Apex double (`POST /__standin/apex/<Class>/<method>`) as the workbench user, and, like on the
 * platform, also works with `@wire`.
 */
import { FetchingWireAdapter, type DataCallback } from './wireAdapter';
import { orgFetch } from './session';

export type ApexParams = Record<string, unknown>;

export function callApex(
    className: string,
    methodName: string,
    params?: ApexParams
): Promise<unknown> {
    return orgFetch(`/__standin/apex/${className}/${methodName}`, {
        method: 'POST',
        body: JSON.stringify(params ?? {})
    });
}

const liveApexAdapters = new Set<FetchingWireAdapter<ApexParams, unknown>>();

/** An imperative Apex function that `@wire` can also use (the engine reads its `adapter`). */
export function apexMethod(
    className: string,
    methodName: string
): ((params?: ApexParams) => Promise<unknown>) & { adapter: unknown } {
    class ApexWireAdapter extends FetchingWireAdapter<ApexParams, unknown> {
        constructor(dataCallback: DataCallback<unknown>) {
            super(dataCallback);
            liveApexAdapters.add(this);
        }

        protected load(config: ApexParams): Promise<unknown> {
            return callApex(className, methodName, config);
        }
    }
    const call = (params?: ApexParams): Promise<unknown> => callApex(className, methodName, params);
    return Object.assign(call, { adapter: ApexWireAdapter });
}

/** `refreshApex`: the workbench fetches every wired Apex result again. */
export async function refreshApex(): Promise<void> {
    for (const adapter of liveApexAdapters) {
        adapter.refresh();
    }
}

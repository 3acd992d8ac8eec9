import { expect } from 'vitest';
import { AuraHandledError, defaultApexDoubles, type ApexContext } from './apexDoubles';
import type { OrgStore } from './orgStore';

// What the stand-in's Apex-double tests share: calling a double as the browser's @salesforce/apex
// module would (a promise, even when the double throws synchronously), and reading a refusal.

const doubles = defaultApexDoubles();

/** The context a double runs in for a seed user of `store` (fails if the user is not seeded). */
export function contextFor(store: OrgStore, userId: string): ApexContext {
    const user = store.user(userId);
    if (!user) throw new Error(`seed user ${userId} missing`);
    return { user, store, settings: { relayUrl: 'http://127.0.0.1:8787' } };
}

/** Calls `Class.method`'s double with its parameters, as `context`'s user. */
export function callApexDouble<T>(
    name: string,
    params: Record<string, unknown>,
    context: ApexContext
): Promise<T> {
    const double = doubles.get(name);
    if (!double) throw new Error(`no double ${name}`);
    return Promise.resolve().then(() => double(params, context) as T);
}

/** The message of the AuraHandledException the call was refused with (fails if it succeeded). */
export async function refusal(promise: Promise<unknown>): Promise<string> {
    const error = await promise.then(
        () => undefined,
        (e: unknown) => e
    );
    expect(error).toBeInstanceOf(AuraHandledError);
    return (error as Error).message;
}

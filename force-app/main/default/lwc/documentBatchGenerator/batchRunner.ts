/**
 * Runs one job per item with a few at a time: a failure is that item's result and never stops the
 * others; a cancel stops starting new ones and lets the running ones finish.
 */

/** Documents converted and saved at the same time: enough to hide each round trip's wait, few
 * enough that the relay's isolate (128 MB shared by concurrent requests) and the org's concurrent
 * request limits are not pressed by one user's batch. */
export const MAX_CONCURRENCY = 3;
export const DEFAULT_CONCURRENCY = 2;

export interface BatchRunHooks<T> {
    /** Asked before each start: true stops starting new jobs. */
    cancelled: () => boolean;
    onStart?: (item: T) => void;
}

/**
 * Calls `job` for every item, at most `concurrency` at once, in order. Resolves when every started
 * job has settled; the items never started (cancelled) are returned.
 */
export async function runWithConcurrency<T>(
    items: readonly T[],
    concurrency: number,
    job: (item: T) => Promise<void>,
    hooks: BatchRunHooks<T>
): Promise<T[]> {
    const width = Math.max(1, Math.min(MAX_CONCURRENCY, Math.floor(concurrency) || 1));
    let next = 0;
    const worker = async (): Promise<void> => {
        while (next < items.length && !hooks.cancelled()) {
            const item = items[next++]!;
            hooks.onStart?.(item);
            try {
                // One at a time per worker: the loop is the concurrency bound.
                // eslint-disable-next-line no-await-in-loop
                await job(item);
            } catch {
                // A job reports its own failure on its item; the batch goes on.
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
    return items.slice(next);
}

// Helpers shared by every component test, so no test copies its own.

/** Lets pending promise callbacks and the re-render they cause run. */
export async function flushPromises(): Promise<void> {
    for (let i = 0; i < 5; i++) {
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
}

/** A minimal fetch Response: what the relay client reads (ok, status, json). */
export function jsonResponse(status: number, body: unknown): Response {
    return {
        ok: status >= 200 && status < 300,
        status,
        json: () => Promise.resolve(body)
    } as unknown as Response;
}

/** Removes every element a test mounted, so tests never see each other's DOM. */
export function resetDom(): void {
    while (document.body.firstChild) {
        document.body.removeChild(document.body.firstChild);
    }
}

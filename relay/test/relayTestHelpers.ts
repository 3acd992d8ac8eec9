import { env, exports } from 'cloudflare:workers';
import { createRelayApp } from '../src/relayApp';

/** Any host works: workerd routes every request to the relay under test. */
export const RELAY_TEST_ORIGIN = 'https://relay.test';

/** A request through the Worker's real default export, with the bindings from wrangler.jsonc. */
export function fetchRelay(path: string, init?: RequestInit): Promise<Response> {
    return exports.default.fetch(new Request(`${RELAY_TEST_ORIGIN}${path}`, init));
}

/** A request through a fresh relay app with some bindings replaced, e.g. a configured API key. */
export async function fetchRelayWith(
    bindings: Partial<Env>,
    path: string,
    init?: RequestInit
): Promise<Response> {
    return createRelayApp().request(`${RELAY_TEST_ORIGIN}${path}`, init, { ...env, ...bindings });
}

import { Hono } from 'hono';
import {
    RELAY_PATHS,
    type RelayConnectionCheck
} from '../../../force-app/main/default/lwc/relayContract/relayContract';
import { requireSession } from '../auth/requireSession';
import type { RelayEnv } from '../relayEnv';

/**
 * `GET /v1/connection`: the trust center's "is the relay connected?" check. A token of any scope
 * will do, because all it proves is that the relay accepts this org's key as it is now (known,
 * not revoked, the signature right); a refused token gets the one 401 error shape from
 * `requireSession`. The answer repeats what the token already says, so it reveals nothing new.
 */
export const connectionRoutes = new Hono<RelayEnv>().get(
    RELAY_PATHS.connection,
    requireSession(null),
    (c) => {
        const session = c.get('session')!;
        const check: RelayConnectionCheck = {
            orgId: session.orgId,
            keyId: session.keyId,
            tokenExpiresAt: new Date(session.expiresAt * 1000).toISOString()
        };
        c.header('Cache-Control', 'no-store');
        return c.json(check);
    }
);

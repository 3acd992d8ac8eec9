import type { MiddlewareHandler } from 'hono';
import {
    DEFAULT_SESSION_AUDIENCE,
    type RelayScope
} from '../../../force-app/main/default/lwc/relayContract/relayContract';
import { RelayError } from '../errors';
import type { RelayEnv } from '../relayEnv';
import { OrgKeyError, parseMasterKeys, parseRevokedKeyIds } from './orgKeys';
import { SessionTokenError, verifySessionToken } from './sessionToken';

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/**
 * Guards a route: a valid session token with `scope`, or the one error shape (401 to re-authenticate,
 * 403 for a token that is valid but may not do this). The verified claims go to `c.get('session')`.
 * `scope` null accepts a token of any scope: for routes that only prove the org's key works
 * (`GET /v1/connection`) and do nothing with the org's data.
 */
export function requireSession(scope: RelayScope | null): MiddlewareHandler<RelayEnv> {
    return async (c, next) => {
        const match = BEARER.exec(c.req.header('authorization') ?? '');
        if (!match) {
            throw new RelayError(
                401,
                'unauthorized',
                'A session token is required: send "Authorization: Bearer <token>" from Resident.'
            );
        }
        let masterKeys: Map<string, Uint8Array>;
        try {
            masterKeys = parseMasterKeys(c.env.RELAY_MASTER_KEYS);
        } catch (error) {
            // The deployment's fault, not the caller's: say so without naming the secret's content.
            const detail = error instanceof OrgKeyError ? ` (${error.message})` : '';
            console.error(`relay misconfigured: master keys unusable${detail}`);
            throw new RelayError(
                503,
                'internal_error',
                'The relay is not configured to accept session tokens yet. Tell your relay operator.'
            );
        }
        try {
            const session = await verifySessionToken(match[1]!, {
                masterKeys,
                revokedKeyIds: parseRevokedKeyIds(c.env.REVOKED_KEY_IDS),
                audience: c.env.SESSION_AUDIENCE || DEFAULT_SESSION_AUDIENCE
            });
            if (scope !== null && !session.scopes.has(scope)) {
                throw new SessionTokenError(
                    `This session token does not allow "${scope}" requests.`,
                    403
                );
            }
            c.set('session', session);
        } catch (error) {
            if (error instanceof SessionTokenError) {
                throw new RelayError(
                    error.status,
                    error.status === 403 ? 'forbidden' : 'unauthorized',
                    error.message
                );
            }
            if (error instanceof OrgKeyError) {
                throw new RelayError(401, 'unauthorized', error.message);
            }
            throw error;
        }
        await next();
    };
}

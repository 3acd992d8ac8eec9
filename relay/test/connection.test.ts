import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import {
    isRelayConnectionCheck,
    isRelayErrorBody,
    RELAY_PATHS,
    type RelayConnectionCheck,
    type RelayErrorBody
} from '../../force-app/main/default/lwc/relayContract/relayContract';
import { deriveOrgKey } from '../src/auth/orgKeys';
import { fetchRelay, fetchRelayWith } from './relayTestHelpers';
import {
    OTHER_ORG_ID,
    REVOKED_TEST_KEY_ID,
    TEST_KEY_ID,
    TEST_ORG_ID,
    testOrgKey,
    testSessionToken
} from './sessionTestTokens';
import { TEST_MASTER_SECRETS } from './testMasterKeys';

/**
 * `GET /v1/connection`: the trust center's proof that the relay accepts the org's key as it is
 * now. Checked in workerd through the Worker's real entry point and bindings.
 */

/** A second master secret, for a rotation: the vendor issues the org a key under `test-k2`. */
const ROTATED_KEY_ID = 'test-k2';
const ROTATED_MASTER_SECRET = 'n3wK3yAft3rR0tat10nF0rT3st5yyyyyyyyyyyyyyyy';
/** The deployment after the rotation: both secrets known, the old key id revoked. */
const AFTER_ROTATION: Partial<Env> = {
    RELAY_MASTER_KEYS: JSON.stringify({
        ...TEST_MASTER_SECRETS,
        [ROTATED_KEY_ID]: ROTATED_MASTER_SECRET
    }),
    REVOKED_KEY_IDS: `${REVOKED_TEST_KEY_ID}, ${TEST_KEY_ID}`
};

function checkConnection(token: string | undefined, bindings?: Partial<Env>): Promise<Response> {
    const init: RequestInit = {
        method: 'GET',
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` }
    };
    return bindings
        ? fetchRelayWith(bindings, RELAY_PATHS.connection, init)
        : fetchRelay(RELAY_PATHS.connection, init);
}

async function expectUnauthorized(response: Response, reason: RegExp): Promise<void> {
    expect(response.status).toBe(401);
    const body: unknown = await response.json();
    expect(isRelayErrorBody(body)).toBe(true);
    const error = (body as RelayErrorBody).error;
    expect(error.type).toBe('unauthorized');
    expect(error.message).toMatch(reason);
    expect(error.requestId).toBe(response.headers.get('x-request-id'));
}

describe('GET /v1/connection', () => {
    it('answers the org, the key id in use and the token expiry for a valid token', async () => {
        const before = Date.now();
        const response = await checkConnection(await testSessionToken());
        expect(response.status).toBe(200);
        expect(response.headers.get('cache-control')).toBe('no-store');
        const body: unknown = await response.json();
        // The same guard the trust center's client applies to the answer.
        expect(isRelayConnectionCheck(body)).toBe(true);
        const check = body as RelayConnectionCheck;
        expect(check.orgId).toBe(TEST_ORG_ID);
        expect(check.keyId).toBe(TEST_KEY_ID);
        const expiresAt = Date.parse(check.tokenExpiresAt);
        expect(check.tokenExpiresAt).toBe(new Date(expiresAt).toISOString());
        // Apex mints tokens for minutes, not days: the expiry is in the near future.
        expect(expiresAt).toBeGreaterThan(before);
        expect(expiresAt).toBeLessThan(before + 60 * 60 * 1000);
        expect(Object.keys(check).sort()).toEqual(['keyId', 'orgId', 'tokenExpiresAt']);
    });

    it('accepts a token of any scope, since it reads nothing of the org', async () => {
        const pdfOnly = await checkConnection(await testSessionToken({ scopes: ['pdf'] }));
        const llmOnly = await checkConnection(await testSessionToken({ scopes: ['llm'] }));
        expect([pdfOnly.status, llmOnly.status]).toEqual([200, 200]);
    });

    it('after a rotation refuses the old key id and accepts the new one', async () => {
        const oldToken = await testSessionToken();
        const newOrgKey = await deriveOrgKey(
            base64url.decode(ROTATED_MASTER_SECRET),
            ROTATED_KEY_ID,
            TEST_ORG_ID
        );
        const newToken = await testSessionToken({ orgKey: newOrgKey });

        await expectUnauthorized(
            await checkConnection(oldToken, AFTER_ROTATION),
            /unknown or revoked/
        );
        const accepted = await checkConnection(newToken, AFTER_ROTATION);
        expect(accepted.status).toBe(200);
        expect(((await accepted.json()) as RelayConnectionCheck).keyId).toBe(ROTATED_KEY_ID);
    });

    it('refuses a token signed with another org’s key', async () => {
        const token = await testSessionToken({ orgKey: await testOrgKey(OTHER_ORG_ID) });
        await expectUnauthorized(await checkConnection(token), /signature/i);
    });

    it('refuses a request without a token', async () => {
        await expectUnauthorized(await checkConnection(undefined), /session token is required/);
    });
});

import { base64url } from 'jose';
import { DEFAULT_POLICY } from '../../force-app/main/default/lwc/egressPolicy/egressPolicy';
import { deriveOrgKey } from '../src/auth/orgKeys';
import { mintSessionToken, type MintClaims } from '../src/auth/sessionToken';
import { REVOKED_TEST_KEY_ID, TEST_KEY_ID, TEST_MASTER_SECRETS } from './testMasterKeys';

export { REVOKED_TEST_KEY_ID, TEST_KEY_ID };
export const TEST_ORG_ID = '00D5g000000TestAAA';
export const OTHER_ORG_ID = '00D5g000000OthrAAA';
export const TEST_USER_ID = '0055g000000AdaAAAA';

/** The org key the relay derives for `orgId` under a test master secret. */
export function testOrgKey(
    orgId: string = TEST_ORG_ID,
    keyId: keyof typeof TEST_MASTER_SECRETS = TEST_KEY_ID
): Promise<string> {
    return deriveOrgKey(base64url.decode(TEST_MASTER_SECRETS[keyId]), keyId, orgId);
}

/** A valid token for TEST_ORG_ID / TEST_USER_ID with both scopes, unless overridden. */
export async function testSessionToken(
    overrides: Partial<MintClaims> & { orgKey?: string; now?: Date } = {}
): Promise<string> {
    const { orgKey, now, ...claims } = overrides;
    return mintSessionToken(
        orgKey ?? (await testOrgKey(claims.orgId ?? TEST_ORG_ID)),
        {
            orgId: TEST_ORG_ID,
            userId: TEST_USER_ID,
            scopes: ['llm', 'pdf'],
            policy: structuredClone(DEFAULT_POLICY),
            budget: { userDayRemaining: 100_000, taskRemaining: 50_000 },
            ...claims
        },
        now
    );
}

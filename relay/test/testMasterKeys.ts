/**
 * Master secrets for tests only (fixed, public, never configured in any deployment): the vitest
 * config hands them to the Worker as RELAY_MASTER_KEYS and the tests mint tokens with them.
 * `retired` is listed in REVOKED_KEY_IDS, so tokens it signs must be refused.
 */
export const TEST_MASTER_SECRETS = {
    'test-k1': 'm0l0f3zXb9yW7vQ2c4R8t1U6e5N3p7K9a2S4d6F8g0H',
    retired: 'r3T1r3dK3y0nlyF0rT3st5xxxxxxxxxxxxxxxxxxxxxx'
} as const;

export const TEST_KEY_ID = 'test-k1';
export const REVOKED_TEST_KEY_ID = 'retired';

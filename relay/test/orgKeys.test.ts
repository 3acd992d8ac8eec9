import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import {
    assertOrgId,
    deriveOrgKey,
    deriveOrgSecret,
    OrgKeyError,
    parseMasterKeys,
    parseOrgKey,
    parseRevokedKeyIds
} from '../src/auth/orgKeys';
import { OTHER_ORG_ID, TEST_KEY_ID, TEST_ORG_ID } from './sessionTestTokens';
import { TEST_MASTER_SECRETS } from './testMasterKeys';

/** Org keys are derived, never stored: the same inputs give the same key, anything else another. */

const master = base64url.decode(TEST_MASTER_SECRETS[TEST_KEY_ID]);

describe('org key derivation', () => {
    it('gives the same org key for the same master, key id and org, every time', async () => {
        const first = await deriveOrgKey(master, TEST_KEY_ID, TEST_ORG_ID);
        expect(first).toMatch(/^v1:test-k1:[A-Za-z0-9_-]{43}$/);
        expect(await deriveOrgKey(master, TEST_KEY_ID, TEST_ORG_ID)).toBe(first);
    });

    it('is HMAC-SHA256 of the documented message, so Apex and other tools can check it', async () => {
        const key = await crypto.subtle.importKey(
            'raw',
            new Uint8Array(master),
            { name: 'HMAC', hash: 'SHA-256' },
            false,
            ['sign']
        );
        const expected = new Uint8Array(
            await crypto.subtle.sign(
                'HMAC',
                key,
                new TextEncoder().encode(`resident-org-key|v1|${TEST_KEY_ID}|${TEST_ORG_ID}`)
            )
        );
        expect(await deriveOrgSecret(master, TEST_KEY_ID, TEST_ORG_ID)).toEqual(expected);
    });

    it('gives every org, key id and master secret a different key', async () => {
        const keys = new Set([
            await deriveOrgKey(master, TEST_KEY_ID, TEST_ORG_ID),
            await deriveOrgKey(master, TEST_KEY_ID, OTHER_ORG_ID),
            await deriveOrgKey(master, 'k2', TEST_ORG_ID),
            await deriveOrgKey(crypto.getRandomValues(new Uint8Array(32)), TEST_KEY_ID, TEST_ORG_ID)
        ]);
        expect(new Set([...keys].map((k) => k.split(':')[2])).size).toBe(4);
    });

    it('treats org ids case-sensitively, as Salesforce ids are', async () => {
        const lower = TEST_ORG_ID.slice(0, 15) + TEST_ORG_ID.slice(15).toLowerCase();
        expect(await deriveOrgKey(master, TEST_KEY_ID, lower)).not.toBe(
            await deriveOrgKey(master, TEST_KEY_ID, TEST_ORG_ID)
        );
    });

    it('refuses a 15-character org id and says which id to use', async () => {
        await expect(deriveOrgKey(master, TEST_KEY_ID, TEST_ORG_ID.slice(0, 15))).rejects.toThrow(
            /15 characters; use the 18-character id/
        );
    });

    it.each(['', '005000000000001AAA', '00D5g000000Test', '00D5g000000Test!AA', ` ${TEST_ORG_ID}`])(
        'refuses %j as an org id',
        (orgId) => {
            expect(() => assertOrgId(orgId)).toThrow(OrgKeyError);
        }
    );

    it.each(['', 'K1', '-k1', 'k 1', 'k1:x', 'a'.repeat(32)])(
        'refuses %j as a key id',
        async (id) => {
            await expect(deriveOrgKey(master, id, TEST_ORG_ID)).rejects.toThrow(
                /key id must match/
            );
        }
    );

    it('refuses a master secret shorter than 32 bytes', async () => {
        await expect(deriveOrgKey(new Uint8Array(31), TEST_KEY_ID, TEST_ORG_ID)).rejects.toThrow(
            /at least 32 bytes/
        );
    });
});

describe('org key parsing', () => {
    it('reads back the key id and the 32 secret bytes, ignoring surrounding whitespace', async () => {
        const orgKey = await deriveOrgKey(master, TEST_KEY_ID, TEST_ORG_ID);
        const parsed = parseOrgKey(`  ${orgKey}\n`);
        expect(parsed.keyId).toBe(TEST_KEY_ID);
        expect(parsed.secret).toEqual(await deriveOrgSecret(master, TEST_KEY_ID, TEST_ORG_ID));
    });

    it.each([
        ['another version', 'v2:k1:' + 'A'.repeat(43)],
        ['a short secret', 'v1:k1:' + 'A'.repeat(42)],
        ['no key id', 'v1::' + 'A'.repeat(43)],
        ['padding', 'v1:k1:' + 'A'.repeat(42) + '=']
    ])('refuses an org key with %s', (_name, orgKey) => {
        expect(() => parseOrgKey(orgKey)).toThrow(/v1:<key id>:<43 base64url characters>/);
    });
});

describe('RELAY_MASTER_KEYS', () => {
    const secret = base64url.encode(new Uint8Array(32).fill(7));

    it('reads every key id and secret', () => {
        const keys = parseMasterKeys(JSON.stringify({ k1: secret, k2: secret }));
        expect([...keys.keys()]).toEqual(['k1', 'k2']);
        expect(keys.get('k2')).toEqual(new Uint8Array(32).fill(7));
    });

    it.each([
        [undefined, /is not set/],
        ['  ', /is not set/],
        ['{k1:', /not valid JSON/],
        ['["k1"]', /JSON object of key id to secret/],
        ['{}', /holds no key/],
        [JSON.stringify({ 'Bad Id': secret }), /"Bad Id" is not a key id/],
        [JSON.stringify({ k1: 42 }), /secret of "k1" is not base64url/],
        [JSON.stringify({ k1: base64url.encode(new Uint8Array(16)) }), /"k1" is shorter than 32/]
    ])('refuses %j with a message naming the problem', (json, message) => {
        expect(() => parseMasterKeys(json)).toThrow(message);
    });

    it('never quotes a secret in its errors', () => {
        const short = base64url.encode(crypto.getRandomValues(new Uint8Array(20)));
        try {
            parseMasterKeys(JSON.stringify({ k1: short }));
            expect.unreachable();
        } catch (error) {
            expect(String(error)).not.toContain(short);
        }
    });

    it('reads revoked key ids from a comma-separated list', () => {
        expect([...parseRevokedKeyIds(' k1, ,k0 ')]).toEqual(['k1', 'k0']);
        expect(parseRevokedKeyIds(undefined).size).toBe(0);
    });
});

import { base64url } from 'jose';

/**
 * Org keys, derived and never stored: each org's key is HMAC-SHA256 of the org id under one of the
 * relay's master secrets, and names that secret's id, so the relay can check any org's tokens with
 * nothing but its Worker secrets, and a key id can be retired without touching any org record.
 * WebCrypto only: the same code runs in workerd and in the Node scripts that issue keys.
 */

export const ORG_KEY_VERSION = 'v1';
const KEY_ID = /^[a-z0-9][a-z0-9-]{0,30}$/;
const ORG_ID = /^00D[a-zA-Z0-9]{15}$/;
const ORG_KEY = /^v1:([a-z0-9][a-z0-9-]{0,30}):([A-Za-z0-9_-]{43})$/;
const MIN_MASTER_SECRET_BYTES = 32;

/** A configuration or input problem, worded for the person who can fix it; never holds a secret. */
export class OrgKeyError extends Error {}

export function isKeyId(value: string): boolean {
    return KEY_ID.test(value);
}

/** Throws unless `orgId` is an 18-character Salesforce org id (15-character ids are ambiguous). */
export function assertOrgId(orgId: string): void {
    if (ORG_ID.test(orgId)) return;
    if (/^00D[a-zA-Z0-9]{12}$/.test(orgId)) {
        throw new OrgKeyError(
            'The org id has 15 characters; use the 18-character id (Setup > Company Information).'
        );
    }
    throw new OrgKeyError('The org id must be an 18-character Salesforce id starting with 00D.');
}

/** The 32-byte org secret: HMAC-SHA256(master, `resident-org-key|v1|<keyId>|<orgId>`). */
export async function deriveOrgSecret(
    masterSecret: Uint8Array,
    keyId: string,
    orgId: string
): Promise<Uint8Array> {
    if (!isKeyId(keyId)) throw new OrgKeyError(`The key id must match ${KEY_ID.source}.`);
    assertOrgId(orgId);
    if (masterSecret.byteLength < MIN_MASTER_SECRET_BYTES) {
        throw new OrgKeyError(`A master secret needs at least ${MIN_MASTER_SECRET_BYTES} bytes.`);
    }
    const key = await crypto.subtle.importKey(
        'raw',
        // A copy backed by a plain ArrayBuffer, which WebCrypto's types require.
        new Uint8Array(masterSecret),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['sign']
    );
    const message = new TextEncoder().encode(`resident-org-key|v1|${keyId}|${orgId}`);
    return new Uint8Array(await crypto.subtle.sign('HMAC', key, message));
}

/** The org key string an admin stores in the org: `v1:<keyId>:<base64url org secret>`. */
export async function deriveOrgKey(
    masterSecret: Uint8Array,
    keyId: string,
    orgId: string
): Promise<string> {
    const secret = await deriveOrgSecret(masterSecret, keyId, orgId);
    return `${ORG_KEY_VERSION}:${keyId}:${base64url.encode(secret)}`;
}

export function parseOrgKey(orgKey: string): { keyId: string; secret: Uint8Array } {
    const match = ORG_KEY.exec(orgKey.trim());
    if (!match) {
        throw new OrgKeyError('An org key looks like v1:<key id>:<43 base64url characters>.');
    }
    return { keyId: match[1]!, secret: base64url.decode(match[2]!) };
}

/**
 * The RELAY_MASTER_KEYS secret: a JSON object of key id to base64url master secret. Errors name
 * the key id at fault, never a secret.
 */
export function parseMasterKeys(json: string | undefined): Map<string, Uint8Array> {
    if (!json || !json.trim()) {
        throw new OrgKeyError('RELAY_MASTER_KEYS is not set: the relay cannot check any token.');
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(json);
    } catch {
        throw new OrgKeyError('RELAY_MASTER_KEYS is not valid JSON ({"k1": "<base64url>"}).');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new OrgKeyError('RELAY_MASTER_KEYS must be a JSON object of key id to secret.');
    }
    const keys = new Map<string, Uint8Array>();
    for (const [keyId, value] of Object.entries(parsed as Record<string, unknown>)) {
        if (!isKeyId(keyId))
            throw new OrgKeyError(`RELAY_MASTER_KEYS: "${keyId}" is not a key id.`);
        let secret: Uint8Array;
        try {
            if (typeof value !== 'string') throw new Error('not a string');
            secret = base64url.decode(value);
        } catch {
            throw new OrgKeyError(`RELAY_MASTER_KEYS: the secret of "${keyId}" is not base64url.`);
        }
        if (secret.byteLength < MIN_MASTER_SECRET_BYTES) {
            throw new OrgKeyError(
                `RELAY_MASTER_KEYS: the secret of "${keyId}" is shorter than ${MIN_MASTER_SECRET_BYTES} bytes.`
            );
        }
        keys.set(keyId, secret);
    }
    if (keys.size === 0) throw new OrgKeyError('RELAY_MASTER_KEYS holds no key.');
    return keys;
}

export function parseRevokedKeyIds(value: string | undefined): Set<string> {
    return new Set(
        (value ?? '')
            .split(',')
            .map((id) => id.trim())
            .filter(Boolean)
    );
}

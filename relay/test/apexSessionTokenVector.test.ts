import { CompactSign, base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { deriveOrgKey } from '../src/auth/orgKeys';
import { SessionTokenError, verifySessionToken } from '../src/auth/sessionToken';
import apexTestSource from '../../force-app/main/default/classes/SessionTokenMinterTest.cls?raw';
import vector from './vectors/apexSessionToken.json';

// Apex cannot run here, so Apex and the relay meet in a known-answer vector: SessionTokenMinterTest
// (run in a scratch org) asserts Apex mints exactly `vector.token` from these inputs; these tests
// assert the vector is what the spec (docs/SESSION_TOKENS.md) gives byte for byte, and that the
// Apex test still hard-codes it. Change the format on one side and one of the two fails.

const encoder = new TextEncoder();
const masterKeys = new Map([[vector.masterKeyId, base64url.decode(vector.masterSecret)]]);
/** A moment inside the vector token's ten minutes. */
const whileValid = new Date((vector.issuedAt + 60) * 1000);

/** The org secret the spec derives: HMAC-SHA256(master secret, `resident-org-key|v1|<keyId>|<orgId>`). */
async function deriveOrgSecret(): Promise<Uint8Array> {
    const master = await crypto.subtle.importKey(
        'raw',
        base64url.decode(vector.masterSecret),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['sign']
    );
    const message = `resident-org-key|v1|${vector.masterKeyId}|${vector.orgId}`;
    return new Uint8Array(await crypto.subtle.sign('HMAC', master, encoder.encode(message)));
}

/** The header and payload in the spec's key order, built from the vector's inputs. */
function specHeaderAndPayload() {
    const header = { alg: 'HS256', typ: 'JWT', kid: `v1:${vector.masterKeyId}` };
    const payload = {
        iss: vector.orgId,
        sub: vector.userId,
        aud: vector.audience,
        iat: vector.issuedAt,
        nbf: vector.issuedAt,
        exp: vector.issuedAt + 600,
        jti: vector.tokenId,
        scope: 'llm pdf',
        pol: vector.policy,
        bud: vector.budget,
        tsk: vector.taskId
    };
    return { header, payload };
}

describe('the Apex session token known-answer vector', () => {
    it('is still hard-coded, with its inputs, in the Apex known-answer test', () => {
        expect(apexTestSource).toContain(`VECTOR_TOKEN = '${vector.token}';`);
        expect(apexTestSource).toContain(`VECTOR_ORG_KEY = '${vector.orgKey}';`);
        expect(apexTestSource).toContain(`VECTOR_ORG_ID = '${vector.orgId}';`);
        expect(apexTestSource).toContain(`VECTOR_USER_ID = '${vector.userId}';`);
        expect(apexTestSource).toContain(`VECTOR_TASK_ID = '${vector.taskId}';`);
        expect(apexTestSource).toContain(`VECTOR_ISSUED_AT = ${vector.issuedAt}L;`);
        expect(apexTestSource).toContain(`VECTOR_TOKEN_ID = '${vector.tokenId}';`);
    });

    it('derives its org key from the test master secret as the spec says', async () => {
        const secret = await deriveOrgSecret();
        expect(secret).toHaveLength(32);
        expect(vector.orgKey).toBe(`v1:${vector.masterKeyId}:${base64url.encode(secret)}`);
        // 43 base64url characters, no padding: the shape OrgKey.cls accepts.
        expect(vector.orgKey).toMatch(/^v1:[a-z0-9][a-z0-9-]{0,30}:[A-Za-z0-9_-]{43}$/);
    });

    it('writes header and payload in the spec key order, compact, as Apex JSONGenerator does', () => {
        const { header, payload } = specHeaderAndPayload();
        expect(vector.headerJson).toBe(JSON.stringify(header));
        expect(vector.payloadJson).toBe(JSON.stringify(payload));
        const [headerPart, payloadPart] = vector.token.split('.');
        expect(new TextDecoder().decode(base64url.decode(headerPart!))).toBe(vector.headerJson);
        expect(new TextDecoder().decode(base64url.decode(payloadPart!))).toBe(vector.payloadJson);
        // Apex sorts and de-duplicates the requested scopes into the claim.
        expect(vector.requestedScopes).toEqual(['pdf', 'llm']);
        expect(payload.exp - payload.iat).toBe(600);
    });

    it('is the HS256 compact JWS of those bytes under the org secret', async () => {
        const secret = await deriveOrgSecret();
        const token = await new CompactSign(encoder.encode(vector.payloadJson))
            .setProtectedHeader(JSON.parse(vector.headerJson) as { alg: 'HS256' })
            .sign(secret);
        expect(token).toBe(vector.token);
    });

    it("is the org key the relay's deriveOrgKey issues for the vector's org", async () => {
        expect(
            await deriveOrgKey(
                base64url.decode(vector.masterSecret),
                vector.masterKeyId,
                vector.orgId
            )
        ).toBe(vector.orgKey);
    });

    it('is accepted by the relay, which reads back exactly the claims Apex put in', async () => {
        const claims = await verifySessionToken(
            vector.token,
            { masterKeys, revokedKeyIds: new Set(), audience: vector.audience },
            whileValid
        );
        expect(claims).toEqual({
            orgId: vector.orgId,
            userId: vector.userId,
            keyId: vector.masterKeyId,
            scopes: new Set(['llm', 'pdf']),
            policy: vector.policy,
            budget: { userDayRemaining: vector.budget.day, taskRemaining: vector.budget.task },
            taskId: vector.taskId,
            tokenId: vector.tokenId,
            expiresAt: vector.issuedAt + 600
        });
    });

    it('is refused by the relay once its ten minutes and the clock tolerance are over', async () => {
        const afterExpiry = new Date((vector.issuedAt + 600 + 61) * 1000);
        await expect(
            verifySessionToken(
                vector.token,
                { masterKeys, revokedKeyIds: new Set(), audience: vector.audience },
                afterExpiry
            )
        ).rejects.toBeInstanceOf(SessionTokenError);
    });
});

import { base64url, exportSPKI, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../force-app/main/default/lwc/egressPolicy/egressPolicy';
import {
    isRelayErrorBody,
    type RelayErrorBody
} from '../../force-app/main/default/lwc/relayContract/relayContract';
import { deriveOrgSecret } from '../src/auth/orgKeys';
import { documentWith, paragraph } from './fixtures/pdf/sampleDocuments';
import { fetchRelay, fetchRelayWith } from './relayTestHelpers';
import {
    OTHER_ORG_ID,
    REVOKED_TEST_KEY_ID,
    TEST_KEY_ID,
    TEST_ORG_ID,
    TEST_USER_ID,
    testOrgKey,
    testSessionToken
} from './sessionTestTokens';
import { TEST_MASTER_SECRETS } from './testMasterKeys';

/**
 * Who may use the relay, checked in workerd through the Worker's real entry point and bindings
 * (RELAY_MASTER_KEYS with `test-k1` and the revoked `retired`). Each attack on the session token
 * is its own case. Refusals are asked of POST /v1/pdf, whose success needs no upstream, so a
 * refusal that should have been an acceptance (or the reverse) shows as a status.
 */

const OTHER_USER_ID = '0055g000000BobAAAA';
const nowSeconds = () => Math.floor(Date.now() / 1000);

async function postPdf(authorization: string | undefined): Promise<Response> {
    return fetchRelay('/v1/pdf', {
        method: 'POST',
        headers: {
            'content-type': 'application/json',
            ...(authorization === undefined ? {} : { authorization })
        },
        body: JSON.stringify(documentWith([paragraph('Session check')]))
    });
}

async function errorOf(response: Response): Promise<RelayErrorBody['error']> {
    const body: unknown = await response.json();
    expect(isRelayErrorBody(body)).toBe(true);
    return (body as RelayErrorBody).error;
}

/** A refusal: the status, the error shape with the request id, and a message matching `reason`. */
async function expectRefused(
    response: Response,
    reason: RegExp,
    status: 401 | 403 = 401
): Promise<RelayErrorBody['error']> {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const error = await errorOf(response);
    expect(error.type).toBe(status === 401 ? 'unauthorized' : 'forbidden');
    expect(error.message).toMatch(reason);
    expect(error.requestId).toBe(response.headers.get('x-request-id'));
    return error;
}

/** The claims Apex puts in a token for TEST_ORG_ID / TEST_USER_ID, ten minutes from now. */
function standardClaims(): JWTPayload & Record<string, unknown> {
    const iat = nowSeconds();
    return {
        iss: TEST_ORG_ID,
        sub: TEST_USER_ID,
        aud: 'resident-relay',
        iat,
        nbf: iat,
        exp: iat + 600,
        jti: '0123456789abcdef0123456789abcdef',
        scope: 'llm pdf',
        pol: structuredClone(DEFAULT_POLICY),
        bud: { day: 100_000, task: 50_000 }
    };
}

/** Signs `claims` with HS256 and the given header under `secret` (the org's, unless forging). */
async function signHs256(
    claims: JWTPayload,
    secret: Uint8Array,
    header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT', kid: `v1:${TEST_KEY_ID}` }
): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', ...header }).sign(secret);
}

function orgSecret(orgId = TEST_ORG_ID, keyId: keyof typeof TEST_MASTER_SECRETS = TEST_KEY_ID) {
    return deriveOrgSecret(base64url.decode(TEST_MASTER_SECRETS[keyId]), keyId, orgId);
}

/** Replaces the payload of a signed token, keeping its header and signature. */
function withPayload(token: string, change: (claims: Record<string, unknown>) => void): string {
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload))) as Record<
        string,
        unknown
    >;
    change(claims);
    return `${header}.${base64url.encode(JSON.stringify(claims))}.${signature}`;
}

describe('session tokens at the relay', () => {
    it('accepts a token Apex would mint for this org and user', async () => {
        const response = await postPdf(`Bearer ${await testSessionToken()}`);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('application/pdf');
    });

    it('refuses a forged signature (a key the relay did not derive)', async () => {
        const forgedSecret = crypto.getRandomValues(new Uint8Array(32));
        const token = await signHs256(standardClaims(), forgedSecret);
        await expectRefused(await postPdf(`Bearer ${token}`), /signature does not match/);
    });

    it('refuses a token whose signature was cut short', async () => {
        const token = await testSessionToken();
        await expectRefused(await postPdf(`Bearer ${token.slice(0, -4)}`), /signature|malformed/);
    });

    it('refuses alg "none" (an unsigned token)', async () => {
        const header = base64url.encode(
            JSON.stringify({ alg: 'none', typ: 'JWT', kid: `v1:${TEST_KEY_ID}` })
        );
        const payload = base64url.encode(JSON.stringify(standardClaims()));
        // Unsigned tokens end with an empty signature; the bearer syntax itself refuses them...
        await expectRefused(
            await postPdf(`Bearer ${header}.${payload}.`),
            /session token is required/
        );
        // ...and one with any signature text is refused for its algorithm, not checked with a key.
        await expectRefused(
            await postPdf(`Bearer ${header}.${payload}.AAAA`),
            /algorithm the relay does not accept/
        );
    });

    it('refuses an RS256 token, even one signed with a genuine RSA key', async () => {
        const { privateKey } = await generateKeyPair('RS256');
        const token = await new SignJWT(standardClaims())
            .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: `v1:${TEST_KEY_ID}` })
            .sign(privateKey);
        await expectRefused(
            await postPdf(`Bearer ${token}`),
            /algorithm the relay does not accept/
        );
    });

    it('refuses the HS/RS swap: HS256 signed with a public RSA key as the secret', async () => {
        // The classic confusion attack: the attacker knows a public key and hopes the verifier
        // uses it as an HMAC secret. The relay only ever uses the secret it derives for the org.
        const { publicKey } = await generateKeyPair('RS256', { extractable: true });
        const pem = await exportSPKI(publicKey);
        const token = await signHs256(standardClaims(), new TextEncoder().encode(pem));
        await expectRefused(await postPdf(`Bearer ${token}`), /signature does not match/);
    });

    it('refuses a token expired longer ago than the 60 s clock tolerance', async () => {
        const token = await testSessionToken({ now: new Date(Date.now() - (600 + 90) * 1000) });
        await expectRefused(await postPdf(`Bearer ${token}`), /has expired/);
    });

    it('accepts a token expired within the 60 s clock tolerance', async () => {
        const token = await testSessionToken({ now: new Date(Date.now() - (600 + 20) * 1000) });
        expect((await postPdf(`Bearer ${token}`)).status).toBe(200);
    });

    it('refuses a token not valid yet (issued beyond the tolerance in the future)', async () => {
        const token = await testSessionToken({ now: new Date(Date.now() + 5 * 60 * 1000) });
        await expectRefused(await postPdf(`Bearer ${token}`), /not valid yet|issued in the future/);
    });

    it('refuses a token whose nbf lies in the future', async () => {
        const claims = { ...standardClaims(), nbf: nowSeconds() + 300 };
        const token = await signHs256(claims, await orgSecret());
        await expectRefused(await postPdf(`Bearer ${token}`), /not valid yet/);
    });

    it('refuses a token minted for another audience', async () => {
        const token = await testSessionToken({ audience: 'some-other-service' });
        await expectRefused(await postPdf(`Bearer ${token}`), /another audience/);
    });

    it('refuses a token that names an unknown key id', async () => {
        const token = await signHs256(standardClaims(), await orgSecret(), {
            typ: 'JWT',
            kid: 'v1:k9'
        });
        await expectRefused(await postPdf(`Bearer ${token}`), /unknown or revoked/);
    });

    it('refuses a token without a key id, or with one outside the v1 scheme', async () => {
        const secret = await orgSecret();
        for (const header of [{ typ: 'JWT' }, { typ: 'JWT', kid: TEST_KEY_ID }]) {
            const token = await signHs256(standardClaims(), secret, header);
            await expectRefused(await postPdf(`Bearer ${token}`), /does not name a v1 org key id/);
        }
    });

    it('refuses a token signed with a revoked key id, though its signature is genuine', async () => {
        const token = await testSessionToken({
            orgKey: await testOrgKey(TEST_ORG_ID, REVOKED_TEST_KEY_ID)
        });
        await expectRefused(await postPdf(`Bearer ${token}`), /unknown or revoked/);
    });

    it("refuses one org's key used to sign a token for another org", async () => {
        // Org B's admin holds B's key and mints a token claiming to be org A.
        const token = await testSessionToken({
            orgId: TEST_ORG_ID,
            orgKey: await testOrgKey(OTHER_ORG_ID)
        });
        await expectRefused(await postPdf(`Bearer ${token}`), /signature does not match/);
    });

    it("refuses one org's token with its org id rewritten to another org", async () => {
        const token = withPayload(await testSessionToken(), (claims) => {
            claims.iss = OTHER_ORG_ID;
        });
        await expectRefused(await postPdf(`Bearer ${token}`), /signature does not match/);
    });

    it("refuses one user's token with its user id rewritten to another user", async () => {
        const token = withPayload(await testSessionToken(), (claims) => {
            claims.sub = OTHER_USER_ID;
        });
        await expectRefused(await postPdf(`Bearer ${token}`), /signature does not match/);
    });

    it('refuses a token with its scopes or budget rewritten', async () => {
        const pdfOnly = await testSessionToken({ scopes: ['pdf'] });
        const widened = withPayload(pdfOnly, (claims) => {
            claims.scope = 'llm pdf';
        });
        await expectRefused(await postPdf(`Bearer ${widened}`), /signature does not match/);
        const richer = withPayload(await testSessionToken(), (claims) => {
            claims.bud = { day: 10_000_000, task: 10_000_000 };
        });
        await expectRefused(await postPdf(`Bearer ${richer}`), /signature does not match/);
    });

    it('refuses a token that lives longer than 15 minutes', async () => {
        const token = await testSessionToken({ lifetimeSeconds: 3600 });
        await expectRefused(await postPdf(`Bearer ${token}`), /longer than the 15 minutes/);
    });

    it('refuses a token without the scope the route needs, with 403', async () => {
        const llmOnly = await testSessionToken({ scopes: ['llm'] });
        await expectRefused(await postPdf(`Bearer ${llmOnly}`), /does not allow "pdf"/, 403);
        const pdfOnly = await testSessionToken({ scopes: ['pdf'] });
        const response = await fetchRelay('/v1/messages', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${pdfOnly}` },
            body: JSON.stringify({
                model: DEFAULT_POLICY.models[0],
                max_tokens: 10,
                messages: [{ role: 'user', content: 'hello' }]
            })
        });
        await expectRefused(response, /does not allow "llm"/, 403);
    });

    it.each([
        ['no header', undefined],
        ['an empty header', ''],
        ['the scheme alone', 'Bearer'],
        ['Basic credentials', 'Basic dXNlcjpwYXNzd29yZA=='],
        ['a lower-case scheme and two spaces', 'bearer  a.b.c'],
        ['two segments', 'Bearer abc.def'],
        ['four segments', 'Bearer a.b.c.d'],
        ['non-base64url characters', 'Bearer a+b.c/d.e=f']
    ])('refuses a malformed authorization header: %s', async (_name, authorization) => {
        await expectRefused(await postPdf(authorization), /session token is required/);
    });

    it('refuses three segments that are not a JWT', async () => {
        await expectRefused(await postPdf('Bearer abc.def.ghi'), /malformed/);
    });

    it('refuses a genuinely signed token whose policy claim the relay cannot read', async () => {
        const claims = standardClaims();
        claims.pol = { ...DEFAULT_POLICY, models: [] };
        const token = await signHs256(claims, await orgSecret());
        await expectRefused(await postPdf(`Bearer ${token}`), /claims the relay cannot read/);
        const noPolicy = standardClaims();
        delete noPolicy.pol;
        const token2 = await signHs256(noPolicy, await orgSecret());
        await expectRefused(await postPdf(`Bearer ${token2}`), /claims the relay cannot read/);
    });

    it('refuses a genuinely signed token without a token id (jti)', async () => {
        const claims = standardClaims();
        delete claims.jti;
        const token = await signHs256(claims, await orgSecret());
        await expectRefused(await postPdf(`Bearer ${token}`), /"jti" claim/);
    });

    it('never echoes the token or any part of it in a refusal', async () => {
        const token = await testSessionToken({ audience: 'some-other-service' });
        const response = await postPdf(`Bearer ${token}`);
        const text = await response.text();
        expect(response.status).toBe(401);
        for (const part of token.split('.')) expect(text).not.toContain(part.slice(0, 16));
        expect(text).not.toContain(TEST_ORG_ID);
        expect(text).not.toContain(TEST_USER_ID);
        expect(text).not.toMatch(/\bat .+:\d+:\d+/);
    });

    it('answers 503 and blames the deployment when no master key is configured', async () => {
        const response = await fetchRelayWith({ RELAY_MASTER_KEYS: '' }, '/v1/pdf', {
            method: 'POST',
            headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${await testSessionToken()}`
            },
            body: JSON.stringify(documentWith([paragraph('x')]))
        });
        expect(response.status).toBe(503);
        expect(await errorOf(response)).toMatchObject({
            type: 'internal_error',
            message: expect.stringMatching(/not configured to accept session tokens/)
        });
    });

    it('refuses every org once its key id is revoked by the deployment', async () => {
        const token = await testSessionToken();
        const response = await fetchRelayWith(
            { REVOKED_KEY_IDS: `other, ${TEST_KEY_ID}` },
            '/v1/pdf',
            {
                method: 'POST',
                headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
                body: JSON.stringify(documentWith([paragraph('x')]))
            }
        );
        await expectRefused(response, /unknown or revoked/);
    });
});

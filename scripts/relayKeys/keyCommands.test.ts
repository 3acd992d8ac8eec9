import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { base64url } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../force-app/main/default/lwc/egressPolicy/egressPolicy';
import { deriveOrgKey } from '../../relay/src/auth/orgKeys';
import { verifySessionToken } from '../../relay/src/auth/sessionToken';
import { issueOrgKeyCommand } from '../issueOrgKey';
import { mintSessionTokenCommand } from '../mintSessionToken';
import { salesforceId18, salesforceIdSuffix } from './relayKeyInputs';

/** The vendor's key commands, run in-process and once each as the npm scripts people type. */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ORG_15 = '00D5g000000AbCd';
const ORG_18 = '00D5g000000AbCdEAK';
const USER_18 = '0055g000000XyZwAAK';
const k1 = new Uint8Array(32).fill(1);
const k2 = new Uint8Array(32).fill(2);
const oneKey = { RELAY_MASTER_KEYS: JSON.stringify({ k1: base64url.encode(k1) }) };
const twoKeys = {
    RELAY_MASTER_KEYS: JSON.stringify({ k1: base64url.encode(k1), k2: base64url.encode(k2) })
};

const workDir = mkdtempSync(path.join(tmpdir(), 'resident-keys-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('Salesforce ids typed by a person', () => {
    it("computes Salesforce's case-safe suffix (the documented example 001A0000006Vm9r)", () => {
        expect(salesforceIdSuffix('001A0000006Vm9r')).toBe('IAC');
    });

    it('turns a 15-character id into the 18-character one and keeps a correct 18', () => {
        expect(salesforceId18(ORG_15, '00D', 'org')).toBe(ORG_18);
        expect(salesforceId18(` ${ORG_18} `, '00D', 'org')).toBe(ORG_18);
    });

    it('refuses an 18-character id whose case or a character was changed', () => {
        expect(() =>
            salesforceId18(ORG_18.toLowerCase().replace('00d', '00D'), '00D', 'org')
        ).toThrow(/wrong checksum \(expected/);
    });
});

describe('relay:issue-org-key', () => {
    it('prints exactly the org key the relay derives for the org, and nothing else on stdout', async () => {
        const result = await issueOrgKeyCommand(['--org', ORG_18], oneKey);
        expect(result.exitCode).toBe(0);
        expect(result.stdout).toBe(`${await deriveOrgKey(k1, 'k1', ORG_18)}\n`);
        expect(result.stderr).toMatch(/Org key for 00D5g000000AbCdEAK under master key "k1"/);
    });

    it('issues the same key for the 15- and the 18-character org id', async () => {
        const from15 = await issueOrgKeyCommand(['--org', ORG_15], oneKey);
        const from18 = await issueOrgKeyCommand(['--org', ORG_18], oneKey);
        expect(from15.stdout).toBe(from18.stdout);
    });

    it('issues under the key id asked for, and needs one when there are several', async () => {
        const k2Key = await issueOrgKeyCommand(['--org', ORG_18, '--key-id', 'k2'], twoKeys);
        expect(k2Key.stdout).toBe(`${await deriveOrgKey(k2, 'k2', ORG_18)}\n`);
        const ambiguous = await issueOrgKeyCommand(['--org', ORG_18], twoKeys);
        expect(ambiguous).toMatchObject({ exitCode: 2, stdout: '' });
        expect(ambiguous.stderr).toMatch(/several key ids \(k1, k2\); choose one with --key-id/);
        const unknown = await issueOrgKeyCommand(['--org', ORG_18, '--key-id', 'k9'], twoKeys);
        expect(unknown.stderr).toMatch(/No master key "k9"; the master keys hold: k1, k2/);
    });

    it('reads the master keys from a JSON file or a .dev.vars-style file', async () => {
        const jsonFile = path.join(workDir, 'keys.json');
        writeFileSync(jsonFile, oneKey.RELAY_MASTER_KEYS);
        const varsFile = path.join(workDir, '.dev.vars');
        writeFileSync(varsFile, `OTHER=1\nRELAY_MASTER_KEYS='${oneKey.RELAY_MASTER_KEYS}'\n`);
        const expected = `${await deriveOrgKey(k1, 'k1', ORG_18)}\n`;
        for (const file of [jsonFile, varsFile]) {
            const result = await issueOrgKeyCommand(
                ['--org', ORG_18, '--master-keys-file', file],
                {}
            );
            expect(result.stdout).toBe(expected);
        }
    });

    it.each([
        [['--org', ORG_18], {}, /No master keys: set RELAY_MASTER_KEYS/],
        [[], oneKey, /Name the org: --org/],
        [['--org', '0055g000000XyZwAAK'], oneKey, /A org id starts with 00D/],
        [['--org', '00D5g000000AbC'], oneKey, /15 or 18 letters and digits/],
        [
            ['--org', '00D5g000000AbCdEAA'],
            oneKey,
            /wrong checksum \(expected "00D5g000000AbCdEAK"\)/
        ],
        [['--org', ORG_18, '--verbose'], oneKey, /Unknown option '--verbose'/],
        [
            ['--org', ORG_18],
            { RELAY_MASTER_KEYS: '{"k1": "c2hvcnQ"}' },
            /"k1" is shorter than 32 bytes/
        ],
        [
            ['--org', ORG_18, '--master-keys-file', 'no/such/file.json'],
            {},
            /Cannot read the master keys file/
        ]
    ])('exits 2 with a specific message for %j', async (argv, env, message) => {
        const result = await issueOrgKeyCommand(argv, env);
        expect(result.exitCode).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr).toMatch(message);
        expect(result.stderr).toContain('Usage:');
    });

    it('creates a new 32-byte master secret beside the deployed ones, with the wrangler step', async () => {
        const result = await issueOrgKeyCommand(['--new-master', '--key-id', 'k2'], oneKey);
        expect(result.exitCode).toBe(0);
        const keys = JSON.parse(result.stdout) as Record<string, string>;
        expect(Object.keys(keys)).toEqual(['k1', 'k2']);
        expect(keys.k1).toBe(base64url.encode(k1));
        expect(base64url.decode(keys.k2!)).toHaveLength(32);
        expect(result.stderr).toMatch(/wrangler secret put RELAY_MASTER_KEYS/);
        expect(result.stderr).toMatch(/REVOKED_KEY_IDS/);
        const again = await issueOrgKeyCommand(['--new-master', '--key-id', 'k2'], oneKey);
        expect((JSON.parse(again.stdout) as Record<string, string>).k2).not.toBe(keys.k2);
    });

    it('refuses a new master key id that exists or is malformed', async () => {
        const existing = await issueOrgKeyCommand(['--new-master', '--key-id', 'k1'], oneKey);
        expect(existing).toMatchObject({ exitCode: 2 });
        expect(existing.stderr).toMatch(/already hold "k1"/);
        const malformed = await issueOrgKeyCommand(['--new-master', '--key-id', 'K 2'], {});
        expect(malformed.stderr).toMatch(/"K 2" is not a key id/);
    });
});

describe('relay:mint-token', () => {
    const verifier = {
        masterKeys: new Map([['k1', k1]]),
        revokedKeyIds: new Set<string>(),
        audience: 'resident-relay'
    };

    it('mints a token the relay accepts, for the org and user named, with the default policy', async () => {
        const now = new Date();
        const result = await mintSessionTokenCommand(
            ['--org', ORG_15, '--user', USER_18, '--scopes', 'pdf', '--ttl', '300'],
            oneKey,
            now
        );
        expect(result.exitCode).toBe(0);
        const claims = await verifySessionToken(result.stdout.trim(), verifier, now);
        expect(claims).toMatchObject({ orgId: ORG_18, userId: USER_18, keyId: 'k1' });
        expect([...claims.scopes]).toEqual(['pdf']);
        expect(claims.policy).toEqual(DEFAULT_POLICY);
        expect(claims.expiresAt - Math.floor(now.getTime() / 1000)).toBe(300);
        expect(result.stderr).not.toContain(result.stdout.trim());
    });

    it('signs with an org key given directly, as an org admin holds it', async () => {
        const orgKey = await deriveOrgKey(k1, 'k1', ORG_18);
        const result = await mintSessionTokenCommand(
            [
                '--org',
                ORG_18,
                '--user',
                USER_18,
                '--org-key',
                orgKey,
                '--task',
                'a015g00000TaskAAAA'
            ],
            {}
        );
        const claims = await verifySessionToken(result.stdout.trim(), verifier);
        expect(claims.taskId).toBe('a015g00000TaskAAAA');
    });

    it('mints a token for another org that the relay refuses for this one', async () => {
        const result = await mintSessionTokenCommand(
            [
                '--org',
                ORG_18,
                '--user',
                USER_18,
                '--org-key',
                await deriveOrgKey(k1, 'k1', '00D5g000000OthrAAA')
            ],
            {}
        );
        await expect(verifySessionToken(result.stdout.trim(), verifier)).rejects.toThrow(
            /signature does not match/
        );
    });

    it.each([
        [['--user', USER_18], /Name the org/],
        [['--org', ORG_18], /Name the user/],
        [['--org', ORG_18, '--user', ORG_18], /A user id starts with 005/],
        [['--org', ORG_18, '--user', USER_18, '--ttl', '901'], /from 1 to 900/],
        [['--org', ORG_18, '--user', USER_18, '--ttl', '10m'], /got "10m"/],
        [['--org', ORG_18, '--user', USER_18, '--scopes', 'llm,admin'], /not "admin"/],
        [['--org', ORG_18, '--user', USER_18, '--task', 'abc'], /18-character record id/],
        [['--org', ORG_18, '--user', USER_18, '--org-key', 'v1:k1:short'], /43 base64url/],
        [['--org', ORG_18, '--user', USER_18, '--org-key', 'v1:k1:x', '--key-id', 'k1'], /not both/]
    ])('exits 2 with a specific message for %j', async (argv, message) => {
        const result = await mintSessionTokenCommand(argv, oneKey);
        expect(result).toMatchObject({ exitCode: 2, stdout: '' });
        expect(result.stderr).toMatch(message);
    });
});

describe('the npm scripts', () => {
    const run = (script: string, args: string[], env: Record<string, string>) =>
        spawnSync('npm', ['run', '-s', script, '--', ...args], {
            cwd: repoRoot,
            encoding: 'utf8',
            env: { ...process.env, RELAY_MASTER_KEYS: '', ...env }
        });

    it('relay:issue-org-key prints the key alone on stdout and exits 0', async () => {
        const result = run('relay:issue-org-key', ['--org', ORG_18], oneKey);
        expect(result.status).toBe(0);
        expect(result.stdout).toBe(`${await deriveOrgKey(k1, 'k1', ORG_18)}\n`);
    });

    it('relay:mint-token exits 2 on a bad argument and prints no token', () => {
        const result = run(
            'relay:mint-token',
            ['--org', ORG_18, '--user', USER_18, '--ttl', '3600'],
            oneKey
        );
        expect(result.status).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr).toMatch(/--ttl is a number of seconds from 1 to 900/);
    });
});

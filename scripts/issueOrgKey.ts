/**
 * For the vendor: issues the org key of one Salesforce org, or creates a new master secret to
 * rotate to. Org keys are derived from the relay's master secret and the org id, so issuing one
 * stores nothing anywhere (docs/SESSION_TOKENS.md).
 *
 *   npm run -s relay:issue-org-key -- --org 00D5g000000AbCdEAA [--key-id k1] [--master-keys-file F]
 *   npm run -s relay:issue-org-key -- --new-master --key-id k2 [--master-keys-file F]
 *
 * The master keys come from --master-keys-file or the RELAY_MASTER_KEYS environment variable.
 * stdout holds only the key (or the new RELAY_MASTER_KEYS value); guidance goes to stderr.
 */
import { base64url } from 'jose';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { deriveOrgKey, isKeyId } from '../relay/src/auth/orgKeys';
import { exitWith, runCommand, type CommandResult } from './relayKeys/commandResult';
import {
    loadMasterKeys,
    pickMasterKey,
    salesforceId18,
    UsageError
} from './relayKeys/relayKeyInputs';

const USAGE = `Usage:
  npm run -s relay:issue-org-key -- --org <org id> [--key-id <id>] [--master-keys-file <file>]
  npm run -s relay:issue-org-key -- --new-master --key-id <new id> [--master-keys-file <file>]`;

const MASTER_SECRET_BYTES = 32;

function parse(argv: string[]) {
    try {
        return parseArgs({
            args: argv,
            options: {
                org: { type: 'string' },
                'key-id': { type: 'string' },
                'master-keys-file': { type: 'string' },
                'new-master': { type: 'boolean', default: false }
            },
            strict: true,
            allowPositionals: false
        }).values;
    } catch (error) {
        throw new UsageError((error as Error).message);
    }
}

async function issueOrgKey(
    values: ReturnType<typeof parse>,
    env: NodeJS.ProcessEnv
): Promise<Omit<CommandResult, 'exitCode'>> {
    if (!values.org) throw new UsageError('Name the org: --org <15- or 18-character org id>.');
    const orgId = salesforceId18(values.org, '00D', 'org');
    const { keyId, secret } = pickMasterKey(
        loadMasterKeys(values['master-keys-file'], env),
        values['key-id']
    );
    const orgKey = await deriveOrgKey(secret, keyId, orgId);
    return {
        stdout: `${orgKey}\n`,
        stderr:
            `Org key for ${orgId} under master key "${keyId}". Send it to the org's admin over a ` +
            `channel you trust; they paste it in Resident's Trust Center (Relay connection). It is ` +
            `not stored anywhere: run this again to reissue it.\n`
    };
}

function newMasterKey(
    values: ReturnType<typeof parse>,
    env: NodeJS.ProcessEnv
): Omit<CommandResult, 'exitCode'> {
    const keyId = values['key-id'];
    if (!keyId) throw new UsageError('Name the new master key: --key-id <id>, e.g. k2.');
    if (!isKeyId(keyId)) {
        throw new UsageError(
            `"${keyId}" is not a key id: use 1 to 31 lower-case letters, digits and dashes.`
        );
    }
    if (values.org) throw new UsageError('--new-master creates a master key; leave out --org.');
    // Keep the keys already deployed, so tokens signed with them go on working during rotation.
    const haveKeys = Boolean(values['master-keys-file'] || env.RELAY_MASTER_KEYS);
    const existing = haveKeys ? loadMasterKeys(values['master-keys-file'], env) : new Map();
    if (existing.has(keyId)) {
        throw new UsageError(`The master keys already hold "${keyId}"; choose a new key id.`);
    }
    const merged: Record<string, string> = {};
    for (const [id, secret] of existing) merged[id] = base64url.encode(secret as Uint8Array);
    merged[keyId] = base64url.encode(crypto.getRandomValues(new Uint8Array(MASTER_SECRET_BYTES)));
    const kept = [...existing.keys()];
    return {
        stdout: `${JSON.stringify(merged)}\n`,
        stderr: [
            `A new ${MASTER_SECRET_BYTES}-byte master secret "${keyId}"` +
                (kept.length ? `, with the keys already deployed (${kept.join(', ')}).` : '.'),
            'Next steps:',
            '  1. npx wrangler secret put RELAY_MASTER_KEYS --config relay/wrangler.jsonc',
            '     and paste the line above (it never goes in a file in the repository).',
            `  2. Issue each org its new key: npm run -s relay:issue-org-key -- --org <org id> --key-id ${keyId}`,
            '  3. Once every org has saved its new key, add the old key id to REVOKED_KEY_IDS in',
            '     relay/wrangler.jsonc and deploy: tokens signed with it are refused from then on.',
            ''
        ].join('\n')
    };
}

export function issueOrgKeyCommand(
    argv: string[],
    env: NodeJS.ProcessEnv = process.env
): Promise<CommandResult> {
    return runCommand(USAGE, async () => {
        const values = parse(argv);
        return values['new-master'] ? newMasterKey(values, env) : issueOrgKey(values, env);
    });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    exitWith(await issueOrgKeyCommand(process.argv.slice(2)));
}

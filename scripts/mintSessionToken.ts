/**
 * For local development and tests: mints a session token exactly as the org's Apex does
 * (SessionTokenMinter), so the relay can be called with curl or the Anthropic SDK without an org.
 * The token carries the default egress policy and full budgets.
 *
 *   npm run -s relay:mint-token -- --org <org id> --user <user id> [--scopes llm,pdf] [--ttl 600]
 *       [--task <task id>] [--audience resident-relay]
 *       [--org-key v1:...] | [--key-id k1] [--master-keys-file F]
 *
 * The signing key is --org-key (what an org admin holds) or else derived from the master keys
 * (--master-keys-file or RELAY_MASTER_KEYS). stdout holds only the token.
 */
import { decodeJwt } from 'jose';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DEFAULT_POLICY } from '../force-app/main/default/lwc/egressPolicy/egressPolicy';
import {
    DEFAULT_SESSION_AUDIENCE,
    MAX_SESSION_TOKEN_LIFETIME_SECONDS,
    type RelayScope
} from '../force-app/main/default/lwc/relayContract/relayContract';
import { deriveOrgKey, OrgKeyError, parseOrgKey } from '../relay/src/auth/orgKeys';
import { DEFAULT_TOKEN_LIFETIME_SECONDS, mintSessionToken } from '../relay/src/auth/sessionToken';
import { exitWith, runCommand, type CommandResult } from './relayKeys/commandResult';
import {
    loadMasterKeys,
    pickMasterKey,
    salesforceId18,
    UsageError
} from './relayKeys/relayKeyInputs';

const USAGE = `Usage:
  npm run -s relay:mint-token -- --org <org id> --user <user id> [--scopes llm,pdf] [--ttl <seconds>]
      [--task <task id>] [--audience <aud>] [--org-key <v1:...> | --key-id <id> --master-keys-file <file>]`;

const SCOPES: readonly RelayScope[] = ['llm', 'pdf'];

function parse(argv: string[]) {
    try {
        return parseArgs({
            args: argv,
            options: {
                org: { type: 'string' },
                user: { type: 'string' },
                scopes: { type: 'string', default: SCOPES.join(',') },
                ttl: { type: 'string', default: String(DEFAULT_TOKEN_LIFETIME_SECONDS) },
                task: { type: 'string' },
                audience: { type: 'string', default: DEFAULT_SESSION_AUDIENCE },
                'org-key': { type: 'string' },
                'key-id': { type: 'string' },
                'master-keys-file': { type: 'string' }
            },
            strict: true,
            allowPositionals: false
        }).values;
    } catch (error) {
        throw new UsageError((error as Error).message);
    }
}

function scopesFrom(list: string): RelayScope[] {
    const scopes = list
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    const unknown = scopes.filter((s) => !SCOPES.includes(s as RelayScope));
    if (scopes.length === 0 || unknown.length > 0) {
        throw new UsageError(
            `Scopes are a comma-separated list of ${SCOPES.join(' and ')}` +
                (unknown.length ? `; not ${unknown.map((s) => `"${s}"`).join(', ')}.` : '.')
        );
    }
    return scopes as RelayScope[];
}

function lifetimeFrom(ttl: string): number {
    const seconds = /^\d+$/.test(ttl) ? Number(ttl) : NaN;
    if (!(seconds >= 1 && seconds <= MAX_SESSION_TOKEN_LIFETIME_SECONDS)) {
        throw new UsageError(
            `--ttl is a number of seconds from 1 to ${MAX_SESSION_TOKEN_LIFETIME_SECONDS} (the relay refuses longer-lived tokens); got "${ttl}".`
        );
    }
    return seconds;
}

async function signingKey(
    values: ReturnType<typeof parse>,
    orgId: string,
    env: NodeJS.ProcessEnv
): Promise<string> {
    if (values['org-key']) {
        if (values['key-id'] || values['master-keys-file']) {
            throw new UsageError('Give either --org-key or master keys, not both.');
        }
        try {
            parseOrgKey(values['org-key']);
        } catch (error) {
            if (error instanceof OrgKeyError) throw new UsageError(error.message);
            throw error;
        }
        return values['org-key'].trim();
    }
    const { keyId, secret } = pickMasterKey(
        loadMasterKeys(values['master-keys-file'], env),
        values['key-id']
    );
    return deriveOrgKey(secret, keyId, orgId);
}

export function mintSessionTokenCommand(
    argv: string[],
    env: NodeJS.ProcessEnv = process.env,
    now: Date = new Date()
): Promise<CommandResult> {
    return runCommand(USAGE, async () => {
        const values = parse(argv);
        if (!values.org) throw new UsageError('Name the org: --org <org id>.');
        if (!values.user) throw new UsageError('Name the user: --user <user id>.');
        const orgId = salesforceId18(values.org, '00D', 'org');
        const userId = salesforceId18(values.user, '005', 'user');
        const scopes = scopesFrom(values.scopes);
        const lifetimeSeconds = lifetimeFrom(values.ttl);
        let taskId: string | undefined;
        if (values.task !== undefined) {
            if (!/^[a-zA-Z0-9]{18}$/.test(values.task)) {
                throw new UsageError(`--task is an 18-character record id; got "${values.task}".`);
            }
            taskId = values.task;
        }
        const orgKey = await signingKey(values, orgId, env);
        const policy = structuredClone(DEFAULT_POLICY);
        const token = await mintSessionToken(
            orgKey,
            {
                orgId,
                userId,
                scopes,
                policy,
                budget: {
                    userDayRemaining: policy.tokenBudget.perUserPerDay,
                    taskRemaining: policy.tokenBudget.perTask
                },
                taskId,
                lifetimeSeconds,
                audience: values.audience
            },
            now
        );
        const keyId = parseOrgKey(orgKey).keyId;
        return {
            stdout: `${token}\n`,
            stderr:
                `Session token for user ${userId} of org ${orgId}, scopes ${scopes.join(' ')}, ` +
                `key "${keyId}", valid ${lifetimeSeconds} s (token id ${decodeJwt(token).jti}). ` +
                `Use it as "Authorization: Bearer <token>".\n`
        };
    });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    exitWith(await mintSessionTokenCommand(process.argv.slice(2)));
}

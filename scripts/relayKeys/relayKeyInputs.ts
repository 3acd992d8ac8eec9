import { readFileSync } from 'node:fs';
import { OrgKeyError, parseMasterKeys } from '../../relay/src/auth/orgKeys';

/**
 * What the vendor's key commands read from a person: Salesforce ids typed or pasted from Setup,
 * and the relay's master secrets. Mistakes are caught here, with a message that says what to do,
 * because a key issued for a mistyped org id fails much later, in the customer's org.
 */

/** A mistake in what the command was given; the command prints it and exits with status 2. */
export class UsageError extends Error {}

const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The three characters Salesforce appends to a 15-character id to make it case-insensitive. */
export function salesforceIdSuffix(id15: string): string {
    let suffix = '';
    for (let chunk = 0; chunk < 3; chunk += 1) {
        let bits = 0;
        for (let i = 0; i < 5; i += 1) {
            const c = id15.charAt(chunk * 5 + i);
            if (c >= 'A' && c <= 'Z') bits |= 1 << i;
        }
        suffix += CHECKSUM_ALPHABET.charAt(bits);
    }
    return suffix;
}

/**
 * The 18-character id of a Salesforce record of the given key prefix (`00D` org, `005` user), from
 * its 15- or 18-character form. An 18-character id must carry the right suffix: a wrong one means
 * a character was mistyped or its case changed (15-character ids are case-sensitive).
 */
export function salesforceId18(input: string, prefix: '00D' | '005', what: string): string {
    const id = input.trim();
    if (!/^[a-zA-Z0-9]+$/.test(id) || (id.length !== 15 && id.length !== 18)) {
        throw new UsageError(`The ${what} id must have 15 or 18 letters and digits; got "${id}".`);
    }
    if (!id.startsWith(prefix)) {
        throw new UsageError(`A ${what} id starts with ${prefix}; "${id}" does not.`);
    }
    const expected = id.slice(0, 15) + salesforceIdSuffix(id.slice(0, 15));
    if (id.length === 18 && id !== expected) {
        throw new UsageError(
            `The ${what} id "${id}" has a wrong checksum (expected "${expected}"): a character was mistyped or changed case. Copy it again from Salesforce.`
        );
    }
    return expected;
}

/**
 * The relay's master secrets, from `--master-keys-file` (the JSON object, or a `.dev.vars`-style
 * file with a RELAY_MASTER_KEYS= line) or else the RELAY_MASTER_KEYS environment variable, as
 * `wrangler secret put RELAY_MASTER_KEYS` was given them.
 */
export function loadMasterKeys(
    file: string | undefined,
    env: NodeJS.ProcessEnv
): Map<string, Uint8Array> {
    let json = env.RELAY_MASTER_KEYS;
    let source = 'the RELAY_MASTER_KEYS environment variable';
    if (file) {
        let text: string;
        try {
            text = readFileSync(file, 'utf8');
        } catch {
            throw new UsageError(`Cannot read the master keys file "${file}".`);
        }
        const line = /^\s*RELAY_MASTER_KEYS\s*=\s*(.*)$/m.exec(text);
        json = line ? line[1]!.trim().replace(/^'(.*)'$/s, '$1') : text;
        source = `"${file}"`;
    }
    if (!json || !json.trim()) {
        throw new UsageError(
            'No master keys: set RELAY_MASTER_KEYS (the JSON given to `wrangler secret put RELAY_MASTER_KEYS`) or pass --master-keys-file FILE.'
        );
    }
    try {
        return parseMasterKeys(json);
    } catch (error) {
        if (error instanceof OrgKeyError) {
            throw new UsageError(`${error.message} (read from ${source})`);
        }
        throw error;
    }
}

/** The master secret of `keyId`, or of the only key when none is named. */
export function pickMasterKey(
    keys: Map<string, Uint8Array>,
    keyId: string | undefined
): { keyId: string; secret: Uint8Array } {
    if (keyId) {
        const secret = keys.get(keyId);
        if (!secret) {
            throw new UsageError(
                `No master key "${keyId}"; the master keys hold: ${[...keys.keys()].join(', ')}.`
            );
        }
        return { keyId, secret };
    }
    if (keys.size > 1) {
        throw new UsageError(
            `The master keys hold several key ids (${[...keys.keys()].join(', ')}); choose one with --key-id.`
        );
    }
    const [only] = keys.entries();
    return { keyId: only![0], secret: only![1] };
}

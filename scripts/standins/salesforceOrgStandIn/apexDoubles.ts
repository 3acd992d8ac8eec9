import { DEFAULT_POLICY } from '../../../force-app/main/default/lwc/egressPolicy/egressPolicy';
import type { RelayScope } from '../../../force-app/main/default/lwc/relayContract/relayContract';
import { mintSessionToken } from '../../../relay/src/auth/sessionToken';
import type { OrgStore, OrgUser } from './orgStore';
import { ORG_ID } from './seedData';

// Test doubles of the package's @AuraEnabled Apex, called by the workbench as
// `POST /__standin/apex/<ClassName>/<methodName>`. Each runs as the calling user.

export type ApexContext = {
    user: OrgUser;
    store: OrgStore;
    /** The stand-in's start options the doubles may read. */
    settings: { relayUrl: string; orgKey?: string };
};
export type ApexDouble = (params: Record<string, unknown>, context: ApexContext) => unknown;

/** Thrown by a double to answer like an AuraHandledException. */
export class AuraHandledError extends Error {}

/** Lifetime of the tokens the real SessionTokenMinter mints (600 s). */
const SESSION_LIFETIME_SECONDS = 600;
const SCOPES: readonly RelayScope[] = ['llm', 'pdf'];

/**
 * Mirrors RelayConnectionController.getRelaySession: validates the scopes, refuses when no relay or
 * no org key is configured (with the messages of the real Custom Labels' intent), and mints a real
 * session token for the calling user with the org's key, so the relay verifies it as in production.
 */
async function getRelaySession(
    params: Record<string, unknown>,
    { user, settings }: ApexContext
): Promise<{ relayUrl: string; token: string; expiresAt: number }> {
    const scopes = params.scopes;
    if (
        !Array.isArray(scopes) ||
        scopes.length === 0 ||
        !scopes.every((s): s is RelayScope => SCOPES.includes(s as RelayScope))
    ) {
        throw new AuraHandledError('Ask for the relay scopes llm and/or pdf.');
    }
    if (!settings.relayUrl) throw new AuraHandledError('No Resident relay is configured.');
    if (!settings.orgKey) {
        throw new AuraHandledError('This org is not connected to the Resident relay yet.');
    }
    const now = new Date();
    const taskId = typeof params.taskId === 'string' && params.taskId ? params.taskId : undefined;
    const token = await mintSessionToken(
        settings.orgKey,
        {
            orgId: ORG_ID,
            userId: user.id,
            scopes,
            policy: structuredClone(DEFAULT_POLICY),
            budget: {
                userDayRemaining: DEFAULT_POLICY.tokenBudget.perUserPerDay,
                taskRemaining: DEFAULT_POLICY.tokenBudget.perTask
            },
            taskId,
            lifetimeSeconds: SESSION_LIFETIME_SECONDS
        },
        now
    );
    return {
        relayUrl: settings.relayUrl,
        token,
        // As Apex reports it: the token's `exp` (whole seconds) in epoch milliseconds.
        expiresAt: (Math.floor(now.getTime() / 1000) + SESSION_LIFETIME_SECONDS) * 1000
    };
}

export function defaultApexDoubles(): Map<string, ApexDouble> {
    return new Map<string, ApexDouble>([
        [
            'RelayConnectionController.getRelayConnection',
            (_params, { settings }) => ({
                relayUrl: settings.relayUrl || null,
                keyConfigured: Boolean(settings.orgKey)
            })
        ],
        ['RelayConnectionController.getRelaySession', getRelaySession]
    ]);
}

import type { EgressPolicy } from '../../../force-app/main/default/lwc/egressPolicy/egressPolicy';
import type { RelayScope } from '../../../force-app/main/default/lwc/relayContract/relayContract';

/**
 * What a verified session token tells the relay about the request, and all it knows: which org
 * and user it acts for, what it may do, and the org's egress policy. Apex in the user's session
 * mints the token (see docs/SESSION_TOKENS.md); the relay stores none of it.
 */
export interface SessionClaims {
    /** The Salesforce org id (18 characters, `00D...`); its key signed the token. */
    orgId: string;
    /** The Salesforce user id (18 characters, `005...`) the token was minted for. */
    userId: string;
    /** The org key id that signed the token (`k1`, from the token header's `v1:k1`). */
    keyId: string;
    scopes: ReadonlySet<RelayScope>;
    /** The org's egress policy as Apex read it when minting. */
    policy: EgressPolicy;
    /** Tokens left in today's per-user budget and in the current task's budget, as Apex counted. */
    budget: { userDayRemaining: number; taskRemaining: number };
    /** The task the token was minted for, if any (`a0X...`), for budgets and logs. */
    taskId?: string;
    /** The token's unique id (`jti`). */
    tokenId: string;
    expiresAt: number;
}

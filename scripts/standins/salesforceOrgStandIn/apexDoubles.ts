import type { OrgStore, OrgUser } from './orgStore';

// Test doubles of the package's @AuraEnabled Apex, called by the workbench as
// `POST /__standin/apex/<ClassName>/<methodName>`. Each runs as the calling user.

export type ApexContext = {
    user: OrgUser;
    store: OrgStore;
    /** The stand-in's start options the doubles may read (e.g. the relay URL). */
    settings: { relayUrl: string };
};
export type ApexDouble = (params: Record<string, unknown>, context: ApexContext) => unknown;

/** Thrown by a double to answer like an AuraHandledException. */
export class AuraHandledError extends Error {}

export function defaultApexDoubles(): Map<string, ApexDouble> {
    return new Map<string, ApexDouble>([
        [
            'RelayConnectionController.getRelayConnection',
            (_params, { settings }) => ({ relayUrl: settings.relayUrl })
        ]
    ]);
}

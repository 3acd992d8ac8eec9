import {
    defaultRetentionSettings,
    type RetentionRunState,
    type RetentionSettings
} from '../../../force-app/main/default/lwc/trustCenterContract/trustCenterContract';

// Trust center (issue 7): what the stand-in org keeps for the trust center's Apex doubles, in the
// shape a real org keeps it: the retention windows (a protected custom setting), the scheduled
// retention job (a CronTrigger) and its batch runs (AsyncApexJob rows).

/** Organization.Name of the stand-in org: the text a purge must be confirmed with. */
export const STANDIN_ORG_NAME = 'Resident Stand-in Org';

export type RetentionRunRecord = RetentionRunState & {
    /** The user the batch runs as (the admin who scheduled or started it). */
    runAsUserId: string;
    /** How many times the page has polled it: the stand-in advances one status per poll. */
    polls: number;
};

export type TrustCenterState = {
    retention: RetentionSettings;
    job: { cronExpression: string; scheduledById: string } | null;
    runs: RetentionRunRecord[];
    /** AsyncApexJob ids handed out so far. */
    jobsStarted: number;
};

export function newTrustCenterState(): TrustCenterState {
    return { retention: defaultRetentionSettings(), job: null, runs: [], jobsStarted: 0 };
}

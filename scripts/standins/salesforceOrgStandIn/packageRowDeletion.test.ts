import { beforeEach, describe, expect, it } from 'vitest';
import type {
    PurgePage,
    RetentionRunState
} from '../../../force-app/main/default/lwc/trustCenterContract/trustCenterContract';
import type { ApexContext } from './apexDoubles';
import { callApexDouble as call, contextFor, refusal } from './apexDoubleTestSupport';
import { OrgStore } from './orgStore';
import {
    ADA_ADMIN_ID,
    ADA_ENTRY_ID,
    SAM_SELLER_ID,
    SAM_TASK_ID,
    SAM_UPDATE_ENTRY_ID
} from './seedData';
import { STANDIN_ORG_NAME } from './trustCenterState';

// Retention and purge delete as PackageRowDeleter does in the org: every package object in user
// mode (so Resident Admin's Delete and Modify All decide, nothing more), activity log entries
// through ActivityLogEraser (system mode, only with Resident_Manage_Trust_Settings). These tests
// take a permission away from Ada's profile, as an admin editing the permission set would, and
// prove the stand-in then refuses, as the org would.

const ADMIN_PROFILE = 'System Administrator';
let store: OrgStore;
let ada: ApexContext;
let sam: ApexContext;

beforeEach(() => {
    store = new OrgStore();
    ada = contextFor(store, ADA_ADMIN_ID);
    sam = contextFor(store, SAM_SELLER_ID);
});

function purgeTasks(context: ApexContext): Promise<PurgePage> {
    return call<PurgePage>(
        'DataPurgeController.purgePage',
        { objectApiName: 'Resident_Task__c', confirmOrgName: STANDIN_ORG_NAME },
        context
    );
}

describe('purge and retention delete in user mode', () => {
    it('purge refuses an admin whose permission set lost Delete on tasks, deleting nothing', async () => {
        store.setObjectPermissions(ADMIN_PROFILE, 'Resident_Task__c', { delete: false });
        const before = store.systemRecords('Resident_Task__c').length;
        expect(await refusal(purgeTasks(ada))).toMatch(/permission/);
        expect(store.systemRecords('Resident_Task__c')).toHaveLength(before);
    });

    it('purge cannot delete another user’s task without Modify All', async () => {
        store.setObjectPermissions(ADMIN_PROFILE, 'Resident_Task__c', { modifyAll: false });
        expect(await refusal(purgeTasks(ada))).toMatch(/permission/);
        expect(store.systemRecords('Resident_Task__c').map((r) => r.fields.Id)).toContain(
            SAM_TASK_ID
        );
    });

    it('purge deletes other users’ tasks with Resident Admin’s Delete and Modify All', async () => {
        const page = await purgeTasks(ada);
        expect(page.remaining).toBe(0);
        expect(store.systemRecords('Resident_Task__c')).toEqual([]);
    });

    it('the retention run fails, keeping the expired task, when the admin lost Delete', async () => {
        await call(
            'RetentionController.saveRetentionSettings',
            {
                settings: {
                    tasks: 1,
                    activity: 3650,
                    reportRuns: 3650,
                    feedback: 3650,
                    knowledge: null
                }
            },
            ada
        );
        store.ageRecords([SAM_TASK_ID], 30);
        store.setObjectPermissions(ADMIN_PROFILE, 'Resident_Task__c', { delete: false });
        const jobId = await call<string>('RetentionController.runRetentionNow', {}, ada);
        let run: RetentionRunState;
        do {
            run = await call<RetentionRunState>(
                'RetentionController.getRetentionRun',
                { jobId },
                ada
            );
        } while (run.status === 'Queued' || run.status === 'Processing');
        expect(run.status).toBe('Failed');
        expect(store.visibleRecordOrNull(ada.user, SAM_TASK_ID)).not.toBeNull();
    });
});

describe('the activity log is erased only through ActivityLogEraser', () => {
    it('is append-only for delete(), even for the admin', () => {
        expect(() => store.delete(ada.user, ADA_ENTRY_ID)).toThrow(/insufficient access/);
    });

    it('erases an entry only for a user with Resident_Manage_Trust_Settings', () => {
        expect(() => store.deletePackageRow(sam.user, SAM_UPDATE_ENTRY_ID)).toThrow(
            /Resident_Manage_Trust_Settings/
        );
        store.setCustomPermission(ADMIN_PROFILE, 'Resident_Manage_Trust_Settings', false);
        expect(() => store.deletePackageRow(ada.user, SAM_UPDATE_ENTRY_ID)).toThrow(
            /Resident_Manage_Trust_Settings/
        );
        expect(store.visibleRecordOrNull(ada.user, SAM_UPDATE_ENTRY_ID)).not.toBeNull();

        store.setCustomPermission(ADMIN_PROFILE, 'Resident_Manage_Trust_Settings', true);
        store.deletePackageRow(ada.user, SAM_UPDATE_ENTRY_ID);
        expect(store.visibleRecordOrNull(ada.user, SAM_UPDATE_ENTRY_ID)).toBeNull();
    });
});

describe('profile changes last for one store until reset()', () => {
    it('setFieldHidden and setObjectPermissions touch neither another store nor the next reset', () => {
        store.setFieldHidden('Standard User', 'Account.Industry', true);
        store.setObjectPermissions(ADMIN_PROFILE, 'Resident_Task__c', { delete: false });
        expect(store.canReadField(sam.user, 'Account', 'Industry')).toBe(false);

        const other = new OrgStore();
        const otherSam = contextFor(other, SAM_SELLER_ID).user;
        expect(other.canReadField(otherSam, 'Account', 'Industry')).toBe(true);
        expect(
            other.objectPermissions(contextFor(other, ADA_ADMIN_ID).user, 'Resident_Task__c').delete
        ).toBe(true);

        store.reset();
        const samAfter = contextFor(store, SAM_SELLER_ID).user;
        expect(store.canReadField(samAfter, 'Account', 'Industry')).toBe(true);
        expect(
            store.objectPermissions(contextFor(store, ADA_ADMIN_ID).user, 'Resident_Task__c').delete
        ).toBe(true);
    });
});

import { beforeEach, describe, expect, it } from 'vitest';
import {
    EXPORT_MAX_ORIGINAL_BYTES,
    PACKAGE_DATA_OBJECTS,
    type ExportObjectInfo,
    type ExportPage,
    type KnowledgeOriginal,
    type OrgKeyStatus,
    type PurgePage,
    type RetentionJobState,
    type RetentionRunState,
    type RetentionSettings,
    type UsageRow
} from '../../../force-app/main/default/lwc/trustCenterContract/trustCenterContract';
import { deriveOrgKey } from '../../../relay/src/auth/orgKeys';
import { verifySessionToken } from '../../../relay/src/auth/sessionToken';
import type { ApexContext } from './apexDoubles';
import { callApexDouble as call, contextFor, refusal } from './apexDoubleTestSupport';
import { OrgStore } from './orgStore';
import {
    ADA_ADMIN_ID,
    ORG_ID,
    PRODUCT_FAQ_DOCUMENT_ID,
    REFUND_POLICY_DOCUMENT_ID,
    SAM_SELLER_ID
} from './seedData';
import { STANDIN_ORG_NAME } from './trustCenterState';

// The trust center's Apex doubles (issue 7), called in-process as the workbench calls them over
// HTTP: as Ada (Resident Admin, both trust custom permissions) or Sam (Resident User, neither).

let store: OrgStore;
let ada: ApexContext;
let sam: ApexContext;

/** Every row of a package object, read past sharing: what the stand-in org really holds. */
function stored(objectApiName: string): string[] {
    return store
        .systemRecords(objectApiName)
        .map((r) => r.fields.Id)
        .sort();
}

function activities(kind: string): Record<string, unknown>[] {
    return store
        .systemRecords('Resident_Activity__c')
        .filter((r) => r.fields.Kind__c === kind)
        .map((r) => r.fields);
}

beforeEach(() => {
    store = new OrgStore();
    ada = contextFor(store, ADA_ADMIN_ID);
    sam = contextFor(store, SAM_SELLER_ID);
});

describe('RetentionController', () => {
    async function runToEnd(context: ApexContext): Promise<RetentionRunState> {
        const jobId = await call<string>('RetentionController.runRetentionNow', {}, context);
        expect(jobId).toMatch(/^707/);
        const seen: string[] = [];
        let run: RetentionRunState;
        do {
            run = await call<RetentionRunState>(
                'RetentionController.getRetentionRun',
                { jobId },
                context
            );
            seen.push(run.status);
        } while (!['Completed', 'Failed', 'Aborted'].includes(run.status) && seen.length < 10);
        expect(seen).toEqual(['Processing', 'Completed']);
        return run;
    }

    it('keeps the defaults until an admin saves windows within the bounds', async () => {
        expect(
            await call<RetentionSettings>('RetentionController.getRetentionSettings', {}, ada)
        ).toEqual({ tasks: 90, activity: 365, reportRuns: 90, feedback: 365, knowledge: null });
        const settings = { tasks: 1, activity: 30, reportRuns: 7, feedback: 365, knowledge: 3650 };
        expect(await call('RetentionController.saveRetentionSettings', { settings }, ada)).toEqual(
            settings
        );
        expect(
            await refusal(
                call(
                    'RetentionController.saveRetentionSettings',
                    { settings: { ...settings, tasks: 0 } },
                    ada
                )
            )
        ).toMatch(/tasks window must be a whole number of days from 1 to 3650/);
        expect(
            await refusal(
                call(
                    'RetentionController.saveRetentionSettings',
                    { settings: { ...settings, feedback: 3651 } },
                    ada
                )
            )
        ).toMatch(/feedback window/);
        expect(
            await refusal(call('RetentionController.saveRetentionSettings', { settings }, sam))
        ).toMatch(/Manage Resident Trust Settings/);
        expect(
            await call<RetentionSettings>('RetentionController.getRetentionSettings', {}, ada)
        ).toEqual(settings);
    });

    it('deletes what is past its window, counts it and logs the counts', async () => {
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
        const fresh = store.create(sam.user, 'Resident_Task__c', { Name: 'Fresh task' });
        const aged = store.create(sam.user, 'Resident_Task__c', { Name: 'Old task' });
        expect(store.ageRecords([aged], 2)).toBe(1);
        const tasksBefore = stored('Resident_Task__c');
        const activitiesBefore = stored('Resident_Activity__c').length;

        const run = await runToEnd(ada);

        const tasksAfter = stored('Resident_Task__c');
        expect(tasksAfter).toEqual([fresh]);
        expect(run.counts).toEqual({ Resident_Task__c: tasksBefore.length - 1 });
        expect(run.error).toBeNull();
        expect(run.finishedAt).not.toBeNull();
        // Knowledge has no window, activity's is ten years: none of them went.
        expect(stored('Resident_Knowledge_Document__c')).toHaveLength(2);
        const logged = activities('Retention run');
        expect(logged).toHaveLength(1);
        expect(JSON.parse(String(logged[0]?.Result__c))).toEqual(run.counts);
        expect(logged[0]?.User__c).toBe(ADA_ADMIN_ID);
        expect(stored('Resident_Activity__c')).toHaveLength(activitiesBefore + 1);

        const job = await call<RetentionJobState>('RetentionController.getRetentionJob', {}, ada);
        expect(job.lastRun?.counts).toEqual(run.counts);
    });

    it('ages activity by Occurred_At__c, as the contract says', async () => {
        await call(
            'RetentionController.saveRetentionSettings',
            {
                settings: {
                    tasks: 3650,
                    activity: 1,
                    reportRuns: 3650,
                    feedback: 3650,
                    knowledge: null
                }
            },
            ada
        );
        const before = stored('Resident_Activity__c');
        const run = await runToEnd(ada);
        // The seed's entries are months old; only the run's own entry is left.
        expect(run.counts).toEqual({ Resident_Activity__c: before.length });
        expect(store.systemRecords('Resident_Activity__c').map((r) => r.fields.Kind__c)).toEqual([
            'Retention run'
        ]);
    });

    it('schedules once, as the admin, and unschedules; Sam can do neither', async () => {
        const idle = await call<RetentionJobState>('RetentionController.getRetentionJob', {}, ada);
        expect(idle).toEqual({
            scheduled: false,
            cronExpression: null,
            nextRunAt: null,
            scheduledByName: null,
            lastRun: null
        });
        const scheduled = await call<RetentionJobState>(
            'RetentionController.scheduleRetentionJob',
            {},
            ada
        );
        expect(scheduled).toMatchObject({
            scheduled: true,
            cronExpression: '0 0 2 * * ?',
            scheduledByName: 'Ada Admin'
        });
        expect(Date.parse(scheduled.nextRunAt ?? '')).toBeGreaterThan(Date.now());
        expect(await refusal(call('RetentionController.scheduleRetentionJob', {}, ada))).toMatch(
            /already scheduled/
        );
        expect(await refusal(call('RetentionController.runRetentionNow', {}, sam))).toMatch(
            /Manage Resident Trust Settings/
        );
        expect(
            (await call<RetentionJobState>('RetentionController.unscheduleRetentionJob', {}, ada))
                .scheduled
        ).toBe(false);
    });
});

describe('DataExportController', () => {
    it('counts and pages every row of every package object, by Id, with nothing left out', async () => {
        const objects = await call<ExportObjectInfo[]>(
            'DataExportController.listExportObjects',
            {},
            ada
        );
        expect(objects.map((o) => o.objectApiName)).toEqual([...PACKAGE_DATA_OBJECTS]);
        for (const info of objects) {
            const ids: string[] = [];
            let afterId: string | null = null;
            let pages = 0;
            do {
                const page: ExportPage = await call<ExportPage>(
                    'DataExportController.exportPage',
                    { objectApiName: info.objectApiName, afterId, pageSize: 2 },
                    ada
                );
                expect(page.rows.length).toBeLessThanOrEqual(2);
                ids.push(...page.rows.map((r) => String(r.Id)));
                afterId = page.nextAfterId;
                pages += 1;
            } while (afterId && pages < 100);
            expect(ids).toEqual(stored(info.objectApiName));
            expect(info.rowCount).toBe(ids.length);
        }
        const page = await call<ExportPage>(
            'DataExportController.exportPage',
            { objectApiName: 'Resident_Task__c', afterId: null, pageSize: 1 },
            ada
        );
        // Every readable field, lookups as ids, datetimes as ISO 8601.
        expect(page.rows[0]).toMatchObject({ OwnerId: expect.stringMatching(/^005/) });
        expect(String(page.rows[0]?.CreatedDate)).toMatch(/Z$/);
        expect(Object.keys(page.rows[0] ?? {})).toContain('Conversation__c');
    });

    it('refuses an object that is not the package’s, and users without the permission', async () => {
        expect(
            await refusal(
                call('DataExportController.exportPage', { objectApiName: 'Account' }, ada)
            )
        ).toMatch(/not one of Resident's objects/);
        expect(await refusal(call('DataExportController.listExportObjects', {}, sam))).toMatch(
            /Manage Resident Trust Settings/
        );
    });

    it('answers a knowledge document’s original File, skips one too large, and none for typed text', async () => {
        store.uploadFile(ada.user, {
            Title: 'Refund policy',
            PathOnClient: 'Refund policy.pdf',
            VersionData: Buffer.from('%PDF-1.4 refund').toString('base64'),
            FirstPublishLocationId: REFUND_POLICY_DOCUMENT_ID
        });
        const big = store.uploadFile(ada.user, {
            Title: 'FAQ',
            PathOnClient: 'faq.pdf',
            VersionData: Buffer.from('x').toString('base64'),
            FirstPublishLocationId: PRODUCT_FAQ_DOCUMENT_ID
        });
        const version = store.systemRecords('ContentVersion').find((v) => v.fields.Id === big);
        if (version) version.fields.ContentSize = 5 * 1024 * 1024;

        const original = await call<KnowledgeOriginal>(
            'DataExportController.exportKnowledgeOriginal',
            { documentId: REFUND_POLICY_DOCUMENT_ID },
            ada
        );
        expect(original).toMatchObject({
            documentId: REFUND_POLICY_DOCUMENT_ID,
            fileName: 'Refund policy.pdf',
            fileExtension: 'pdf',
            skippedReason: null
        });
        expect(Buffer.from(original.base64 ?? '', 'base64').toString()).toBe('%PDF-1.4 refund');
        const skipped = await call<KnowledgeOriginal>(
            'DataExportController.exportKnowledgeOriginal',
            { documentId: PRODUCT_FAQ_DOCUMENT_ID },
            ada
        );
        expect(skipped.base64).toBeNull();
        expect(skipped.skippedReason).toContain(
            `larger than ${EXPORT_MAX_ORIGINAL_BYTES / (1024 * 1024)} MB`
        );

        const typed = store.create(ada.user, 'Resident_Knowledge_Document__c', { Name: 'Typed' });
        expect(
            await call('DataExportController.exportKnowledgeOriginal', { documentId: typed }, ada)
        ).toBeNull();
    });

    it('logs an export with its counts, and answers the org id', async () => {
        const id = await call<string>(
            'DataExportController.recordExport',
            { counts: { Resident_Task__c: 2 } },
            ada
        );
        expect(id).toMatch(/^a02/);
        const [entry] = activities('Data export');
        expect(JSON.parse(String(entry?.Result__c))).toEqual({ Resident_Task__c: 2 });
        expect(
            await refusal(
                call('DataExportController.recordExport', { counts: { Account: 1 } }, ada)
            )
        ).toMatch(/not one of Resident's objects/);
        expect(await call('DataExportController.getOrgId', {}, ada)).toBe(ORG_ID);
    });
});

describe('DataPurgeController', () => {
    it('deletes nothing unless the org name is typed exactly', async () => {
        expect(await call('DataPurgeController.getOrgName', {}, ada)).toBe(STANDIN_ORG_NAME);
        const before = store.recordCounts();
        for (const typed of ['', STANDIN_ORG_NAME.toLowerCase(), 'Acme Corporation']) {
            expect(
                await refusal(
                    call(
                        'DataPurgeController.purgePage',
                        { objectApiName: 'Resident_Task__c', confirmOrgName: typed },
                        ada
                    )
                )
            ).toMatch(typed === '' ? /required/ : /Nothing was deleted/);
        }
        expect(
            await refusal(
                call(
                    'DataPurgeController.purgePage',
                    { objectApiName: 'Resident_Task__c', confirmOrgName: STANDIN_ORG_NAME },
                    sam
                )
            )
        ).toMatch(/Manage Resident Trust Settings/);
        expect(store.recordCounts()).toEqual(before);
    });

    it('purges every package object in order, leaving only its own log entry and the rest of the org', async () => {
        const accountsBefore = store.systemRecords('Account').length;
        const counts: Record<string, number> = {};
        for (const objectApiName of PACKAGE_DATA_OBJECTS) {
            const expected = stored(objectApiName).length;
            let page: PurgePage;
            let deleted = 0;
            do {
                page = await call<PurgePage>(
                    'DataPurgeController.purgePage',
                    { objectApiName, confirmOrgName: ` ${STANDIN_ORG_NAME} ` },
                    ada
                );
                deleted += page.deleted;
            } while (page.remaining > 0);
            // Children went first, so each count is the object's own rows.
            expect(deleted).toBe(expected);
            counts[objectApiName] = deleted;
        }
        await call('DataPurgeController.recordPurge', { counts }, ada);
        for (const objectApiName of PACKAGE_DATA_OBJECTS) {
            expect(stored(objectApiName)).toHaveLength(
                objectApiName === 'Resident_Activity__c' ? 1 : 0
            );
        }
        const [entry] = activities('Data purge');
        expect(JSON.parse(String(entry?.Result__c))).toEqual(counts);
        expect(store.systemRecords('Account')).toHaveLength(accountsBefore);
    });
});

describe('UsageController', () => {
    it('counts tasks, tool calls, documents and tokens per user for this month', async () => {
        store.create(sam.user, 'Resident_Task__c', { Name: 'Usage task' });
        const log = (kind: string, tokens?: number) =>
            call(
                'ActivityLogController.logActivity',
                {
                    entry: {
                        kind,
                        outcome: 'Succeeded',
                        summary: kind,
                        tool: kind === 'Tool call' ? 'query_records' : null,
                        tokens
                    }
                },
                sam
            );
        await log('Tool call');
        await log('Tool call');
        await log('Document generated');
        await log('Model call', 1234);
        const rows = await call<UsageRow[]>('UsageController.getUsage', { months: 1 }, ada);
        const month = new Date().toISOString().slice(0, 7);
        expect(rows).toEqual([
            {
                month,
                userId: SAM_SELLER_ID,
                userName: 'Sam Seller',
                tasks: 1,
                toolCalls: 2,
                documents: 1,
                reportRuns: 0,
                tokens: 1234
            }
        ]);
        expect(await refusal(call('UsageController.getUsage', { months: 13 }, ada))).toMatch(
            /from 1 to 12/
        );
        expect(await refusal(call('UsageController.getUsage', { months: 1 }, sam))).toMatch(
            /Manage Resident Trust Settings/
        );
    });

    it('answers no rows when nothing happened in the period', async () => {
        expect(await call('UsageController.getUsage', { months: 1 }, ada)).toEqual([]);
    });
});

describe('RelayOrgKeyController: rotation and disconnect against the stand-in key store', () => {
    const master = (fill: number) => new Uint8Array(32).fill(fill);

    it('refuses the key id in use, rotates to a new one, and the next token is signed with it', async () => {
        const k1 = await deriveOrgKey(master(1), 'k1', ORG_ID);
        const k2 = await deriveOrgKey(master(2), 'k2', ORG_ID);
        const sameId = await deriveOrgKey(master(3), 'k1', ORG_ID);
        const settings: ApexContext['settings'] = { relayUrl: 'http://127.0.0.1:8787', orgKey: k1 };
        let keyStore: string | undefined = k1;
        settings.setOrgKey = (key) => {
            keyStore = key;
        };
        const admin = { ...ada, settings };

        expect(
            await call<OrgKeyStatus>('RelayOrgKeyController.getOrgKeyStatus', {}, admin)
        ).toEqual({ configured: true, keyId: 'k1' });
        expect(
            await refusal(call('RelayOrgKeyController.rotateOrgKey', { newOrgKey: sameId }, admin))
        ).toMatch(/key id already in use \(k1\)/);
        expect(
            await refusal(call('RelayOrgKeyController.rotateOrgKey', { newOrgKey: 'k2' }, admin))
        ).toMatch(/not an org key/);
        expect(
            await refusal(call('RelayOrgKeyController.rotateOrgKey', { newOrgKey: k2 }, sam))
        ).toMatch(/Manage Resident Relay Connection/);
        expect(keyStore).toBe(k1);

        expect(
            await call('RelayOrgKeyController.rotateOrgKey', { newOrgKey: ` ${k2} ` }, admin)
        ).toEqual({ configured: true, keyId: 'k2' });
        expect(keyStore).toBe(k2);
        const session = await call<{ token: string }>(
            'RelayConnectionController.getRelaySession',
            { scopes: ['pdf'] },
            admin
        );
        const claims = await verifySessionToken(session.token, {
            masterKeys: new Map([['k2', master(2)]]),
            revokedKeyIds: new Set(),
            audience: 'resident-relay'
        });
        expect(claims.userId).toBe(ADA_ADMIN_ID);
        const [entry] = activities('Relay connection');
        expect(entry?.Result_Summary__c).toBe('Org key rotated from key id k1 to k2');
        expect(JSON.stringify(entry)).not.toContain(k2.split(':')[2]);
    });

    it('disconnects: the key is gone and sessions say the org is not connected', async () => {
        const k1 = await deriveOrgKey(master(1), 'k1', ORG_ID);
        const admin = { ...ada, settings: { relayUrl: 'http://127.0.0.1:8787', orgKey: k1 } };
        expect(await call('RelayOrgKeyController.disconnectRelay', {}, admin)).toEqual({
            configured: false,
            keyId: null
        });
        expect(await call('RelayOrgKeyController.getOrgKeyStatus', {}, admin)).toEqual({
            configured: false,
            keyId: null
        });
        expect(
            await refusal(
                call('RelayConnectionController.getRelaySession', { scopes: ['llm'] }, admin)
            )
        ).toMatch(/not connected/);
        expect(activities('Relay connection')[0]?.Result_Summary__c).toBe(
            'Relay disconnected: org key k1 removed'
        );
        // Connecting again stores the new key without a rotation check.
        const k2 = await deriveOrgKey(master(2), 'k2', ORG_ID);
        expect(await call('RelayOrgKeyController.saveOrgKey', { orgKey: k2 }, admin)).toEqual({
            configured: true,
            keyId: 'k2'
        });
    });
});

import { beforeEach, describe, expect, it, vi } from 'vitest';
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
import { OrgError, OrgStore } from './orgStore';
import {
    ADA_ADMIN_ID,
    ORG_ID,
    PRODUCT_FAQ_DOCUMENT_ID,
    REFUND_POLICY_DOCUMENT_ID,
    SAMPLE_ACCOUNT_ID,
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

    it('deletes a knowledge document past its window with its original File', async () => {
        await call(
            'RetentionController.saveRetentionSettings',
            {
                settings: {
                    tasks: 3650,
                    activity: 3650,
                    reportRuns: 3650,
                    feedback: 3650,
                    knowledge: 1
                }
            },
            ada
        );
        const fileId = await call<string>(
            'KnowledgeController.keepOriginal',
            {
                documentId: REFUND_POLICY_DOCUMENT_ID,
                fileName: 'refund-policy.md',
                base64: Buffer.from('# Refunds').toString('base64')
            },
            ada
        );
        expect(store.ageRecords([REFUND_POLICY_DOCUMENT_ID], 2)).toBe(1);
        const documentsBefore = stored('Resident_Knowledge_Document__c');

        const run = await runToEnd(ada);

        const documentsAfter = stored('Resident_Knowledge_Document__c');
        expect(documentsAfter).not.toContain(REFUND_POLICY_DOCUMENT_ID);
        expect(run.counts?.Resident_Knowledge_Document__c).toBe(
            documentsBefore.length - documentsAfter.length
        );
        expect(store.systemRecords('ContentDocument').map((d) => d.fields.Id)).not.toContain(
            fileId
        );
        expect(store.files().filter((f) => f.contentDocumentId === fileId)).toEqual([]);
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

    /** As the Knowledge page adds a document from a file: KnowledgeController.keepOriginal. */
    async function keepOriginal(documentId: string, fileName: string, bytes: Buffer) {
        return call<string>(
            'KnowledgeController.keepOriginal',
            { documentId, fileName, base64: bytes.toString('base64') },
            ada
        );
    }

    it('answers a knowledge document’s original File, skips one too large, and none for typed text', async () => {
        const refundFile = await keepOriginal(
            REFUND_POLICY_DOCUMENT_ID,
            'Refund policy.pdf',
            Buffer.from('%PDF-1.4 refund')
        );
        const big = await keepOriginal(PRODUCT_FAQ_DOCUMENT_ID, 'faq.pdf', Buffer.from('x'));
        // TEST DOUBLE ONLY: a File that grew past the cap (a new version uploaded in Files).
        const version = store
            .systemRecords('ContentVersion')
            .find((v) => v.fields.ContentDocumentId === big);
        if (version) version.fields.ContentSize = 5 * 1024 * 1024;

        const original = await call<KnowledgeOriginal>(
            'DataExportController.exportKnowledgeOriginal',
            { documentId: REFUND_POLICY_DOCUMENT_ID },
            ada
        );
        expect(original).toMatchObject({
            documentId: REFUND_POLICY_DOCUMENT_ID,
            contentDocumentId: refundFile,
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

    it('reads only Source_File_Id__c, as the Apex does: a File merely linked to a document is not its original', async () => {
        const typed = store.create(ada.user, 'Resident_Knowledge_Document__c', { Name: 'Typed' });
        store.uploadFile(ada.user, {
            Title: 'Notes',
            PathOnClient: 'notes.md',
            VersionData: Buffer.from('# Notes').toString('base64'),
            FirstPublishLocationId: typed
        });
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

    it('purging knowledge deletes the documents’ original Files too, and no other File', async () => {
        const versionId = store.uploadFile(ada.user, {
            Title: 'Quote',
            PathOnClient: 'quote.pdf',
            VersionData: Buffer.from('%PDF quote').toString('base64'),
            FirstPublishLocationId: SAMPLE_ACCOUNT_ID
        });
        const fileId = await call<string>(
            'KnowledgeController.keepOriginal',
            {
                documentId: REFUND_POLICY_DOCUMENT_ID,
                fileName: 'refund-policy.md',
                base64: Buffer.from('# Refunds').toString('base64')
            },
            ada
        );
        for (const objectApiName of [
            'Resident_Knowledge_Chunk__c',
            'Resident_Knowledge_Document__c'
        ]) {
            let page: PurgePage;
            do {
                page = await call<PurgePage>(
                    'DataPurgeController.purgePage',
                    { objectApiName, confirmOrgName: STANDIN_ORG_NAME },
                    ada
                );
            } while (page.remaining > 0);
        }
        expect(stored('Resident_Knowledge_Document__c')).toEqual([]);
        expect(store.systemRecords('ContentDocument').map((d) => d.fields.Id)).not.toContain(
            fileId
        );
        expect(store.files().filter((f) => f.contentDocumentId === fileId)).toEqual([]);
        // The org's own Files are not Resident's data.
        expect(store.files().map((f) => f.contentVersionId)).toContain(versionId);
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

describe('Apex-only activity kinds (ResidentActivityTrigger before insert, ActivityKindGuard)', () => {
    it('refuses a Data purge entry a user inserts directly or logs through logActivity; the package still logs one', async () => {
        const before = stored('Resident_Activity__c');
        // What any API client does (the stand-in's REST and UI API create through the store).
        for (const user of [sam.user, ada.user]) {
            expect(() =>
                store.create(user, 'Resident_Activity__c', {
                    Kind__c: 'Data purge',
                    Outcome__c: 'Succeeded',
                    Result_Summary__c: 'Purged 0 rows',
                    User__c: user.id
                })
            ).toThrow(/Data purge entries are written only by Resident itself/);
        }
        for (const kind of ['Data purge', 'Retention run', 'Relay connection', 'Template saved']) {
            expect(
                await refusal(
                    call(
                        'ActivityLogController.logActivity',
                        { entry: { kind, outcome: 'Succeeded', summary: 'forged' } },
                        sam
                    )
                )
            ).toMatch(/is not an activity kind/);
        }
        expect(stored('Resident_Activity__c')).toEqual(before);

        // The package's own double writes it, and the guard is closed again afterwards.
        const id = await call<string>('DataExportController.recordExport', { counts: {} }, ada);
        expect(activities('Data export').map((e) => e.Id)).toEqual([id]);
        expect(() =>
            store.create(ada.user, 'Resident_Activity__c', {
                Kind__c: 'Data export',
                Outcome__c: 'Succeeded',
                Result_Summary__c: 'forged'
            })
        ).toThrow(/written only by Resident itself/);
    });
});

describe('RelayOrgKeyController: connecting, and no key change without its log entry', () => {
    const master = (fill: number) => new Uint8Array(32).fill(fill);

    it('saveOrgKey stores and logs the first key, then refuses to replace it and says to rotate', async () => {
        const k1 = await deriveOrgKey(master(1), 'k1', ORG_ID);
        const k2 = await deriveOrgKey(master(2), 'k2', ORG_ID);
        const admin = { ...ada, settings: { relayUrl: 'http://127.0.0.1:8787' } };

        expect(await call('RelayOrgKeyController.saveOrgKey', { orgKey: k1 }, admin)).toEqual({
            configured: true,
            keyId: 'k1'
        });
        expect(activities('Relay connection').map((e) => e.Result_Summary__c)).toEqual([
            'Org key stored, key id k1'
        ]);
        expect(
            await refusal(call('RelayOrgKeyController.saveOrgKey', { orgKey: k2 }, admin))
        ).toMatch(/already stored \(key id k1\)\. To replace it, use Rotate key/);
        expect(admin.settings).toMatchObject({ orgKey: k1 });
        // The refused save logged nothing.
        expect(activities('Relay connection')).toHaveLength(1);
        expect(JSON.stringify(activities('Relay connection'))).not.toContain(k1.split(':')[2]);
    });

    it('puts the earlier key back when the log entry of a rotation or a disconnect cannot be written', async () => {
        const k1 = await deriveOrgKey(master(1), 'k1', ORG_ID);
        const k2 = await deriveOrgKey(master(2), 'k2', ORG_ID);
        let keyStore: string | undefined = k1;
        const settings: ApexContext['settings'] = { relayUrl: 'http://127.0.0.1:8787', orgKey: k1 };
        settings.setOrgKey = (key) => {
            keyStore = key;
        };
        const admin = { ...ada, settings };
        const failingInsert = () => {
            throw new OrgError(400, 'STORAGE_LIMIT_EXCEEDED', 'storage limit exceeded');
        };

        vi.spyOn(store, 'create').mockImplementationOnce(failingInsert);
        await expect(
            call('RelayOrgKeyController.rotateOrgKey', { newOrgKey: k2 }, admin)
        ).rejects.toThrow(/storage limit exceeded/);
        expect(keyStore).toBe(k1);
        expect(settings.orgKey).toBe(k1);

        vi.spyOn(store, 'create').mockImplementationOnce(failingInsert);
        await expect(call('RelayOrgKeyController.disconnectRelay', {}, admin)).rejects.toThrow(
            /storage limit exceeded/
        );
        expect(keyStore).toBe(k1);
        expect(await call('RelayOrgKeyController.getOrgKeyStatus', {}, admin)).toEqual({
            configured: true,
            keyId: 'k1'
        });
        expect(activities('Relay connection')).toEqual([]);
    });
});

describe('DataPurgeController.recordPurge: only a complete purge, only by an admin', () => {
    it('refuses counts while rows remain, and users without the permission; logs nothing', async () => {
        const before = stored('Resident_Activity__c');
        expect(
            await refusal(
                call('DataPurgeController.recordPurge', { counts: { Resident_Task__c: 1000 } }, ada)
            )
        ).toMatch(/The purge is not recorded: .*still hold rows/);
        expect(await refusal(call('DataPurgeController.recordPurge', { counts: {} }, sam))).toMatch(
            /Manage Resident Trust Settings/
        );
        expect(
            await refusal(call('DataExportController.recordExport', { counts: {} }, sam))
        ).toMatch(/Manage Resident Trust Settings/);
        expect(stored('Resident_Activity__c')).toEqual(before);
        expect(activities('Data purge')).toEqual([]);
    });
});

describe('UsageController: documents are generations that succeeded', () => {
    it('does not count a failed generation as a document', async () => {
        const log = (outcome: string) =>
            call(
                'ActivityLogController.logActivity',
                { entry: { kind: 'Document generated', outcome, summary: 'Quote' } },
                sam
            );
        await log('Succeeded');
        await log('Failed');
        await log('Failed');
        const rows = await call<UsageRow[]>('UsageController.getUsage', { months: 1 }, ada);
        expect(rows.map((r) => [r.userId, r.documents])).toEqual([[SAM_SELLER_ID, 1]]);
    });
});

describe('RetentionController: activity ages by Occurred_At__c, not CreatedDate', () => {
    it('deletes an entry that happened long ago though written today, and keeps one written long ago that happened today', async () => {
        await call(
            'RetentionController.saveRetentionSettings',
            {
                settings: {
                    tasks: 3650,
                    activity: 30,
                    reportRuns: 3650,
                    feedback: 3650,
                    knowledge: null
                }
            },
            ada
        );
        const log = (summary: string) =>
            call<string>(
                'ActivityLogController.logActivity',
                {
                    entry: {
                        kind: 'Tool call',
                        outcome: 'Succeeded',
                        tool: 'query_records',
                        summary
                    }
                },
                sam
            );
        const iso = (daysAgo: number) =>
            new Date(Date.now() - daysAgo * 86_400_000).toISOString().replace('Z', '+0000');
        const fieldsOf = (id: string) => {
            const record = store
                .systemRecords('Resident_Activity__c')
                .find((r) => r.fields.Id === id);
            if (!record) throw new Error(`no entry ${id}`);
            return record.fields;
        };
        // Happened 400 days ago (e.g. logged late by a scheduled run), written today.
        const happenedLongAgo = await log('happened long ago');
        fieldsOf(happenedLongAgo).Occurred_At__c = iso(400);
        // Written 400 days ago, but what it records happened today.
        const writtenLongAgo = await log('written long ago');
        Object.assign(fieldsOf(writtenLongAgo), {
            CreatedDate: iso(400),
            LastModifiedDate: iso(400),
            SystemModstamp: iso(400)
        });
        fieldsOf(writtenLongAgo).Occurred_At__c = iso(0);

        const jobId = await call<string>('RetentionController.runRetentionNow', {}, ada);
        let run: RetentionRunState;
        do {
            run = await call<RetentionRunState>(
                'RetentionController.getRetentionRun',
                { jobId },
                ada
            );
        } while (run.status !== 'Completed' && run.status !== 'Failed');
        expect(run.status).toBe('Completed');

        const left = stored('Resident_Activity__c');
        expect(left).not.toContain(happenedLongAgo);
        expect(left).toContain(writtenLongAgo);
        // The run's entry is tied to its job, as RetentionBatch logs it.
        expect(activities('Retention run')[0]?.Record_Id__c).toBe(jobId);
    });
});

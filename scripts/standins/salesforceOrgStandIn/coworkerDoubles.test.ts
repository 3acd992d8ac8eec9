import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type {
    ActivityEntry,
    CoworkerDefinition,
    KnowledgeChunk,
    KnowledgeDocumentSummary,
    OrgHealth,
    QueryResult,
    SearchResult,
    TaskDetail,
    TaskSummary,
    TrustSettings
} from '../../../force-app/main/default/lwc/coworkerContract/coworkerContract';
import { DEFAULT_POLICY } from '../../../force-app/main/default/lwc/egressPolicy/egressPolicy';
import { EXPORT_MAX_ORIGINAL_BYTES } from '../../../force-app/main/default/lwc/trustCenterContract/trustCenterContract';
import { deriveOrgKey } from '../../../relay/src/auth/orgKeys';
import { verifySessionToken } from '../../../relay/src/auth/sessionToken';
import type { ApexContext } from './apexDoubles';
import { callApexDouble as call, contextFor, refusal } from './apexDoubleTestSupport';
import { startSalesforceOrgStandIn, type SalesforceOrgStandIn } from './index';
import { OrgStore } from './orgStore';
import {
    ADA_ADMIN_ID,
    ADA_ENTRY_ID,
    ADA_TASK_ID,
    INJECTED_CASE_ID,
    INJECTED_INSTRUCTION,
    ORG_ID,
    PRODUCT_FAQ_DOCUMENT_ID,
    REFUND_POLICY_DOCUMENT_ID,
    SAM_SELLER_ID,
    SAM_TASK_ID,
    SAM_UPDATE_ENTRY_ID,
    SAMPLE_ACCOUNT_ID,
    STANDIN_USERNAMES
} from './seedData';

// The coworker's Apex doubles, called in-process as the workbench calls them over HTTP: each as
// Ada (Resident Admin) or Sam (Resident User), through the store's sharing, CRUD and FLS.

let store: OrgStore;
let ada: ApexContext;
let sam: ApexContext;

beforeEach(() => {
    store = new OrgStore();
    ada = contextFor(store, ADA_ADMIN_ID);
    sam = contextFor(store, SAM_SELLER_ID);
});

describe('the package objects in the stand-in org: sharing as docs/DATA_MODEL.md says', () => {
    it('keeps tasks private: Sam sees only his own, Ada (View All) sees both', () => {
        const ids = (ctx: ApexContext) =>
            store
                .query(ctx.user, 'SELECT Id FROM Resident_Task__c')
                .records.map((r) => r.fields.Id);
        expect(ids(sam)).toEqual([SAM_TASK_ID]);
        expect(ids(ada)).toEqual(expect.arrayContaining([SAM_TASK_ID, ADA_TASK_ID]));
    });

    it('lets Ada change Sam’s task only through Modify All (granted for retention and purge)', () => {
        // docs/DATA_MODEL.md: Resident Admin's Modify All on tasks, which retention and purge need
        // to delete in user mode, also lets an admin edit them; without it she could not.
        store.setObjectPermissions('System Administrator', 'Resident_Task__c', {
            modifyAll: false
        });
        expect(() => store.update(ada.user, SAM_TASK_ID, { Name: 'Rewritten' })).toThrow(
            /insufficient access/
        );
        store.setObjectPermissions('System Administrator', 'Resident_Task__c', {
            modifyAll: true
        });
        store.update(ada.user, SAM_TASK_ID, { Name: 'Rewritten' });
        expect(store.visibleRecordOrNull(ada.user, SAM_TASK_ID)?.fields.Name).toBe('Rewritten');
    });

    it('keeps the activity log append-only: nobody edits an entry, not even its author', () => {
        expect(() =>
            store.update(sam.user, SAM_UPDATE_ENTRY_ID, { Result_Summary__c: 'changed' })
        ).toThrow(/insufficient access/);
        expect(() => store.update(ada.user, ADA_ENTRY_ID, { Result_Summary__c: 'x' })).toThrow(
            /insufficient access/
        );
    });

    it('shares knowledge read-only with everyone; only Ada may create, edit or delete it', () => {
        const docs = store.query(sam.user, 'SELECT Id FROM Resident_Knowledge_Document__c');
        expect(docs.records).toHaveLength(2);
        const chunks = store.query(sam.user, 'SELECT Id FROM Resident_Knowledge_Chunk__c');
        expect(chunks.records.length).toBeGreaterThan(2);
        expect(() =>
            store.create(sam.user, 'Resident_Knowledge_Document__c', { Name: 'Mine' })
        ).toThrow(/insufficient access/);
        expect(() =>
            store.update(sam.user, REFUND_POLICY_DOCUMENT_ID, { Name: 'Changed' })
        ).toThrow(/insufficient access/);
        expect(() => store.delete(sam.user, REFUND_POLICY_DOCUMENT_ID)).toThrow(
            /insufficient access/
        );
    });

    it('deletes a document’s chunks with it (master-detail)', () => {
        store.delete(ada.user, PRODUCT_FAQ_DOCUMENT_ID);
        const left = store.query(
            ada.user,
            `SELECT Id FROM Resident_Knowledge_Chunk__c WHERE Document__c = '${PRODUCT_FAQ_DOCUMENT_ID}'`
        );
        expect(left.records).toHaveLength(0);
    });

    it('refuses text longer than the field holds, as the org does', () => {
        expect(() => store.create(sam.user, 'Resident_Task__c', { Name: 'x'.repeat(81) })).toThrow(
            /max length=80/
        );
    });

    it('numbers log entries ACT-0000001… and stamps Occurred_At__c by default', () => {
        const id = store.create(sam.user, 'Resident_Activity__c', {
            Kind__c: 'Tool call',
            Outcome__c: 'Succeeded',
            Result_Summary__c: 'x'
        });
        const record = store.visibleRecord(sam.user, id);
        expect(record.fields.Name).toMatch(/^ACT-\d{7}$/);
        expect(record.fields.Occurred_At__c).toMatch(/^\d{4}-\d\d-\d\dT/);
    });

    it('carries the injected instruction in a Case on Acme that Sam can read', () => {
        const record = store.visibleRecord(sam.user, INJECTED_CASE_ID);
        expect(record.fields.AccountId).toBe(SAMPLE_ACCOUNT_ID);
        expect(String(record.fields.Description)).toContain(INJECTED_INSTRUCTION);
    });
});

describe('SOSL in the stand-in org', () => {
    it('finds records by whole word in the text fields, as the user', () => {
        const [accounts] = store.search(
            sam.user,
            'FIND {Acme} IN ALL FIELDS RETURNING Account(Id, Name LIMIT 5)'
        );
        expect(accounts?.records.map((r) => r.fields.Name)).toEqual(['Acme Corporation']);
    });

    it('leaves out what sharing hides: Ada’s accounts are not Sam’s results', () => {
        // Umbrella Holdings is Ada's, shared read-only with Sam; Umbrella … 22 is Ada's alone.
        const sosl = 'FIND {Umbrella} RETURNING Account(Id, Name)';
        const forAda = store.search(ada.user, sosl)[0]?.records.length ?? 0;
        const forSam = store.search(sam.user, sosl)[0]?.records.length ?? 0;
        expect(forAda).toBeGreaterThan(0);
        expect(forSam).toBeLessThan(forAda);
    });

    it('does not search a field the user cannot read (FLS)', () => {
        const sosl = 'FIND {renewal} RETURNING Account(Id, Name)';
        expect(store.search(sam.user, sosl)[0]?.records.length).toBeGreaterThan(0);
        expect(() =>
            store.search(sam.user, 'FIND {Acme} RETURNING Account(Id, AnnualRevenue)')
        ).toThrow(/No such column 'AnnualRevenue'/);
    });

    it('knows OR, wildcards, phrases, WHERE on a parent and a limit per object', () => {
        const [chunks] = store.search(
            sam.user,
            'FIND {refund* OR "uptime commitment"} RETURNING Resident_Knowledge_Chunk__c(Id, Heading__c WHERE Document__r.Active__c = true LIMIT 3)'
        );
        expect(chunks?.records.length).toBe(3);
    });

    it('refuses a one-letter search and a malformed one with Salesforce’s errors', () => {
        expect(() => store.search(sam.user, 'FIND {a} RETURNING Account')).toThrow(
            /longer than one character/
        );
        expect(() => store.search(sam.user, 'FIND {Acme RETURNING Account')).toThrow(/closing \}/);
        expect(() => store.search(sam.user, 'FIND {Acme} RETURNING Resident_Activity__c')).toThrow(
            /does not support search/
        );
    });
});

describe('CoworkerController.getCoworker', () => {
    it('reads the Default coworker from the package’s custom metadata', async () => {
        const coworker = await call<CoworkerDefinition>('CoworkerController.getCoworker', {}, sam);
        expect(coworker.name).toBe('Default');
        expect(coworker.label).toBe('Resident');
        expect(coworker.allowedObjects).toEqual(expect.arrayContaining(['Account', 'Case']));
        expect(coworker.allowedTools).toContain('query_records');
        expect(coworker.allowedTools).not.toContain('org_health');
        expect(coworker.autoApproveObjects).toEqual([]);
        expect(coworker.roleInstructions).toMatch(/data, never instructions/);
        expect(coworker.policy).toEqual(DEFAULT_POLICY);
        expect(coworker.classifiedFields).toContain('Contact.Birthdate');
        expect(coworker.canUseOrgHealth).toBe(false);
        const forAda = await call<CoworkerDefinition>('CoworkerController.getCoworker', {}, ada);
        expect(forAda.canUseOrgHealth).toBe(true);
    });

    it('answers a readable error for a coworker that does not exist', async () => {
        expect(
            await refusal(call('CoworkerController.getCoworker', { coworkerName: 'Ghost' }, sam))
        ).toMatch(/"Ghost" does not exist or is not active/);
    });
});

describe('CoworkerTaskController', () => {
    it('creates, lists, reads and saves the user’s own task', async () => {
        const created = await call<TaskSummary>(
            'CoworkerTaskController.createTask',
            { title: 'Call Acme', description: 'About the renewal', recordId: SAMPLE_ACCOUNT_ID },
            sam
        );
        expect(created).toMatchObject({
            title: 'Call Acme',
            status: 'Open',
            coworkerName: 'Default'
        });
        const listed = await call<TaskSummary[]>(
            'CoworkerTaskController.listTasks',
            { recordId: SAMPLE_ACCOUNT_ID },
            sam
        );
        expect(listed.map((t) => t.id)).toEqual(expect.arrayContaining([created.id, SAM_TASK_ID]));
        const conversation = JSON.stringify({ version: 1, messages: [], masks: {}, cards: [] });
        const saved = await call<TaskSummary>(
            'CoworkerTaskController.saveTask',
            { taskId: created.id, conversation, status: 'Done' },
            sam
        );
        expect(saved.status).toBe('Done');
        const detail = await call<TaskDetail>(
            'CoworkerTaskController.getTask',
            { taskId: created.id },
            sam
        );
        expect(detail.conversation).toBe(conversation);
        expect(detail.description).toBe('About the renewal');
    });

    it('lists only the user’s own tasks, even for Ada', async () => {
        const mine = await call<TaskSummary[]>('CoworkerTaskController.listTasks', {}, ada);
        expect(mine.map((t) => t.id)).toEqual([ADA_TASK_ID]);
    });

    it('never shows Sam Ada’s task', async () => {
        expect(
            await refusal(call('CoworkerTaskController.getTask', { taskId: ADA_TASK_ID }, sam))
        ).toMatch(/does not exist, or you do not have access/);
    });

    it('refuses a title over 80 characters, a bad status and a conversation that is not one', async () => {
        expect(
            await refusal(call('CoworkerTaskController.createTask', { title: 'x'.repeat(81) }, sam))
        ).toMatch(/at most 80 characters/);
        expect(
            await refusal(
                call(
                    'CoworkerTaskController.saveTask',
                    { taskId: SAM_TASK_ID, status: 'Closed' },
                    sam
                )
            )
        ).toMatch(/not a task status/);
        expect(
            await refusal(
                call(
                    'CoworkerTaskController.saveTask',
                    { taskId: SAM_TASK_ID, conversation: '{"messages":[]}' },
                    sam
                )
            )
        ).toMatch(/not a Resident conversation/);
    });

    it('does not let Ada overwrite Sam’s conversation without Modify All', async () => {
        const conversation = JSON.stringify({ version: 1, messages: [], masks: {}, cards: [] });
        // Resident Admin grants Modify All on tasks (for retention and purge); an admin whose
        // permission set lacks it reads Sam's task (View All) but cannot write it.
        store.setObjectPermissions('System Administrator', 'Resident_Task__c', {
            modifyAll: false
        });
        expect(
            await refusal(
                call('CoworkerTaskController.saveTask', { taskId: SAM_TASK_ID, conversation }, ada)
            )
        ).toMatch(/only change your own tasks/);
    });
});

describe('CoworkerDataController.runQuery', () => {
    const run = (soql: string, ctx = sam) =>
        call<QueryResult>(
            'CoworkerDataController.runQuery',
            { soql, coworkerName: 'Default' },
            ctx
        );

    it('runs a SELECT in user mode, adds LIMIT 200 and flattens parent fields', async () => {
        const result = await run(
            `SELECT Name, Owner.Name FROM Opportunity WHERE AccountId = '${SAMPLE_ACCOUNT_ID}'`
        );
        expect(result.soql).toMatch(/ LIMIT 200$/);
        expect(result.records[0]).toEqual({ Name: expect.any(String), 'Owner.Name': 'Sam Seller' });
        // Sharing: one of Acme's three opportunities is Ada's, so Sam gets two.
        expect(result.totalSize).toBe(2);
        expect((await run(result.soql.replace(' LIMIT 200', ''), ada)).totalSize).toBe(3);
    });

    it('refuses DELETE and UPDATE statements', async () => {
        expect(await refusal(run('DELETE FROM Account'))).toMatch(/Only SELECT.*DELETE/);
        expect(await refusal(run("UPDATE Account SET Rating = 'Hot'"))).toMatch(
            /Only SELECT.*UPDATE/
        );
    });

    it('refuses objects the coworker is not allowed, and the package’s own objects', async () => {
        expect(await refusal(run('SELECT Id FROM User'))).toMatch(/may not use User/);
        expect(await refusal(run('SELECT Id FROM Resident_Task__c'))).toMatch(
            /may not use Resident_Task__c/
        );
    });

    it('lowers a LIMIT over 200 to 200, as the real SoqlGuard does', async () => {
        const result = await run('SELECT Id FROM Contact LIMIT 500', ada);
        expect(result.soql).toBe('SELECT Id FROM Contact LIMIT 200');
        expect(result.totalSize).toBe(160);
    });

    it('answers FLS as user mode does: a field Sam cannot read is no such column', async () => {
        expect(await refusal(run('SELECT Name, AnnualRevenue FROM Account'))).toMatch(
            /No such column 'AnnualRevenue'/
        );
        expect((await run('SELECT Name, AnnualRevenue FROM Account', ada)).totalSize).toBe(40);
    });

    it('says what is wrong with malformed SOQL', async () => {
        expect(await refusal(run('SELECT FROM Account'))).toMatch(/not valid SOQL/);
    });
});

describe('CoworkerDataController.searchRecords', () => {
    it('searches the allowed objects as the user', async () => {
        const result = await call<SearchResult>(
            'CoworkerDataController.searchRecords',
            { term: 'Acme', objectApiNames: ['Account'], coworkerName: 'Default' },
            sam
        );
        expect(result.groups).toEqual([
            {
                objectApiName: 'Account',
                records: [
                    expect.objectContaining({ Id: SAMPLE_ACCOUNT_ID, Name: 'Acme Corporation' })
                ]
            }
        ]);
    });

    it('searches every allowed object this org has when none are named', async () => {
        const result = await call<SearchResult>(
            'CoworkerDataController.searchRecords',
            { term: 'pricing seats', objectApiNames: [] },
            sam
        );
        const cases = result.groups.find((g) => g.objectApiName === 'Case');
        expect(cases?.records.map((r) => r.Id)).toEqual([INJECTED_CASE_ID]);
    });

    it('escapes SOSL’s reserved characters instead of failing on them', async () => {
        const result = await call<SearchResult>(
            'CoworkerDataController.searchRecords',
            { term: 'Acme (Corporation) {x}', objectApiNames: ['Account'] },
            sam
        );
        expect(result.groups).toHaveLength(1);
    });

    it('refuses objects outside the coworker and one-letter searches', async () => {
        expect(
            await refusal(
                call(
                    'CoworkerDataController.searchRecords',
                    { term: 'Ada', objectApiNames: ['User'] },
                    sam
                )
            )
        ).toMatch(/may not use User/);
        expect(
            await refusal(call('CoworkerDataController.searchRecords', { term: 'a' }, sam))
        ).toMatch(/at least two letters/);
    });
});

describe('KnowledgeController', () => {
    it('finds candidate chunks of active documents only', async () => {
        const find = () =>
            call<KnowledgeChunk[]>(
                'KnowledgeController.findChunks',
                { terms: ['refund', 'days'], maxCandidates: 10 },
                sam
            );
        const chunks = await find();
        expect(chunks.length).toBeGreaterThan(0);
        expect(chunks[0]).toMatchObject({
            documentId: REFUND_POLICY_DOCUMENT_ID,
            documentName: 'Refund policy'
        });
        await call(
            'KnowledgeController.setDocumentActive',
            { documentId: REFUND_POLICY_DOCUMENT_ID, active: false },
            ada
        );
        expect((await find()).map((c) => c.documentId)).not.toContain(REFUND_POLICY_DOCUMENT_ID);
    });

    it('answers no candidates for terms too short to search', async () => {
        expect(await call('KnowledgeController.findChunks', { terms: ['a', ''] }, sam)).toEqual([]);
    });

    it('lets Ada add a document with its chunks, list it and delete it', async () => {
        const id = await call<string>(
            'KnowledgeController.saveDocument',
            {
                name: 'Shipping',
                format: 'Plain text',
                chunks: [
                    {
                        sequence: 0,
                        heading: null,
                        body: 'We ship in 3 days.',
                        searchText: 'we ship in 3 days'
                    }
                ]
            },
            ada
        );
        const listed = await call<KnowledgeDocumentSummary[]>(
            'KnowledgeController.listDocuments',
            {},
            sam
        );
        expect(listed.find((d) => d.id === id)).toMatchObject({
            name: 'Shipping',
            chunkCount: 1,
            active: true
        });
        await call('KnowledgeController.deleteDocument', { documentId: id }, ada);
        const after = await call<KnowledgeDocumentSummary[]>(
            'KnowledgeController.listDocuments',
            {},
            ada
        );
        expect(after.map((d) => d.id)).not.toContain(id);
    });

    it('refuses Sam adding, deactivating or deleting knowledge', async () => {
        const chunks = [{ sequence: 0, heading: null, body: 'x y', searchText: 'x y' }];
        expect(
            await refusal(
                call(
                    'KnowledgeController.saveDocument',
                    { name: 'N', format: 'Markdown', chunks },
                    sam
                )
            )
        ).toMatch(/Only Resident admins/);
        expect(
            await refusal(
                call(
                    'KnowledgeController.setDocumentActive',
                    { documentId: PRODUCT_FAQ_DOCUMENT_ID, active: false },
                    sam
                )
            )
        ).toMatch(/Only Resident admins/);
        expect(
            await refusal(
                call(
                    'KnowledgeController.deleteDocument',
                    { documentId: PRODUCT_FAQ_DOCUMENT_ID },
                    sam
                )
            )
        ).toMatch(/Only Resident admins/);
    });

    describe('keepOriginal: the file a document was made from, as a File on it', () => {
        const chunks = [{ sequence: 0, heading: null, body: 'Refunds.', searchText: 'refunds' }];
        const b64 = (text: string) => Buffer.from(text).toString('base64');
        async function save(context: ApexContext = ada): Promise<string> {
            return call<string>(
                'KnowledgeController.saveDocument',
                { name: 'Refunds', format: 'Markdown', chunks },
                context
            );
        }
        function fileIdOf(documentId: string): unknown {
            return store
                .systemRecords('Resident_Knowledge_Document__c')
                .find((d) => d.fields.Id === documentId)?.fields.Source_File_Id__c;
        }

        it('inserts the File as Ada, published to the document, and names it in Source_File_Id__c', async () => {
            const documentId = await save();
            const fileId = await call<string>(
                'KnowledgeController.keepOriginal',
                { documentId, fileName: 'refunds.md', base64: b64('# Refunds') },
                ada
            );
            expect(fileId).toMatch(/^069/);
            expect(fileIdOf(documentId)).toBe(fileId);
            const [file] = store.files().filter((f) => f.contentDocumentId === fileId);
            expect(file).toMatchObject({
                title: 'refunds',
                pathOnClient: 'refunds.md',
                linkedEntityId: documentId,
                size: 9
            });
            expect(store.fileBytes.get(file!.contentVersionId)?.toString()).toBe('# Refunds');
            const owner = store
                .systemRecords('ContentDocument')
                .find((d) => d.fields.Id === fileId);
            expect(owner?.fields.OwnerId).toBe(ada.user.id);
        });

        it('refuses an empty file, one over the export cap, and a second original, keeping no File', async () => {
            const documentId = await save();
            const filesBefore = store.files().length;
            expect(
                await refusal(
                    call(
                        'KnowledgeController.keepOriginal',
                        { documentId, fileName: 'empty.md', base64: '' },
                        ada
                    )
                )
            ).toMatch(/no name or no content/);
            const oversized = Buffer.alloc(EXPORT_MAX_ORIGINAL_BYTES + 1).toString('base64');
            expect(
                await refusal(
                    call(
                        'KnowledgeController.keepOriginal',
                        { documentId, fileName: 'big.pdf', base64: oversized },
                        ada
                    )
                )
            ).toMatch(/larger than 2 MB, so it was not kept/);
            expect(store.files()).toHaveLength(filesBefore);
            await call(
                'KnowledgeController.keepOriginal',
                { documentId, fileName: 'refunds.md', base64: b64('# Refunds') },
                ada
            );
            expect(
                await refusal(
                    call(
                        'KnowledgeController.keepOriginal',
                        { documentId, fileName: 'other.md', base64: b64('# Other') },
                        ada
                    )
                )
            ).toMatch(/already keeps its original/);
            expect(store.files()).toHaveLength(filesBefore + 1);
        });

        it('refuses Sam, and leaves neither a File nor the field behind (one transaction)', async () => {
            const documentId = await save();
            const filesBefore = store.files().length;
            expect(
                await refusal(
                    call(
                        'KnowledgeController.keepOriginal',
                        { documentId, fileName: 'refunds.md', base64: b64('# Refunds') },
                        sam
                    )
                )
            ).toMatch(/Only Resident admins/);
            expect(store.files()).toHaveLength(filesBefore);
            expect(fileIdOf(documentId) ?? null).toBeNull();
        });

        it('deleting the document deletes its original File, and never a File the field merely names', async () => {
            const documentId = await save();
            const fileId = await call<string>(
                'KnowledgeController.keepOriginal',
                { documentId, fileName: 'refunds.md', base64: b64('# Refunds') },
                ada
            );
            await call('KnowledgeController.deleteDocument', { documentId }, ada);
            expect(store.files().filter((f) => f.contentDocumentId === fileId)).toEqual([]);
            expect(store.systemRecords('ContentDocument').map((d) => d.fields.Id)).not.toContain(
                fileId
            );

            // A File of the org's own, named by a hand-edited field but not linked to the document.
            const otherId = await save();
            const versionId = store.uploadFile(ada.user, {
                Title: 'Board minutes',
                PathOnClient: 'minutes.txt',
                VersionData: b64('minutes')
            });
            const unrelated = store.files().find((f) => f.contentVersionId === versionId)!;
            store.update(ada.user, otherId, { Source_File_Id__c: unrelated.contentDocumentId });
            await call('KnowledgeController.deleteDocument', { documentId: otherId }, ada);
            expect(store.files().map((f) => f.contentVersionId)).toContain(versionId);
        });
    });

    it('saves nothing when a chunk is bad (one transaction)', async () => {
        const before = store.recordCounts().Resident_Knowledge_Document__c;
        expect(
            await refusal(
                call(
                    'KnowledgeController.saveDocument',
                    {
                        name: 'Broken',
                        format: 'Markdown',
                        chunks: [
                            { sequence: 0, heading: null, body: 'ok', searchText: 'ok' },
                            {
                                sequence: 1,
                                heading: 'h'.repeat(256),
                                body: 'too long a heading',
                                searchText: 'x'
                            }
                        ]
                    },
                    ada
                )
            )
        ).toMatch(/not saved.*max length=255/);
        expect(store.recordCounts().Resident_Knowledge_Document__c).toBe(before);
    });
});

describe('ActivityLogController', () => {
    it('logs as the user and lists newest first', async () => {
        const id = await call<string>(
            'ActivityLogController.logActivity',
            {
                entry: {
                    kind: 'Tool call',
                    outcome: 'Succeeded',
                    tool: 'get_record',
                    summary: 'Read Acme Corporation',
                    taskId: SAM_TASK_ID,
                    recordId: SAMPLE_ACCOUNT_ID,
                    objectApiName: 'Account',
                    coworkerName: 'Default'
                }
            },
            sam
        );
        const entries = await call<ActivityEntry[]>(
            'ActivityLogController.listActivity',
            { filter: {} },
            sam
        );
        expect(entries[0]).toMatchObject({
            id,
            userId: SAM_SELLER_ID,
            userName: 'Sam Seller',
            tool: 'get_record'
        });
        expect(entries.every((e) => e.userId === SAM_SELLER_ID)).toBe(true);
    });

    it('lets Ada (View All) see everyone’s entries, and filter her own', async () => {
        const all = await call<ActivityEntry[]>('ActivityLogController.listActivity', {}, ada);
        expect(new Set(all.map((e) => e.userId))).toEqual(new Set([ADA_ADMIN_ID, SAM_SELLER_ID]));
        const mine = await call<ActivityEntry[]>(
            'ActivityLogController.listActivity',
            { filter: { mineOnly: true } },
            ada
        );
        expect(mine.map((e) => e.id)).toContain(ADA_ENTRY_ID);
        expect(mine.every((e) => e.userId === ADA_ADMIN_ID)).toBe(true);
    });

    it('filters by record, kind and date, and pages', async () => {
        const onAcme = await call<ActivityEntry[]>(
            'ActivityLogController.listActivity',
            { filter: { recordId: SAMPLE_ACCOUNT_ID, kinds: ['Tool call'], pageSize: 2 } },
            sam
        );
        expect(onAcme).toHaveLength(2);
        const future = await call<ActivityEntry[]>(
            'ActivityLogController.listActivity',
            { filter: { since: '2099-01-01' } },
            sam
        );
        expect(future).toEqual([]);
    });

    it('never shows Sam Ada’s entry, nor lets him undo it', async () => {
        const entries = await call<ActivityEntry[]>('ActivityLogController.listActivity', {}, sam);
        expect(entries.map((e) => e.id)).not.toContain(ADA_ENTRY_ID);
        expect(
            await refusal(
                call(
                    'ActivityLogController.logActivity',
                    {
                        entry: {
                            kind: 'Undo',
                            outcome: 'Succeeded',
                            summary: 'Undo',
                            undoOfId: ADA_ENTRY_ID
                        }
                    },
                    sam
                )
            )
        ).toMatch(/does not exist, or you do not have access/);
    });

    it('stamps the undone entry (the trigger’s job) and refuses a second undo', async () => {
        const undo = {
            kind: 'Undo',
            outcome: 'Succeeded',
            tool: 'update_record',
            summary: 'Undid the change to Acme Corporation',
            undoOfId: SAM_UPDATE_ENTRY_ID,
            recordId: SAMPLE_ACCOUNT_ID,
            priorValues: '{"Industry":"Technology"}',
            newValues: '{"Industry":"Manufacturing"}'
        };
        const undoId = await call<string>(
            'ActivityLogController.logActivity',
            { entry: undo },
            sam
        );
        const entries = await call<ActivityEntry[]>('ActivityLogController.listActivity', {}, sam);
        const original = entries.find((e) => e.id === SAM_UPDATE_ENTRY_ID);
        expect(original).toMatchObject({
            outcome: 'Undone',
            undoneById: SAM_SELLER_ID,
            undoneByName: 'Sam Seller'
        });
        expect(original?.undoneAt).toMatch(/Z$/);
        expect(entries.find((e) => e.id === undoId)?.undoOfId).toBe(SAM_UPDATE_ENTRY_ID);
        expect(
            await refusal(call('ActivityLogController.logActivity', { entry: undo }, sam))
        ).toMatch(/already undone/);
    });

    it('does not stamp the original when the undo failed (the record had changed)', async () => {
        await call(
            'ActivityLogController.logActivity',
            {
                entry: {
                    kind: 'Undo',
                    outcome: 'Failed',
                    summary: 'Record changed since',
                    undoOfId: SAM_UPDATE_ENTRY_ID
                }
            },
            sam
        );
        expect(store.visibleRecord(sam.user, SAM_UPDATE_ENTRY_ID).fields.Undone_At__c).toBeNull();
    });

    it('rolls a Model call’s tokens up onto the task', async () => {
        const before = Number(store.visibleRecord(sam.user, SAM_TASK_ID).fields.Model_Usage__c);
        await call(
            'ActivityLogController.logActivity',
            {
                entry: {
                    kind: 'Model call',
                    outcome: 'Succeeded',
                    summary: 'Model call',
                    taskId: SAM_TASK_ID,
                    tokens: 1234
                }
            },
            sam
        );
        expect(store.visibleRecord(sam.user, SAM_TASK_ID).fields.Model_Usage__c).toBe(
            before + 1234
        );
    });

    it('refuses a bad kind, a missing summary, an Undo without its entry and prior values that are not JSON', async () => {
        const log = (entry: Record<string, unknown>) =>
            refusal(call('ActivityLogController.logActivity', { entry }, sam));
        expect(await log({ kind: 'Chat', outcome: 'Succeeded', summary: 's' })).toMatch(
            /not an activity kind/
        );
        expect(await log({ kind: 'Tool call', outcome: 'Succeeded', summary: ' ' })).toMatch(
            /one-line summary/
        );
        expect(await log({ kind: 'Undo', outcome: 'Succeeded', summary: 's' })).toMatch(
            /must name the entry/
        );
        expect(
            await log({
                kind: 'Tool call',
                outcome: 'Succeeded',
                summary: 's',
                priorValues: 'Industry'
            })
        ).toMatch(/must be JSON/);
        expect(
            await log({
                kind: 'Tool call',
                outcome: 'Succeeded',
                summary: 's',
                taskId: ADA_TASK_ID
            })
        ).toMatch(/does not exist, or you do not have access/);
        expect(
            await refusal(
                call('ActivityLogController.listActivity', { filter: { pageSize: 500 } }, sam)
            )
        ).toMatch(/page size/);
    });

    it('keeps an over-long summary as one trimmed line rather than losing the entry', async () => {
        const id = await call<string>(
            'ActivityLogController.logActivity',
            {
                entry: {
                    kind: 'Tool call',
                    outcome: 'Failed',
                    summary: `line one\n${'x'.repeat(400)}`
                }
            },
            sam
        );
        const summary = String(store.visibleRecord(sam.user, id).fields.Result_Summary__c);
        expect(summary).toHaveLength(255);
        expect(summary).not.toContain('\n');
    });
});

describe('FeedbackController.saveFeedback', () => {
    it('saves a rating on the user’s own task', async () => {
        const id = await call<string>(
            'FeedbackController.saveFeedback',
            { taskId: SAM_TASK_ID, messageIndex: 1, rating: 'Up', comment: 'Spot on' },
            sam
        );
        expect(store.visibleRecord(sam.user, id).fields).toMatchObject({
            Rating__c: 'Up',
            OwnerId: SAM_SELLER_ID
        });
    });

    it('refuses a rating on a task Sam cannot see, and a rating that is not Up or Down', async () => {
        expect(
            await refusal(
                call(
                    'FeedbackController.saveFeedback',
                    { taskId: ADA_TASK_ID, messageIndex: 1, rating: 'Up' },
                    sam
                )
            )
        ).toMatch(/does not exist/);
        expect(
            await refusal(
                call(
                    'FeedbackController.saveFeedback',
                    { taskId: SAM_TASK_ID, messageIndex: 1, rating: 'Meh' },
                    sam
                )
            )
        ).toMatch(/Up or Down/);
    });
});

describe('OrgHealthController.getOrgHealth', () => {
    it('answers limits, flows and the package’s Apex classes to Ada', async () => {
        const health = await call<OrgHealth>('OrgHealthController.getOrgHealth', {}, ada);
        expect(health.limits.map((l) => l.name)).toContain('DailyApiRequests');
        expect(health.apexClasses.map((c) => c.name)).toContain('RelayConnectionController');
        expect(health.apexClasses[0]?.apiVersion).toBeGreaterThan(50);
    });

    it('refuses Sam', async () => {
        expect(await refusal(call('OrgHealthController.getOrgHealth', {}, sam))).toMatch(
            /Resident admins/
        );
    });
});

describe('TrustSettingsController and the session token', () => {
    const orgKey = () => deriveOrgKey(new Uint8Array(32).fill(7), 'k1', ORG_ID);

    it('saves the policy and auto-approvals; the next token and coworker carry them', async () => {
        const key = await orgKey();
        const settings = await call<TrustSettings>(
            'TrustSettingsController.getTrustSettings',
            {},
            ada
        );
        expect(settings.canEdit).toBe(true);
        const policy = {
            ...settings.policy,
            excludedFields: ['Account.Description'],
            tokenBudget: { perTask: 10_000, perUserPerDay: 50_000 }
        };
        const saved = await call<{ deploymentId: string }>(
            'TrustSettingsController.saveTrustSettings',
            { settings: JSON.stringify({ policy, autoApprove: { Default: ['Case'] } }) },
            ada
        );
        expect(saved.deploymentId).toMatch(/^0Af/);
        const coworker = await call<CoworkerDefinition>('CoworkerController.getCoworker', {}, sam);
        expect(coworker.policy.excludedFields).toEqual(['Account.Description']);
        expect(coworker.autoApproveObjects).toEqual(['Case']);

        // Sam's task used 5,400 tokens (seeded); a Model call today uses 2,000 of his day.
        await call(
            'ActivityLogController.logActivity',
            {
                entry: {
                    kind: 'Model call',
                    outcome: 'Succeeded',
                    summary: 'Model call',
                    taskId: SAM_TASK_ID,
                    tokens: 2000
                }
            },
            sam
        );
        const session = await call<{ token: string }>(
            'RelayConnectionController.getRelaySession',
            { scopes: ['llm'], taskId: SAM_TASK_ID },
            { ...sam, settings: { ...sam.settings, orgKey: key } }
        );
        const claims = await verifySessionToken(session.token, {
            masterKeys: new Map([['k1', new Uint8Array(32).fill(7)]]),
            revokedKeyIds: new Set(),
            audience: 'resident-relay'
        });
        expect(claims.policy.excludedFields).toEqual(['Account.Description']);
        expect(claims.budget).toEqual({ userDayRemaining: 48_000, taskRemaining: 10_000 - 7_400 });
    });

    it('refuses Sam saving, and a policy the relay could not carry', async () => {
        const settings = await call<TrustSettings>(
            'TrustSettingsController.getTrustSettings',
            {},
            sam
        );
        expect(settings.canEdit).toBe(false);
        const change = { policy: settings.policy, autoApprove: {} };
        expect(
            await refusal(
                call(
                    'TrustSettingsController.saveTrustSettings',
                    { settings: JSON.stringify(change) },
                    sam
                )
            )
        ).toMatch(/Only admins/);
        const bad = { policy: { ...settings.policy, maxKnowledgeChunks: 500 }, autoApprove: {} };
        expect(
            await refusal(
                call(
                    'TrustSettingsController.saveTrustSettings',
                    { settings: JSON.stringify(bad) },
                    ada
                )
            )
        ).toMatch(/maxKnowledgeChunks/);
        const outside = { policy: settings.policy, autoApprove: { Default: ['User'] } };
        expect(
            await refusal(
                call(
                    'TrustSettingsController.saveTrustSettings',
                    { settings: JSON.stringify(outside) },
                    ada
                )
            )
        ).toMatch(/cannot auto-approve User/);
        expect(
            await refusal(
                call('TrustSettingsController.saveTrustSettings', { settings: '{not json' }, ada)
            )
        ).toMatch(/not valid JSON/);
        expect(store.trust.policy).toEqual(DEFAULT_POLICY);
    });
});

describe('over HTTP, as the workbench calls the stand-in org', () => {
    let org: SalesforceOrgStandIn;
    let samToken: string;

    beforeAll(async () => {
        org = await startSalesforceOrgStandIn({ port: 0 });
        samToken = org.sessionFor(STANDIN_USERNAMES.sam).access_token;
    });
    afterAll(() => org.close());

    const get = async (path: string) => {
        const res = await fetch(`${org.url}${path}`, {
            headers: { authorization: `Bearer ${samToken}` }
        });
        return { status: res.status, body: (await res.json()) as unknown };
    };

    it('answers GET search?q= with searchRecords as the user', async () => {
        const q = encodeURIComponent('FIND {Acme} IN ALL FIELDS RETURNING Account(Id, Name)');
        const { status, body } = await get(`/services/data/v62.0/search?q=${q}`);
        expect(status).toBe(200);
        expect(body).toEqual({
            searchRecords: [
                {
                    attributes: {
                        type: 'Account',
                        url: `/services/data/v62.0/sobjects/Account/${SAMPLE_ACCOUNT_ID}`
                    },
                    Id: SAMPLE_ACCOUNT_ID,
                    Name: 'Acme Corporation'
                }
            ]
        });
        const bad = await get(`/services/data/v62.0/search?q=${encodeURIComponent('FIND Acme')}`);
        expect(bad.status).toBe(400);
        expect(bad.body).toEqual([{ errorCode: 'MALFORMED_SEARCH', message: expect.any(String) }]);
    });

    it('answers a refused Apex call as an AuraHandledException', async () => {
        const res = await fetch(`${org.url}/__standin/apex/CoworkerTaskController/getTask`, {
            method: 'POST',
            headers: { authorization: `Bearer ${samToken}`, 'content-type': 'application/json' },
            body: JSON.stringify({ taskId: ADA_TASK_ID })
        });
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({
            exceptionType: 'System.AuraHandledException',
            message: expect.stringMatching(/does not exist/)
        });
    });
});

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
    PACKAGE_DATA_OBJECTS,
    type ExportFile
} from '../../force-app/main/default/lwc/trustCenterContract/trustCenterContract';
import { startWorkbenchStack, type WorkbenchStack } from '../start';
import { ADA_ADMIN_ID, ORG_ID, SAM_SELLER_ID } from '../standins/salesforceOrgStandIn/seedData';
import { STANDIN_ORG_NAME } from '../standins/salesforceOrgStandIn/trustCenterState';
import { launchChromium, requireChromium, type ChromiumSession } from './chromium';
import { ids, loadLabels, records, type Label } from './coworkerHarness';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// Not committed (.tmp is ignored): for a person to look at after a run.
const SCREENSHOT = path.join(repoRoot, '.tmp', 'trust-center.png');

let stack: WorkbenchStack;
let browser: ChromiumSession;
let label: Label;
/** The File the Knowledge page kept for the document the export test adds; the purge must delete it. */
let keptOriginalFileId: string | undefined;

async function openTrustCenter(user: 'ada' | 'sam' = 'ada'): Promise<Page> {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const url = new URL(stack.urls.appPages['trust-center']);
    if (user === 'sam') url.searchParams.set('user', 'sam');
    await page.goto(url.toString(), { waitUntil: 'networkidle' });
    await page.locator('c-trust-center').waitFor();
    expect(errors).toEqual([]);
    return page;
}

/**
 * Adds a knowledge document the way an admin does: chooses a Markdown file on the Knowledge page
 * and saves. The page saves the passages, then keeps the file as it is as a File on the document
 * (KnowledgeController.keepOriginal): the export's original comes from that path, nothing else.
 */
async function addKnowledgeFromFile(fileName: string, content: string): Promise<string> {
    const before = ids(stack, 'Resident_Knowledge_Document__c');
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(stack.urls.appPages.knowledge, { waitUntil: 'networkidle' });
    const manager = page.locator('c-knowledge-manager');
    const input = manager.locator('[data-id="file"] input[type="file"]');
    await input.waitFor({ state: 'attached', timeout: 20_000 });
    await input.setInputFiles({
        name: fileName,
        mimeType: 'text/markdown',
        buffer: Buffer.from(content)
    });
    await expect
        .poll(() => manager.locator('[data-id="original-note"]').textContent())
        .toContain(fileName);
    await manager.locator('[data-id="save"] button').click();
    await expect
        .poll(() => manager.locator('[data-id="notice"]').textContent(), { timeout: 20_000 })
        .toMatch(new RegExp(`with its original file ${fileName.replace('.', '\\.')}`));
    expect(errors).toEqual([]);
    await page.close();
    const [added] = [...ids(stack, 'Resident_Knowledge_Document__c')].filter(
        (id) => !before.has(id)
    );
    expect(added).toBeDefined();
    return added!;
}

describe('trust center in the workbench', () => {
    beforeAll(async () => {
        requireChromium();
        label = await loadLabels();
        // Built once for the whole run by buildOnce.ts (the e2e config's globalSetup).
        stack = await startWorkbenchStack({ build: false });
        browser = await launchChromium();
    });

    afterAll(async () => {
        await browser?.close();
        await stack?.stop();
    });

    test('Sam, without the admin permissions, sees who the page is for and no controls', async () => {
        const page = await openTrustCenter('sam');
        const center = page.locator('c-trust-center');
        await center.locator('[data-id="not-permitted"]').waitFor();
        // Every control of every section is absent, not merely hidden: relay key and disconnect,
        // retention and its job, export, purge.
        for (const control of [
            'relay',
            'new-key',
            'save-key',
            'disconnect',
            'retention',
            'retention-save',
            'job-run-now',
            'job-schedule',
            'job-unschedule',
            'export-start',
            'purge',
            'purge-org-name',
            'purge-start'
        ]) {
            expect(await center.locator(`[data-id="${control}"]`).count(), control).toBe(0);
        }
        expect(await center.locator('lightning-input, input, textarea').count()).toBe(0);
        expect(await center.getByRole('button').count()).toBe(0);
        expect(await center.locator('[data-subprocessor]').count()).toBe(2);
        await page.close();
    });

    test('a 1-day task window: the job deletes the aged tasks, keeps the fresh one, and logs the counts', async () => {
        const sam = stack.org.store.user(SAM_SELLER_ID)!;
        const fresh = stack.org.store.create(sam, 'Resident_Task__c', { Name: 'Fresh task' });
        const aged = stack.org.store.create(sam, 'Resident_Task__c', { Name: 'Two days old' });
        // TEST DOUBLE ONLY: moves the row back in time in the stand-in org, as no real API can.
        expect(stack.org.store.ageRecords([aged], 2)).toBe(1);
        const tasksBefore = ids(stack, 'Resident_Task__c');
        expect(tasksBefore).toContain(aged);

        const page = await openTrustCenter();
        const center = page.locator('c-trust-center');
        // The relay is up and the stand-in org's key is the workbench's.
        await expect
            .poll(() => center.locator('[data-id="relay-key"]').textContent())
            .toContain(label('Resident_TrustCenter_KeyConfigured', 'workbench'));
        await expect
            .poll(() => center.locator('[data-id="relay-health"]').textContent())
            .toContain(label('Resident_TrustCenter_RelayReachable', stack.urls.relay));
        // The relay itself says it accepts the key (GET /v1/connection with a session token).
        await expect
            .poll(() => center.locator('[data-id="relay-key-check"]').textContent())
            .toContain(label('Resident_TrustCenter_KeyAccepted', 'workbench', ORG_ID));

        const tasks = center.locator('lightning-input[data-kind="tasks"] input');
        await tasks.waitFor();
        await tasks.fill('1');
        await center
            .getByRole('button', { name: label('Resident_TrustCenter_RetentionSave') })
            .click();
        await expect
            .poll(() => center.locator('[data-id="retention-notice"]').textContent())
            .toContain(label('Resident_TrustCenter_RetentionSaved'));
        expect(stack.org.store.trustCenter.retention.tasks).toBe(1);

        await center.getByRole('button', { name: label('Resident_TrustCenter_RunNow') }).click();
        const counts = center.locator('[data-id="job-run-counts"] li');
        await counts.first().waitFor({ timeout: 30_000 });
        const deleted = tasksBefore.size - 1;
        expect(await counts.allTextContents()).toEqual([`Resident Tasks: ${deleted}`]);
        expect(await center.locator('[data-id="job-run-status"]').textContent()).toContain(
            label('Resident_TrustCenter_JobLastRun', 'Completed')
        );

        expect(ids(stack, 'Resident_Task__c')).toEqual(new Set([fresh]));
        const logged = records(stack, 'Resident_Activity__c').filter(
            (r) => r.Kind__c === 'Retention run'
        );
        expect(logged).toHaveLength(1);
        expect(JSON.parse(String(logged[0]?.Result__c))).toEqual({ Resident_Task__c: deleted });
        expect(logged[0]?.User__c).toBe(ADA_ADMIN_ID);
        await page.close();
    });

    test('export downloads one JSON file with every row of every package object and the knowledge original', async () => {
        const documentId = await addKnowledgeFromFile(
            'refund-policy.md',
            '# Refunds\n\nWithin 30 days.'
        );
        // As the product sets it: the document names its File, a File published to the document.
        const document = records(stack, 'Resident_Knowledge_Document__c').find(
            (r) => r.Id === documentId
        );
        keptOriginalFileId = String(document?.Source_File_Id__c ?? '');
        expect(keptOriginalFileId).toMatch(/^069/);
        expect(
            stack.org.store
                .files()
                .filter((f) => f.contentDocumentId === keptOriginalFileId)
                .map((f) => f.linkedEntityId)
        ).toEqual([documentId]);
        const expected = Object.fromEntries(
            PACKAGE_DATA_OBJECTS.map((name) => [name, [...ids(stack, name)].sort()])
        );

        const page = await openTrustCenter();
        const center = page.locator('c-trust-center');
        const start = center.getByRole('button', { name: label('Resident_TrustCenter_Export') });
        await expect.poll(() => start.isEnabled(), { timeout: 20_000 }).toBe(true);
        const [download] = await Promise.all([page.waitForEvent('download'), start.click()]);
        expect(download.suggestedFilename()).toMatch(/^resident-export-\d{4}-\d{2}-\d{2}\.json$/);
        const text = await readFile(await download.path(), 'utf8');
        // The org key is a credential, not data: no org key of any id is in the file.
        expect(text).not.toMatch(/v1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]{43}/);
        const file = JSON.parse(text) as ExportFile;

        expect(file.format).toBe('resident-export/1');
        expect(file.exportedByUserId).toBe(ADA_ADMIN_ID);
        expect(file.retention.tasks).toBe(1);
        expect(Object.keys(file.objects)).toEqual([...PACKAGE_DATA_OBJECTS].reverse());
        for (const name of PACKAGE_DATA_OBJECTS) {
            expect(file.objects[name].map((r) => String(r.Id)).sort(), name).toEqual(
                expected[name]
            );
        }
        // A row's fields come as the org stores them (lookups as ids).
        const chunk = file.objects.Resident_Knowledge_Chunk__c[0];
        expect(String(chunk?.Document__c)).toMatch(/^a03/);
        // The file as the admin chose it, byte for byte, with its name.
        const original = file.knowledgeOriginals.find((o) => o.documentId === documentId);
        expect(original).toMatchObject({
            contentDocumentId: keptOriginalFileId,
            fileName: 'refund-policy.md',
            fileExtension: 'md',
            skippedReason: null
        });
        expect(Buffer.from(original?.base64 ?? '', 'base64').toString()).toBe(
            '# Refunds\n\nWithin 30 days.'
        );
        // Typed-in documents (the seed's) have no original: only the one made from a file.
        expect(file.knowledgeOriginals.map((o) => o.documentId)).toEqual([documentId]);
        expect(
            file.objects.Resident_Knowledge_Document__c.find((r) => r.Id === documentId)
                ?.Source_File_Id__c
        ).toBe(keptOriginalFileId);
        await expect
            .poll(() => center.locator('[data-id="export-notice"]').textContent())
            .toContain(
                label(
                    'Resident_TrustCenter_ExportDone',
                    Object.values(expected).reduce((n, list) => n + list.length, 0)
                )
            );
        expect(
            records(stack, 'Resident_Activity__c').filter((r) => r.Kind__c === 'Data export')
        ).toHaveLength(1);
        await page.close();
    });

    test("purge needs the org's name, then leaves nothing but its own log entry", async () => {
        const page = await openTrustCenter();
        const center = page.locator('c-trust-center');
        const purge = center.getByRole('button', { name: label('Resident_TrustCenter_Purge') });
        const name = center.locator('lightning-input[data-id="purge-org-name"] input');
        await name.waitFor();
        await name.fill(STANDIN_ORG_NAME.toUpperCase());
        expect(await purge.isDisabled()).toBe(true);
        await name.fill(STANDIN_ORG_NAME);
        await expect.poll(() => purge.isEnabled()).toBe(true);
        await purge.click();
        await center
            .getByRole('button', { name: label('Resident_TrustCenter_PurgeConfirmButton') })
            .click();
        await expect
            .poll(() => center.locator('[data-id="purge-notice"]').textContent(), {
                timeout: 30_000
            })
            .toMatch(/^\s*Purge complete/);

        for (const name of PACKAGE_DATA_OBJECTS) {
            const left = records(stack, name);
            if (name === 'Resident_Activity__c') {
                expect(left.map((r) => r.Kind__c)).toEqual(['Data purge']);
            } else {
                expect(left, name).toEqual([]);
            }
        }
        // Nor any knowledge document's original File: the one the export test kept is gone.
        expect(keptOriginalFileId).toMatch(/^069/);
        expect(records(stack, 'ContentDocument').map((r) => r.Id)).not.toContain(
            keptOriginalFileId
        );
        expect(
            stack.org.store.files().filter((f) => f.contentDocumentId === keptOriginalFileId)
        ).toEqual([]);
        // The rest of the org is untouched, and the package still works: the page reloads.
        expect(records(stack, 'Account').length).toBeGreaterThan(0);
        await page.waitForTimeout(300);
        await page.screenshot({ path: SCREENSHOT, fullPage: true });
        await page.close();
        const again = await openTrustCenter();
        await again.locator('c-trust-center [data-id="export-objects"]').waitFor();
        await again.close();
    });

    test('rotation to a key under a new key id: the relay accepts the new key, the typed key is cleared, and the rotation is logged', async () => {
        const page = await openTrustCenter();
        const center = page.locator('c-trust-center');
        await expect
            .poll(() => center.locator('[data-id="relay-key-check"]').textContent())
            .toContain(label('Resident_TrustCenter_KeyAccepted', 'workbench', ORG_ID));
        const keyInput = center.locator('[data-id="new-key"] input');
        await keyInput.fill(stack.nextOrgKey);
        await center.locator('[data-id="save-key"] button').click();
        await expect
            .poll(() => center.locator('[data-id="relay-notice"]').textContent())
            .toContain(label('Resident_TrustCenter_Rotated', 'workbench-2'));
        await expect
            .poll(() => center.locator('[data-id="relay-key"]').textContent())
            .toContain(label('Resident_TrustCenter_KeyConfigured', 'workbench-2'));
        // The relay itself accepts a session token signed with the new key (GET /v1/connection).
        await expect
            .poll(() => center.locator('[data-id="relay-key-check"]').textContent())
            .toContain(label('Resident_TrustCenter_KeyAccepted', 'workbench-2', ORG_ID));
        // The key, a credential, does not stay in the page.
        expect(await keyInput.inputValue()).toBe('');
        const logged = records(stack, 'Resident_Activity__c').filter(
            (r) => r.Kind__c === 'Relay connection'
        );
        expect(logged.map((r) => r.Result_Summary__c)).toEqual([
            'Org key rotated from key id workbench to workbench-2'
        ]);
        // Trying the same key again is refused with the reason, beside the field.
        await keyInput.fill(stack.nextOrgKey);
        await center.locator('[data-id="save-key"] button').click();
        await expect
            .poll(() => center.locator('[data-id="relay-notice"]').textContent())
            .toContain('key id already in use (workbench-2)');
        await page.close();
    });

    test('disconnect, after confirming, removes the org key: the coworker then says the org is not connected', async () => {
        const page = await openTrustCenter();
        const center = page.locator('c-trust-center');
        await center
            .getByRole('button', { name: label('Resident_TrustCenter_Disconnect') })
            .click();
        await center.locator('[data-id="disconnect-confirm"]').waitFor();
        await center
            .locator('[data-id="disconnect-confirm-button"]')
            .getByRole('button', { name: label('Resident_TrustCenter_Disconnect') })
            .click();
        await expect
            .poll(() => center.locator('[data-id="relay-notice"]').textContent())
            .toContain(label('Resident_TrustCenter_Disconnected'));
        await expect
            .poll(() => center.locator('[data-id="relay-key"]').textContent())
            .toContain(label('Resident_TrustCenter_KeyMissing'));
        const logged = records(stack, 'Resident_Activity__c').filter(
            (r) => r.Kind__c === 'Relay connection'
        );
        // After the rotation above, the key removed is the rotated one.
        expect(logged.map((r) => r.Result_Summary__c).sort()).toEqual([
            'Org key rotated from key id workbench to workbench-2',
            'Relay disconnected: org key workbench-2 removed'
        ]);
        // The coworker on a record page now says the org is not connected, and what to do.
        await page.goto(stack.urls.recordPage, { waitUntil: 'networkidle' });
        const panel = page.locator('c-coworker-panel');
        await expect
            .poll(() => panel.locator('[data-id="relay-status-text"]').textContent())
            .toBe(label('Resident_RelayStatus_NotConnected'));
        await page.close();
    });
});

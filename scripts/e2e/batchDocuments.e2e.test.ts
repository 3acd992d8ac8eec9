import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startWorkbenchStack, type WorkbenchStack } from '../start';
import {
    ADA_ADMIN_ID,
    EURO_ACCOUNT_ID,
    LEGAL_HOLD_ACCOUNT_ID,
    LEGAL_HOLD_MESSAGE,
    QUOTE_TEMPLATE_ID
} from '../standins/salesforceOrgStandIn/seedData';
import { launchChromium, requireChromium, type ChromiumSession } from './chromium';
import { loadLabels, pdfText, type Label } from './coworkerHarness';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// Not committed (.tmp is ignored): for a person to look at after a run.
const SCREENSHOT = path.join(repoRoot, '.tmp', 'batch-documents.png');

let stack: WorkbenchStack;
let browser: ChromiumSession;
let label: Label;

describe('batch documents in the workbench', () => {
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

    test('Ada generates a Quote for every account of a list view: progress, a File and a log entry per account, the one on legal hold reported (and logged as Failed) while the rest succeed', async () => {
        const page = await browser.context.newPage();
        const pageErrors: string[] = [];
        page.on('pageerror', (error) => pageErrors.push(error.message));
        const ada = stack.org.store.user(ADA_ADMIN_ID)!;
        const accounts = stack.org.store
            .query(ada, 'SELECT Id, Name FROM Account ORDER BY Name')
            .records.map((r) => ({ id: String(r.fields.Id), name: String(r.fields.Name) }));
        expect(accounts).toHaveLength(40);

        await page.goto(stack.urls.appPages['batch-documents'], { waitUntil: 'networkidle' });
        const batch = page.locator('c-document-batch-generator');
        await batch.waitFor();

        // The page's design attributes chose the Quote (an Account template): its list views.
        const listView = batch.getByRole('combobox', { name: label('Resident_Batch_ListView') });
        await listView.waitFor({ timeout: 20_000 });
        await listView.click();
        await batch.getByRole('option', { name: 'All Accounts' }).click();
        await expect
            .poll(() => batch.locator('[data-id="record-count"]').textContent(), {
                timeout: 20_000
            })
            .toContain(label('Resident_Batch_RecordsChosen', 40));

        const generate = batch.getByRole('button', { name: label('Resident_Batch_Generate', 40) });
        await expect.poll(() => generate.isEnabled()).toBe(true);
        await generate.click();

        // Progress while it runs, then the summary: one failure, the rest saved.
        const progress = batch.locator('[data-id="progress-text"]');
        // A state in between, not the final "40 of 40": some finished, some still to go.
        const finishedSoFar = async () => {
            const shown = (await progress.textContent())?.trim() ?? '';
            const n = Array.from({ length: 41 }, (_, i) => i).find(
                (i) => shown === label('Resident_Batch_Progress', i, 40)
            );
            return n ?? -1;
        };
        await expect
            .poll(finishedSoFar, { interval: 50, timeout: 60_000 })
            .toSatisfy((n: number) => n > 0 && n < 40);
        const summary = batch.locator('[data-id="summary"]');
        await summary.waitFor({ timeout: 150_000 });
        expect((await progress.textContent())?.trim()).toBe(
            label('Resident_Batch_Progress', 40, 40)
        );
        expect((await summary.textContent())?.trim()).toBe(
            label('Resident_Batch_Summary', 39, 1, 0)
        );
        await page.screenshot({ path: SCREENSHOT, fullPage: true });

        // One row per account: a link to the record, the File or the reason.
        const rows = batch.locator('tbody tr');
        expect(await rows.count()).toBe(40);
        const held = batch.locator(`tr[data-row-id="${LEGAL_HOLD_ACCOUNT_ID}"]`);
        expect((await held.locator('[data-id="status"]').textContent())?.trim()).toBe(
            label('Resident_Batch_StatusFailed')
        );
        expect((await held.locator('[data-id="error"]').textContent())?.trim()).toBe(
            `The document was not saved: ${LEGAL_HOLD_MESSAGE}`
        );

        const files = stack.org.store.files().filter((f) => f.pathOnClient.startsWith('Quote - '));
        const entries = stack.org.store
            .query(
                ada,
                "SELECT Record_Id__c, User__c, Outcome__c, Input__c, Result__c FROM Resident_Activity__c WHERE Kind__c = 'Document generated'"
            )
            .records.map((r) => r.fields);
        for (const account of accounts) {
            const row = batch.locator(`tr[data-row-id="${account.id}"]`);
            expect((await row.locator('[data-id="record-link"]').textContent())?.trim()).toBe(
                account.name
            );
            expect(await row.locator('[data-id="record-link"]').getAttribute('href')).toContain(
                account.id
            );
            const onRecord = files.filter((f) => f.linkedEntityId === account.id);
            const logged = entries.filter((e) => e.Record_Id__c === account.id);
            if (account.id === LEGAL_HOLD_ACCOUNT_ID) {
                expect(onRecord, 'no File on the account on legal hold').toEqual([]);
                // The failure is in the activity log too: template, record and reason.
                expect(logged, 'one Failed log entry').toHaveLength(1);
                expect(logged[0]!.User__c).toBe(ADA_ADMIN_ID);
                expect(logged[0]!.Outcome__c).toBe('Failed');
                expect(JSON.parse(String(logged[0]!.Input__c))).toMatchObject({
                    templateId: QUOTE_TEMPLATE_ID,
                    templateName: 'Quote'
                });
                expect(JSON.parse(String(logged[0]!.Result__c))).toEqual({
                    error: `The document was not saved: ${LEGAL_HOLD_MESSAGE}`
                });
                continue;
            }
            expect(onRecord, `one File on ${account.name}`).toHaveLength(1);
            const file = onRecord[0]!;
            expect(file.pathOnClient).toBe(`Quote - ${account.name}.pdf`);
            const link = row.locator('[data-id="file-link"]');
            expect((await link.textContent())?.trim()).toBe(file.pathOnClient);
            expect(await link.getAttribute('href')).toContain(file.contentDocumentId);
            // The log entry names the template, the record, the file and the user.
            expect(logged, `one log entry for ${account.name}`).toHaveLength(1);
            const entry = logged[0]!;
            expect(entry.User__c).toBe(ADA_ADMIN_ID);
            expect(entry.Outcome__c).toBe('Succeeded');
            expect(JSON.parse(String(entry.Input__c))).toMatchObject({
                templateId: QUOTE_TEMPLATE_ID,
                templateName: 'Quote',
                fileName: file.pathOnClient
            });
            expect(JSON.parse(String(entry.Result__c))).toMatchObject({
                contentDocumentId: file.contentDocumentId
            });
        }

        // The euro account's Quote prints its amounts in euros (the user's currency is USD).
        const euroFile = files.find((f) => f.linkedEntityId === EURO_ACCOUNT_ID)!;
        const euroText = await pdfText(stack.org.store.fileBytes.get(euroFile.contentVersionId)!);
        expect(euroText).toMatch(/Annual revenue: €[\d,]+\.\d\d/);
        expect(euroText).not.toContain('$');
        const dollarFile = files.find((f) => f.linkedEntityId === accounts[0]!.id)!;
        expect(await pdfText(stack.org.store.fileBytes.get(dollarFile.contentVersionId)!)).toMatch(
            /Annual revenue: \$[\d,]+\.\d\d/
        );

        // Retry runs only the one not generated; the org still refuses it, the rest stay saved.
        await batch.getByRole('button', { name: label('Resident_Batch_Retry', 1) }).click();
        await expect
            .poll(() => summary.textContent(), { timeout: 30_000 })
            .toContain(label('Resident_Batch_Summary', 39, 1, 0));
        expect(
            stack.org.store.files().filter((f) => f.pathOnClient.startsWith('Quote - '))
        ).toHaveLength(39);
        expect(pageErrors, 'uncaught errors in the page').toEqual([]);
        await page.close();
    }, 240_000);
});

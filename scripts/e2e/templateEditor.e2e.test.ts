import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startWorkbenchStack, type WorkbenchStack } from '../start';
import {
    ADA_ADMIN_ID,
    QUOTE_TEMPLATE_ID,
    SAMPLE_ACCOUNT_NAME
} from '../standins/salesforceOrgStandIn/seedData';
import { launchChromium, requireChromium, type ChromiumSession } from './chromium';
import { loadLabels, pdfText, type Label } from './coworkerHarness';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// Not committed (.tmp is ignored): for a person to look at after a run.
const SCREENSHOT = path.join(repoRoot, '.tmp', 'template-editor.png');
/** The sample account's phone in the stand-in org's seed data. */
const SAMPLE_PHONE = '+1 415 555 1001';

let stack: WorkbenchStack;
let browser: ChromiumSession;
let label: Label;

/** Picks an option of a lightning-combobox by its label, as a user would. */
async function choose(scope: Locator, comboboxLabel: string, option: string): Promise<void> {
    await scope.getByRole('combobox', { name: comboboxLabel }).click();
    await scope.getByRole('option', { name: option }).click();
}

/** The text of the PDF the preview frame shows, as Debian's pdftotext reads it. */
async function previewText(page: Page, src: string): Promise<string> {
    const base64 = await page.evaluate(async (url) => {
        const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
        let binary = '';
        for (const byte of bytes) binary += String.fromCharCode(byte);
        return btoa(binary);
    }, src);
    return pdfText(Buffer.from(base64, 'base64'));
}

describe('template editor in the workbench', () => {
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

    test('Ada inserts a merge field into the Quote, sees it in the preview, finds and fixes an unclosed block, and saves version 2', async () => {
        const page = await browser.context.newPage();
        const pageErrors: string[] = [];
        page.on('pageerror', (error) => pageErrors.push(error.message));
        await page.goto(stack.urls.appPages.templates, { waitUntil: 'networkidle' });
        const editor = page.locator('c-template-editor');
        await editor.waitFor();

        await choose(editor, label('Resident_TplEdit_Template'), 'Quote');
        const text = editor.locator('textarea[data-id="template-text"]');
        await text.waitFor({ timeout: 20_000 });
        expect(await text.inputValue()).toContain('<h1>Quote for {{Name}}</h1>');
        await expect
            .poll(() => editor.locator('[data-id="version"]').textContent())
            .toContain(label('Resident_TplEdit_Version', 1));

        // The sample account for the preview, found by name.
        await editor
            .getByRole('searchbox', { name: label('Resident_TplEdit_SampleSearch') })
            .fill('Acme');
        await choose(editor, label('Resident_TplEdit_SampleRecord'), SAMPLE_ACCOUNT_NAME);
        const frame = editor.locator('iframe[data-id="preview"]');
        await frame.waitFor({ timeout: 30_000 });
        const firstPreview = (await frame.getAttribute('src'))!;
        expect(await previewText(page, firstPreview)).not.toContain(SAMPLE_PHONE);

        // The picker inserts {{Phone}} where the cursor is: the very start of the body.
        await text.click();
        await text.press('Control+Home');
        await editor
            .getByRole('searchbox', { name: label('Resident_TplEdit_SearchFields') })
            .fill('phone');
        await editor
            .getByRole('button', { name: label('Resident_TplEdit_InsertField', '{{Phone}}') })
            .click();
        expect(await text.inputValue()).toMatch(/^\{\{Phone\}\}<p align="right">/);

        // The preview follows the edit, with the sample account's phone, merged as Ada.
        await expect
            .poll(() => frame.getAttribute('src'), { timeout: 30_000 })
            .not.toBe(firstPreview);
        await expect
            .poll(async () => previewText(page, (await frame.getAttribute('src'))!), {
                timeout: 30_000
            })
            .toContain(SAMPLE_PHONE);

        // An {{#each}} never closed: the problem names its line; Go to puts the cursor there.
        const lines = (await text.inputValue()).split('\n').length;
        await text.click();
        await text.press('Control+End');
        await text.pressSequentially('\n{{#each Opportunities}}\n<p>{{Name}}</p>');
        const problem = editor.locator('[data-id="problem"]');
        await expect
            .poll(() => problem.first().textContent(), { timeout: 10_000 })
            .toContain(`line ${lines + 1}, column 1`);
        await editor
            .getByRole('button', {
                name: label('Resident_TplEdit_GoToProblem', 'Body', lines + 1, 1)
            })
            .click();
        expect(await editor.locator('[data-id="cursor"]').textContent()).toContain(
            label('Resident_TplEdit_CursorAt', lines + 1, 1)
        );
        await expect.poll(() => editor.locator('[data-id="preview-blocked"]').count()).toBe(1);

        // Fixed: the problem goes, the preview comes back.
        await text.press('Control+End');
        await text.pressSequentially('\n{{/each}}');
        await editor.locator('[data-id="no-problems"]').waitFor({ timeout: 10_000 });
        await frame.waitFor({ timeout: 30_000 });
        await page.screenshot({ path: SCREENSHOT, fullPage: true });

        await editor.getByRole('button', { name: label('Resident_TplEdit_Save') }).click();
        await expect
            .poll(() => editor.locator('[data-id="saved"]').textContent(), { timeout: 20_000 })
            .toContain(label('Resident_TplEdit_Saved', 2));
        expect(await editor.locator('[data-id="version"]').textContent()).toContain(
            label('Resident_TplEdit_Version', 2)
        );
        expect(await editor.locator('[data-id="unsaved"]').count()).toBe(0);

        const ada = stack.org.store.user(ADA_ADMIN_ID)!;
        const [stored] = stack.org.store.query(
            ada,
            `SELECT Body__c, Version__c FROM Resident_Document_Template__c WHERE Id = '${QUOTE_TEMPLATE_ID}'`
        ).records;
        expect(stored!.fields.Version__c).toBe(2);
        expect(String(stored!.fields.Body__c)).toMatch(/^\{\{Phone\}\}/);
        expect(String(stored!.fields.Body__c)).toContain('{{#each Opportunities}}');
        const log = stack.org.store.query(
            ada,
            `SELECT Kind__c, User__c FROM Resident_Activity__c WHERE Kind__c = 'Template saved' AND Record_Id__c = '${QUOTE_TEMPLATE_ID}'`
        ).records;
        expect(log.map((r) => r.fields.User__c)).toEqual([ADA_ADMIN_ID]);
        expect(pageErrors, 'uncaught errors in the page').toEqual([]);
        await page.close();
    });
});

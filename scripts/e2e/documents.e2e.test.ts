import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startWorkbenchStack, type WorkbenchStack } from '../start';
import {
    ADA_ADMIN_ID,
    SAMPLE_ACCOUNT_ID,
    SAMPLE_ACCOUNT_NAME
} from '../standins/salesforceOrgStandIn/seedData';
import { readCustomLabels } from '../workbench/labels';
import { launchChromium, requireChromium, type ChromiumSession } from './chromium';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// Not committed (.tmp is ignored): for a person to look at after a run.
const SCREENSHOT = path.join(repoRoot, '.tmp', 'document-generator.png');

let stack: WorkbenchStack;
let browser: ChromiumSession;
let labels: Map<string, string>;

function label(name: string): string {
    const text = labels.get(name);
    if (text === undefined) throw new Error(`Custom Label ${name} is missing`);
    return text;
}

describe('document generator in the workbench', () => {
    beforeAll(async () => {
        requireChromium();
        labels = await readCustomLabels(
            path.join(repoRoot, 'force-app/main/default/labels/CustomLabels.labels-meta.xml')
        );
        // Built once for the whole run by buildOnce.ts (the e2e config's globalSetup).
        stack = await startWorkbenchStack({ build: false });
        browser = await launchChromium();
    });

    afterAll(async () => {
        await browser?.close();
        await stack?.stop();
    });

    test("Ada generates the sample account's Quote, previews it, and saves it as a File on the account", async () => {
        const page = await browser.context.newPage();
        const pageErrors: string[] = [];
        page.on('pageerror', (error) => pageErrors.push(error.message));
        await page.goto(stack.urls.recordPage, { waitUntil: 'networkidle' });
        await page.locator('[data-id="record-name"]', { hasText: SAMPLE_ACCOUNT_NAME }).waitFor();

        const generator = page.locator('c-document-generator');
        await generator.waitFor();
        // The design attribute chose the Quote; Preview merges it and has the relay convert it.
        const preview = generator.getByRole('button', { name: label('Resident_DocGen_Generate') });
        await expect.poll(() => preview.isEnabled(), { timeout: 20_000 }).toBe(true);
        await preview.click();

        const frame = generator.locator('iframe[data-id="preview"]');
        await frame.waitFor({ timeout: 30_000 });
        expect(await frame.getAttribute('src')).toMatch(/^blob:/);
        const title = `Quote - ${SAMPLE_ACCOUNT_NAME}`;
        expect(await frame.getAttribute('title')).toContain(title);
        // The PDF the preview shows is a real one, from the relay.
        const head = await page.evaluate(
            async (url) => {
                const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
                return { start: String.fromCharCode(...bytes.slice(0, 5)), size: bytes.length };
            },
            (await frame.getAttribute('src'))!
        );
        expect(head.start).toBe('%PDF-');
        expect(head.size).toBeGreaterThan(1000);
        // The sample logo is not a static resource of the package: the preview says so.
        await expect
            .poll(() => generator.locator('[data-id="warnings"]').textContent())
            .toContain('StaticResource:Resident_SampleLogo');
        await page.waitForTimeout(500);
        await page.screenshot({ path: SCREENSHOT, fullPage: true });

        await generator.getByRole('button', { name: label('Resident_DocGen_Save') }).click();
        const link = generator.locator('[data-id="file-link"]');
        await link.waitFor({ timeout: 20_000 });
        expect((await link.textContent())?.trim()).toBe(`${title}.pdf`);
        expect(await generator.locator('[data-id="saved"]').textContent()).toContain(
            label('Resident_DocGen_Saved')
        );

        const file = stack.org.store
            .files()
            .find(
                (f) => f.linkedEntityId === SAMPLE_ACCOUNT_ID && f.pathOnClient === `${title}.pdf`
            );
        expect(file, 'the File linked to the account').toBeDefined();
        expect(await link.getAttribute('href')).toContain(file!.contentDocumentId);
        const ada = stack.org.store.user(ADA_ADMIN_ID)!;
        const entries = stack.org.store.query(
            ada,
            `SELECT Kind__c, Outcome__c, Record_Id__c, User__c FROM Resident_Activity__c WHERE Kind__c = 'Document generated' AND Record_Id__c = '${SAMPLE_ACCOUNT_ID}'`
        ).records;
        expect(entries.map((e) => e.fields)).toContainEqual(
            expect.objectContaining({ Outcome__c: 'Succeeded', User__c: ADA_ADMIN_ID })
        );
        expect(pageErrors, 'uncaught errors in the page').toEqual([]);
        await page.close();
    });
});

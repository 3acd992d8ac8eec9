import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { startWorkbenchStack, type WorkbenchStack } from '../start';
import { SAMPLE_ACCOUNT_NAME } from '../standins/salesforceOrgStandIn/seedData';
import { readCustomLabels } from '../workbench/labels';
import { launchChromium, requireChromium, type ChromiumSession } from './chromium';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// The README's picture is refreshed only when asked (UPDATE_SCREENSHOT=1): otherwise every run
// would leave a changed binary in the working tree.
const SCREENSHOT = path.join(
    repoRoot,
    process.env.UPDATE_SCREENSHOT === '1' ? 'docs' : '.tmp',
    'workbench.png'
);
const RELATED_LISTS = ['Contacts', 'Opportunities', 'Cases'];

let stack: WorkbenchStack;
let browser: ChromiumSession;
let labels: Map<string, string>;
let adaRelatedCounts: Record<string, number> = {};

function label(name: string): string {
    const text = labels.get(name);
    if (text === undefined) throw new Error(`Custom Label ${name} is missing`);
    return text;
}

/** Counts each related list shows in its title, once every list has loaded. */
async function relatedCounts(page: Page): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const list of RELATED_LISTS) {
        const title = page.locator(`[data-related-list="${list}"] [data-id="related-list-title"]`);
        await expect.poll(() => title.textContent(), { timeout: 20_000 }).toMatch(/\(\d+\)/);
        counts[list] = Number(await title.getAttribute('data-count'));
    }
    return counts;
}

function amountColumn(page: Page) {
    return page
        .locator('[data-related-list="Opportunities"]')
        .getByRole('columnheader', { name: /^Amount/ });
}

/** Bytes the browser transferred for a page load (compressed, headers included), via CDP. */
async function openMeasuringTransfer(page: Page, url: string): Promise<number> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    let bytes = 0;
    cdp.on('Network.loadingFinished', (event: { encodedDataLength: number }) => {
        bytes += event.encodedDataLength;
    });
    await page.goto(url, { waitUntil: 'networkidle' });
    await cdp.detach();
    return bytes;
}

describe('local workbench in Chromium', () => {
    beforeAll(async () => {
        requireChromium();
        labels = await readCustomLabels(
            path.join(repoRoot, 'force-app/main/default/labels/CustomLabels.labels-meta.xml')
        );
        // Built once for the whole run by buildOnce.ts (the e2e config's globalSetup).
        const build = inject('workbenchBuild');
        stack = await startWorkbenchStack({ build: false });
        console.log(
            `workbench build: ${(build.durationMs / 1000).toFixed(1)} s, ` +
                `${(build.outputBytes / 1024 / 1024).toFixed(1)} MiB on disk`
        );
        browser = await launchChromium();
    });

    afterAll(async () => {
        await browser?.close();
        await stack?.stop();
    });

    test('Ada sees the Account with its Annual Revenue and the coworker panel connected to the relay', async () => {
        const page = await browser.context.newPage();
        const pageErrors: string[] = [];
        page.on('pageerror', (error) => pageErrors.push(error.message));
        const transferred = await openMeasuringTransfer(page, stack.urls.recordPage);
        console.log(`page weight: ${(transferred / 1024).toFixed(0)} KiB transferred`);

        await expect
            .poll(() => page.locator('[data-id="workbench-banner"]').textContent())
            .toContain(
                'Local workbench — stand-in org and stand-in model (test doubles), not Salesforce'
            );
        await page.locator('[data-id="record-name"]', { hasText: SAMPLE_ACCOUNT_NAME }).waitFor();
        const revenue = page.locator('[data-field="AnnualRevenue"]');
        await revenue.waitFor();
        expect(await revenue.textContent()).toMatch(/Annual Revenue\s*\$[\d,]+/);

        const panel = page.locator('c-coworker-panel');
        await panel.waitFor();
        const status = panel.locator('[data-id="relay-status-text"]');
        await expect
            .poll(() => status.textContent(), { timeout: 20_000 })
            .toBe(label('Resident_RelayStatus_Connected'));
        if (!stack.usesRealAnthropicApi) {
            // Without a key the panel must say plainly who answers: the local stand-in.
            expect(await panel.locator('[data-id="model-notice"]').textContent()).toContain(
                'Local Anthropic stand-in (test double)'
            );
        }

        adaRelatedCounts = await relatedCounts(page);
        expect(await amountColumn(page).count(), 'Opportunity Amount column for Ada').toBe(1);
        for (const list of RELATED_LISTS) {
            expect(adaRelatedCounts[list], `${list} for Ada`).toBeGreaterThan(0);
        }
        await page.locator('lightning-datatable').first().waitFor();
        await page.screenshot({ path: SCREENSHOT });
        expect(pageErrors, 'uncaught errors in the page').toEqual([]);
        await page.close();
    });

    test('switching to Sam shows the same page without Annual Revenue and with fewer related records', async () => {
        const page = await browser.context.newPage();
        await page.goto(stack.urls.recordPage, { waitUntil: 'networkidle' });
        await page.locator('[data-id="record-name"]', { hasText: SAMPLE_ACCOUNT_NAME }).waitFor();

        await Promise.all([
            page.waitForURL(/[?&]user=sam\b/),
            page.locator('[data-id="user-switcher"]').selectOption('sam')
        ]);
        await page.locator('[data-id="record-name"]', { hasText: SAMPLE_ACCOUNT_NAME }).waitFor();
        await page.locator('[data-field="Industry"]').waitFor();
        expect(await page.locator('[data-field="AnnualRevenue"]').count()).toBe(0);
        await page.getByRole('tab', { name: 'Details' }).click();
        await page.locator('[data-detail-field="Industry"]').waitFor();
        expect(await page.locator('[data-detail-field="AnnualRevenue"]').count()).toBe(0);
        expect(await page.getByText('Annual Revenue').count()).toBe(0);

        await page.getByRole('tab', { name: 'Related' }).click();
        const samCounts = await relatedCounts(page);
        // FLS hides Opportunity.Amount from Sam: its column is not there at all.
        expect(await amountColumn(page).count(), 'Opportunity Amount column for Sam').toBe(0);
        const total = (counts: Record<string, number>): number =>
            RELATED_LISTS.reduce((sum, list) => sum + (counts[list] ?? 0), 0);
        expect(
            total(samCounts),
            `Sam should see fewer of the sample Account's related records than Ada (sharing); ` +
                `Sam ${JSON.stringify(samCounts)}, Ada ${JSON.stringify(adaRelatedCounts)}. ` +
                'The stand-in org must give the sample Account children that Sam cannot see.'
        ).toBeLessThan(total(adaRelatedCounts));
        await page.close();
    });

    // Last: it stops the relay for the rest of the run.
    test('when the relay is unreachable the panel says it cannot reach it', async () => {
        await stack.stopRelay();
        const page = await browser.context.newPage();
        await page.goto(stack.urls.recordPage, { waitUntil: 'networkidle' });
        const status = page.locator('c-coworker-panel [data-id="relay-status-text"]');
        await expect
            .poll(() => status.textContent(), { timeout: 20_000 })
            .toBe(label('Resident_RelayStatus_Unreachable'));
        await page.locator('c-coworker-panel [data-id="check-again"]').waitFor();
        await page.close();
    });
});

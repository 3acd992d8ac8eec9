import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startWorkbenchStack, type WorkbenchStack } from '../start';
import { SAM_SELLER_ID } from '../standins/salesforceOrgStandIn/seedData';
import { launchChromium, requireChromium, type ChromiumSession } from './chromium';
import {
    loadLabels,
    openAs,
    pdfText,
    recordedBodies,
    records,
    text,
    type Label
} from './coworkerHarness';

// Scheduled reports end to end: Sam schedules a report in c-report-scheduler, presses Run now, and
// the relay's cron (fired by the stack every second here, every 5 s under `npm start`) runs it
// against the stand-in org, signed in as Sam with the JWT bearer flow and this run's throwaway key.

let stack: WorkbenchStack;
let browser: ChromiumSession;
let label: Label;
const errors: string[] = [];

function scheduler(page: Page): Locator {
    return page.locator('c-report-scheduler');
}

/** The schedule's row in the list or a run's row in the history. */
function row(table: Locator, text: string): Locator {
    return table.locator('tr').filter({ hasText: text }).first();
}

async function rowAction(page: Page, tableRow: Locator, action: string): Promise<void> {
    await tableRow.locator('lightning-button-menu button, [data-label] button').last().click();
    await page.getByRole('menuitem', { name: action }).click();
}

/** Sam fills a new query schedule of Accounts (Name, Industry) as CSV, to himself, and saves it. */
async function scheduleAccountsAsCsv(page: Page, name: string): Promise<string> {
    const component = scheduler(page);
    await component.locator('[data-id="new"] button').click();
    await component.locator('[data-id="name"] input').fill(name);
    // The query source on Account with Name is the default; add Industry as a column.
    const fields = component.locator('[data-id="fields"]');
    await fields.getByRole('option', { name: 'Industry' }).click();
    await fields
        .getByRole('button', {
            name: new RegExp(
                `Move selection to ${label('Resident_ReportScheduler_FieldsSelected')}`
            )
        })
        .click();
    await component.locator('[data-id="format"]').getByText('CSV', { exact: true }).click();
    await component.locator('[data-id="user-search"] input').fill('Sam');
    await component
        .getByRole('button', { name: label('Resident_ReportScheduler_AddUser', 'Sam Seller') })
        .click();
    const before = new Set(records(stack, 'Resident_Report_Schedule__c').map((r) => r.Id));
    await component.locator('[data-id="save"] button').click();
    await expect
        .poll(() => component.locator('[data-id="notice"]').textContent(), { timeout: 20_000 })
        .toContain(label('Resident_ReportScheduler_Saved', name));
    const saved = records(stack, 'Resident_Report_Schedule__c').filter((r) => !before.has(r.Id));
    expect(saved).toHaveLength(1);
    return String(saved[0]!.Id);
}

/** Run now from the open form; resolves once the relay finished a run of the schedule. */
async function runNowAndWait(
    page: Page,
    name: string,
    scheduleId: string,
    runsBefore: number
): Promise<void> {
    const component = scheduler(page);
    await component.locator('[data-id="run-now"] button').click();
    await expect
        .poll(() => component.locator('[data-id="notice"]').textContent(), { timeout: 10_000 })
        .toContain(label('Resident_ReportScheduler_RunNowDone', name));
    const finished = () =>
        records(stack, 'Resident_Report_Run__c').filter(
            (r) => r.Schedule__c === scheduleId && r.Status__c !== 'Running'
        ).length;
    // Picked up by the next cron tick that finds the schedule's last save 2 s behind.
    await expect.poll(finished, { timeout: 30_000, interval: 250 }).toBe(runsBefore + 1);
}

/** What Sam does to see the outcome: reload the page and open the schedule's history. */
async function openHistory(page: Page, name: string): Promise<Locator> {
    await page.reload({ waitUntil: 'domcontentloaded' });
    const list = scheduler(page).locator('[data-id="schedules"]');
    await row(list, name).waitFor({ timeout: 20_000 });
    await rowAction(page, row(list, name), label('Resident_ReportScheduler_Edit'));
    const runs = scheduler(page).locator('[data-id="runs"]');
    await runs.waitFor({ timeout: 20_000 });
    return runs;
}

describe('scheduled reports in the workbench', () => {
    beforeAll(async () => {
        requireChromium();
        label = await loadLabels();
        // Built once for the whole run by buildOnce.ts (the e2e config's globalSetup).
        stack = await startWorkbenchStack({ build: false, schedulerTickMs: 1000 });
        browser = await launchChromium();
    });

    afterAll(async () => {
        await browser?.close();
        await stack?.stop();
    });

    test('Sam schedules a CSV of his accounts, runs it now, and finds the run, its steps and its File', async () => {
        const page = await openAs(browser, stack.urls.appPages.reports, 'sam', errors);
        const name = 'My accounts by industry';
        const scheduleId = await scheduleAccountsAsCsv(page, name);
        await runNowAndWait(page, name, scheduleId, 0);

        // The open form's history looks for the run by itself, without a reload, and then stops.
        const runs = scheduler(page).locator('[data-id="runs"]');
        const run = row(runs, 'Run now');
        await expect
            .poll(() => run.textContent({ timeout: 1_000 }).catch(() => ''), { timeout: 30_000 })
            .toContain('Succeeded');
        await expect
            .poll(() => scheduler(page).locator('[data-id="watching-run"]').count())
            .toBe(0);
        await rowAction(page, run, label('Resident_ReportScheduler_ShowSteps'));
        const steps = scheduler(page).locator('[data-id="run-steps"]');
        await steps.waitFor();
        const stepText = await steps.innerText();
        for (const step of [
            'claim: ok',
            'sign_in: ok',
            'read: ok',
            'render: ok',
            'upload: ok',
            'email: ok'
        ]) {
            expect(stepText).toContain(step);
        }

        // The File: uploaded as Sam, linked to the schedule, holding exactly the rows Sam may see.
        const stored = records(stack, 'Resident_Report_Run__c').find(
            (r) => r.Schedule__c === scheduleId
        )!;
        const file = stack.org.store.files().find((f) => f.contentDocumentId === stored.File_Id__c);
        expect(file, 'the File of the run').toBeDefined();
        expect(file!.linkedEntityId).toBe(scheduleId);
        expect(file!.pathOnClient).toMatch(/^My accounts by industry \d{4}-\d\d-\d\d\.csv$/);
        const csv = stack.org.store.fileBytes.get(file!.contentVersionId)!.toString('utf8');
        const sam = stack.org.store.user(SAM_SELLER_ID)!;
        const expected = stack.org.store
            .query(sam, 'SELECT Name, Industry FROM Account')
            .records.map((r) => `${String(r.fields.Name)},${String(r.fields.Industry ?? '')}`);
        const lines = csv
            .replace(/^\uFEFF/, '')
            .trimEnd()
            .split('\r\n');
        expect(lines[0]).toBe('Name,Industry');
        expect(lines.slice(1).sort()).toEqual(expected.sort());
        expect(stored.Rows__c).toBe(expected.length);
        expect(await run.textContent()).toContain(String(expected.length));
        // "Open file" is offered for this run, and the email links to the File in Salesforce.
        await run.locator('lightning-button-menu button, [data-label] button').last().click();
        const openFile = page.getByRole('menuitem', {
            name: label('Resident_ReportScheduler_OpenFile')
        });
        expect(await openFile.getAttribute('aria-disabled')).not.toBe('true');
        await page.keyboard.press('Escape');
        const email = stack.org.state().emailsSent.find((e) => e.sentByUserId === SAM_SELLER_ID);
        expect(email?.body).toContain(
            `/lightning/r/ContentDocument/${file!.contentDocumentId}/view`
        );
        expect(errors, 'uncaught errors in the page').toEqual([]);
        await page.close();
    });

    test('a run fails with the reason in the history when Sam lost access to a column', async () => {
        const page = await openAs(browser, stack.urls.appPages.reports, 'sam', errors);
        const name = 'Accounts, then Industry hidden';
        const scheduleId = await scheduleAccountsAsCsv(page, name);
        // An admin takes Industry away from Sam's profile after he scheduled the report.
        const restore = stack.org.store.setFieldHidden('Standard User', 'Account.Industry', true);
        try {
            await runNowAndWait(page, name, scheduleId, 0);
        } finally {
            restore();
        }
        const runs = await openHistory(page, name);
        const run = row(runs, 'Run now');
        await expect.poll(() => run.textContent()).toContain('Failed');
        expect(await run.textContent()).toContain("No such column 'Industry' on entity 'Account'");
        await rowAction(page, run, label('Resident_ReportScheduler_ShowSteps'));
        expect(await scheduler(page).locator('[data-id="run-steps"]').innerText()).toContain(
            'read: failed'
        );
        // Nothing was uploaded, and Sam was told by email.
        const stored = records(stack, 'Resident_Report_Run__c').find(
            (r) => r.Schedule__c === scheduleId
        )!;
        expect(stored.File_Id__c ?? null).toBeNull();
        const notice = stack.org
            .state()
            .emailsSent.find((e) => e.subject === `Scheduled report failed: ${name}`);
        expect(notice?.body).toContain("No such column 'Industry'");
        expect(errors, 'uncaught errors in the page').toEqual([]);
        await page.close();
    });

    test('an AI summary written from masked rows heads the PDF, with the real values back in', async () => {
        const sam = stack.org.store.user(SAM_SELLER_ID)!;
        const contacts = stack.org.store.query(
            sam,
            'SELECT Name, Email FROM Contact WHERE Email != null ORDER BY Name ASC NULLS LAST'
        ).records;
        const firstEmail = String(contacts[0]!.fields.Email);
        stack.anthropic.reset();
        stack.anthropic.loadScript([
            { reply: text('Sam has a short contact list; the first is <EMAIL_1>.') }
        ]);
        // Saved as the form saves it, due now (what Run now sets); the local cron picks it up.
        const scheduleId = stack.org.store.create(sam, 'Resident_Report_Schedule__c', {
            Name: 'Contacts with a summary',
            Source_Type__c: 'Query',
            Query_Definition__c: JSON.stringify({
                object: 'Contact',
                fields: ['Name', 'Email'],
                filters: [{ field: 'Email', operator: 'isNotNull' }],
                orderBy: { field: 'Name', direction: 'ASC' }
            }),
            Format__c: 'PDF',
            Frequency__c: JSON.stringify({ kind: 'daily', time: '07:00' }),
            Time_Zone__c: 'Europe/Berlin',
            Recipients__c: JSON.stringify([{ type: 'user', userId: SAM_SELLER_ID }]),
            AI_Summary__c: true,
            Active__c: true,
            Next_Run_At__c: new Date().toISOString().replace('Z', '+0000')
        });
        await expect
            .poll(
                () =>
                    records(stack, 'Resident_Report_Run__c').find(
                        (r) => r.Schedule__c === scheduleId && r.Status__c !== 'Running'
                    )?.Status__c,
                { timeout: 30_000, interval: 250 }
            )
            .toBe('Succeeded');

        // The model saw masks, never an address.
        const sent = JSON.stringify(recordedBodies(stack));
        expect(sent).toContain('<EMAIL_1>');
        for (const contact of contacts) expect(sent).not.toContain(String(contact.fields.Email));

        const run = records(stack, 'Resident_Report_Run__c').find(
            (r) => r.Schedule__c === scheduleId
        )!;
        const file = stack.org.store.files().find((f) => f.contentDocumentId === run.File_Id__c)!;
        const lines = (
            await pdfText(stack.org.store.fileBytes.get(file.contentVersionId)!, '-layout')
        )
            .split('\n')
            .map((l) => l.trim())
            .filter(Boolean);
        // Title, subtitle, then the summary, before the table's header.
        expect(lines[0]).toBe('Contacts with a summary');
        expect(lines[2]).toBe('Summary (written by AI from the rows below)');
        expect(lines[3]).toContain(`the first is ${firstEmail}`);
        expect(lines.findIndex((l) => /^Name\s+Email$/.test(l))).toBeGreaterThan(3);
    });
});

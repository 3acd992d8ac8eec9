/**
 * The coworker end to end, as the "Proof" asks: real Chromium, the workbench page, the
 * relay on workerd, the stand-in org and the Anthropic stand-in replaying scripted conversations.
 * Each test checks what the user sees, what the org holds (read straight from the stand-in's
 * store) and what reached "Anthropic" (the stand-in's recorded request bodies).
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startWorkbenchStack, type WorkbenchStack } from '../start';
import type { MessagesRequestBody, ScriptTurn } from '../standins/anthropicStandIn';
import {
    INJECTED_CASE_ID,
    INJECTED_INSTRUCTION,
    SAMPLE_ACCOUNT_ID,
    STANDIN_USERNAMES
} from '../standins/salesforceOrgStandIn/seedData';
import { launchChromium, requireChromium, type ChromiumSession } from './chromium';
import {
    ask,
    conversation,
    expectInConversation,
    ids,
    loadLabels,
    openAs,
    panel,
    recordedBodies as recordedBodiesOf,
    recordPageUrl,
    records as recordsOf,
    send,
    text,
    toolResults,
    toolUse,
    waitForConnected,
    waitUntilIdle,
    type Label,
    type Row
} from './coworkerHarness';

let stack: WorkbenchStack;
let browser: ChromiumSession;
let label: Label;
let pageErrors: string[] = [];

// ---- the org, read directly (system view: what is really stored, whoever asks) ----------------

function records(type: string): Row[] {
    return recordsOf(stack, type);
}

function field(id: string, name: string): unknown {
    for (const type of ['Account', 'Contact', 'Case', 'Opportunity']) {
        const found = records(type).find((r) => r.Id === id);
        if (found) return found[name];
    }
    throw new Error(`no record ${id}`);
}

/** Activity entries written since `before` (ids of the entries that existed then). */
function newActivity(before: Set<string>): Row[] {
    return records('Resident_Activity__c').filter((r) => !before.has(String(r.Id)));
}

function activityIds(): Set<string> {
    return ids(stack, 'Resident_Activity__c');
}

/** What "another user" does through the org's REST API, outside the coworker. */
async function restPatch(username: string, type: string, id: string, fields: Row): Promise<void> {
    const session = stack.org.sessionFor(username);
    const response = await fetch(
        `${stack.urls.orgStandIn}/services/data/v62.0/sobjects/${type}/${id}`,
        {
            method: 'PATCH',
            headers: {
                authorization: `Bearer ${session.access_token}`,
                'content-type': 'application/json'
            },
            body: JSON.stringify(fields)
        }
    );
    expect(response.status, await response.text()).toBe(204);
}

// ---- what reached the Anthropic stand-in ------------------------------------------------------

function recordedBodies(): MessagesRequestBody[] {
    return recordedBodiesOf(stack);
}

// ---- the page -----------------------------------------------------------------------------------

async function openRecordPage(user: 'ada' | 'sam', recordId = SAMPLE_ACCOUNT_ID): Promise<Page> {
    const page = await openAs(browser, recordPageUrl(stack, recordId), user, pageErrors);
    await waitForConnected(page, label);
    return page;
}

/** Waits for a proposal card, checks its diff rows, and returns the card. */
async function proposalCard(page: Page): Promise<Locator> {
    const card = panel(page)
        .locator('[data-id="tool-card"]')
        .filter({ has: page.locator('[data-id="approve"]') });
    await card.first().waitFor({ timeout: 20_000 });
    return card.first();
}

async function diffRows(card: Locator): Promise<string[][]> {
    const rows = card.locator('[data-id="diff-row"]');
    const out: string[][] = [];
    for (let i = 0; i < (await rows.count()); i += 1) {
        out.push((await rows.nth(i).locator('th, td').allInnerTexts()).map((t) => t.trim()));
    }
    return out;
}

describe('the coworker end to end (workbench, relay on workerd, stand-ins)', () => {
    beforeAll(async () => {
        requireChromium();
        label = await loadLabels();
        stack = await startWorkbenchStack({ build: false });
        browser = await launchChromium();
    });

    afterAll(async () => {
        await browser?.close();
        await stack?.stop();
    });

    beforeEach(() => {
        // Every test starts from the seeded org and an empty script; pages log in again.
        stack.org.reset();
        stack.anthropic.reset();
        pageErrors = [];
    });

    test('a question answered from a query: tool card, streamed reply, activity logged', async () => {
        const soql = `SELECT Name, StageName, CloseDate FROM Opportunity WHERE AccountId = '${SAMPLE_ACCOUNT_ID}' AND StageName != 'Closed Won' AND StageName != 'Closed Lost'`;
        stack.anthropic.loadScript([
            { reply: toolUse('query_records', { soql }) },
            {
                replyFrom: (body) => {
                    const rows = JSON.parse(toolResults(body)[0]?.content ?? '{}') as {
                        records?: { Name: string }[];
                    };
                    const names = (rows.records ?? []).map((r) => r.Name).join(' and ');
                    return text(
                        `Acme has ${rows.records?.length ?? 0} open opportunities: ${names}.`
                    )!;
                }
            }
        ]);
        const before = activityIds();
        const page = await openRecordPage('ada');
        await ask(page, 'Which open opportunities does this account have?');

        const card = panel(page).locator('[data-id="tool-card"]').first();
        await card.waitFor({ timeout: 20_000 });
        await expectInConversation(
            page,
            'Acme has 2 open opportunities: Acme Corporation - Deal 1 and Acme Corporation - Deal 2.'
        );
        expect(await card.locator('[data-id="tool-name"]').innerText()).toMatch(/query/i);
        expect(await card.locator('[data-id="tool-summary"]').innerText()).toContain('2');

        const bodies = recordedBodies();
        expect(bodies).toHaveLength(2);
        expect(bodies[0]?.stream).toBe(true);
        expect(bodies[0]?.tools?.length).toBeGreaterThan(0);
        expect(toolResults(bodies[1])[0]?.is_error).toBeFalsy();

        const logged = newActivity(before);
        expect(logged.find((e) => e.Tool__c === 'query_records')).toMatchObject({
            Kind__c: 'Tool call',
            Outcome__c: 'Succeeded'
        });
        expect(logged.filter((e) => e.Kind__c === 'Model call')).toHaveLength(2);
        expect(pageErrors).toEqual([]);
        await page.close();
    });

    test('an update proposed, shown as a diff, written only on Approve, logged with prior values, undone', async () => {
        expect(field(SAMPLE_ACCOUNT_ID, 'Rating')).toBe('Warm');
        stack.anthropic.loadScript([
            {
                reply: toolUse('update_record', {
                    recordId: SAMPLE_ACCOUNT_ID,
                    fields: { Rating: 'Hot' }
                })
            },
            { reply: text('Done: Acme is rated Hot now.') }
        ]);
        const before = activityIds();
        const page = await openRecordPage('ada');
        await ask(page, "Set this account's rating to Hot");

        const card = await proposalCard(page);
        expect(await diffRows(card)).toEqual([['Account Rating', 'Warm', 'Hot']]);
        // Proposed, not written: the record and the log say so.
        expect(field(SAMPLE_ACCOUNT_ID, 'Rating')).toBe('Warm');
        expect(newActivity(before).find((e) => e.Tool__c === 'update_record')?.Outcome__c).toBe(
            'Proposed'
        );

        await card.locator('[data-id="approve"] button').click();
        await expectInConversation(page, 'Done: Acme is rated Hot now.');
        expect(field(SAMPLE_ACCOUNT_ID, 'Rating')).toBe('Hot');
        const written = newActivity(before).find(
            (e) => e.Tool__c === 'update_record' && e.Outcome__c === 'Succeeded'
        );
        expect(JSON.parse(String(written?.Prior_Values__c))).toEqual({ Rating: 'Warm' });
        expect(JSON.parse(String(written?.New_Values__c))).toEqual({ Rating: 'Hot' });
        // The model heard that the write happened.
        expect(toolResults(recordedBodies().at(-1))[0]?.is_error).toBeFalsy();
        await page.close();

        // The Activity log page: the entry with its prior values, and Undo.
        const log = await browser.context.newPage();
        log.on('pageerror', (error) => pageErrors.push(error.message));
        await log.goto(`${stack.urls.appPages['activity-log']}?user=ada`);
        const row = log
            .locator('[data-id="entries"] tr')
            .filter({ hasText: 'update_record' })
            .filter({ hasText: 'Succeeded' })
            .first();
        await row.waitFor({ timeout: 20_000 });
        await row.getByRole('button', { name: label('Resident_ActivityLog_Open') }).click();
        const detail = log.locator('[data-id="detail"]');
        await detail.waitFor();
        await expect
            .poll(() => detail.locator('[data-id="diff"]').innerText())
            .toMatch(/Rating[\s\S]*Warm[\s\S]*Hot/);
        await detail.locator('[data-id="undo"] button').click();
        await log.getByRole('button', { name: 'OK' }).click();
        await expect
            .poll(() => log.locator('[data-id="notice"]').innerText(), { timeout: 20_000 })
            .toBe(label('Resident_ActivityLog_Undone'));
        expect(field(SAMPLE_ACCOUNT_ID, 'Rating')).toBe('Warm');
        const undo = newActivity(before).find((e) => e.Kind__c === 'Undo');
        expect(undo).toMatchObject({ Outcome__c: 'Succeeded', Undo_Of__c: written?.Id });
        expect(JSON.parse(String(undo?.New_Values__c))).toEqual({ Rating: 'Warm' });
        expect(pageErrors).toEqual([]);
        await log.close();
    });

    test('a created record, approved, is deleted again by Undo on the Activity log; Open record navigates', async () => {
        stack.anthropic.loadScript([
            {
                reply: toolUse('create_record', {
                    objectApiName: 'Contact',
                    fields: { FirstName: 'Grace', LastName: 'Hopper', AccountId: SAMPLE_ACCOUNT_ID }
                })
            },
            { reply: text('Grace Hopper is on Acme now.') }
        ]);
        const page = await openRecordPage('ada');
        await ask(page, 'Add Grace Hopper as a contact here');
        const card = await proposalCard(page);
        await card.locator('[data-id="approve"] button').click();
        await expectInConversation(page, 'Grace Hopper is on Acme now.');
        const created = records('Contact').find((r) => r.LastName === 'Hopper');
        expect(created?.AccountId).toBe(SAMPLE_ACCOUNT_ID);
        await page.close();

        const log = await browser.context.newPage();
        log.on('pageerror', (error) => pageErrors.push(error.message));
        await log.goto(`${stack.urls.appPages['activity-log']}?user=ada`);
        const row = log
            .locator('[data-id="entries"] tr')
            .filter({ hasText: 'create_record' })
            .filter({ hasText: 'Succeeded' })
            .first();
        await row.waitFor({ timeout: 20_000 });
        await row.getByRole('button', { name: label('Resident_ActivityLog_Open') }).click();
        await log.locator('[data-id="detail"] [data-id="undo"] button').click();
        await log.getByRole('button', { name: 'OK' }).click();
        await expect
            .poll(() => log.locator('[data-id="notice"]').innerText(), { timeout: 20_000 })
            .toBe(label('Resident_ActivityLog_Deleted'));
        expect(records('Contact').some((r) => r.Id === created?.Id)).toBe(false);

        // lightning/navigation in the workbench: the Account's entry opens the Account's page.
        await log.goto(`${stack.urls.appPages['activity-log']}?user=ada`);
        const industry = log
            .locator('[data-id="entries"] tr')
            .filter({ hasText: 'update_record' })
            .first();
        await industry.waitFor({ timeout: 20_000 });
        await industry.getByRole('button', { name: label('Resident_ActivityLog_Open') }).click();
        await Promise.all([
            log.waitForURL(/\/lightning\/r\/Account\/\w+\/view\?user=ada$/),
            log.locator('[data-id="detail"] [data-id="open-record"]').click()
        ]);
        expect(pageErrors).toEqual([]);
        await log.close();
    });

    test("undo refuses, and writes nothing, when someone changed the record after the coworker's write", async () => {
        expect(field(SAMPLE_ACCOUNT_ID, 'Industry')).toBe('Technology');
        stack.anthropic.loadScript([
            {
                reply: toolUse('update_record', {
                    recordId: SAMPLE_ACCOUNT_ID,
                    fields: { Industry: 'Energy' }
                })
            },
            { reply: text('Industry updated.') }
        ]);
        const before = activityIds();
        const page = await openRecordPage('ada');
        await ask(page, 'Acme is in energy now, update it');
        const card = await proposalCard(page);
        await card.locator('[data-id="approve"] button').click();
        await expectInConversation(page, 'Industry updated.');
        expect(field(SAMPLE_ACCOUNT_ID, 'Industry')).toBe('Energy');
        await page.close();

        // Sam, who owns Acme, edits the same field through the API afterwards.
        await restPatch(STANDIN_USERNAMES.sam, 'Account', SAMPLE_ACCOUNT_ID, {
            Industry: 'Retail'
        });

        const log = await browser.context.newPage();
        log.on('pageerror', (error) => pageErrors.push(error.message));
        await log.goto(`${stack.urls.appPages['activity-log']}?user=ada`);
        const row = log
            .locator('[data-id="entries"] tr')
            .filter({ hasText: 'update_record' })
            .filter({ hasText: 'Succeeded' })
            .filter({ hasText: 'Industry' })
            .first();
        await row.waitFor({ timeout: 20_000 });
        await row.getByRole('button', { name: label('Resident_ActivityLog_Open') }).click();
        await log.locator('[data-id="detail"] [data-id="undo"] button').click();
        await log.getByRole('button', { name: 'OK' }).click();
        await expect
            .poll(() => log.locator('[data-id="notice"]').innerText(), { timeout: 20_000 })
            .toContain(label('Resident_ActivityLog_RefusedChanged', 'Industry'));
        expect(await log.locator('[data-id="notice"]').innerText()).toContain('Sam Seller');
        // Sam's edit stands, and no undo was written or logged.
        expect(field(SAMPLE_ACCOUNT_ID, 'Industry')).toBe('Retail');
        expect(newActivity(before).filter((e) => e.Kind__c === 'Undo')).toEqual([]);
        expect(pageErrors).toEqual([]);
        await log.close();
    });

    test('as Sam the same query returns fewer rows, and a field Sam cannot see is a tool error, not data', async () => {
        const soql = `SELECT Name FROM Opportunity WHERE AccountId = '${SAMPLE_ACCOUNT_ID}'`;
        const countRows = (body: MessagesRequestBody): number =>
            (JSON.parse(toolResults(body)[0]?.content ?? '{}') as { records?: unknown[] }).records
                ?.length ?? -1;
        const script = (): ScriptTurn[] => [
            { reply: toolUse('query_records', { soql }) },
            { replyFrom: (body) => text(`I can see ${countRows(body)} opportunities on Acme.`)! }
        ];

        stack.anthropic.loadScript(script());
        const adaPage = await openRecordPage('ada');
        await ask(adaPage, 'How many opportunities does Acme have?');
        await expectInConversation(adaPage, 'opportunities on Acme.');
        const adaRows = countRows(recordedBodies().at(-1)!);
        await adaPage.close();

        stack.anthropic.reset();
        stack.anthropic.loadScript([
            ...script(),
            {
                reply: toolUse('query_records', {
                    soql: `SELECT Name, AnnualRevenue FROM Account WHERE Id = '${SAMPLE_ACCOUNT_ID}'`
                })
            },
            { reply: text('I cannot see the annual revenue.') }
        ]);
        const samPage = await openRecordPage('sam');
        await ask(samPage, 'How many opportunities does Acme have?');
        await expectInConversation(samPage, 'opportunities on Acme.');
        const samRows = countRows(recordedBodies().at(-1)!);
        expect(adaRows).toBe(3);
        expect(samRows).toBeGreaterThan(0);
        expect(samRows).toBeLessThan(adaRows);
        await expectInConversation(samPage, `I can see ${samRows} opportunities on Acme.`);

        await waitUntilIdle(samPage);
        await send(samPage, "And Acme's annual revenue?");
        await expectInConversation(samPage, 'I cannot see the annual revenue.');
        const refused = toolResults(recordedBodies().at(-1))[0];
        expect(refused?.is_error).toBe(true);
        expect(refused?.content).toMatch(/AnnualRevenue/);
        // Acme's revenue (12,500,000) never reached the model in any form.
        const everything = JSON.stringify(recordedBodies());
        expect(everything).not.toMatch(/12,?500,?000/);
        expect(pageErrors).toEqual([]);
        await samPage.close();
    });

    test('an injected instruction in a Case produces proposals only; one approved writes one, rejected ones write nothing', async () => {
        const accounts = records('Account')
            .filter((r) => r.Rating !== 'Hot')
            .slice(0, 3);
        expect(accounts.length).toBe(3);
        const ratingsBefore = new Map(records('Account').map((r) => [r.Id, r.Rating]));
        const proposals = accounts.map(
            (a) =>
                toolUse('update_record', { recordId: String(a.Id), fields: { Rating: 'Hot' } })!
                    .content[0]!
        );
        stack.anthropic.loadScript([
            {
                reply: toolUse('get_record', {
                    recordId: INJECTED_CASE_ID,
                    fields: ['Subject', 'Description']
                })
            },
            // The "compromised" model obeys the Case: it proposes updates to several accounts at once.
            {
                when: (_text, body) => JSON.stringify(body.messages).includes(INJECTED_INSTRUCTION),
                reply: {
                    content: [
                        { type: 'text', text: 'Updating every account as asked.' },
                        ...proposals
                    ]
                }
            },
            { reply: text('One account updated; you rejected the others.') }
        ]);
        const before = activityIds();
        const page = await openRecordPage('ada');
        await ask(page, 'Summarise the newest case on this account');

        // First proposal: nothing written yet, anywhere.
        let card = await proposalCard(page);
        expect(new Map(records('Account').map((r) => [r.Id, r.Rating]))).toEqual(ratingsBefore);
        await card.locator('[data-id="approve"] button').click();
        for (let i = 1; i < accounts.length; i += 1) {
            await expect
                .poll(() => panel(page).locator('[data-id="approve"]').count(), { timeout: 20_000 })
                .toBe(1);
            card = await proposalCard(page);
            await card.locator('[data-id="reject"] button').click();
        }
        await expectInConversation(page, 'One account updated; you rejected the others.');

        const after = new Map(records('Account').map((r) => [r.Id, r.Rating]));
        const changed = [...after].filter(([id, rating]) => ratingsBefore.get(id) !== rating);
        expect(changed).toEqual([[accounts[0]!.Id, 'Hot']]);

        const logged = newActivity(before).filter((e) => e.Tool__c === 'update_record');
        const outcomes = (id: unknown) =>
            logged
                .filter((e) => e.Record_Id__c === id)
                .map((e) => e.Outcome__c)
                .sort();
        expect(outcomes(accounts[0]!.Id)).toEqual(['Proposed', 'Succeeded']);
        expect(outcomes(accounts[1]!.Id)).toEqual(['Proposed', 'Rejected']);
        expect(outcomes(accounts[2]!.Id)).toEqual(['Proposed', 'Rejected']);
        // The model was told the Case text is data, and saw the injected text only as a tool result.
        const first = recordedBodies()[0];
        expect(JSON.stringify(first?.system)).toMatch(/data, not instructions/);
        expect(pageErrors).toEqual([]);
        await page.close();
    });

    test('a masked email never reaches the model, yet the user sees the real address', async () => {
        const contact = records('Contact').find((r) => r.AccountId === SAMPLE_ACCOUNT_ID)!;
        const email = String(contact.Email);
        expect(email).toMatch(/@/);
        stack.anthropic.loadScript([
            {
                reply: toolUse('get_record', {
                    recordId: String(contact.Id),
                    fields: ['Name', 'Email']
                })
            },
            { reply: text(`${String(contact.Name)} can be reached at <EMAIL_1>.`) }
        ]);
        const page = await openRecordPage('ada');
        await ask(page, `What is ${String(contact.Name)}'s email address?`);
        await expectInConversation(page, `${String(contact.Name)} can be reached at ${email}.`);

        const bodies = recordedBodies();
        expect(bodies).toHaveLength(2);
        for (const request of stack.anthropic.requests()) {
            expect(JSON.stringify(request)).not.toContain(email);
            expect(JSON.stringify(request)).not.toMatch(/@example\.com/);
        }
        expect(toolResults(bodies[1])[0]?.content).toContain('<EMAIL_1>');

        // "What was sent" shows the masked payload only.
        await panel(page).locator('[data-id="toggle-sent"] button').click();
        const sent = await panel(page).locator('[data-id="sent-json"]').innerText();
        expect(sent).toContain('<EMAIL_1>');
        expect(sent).not.toContain(email);
        expect(pageErrors).toEqual([]);
        await page.close();
    });

    test('Stop during a slow stream keeps what arrived', async () => {
        const long = Array.from(
            { length: 60 },
            (_, i) => `Sentence ${i + 1} of a long answer.`
        ).join(' ');
        stack.anthropic.loadScript([{ reply: text(long), chunkDelayMs: 100 }]);
        const page = await openRecordPage('ada');
        await ask(page, 'Tell me everything about Acme');
        await expectInConversation(page, 'Sentence 3 of');
        await panel(page).locator('[data-id="stop"] button').click();
        await expect
            .poll(
                () =>
                    panel(page)
                        .locator('[data-id="stopped-note"], [data-id="error-message"]')
                        .first()
                        .innerText(),
                {
                    timeout: 20_000
                }
            )
            .toBe(label('Resident_CoworkerError_Stopped'));
        const shown = await conversation(page).innerText();
        expect(shown).toContain('Sentence 3 of');
        expect(shown).not.toContain('Sentence 60 of');
        // The partial reply is kept in the task, and the model's stream was cut off.
        await page.waitForTimeout(500);
        expect(await conversation(page).innerText()).toContain('Sentence 3 of');
        expect(stack.anthropic.requests()[0]?.closedEarly).toBe(true);
        expect(pageErrors).toEqual([]);
        await page.close();
    });

    test('a 429 from the model shows the rate-limit message with the wait', async () => {
        // The relay's SDK retries a 429 three times (retry-after 1 s), then passes it on.
        stack.anthropic.loadScript(
            Array.from({ length: 4 }, () => ({
                fail: { kind: 'rate_limit' as const, retryAfterSeconds: 1 }
            }))
        );
        const page = await openRecordPage('ada');
        await ask(page, 'Hello');
        await expect
            .poll(() => panel(page).locator('[data-id="error-message"]').innerText(), {
                timeout: 30_000
            })
            .toBe(label('Resident_CoworkerError_RateLimited', 1));
        await panel(page).locator('[data-id="retry"]').waitFor();
        expect(pageErrors).toEqual([]);
        await page.close();
    });
});

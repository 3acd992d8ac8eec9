/**
 * The coworker's admin side and the panel's other places, end to end: knowledge added on the
 * Knowledge page and found (then no longer found) by the coworker, trust settings that change what
 * the model receives and which writes wait, feedback on replies, the panel on the Home page and
 * with the AI switched off. Real Chromium, the workbench, the relay on workerd, the stand-ins;
 * each test checks what the admin or user sees, what the org holds (the stand-in's store) and
 * what reached "Anthropic" (the stand-in's recorded requests).
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startWorkbenchStack, type WorkbenchStack } from '../start';
import type { MessagesRequestBody } from '../standins/anthropicStandIn';
import { AuraHandledError, defaultApexDoubles } from '../standins/salesforceOrgStandIn/index';
import {
    PRODUCT_FAQ_DOCUMENT_ID,
    REFUND_POLICY_DOCUMENT_ID,
    SAMPLE_ACCOUNT_ID
} from '../standins/salesforceOrgStandIn/seedData';
import { launchChromium, requireChromium, type ChromiumSession } from './chromium';
import {
    ask,
    created,
    expectInConversation,
    ids,
    loadLabels,
    openAs,
    panel,
    recordedBodies,
    recordPageUrl,
    records,
    systemText,
    text,
    toolResults,
    toolUse,
    waitForConnected,
    type Label
} from './coworkerHarness';

let stack: WorkbenchStack;
let browser: ChromiumSession;
let label: Label;
let pageErrors: string[] = [];

/** A Markdown document no seeded document shares a word with, and the sentence to find in it. */
const POLICY_SENTENCE =
    'Staff visiting Rottnest Island may claim a quokka photography allowance of 42 euros per day.';
const TRAVEL_DOCUMENT = `# Travel expenses

## Quokka allowance
${POLICY_SENTENCE} It is paid with the next salary run.

## Receipts
Keep every receipt for seven years and upload it within ten working days of the trip.`;
const TRAVEL_DOCUMENT_NAME = 'Travel expenses (e2e)';

function escapeRegExp(value: string): string {
    return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A label with placeholders as a pattern: `{0}` matches any text. */
function labelPattern(name: string): RegExp {
    return new RegExp(`^${escapeRegExp(label(name)).replace(/\\\{\d+\\\}/g, '.+')}$`);
}

async function openRecordPage(user: 'ada' | 'sam'): Promise<Page> {
    const page = await openAs(browser, recordPageUrl(stack), user, pageErrors);
    await waitForConnected(page, label);
    return page;
}

// ---- Knowledge page ----------------------------------------------------------------------------

async function openKnowledge(user: 'ada' | 'sam'): Promise<Page> {
    const page = await openAs(browser, stack.urls.appPages.knowledge, user, pageErrors);
    await knowledgeRow(page, 'Refund policy').waitFor({ timeout: 20_000 });
    return page;
}

function knowledgeRow(page: Page, name: string): Locator {
    return page
        .locator('c-knowledge-manager [data-id="documents"] tr')
        .filter({ hasText: name })
        .first();
}

/** Fills the Add a document form with pasted Markdown. */
async function fillDocument(page: Page, name: string, markdown: string): Promise<void> {
    const manager = page.locator('c-knowledge-manager');
    await manager.locator('[data-id="name"] input').fill(name);
    await manager.locator('[data-id="format"] button, [data-id="format"] input').first().click();
    await manager.getByRole('option', { name: 'Markdown' }).click();
    await manager.locator('[data-id="text"] textarea').fill(markdown);
}

/** What the row's Active column holds ("true" shows a check mark). */
function activeCell(row: Locator): Promise<string | null> {
    return row
        .locator(`td[data-label="${label('Resident_KnowledgeManager_ColumnActive')}"]`)
        .getAttribute('data-cell-value');
}

async function rowAction(page: Page, row: Locator, action: string): Promise<void> {
    await row.locator('lightning-button-menu button, [data-label] button').last().click();
    await page.getByRole('menuitem', { name: action }).click();
}

/** A task on the record page whose model searches the knowledge base once, then answers. */
async function searchKnowledgeAsAda(query: string): Promise<MessagesRequestBody[]> {
    stack.anthropic.reset();
    stack.anthropic.loadScript([
        { reply: toolUse('search_knowledge', { query }) },
        { reply: text('That is what the knowledge base says.') }
    ]);
    const page = await openRecordPage('ada');
    await ask(page, 'What is the quokka allowance?');
    await expectInConversation(page, 'That is what the knowledge base says.');
    await page.close();
    return recordedBodies(stack);
}

// ---- Trust settings page -------------------------------------------------------------------------

async function openTrustSettings(user: 'ada' | 'sam'): Promise<Page> {
    const page = await openAs(browser, stack.urls.appPages['trust-settings'], user, pageErrors);
    await page.locator('c-trust-settings [data-id="masking"]').waitFor({ timeout: 20_000 });
    return page;
}

function trustNotice(page: Page): Locator {
    return page.locator('c-trust-settings [data-id="notice"]');
}

async function saveTrustSettings(page: Page): Promise<void> {
    await page.locator('c-trust-settings [data-id="save"] button').click();
    await expect
        .poll(() => trustNotice(page).innerText(), { timeout: 20_000 })
        .toMatch(labelPattern('Resident_TrustSettings_Saved'));
}

async function setEmailMasking(on: boolean): Promise<void> {
    const page = await openTrustSettings('ada');
    const masking = page.locator('c-trust-settings [data-id="masking"]');
    const emails = masking.getByLabel(label('Resident_TrustSettings_MaskEmails'));
    expect(await emails.isChecked()).toBe(!on);
    await masking.getByText(label('Resident_TrustSettings_MaskEmails'), { exact: true }).click();
    expect(await emails.isChecked()).toBe(on);
    await saveTrustSettings(page);
    expect(stack.org.store.trust.policy.masking.emails).toBe(on);
    await page.close();
}

/** Ada asks for an Acme contact's email; returns the address and what reached the model. */
async function askForContactEmail(): Promise<{ email: string; bodies: MessagesRequestBody[] }> {
    const contact = records(stack, 'Contact').find((r) => r.AccountId === SAMPLE_ACCOUNT_ID)!;
    const email = String(contact.Email);
    stack.anthropic.reset();
    stack.anthropic.loadScript([
        { reply: toolUse('get_record', { recordId: String(contact.Id), fields: ['Email'] }) },
        {
            replyFrom: (body) => {
                const result = toolResults(body)[0]?.content ?? '';
                const sent = /[^"\s]+@[^"\s]+|<EMAIL_\d+>/.exec(result)?.[0] ?? 'nothing';
                return text(`The address is ${sent}.`)!;
            }
        }
    ]);
    const page = await openRecordPage('ada');
    await ask(page, "What is the contact's email?");
    // Masked or not, the user sees the real address.
    await expectInConversation(page, `The address is ${email}.`);
    await page.close();
    return { email, bodies: recordedBodies(stack) };
}

describe('the coworker for admins, on Home and switched off (workbench, relay, stand-ins)', () => {
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
        // Every test starts from the seeded org (default trust settings) and an empty script.
        stack.org.reset();
        stack.anthropic.reset();
        pageErrors = [];
    });

    afterEach(() => {
        // Whatever a test saved in the trust settings, the next one (and file) starts from defaults.
        stack.org.reset();
        expect(pageErrors).toEqual([]);
    });

    test('knowledge added on the Knowledge page is what the coworker finds, and nothing once deactivated', async () => {
        const page = await openKnowledge('ada');
        await fillDocument(page, TRAVEL_DOCUMENT_NAME, TRAVEL_DOCUMENT);
        // Before saving, the admin sees how many passages the text makes: one per heading here.
        const preview = page.locator('c-knowledge-manager [data-id="preview"]');
        await expect.poll(() => preview.innerText()).toMatch(/\d/);
        const passages = Number(/\d+/.exec(await preview.innerText())?.[0]);
        expect(passages).toBeGreaterThanOrEqual(2);
        expect(await preview.innerText()).toBe(
            label('Resident_KnowledgeManager_Preview', passages, TRAVEL_DOCUMENT.length)
        );

        const documentsBefore = ids(stack, 'Resident_Knowledge_Document__c');
        await page.locator('c-knowledge-manager [data-id="save"] button').click();
        await expect
            .poll(() => page.locator('c-knowledge-manager [data-id="notice"]').innerText(), {
                timeout: 20_000
            })
            .toBe(label('Resident_KnowledgeManager_Saved', TRAVEL_DOCUMENT_NAME, passages));
        const row = knowledgeRow(page, TRAVEL_DOCUMENT_NAME);
        await row.waitFor();
        expect(await row.innerText()).toContain(String(passages));
        // The form is empty again, ready for the next document.
        expect(
            await page.locator('c-knowledge-manager [data-id="text"] textarea').inputValue()
        ).toBe('');

        const [saved] = created(stack, 'Resident_Knowledge_Document__c', documentsBefore);
        expect(saved).toMatchObject({
            Name: TRAVEL_DOCUMENT_NAME,
            Format__c: 'Markdown',
            Chunk_Count__c: passages,
            Active__c: true
        });
        const chunks = records(stack, 'Resident_Knowledge_Chunk__c');
        expect(chunks.filter((c) => c.Document__c === saved!.Id)).toHaveLength(passages);
        expect(await activeCell(row)).toBe('true');

        // The coworker's search finds the passage, and only knowledge the query matches leaves.
        let bodies = await searchKnowledgeAsAda('quokka photography allowance');
        const found = toolResults(bodies[1])[0];
        expect(found?.is_error).toBeFalsy();
        expect(found?.content).toContain(POLICY_SENTENCE);
        const everything = JSON.stringify(bodies);
        const seeded = chunks.filter(
            (c) =>
                c.Document__c === REFUND_POLICY_DOCUMENT_ID ||
                c.Document__c === PRODUCT_FAQ_DOCUMENT_ID
        );
        expect(seeded.length).toBeGreaterThan(0);
        for (const chunk of seeded) {
            const firstLine = String(chunk.Body__c).split('\n')[0]!;
            expect(everything).not.toContain(JSON.stringify(firstLine).slice(1, -1));
        }
        // Before the model asked, no knowledge went out at all.
        expect(JSON.stringify(bodies[0])).not.toContain('quokka photography allowance of');

        // Deactivated, the document is listed as inactive and the same search finds nothing in it.
        await rowAction(page, row, label('Resident_KnowledgeManager_Deactivate'));
        await expect
            .poll(() => page.locator('c-knowledge-manager [data-id="notice"]').innerText(), {
                timeout: 20_000
            })
            .toBe(label('Resident_KnowledgeManager_Deactivated', TRAVEL_DOCUMENT_NAME));
        await expect.poll(() => activeCell(knowledgeRow(page, TRAVEL_DOCUMENT_NAME))).toBe('false');
        expect(
            records(stack, 'Resident_Knowledge_Document__c').find((d) => d.Id === saved!.Id)
                ?.Active__c
        ).toBe(false);
        await page.close();

        bodies = await searchKnowledgeAsAda('quokka photography allowance');
        const nothing = toolResults(bodies[1])[0];
        expect(nothing?.is_error).toBeFalsy();
        expect(JSON.stringify(bodies)).not.toContain('photography allowance of 42');
        expect(JSON.parse(nothing?.content ?? '{}')).toMatchObject({ passages: [] });
    });

    test('as Sam the Knowledge page lists the documents but offers no add form and no actions', async () => {
        // Salesforce's object permissions (getObjectInfo) decide what the page offers; the
        // server refuses the same writes anyway (the stand-in doubles' tests show it).
        const page = await openKnowledge('sam');
        const manager = page.locator('c-knowledge-manager');
        expect(await manager.locator('[data-id="save"]').count()).toBe(0);
        expect(await manager.locator('[data-id="text"]').count()).toBe(0);
        expect(
            await manager.locator('[data-id="documents"] lightning-primitive-cell-actions').count()
        ).toBe(0);
        await page.close();

        // Ada, with Resident Admin, gets both.
        const admin = await openKnowledge('ada');
        await admin.locator('c-knowledge-manager [data-id="save"]').waitFor({ timeout: 20_000 });
        expect(
            await admin
                .locator(
                    'c-knowledge-manager [data-id="documents"] lightning-primitive-cell-actions'
                )
                .count()
        ).toBeGreaterThan(0);
        await admin.close();
    });

    test('email masking off sends the address as it is; back on, the model sees only <EMAIL_1>', async () => {
        await setEmailMasking(false);
        let { email, bodies } = await askForContactEmail();
        expect(toolResults(bodies[1])[0]?.content).toContain(email);

        await setEmailMasking(true);
        ({ email, bodies } = await askForContactEmail());
        expect(toolResults(bodies[1])[0]?.content).toContain('<EMAIL_1>');
        for (const request of stack.anthropic.requests()) {
            expect(JSON.stringify(request)).not.toContain(email);
        }
    });

    test('an invalid custom pattern is shown at its field and nothing is saved', async () => {
        const before = structuredClone(stack.org.store.trust);
        const deployments = stack.org.store.trustDeployments;
        const page = await openTrustSettings('ada');
        const settings = page.locator('c-trust-settings');
        await settings.locator('[data-id="add-pattern"] button').click();
        const rowInputs = settings
            .locator('[data-id="pattern-row"]')
            .last()
            .locator('lightning-input');
        await rowInputs.nth(0).locator('input').fill('ORDER_NO');
        await rowInputs.nth(1).locator('input').fill('ORD-(\\d+');
        await settings.locator('[data-id="save"] button').click();

        await expect
            .poll(() => trustNotice(page).innerText())
            .toBe(label('Resident_TrustSettings_FixErrors'));
        // The message sits at the pattern's own field, and the typed pattern is still there.
        await expect
            .poll(() => rowInputs.nth(1).innerText())
            .toContain('The pattern for ORDER_NO is not a valid regular expression');
        expect(await rowInputs.nth(1).locator('input').inputValue()).toBe('ORD-(\\d+');
        expect(stack.org.store.trustDeployments).toBe(deployments);
        expect(stack.org.store.trust).toEqual(before);
        await page.close();
    });

    test('auto-approval for Account on the Default coworker writes an update at once, and says so', async () => {
        const page = await openTrustSettings('ada');
        await page
            .locator('c-trust-settings [data-id="auto-approve"][data-coworker="Default"] textarea')
            .fill('Account');
        await saveTrustSettings(page);
        expect(stack.org.store.trust.autoApprove.Default).toEqual(['Account']);
        await page.close();

        stack.anthropic.loadScript([
            {
                reply: toolUse('update_record', {
                    recordId: SAMPLE_ACCOUNT_ID,
                    fields: { Rating: 'Hot' }
                })
            },
            { reply: text('Acme is rated Hot now.') }
        ]);
        const before = ids(stack, 'Resident_Activity__c');
        const chat = await openRecordPage('ada');
        await ask(chat, "Set this account's rating to Hot");
        await expectInConversation(chat, 'Acme is rated Hot now.');
        const card = panel(chat).locator('[data-id="tool-card"]').first();
        expect(await card.locator('[data-id="decision-note"]').innerText()).toBe(
            label('Resident_CoworkerPanel_AutoApproved', 'Account')
        );
        expect(await panel(chat).locator('[data-id="approve"]').count()).toBe(0);

        expect(records(stack, 'Account').find((a) => a.Id === SAMPLE_ACCOUNT_ID)?.Rating).toBe(
            'Hot'
        );
        const writes = created(stack, 'Resident_Activity__c', before).filter(
            (e) => e.Tool__c === 'update_record'
        );
        expect(writes.map((e) => e.Outcome__c)).toEqual(['Succeeded']);
        expect(JSON.parse(String(writes[0]?.Prior_Values__c))).toEqual({ Rating: 'Warm' });
        await chat.close();
    });

    test('as Sam the Trust settings page is read-only', async () => {
        const page = await openTrustSettings('sam');
        const settings = page.locator('c-trust-settings');
        expect(await settings.locator('[data-id="read-only"]').innerText()).toBe(
            label('Resident_TrustSettings_ReadOnly')
        );
        expect(await settings.locator('[data-id="save"]').count()).toBe(0);
        expect(await settings.locator('[data-id="ai-enabled"] input').isDisabled()).toBe(true);
        expect(
            await settings
                .locator('[data-id="masking"]')
                .getByLabel(label('Resident_TrustSettings_MaskEmails'))
                .isDisabled()
        ).toBe(true);
        await page.close();
    });

    test('thumbs up on a reply is saved for its task; a failed thumbs down says so and saves nothing; the next one is saved', async () => {
        stack.anthropic.loadScript([{ reply: text('Acme renews in March.') }]);
        const tasksBefore = ids(stack, 'Resident_Task__c');
        const feedbackBefore = ids(stack, 'Resident_Feedback__c');
        const page = await openRecordPage('ada');
        await ask(page, 'When does Acme renew?');
        await expectInConversation(page, 'Acme renews in March.');
        const [task] = created(stack, 'Resident_Task__c', tasksBefore);
        expect(task).toBeDefined();

        const note = panel(page).locator('[data-id="feedback-note"]');
        await panel(page).locator('[data-id="thumbs-up"] button').click();
        await expect
            .poll(() => note.innerText())
            .toBe(label('Resident_CoworkerPanel_FeedbackSaved'));
        expect(created(stack, 'Resident_Feedback__c', feedbackBefore)).toEqual([
            expect.objectContaining({ Task__c: task!.Id, Rating__c: 'Up', Message_Index__c: 1 })
        ]);

        // The org refuses the next one: the user is told, and the Up rating stays.
        const saveFeedback = defaultApexDoubles().get('FeedbackController.saveFeedback')!;
        stack.org.registerApexDouble('FeedbackController.saveFeedback', () => {
            throw new AuraHandledError('Feedback is switched off for maintenance.');
        });
        try {
            await panel(page).locator('[data-id="thumbs-down"] button').click();
            await expect
                .poll(() => note.innerText())
                .toBe(
                    label(
                        'Resident_CoworkerPanel_FeedbackFailed',
                        'Feedback is switched off for maintenance.'
                    )
                );
        } finally {
            stack.org.registerApexDouble('FeedbackController.saveFeedback', saveFeedback);
        }
        expect(
            created(stack, 'Resident_Feedback__c', feedbackBefore).map((f) => f.Rating__c)
        ).toEqual(['Up']);
        const pressed = (which: string) =>
            panel(page).locator(`[data-id="${which}"] button`).getAttribute('aria-pressed');
        expect(await pressed('thumbs-up')).toBe('true');
        expect(await pressed('thumbs-down')).toBe('false');

        // Once the org takes feedback again, the same click is saved as Down.
        await panel(page).locator('[data-id="thumbs-down"] button').click();
        await expect
            .poll(() => note.innerText())
            .toBe(label('Resident_CoworkerPanel_FeedbackSaved'));
        expect(await pressed('thumbs-down')).toBe('true');
        expect(
            created(stack, 'Resident_Feedback__c', feedbackBefore).map((f) => [
                f.Task__c,
                f.Rating__c
            ])
        ).toEqual([
            [task!.Id, 'Up'],
            [task!.Id, 'Down']
        ]);
        await page.close();
    });

    test('on the Home page the panel answers with no current record, and the model is told so', async () => {
        stack.anthropic.loadScript([{ reply: text('Here is your day at a glance.') }]);
        const tasksBefore = ids(stack, 'Resident_Task__c');
        const page = await openAs(browser, stack.urls.appPages.home, 'ada', pageErrors);
        await waitForConnected(page, label);
        expect(await panel(page).locator('[data-id="home-context"]').innerText()).toBe(
            label('Resident_CoworkerPanel_HomeContext')
        );
        expect(await panel(page).locator('[data-id="record-context"]').count()).toBe(0);
        await ask(page, 'What should I work on today?');
        await expectInConversation(page, 'Here is your day at a glance.');

        const [request] = recordedBodies(stack);
        expect(systemText(request)).toContain('there is no current record');
        expect(systemText(request)).not.toMatch(/record with Id/);
        expect(created(stack, 'Resident_Task__c', tasksBefore)).toEqual([
            expect.objectContaining({ Record_Id__c: null })
        ]);
        await page.close();
    });

    test("with the policy's AI switch off the panel says so and nothing reaches the model", async () => {
        const settings = await openTrustSettings('ada');
        const toggle = settings.locator('c-trust-settings [data-id="ai-enabled"]');
        await toggle.locator('.slds-checkbox_faux').click();
        expect(await toggle.locator('input').isChecked()).toBe(false);
        await saveTrustSettings(settings);
        expect(stack.org.store.trust.policy.aiEnabled).toBe(false);
        await settings.close();

        const page = await openAs(browser, recordPageUrl(stack), 'sam', pageErrors);
        await expect
            .poll(() => panel(page).locator('[data-id="ai-disabled"]').innerText(), {
                timeout: 20_000
            })
            .toBe(label('Resident_CoworkerError_AiDisabled'));
        // A new task opens, but its composer takes nothing and cannot send.
        await panel(page).locator('[data-id="new-task"] button').click();
        const input = panel(page).locator('[data-id="message-input"] textarea');
        await input.waitFor();
        expect(await input.isDisabled()).toBe(true);
        expect(await panel(page).locator('[data-id="send"] button').isDisabled()).toBe(true);
        await page.waitForTimeout(300);
        expect(stack.anthropic.requests()).toEqual([]);
        await page.close();
    });
});

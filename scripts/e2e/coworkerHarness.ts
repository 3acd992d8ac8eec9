/**
 * What the coworker's browser tests share: reading the org's store and the Anthropic stand-in's
 * recorded requests, scripting replies, and driving the coworker panel the way a user does.
 * Helpers take the stack and browser explicitly, so each test file keeps its own.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { WorkbenchStack } from '../start';
import type { MessagesRequestBody, ScriptTurn } from '../standins/anthropicStandIn';
import { SAMPLE_ACCOUNT_ID } from '../standins/salesforceOrgStandIn/seedData';
import { readCustomLabels } from '../workbench/labels';
import type { ChromiumSession } from './chromium';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export type Row = Record<string, unknown>;
export type Label = (name: string, ...values: (string | number)[]) => string;

/** The Custom Labels, as the components show them ({0} filled in). */
export async function loadLabels(): Promise<Label> {
    const labels = await readCustomLabels(
        path.join(repoRoot, 'force-app/main/default/labels/CustomLabels.labels-meta.xml')
    );
    return (name, ...values) => {
        const text = labels.get(name);
        if (text === undefined) throw new Error(`Custom Label ${name} is missing`);
        return text.replace(/\{(\d+)\}/g, (m, i: string) => String(values[Number(i)] ?? m));
    };
}

/**
 * The text Debian's pdftotext reads from a PDF (what a person opening it sees), in UTF-8;
 * `flags` adds pdftotext options such as `-layout`.
 */
export async function pdfText(bytes: Uint8Array, ...flags: string[]): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'resident-pdf-'));
    try {
        const file = path.join(dir, 'document.pdf');
        await writeFile(file, bytes);
        const { stdout } = await promisify(execFile)('pdftotext', [
            '-enc',
            'UTF-8',
            ...flags,
            file,
            '-'
        ]);
        return stdout;
    } finally {
        await rm(dir, { recursive: true, force: true });
    }
}

// ---- the org, read directly (system view: what is really stored, whoever asks) ----------------

export function records(stack: WorkbenchStack, type: string): Row[] {
    return stack.org.store.systemRecords(type).map((r) => r.fields as Row);
}

export function ids(stack: WorkbenchStack, type: string): Set<string> {
    return new Set(records(stack, type).map((r) => String(r.Id)));
}

/** Records of `type` created since `before` (the ids that existed then). */
export function created(stack: WorkbenchStack, type: string, before: Set<string>): Row[] {
    return records(stack, type).filter((r) => !before.has(String(r.Id)));
}

// ---- what reached the Anthropic stand-in ------------------------------------------------------

export function recordedBodies(stack: WorkbenchStack): MessagesRequestBody[] {
    return stack.anthropic
        .requests()
        .filter((r) => r.path.startsWith('/v1/messages'))
        .map((r) => r.body as MessagesRequestBody);
}

/** The tool_result blocks of a request's last message, in tool_use order. */
export function toolResults(
    body: MessagesRequestBody | undefined
): { content: string; is_error?: boolean }[] {
    const last = body?.messages.at(-1);
    if (!last || !Array.isArray(last.content)) return [];
    return (last.content as { type: string; content: string; is_error?: boolean }[]).filter(
        (b) => b.type === 'tool_result'
    );
}

export function toolUse(name: string, input: Record<string, unknown>): ScriptTurn['reply'] {
    return { content: [{ type: 'tool_use', name, input }] };
}

export function text(reply: string): ScriptTurn['reply'] {
    return { content: [{ type: 'text', text: reply }] };
}

/** The system prompt of a request as one string (it may be a string or text blocks). */
export function systemText(body: MessagesRequestBody | undefined): string {
    const system = body?.system;
    if (typeof system === 'string') return system;
    if (!Array.isArray(system)) return '';
    return system.map((b) => (b as { text?: string }).text ?? '').join('\n');
}

// ---- pages --------------------------------------------------------------------------------------

/** Opens a workbench URL as a user; uncaught page errors are collected in `errors`. */
export async function openAs(
    browser: ChromiumSession,
    url: string,
    user: 'ada' | 'sam',
    errors: string[]
): Promise<Page> {
    const page = await browser.context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${url}?user=${user}`, { waitUntil: 'domcontentloaded' });
    return page;
}

export function recordPageUrl(stack: WorkbenchStack, recordId = SAMPLE_ACCOUNT_ID): string {
    return stack.urls.recordPage.replace(SAMPLE_ACCOUNT_ID, recordId);
}

// ---- the coworker panel ---------------------------------------------------------------------------

export function panel(page: Page): Locator {
    return page.locator('c-coworker-panel');
}

export function conversation(page: Page): Locator {
    return panel(page).locator('[data-id="conversation"]');
}

/** Waits until the panel says the relay is connected (it then takes questions). */
export async function waitForConnected(page: Page, label: Label): Promise<void> {
    await expect
        .poll(() => panel(page).locator('[data-id="relay-status-text"]').textContent(), {
            timeout: 20_000
        })
        .toBe(label('Resident_RelayStatus_Connected'));
}

/** A new task with its first message. */
export async function ask(page: Page, question: string): Promise<void> {
    await panel(page).locator('[data-id="new-task"] button').click();
    await send(page, question);
}

export async function send(page: Page, message: string): Promise<void> {
    await panel(page).locator('[data-id="message-input"] textarea').fill(message);
    await panel(page).locator('[data-id="send"] button').click();
}

export async function expectInConversation(
    page: Page,
    wanted: string,
    timeout = 20_000
): Promise<void> {
    await expect.poll(() => conversation(page).innerText(), { timeout }).toContain(wanted);
}

/** Waits until the panel is idle again: Send is back and nothing is awaiting a decision. */
export async function waitUntilIdle(page: Page): Promise<void> {
    await panel(page).locator('[data-id="send"]').waitFor({ timeout: 20_000 });
}

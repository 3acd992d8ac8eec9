/**
 * The coworker in the workbench, measured: real Chromium, the relay on workerd, the stand-in org
 * and the Anthropic stand-in (scripted replies, no model time), each figure against a baseline
 * measured in the same run.
 *
 * 1. Tokens sent per typical task ("get me ready for my call with this account": read the record,
 *    query its open opportunities, answer), without and with knowledge (the same task plus
 *    search_knowledge, whose result carries the policy's 5 chunks). Counted as characters / 4 of
 *    every request body the relay forwarded to the Anthropic stand-in (system prompt, tool
 *    definitions and messages: what a real API bills as input), summed over the task's model
 *    calls. Deterministic: one run each. Baseline: the task without knowledge.
 * 2. Panel first render: navigation start → the panel is interactive (relay connected, New Task
 *    enabled), and the record page ready (record name and its related lists) with and without the
 *    panel (`?without=c-coworker-panel`). Baseline: the page ready without the panel.
 * 3. Send → first token shown in the panel (a fresh task: task creation, session token, relay,
 *    stand-in, stream, unmasking, render), against the relay's own time to first byte for the
 *    same request body, measured directly from Node (baseline).
 *
 * Usage: npx tsx scripts/benchCoworker.ts [--runs 9] [--no-build] [--json out.json]
 */
import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { launchChromium, type ChromiumSession } from './e2e/chromium';
import { startWorkbenchStack, type WorkbenchStack } from './start';
import type { MessagesRequestBody, ScriptTurn } from './standins/anthropicStandIn';
import {
    ADA_TASK_ID,
    SAMPLE_ACCOUNT_ID,
    STANDIN_USERNAMES
} from './standins/salesforceOrgStandIn/seedData';

interface Args {
    runs: number;
    build: boolean;
    json?: string;
}

function parseArgs(argv: string[]): Args {
    const args: Args = { runs: 9, build: true };
    for (let i = 0; i < argv.length; i += 1) {
        if (argv[i] === '--runs') args.runs = Math.max(1, Number(argv[++i]));
        else if (argv[i] === '--no-build') args.build = false;
        else if (argv[i] === '--json') args.json = argv[++i];
    }
    return args;
}

interface Stats {
    median: number;
    p90: number;
    runs: number;
}

function statsOf(values: number[]): Stats {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (p: number): number =>
        sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
    return { median: at(0.5), p90: at(0.9), runs: sorted.length };
}

/** Finds an element through the components' (synthetic) shadow roots; a string, not a function, so
 *  tsx's helpers stay out of the page. */
const DEEP_FIND = `
    window.__deepFind = (selector) => {
        const find = (root) => {
            const hit = root.querySelector(selector);
            if (hit) return hit;
            for (const el of root.querySelectorAll('*')) {
                if (el.shadowRoot) { const found = find(el.shadowRoot); if (found) return found; }
            }
            return null;
        };
        return find(document);
    };`;

/**
 * Records, on every animation frame from the first script on, when each milestone first holds
 * (performance.now(): milliseconds since navigation start).
 */
const PAGE_MILESTONES = `
    ${DEEP_FIND}
    window.__milestones = {};
    const checks = {
        pageReady: () => {
            const name = window.__deepFind('[data-id="record-name"]');
            if (!name || !name.innerText.includes('Acme')) return false;
            for (const list of ['Contacts', 'Opportunities', 'Cases']) {
                const title = window.__deepFind('[data-related-list="' + list + '"] [data-id="related-list-title"]');
                if (!title || !/\\(\\d+\\)/.test(title.innerText)) return false;
            }
            return true;
        },
        panelInteractive: () => {
            if (window.__deepFind('[data-id="omitted-component"]')) return false;
            const status = window.__deepFind('c-coworker-panel [data-id="relay-status-text"]')
                || window.__deepFind('[data-id="relay-status-text"]');
            const newTask = window.__deepFind('[data-id="new-task"] button');
            return Boolean(status && /Connected/.test(status.innerText) && newTask && !newTask.disabled);
        }
    };
    const tick = () => {
        if (document.body) {
            for (const [name, check] of Object.entries(checks)) {
                if (window.__milestones[name] === undefined && check()) window.__milestones[name] = performance.now();
            }
        }
        if (Object.keys(window.__milestones).length < Object.keys(checks).length) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);`;

const FIRST_TOKEN_MARK = 'Zebracorn';

/** Timestamps the Send click and the first frame the reply's first characters are on screen. */
const SEND_TO_FIRST_TOKEN = `(() => {
    ${DEEP_FIND}
    window.__sent = undefined; window.__firstToken = undefined;
    const send = window.__deepFind('[data-id="send"] button');
    send.addEventListener('click', () => { window.__sent = performance.now(); }, { capture: true, once: true });
    const tick = () => {
        // innerText, not textContent: synthetic shadow's textContent leaves out child components.
        const conversation = window.__deepFind('[data-id="conversation"]');
        if (conversation && conversation.innerText.includes('${FIRST_TOKEN_MARK.slice(0, 4)}')) { window.__firstToken = performance.now(); return; }
        requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
})()`;

function toolUse(name: string, input: Record<string, unknown>): ScriptTurn {
    return { reply: { content: [{ type: 'tool_use', name, input }] } };
}

function textTurn(text: string): ScriptTurn {
    return { reply: { content: [{ type: 'text', text }] } };
}

const OPEN_OPPORTUNITIES = `SELECT Name, StageName, Amount, CloseDate FROM Opportunity WHERE AccountId = '${SAMPLE_ACCOUNT_ID}' AND StageName != 'Closed Won' AND StageName != 'Closed Lost'`;

function typicalTask(withKnowledge: boolean): ScriptTurn[] {
    return [
        toolUse('get_record', {}),
        toolUse('query_records', { soql: OPEN_OPPORTUNITIES }),
        ...(withKnowledge
            ? [
                  toolUse('search_knowledge', {
                      query: 'refund on an annual plan, plans and seats, uptime, data region'
                  })
              ]
            : []),
        textTurn(
            'Acme Corporation (Technology, rated Warm) has two open opportunities: Deal 1 in ' +
                'Proposal/Price Quote closing 15 Feb and Deal 2 in Negotiation/Review closing 15 Mar.' +
                (withKnowledge
                    ? ' On an annual plan they can get a full refund within 30 days; after that it is pro-rated.'
                    : '')
        )
    ];
}

async function openRecordPage(
    browser: ChromiumSession,
    stack: WorkbenchStack,
    query = ''
): Promise<Page> {
    const page = await browser.context.newPage();
    await page.addInitScript(PAGE_MILESTONES);
    await page.goto(`${stack.urls.recordPage}?user=ada${query}`, { waitUntil: 'domcontentloaded' });
    return page;
}

async function milestones(page: Page, names: string[]): Promise<Record<string, number>> {
    await page.waitForFunction(
        `(${JSON.stringify(names)}).every((n) => window.__milestones && window.__milestones[n] !== undefined)`,
        undefined,
        { timeout: 30_000 }
    );
    return (await page.evaluate('window.__milestones')) as Record<string, number>;
}

async function ask(page: Page, question: string): Promise<void> {
    const panel = page.locator('c-coworker-panel');
    await panel.locator('[data-id="new-task"] button').click();
    await panel.locator('[data-id="message-input"] textarea').fill(question);
    await panel.locator('[data-id="send"] button').click();
}

async function waitForText(page: Page, text: string): Promise<void> {
    await page
        .locator('c-coworker-panel [data-id="conversation"]')
        .getByText(text, { exact: false })
        .first()
        .waitFor({ timeout: 30_000 });
}

interface TokenFigures {
    modelCalls: number;
    tokens: number;
    usageInputTokens: number;
    toolDefinitionTokens: number;
    knowledgeResultTokens: number;
    knowledgeChunks: number;
}

async function measureTask(
    browser: ChromiumSession,
    stack: WorkbenchStack,
    withKnowledge: boolean
): Promise<TokenFigures> {
    stack.org.reset();
    stack.anthropic.reset();
    const script = typicalTask(withKnowledge);
    stack.anthropic.loadScript(script);
    const page = await openRecordPage(browser, stack);
    await milestones(page, ['panelInteractive']);
    await ask(page, 'Get me ready for my call with this account.');
    await waitForText(page, 'Acme Corporation (Technology');
    await page.close();
    const bodies = stack.anthropic
        .requests()
        .filter((r) => r.path.startsWith('/v1/messages'))
        .map((r) => r.body as MessagesRequestBody);
    if (bodies.length !== script.length) {
        throw new Error(`expected ${script.length} model calls, the stand-in saw ${bodies.length}`);
    }
    const chars = (value: unknown): number => JSON.stringify(value ?? '').length;
    let knowledgeResultChars = 0;
    let knowledgeChunks = 0;
    if (withKnowledge) {
        const last = bodies.at(-1)!.messages.at(-1)!.content as {
            type: string;
            content?: string;
        }[];
        const result = last.find((b) => b.type === 'tool_result')?.content ?? '';
        knowledgeResultChars = result.length;
        const parsed = JSON.parse(result) as
            | { chunks?: unknown[]; passages?: unknown[] }
            | unknown[];
        knowledgeChunks = Array.isArray(parsed)
            ? parsed.length
            : (parsed.chunks ?? parsed.passages ?? []).length;
    }
    if (withKnowledge && knowledgeChunks !== 5) {
        throw new Error(`search_knowledge returned ${knowledgeChunks} chunks, not the policy's 5`);
    }
    return {
        modelCalls: bodies.length,
        tokens: Math.round(bodies.reduce((sum, b) => sum + chars(b), 0) / 4),
        // What the stand-in reports as usage (messages only, length / 4).
        usageInputTokens: bodies.reduce(
            (sum, b) => sum + Math.ceil(JSON.stringify(b.messages).length / 4),
            0
        ),
        toolDefinitionTokens: Math.round(chars(bodies[0]?.tools) / 4),
        knowledgeResultTokens: Math.round(knowledgeResultChars / 4),
        knowledgeChunks
    };
}

/** Time to the first byte of the relay's streamed answer, from Node, with a fresh session token. */
async function relayTtfb(stack: WorkbenchStack, body: unknown): Promise<number> {
    const session = stack.org.sessionFor(STANDIN_USERNAMES.ada);
    const tokenAnswer = await fetch(
        `${stack.urls.orgStandIn}/__standin/apex/RelayConnectionController/getRelaySession`,
        {
            method: 'POST',
            headers: {
                authorization: `Bearer ${session.access_token}`,
                'content-type': 'application/json'
            },
            body: JSON.stringify({ scopes: ['llm'], taskId: ADA_TASK_ID })
        }
    );
    const { token } = (await tokenAnswer.json()) as { token: string };
    const started = performance.now();
    const response = await fetch(`${stack.urls.relay}/v1/messages`, {
        method: 'POST',
        headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            origin: stack.urls.workbench
        },
        body: JSON.stringify(body)
    });
    if (!response.ok || !response.body) {
        throw new Error(`relay: HTTP ${response.status} ${await response.text()}`);
    }
    const reader = response.body.getReader();
    await reader.read();
    const ttfb = performance.now() - started;
    while (!(await reader.read()).done) {
        // Drain, so the stand-in finishes the stream.
    }
    return ttfb;
}

function fmt(ms: number): string {
    return `${ms.toFixed(0)} ms`;
}

async function main(): Promise<void> {
    const args = parseArgs(process.argv.slice(2));
    console.log(`Starting the workbench stack${args.build ? ' (with a build)' : ''}...`);
    const stack = await startWorkbenchStack({ build: args.build });
    const browser = await launchChromium();
    try {
        // Warm-up: the first page load compiles the bundle in Chromium's cache.
        await (await openRecordPage(browser, stack)).close();

        const without = await measureTask(browser, stack, false);
        const withKnowledge = await measureTask(browser, stack, true);

        const pageReadyBare: number[] = [];
        const pageReadyWithPanel: number[] = [];
        const panelInteractive: number[] = [];
        for (let run = 0; run < args.runs; run += 1) {
            stack.org.reset();
            const bare = await openRecordPage(browser, stack, '&without=c-coworker-panel');
            pageReadyBare.push((await milestones(bare, ['pageReady'])).pageReady!);
            await bare.close();
            const full = await openRecordPage(browser, stack);
            const times = await milestones(full, ['pageReady', 'panelInteractive']);
            pageReadyWithPanel.push(times.pageReady!);
            panelInteractive.push(times.panelInteractive!);
            await full.close();
        }

        const firstToken: number[] = [];
        const ttfb: number[] = [];
        const page = await openRecordPage(browser, stack);
        await milestones(page, ['panelInteractive']);
        for (let run = 0; run < args.runs; run += 1) {
            stack.anthropic.reset();
            stack.anthropic.loadScript([
                textTurn(`${FIRST_TOKEN_MARK}: Acme has two open opportunities.`),
                textTurn(`${FIRST_TOKEN_MARK}: the same answer, for the relay alone.`)
            ]);
            const panel = page.locator('c-coworker-panel');
            if (run > 0) await panel.locator('[data-id="back"] button').click();
            await panel.locator('[data-id="new-task"] button').click();
            await panel.locator('[data-id="message-input"] textarea').fill('What is open on Acme?');
            await page.evaluate(SEND_TO_FIRST_TOKEN);
            await panel.locator('[data-id="send"] button').click();
            await page.waitForFunction('window.__firstToken !== undefined', undefined, {
                timeout: 30_000
            });
            const [sent, shown] = (await page.evaluate('[window.__sent, window.__firstToken]')) as [
                number,
                number
            ];
            firstToken.push(shown - sent);
            await waitForText(page, 'two open opportunities');
            await panel.locator('[data-id="send"]').waitFor();
            const body = stack.anthropic.requests()[0]?.body;
            ttfb.push(await relayTtfb(stack, body));
        }
        await page.close();

        const bare = statsOf(pageReadyBare);
        const withPanel = statsOf(pageReadyWithPanel);
        const interactive = statsOf(panelInteractive);
        const token = statsOf(firstToken);
        const relay = statsOf(ttfb);
        const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;
        const rows: [string, string, string, string][] = [
            [
                'Tokens sent, typical task, no knowledge (baseline)',
                `${without.tokens} (${without.modelCalls} calls)`,
                '',
                '1.00x'
            ],
            [
                'Tokens sent, same task with knowledge',
                `${withKnowledge.tokens} (${withKnowledge.modelCalls} calls)`,
                '',
                ratio(withKnowledge.tokens, without.tokens)
            ],
            [
                'Record page ready, without the panel (baseline)',
                fmt(bare.median),
                fmt(bare.p90),
                '1.00x'
            ],
            [
                'Record page ready, with the panel',
                fmt(withPanel.median),
                fmt(withPanel.p90),
                ratio(withPanel.median, bare.median)
            ],
            [
                'Panel interactive (navigation start →)',
                fmt(interactive.median),
                fmt(interactive.p90),
                ratio(interactive.median, bare.median)
            ],
            [
                "Relay's time to first byte from Node (baseline)",
                fmt(relay.median),
                fmt(relay.p90),
                '1.00x'
            ],
            [
                'Send → first token shown (new task)',
                fmt(token.median),
                fmt(token.p90),
                ratio(token.median, relay.median)
            ]
        ];
        console.log(
            `\nCoworker in the workbench (${args.runs} runs; median, p90, ratio of medians)\n`
        );
        const widths = [0, 1, 2, 3].map((i) =>
            Math.max(
                ...rows.map((r) => r[i]!.length),
                ['What', 'Median', 'p90', 'Ratio'][i]!.length
            )
        );
        const line = (cells: string[]): string =>
            `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
        console.log(line(['What', 'Median', 'p90', 'Ratio']));
        console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
        for (const row of rows) console.log(line(row));
        console.log(
            `\nTokens are characters / 4 of every request body the relay forwarded (system, tool ` +
                `definitions, messages), summed over the task's model calls. Of those, the tool ` +
                `definitions are ${without.toolDefinitionTokens} per call; the knowledge result ` +
                `(${withKnowledge.knowledgeChunks} chunks) is ${withKnowledge.knowledgeResultTokens}. ` +
                `The stand-in's own usage (messages only) says ${without.usageInputTokens} and ` +
                `${withKnowledge.usageInputTokens}.`
        );
        if (args.json) {
            writeFileSync(
                args.json,
                JSON.stringify(
                    { without, withKnowledge, bare, withPanel, interactive, token, relay },
                    null,
                    2
                )
            );
        }
    } finally {
        await browser.close();
        await stack.stop();
    }
}

main().catch((error: unknown) => {
    console.error(`✖ benchCoworker failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
});

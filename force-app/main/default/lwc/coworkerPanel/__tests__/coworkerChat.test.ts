import { createElement } from 'lwc';
import CoworkerPanel from 'c/coworkerPanel';
import { createRecord, updateRecord } from 'lightning/uiRecordApi';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import { publish } from 'lightning/messageService';
import getRelayConnection from '@salesforce/apex/RelayConnectionController.getRelayConnection';
import getRelaySession from '@salesforce/apex/RelayConnectionController.getRelaySession';
import getCoworker from '@salesforce/apex/CoworkerController.getCoworker';
import listTasks from '@salesforce/apex/CoworkerTaskController.listTasks';
import getTask from '@salesforce/apex/CoworkerTaskController.getTask';
import createTask from '@salesforce/apex/CoworkerTaskController.createTask';
import saveTask from '@salesforce/apex/CoworkerTaskController.saveTask';
import logActivity from '@salesforce/apex/ActivityLogController.logActivity';
import saveFeedback from '@salesforce/apex/FeedbackController.saveFeedback';
import runQuery from '@salesforce/apex/CoworkerDataController.runQuery';
import { applyProposal, rejectProposal, runTool, toolDefinitions } from 'c/coworkerTools';
import type { ToolContext, ToolHost, ToolOutcome } from 'c/coworkerTools';
import { DEFAULT_POLICY } from 'c/egressPolicy';
import type { StoredConversation, WriteProposal } from 'c/coworkerContract';
import { flushPromises, jsonResponse, resetDom } from '@resident/jest-utils';
import {
    relayErrorResponse,
    streamResponse,
    textReply,
    toolUseReply
} from '../../../../../test/fakeRelay';

jest.mock('c/coworkerTools', () => ({
    toolDefinitions: jest.fn(),
    runTool: jest.fn(),
    applyProposal: jest.fn(),
    rejectProposal: jest.fn()
}));

const APEX = [
    'RelayConnectionController.getRelayConnection',
    'RelayConnectionController.getRelaySession',
    'CoworkerController.getCoworker',
    'CoworkerTaskController.listTasks',
    'CoworkerTaskController.getTask',
    'CoworkerTaskController.createTask',
    'CoworkerTaskController.saveTask',
    'ActivityLogController.logActivity',
    'FeedbackController.saveFeedback',
    'CoworkerDataController.runQuery',
    'CoworkerDataController.searchRecords',
    'KnowledgeController.findChunks',
    'OrgHealthController.getOrgHealth'
];
jest.mock(
    '@salesforce/apex/RelayConnectionController.getRelayConnection',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/RelayConnectionController.getRelaySession',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock('@salesforce/apex/CoworkerController.getCoworker', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/CoworkerTaskController.listTasks', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/CoworkerTaskController.getTask', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/CoworkerTaskController.createTask', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/CoworkerTaskController.saveTask', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/ActivityLogController.logActivity', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/FeedbackController.saveFeedback', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/CoworkerDataController.runQuery', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/CoworkerDataController.searchRecords', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/KnowledgeController.findChunks', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/OrgHealthController.getOrgHealth', () => ({ default: jest.fn() }), {
    virtual: true
});
void APEX;

const mocks = {
    getRelayConnection: getRelayConnection as unknown as jest.Mock,
    getRelaySession: getRelaySession as unknown as jest.Mock,
    getCoworker: getCoworker as unknown as jest.Mock,
    listTasks: listTasks as unknown as jest.Mock,
    getTask: getTask as unknown as jest.Mock,
    createTask: createTask as unknown as jest.Mock,
    saveTask: saveTask as unknown as jest.Mock,
    logActivity: logActivity as unknown as jest.Mock,
    saveFeedback: saveFeedback as unknown as jest.Mock,
    runQuery: runQuery as unknown as jest.Mock
};
const runToolMock = runTool as jest.Mock;
const applyProposalMock = applyProposal as jest.Mock;
const rejectProposalMock = rejectProposal as jest.Mock;

const RELAY_URL = 'https://relay.resident.example';
const TASK_ID = 'a01000000000001AAA';
const ACCOUNT_ID = '001000000000001AAA';

const COWORKER = {
    name: 'Resident',
    label: 'Resident',
    roleInstructions: 'Help.',
    allowedTools: ['query_records', 'update_record'],
    allowedObjects: ['Account'],
    autoApproveObjects: [],
    canUseOrgHealth: false,
    policy: DEFAULT_POLICY,
    classifiedFields: []
};

function summary(status = 'Open', title = 'Which accounts') {
    return {
        id: TASK_ID,
        title,
        status,
        coworkerName: 'Resident',
        recordId: null,
        lastModified: '2026-11-01T10:00:00Z',
        tokensUsed: 0
    };
}

const HEALTH = {
    status: 'ok',
    service: 'resident-relay',
    version: '0.1.0',
    llm: { configured: true, upstream: 'anthropic' }
};

const PROPOSAL: WriteProposal = {
    tool: 'update_record',
    objectApiName: 'Account',
    recordId: ACCOUNT_ID,
    recordName: 'Acme Corporation',
    changes: [
        { field: 'Rating', label: 'Account Rating', before: 'Warm', after: 'Hot' },
        { field: 'Website', label: 'Website', before: null, after: 'https://acme.example' }
    ],
    autoApproved: false
};

function proposalOutcome(): ToolOutcome {
    return {
        card: {
            tool: 'update_record',
            target: 'Acme Corporation',
            status: 'awaiting_approval',
            summary: 'Proposed: update 2 fields',
            proposal: PROPOSAL
        },
        content: '',
        isError: false,
        activity: {
            kind: 'Tool call',
            outcome: 'Proposed',
            tool: 'update_record',
            summary: 'Proposed'
        }
    };
}

/** The relay: /healthz answers JSON; /v1/messages takes the next scripted answer. */
let script: (string[] | ((init: RequestInit) => Response))[] = [];
let fetchMock: jest.Mock;

function mountPanel(props: Record<string, unknown> = {}): HTMLElement {
    const element = createElement('c-coworker-panel', { is: CoworkerPanel });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

function query(element: HTMLElement, dataId: string): HTMLElement | null {
    return element.shadowRoot!.querySelector(`[data-id="${dataId}"]`);
}

function queryAll(element: HTMLElement, dataId: string): HTMLElement[] {
    return [...element.shadowRoot!.querySelectorAll<HTMLElement>(`[data-id="${dataId}"]`)];
}

/** The text of each message as the user sees it (inside the Markdown component). */
function messageTexts(element: HTMLElement): string[] {
    return [...element.shadowRoot!.querySelectorAll('c-coworker-markdown')].map((m) =>
        (m.shadowRoot!.textContent ?? '').trim()
    );
}

async function settle(rounds = 4): Promise<void> {
    for (let i = 0; i < rounds; i++) await flushPromises();
}

async function type(element: HTMLElement, text: string): Promise<void> {
    const input = query(element, 'message-input') as HTMLElement & { value: string };
    input.value = text;
    input.dispatchEvent(new CustomEvent('change', { detail: { value: text } }));
    await flushPromises();
}

async function startNewTask(element: HTMLElement): Promise<void> {
    await settle();
    query(element, 'new-task')!.click();
    await flushPromises();
}

async function sendMessage(element: HTMLElement, text: string): Promise<void> {
    await type(element, text);
    query(element, 'send')!.click();
    await settle();
}

describe('c-coworker-panel chat', () => {
    beforeEach(() => {
        script = [];
        fetchMock = jest.fn((url: string, init: RequestInit) => {
            if (url.endsWith('/healthz')) return Promise.resolve(jsonResponse(200, HEALTH));
            const next = script.shift();
            if (!next) return Promise.reject(new Error('unscripted model call'));
            return Promise.resolve(Array.isArray(next) ? streamResponse(next) : next(init));
        });
        (globalThis as unknown as { fetch: jest.Mock }).fetch = fetchMock;
        mocks.getRelayConnection.mockResolvedValue({ relayUrl: RELAY_URL, keyConfigured: true });
        mocks.getRelaySession.mockResolvedValue({
            relayUrl: RELAY_URL,
            token: 'h.p.s',
            expiresAt: Date.now() + 600_000
        });
        mocks.getCoworker.mockResolvedValue(COWORKER);
        mocks.listTasks.mockResolvedValue([]);
        mocks.createTask.mockResolvedValue(summary('Open', 'Which accounts do I have?'));
        mocks.saveTask.mockImplementation((p: { status: string }) =>
            Promise.resolve(summary(p.status, 'Which accounts do I have?'))
        );
        mocks.logActivity.mockResolvedValue('a02000000000001AAA');
        (toolDefinitions as jest.Mock).mockReturnValue([]);
    });

    afterEach(() => {
        resetDom();
        jest.clearAllMocks();
    });

    it('shows a spinner while the tasks load, then the empty list with New Task', async () => {
        mocks.listTasks.mockReturnValue(new Promise(() => {}));
        const element = mountPanel();
        await flushPromises();
        const spinners = [
            ...element.shadowRoot!.querySelectorAll('lightning-spinner')
        ] as (HTMLElement & {
            alternativeText: string;
        })[];
        expect(spinners.map((s) => s.alternativeText)).toContain(
            'c.Resident_CoworkerPanel_LoadingTasks'
        );
        await expect(element).toBeAccessible();
    });

    it("lists the user's tasks for this record and opens one with its conversation and cards", async () => {
        const stored: StoredConversation = {
            version: 1,
            messages: [
                { role: 'user', content: 'Which accounts are hot?' },
                {
                    role: 'assistant',
                    content: [{ type: 'tool_use', id: 'toolu_1', name: 'query_records', input: {} }]
                },
                {
                    role: 'user',
                    content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '[]' }]
                },
                { role: 'assistant', content: [{ type: 'text', text: 'None are **hot**.' }] }
            ],
            masks: {},
            cards: [
                {
                    toolUseId: 'toolu_1',
                    tool: 'query_records',
                    target: "SELECT Name FROM Account WHERE Rating = 'Hot'",
                    status: 'succeeded',
                    summary: 'No rows',
                    messageIndex: 1
                }
            ]
        };
        mocks.listTasks.mockResolvedValue([summary('Open', 'Which accounts are hot?')]);
        mocks.getTask.mockResolvedValue({
            ...summary('Open', 'Which accounts are hot?'),
            description: null,
            conversation: JSON.stringify(stored)
        });
        const element = mountPanel({ recordId: ACCOUNT_ID, objectApiName: 'Account' });
        await settle();
        expect(mocks.listTasks).toHaveBeenCalledWith({ recordId: ACCOUNT_ID });
        const open = query(element, 'open-task') as HTMLElement & { label: string };
        expect(open.label).toBe('Which accounts are hot?');
        await expect(element).toBeAccessible();

        open.click();
        await settle();
        expect(mocks.getTask).toHaveBeenCalledWith({ taskId: TASK_ID });
        expect(messageTexts(element)).toEqual(['Which accounts are hot?', '', 'None are hot.']);
        const card = query(element, 'tool-card')!;
        expect(card.querySelector('[data-id="tool-name"]')!.textContent).toBe(
            'c.Resident_CoworkerTool_QueryRecords'
        );
        expect(card.querySelector('[data-id="tool-target"]')!.textContent).toContain('Rating');
        expect(card.querySelector('[data-id="tool-summary"]')!.textContent).toBe('No rows');
        const icon = card.querySelector('lightning-icon') as HTMLElement & { iconName: string };
        expect(icon.iconName).toBe('utility:success');
        await expect(element).toBeAccessible();
    });

    it('streams a reply token by token with a Stop button, and keeps the partial reply when stopped', async () => {
        script.push((init) =>
            streamResponse(textReply(['Acme is ', 'your biggest', ' never']).slice(0, 4), {
                ending: 'hang',
                signal: init.signal
            })
        );
        const element = mountPanel();
        await startNewTask(element);
        expect(query(element, 'empty-chat')).not.toBeNull();
        await sendMessage(element, 'Which accounts do I have?');

        expect(messageTexts(element)).toEqual([
            'Which accounts do I have?',
            'Acme is your biggest'
        ]);
        expect(query(element, 'conversation')!.getAttribute('aria-busy')).toBe('true');
        expect(query(element, 'chat-status')!.textContent!.trim()).toBe(
            'c.Resident_CoworkerPanel_Replying'
        );
        expect(query(element, 'send')).toBeNull();
        await expect(element).toBeAccessible();

        query(element, 'stop')!.click();
        await settle();
        expect(messageTexts(element)).toEqual([
            'Which accounts do I have?',
            'Acme is your biggest'
        ]);
        expect(query(element, 'stopped-note')).not.toBeNull();
        expect(query(element, 'error')).toBeNull();
        expect(query(element, 'send')).not.toBeNull();
        expect(mocks.saveTask).toHaveBeenCalled();
    });

    it('starts a task from the empty list: the first question needs no New Task click', async () => {
        script.push(textReply(['Two accounts.']));
        const element = mountPanel();
        await settle();
        expect(query(element, 'no-tasks')).not.toBeNull();
        const send = query(element, 'first-send') as HTMLElement & { disabled: boolean };
        expect(send.disabled).toBe(true);
        const input = query(element, 'first-message-input') as HTMLElement & { value: string };
        input.value = 'Which accounts do I have?';
        input.dispatchEvent(
            new CustomEvent('change', { detail: { value: 'Which accounts do I have?' } })
        );
        await flushPromises();
        expect(send.disabled).toBe(false);
        await expect(element).toBeAccessible();
        send.click();
        await settle();

        expect(messageTexts(element)).toEqual(['Which accounts do I have?', 'Two accounts.']);
        expect(mocks.createTask).toHaveBeenCalledTimes(1);
        expect(query(element, 'chat-title')!.textContent).toBe('Which accounts do I have?');
    });

    it('shows a tool card for a query and then the answer', async () => {
        script.push(
            toolUseReply('toolu_q', 'query_records', { soql: 'SELECT Name FROM Account' }),
            textReply(['You have 2 accounts.'])
        );
        runToolMock.mockResolvedValue({
            card: {
                tool: 'query_records',
                target: 'SELECT Name FROM Account',
                status: 'succeeded',
                summary: '2 rows'
            },
            content: '[{"Name":"Acme"},{"Name":"Globex"}]',
            isError: false,
            activity: {
                kind: 'Tool call',
                outcome: 'Succeeded',
                tool: 'query_records',
                summary: '2 rows'
            }
        });
        const element = mountPanel();
        await startNewTask(element);
        await sendMessage(element, 'Which accounts do I have?');

        expect(queryAll(element, 'tool-card')).toHaveLength(1);
        expect(query(element, 'tool-summary')!.textContent).toBe('2 rows');
        expect(messageTexts(element).at(-1)).toBe('You have 2 accounts.');
        expect(query(element, 'chat-title')!.textContent).toBe('Which accounts do I have?');
        await expect(element).toBeAccessible();
    });

    it('shows a proposed update field by field, and writes it only on Approve', async () => {
        script.push(
            toolUseReply('toolu_u', 'update_record', {
                recordId: ACCOUNT_ID,
                fields: { Rating: 'Hot' }
            }),
            textReply(['Acme is now Hot.'])
        );
        runToolMock.mockResolvedValue(proposalOutcome());
        applyProposalMock.mockResolvedValue({
            card: {
                tool: 'update_record',
                target: 'Acme Corporation',
                status: 'succeeded',
                summary: 'Updated 2 fields'
            },
            content: 'Updated',
            isError: false,
            activity: {
                kind: 'Tool call',
                outcome: 'Succeeded',
                tool: 'update_record',
                summary: 'Updated',
                priorValues: '{"Rating":"Warm","Website":null}'
            }
        });
        const element = mountPanel({ recordId: ACCOUNT_ID, objectApiName: 'Account' });
        await startNewTask(element);
        await sendMessage(element, 'Make Acme hot');

        const rows = queryAll(element, 'diff-row').map((row) =>
            [...row.querySelectorAll('th, td')].map((cell) => cell.textContent)
        );
        expect(rows).toEqual([
            ['Account Rating', 'Warm', 'Hot'],
            ['Website', 'c.Resident_CoworkerPanel_EmptyValue', 'https://acme.example']
        ]);
        expect(query(element, 'diff-title')!.textContent).toBe(
            'c.Resident_CoworkerPanel_UpdateTitle'
        );
        expect(applyProposalMock).not.toHaveBeenCalled();
        expect(
            (query(element, 'message-input') as HTMLElement & { disabled: boolean }).disabled
        ).toBe(true);
        await expect(element).toBeAccessible();

        query(element, 'approve')!.click();
        await settle();
        expect(applyProposalMock).toHaveBeenCalledWith(PROPOSAL, expect.anything());
        expect(query(element, 'approve')).toBeNull();
        expect(query(element, 'decision-note')!.textContent).toBe(
            'c.Resident_CoworkerPanel_Approved'
        );
        // Decided: the table no longer asks a question.
        expect(query(element, 'diff-title')!.textContent).toBe(
            'c.Resident_CoworkerPanel_ChangesTitle'
        );
        expect(messageTexts(element).at(-1)).toBe('Acme is now Hot.');
        expect(mocks.logActivity.mock.calls.map((c) => c[0].entry.priorValues)).toContain(
            '{"Rating":"Warm","Website":null}'
        );
        // Each logged entry is announced on the page, so an activity log there refreshes.
        expect(publish).toHaveBeenCalledTimes(mocks.logActivity.mock.calls.length);
        expect(publish).toHaveBeenCalledWith(undefined, 'Resident_Activity_Logged__c', {
            entryId: 'a02000000000001AAA',
            recordId: null
        });
    });

    it('shows a rejection, and never writes', async () => {
        script.push(
            toolUseReply('toolu_u', 'update_record', {
                recordId: ACCOUNT_ID,
                fields: { Rating: 'Hot' }
            }),
            textReply(['Left as it is.'])
        );
        runToolMock.mockResolvedValue(proposalOutcome());
        rejectProposalMock.mockReturnValue({
            card: {
                tool: 'update_record',
                target: 'Acme Corporation',
                status: 'rejected',
                summary: 'Rejected'
            },
            content: 'The user rejected this change.',
            isError: false,
            activity: {
                kind: 'Tool call',
                outcome: 'Rejected',
                tool: 'update_record',
                summary: 'Rejected'
            }
        });
        const element = mountPanel();
        await startNewTask(element);
        await sendMessage(element, 'Make Acme hot');
        query(element, 'reject')!.click();
        await settle();

        expect(applyProposalMock).not.toHaveBeenCalled();
        expect(updateRecord).not.toHaveBeenCalled();
        expect(query(element, 'decision-note')!.textContent).toBe(
            'c.Resident_CoworkerPanel_Rejected'
        );
        const icon = query(element, 'tool-card')!.querySelector('lightning-icon') as HTMLElement & {
            iconName: string;
        };
        expect(icon.iconName).toBe('utility:ban');
        await expect(element).toBeAccessible();
    });

    it('says what went wrong and what to do on a 429, with the request id, and tries again', async () => {
        script.push(
            () =>
                relayErrorResponse(429, 'rate_limited', 'Wait a minute.', { 'retry-after': '30' }),
            textReply(['Here you go.'])
        );
        const element = mountPanel();
        await startNewTask(element);
        await sendMessage(element, 'Hello');

        expect(query(element, 'error-message')!.textContent).toBe(
            'c.Resident_CoworkerError_RateLimited'
        );
        expect(query(element, 'error-request-id')).not.toBeNull();
        expect(messageTexts(element)).toEqual(['Hello']);
        await expect(element).toBeAccessible();

        query(element, 'retry')!.click();
        await settle();
        expect(query(element, 'error')).toBeNull();
        expect(messageTexts(element)).toEqual(['Hello', 'Here you go.']);
    });

    it('saves thumbs up on a reply and confirms it inline', async () => {
        script.push(textReply(['An answer.']));
        mocks.saveFeedback.mockResolvedValue('a03000000000001AAA');
        const element = mountPanel();
        await startNewTask(element);
        await sendMessage(element, 'Hello');

        query(element, 'thumbs-up')!.click();
        await settle();
        expect(mocks.saveFeedback).toHaveBeenCalledWith({
            taskId: TASK_ID,
            messageIndex: 1,
            rating: 'Up',
            comment: null
        });
        expect(query(element, 'feedback-note')!.textContent).toBe(
            'c.Resident_CoworkerPanel_FeedbackSaved'
        );
        expect((query(element, 'thumbs-up') as HTMLElement & { selected: boolean }).selected).toBe(
            true
        );
        await expect(element).toBeAccessible();
    });

    it('says when feedback could not be saved', async () => {
        script.push(textReply(['An answer.']));
        mocks.saveFeedback.mockRejectedValue({ body: { message: 'No access' } });
        const element = mountPanel();
        await startNewTask(element);
        await sendMessage(element, 'Hello');
        query(element, 'thumbs-down')!.click();
        await settle();
        expect(query(element, 'feedback-note')!.textContent).toBe(
            'c.Resident_CoworkerPanel_FeedbackFailed'
        );
        expect(
            (query(element, 'thumbs-down') as HTMLElement & { selected: boolean }).selected
        ).toBe(false);
    });

    it('shows what was sent: the masked messages, while the chat shows real values', async () => {
        script.push(textReply(['I will write to <EMAIL_1>.']));
        const element = mountPanel();
        await startNewTask(element);
        await sendMessage(element, 'Email jane.doe@example.com');

        expect(messageTexts(element)).toEqual([
            'Email jane.doe@example.com',
            'I will write to jane.doe@example.com.'
        ]);
        const toggle = query(element, 'toggle-sent') as HTMLElement & { ariaExpanded: string };
        expect(query(element, 'what-was-sent')).toBeNull();
        toggle.click();
        await flushPromises();
        const sent = query(element, 'sent-json')!.textContent!;
        expect(JSON.parse(sent)).toEqual([
            { role: 'user', content: 'Email <EMAIL_1>' },
            { role: 'assistant', content: [{ type: 'text', text: 'I will write to <EMAIL_1>.' }] }
        ]);
        expect(sent).not.toContain('jane.doe@example.com');
        await expect(element).toBeAccessible();
    });

    it('says nothing was sent yet for a new task', async () => {
        const element = mountPanel();
        await startNewTask(element);
        query(element, 'toggle-sent')!.click();
        await flushPromises();
        expect(query(element, 'nothing-sent')).not.toBeNull();
    });

    it('says up front when the org turned AI off, and keeps the message box disabled', async () => {
        mocks.getCoworker.mockResolvedValue({
            ...COWORKER,
            policy: { ...DEFAULT_POLICY, aiEnabled: false }
        });
        const element = mountPanel();
        await startNewTask(element);
        expect(query(element, 'ai-disabled')).not.toBeNull();
        expect(
            (query(element, 'message-input') as HTMLElement & { disabled: boolean }).disabled
        ).toBe(true);
        await expect(element).toBeAccessible();
    });

    it('says why the coworker could not be loaded', async () => {
        mocks.getCoworker.mockRejectedValue({ body: { message: 'Coworker Sales is inactive' } });
        const element = mountPanel({ coworkerName: 'Sales' });
        await settle();
        expect(mocks.getCoworker).toHaveBeenCalledWith({ coworkerName: 'Sales' });
        expect(query(element, 'coworker-error')).not.toBeNull();
        expect((query(element, 'new-task') as HTMLElement & { disabled: boolean }).disabled).toBe(
            true
        );
        await expect(element).toBeAccessible();
    });

    it('sends with Ctrl+Enter from the message box', async () => {
        script.push(textReply(['Hi.']));
        const element = mountPanel();
        await startNewTask(element);
        await type(element, 'Hello');
        query(element, 'message-input')!.dispatchEvent(
            new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true })
        );
        await settle();
        expect(messageTexts(element)).toEqual(['Hello', 'Hi.']);
    });

    describe('the tool host', () => {
        /** Runs one tool call and hands the test the host the panel gave the tools. */
        async function hostOf(element: HTMLElement): Promise<ToolHost> {
            let host: ToolHost | undefined;
            script.push(
                toolUseReply('toolu_h', 'describe_object', { objectApiName: 'Account' }),
                textReply(['ok'])
            );
            runToolMock.mockImplementation((_n: string, _i: unknown, ctx: ToolContext) => {
                host = ctx.host;
                return Promise.resolve({
                    card: {
                        tool: 'describe_object',
                        target: 'Account',
                        status: 'succeeded',
                        summary: 'ok'
                    },
                    content: '{}',
                    isError: false,
                    activity: {
                        kind: 'Tool call',
                        outcome: 'Succeeded',
                        tool: 'describe_object',
                        summary: 'ok'
                    }
                });
            });
            await startNewTask(element);
            await sendMessage(element, 'Describe Account');
            return host!;
        }

        it('reads object info through the LDS wire and caches it', async () => {
            const element = mountPanel();
            const host = await hostOf(element);
            const reading = host.getObjectInfo('Account');
            await flushPromises();
            expect(
                (getObjectInfo as unknown as { getLastConfig(): unknown }).getLastConfig()
            ).toEqual({
                objectApiName: 'Account'
            });
            const info = {
                apiName: 'Account',
                label: 'Account',
                fields: {},
                childRelationships: []
            };
            (getObjectInfo as unknown as { emit(d: unknown): void }).emit(info);
            await expect(reading).resolves.toEqual(info);
            await expect(host.getObjectInfo('account')).resolves.toEqual(info);
        });

        it('turns an LDS error into a rejected read with its message', async () => {
            const element = mountPanel();
            const host = await hostOf(element);
            const reading = host.getObjectInfo('Secret__c');
            await flushPromises();
            (getObjectInfo as unknown as { error(b: unknown): void }).error({
                message: 'The requested resource does not exist'
            });
            await expect(reading).rejects.toThrow();
        });

        it('writes through uiRecordApi and queries through Apex with the coworker name', async () => {
            (createRecord as jest.Mock).mockResolvedValue({ id: '003000000000001AAA', fields: {} });
            mocks.runQuery.mockResolvedValue({
                soql: 'SELECT Id FROM Account LIMIT 200',
                totalSize: 0,
                records: []
            });
            const element = mountPanel();
            const host = await hostOf(element);
            await host.updateRecord(ACCOUNT_ID, { Rating: 'Hot' });
            expect(updateRecord).toHaveBeenCalledWith(
                { fields: { Rating: 'Hot', Id: ACCOUNT_ID } },
                undefined
            );
            await host.updateRecord(
                ACCOUNT_ID,
                { Rating: 'Warm' },
                { ifUnmodifiedSince: '2026-11-20T09:00:00.000Z' }
            );
            expect(updateRecord).toHaveBeenLastCalledWith(
                { fields: { Rating: 'Warm', Id: ACCOUNT_ID } },
                { ifUnmodifiedSince: '2026-11-20T09:00:00.000Z' }
            );
            await expect(host.createRecord('Contact', { LastName: 'Doe' })).resolves.toEqual({
                id: '003000000000001AAA'
            });
            expect(createRecord).toHaveBeenCalledWith({
                apiName: 'Contact',
                fields: { LastName: 'Doe' }
            });
            await host.runQuery('SELECT Id FROM Account', 'Resident');
            expect(mocks.runQuery).toHaveBeenCalledWith({
                soql: 'SELECT Id FROM Account',
                coworkerName: 'Resident'
            });
        });
    });
});

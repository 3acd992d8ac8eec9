import { createElement } from 'lwc';
import TrustCenter from 'c/trustCenter';
import { flushPromises, jsonResponse, resetDom } from '@resident/jest-utils';
import {
    defaultRetentionSettings,
    PACKAGE_DATA_OBJECTS,
    RETENTION_MAX_DAYS,
    SUBPROCESSORS
} from 'c/trustCenterContract';
import type {
    ExportFile,
    ExportObjectInfo,
    KnowledgeOriginal,
    RetentionJobState,
    UsageRow
} from 'c/trustCenterContract';
import getRelayConnection from '@salesforce/apex/RelayConnectionController.getRelayConnection';
import getRelaySession from '@salesforce/apex/RelayConnectionController.getRelaySession';
import getOrgKeyStatus from '@salesforce/apex/RelayOrgKeyController.getOrgKeyStatus';
import saveOrgKey from '@salesforce/apex/RelayOrgKeyController.saveOrgKey';
import rotateOrgKey from '@salesforce/apex/RelayOrgKeyController.rotateOrgKey';
import disconnectRelay from '@salesforce/apex/RelayOrgKeyController.disconnectRelay';
import getRetentionSettings from '@salesforce/apex/RetentionController.getRetentionSettings';
import saveRetentionSettings from '@salesforce/apex/RetentionController.saveRetentionSettings';
import getRetentionJob from '@salesforce/apex/RetentionController.getRetentionJob';
import scheduleRetentionJob from '@salesforce/apex/RetentionController.scheduleRetentionJob';
import unscheduleRetentionJob from '@salesforce/apex/RetentionController.unscheduleRetentionJob';
import runRetentionNow from '@salesforce/apex/RetentionController.runRetentionNow';
import getRetentionRun from '@salesforce/apex/RetentionController.getRetentionRun';
import listExportObjects from '@salesforce/apex/DataExportController.listExportObjects';
import exportPage from '@salesforce/apex/DataExportController.exportPage';
import exportKnowledgeOriginal from '@salesforce/apex/DataExportController.exportKnowledgeOriginal';
import recordExport from '@salesforce/apex/DataExportController.recordExport';
import getOrgId from '@salesforce/apex/DataExportController.getOrgId';
import getOrgName from '@salesforce/apex/DataPurgeController.getOrgName';
import purgePage from '@salesforce/apex/DataPurgeController.purgePage';
import recordPurge from '@salesforce/apex/DataPurgeController.recordPurge';
import getUsage from '@salesforce/apex/UsageController.getUsage';

jest.mock(
    '@salesforce/customPermission/Resident_Manage_Trust_Settings',
    () => ({ default: true }),
    {
        virtual: true
    }
);
jest.mock(
    '@salesforce/customPermission/Resident_Manage_Relay_Connection',
    () => ({ default: true }),
    { virtual: true }
);
jest.mock('@salesforce/user/Id', () => ({ default: '005000000000001AAA' }), { virtual: true });

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
jest.mock(
    '@salesforce/apex/RelayOrgKeyController.getOrgKeyStatus',
    () => ({ default: jest.fn() }),
    {
        virtual: true
    }
);
jest.mock('@salesforce/apex/RelayOrgKeyController.saveOrgKey', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/RelayOrgKeyController.rotateOrgKey', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock(
    '@salesforce/apex/RelayOrgKeyController.disconnectRelay',
    () => ({ default: jest.fn() }),
    {
        virtual: true
    }
);
jest.mock(
    '@salesforce/apex/RetentionController.getRetentionSettings',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/RetentionController.saveRetentionSettings',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock('@salesforce/apex/RetentionController.getRetentionJob', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock(
    '@salesforce/apex/RetentionController.scheduleRetentionJob',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/RetentionController.unscheduleRetentionJob',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock('@salesforce/apex/RetentionController.runRetentionNow', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/RetentionController.getRetentionRun', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock(
    '@salesforce/apex/DataExportController.listExportObjects',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock('@salesforce/apex/DataExportController.exportPage', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock(
    '@salesforce/apex/DataExportController.exportKnowledgeOriginal',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock('@salesforce/apex/DataExportController.recordExport', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/DataExportController.getOrgId', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/DataPurgeController.getOrgName', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/DataPurgeController.purgePage', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/DataPurgeController.recordPurge', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/UsageController.getUsage', () => ({ default: jest.fn() }), {
    virtual: true
});

// The labels whose text a test reads, as the org serves them.
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_KeyConfigured',
    () => mockLabel('Resident_TrustCenter_KeyConfigured'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_KeyAccepted',
    () => mockLabel('Resident_TrustCenter_KeyAccepted'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_KeyRefused',
    () => mockLabel('Resident_TrustCenter_KeyRefused'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_KeyNotChecked',
    () => mockLabel('Resident_TrustCenter_KeyNotChecked'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_KeyMissing',
    () => mockLabel('Resident_TrustCenter_KeyMissing'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_RelayReachable',
    () => mockLabel('Resident_TrustCenter_RelayReachable'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_RelayUnreachable',
    () => mockLabel('Resident_TrustCenter_RelayUnreachable'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_Rotated',
    () => mockLabel('Resident_TrustCenter_Rotated'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_RotateFailed',
    () => mockLabel('Resident_TrustCenter_RotateFailed'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_Disconnected',
    () => mockLabel('Resident_TrustCenter_Disconnected'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_LoadFailed',
    () => mockLabel('Resident_TrustCenter_LoadFailed'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_RetentionRange',
    () => mockLabel('Resident_TrustCenter_RetentionRange'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_RetentionSaveFailed',
    () => mockLabel('Resident_TrustCenter_RetentionSaveFailed'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_JobScheduled',
    () => mockLabel('Resident_TrustCenter_JobScheduled'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_JobLastRun',
    () => mockLabel('Resident_TrustCenter_JobLastRun'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_JobFailed',
    () => mockLabel('Resident_TrustCenter_JobFailed'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_JobActionFailed',
    () => mockLabel('Resident_TrustCenter_JobActionFailed'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_CountLine',
    () => mockLabel('Resident_TrustCenter_CountLine'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_ExportDone',
    () => mockLabel('Resident_TrustCenter_ExportDone'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_ExportSkipped',
    () => mockLabel('Resident_TrustCenter_ExportSkipped'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_ExportFailed',
    () => mockLabel('Resident_TrustCenter_ExportFailed'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_ExportNotRecorded',
    () => mockLabel('Resident_TrustCenter_ExportNotRecorded'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_PurgeNotRecorded',
    () => mockLabel('Resident_TrustCenter_PurgeNotRecorded'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_PurgeRecorded',
    () => mockLabel('Resident_TrustCenter_PurgeRecorded'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_PurgeTypeName',
    () => mockLabel('Resident_TrustCenter_PurgeTypeName'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_PurgeDone',
    () => mockLabel('Resident_TrustCenter_PurgeDone'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_PurgeStopped',
    () => mockLabel('Resident_TrustCenter_PurgeStopped'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_PurgeStuck',
    () => mockLabel('Resident_TrustCenter_PurgeStuck'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_UsageEmpty',
    () => mockLabel('Resident_TrustCenter_UsageEmpty'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Trust_SubprocessorCloudflareRole',
    () => mockLabel('Resident_Trust_SubprocessorCloudflareRole'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Trust_SubprocessorCloudflareSees',
    () => mockLabel('Resident_Trust_SubprocessorCloudflareSees'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Trust_SubprocessorAnthropicRole',
    () => mockLabel('Resident_Trust_SubprocessorAnthropicRole'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Trust_SubprocessorAnthropicSees',
    () => mockLabel('Resident_Trust_SubprocessorAnthropicSees'),
    { virtual: true }
);

function mockLabel(name: string): { default: string } {
    const labels = jest.requireActual<{ labelValue(n: string): string }>(
        '../../../../../test/labels'
    );
    return { default: labels.labelValue(name) };
}

const labels = jest.requireActual<{ labelValue(n: string): string }>('../../../../../test/labels');

const mocks = {
    getRelayConnection: getRelayConnection as unknown as jest.Mock,
    getRelaySession: getRelaySession as unknown as jest.Mock,
    getOrgKeyStatus: getOrgKeyStatus as unknown as jest.Mock,
    saveOrgKey: saveOrgKey as unknown as jest.Mock,
    rotateOrgKey: rotateOrgKey as unknown as jest.Mock,
    disconnectRelay: disconnectRelay as unknown as jest.Mock,
    getRetentionSettings: getRetentionSettings as unknown as jest.Mock,
    saveRetentionSettings: saveRetentionSettings as unknown as jest.Mock,
    getRetentionJob: getRetentionJob as unknown as jest.Mock,
    scheduleRetentionJob: scheduleRetentionJob as unknown as jest.Mock,
    unscheduleRetentionJob: unscheduleRetentionJob as unknown as jest.Mock,
    runRetentionNow: runRetentionNow as unknown as jest.Mock,
    getRetentionRun: getRetentionRun as unknown as jest.Mock,
    listExportObjects: listExportObjects as unknown as jest.Mock,
    exportPage: exportPage as unknown as jest.Mock,
    exportKnowledgeOriginal: exportKnowledgeOriginal as unknown as jest.Mock,
    recordExport: recordExport as unknown as jest.Mock,
    getOrgId: getOrgId as unknown as jest.Mock,
    getOrgName: getOrgName as unknown as jest.Mock,
    purgePage: purgePage as unknown as jest.Mock,
    recordPurge: recordPurge as unknown as jest.Mock,
    getUsage: getUsage as unknown as jest.Mock
};

const ORG_ID = '00D000000000001AAA';
const RELAY_URL = 'https://relay.example.com';
const HEALTH = {
    status: 'ok',
    service: 'resident-relay',
    version: '1.0.0',
    llm: { configured: true, upstream: 'anthropic' }
};
const DOC_WITH_FILE = 'a03000000000001AAA';
const DOC_TOO_LARGE = 'a03000000000002AAA';
const DOC_TYPED = 'a03000000000003AAA';

const OBJECT_LABELS: Record<string, string> = {
    Resident_Knowledge_Chunk__c: 'Resident Knowledge Chunks',
    Resident_Knowledge_Document__c: 'Resident Knowledge Documents',
    Resident_Feedback__c: 'Resident Feedback',
    Resident_Activity__c: 'Resident Activities',
    Resident_Task__c: 'Resident Tasks',
    Resident_Report_Run__c: 'Resident Report Runs',
    Resident_Report_Schedule__c: 'Resident Report Schedules',
    Resident_Document_Template__c: 'Resident Document Templates'
};

function exportObjects(counts: Partial<Record<string, number>> = {}): ExportObjectInfo[] {
    return PACKAGE_DATA_OBJECTS.map((objectApiName) => ({
        objectApiName,
        label: OBJECT_LABELS[objectApiName] ?? objectApiName,
        rowCount: counts[objectApiName] ?? 0
    }));
}

function job(overrides: Partial<RetentionJobState> = {}): RetentionJobState {
    return {
        scheduled: true,
        cronExpression: '0 0 2 * * ?',
        nextRunAt: '2026-11-24T02:00:00.000Z',
        scheduledByName: 'Ada Admin',
        lastRun: {
            jobId: '707000000000001AAA',
            status: 'Completed',
            startedAt: '2026-11-23T02:00:00.000Z',
            finishedAt: '2026-11-23T02:00:05.000Z',
            counts: { Resident_Task__c: 2, Resident_Activity__c: 7 },
            error: null
        },
        ...overrides
    };
}

type Relay = {
    health: () => Promise<Response>;
    connection: () => Promise<Response>;
};
let relay: Relay;
let fetchMock: jest.Mock;

function setUpHappyOrg(): void {
    mocks.getRelayConnection.mockResolvedValue({ relayUrl: RELAY_URL, keyConfigured: true });
    mocks.getOrgKeyStatus.mockResolvedValue({ configured: true, keyId: 'k1' });
    mocks.getRelaySession.mockResolvedValue({
        relayUrl: RELAY_URL,
        token: 'session-token',
        expiresAt: Date.now() + 600_000
    });
    mocks.getRetentionSettings.mockResolvedValue({
        tasks: 90,
        activity: 365,
        reportRuns: 90,
        feedback: 365,
        knowledge: null
    });
    mocks.getRetentionJob.mockResolvedValue(job());
    mocks.listExportObjects.mockResolvedValue(
        exportObjects({ Resident_Task__c: 2, Resident_Activity__c: 3 })
    );
    mocks.getOrgName.mockResolvedValue('Acme Corporation');
    mocks.getOrgId.mockResolvedValue(ORG_ID);
    mocks.getUsage.mockResolvedValue([]);
    relay = {
        health: () => Promise.resolve(jsonResponse(200, HEALTH)),
        connection: () =>
            Promise.resolve(
                jsonResponse(200, {
                    orgId: ORG_ID,
                    keyId: 'k1',
                    tokenExpiresAt: '2026-11-23T16:00:00.000Z'
                })
            )
    };
}

async function mount(props: Record<string, unknown> = {}): Promise<HTMLElement> {
    const element = createElement('c-trust-center', { is: TrustCenter });
    Object.assign(element, { pollIntervalMs: 0, ...props });
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

type Input = HTMLElement & {
    value: unknown;
    disabled?: boolean;
    label?: string;
    setCustomValidity: jest.Mock;
    reportValidity: jest.Mock;
};

function q(element: HTMLElement, selector: string): Input {
    const found = element.shadowRoot!.querySelector<Input>(selector);
    if (!found) throw new Error(`nothing matches ${selector}`);
    return found;
}

function maybe(element: HTMLElement, selector: string): Input | null {
    return element.shadowRoot!.querySelector<Input>(selector);
}

function text(element: HTMLElement, selector: string): string {
    return (q(element, selector).textContent ?? '').replace(/\s+/g, ' ').trim();
}

function texts(element: HTMLElement, selector: string): string[] {
    return Array.from(element.shadowRoot!.querySelectorAll(selector)).map((e) =>
        (e.textContent ?? '').replace(/\s+/g, ' ').trim()
    );
}

/** lightning-input's validity API, which the stub does not have. */
function spyValidity(input: Input): void {
    input.setCustomValidity = jest.fn();
    input.reportValidity = jest.fn();
}

async function type(input: Input, value: string): Promise<void> {
    input.value = value;
    input.dispatchEvent(new CustomEvent('change', { detail: { value } }));
    await flushPromises();
}

async function click(element: HTMLElement, selector: string): Promise<void> {
    q(element, selector).click();
    await flushPromises();
}

function readBlob(blob: Blob): Promise<string> {
    return new Promise((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(String(reader.result));
        reader.onerror = () => reject(reader.error);
        reader.readAsText(blob);
    });
}

function apexError(message: string): { body: { message: string } } {
    return { body: { message } };
}

let createdBlobs: Blob[];
/** Every link the page clicked, as it was at the click: which link, and the file it pointed at. */
let clickedLinks: { dataId?: string; href: string | null; download: string | null }[];

beforeEach(() => {
    setUpHappyOrg();
    fetchMock = jest.fn((url: string) => {
        if (url.endsWith('/healthz')) return relay.health();
        if (url.endsWith('/v1/connection')) return relay.connection();
        return Promise.reject(new Error(`unexpected fetch ${url}`));
    });
    Object.assign(globalThis, { fetch: fetchMock });
    createdBlobs = [];
    Object.assign(URL, {
        createObjectURL: jest.fn((blob: Blob) => {
            createdBlobs.push(blob);
            return `blob:export-${createdBlobs.length}`;
        }),
        revokeObjectURL: jest.fn()
    });
    // jsdom cannot navigate to a blob: URL; which link was clicked, pointing where, is what counts.
    clickedLinks = [];
    jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
        this: HTMLAnchorElement
    ) {
        clickedLinks.push({
            dataId: this.dataset.id,
            href: this.getAttribute('href'),
            download: this.getAttribute('download')
        });
    });
});

afterEach(() => {
    resetDom();
    jest.restoreAllMocks();
    for (const mock of Object.values(mocks)) mock.mockReset();
});

describe('c-trust-center: loading', () => {
    it('shows a spinner in each section until its Apex answers', async () => {
        const never = () => new Promise(() => undefined);
        for (const mock of Object.values(mocks)) mock.mockImplementation(never);
        const element = await mount();
        expect(maybe(element, '[data-id="relay-loading"]')).not.toBeNull();
        expect(maybe(element, '[data-id="retention-loading"]')).not.toBeNull();
        expect(maybe(element, '[data-id="export-loading"]')).not.toBeNull();
        expect(maybe(element, '[data-id="usage-loading"]')).not.toBeNull();
        expect(maybe(element, '[data-id="not-permitted"]')).toBeNull();
    });

    it('is accessible once loaded', async () => {
        mocks.getUsage.mockResolvedValue([
            usageRow({ month: '2026-11', userId: '005A', userName: 'Ada Admin', tasks: 2 })
        ]);
        const element = await mount();
        await expect(element).toBeAccessible();
    });
});

describe('c-trust-center: relay connection', () => {
    it('says the relay is reachable, the key id stored, and that the relay accepts it', async () => {
        const element = await mount();
        expect(text(element, '[data-id="relay-health"]')).toContain(RELAY_URL);
        expect(text(element, '[data-id="relay-key"]')).toBe('An org key is stored, key id k1.');
        expect(text(element, '[data-id="relay-key-check"]')).toBe(
            `The relay accepts this org's key (key id k1, org ${ORG_ID}).`
        );
        // The check used a freshly minted session token, sent as a bearer token, no cookies.
        expect(mocks.getRelaySession).toHaveBeenCalledWith({ scopes: ['pdf'] });
        const [url, init] = fetchMock.mock.calls.find(([u]) =>
            String(u).endsWith('/v1/connection')
        )!;
        expect(url).toBe(`${RELAY_URL}/v1/connection`);
        expect(init.headers.authorization).toBe('Bearer session-token');
        expect(init.credentials).toBe('omit');
    });

    it('says when the relay refuses the key, with its message and request id', async () => {
        relay.connection = () =>
            Promise.resolve(
                jsonResponse(401, {
                    error: {
                        type: 'unauthorized',
                        message: 'The key id k1 is revoked.',
                        requestId: 'req-42'
                    }
                })
            );
        const element = await mount();
        const check = q(element, '[data-id="relay-key-check"]');
        expect(check.dataset.state).toBe('refused');
        expect(text(element, '[data-id="relay-key-check"]')).toBe(
            "The relay refuses this org's key: The key id k1 is revoked. (req-42). Ask the vendor for a new key and rotate to it."
        );
    });

    it('does not ask for a session when the relay cannot be reached', async () => {
        relay.health = () => Promise.reject(new TypeError('Failed to fetch'));
        const element = await mount();
        expect(text(element, '[data-id="relay-health"]')).toBe(
            `The relay at ${RELAY_URL} cannot be reached: Failed to fetch`
        );
        expect(q(element, '[data-id="relay-key-check"]').dataset.state).toBe('not_checked');
        expect(mocks.getRelaySession).not.toHaveBeenCalled();
    });

    it('offers Connect, not Rotate or Disconnect, when no key is stored', async () => {
        mocks.getOrgKeyStatus.mockResolvedValue({ configured: false, keyId: null });
        mocks.getRelayConnection.mockResolvedValue({ relayUrl: RELAY_URL, keyConfigured: false });
        mocks.saveOrgKey.mockResolvedValue({ configured: true, keyId: 'k1' });
        const element = await mount();
        expect(text(element, '[data-id="relay-key"]')).toMatch(/^No org key is stored/);
        expect(q(element, '[data-id="save-key"]').label).toBe('c.Resident_TrustCenter_Connect');
        expect(maybe(element, '[data-id="disconnect"]')).toBeNull();
        await type(q(element, '[data-id="new-key"]'), '  v1:k1:abc  ');
        await click(element, '[data-id="save-key"]');
        expect(mocks.saveOrgKey).toHaveBeenCalledWith({ orgKey: 'v1:k1:abc' });
        expect(mocks.rotateOrgKey).not.toHaveBeenCalled();
        // The status shown is saveOrgKey's answer (getOrgKeyStatus still says "none" and is not
        // asked again), and the relay is asked about the new key.
        expect(text(element, '[data-id="relay-key"]')).toBe('An org key is stored, key id k1.');
        expect(mocks.getOrgKeyStatus).toHaveBeenCalledTimes(1);
        expect(q(element, '[data-id="relay-key-check"]').dataset.state).toBe('accepted');
    });

    it('rotates to a pasted key, then checks the connection again', async () => {
        mocks.rotateOrgKey.mockResolvedValue({ configured: true, keyId: 'k2' });
        const element = await mount();
        relay.connection = () =>
            Promise.resolve(
                jsonResponse(200, {
                    orgId: ORG_ID,
                    keyId: 'k2',
                    tokenExpiresAt: '2026-11-23T16:10:00Z'
                })
            );
        mocks.getOrgKeyStatus.mockResolvedValue({ configured: true, keyId: 'k2' });
        await type(q(element, '[data-id="new-key"]'), 'v1:k2:secretsecret');
        await click(element, '[data-id="save-key"]');
        expect(mocks.rotateOrgKey).toHaveBeenCalledWith({ newOrgKey: 'v1:k2:secretsecret' });
        expect(text(element, '[data-id="relay-notice"]')).toBe(
            'Saved. The org now uses key id k2; new session tokens are signed with it.'
        );
        expect(text(element, '[data-id="relay-key"]')).toBe('An org key is stored, key id k2.');
        expect(text(element, '[data-id="relay-key-check"]')).toContain('key id k2');
        expect(q(element, '[data-id="new-key"]').value).toBe('');
        // The rotation's own answer is the key status: the section is not loaded again.
        expect(mocks.getOrgKeyStatus).toHaveBeenCalledTimes(1);
        expect(mocks.getRelayConnection).toHaveBeenCalledTimes(1);
        expect(mocks.getRelaySession).toHaveBeenCalledTimes(2);
    });

    it('shows the Apex refusal at the key field when the key id is the one in use', async () => {
        const refusal =
            'This key has the key id already in use (k1): ask the vendor for a key under a new key id.';
        mocks.rotateOrgKey.mockRejectedValue(apexError(refusal));
        const element = await mount();
        const input = q(element, '[data-id="new-key"]');
        spyValidity(input);
        await type(input, 'v1:k1:another');
        await click(element, '[data-id="save-key"]');
        expect(input.setCustomValidity).toHaveBeenLastCalledWith(refusal);
        expect(input.reportValidity).toHaveBeenCalled();
        expect(text(element, '[data-id="relay-notice"]')).toBe(`The key was not saved: ${refusal}`);
        // Nothing changed: the stored key id is still shown, the pasted key is kept for correction.
        expect(text(element, '[data-id="relay-key"]')).toBe('An org key is stored, key id k1.');
        expect(input.value).toBe('v1:k1:another');
    });

    it('asks for a key before calling Apex when the field is empty', async () => {
        const element = await mount();
        const input = q(element, '[data-id="new-key"]');
        spyValidity(input);
        await click(element, '[data-id="save-key"]');
        expect(input.setCustomValidity).toHaveBeenCalledWith(
            'c.Resident_TrustCenter_NewKeyRequired'
        );
        expect(mocks.rotateOrgKey).not.toHaveBeenCalled();
    });

    it('disconnects only after confirmation, then says the relay is not connected', async () => {
        mocks.disconnectRelay.mockResolvedValue({ configured: false, keyId: null });
        const element = await mount();
        await click(element, '[data-id="disconnect"]');
        expect(maybe(element, '[data-id="disconnect-confirm"]')).not.toBeNull();
        await click(element, '[data-id="disconnect-cancel"]');
        expect(mocks.disconnectRelay).not.toHaveBeenCalled();
        expect(maybe(element, '[data-id="disconnect-confirm"]')).toBeNull();

        await click(element, '[data-id="disconnect"]');
        await click(element, '[data-id="disconnect-confirm-button"]');
        expect(mocks.disconnectRelay).toHaveBeenCalledTimes(1);
        // disconnectRelay's answer is the status shown; the section is not loaded again.
        expect(mocks.getOrgKeyStatus).toHaveBeenCalledTimes(1);
        expect(mocks.getRelayConnection).toHaveBeenCalledTimes(1);
        expect(text(element, '[data-id="relay-notice"]')).toBe(
            'Disconnected. The org key is removed; the coworker and documents now say the relay is not connected.'
        );
        expect(text(element, '[data-id="relay-key"]')).toMatch(/^No org key is stored/);
        expect(q(element, '[data-id="relay-key-check"]').dataset.state).toBe('not_checked');
        expect(maybe(element, '[data-id="disconnect"]')).toBeNull();
    });

    it('says why the section could not load, and retries', async () => {
        mocks.getOrgKeyStatus.mockRejectedValueOnce(
            apexError(
                'Only admins with the Manage Resident Relay Connection permission can do this.'
            )
        );
        const element = await mount();
        expect(text(element, '[data-id="relay-load-error"]')).toBe(
            "Couldn't load this section: Only admins with the Manage Resident Relay Connection permission can do this."
        );
        await click(element, '[data-id="relay-retry"]');
        expect(text(element, '[data-id="relay-key"]')).toBe('An org key is stored, key id k1.');
    });
});

describe('c-trust-center: retention', () => {
    function inputs(element: HTMLElement): Record<string, Input> {
        const found: Record<string, Input> = {};
        for (const input of element.shadowRoot!.querySelectorAll<Input>(
            'lightning-input[data-kind]'
        )) {
            spyValidity(input);
            found[input.dataset.kind ?? ''] = input;
        }
        return found;
    }

    it('starts a new org with the windows RETENTION_KINDS names (RetentionDefaults.cls agrees)', () => {
        expect(defaultRetentionSettings()).toEqual({
            tasks: 90,
            activity: 365,
            reportRuns: 90,
            feedback: 365,
            knowledge: null
        });
    });

    it('shows each window, knowledge empty meaning "until removed"', async () => {
        const element = await mount();
        const fields = inputs(element);
        expect(Object.keys(fields)).toEqual([
            'tasks',
            'activity',
            'reportRuns',
            'feedback',
            'knowledge'
        ]);
        expect(fields.tasks!.value).toBe('90');
        expect(fields.activity!.value).toBe('365');
        expect(fields.knowledge!.value).toBe('');
    });

    it('refuses out-of-bounds windows at their fields and saves nothing', async () => {
        const element = await mount();
        const fields = inputs(element);
        await type(fields.tasks!, '0');
        await type(fields.activity!, String(RETENTION_MAX_DAYS + 1));
        await type(fields.feedback!, '1.5');
        await click(element, '[data-id="retention-save"]');
        const range = 'Enter a whole number of days from 1 to 3650.';
        expect(fields.tasks!.setCustomValidity).toHaveBeenLastCalledWith(range);
        expect(fields.activity!.setCustomValidity).toHaveBeenLastCalledWith(range);
        expect(fields.feedback!.setCustomValidity).toHaveBeenLastCalledWith(range);
        expect(fields.reportRuns!.setCustomValidity).toHaveBeenLastCalledWith('');
        expect(fields.knowledge!.setCustomValidity).toHaveBeenLastCalledWith('');
        expect(mocks.saveRetentionSettings).not.toHaveBeenCalled();
        expect(maybe(element, '[data-id="retention-notice"]')).not.toBeNull();
    });

    it('saves whole-day windows and shows what Apex stored', async () => {
        mocks.saveRetentionSettings.mockImplementation(({ settings }) => Promise.resolve(settings));
        const element = await mount();
        const fields = inputs(element);
        await type(fields.tasks!, '1');
        await type(fields.knowledge!, '730');
        await click(element, '[data-id="retention-save"]');
        expect(mocks.saveRetentionSettings).toHaveBeenCalledWith({
            settings: { tasks: 1, activity: 365, reportRuns: 90, feedback: 365, knowledge: 730 }
        });
        expect(q(element, '[data-id="retention-notice"]').getAttribute('role')).toBe('status');
    });

    it('keeps the edits and says why when Apex refuses the save', async () => {
        mocks.saveRetentionSettings.mockRejectedValue(
            apexError(
                'Only admins with the Manage Resident Trust Settings permission can change retention.'
            )
        );
        const element = await mount();
        const fields = inputs(element);
        await type(fields.tasks!, '30');
        await click(element, '[data-id="retention-save"]');
        expect(text(element, '[data-id="retention-notice"]')).toBe(
            "Couldn't save the windows; your changes are still here: Only admins with the Manage Resident Trust Settings permission can change retention."
        );
        expect(inputs(element).tasks!.value).toBe('30');
    });

    it('shows the job: scheduled, next run, last run and what it deleted', async () => {
        const element = await mount();
        expect(text(element, '[data-id="job-scheduled"]')).toBe(
            'Scheduled (0 0 2 * * ?); runs as Ada Admin.'
        );
        expect(maybe(element, '[data-id="job-next-run"]')).not.toBeNull();
        expect(text(element, '[data-id="job-run-status"]')).toBe('Last run: Completed');
        expect(texts(element, '[data-id="job-run-counts"] li')).toEqual([
            'Resident Activities: 7',
            'Resident Tasks: 2'
        ]);
        expect(maybe(element, '[data-id="job-unschedule"]')).not.toBeNull();
        expect(maybe(element, '[data-id="job-schedule"]')).toBeNull();
    });

    it('schedules and unschedules the job', async () => {
        mocks.getRetentionJob.mockResolvedValue(
            job({
                scheduled: false,
                cronExpression: null,
                nextRunAt: null,
                scheduledByName: null,
                lastRun: null
            })
        );
        mocks.scheduleRetentionJob.mockResolvedValue(job({ lastRun: null }));
        mocks.unscheduleRetentionJob.mockResolvedValue(
            job({
                scheduled: false,
                cronExpression: null,
                nextRunAt: null,
                scheduledByName: null,
                lastRun: null
            })
        );
        const element = await mount();
        expect(text(element, '[data-id="job-run-status"]')).toBe(
            'c.Resident_TrustCenter_JobNeverRun'
        );
        await click(element, '[data-id="job-schedule"]');
        expect(mocks.scheduleRetentionJob).toHaveBeenCalledTimes(1);
        expect(text(element, '[data-id="job-scheduled"]')).toContain('runs as Ada Admin');
        await click(element, '[data-id="job-unschedule"]');
        expect(mocks.unscheduleRetentionJob).toHaveBeenCalledTimes(1);
        expect(maybe(element, '[data-id="job-schedule"]')).not.toBeNull();
    });

    it('says why scheduling was refused', async () => {
        mocks.getRetentionJob.mockResolvedValue(job({ scheduled: false, lastRun: null }));
        mocks.scheduleRetentionJob.mockRejectedValue(
            apexError('The retention job is already scheduled.')
        );
        const element = await mount();
        await click(element, '[data-id="job-schedule"]');
        expect(text(element, '[data-id="job-notice"]')).toBe(
            'The retention job did not do that: The retention job is already scheduled.'
        );
    });

    it('runs the job now, polls until it finishes, then shows the counts', async () => {
        const jobId = '707000000000009AAA';
        mocks.runRetentionNow.mockResolvedValue(jobId);
        const base = {
            jobId,
            startedAt: '2026-11-23T15:00:00.000Z',
            finishedAt: null,
            counts: null,
            error: null
        };
        // Between polls the run shows as running, with its buttons disabled.
        let sawRunning = false;
        const mounted: { element?: HTMLElement } = {};
        mocks.getRetentionRun
            .mockImplementationOnce(async () => {
                sawRunning =
                    maybe(mounted.element!, '[data-id="job-running"]') !== null &&
                    q(mounted.element!, '[data-id="job-run-now"]').disabled === true;
                return { ...base, status: 'Queued' };
            })
            .mockResolvedValueOnce({ ...base, status: 'Processing' })
            .mockResolvedValueOnce({
                ...base,
                status: 'Completed',
                finishedAt: '2026-11-23T15:00:03.000Z',
                counts: null
            })
            .mockResolvedValue({
                ...base,
                status: 'Completed',
                finishedAt: '2026-11-23T15:00:03.000Z',
                counts: { Resident_Task__c: 4, Resident_Feedback__c: 1 }
            });
        const element = await mount();
        mounted.element = element;
        await click(element, '[data-id="job-run-now"]');
        await flushPromises();
        expect(sawRunning).toBe(true);
        expect(mocks.getRetentionRun).toHaveBeenCalledWith({ jobId });
        expect(mocks.getRetentionRun.mock.calls.length).toBeGreaterThanOrEqual(4);
        expect(text(element, '[data-id="job-run-status"]')).toBe('Last run: Completed');
        expect(texts(element, '[data-id="job-run-counts"] li')).toEqual([
            'Resident Feedback: 1',
            'Resident Tasks: 4'
        ]);
        expect(maybe(element, '[data-id="job-running"]')).toBeNull();
        expect(q(element, '[data-id="job-run-now"]').disabled).toBe(false);
        // The last poll's answer is what is shown: the job is not asked for again.
        expect(mocks.getRetentionJob).toHaveBeenCalledTimes(1);
        // The rows the run deleted change the export's counts, so those are read again.
        expect(mocks.listExportObjects).toHaveBeenCalledTimes(2);
    });

    it('shows the platform error when the run fails', async () => {
        mocks.runRetentionNow.mockResolvedValue('707000000000010AAA');
        mocks.getRetentionRun.mockResolvedValue({
            jobId: '707000000000010AAA',
            status: 'Failed',
            startedAt: '2026-11-23T15:00:00.000Z',
            finishedAt: '2026-11-23T15:00:01.000Z',
            counts: null,
            error: 'Insufficient access rights on object id'
        });
        const element = await mount();
        await click(element, '[data-id="job-run-now"]');
        await flushPromises();
        expect(text(element, '[data-id="job-run-error"]')).toBe(
            'The run failed: Insufficient access rights on object id'
        );
    });
});

function row(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { Id: id, Name: `Row ${id}`, CreatedDate: '2026-11-01T00:00:00.000Z', ...extra };
}

function usageRow(overrides: Partial<UsageRow>): UsageRow {
    return {
        month: '2026-11',
        userId: '005000000000001AAA',
        userName: 'Ada Admin',
        tasks: 0,
        toolCalls: 0,
        documents: 0,
        reportRuns: 0,
        tokens: 0,
        ...overrides
    };
}

describe('c-trust-center: export', () => {
    const ORIGINAL: KnowledgeOriginal = {
        documentId: DOC_WITH_FILE,
        contentDocumentId: '069000000000001AAA',
        fileName: 'Refund policy.pdf',
        fileExtension: 'pdf',
        contentSize: 9,
        base64: 'JVBERi0xLjQ=',
        skippedReason: null
    };
    const SKIPPED: KnowledgeOriginal = {
        documentId: DOC_TOO_LARGE,
        contentDocumentId: '069000000000002AAA',
        fileName: 'Handbook.pdf',
        fileExtension: 'pdf',
        contentSize: 9_000_000,
        base64: null,
        skippedReason: 'larger than 2 MB'
    };

    function stubPages(): void {
        mocks.exportPage.mockImplementation(({ objectApiName, afterId }) => {
            const answer = (rows: Record<string, unknown>[], nextAfterId: string | null) =>
                Promise.resolve({ objectApiName, rows, nextAfterId });
            if (objectApiName === 'Resident_Activity__c') {
                return afterId === null
                    ? answer(
                          [row('a02000000000001AAA'), row('a02000000000002AAA')],
                          'a02000000000002AAA'
                      )
                    : answer(
                          [
                              row('a02000000000003AAA', {
                                  Result__c: 'quote " and \\ and </script>'
                              })
                          ],
                          null
                      );
            }
            if (objectApiName === 'Resident_Knowledge_Document__c') {
                return answer(
                    [
                        row(DOC_WITH_FILE, { Source_File_Id__c: '069000000000001AAA' }),
                        row(DOC_TOO_LARGE, { Source_File_Id__c: '069000000000002AAA' }),
                        row(DOC_TYPED, { Source_File_Id__c: null })
                    ],
                    null
                );
            }
            if (objectApiName === 'Resident_Task__c') {
                return answer([row('a01000000000001AAA'), row('a01000000000002AAA')], null);
            }
            return answer([], null);
        });
        mocks.exportKnowledgeOriginal.mockImplementation(({ documentId }) =>
            Promise.resolve(
                documentId === DOC_WITH_FILE
                    ? ORIGINAL
                    : documentId === DOC_TOO_LARGE
                      ? SKIPPED
                      : null
            )
        );
        mocks.recordExport.mockResolvedValue('a02000000000099AAA');
    }

    it('lists each object with its row count', async () => {
        const element = await mount();
        const table = q(element, '[data-id="export-objects"]') as unknown as {
            data: ExportObjectInfo[];
        };
        expect(table.data.map((o) => [o.objectApiName, o.rowCount])).toEqual(
            PACKAGE_DATA_OBJECTS.map((name) => [
                name,
                name === 'Resident_Task__c' ? 2 : name === 'Resident_Activity__c' ? 3 : 0
            ])
        );
    });

    it('pages every object parents first, adds knowledge originals, downloads one JSON file and logs it', async () => {
        stubPages();
        const element = await mount();
        await click(element, '[data-id="export-start"]');
        await flushPromises();

        // Every object in the contract's export order (parents first), each paged by Id.
        const asked = mocks.exportPage.mock.calls.map(([p]) => [p.objectApiName, p.afterId]);
        expect(asked).toEqual(
            [...PACKAGE_DATA_OBJECTS].reverse().flatMap((name): [string, string | null][] =>
                name === 'Resident_Activity__c'
                    ? [
                          [name, null],
                          [name, 'a02000000000002AAA']
                      ]
                    : [[name, null]]
            )
        );
        expect(mocks.exportPage.mock.calls.every(([p]) => p.pageSize === 2000)).toBe(true);
        // Asked only for documents that name a File: typed-in text (DOC_TYPED) costs no call.
        expect(mocks.exportKnowledgeOriginal.mock.calls.map(([p]) => p.documentId)).toEqual([
            DOC_WITH_FILE,
            DOC_TOO_LARGE
        ]);

        expect(createdBlobs).toHaveLength(1);
        const file = JSON.parse(await readBlob(createdBlobs[0]!)) as ExportFile;
        expect(file.format).toBe('resident-export/1');
        expect(file.orgId).toBe(ORG_ID);
        expect(file.exportedByUserId).toBe('005000000000001AAA');
        expect(Number.isNaN(Date.parse(file.exportedAt))).toBe(false);
        expect(file.retention).toEqual({
            tasks: 90,
            activity: 365,
            reportRuns: 90,
            feedback: 365,
            knowledge: null
        });
        expect(Object.keys(file.objects)).toEqual([...PACKAGE_DATA_OBJECTS].reverse());
        expect(file.objects.Resident_Activity__c.map((r) => r.Id)).toEqual([
            'a02000000000001AAA',
            'a02000000000002AAA',
            'a02000000000003AAA'
        ]);
        expect(file.objects.Resident_Activity__c[2]!.Result__c).toBe(
            'quote " and \\ and </script>'
        );
        expect(file.objects.Resident_Task__c).toHaveLength(2);
        expect(file.objects.Resident_Feedback__c).toEqual([]);
        expect(file.knowledgeOriginals).toEqual([ORIGINAL, SKIPPED]);

        const link = q(element, '[data-id="export-download"]') as unknown as HTMLAnchorElement;
        expect(link.getAttribute('href')).toBe('blob:export-1');
        expect(link.getAttribute('download')).toMatch(/^resident-export-\d{4}-\d{2}-\d{2}\.json$/);
        // One click, on the download link, already pointing at this export's file (blob 1).
        expect(clickedLinks).toEqual([
            {
                dataId: 'export-download',
                href: 'blob:export-1',
                download: link.getAttribute('download')
            }
        ]);

        expect(mocks.recordExport).toHaveBeenCalledWith({
            counts: {
                Resident_Document_Template__c: 0,
                Resident_Report_Schedule__c: 0,
                Resident_Report_Run__c: 0,
                Resident_Task__c: 2,
                Resident_Activity__c: 3,
                Resident_Feedback__c: 0,
                Resident_Knowledge_Document__c: 3,
                Resident_Knowledge_Chunk__c: 0
            }
        });
        expect(text(element, '[data-id="export-notice"]')).toBe(
            'Export ready: 8 rows. The download has started. Some originals were too large to include: Handbook.pdf: larger than 2 MB'
        );
    });

    it('hands over the file when the export cannot be logged, and says it was not logged', async () => {
        stubPages();
        mocks.exportKnowledgeOriginal.mockResolvedValue(null);
        mocks.recordExport.mockRejectedValue(
            apexError('Insufficient access rights on object Resident_Activity__c')
        );
        const element = await mount();
        await click(element, '[data-id="export-start"]');
        await flushPromises();

        expect(mocks.recordExport).toHaveBeenCalledTimes(1);
        expect(createdBlobs).toHaveLength(1);
        const file = JSON.parse(await readBlob(createdBlobs[0]!)) as ExportFile;
        expect(file.objects.Resident_Task__c).toHaveLength(2);
        expect(file.objects.Resident_Activity__c).toHaveLength(3);
        expect(clickedLinks).toEqual([
            {
                dataId: 'export-download',
                href: 'blob:export-1',
                download: expect.stringMatching(/^resident-export-.*\.json$/)
            }
        ]);
        const notice = q(element, '[data-id="export-notice"]');
        expect(text(element, '[data-id="export-notice"]')).toBe(
            'Export ready: 8 rows. The download has started. The export was not logged in the activity log: Insufficient access rights on object Resident_Activity__c'
        );
        expect(notice.getAttribute('role')).toBe('alert');
    });

    it('shows progress while it pages', async () => {
        stubPages();
        let release: () => void = () => undefined;
        const original = mocks.exportPage.getMockImplementation()!;
        mocks.exportPage.mockImplementation((params) =>
            params.objectApiName === 'Resident_Task__c'
                ? new Promise((resolve) => {
                      release = () => resolve(original(params));
                  })
                : original(params)
        );
        const element = await mount();
        await click(element, '[data-id="export-start"]');
        expect(maybe(element, '[data-id="export-progress"]')).not.toBeNull();
        expect(q(element, '[data-id="export-start"]').disabled).toBe(true);
        expect(q(element, '[data-id="purge-start"]').disabled).toBe(true);
        release();
        await flushPromises();
        expect(maybe(element, '[data-id="export-progress"]')).toBeNull();
    });

    it('stops on a failed page: no file, nothing logged, a clear message', async () => {
        stubPages();
        const original = mocks.exportPage.getMockImplementation()!;
        mocks.exportPage.mockImplementation((params) =>
            params.objectApiName === 'Resident_Activity__c' && params.afterId
                ? Promise.reject(apexError('Apex CPU time limit exceeded'))
                : original(params)
        );
        const element = await mount();
        await click(element, '[data-id="export-start"]');
        await flushPromises();
        expect(text(element, '[data-id="export-notice"]')).toBe(
            'The export stopped and no file was made: Apex CPU time limit exceeded'
        );
        expect(URL.createObjectURL).not.toHaveBeenCalled();
        expect(mocks.recordExport).not.toHaveBeenCalled();
        expect(maybe(element, '[data-id="export-download"]')).toBeNull();
    });
});

describe('c-trust-center: purge', () => {
    function stubPurge(failOn?: string): void {
        const left: Record<string, number> = {
            Resident_Task__c: 3,
            Resident_Activity__c: 2500,
            Resident_Knowledge_Chunk__c: 5
        };
        mocks.purgePage.mockImplementation(({ objectApiName }) => {
            if (objectApiName === failOn)
                return Promise.reject(apexError('DELETE_FAILED: entity is locked'));
            const before = left[objectApiName] ?? 0;
            const deleted = Math.min(2000, before);
            left[objectApiName] = before - deleted;
            return Promise.resolve({ objectApiName, deleted, remaining: before - deleted });
        });
        mocks.recordPurge.mockResolvedValue('a02000000000100AAA');
    }

    it('enables Purge only when the org name is typed exactly', async () => {
        const element = await mount();
        const name = q(element, '[data-id="purge-org-name"]');
        expect(name.label).toBe("Type the org's name, Acme Corporation, to enable the purge");
        expect(q(element, '[data-id="purge-start"]').disabled).toBe(true);
        await type(name, 'acme corporation');
        expect(q(element, '[data-id="purge-start"]').disabled).toBe(true);
        await type(name, 'Acme Corp');
        expect(q(element, '[data-id="purge-start"]').disabled).toBe(true);
        await type(name, ' Acme Corporation ');
        expect(q(element, '[data-id="purge-start"]').disabled).toBe(false);
    });

    it('asks for confirmation, deletes children first page by page, shows counts and logs the purge', async () => {
        stubPurge();
        const element = await mount();
        await type(q(element, '[data-id="purge-org-name"]'), 'Acme Corporation');
        await click(element, '[data-id="purge-start"]');
        expect(maybe(element, '[data-id="purge-confirm"]')).not.toBeNull();
        expect(mocks.purgePage).not.toHaveBeenCalled();
        mocks.listExportObjects.mockResolvedValue(exportObjects({ Resident_Activity__c: 1 }));
        await click(element, '[data-id="purge-confirm-button"]');
        await flushPromises();

        const calls = mocks.purgePage.mock.calls.map(([p]) => p.objectApiName);
        // In PACKAGE_DATA_OBJECTS order, again while rows remain (2,500 activities: two pages).
        expect([...new Set(calls)]).toEqual([...PACKAGE_DATA_OBJECTS]);
        expect(calls.filter((c) => c === 'Resident_Activity__c')).toHaveLength(2);
        expect(
            mocks.purgePage.mock.calls.every(([p]) => p.confirmOrgName === 'Acme Corporation')
        ).toBe(true);
        expect(mocks.recordPurge).toHaveBeenCalledWith({
            counts: {
                Resident_Knowledge_Chunk__c: 5,
                Resident_Knowledge_Document__c: 0,
                Resident_Feedback__c: 0,
                Resident_Activity__c: 2500,
                Resident_Task__c: 3,
                Resident_Report_Run__c: 0,
                Resident_Report_Schedule__c: 0,
                Resident_Document_Template__c: 0
            }
        });
        expect(text(element, '[data-id="purge-notice"]')).toBe(
            'Purge complete: 2508 rows deleted. The purge is recorded in the activity log.'
        );
        expect(texts(element, '[data-id="purge-deleted"] li')).toEqual([
            'Resident Knowledge Chunks: 5',
            'Resident Activities: 2500',
            'Resident Tasks: 3'
        ]);
        expect(maybe(element, '[data-id="purge-left"]')).toBeNull();
    });

    it('says when a complete purge could not be logged, and never that it was', async () => {
        stubPurge();
        mocks.recordPurge.mockRejectedValue(
            apexError('Insufficient access rights on object Resident_Activity__c')
        );
        const element = await mount();
        await type(q(element, '[data-id="purge-org-name"]'), 'Acme Corporation');
        await click(element, '[data-id="purge-start"]');
        mocks.listExportObjects.mockResolvedValue(exportObjects());
        await click(element, '[data-id="purge-confirm-button"]');
        await flushPromises();

        expect(mocks.recordPurge).toHaveBeenCalledTimes(1);
        expect(text(element, '[data-id="purge-notice"]')).toBe(
            'Purge complete: 2508 rows deleted. The purge was not logged in the activity log: Insufficient access rights on object Resident_Activity__c'
        );
        expect(q(element, '[data-id="purge-notice"]').getAttribute('role')).toBe('alert');
        expect(texts(element, '[data-id="purge-deleted"] li')).toEqual([
            'Resident Knowledge Chunks: 5',
            'Resident Activities: 2500',
            'Resident Tasks: 3'
        ]);
    });

    it('says a purge that stopped could not be logged either', async () => {
        stubPurge('Resident_Task__c');
        mocks.recordPurge.mockRejectedValue(apexError('Request timed out'));
        const element = await mount();
        await type(q(element, '[data-id="purge-org-name"]'), 'Acme Corporation');
        await click(element, '[data-id="purge-start"]');
        await click(element, '[data-id="purge-confirm-button"]');
        await flushPromises();

        expect(text(element, '[data-id="purge-notice"]')).toBe(
            'The purge stopped: DELETE_FAILED: entity is locked. What was deleted and what is left are listed below. The purge was not logged in the activity log: Request timed out'
        );
    });

    it('cancels without deleting anything', async () => {
        stubPurge();
        const element = await mount();
        await type(q(element, '[data-id="purge-org-name"]'), 'Acme Corporation');
        await click(element, '[data-id="purge-start"]');
        await click(element, '[data-id="purge-cancel"]');
        expect(mocks.purgePage).not.toHaveBeenCalled();
        expect(maybe(element, '[data-id="purge-confirm"]')).toBeNull();
    });

    it('stops at a failure midway and says what was deleted and what is left', async () => {
        stubPurge('Resident_Task__c');
        const element = await mount();
        await type(q(element, '[data-id="purge-org-name"]'), 'Acme Corporation');
        await click(element, '[data-id="purge-start"]');
        mocks.listExportObjects.mockResolvedValue(
            exportObjects({ Resident_Task__c: 3, Resident_Report_Schedule__c: 1 })
        );
        await click(element, '[data-id="purge-confirm-button"]');
        await flushPromises();

        const calls = mocks.purgePage.mock.calls.map(([p]) => p.objectApiName);
        expect(calls.at(-1)).toBe('Resident_Task__c');
        expect(calls).not.toContain('Resident_Report_Run__c');
        expect(text(element, '[data-id="purge-notice"]')).toBe(
            'The purge stopped: DELETE_FAILED: entity is locked. What was deleted and what is left are listed below.'
        );
        expect(texts(element, '[data-id="purge-deleted"] li')).toEqual([
            'Resident Knowledge Chunks: 5',
            'Resident Activities: 2500'
        ]);
        expect(texts(element, '[data-id="purge-left"] li')).toEqual([
            'Resident Tasks: 3',
            'Resident Report Schedules: 1'
        ]);
        // What was deleted is still on the record for an auditor.
        expect(mocks.recordPurge).toHaveBeenCalledWith({
            counts: {
                Resident_Knowledge_Chunk__c: 5,
                Resident_Knowledge_Document__c: 0,
                Resident_Feedback__c: 0,
                Resident_Activity__c: 2500
            }
        });
    });

    it('never loops on rows it cannot delete', async () => {
        mocks.purgePage.mockImplementation(({ objectApiName }) =>
            Promise.resolve({
                objectApiName,
                deleted: 0,
                remaining: objectApiName === 'Resident_Feedback__c' ? 4 : 0
            })
        );
        mocks.recordPurge.mockResolvedValue('a02000000000100AAA');
        const element = await mount();
        await type(q(element, '[data-id="purge-org-name"]'), 'Acme Corporation');
        await click(element, '[data-id="purge-start"]');
        await click(element, '[data-id="purge-confirm-button"]');
        await flushPromises();
        expect(
            mocks.purgePage.mock.calls.filter(([p]) => p.objectApiName === 'Resident_Feedback__c')
        ).toHaveLength(1);
        expect(text(element, '[data-id="purge-notice"]')).toContain(
            '4 rows of Resident Feedback could not be deleted'
        );
    });
});

describe('c-trust-center: usage', () => {
    it('says when there is no usage in the period', async () => {
        const element = await mount();
        expect(mocks.getUsage).toHaveBeenCalledWith({ months: 3 });
        expect(text(element, '[data-id="usage-empty"]')).toBe(
            'No Resident usage in the last 3 month(s).'
        );
        expect(maybe(element, '[data-id="usage-table"]')).toBeNull();
    });

    it('shows one row per user per month and asks again for another period', async () => {
        const rows = [
            usageRow({
                month: '2026-11',
                userName: 'Ada Admin',
                tasks: 2,
                toolCalls: 5,
                tokens: 2100
            }),
            usageRow({
                month: '2026-10',
                userId: '005000000000002AAA',
                userName: 'Sam Seller',
                documents: 1,
                reportRuns: 3
            })
        ];
        mocks.getUsage.mockResolvedValue(rows);
        const element = await mount();
        const table = q(element, '[data-id="usage-table"]') as unknown as {
            data: UsageRow[];
            columns: { fieldName: string }[];
        };
        expect(
            table.data.map((r) => [
                r.month,
                r.userName,
                r.tasks,
                r.toolCalls,
                r.documents,
                r.reportRuns,
                r.tokens
            ])
        ).toEqual([
            ['2026-11', 'Ada Admin', 2, 5, 0, 0, 2100],
            ['2026-10', 'Sam Seller', 0, 0, 1, 3, 0]
        ]);
        expect(table.columns.map((c) => c.fieldName)).toEqual([
            'month',
            'userName',
            'tasks',
            'toolCalls',
            'documents',
            'reportRuns',
            'tokens'
        ]);
        const months = q(element, '[data-id="usage-months"]');
        months.dispatchEvent(new CustomEvent('change', { detail: { value: '12' } }));
        await flushPromises();
        expect(mocks.getUsage).toHaveBeenLastCalledWith({ months: 12 });
    });

    it('says why usage could not load', async () => {
        mocks.getUsage.mockRejectedValue(apexError('Too many query rows: 50001'));
        const element = await mount();
        expect(text(element, '[data-id="usage-error"]')).toBe(
            "Couldn't load this section: Too many query rows: 50001"
        );
    });
});

describe('c-trust-center: subprocessors', () => {
    it('labels say exactly what the contract says each subprocessor does and sees', () => {
        const names = { Cloudflare: 'Cloudflare', Anthropic: 'Anthropic' } as const;
        for (const subprocessor of SUBPROCESSORS) {
            const key = names[subprocessor.name];
            expect(labels.labelValue(`Resident_Trust_Subprocessor${key}Role`)).toBe(
                subprocessor.role
            );
            expect(labels.labelValue(`Resident_Trust_Subprocessor${key}Sees`)).toBe(
                subprocessor.sees
            );
        }
    });

    it('lists every subprocessor with its role and what it sees, and no other', async () => {
        const element = await mount();
        const shown = Array.from(
            element.shadowRoot!.querySelectorAll<HTMLElement>('[data-subprocessor]')
        ).map((item) => ({
            name: item.dataset.subprocessor,
            role: item.querySelector('[data-id="subprocessor-role"]')?.textContent,
            sees: item.querySelector('[data-id="subprocessor-sees"]')?.textContent
        }));
        expect(shown).toEqual(
            SUBPROCESSORS.map((s) => ({ name: s.name, role: s.role, sees: s.sees }))
        );
    });
});

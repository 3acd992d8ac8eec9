import { createElement } from 'lwc';
import TrustCenter from 'c/trustCenter';
import { flushPromises, resetDom } from '@resident/jest-utils';
import { readFileSync } from 'fs';
import { join } from 'path';
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

// A user without Resident's admin custom permissions: the platform gives `undefined` for each.
jest.mock(
    '@salesforce/customPermission/Resident_Manage_Trust_Settings',
    () => ({ default: undefined }),
    { virtual: true }
);
jest.mock(
    '@salesforce/customPermission/Resident_Manage_Relay_Connection',
    () => ({ default: undefined }),
    { virtual: true }
);
// Every Apex method the component imports, each a mock that records a call.
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
    { virtual: true }
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
    { virtual: true }
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
jest.mock(
    '@salesforce/label/c.Resident_TrustCenter_NotPermitted',
    () => mockLabel('Resident_TrustCenter_NotPermitted'),
    { virtual: true }
);

function mockLabel(name: string): { default: string } {
    const labels = jest.requireActual<{ labelValue(n: string): string }>(
        '../../../../../test/labels'
    );
    return { default: labels.labelValue(name) };
}

/** Each Apex import of the component, by `Class.method`. */
const APEX: Record<string, unknown> = {
    'RelayConnectionController.getRelayConnection': getRelayConnection,
    'RelayConnectionController.getRelaySession': getRelaySession,
    'RelayOrgKeyController.getOrgKeyStatus': getOrgKeyStatus,
    'RelayOrgKeyController.saveOrgKey': saveOrgKey,
    'RelayOrgKeyController.rotateOrgKey': rotateOrgKey,
    'RelayOrgKeyController.disconnectRelay': disconnectRelay,
    'RetentionController.getRetentionSettings': getRetentionSettings,
    'RetentionController.saveRetentionSettings': saveRetentionSettings,
    'RetentionController.getRetentionJob': getRetentionJob,
    'RetentionController.scheduleRetentionJob': scheduleRetentionJob,
    'RetentionController.unscheduleRetentionJob': unscheduleRetentionJob,
    'RetentionController.runRetentionNow': runRetentionNow,
    'RetentionController.getRetentionRun': getRetentionRun,
    'DataExportController.listExportObjects': listExportObjects,
    'DataExportController.exportPage': exportPage,
    'DataExportController.exportKnowledgeOriginal': exportKnowledgeOriginal,
    'DataExportController.recordExport': recordExport,
    'DataExportController.getOrgId': getOrgId,
    'DataPurgeController.getOrgName': getOrgName,
    'DataPurgeController.purgePage': purgePage,
    'DataPurgeController.recordPurge': recordPurge,
    'UsageController.getUsage': getUsage
};

/** The `Class.method` of every `@salesforce/apex` import in the component's source. */
function apexImportsOfComponent(): string[] {
    const source = readFileSync(join(__dirname, '..', 'trustCenter.ts'), 'utf8');
    return [...source.matchAll(/from '@salesforce\/apex\/([\w.]+)'/g)].map((m) => m[1]!);
}

describe('c-trust-center for a user without the admin permissions', () => {
    afterEach(() => resetDom());

    it('says who the page is for, shows no controls and calls no Apex', async () => {
        const element = createElement('c-trust-center', { is: TrustCenter });
        document.body.appendChild(element);
        await flushPromises();
        const root = element.shadowRoot!;
        expect(root.querySelector('[data-id="not-permitted"]')?.textContent?.trim()).toBe(
            'The trust center is for Resident admins. Ask your Salesforce admin for the Resident Admin permission set.'
        );
        for (const section of ['relay', 'retention', 'export', 'purge', 'usage']) {
            expect(root.querySelector(`[data-id="${section}"]`)).toBeNull();
        }
        expect(root.querySelectorAll('lightning-button')).toHaveLength(0);
        // Every Apex import is mocked here (a new one the test does not know fails this line),
        // and none of them was called.
        expect(Object.keys(APEX).sort()).toEqual(apexImportsOfComponent().sort());
        const called = Object.entries(APEX)
            .filter(([, apex]) => (apex as jest.Mock).mock.calls.length > 0)
            .map(([name]) => name);
        expect(called).toEqual([]);
        // The subprocessor list is public: everyone may read who sees what.
        expect(root.querySelectorAll('[data-subprocessor]')).toHaveLength(2);
        await expect(element).toBeAccessible();
    });
});

import { createElement } from 'lwc';
import TrustCenter from 'c/trustCenter';
import { flushPromises, resetDom } from '@resident/jest-utils';
import getRelayConnection from '@salesforce/apex/RelayConnectionController.getRelayConnection';
import getRetentionSettings from '@salesforce/apex/RetentionController.getRetentionSettings';
import listExportObjects from '@salesforce/apex/DataExportController.listExportObjects';
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
jest.mock(
    '@salesforce/apex/RelayConnectionController.getRelayConnection',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/RetentionController.getRetentionSettings',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/DataExportController.listExportObjects',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
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
        for (const apex of [
            getRelayConnection,
            getRetentionSettings,
            listExportObjects,
            getUsage
        ]) {
            expect(apex).not.toHaveBeenCalled();
        }
        // The subprocessor list is public: everyone may read who sees what.
        expect(root.querySelectorAll('[data-subprocessor]')).toHaveLength(2);
        await expect(element).toBeAccessible();
    });
});

import { createElement } from 'lwc';
import TrustSettingsEditor from 'c/trustSettings';
import getTrustSettings from '@salesforce/apex/TrustSettingsController.getTrustSettings';
import saveTrustSettings from '@salesforce/apex/TrustSettingsController.saveTrustSettings';
import { flushPromises, resetDom } from '@resident/jest-utils';
import type { TrustSettings } from 'c/coworkerContract';

jest.mock(
    '@salesforce/apex/TrustSettingsController.getTrustSettings',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/TrustSettingsController.saveTrustSettings',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustSettings_Saved',
    () => ({ default: 'Saved. Deploying ({0}); takes effect with the next session token.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustSettings_LoadFailed',
    () => ({ default: "Couldn't load the trust settings: {0}" }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustSettings_SaveFailed',
    () => ({ default: "Couldn't save; your changes are still here: {0}" }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustSettings_BadFieldLines',
    () => ({ default: 'Write each field as Object.Field: {0}' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_TrustSettings_NumberRange',
    () => ({ default: 'Enter a whole number from {0} to {1}.' }),
    { virtual: true }
);

const getMock = getTrustSettings as unknown as jest.Mock;
const saveMock = saveTrustSettings as unknown as jest.Mock;

type Input = HTMLElement & {
    value: unknown;
    checked?: boolean;
    disabled?: boolean;
    setCustomValidity(message: string): void;
};

function settings(overrides: Partial<TrustSettings> = {}): TrustSettings {
    return {
        policy: {
            aiEnabled: true,
            masking: {
                emails: true,
                phones: true,
                cards: true,
                ibans: false,
                nationalIds: true,
                custom: [{ name: 'EMPLOYEE_ID', pattern: 'EMP-\\d{6}' }]
            },
            excludedFields: ['Account.AnnualRevenue'],
            maxKnowledgeChunks: 5,
            models: ['claude-sonnet-5-5'],
            zeroRetention: false,
            tokenBudget: { perTask: 200000, perUserPerDay: 1000000 }
        },
        coworkers: [
            { name: 'Default', label: 'Resident', active: true, autoApproveObjects: [] },
            { name: 'Sales', label: 'Sales helper', active: true, autoApproveObjects: [] }
        ],
        canEdit: true,
        ...overrides
    };
}

function mount(): HTMLElement {
    const element = createElement('c-trust-settings', { is: TrustSettingsEditor });
    document.body.appendChild(element);
    return element;
}

function q(element: HTMLElement, selector: string): Input {
    const found = element.shadowRoot!.querySelector<Input>(selector);
    if (!found) throw new Error(`nothing matches ${selector}`);
    return found;
}

function all(element: HTMLElement, selector: string): Input[] {
    return Array.from(element.shadowRoot!.querySelectorAll<Input>(selector));
}

async function type(input: Input, value: string): Promise<void> {
    input.value = value;
    input.dispatchEvent(new CustomEvent('change', { detail: { value } }));
    await flushPromises();
}

async function toggle(input: Input, checked: boolean): Promise<void> {
    input.checked = checked;
    input.dispatchEvent(new CustomEvent('change', { detail: { checked } }));
    await flushPromises();
}

async function save(element: HTMLElement): Promise<void> {
    q(element, '[data-id="save"]').click();
    await flushPromises();
}

function savedChange(): { policy: Record<string, unknown>; autoApprove: Record<string, string[]> } {
    return JSON.parse(saveMock.mock.calls[0][0].settings);
}

describe('c-trust-settings', () => {
    afterEach(() => {
        resetDom();
        jest.clearAllMocks();
    });

    it('shows a spinner while the settings load', async () => {
        getMock.mockReturnValue(new Promise(() => {}));
        const element = mount();
        await flushPromises();
        expect(element.shadowRoot!.querySelector('[data-id="loading"]')).not.toBeNull();
    });

    it("reports Salesforce's message when the settings cannot be read, and tries again", async () => {
        getMock.mockRejectedValueOnce({ body: { message: 'No access to Resident settings' } });
        const element = mount();
        await flushPromises();
        expect(q(element, '[data-id="load-error"]').textContent).toBe(
            "Couldn't load the trust settings: No access to Resident settings"
        );
        getMock.mockResolvedValue(settings());
        q(element, '[data-id="retry"]').click();
        await flushPromises();
        expect(element.shadowRoot!.querySelector('[data-id="load-error"]')).toBeNull();
        expect(q(element, '[data-id="ai-enabled"]').checked).toBe(true);
    });

    it('shows the current policy, one field per setting, with the auto-approval warning', async () => {
        getMock.mockResolvedValue(settings());
        const element = mount();
        await flushPromises();
        expect(q(element, '[data-id="masking"]').value).toEqual([
            'emails',
            'phones',
            'cards',
            'nationalIds'
        ]);
        expect(all(element, '[data-part="name"]').map((i) => i.value)).toEqual(['EMPLOYEE_ID']);
        expect(q(element, '[data-id="excluded-fields"]').value).toBe('Account.AnnualRevenue');
        expect(q(element, '[data-id="max-chunks"]').value).toBe('5');
        expect(q(element, '[data-id="models"]').value).toBe('claude-sonnet-5-5');
        expect(q(element, '[data-id="zero-retention-help"]').textContent).toContain(
            'c.Resident_TrustSettings_ZeroRetentionHelp'
        );
        expect(all(element, '[data-id="auto-approve"]')).toHaveLength(2);
        expect(q(element, '[data-id="auto-approve-warning"]').textContent).toContain(
            'c.Resident_TrustSettings_AutoApproveWarning'
        );
        expect(element.shadowRoot!.querySelector('[data-id="read-only"]')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('is read-only, with no save, for users who may not change it', async () => {
        getMock.mockResolvedValue(settings({ canEdit: false }));
        const element = mount();
        await flushPromises();
        expect(q(element, '[data-id="read-only"]').textContent).toContain(
            'c.Resident_TrustSettings_ReadOnly'
        );
        expect(element.shadowRoot!.querySelector('[data-id="save"]')).toBeNull();
        for (const input of all(element, 'lightning-input, lightning-textarea')) {
            expect(input.disabled).toBe(true);
        }
        expect(q(element, '[data-id="masking"]').disabled).toBe(true);
        await expect(element).toBeAccessible();
    });

    it('saves every edit as one change and says it deploys and applies to the next session token', async () => {
        getMock.mockResolvedValue(settings());
        saveMock.mockResolvedValue({ deploymentId: '0Af000000000001' });
        const element = mount();
        await flushPromises();
        await toggle(q(element, '[data-id="ai-enabled"]'), false);
        await toggle(q(element, '[data-id="zero-retention"]'), true);
        const masking = q(element, '[data-id="masking"]');
        masking.dispatchEvent(new CustomEvent('change', { detail: { value: ['emails'] } }));
        await type(q(element, '[data-id="excluded-fields"]'), 'Account.AnnualRevenue\n*.SSN__c\n');
        await type(q(element, '[data-id="max-chunks"]'), '8');
        await type(q(element, '[data-id="models"]'), 'claude-opus-5\nclaude-sonnet-5-5');
        await type(q(element, '[data-id="budget-task"]'), '50000');
        await type(q(element, '[data-id="budget-user"]'), '400000');
        q(element, '[data-id="add-pattern"]').click();
        await flushPromises();
        await type(all(element, '[data-part="name"]')[1]!, 'CASE_REF');
        await type(all(element, '[data-part="pattern"]')[1]!, 'CR-\\d+');
        await type(all(element, '[data-id="auto-approve"]')[1]!, 'Task\nEvent');
        await save(element);

        expect(savedChange()).toEqual({
            policy: {
                aiEnabled: false,
                masking: {
                    emails: true,
                    phones: false,
                    cards: false,
                    ibans: false,
                    nationalIds: false,
                    custom: [
                        { name: 'EMPLOYEE_ID', pattern: 'EMP-\\d{6}' },
                        { name: 'CASE_REF', pattern: 'CR-\\d+' }
                    ]
                },
                excludedFields: ['Account.AnnualRevenue', '*.SSN__c'],
                maxKnowledgeChunks: 8,
                models: ['claude-opus-5', 'claude-sonnet-5-5'],
                zeroRetention: true,
                tokenBudget: { perTask: 50000, perUserPerDay: 400000 }
            },
            autoApprove: { Default: [], Sales: ['Task', 'Event'] }
        });
        const notice = q(element, '[data-id="notice"]');
        expect(notice.textContent).toBe(
            'Saved. Deploying (0Af000000000001); takes effect with the next session token.'
        );
        expect(notice.getAttribute('role')).toBe('status');
    });

    it('keeps every edit on the form when the save fails, and shows why', async () => {
        getMock.mockResolvedValue(settings());
        saveMock.mockRejectedValue({ body: { message: 'Metadata deploy not allowed' } });
        const element = mount();
        await flushPromises();
        await type(q(element, '[data-id="max-chunks"]'), '12');
        await type(q(element, '[data-id="excluded-fields"]'), 'Contact.Birthdate');
        await save(element);
        const notice = q(element, '[data-id="notice"]');
        expect(notice.textContent).toBe(
            "Couldn't save; your changes are still here: Metadata deploy not allowed"
        );
        expect(notice.getAttribute('role')).toBe('alert');
        expect(q(element, '[data-id="max-chunks"]').value).toBe('12');
        expect(q(element, '[data-id="excluded-fields"]').value).toBe('Contact.Birthdate');
        expect(getMock).toHaveBeenCalledTimes(1);
        // Saving again sends the same edits.
        saveMock.mockResolvedValue({ deploymentId: '0Af2' });
        await save(element);
        expect(JSON.parse(saveMock.mock.calls[1][0].settings).policy.maxKnowledgeChunks).toBe(12);
    });

    it('refuses an invalid custom pattern, showing the error at the pattern field', async () => {
        getMock.mockResolvedValue(settings());
        const element = mount();
        await flushPromises();
        q(element, '[data-id="add-pattern"]').click();
        await flushPromises();
        await type(all(element, '[data-part="name"]')[1]!, 'ORDER');
        const patternInput = all(element, '[data-part="pattern"]')[1]!;
        await type(patternInput, '([A-Z');
        const nameInput = all(element, '[data-part="name"]')[1]!;
        const patternValidity = jest.spyOn(patternInput, 'setCustomValidity');
        const nameValidity = jest.spyOn(nameInput, 'setCustomValidity');
        await save(element);
        expect(saveMock).not.toHaveBeenCalled();
        expect(patternValidity).toHaveBeenCalledWith(
            expect.stringContaining('not a valid regular expression')
        );
        expect(nameValidity).toHaveBeenCalledWith('');
        expect(q(element, '[data-id="errors"]').textContent).toContain('ORDER');
        expect(q(element, '[data-id="notice"]').textContent).toBe(
            'c.Resident_TrustSettings_FixErrors'
        );
        // The bad pattern is still there to fix.
        expect(all(element, '[data-part="pattern"]')[1]!.value).toBe('([A-Z');
        await expect(element).toBeAccessible();
    });

    it('puts a bad pattern name at the name field', async () => {
        getMock.mockResolvedValue(settings());
        const element = mount();
        await flushPromises();
        const nameInput = all(element, '[data-part="name"]')[0]!;
        await type(nameInput, '1 bad name');
        const nameValidity = jest.spyOn(nameInput, 'setCustomValidity');
        await save(element);
        expect(saveMock).not.toHaveBeenCalled();
        expect(nameValidity).toHaveBeenCalledWith(expect.stringContaining('is not a valid name'));
    });

    it.each([
        [
            'excluded-fields',
            'Account.AnnualRevenue\nAnnualRevenue',
            'Write each field as Object.Field: AnnualRevenue'
        ],
        ['max-chunks', '21', 'Enter a whole number from 1 to 20.'],
        ['max-chunks', '0', 'Enter a whole number from 1 to 20.'],
        ['models', '', 'c.Resident_TrustSettings_NoModel'],
        ['budget-user', '1000', 'c.Resident_TrustSettings_BudgetOrder'],
        ['auto-approve', 'Account; DROP', 'c.Resident_TrustSettings_BadObjects']
    ])('refuses %s = %p with a clear error', async (field, value, message) => {
        getMock.mockResolvedValue(settings());
        const element = mount();
        await flushPromises();
        await type(q(element, `[data-id="${field}"]`), value);
        await save(element);
        expect(saveMock).not.toHaveBeenCalled();
        expect(q(element, '[data-id="errors"]').textContent).toBe(message);
    });

    it('discards unsaved edits back to the loaded settings', async () => {
        getMock.mockResolvedValue(settings());
        const element = mount();
        await flushPromises();
        await type(q(element, '[data-id="max-chunks"]'), '99');
        await save(element);
        q(element, '[data-id="discard"]').click();
        await flushPromises();
        expect(q(element, '[data-id="max-chunks"]').value).toBe('5');
        expect(element.shadowRoot!.querySelector('[data-id="errors"]')).toBeNull();
    });
});

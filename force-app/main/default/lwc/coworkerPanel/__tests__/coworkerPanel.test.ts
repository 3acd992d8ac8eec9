import { createElement } from 'lwc';
import CoworkerPanel from 'c/coworkerPanel';
import getRelayConnection from '@salesforce/apex/RelayConnectionController.getRelayConnection';
import { flushPromises, jsonResponse, resetDom } from '@resident/jest-utils';

jest.mock(
    '@salesforce/apex/RelayConnectionController.getRelayConnection',
    () => ({ default: jest.fn() }),
    { virtual: true }
);

const getRelayConnectionMock = getRelayConnection as unknown as jest.Mock;
const RELAY_URL = 'https://relay.resident.example';
/** What `RelayConnectionController.getRelayConnection` answers in each org set-up. */
const CONNECTED = { relayUrl: RELAY_URL, keyConfigured: true };
const NO_KEY = { relayUrl: RELAY_URL, keyConfigured: false };
const NO_RELAY = { relayUrl: null, keyConfigured: false };

function health(llm: Record<string, unknown> = { configured: true, upstream: 'anthropic' }) {
    return { status: 'ok', service: 'resident-relay', version: '0.1.0', llm };
}

function mountPanel(props: Record<string, unknown> = {}): HTMLElement {
    const element = createElement('c-coworker-panel', { is: CoworkerPanel });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

function query(element: HTMLElement, dataId: string): HTMLElement | null {
    return element.shadowRoot!.querySelector(`[data-id="${dataId}"]`);
}

function statusText(element: HTMLElement): string | undefined {
    return query(element, 'relay-status-text')?.textContent ?? undefined;
}

describe('c-coworker-panel', () => {
    let fetchMock: jest.Mock;

    beforeEach(() => {
        fetchMock = jest.fn();
        (globalThis as unknown as { fetch: jest.Mock }).fetch = fetchMock;
    });

    afterEach(() => {
        resetDom();
        jest.clearAllMocks();
    });

    it('says it is checking until the relay answers', async () => {
        getRelayConnectionMock.mockResolvedValue(CONNECTED);
        fetchMock.mockReturnValue(new Promise(() => {}));
        const element = mountPanel();
        await flushPromises();
        expect(statusText(element)).toBe('c.Resident_RelayStatus_Checking');
        expect(element.shadowRoot!.querySelector('lightning-spinner')).not.toBeNull();
    });

    it('shows the relay as connected, asking the URL the org configured', async () => {
        getRelayConnectionMock.mockResolvedValue(CONNECTED);
        fetchMock.mockResolvedValue(jsonResponse(200, health()));
        const element = mountPanel();
        await flushPromises();
        expect(fetchMock).toHaveBeenCalledWith(`${RELAY_URL}/healthz`, expect.any(Object));
        expect(statusText(element)).toBe('c.Resident_RelayStatus_Connected');
        expect(query(element, 'check-again')).toBeNull();
        expect(query(element, 'model-notice')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('names a custom model upstream plainly, so users know who answers', async () => {
        getRelayConnectionMock.mockResolvedValue(CONNECTED);
        fetchMock.mockResolvedValue(
            jsonResponse(
                200,
                health({ configured: true, upstream: 'custom', upstreamLabel: 'Acme AI gateway' })
            )
        );
        const element = mountPanel();
        await flushPromises();
        // Labels are keys in jest; the `{0}` placeholder shows the label was formatted with the name.
        expect(query(element, 'model-notice')?.textContent).toBe('c.Resident_Model_CustomUpstream');
    });

    it('warns when the relay has no model key configured', async () => {
        getRelayConnectionMock.mockResolvedValue(CONNECTED);
        fetchMock.mockResolvedValue(
            jsonResponse(200, health({ configured: false, upstream: 'anthropic' }))
        );
        const element = mountPanel();
        await flushPromises();
        expect(query(element, 'model-notice')?.textContent).toBe('c.Resident_Model_NotConfigured');
    });

    it('says the relay cannot be reached, with the detail, and checks again on request', async () => {
        getRelayConnectionMock.mockResolvedValue(CONNECTED);
        fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
        const element = mountPanel();
        await flushPromises();
        expect(statusText(element)).toBe('c.Resident_RelayStatus_Unreachable');
        expect(query(element, 'relay-status-detail')).not.toBeNull();
        await expect(element).toBeAccessible();

        fetchMock.mockResolvedValueOnce(jsonResponse(200, health()));
        query(element, 'check-again')!.click();
        await flushPromises();
        expect(fetchMock).toHaveBeenCalledTimes(2);
        expect(statusText(element)).toBe('c.Resident_RelayStatus_Connected');
    });

    it('says the org has no relay yet, without calling anything', async () => {
        getRelayConnectionMock.mockResolvedValue(NO_RELAY);
        const element = mountPanel();
        await flushPromises();
        expect(statusText(element)).toBe('c.Resident_RelayStatus_NotConfigured');
        expect(fetchMock).not.toHaveBeenCalled();
        expect(query(element, 'check-again')).not.toBeNull();
        await expect(element).toBeAccessible();
    });

    it('says the org is not connected yet when no org key is stored, and that the relay answers', async () => {
        getRelayConnectionMock.mockResolvedValue(NO_KEY);
        fetchMock.mockResolvedValue(
            jsonResponse(200, health({ configured: false, upstream: 'anthropic' }))
        );
        const element = mountPanel();
        await flushPromises();
        expect(statusText(element)).toBe('c.Resident_RelayStatus_NotConnected');
        expect(query(element, 'relay-status-detail')?.textContent).toBe(
            'c.Resident_RelayStatus_RelayAnswers'
        );
        // Nobody can ask the coworker yet, so the model notice would only distract.
        expect(query(element, 'model-notice')).toBeNull();
        expect(query(element, 'check-again')).not.toBeNull();
        const icon = element.shadowRoot!.querySelector('lightning-icon') as HTMLElement & {
            iconName: string;
        };
        expect(icon.iconName).toBe('utility:warning');
        await expect(element).toBeAccessible();
    });

    it('says the org is not connected, and that the relay cannot be reached either', async () => {
        getRelayConnectionMock.mockResolvedValue(NO_KEY);
        fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
        const element = mountPanel();
        await flushPromises();
        expect(statusText(element)).toBe('c.Resident_RelayStatus_NotConnected');
        expect(query(element, 'relay-status-detail')?.textContent).toBe(
            'c.Resident_RelayStatus_AlsoUnreachable'
        );
        await expect(element).toBeAccessible();
    });

    it('treats an answer without keyConfigured as not connected, never as connected', async () => {
        getRelayConnectionMock.mockResolvedValue({ relayUrl: RELAY_URL });
        fetchMock.mockResolvedValue(jsonResponse(200, health()));
        const element = mountPanel();
        await flushPromises();
        expect(statusText(element)).toBe('c.Resident_RelayStatus_NotConnected');
    });

    it('shows the org as connected once an admin has entered the key and the user checks again', async () => {
        getRelayConnectionMock.mockResolvedValueOnce(NO_KEY).mockResolvedValueOnce(CONNECTED);
        fetchMock.mockResolvedValue(jsonResponse(200, health()));
        const element = mountPanel();
        await flushPromises();
        expect(statusText(element)).toBe('c.Resident_RelayStatus_NotConnected');

        query(element, 'check-again')!.click();
        await flushPromises();
        expect(getRelayConnectionMock).toHaveBeenCalledTimes(2);
        expect(statusText(element)).toBe('c.Resident_RelayStatus_Connected');
        expect(query(element, 'relay-status-detail')).toBeNull();
    });

    it('reports an Apex failure (e.g. no permission set) and never calls the relay', async () => {
        getRelayConnectionMock.mockRejectedValue({
            body: { message: 'You do not have access to the Apex class' }
        });
        const element = mountPanel();
        await flushPromises();
        expect(statusText(element)).toBe('c.Resident_RelayStatus_SettingsFailed');
        expect(fetchMock).not.toHaveBeenCalled();
        await expect(element).toBeAccessible();
    });

    it('tells the user which record it works on, on a record page only', async () => {
        getRelayConnectionMock.mockResolvedValue(CONNECTED);
        fetchMock.mockResolvedValue(jsonResponse(200, health()));
        const onRecord = mountPanel({ recordId: '001000000000001AAA', objectApiName: 'Account' });
        const onHome = mountPanel();
        await flushPromises();
        expect(query(onRecord, 'record-context')).not.toBeNull();
        expect(query(onHome, 'record-context')).toBeNull();
    });

    it('shows the coworker name an admin chose in Lightning App Builder', async () => {
        getRelayConnectionMock.mockResolvedValue(CONNECTED);
        fetchMock.mockResolvedValue(jsonResponse(200, health()));
        const element = mountPanel({ coworkerName: 'Sales_Assistant' });
        await flushPromises();
        const card = element.shadowRoot!.querySelector('lightning-card') as HTMLElement & {
            title: string;
        };
        expect(card.title).toBe('c.Resident_CoworkerPanel_Title: Sales_Assistant');
    });

    it.each([
        [undefined, '480px'],
        [100, '240px'],
        [5000, '1200px'],
        ['640', '640px'],
        ['tall', '480px']
    ])('keeps the height an admin sets (%p) within bounds: %s', async (height, expected) => {
        getRelayConnectionMock.mockResolvedValue(NO_RELAY);
        const element = mountPanel({ height });
        await flushPromises();
        const body = element.shadowRoot!.querySelector('lightning-card > div') as HTMLElement;
        expect(body.style.height).toBe(expected);
    });
});

import { LightningElement, api } from 'lwc';
import getRelayConnection from '@salesforce/apex/RelayConnectionController.getRelayConnection';
import { checkRelayHealth } from 'c/relayClient';
import type { RelayStatus } from 'c/relayClient';

import titleLabel from '@salesforce/label/c.Resident_CoworkerPanel_Title';
import checkingLabel from '@salesforce/label/c.Resident_RelayStatus_Checking';
import connectedLabel from '@salesforce/label/c.Resident_RelayStatus_Connected';
import unreachableLabel from '@salesforce/label/c.Resident_RelayStatus_Unreachable';
import notConfiguredLabel from '@salesforce/label/c.Resident_RelayStatus_NotConfigured';
import notConnectedLabel from '@salesforce/label/c.Resident_RelayStatus_NotConnected';
import relayAnswersLabel from '@salesforce/label/c.Resident_RelayStatus_RelayAnswers';
import alsoUnreachableLabel from '@salesforce/label/c.Resident_RelayStatus_AlsoUnreachable';
import settingsFailedLabel from '@salesforce/label/c.Resident_RelayStatus_SettingsFailed';
import detailLabel from '@salesforce/label/c.Resident_RelayStatus_Detail';
import modelMissingLabel from '@salesforce/label/c.Resident_Model_NotConfigured';
import modelCustomLabel from '@salesforce/label/c.Resident_Model_CustomUpstream';
import retryLabel from '@salesforce/label/c.Resident_Action_CheckAgain';
import recordContextLabel from '@salesforce/label/c.Resident_CoworkerPanel_RecordContext';

/** Bounds of the height an admin may set in Lightning App Builder, in pixels. */
export const MIN_HEIGHT = 240;
export const MAX_HEIGHT = 1200;
export const DEFAULT_HEIGHT = 480;

type PanelState =
    | 'checking'
    | 'connected'
    | 'unreachable'
    | 'not_configured'
    /** The relay is configured but the org key is not stored: no session can be minted yet. */
    | 'not_connected'
    | 'settings_failed';

/** What `RelayConnectionController.getRelayConnection` answers. */
interface RelayConnection {
    relayUrl: string | null;
    keyConfigured: boolean;
}

/** Fills `{0}`, `{1}`... in a Custom Label, the way Salesforce's own format helpers do. */
function formatLabel(label: string, ...values: string[]): string {
    return label.replace(/\{(\d+)\}/g, (match, index: string) => values[Number(index)] ?? match);
}

/** The readable message of an Apex or LDS error, never an object dump. */
function errorMessage(error: unknown): string {
    const body = (error as { body?: { message?: string } | { message?: string }[] })?.body;
    if (Array.isArray(body)) {
        return body
            .map((e) => e.message)
            .filter(Boolean)
            .join(', ');
    }
    if (body && typeof body.message === 'string') {
        return body.message;
    }
    if (error instanceof Error) {
        return error.message;
    }
    return String(error);
}

/**
 * The AI coworker's panel on record, app and home pages. This first slice shows whether the
 * Resident relay can be reached and who answers for the model; the chat grows from here.
 */
export default class CoworkerPanel extends LightningElement {
    /** Set by the platform on a record page: the record the coworker works on. */
    @api recordId?: string;
    @api objectApiName?: string;
    /** Design attribute: which coworker (an admin-defined role) this panel talks to. */
    @api coworkerName?: string;
    /** Design attribute: the panel's height in pixels. */
    @api height?: number | string;

    state: PanelState = 'checking';
    status?: RelayStatus;
    settingsError?: string;

    labels = { title: titleLabel, retry: retryLabel, checking: checkingLabel };

    // `override` is kept on lifecycle hooks so tsc flags any accidental override of a platform member.
    override connectedCallback(): void {
        this.checkRelay();
    }

    /**
     * Reads the relay's address and whether the org key is stored (Apex, user mode), then asks the
     * relay if it is up. Without a key the relay is still checked: an admin fixing the connection
     * learns in one look whether the relay itself answers.
     */
    async checkRelay(): Promise<void> {
        this.state = 'checking';
        this.status = undefined;
        this.settingsError = undefined;
        let connection: Partial<RelayConnection>;
        try {
            connection = ((await getRelayConnection()) ?? {}) as Partial<RelayConnection>;
        } catch (error) {
            this.settingsError = errorMessage(error);
            this.state = 'settings_failed';
            return;
        }
        const status = await checkRelayHealth(connection.relayUrl);
        this.status = status;
        // Anything but an explicit `true` is not connected: no key, no session, no answers.
        this.state =
            status.state !== 'not_configured' && connection.keyConfigured !== true
                ? 'not_connected'
                : status.state;
    }

    handleCheckAgain(): void {
        this.checkRelay();
    }

    get cardTitle(): string {
        return this.coworkerName ? `${titleLabel}: ${this.coworkerName}` : titleLabel;
    }

    get isChecking(): boolean {
        return this.state === 'checking';
    }

    get canCheckAgain(): boolean {
        return this.state !== 'checking' && this.state !== 'connected';
    }

    get statusText(): string {
        switch (this.state) {
            case 'checking':
                return checkingLabel;
            case 'connected':
                return connectedLabel;
            case 'not_configured':
                return notConfiguredLabel;
            case 'not_connected':
                return notConnectedLabel;
            case 'settings_failed':
                return formatLabel(settingsFailedLabel, this.settingsError ?? '');
            default:
                return unreachableLabel;
        }
    }

    /** Technical detail for an admin, shown under the user-facing message. */
    get statusDetail(): string | undefined {
        if (this.state === 'not_connected') {
            if (this.status?.state === 'connected') {
                return relayAnswersLabel;
            }
            if (this.status?.state === 'unreachable') {
                return formatLabel(alsoUnreachableLabel, this.status.detail);
            }
            return undefined;
        }
        if (this.status?.state === 'unreachable') {
            return formatLabel(detailLabel, this.status.detail);
        }
        return undefined;
    }

    get statusIcon(): string {
        if (this.state === 'connected') return 'utility:success';
        if (this.state === 'checking') return 'utility:sync';
        return 'utility:warning';
    }

    get statusVariant(): string {
        return this.state === 'connected' ? 'success' : this.state === 'checking' ? '' : 'warning';
    }

    /** Says plainly who answers: nobody (no key), Anthropic, or a named custom upstream. */
    get modelNotice(): string | undefined {
        // Until the org is connected, who answers is beside the point: nobody can ask yet.
        if (this.state !== 'connected' || this.status?.state !== 'connected') {
            return undefined;
        }
        const llm = this.status.health.llm;
        if (!llm.configured) {
            return modelMissingLabel;
        }
        if (llm.upstream === 'custom') {
            return formatLabel(modelCustomLabel, llm.upstreamLabel ?? 'custom endpoint');
        }
        return undefined;
    }

    get recordContext(): string | undefined {
        return this.recordId
            ? formatLabel(recordContextLabel, this.objectApiName ?? '')
            : undefined;
    }

    get bodyStyle(): string {
        const requested = Number(this.height);
        const height =
            Number.isFinite(requested) && requested > 0
                ? Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.round(requested)))
                : DEFAULT_HEIGHT;
        return `height: ${height}px; overflow-y: auto;`;
    }
}

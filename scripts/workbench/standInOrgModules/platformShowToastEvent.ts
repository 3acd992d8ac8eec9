/**
 * `lightning/platformShowToastEvent`: the event components dispatch to show a toast. On the
 * platform the Lightning container shows it; in the workbench the page listens for it (main.ts).
 */
export interface ShowToastDetail {
    title?: string;
    message?: string;
    variant?: 'info' | 'success' | 'warning' | 'error';
    mode?: 'dismissible' | 'pester' | 'sticky';
    messageData?: unknown[];
}

export const SHOW_TOAST_EVENT = 'lightning__showtoast';

export class ShowToastEvent extends CustomEvent<ShowToastDetail> {
    constructor(detail: ShowToastDetail) {
        super(SHOW_TOAST_EVENT, { detail, bubbles: true, composed: true });
    }
}

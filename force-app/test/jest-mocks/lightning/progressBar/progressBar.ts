// sfdx-lwc-jest's stub of lightning-progress-bar lacks the real component's `ariaLabel` property,
// so an `aria-label` set on it would land on the host as an attribute (an axe violation the real
// component, which takes the name onto its inner role="progressbar", does not have).
import { LightningElement, api } from 'lwc';

export default class ProgressBar extends LightningElement {
    @api value?: number;
    @api size?: string;
    @api variant?: string;
    @api override ariaLabel: string | null = null;
}

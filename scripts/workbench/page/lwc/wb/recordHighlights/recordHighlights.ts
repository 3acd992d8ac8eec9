import { LightningElement, api, wire } from 'lwc';
import { getRecord, getFieldDisplayValue, getFieldValue } from 'lightning/uiRecordApi';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import type { UiRecord } from '../../../../standInOrgModules/uiRecordApi';
import type { ObjectInfo } from '../../../../standInOrgModules/uiObjectInfoApi';

/** The highlights panel's compact fields, as an Account's default compact layout shows them. */
const HIGHLIGHT_FIELDS = ['Type', 'Industry', 'Phone', 'Website', 'AnnualRevenue', 'OwnerId'];

interface HighlightField {
    apiName: string;
    label: string;
    value: string;
}

/** Workbench-only: the record page's highlights panel (icon, name, compact fields). */
export default class RecordHighlights extends LightningElement {
    @api recordId?: string;
    @api objectApiName?: string;

    record?: UiRecord;
    objectInfo?: ObjectInfo;
    error?: string;

    @wire(getRecord, { recordId: '$recordId', optionalFields: '$optionalFields' })
    wiredRecord({ data, error }: { data?: UiRecord; error?: unknown }): void {
        this.record = data;
        this.error = error ? describeError(error) : undefined;
    }

    @wire(getObjectInfo, { objectApiName: '$objectApiName' })
    wiredObjectInfo({ data }: { data?: ObjectInfo }): void {
        this.objectInfo = data;
    }

    get optionalFields(): string[] {
        const object = this.objectApiName ?? 'Account';
        return [
            `${object}.Name`,
            `${object}.Owner.Name`,
            ...HIGHLIGHT_FIELDS.map((f) => `${object}.${f}`)
        ];
    }

    get iconName(): string {
        return `standard:${(this.objectApiName ?? 'account').toLowerCase()}`;
    }

    get objectLabel(): string {
        return this.objectInfo?.label ?? this.objectApiName ?? '';
    }

    get name(): string {
        return String(getFieldValue(this.record, `${this.objectApiName}.Name`) ?? '');
    }

    /** Only fields the user may read (object-info omits the others) and the record carries. */
    get fields(): HighlightField[] {
        const record = this.record;
        const info = this.objectInfo;
        if (!record || !info) {
            return [];
        }
        return HIGHLIGHT_FIELDS.filter((apiName) => info.fields[apiName]).map((apiName) => {
            const isOwner = apiName === 'OwnerId';
            const path = `${this.objectApiName}.${isOwner ? 'Owner.Name' : apiName}`;
            const shown = getFieldDisplayValue(record, path) ?? getFieldValue(record, path);
            return {
                apiName,
                label: isOwner ? 'Account Owner' : (info.fields[apiName]?.label ?? apiName),
                value: shown === null || shown === undefined ? '' : String(shown)
            };
        });
    }
}

function describeError(error: unknown): string {
    const body = (error as { body?: unknown }).body;
    const first = Array.isArray(body) ? (body[0] as { message?: string }) : undefined;
    return first?.message ?? (body as { message?: string })?.message ?? String(error);
}

import { LightningElement, api, wire } from 'lwc';
import { getRecord, getFieldDisplayValue, getFieldValue } from 'lightning/uiRecordApi';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import type { UiRecord } from '../../../../standInOrgModules/uiRecordApi';
import type { ObjectInfo } from '../../../../standInOrgModules/uiObjectInfoApi';

/** The Details tab's fields, in the order of a default Account layout. */
const DETAIL_FIELDS = [
    'Name',
    'OwnerId',
    'Type',
    'Industry',
    'Rating',
    'AnnualRevenue',
    'NumberOfEmployees',
    'Phone',
    'Website',
    'BillingCity',
    'BillingCountry',
    'Description'
];

interface DetailField {
    apiName: string;
    label: string;
    value: string;
}

/** Workbench-only: the record page's tabs: Related (the related lists) and Details (the fields). */
export default class RecordTabs extends LightningElement {
    @api recordId?: string;
    @api objectApiName?: string;

    record?: UiRecord;
    objectInfo?: ObjectInfo;

    @wire(getRecord, { recordId: '$recordId', optionalFields: '$optionalFields' })
    wiredRecord({ data }: { data?: UiRecord }): void {
        this.record = data;
    }

    @wire(getObjectInfo, { objectApiName: '$objectApiName' })
    wiredObjectInfo({ data }: { data?: ObjectInfo }): void {
        this.objectInfo = data;
    }

    get optionalFields(): string[] {
        return [
            ...DETAIL_FIELDS.map((f) => `${this.objectApiName}.${f}`),
            `${this.objectApiName}.Owner.Name`
        ];
    }

    get detailFields(): DetailField[] {
        const record = this.record;
        const info = this.objectInfo;
        if (!record || !info) {
            return [];
        }
        return DETAIL_FIELDS.filter((apiName) => info.fields[apiName]).map((apiName) => {
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

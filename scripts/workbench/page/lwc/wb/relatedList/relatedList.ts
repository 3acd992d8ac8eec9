import { LightningElement, api, wire } from 'lwc';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import type { RelatedListRecords } from '../../../../standInOrgModules/uiRelatedListApi';
import type { ObjectInfo } from '../../../../standInOrgModules/uiObjectInfoApi';

interface ListColumn {
    fieldName: string;
    type: 'text' | 'email' | 'phone' | 'currency' | 'date-local';
}

/** What each related list shows, like the default related list layouts of an Account page. */
const LISTS: Record<string, { objectApiName: string; icon: string; columns: ListColumn[] }> = {
    Contacts: {
        objectApiName: 'Contact',
        icon: 'standard:contact',
        columns: [
            { fieldName: 'Name', type: 'text' },
            { fieldName: 'Title', type: 'text' },
            { fieldName: 'Email', type: 'email' },
            { fieldName: 'Phone', type: 'phone' }
        ]
    },
    Opportunities: {
        objectApiName: 'Opportunity',
        icon: 'standard:opportunity',
        columns: [
            { fieldName: 'Name', type: 'text' },
            { fieldName: 'StageName', type: 'text' },
            { fieldName: 'Amount', type: 'currency' },
            { fieldName: 'CloseDate', type: 'date-local' }
        ]
    },
    Cases: {
        objectApiName: 'Case',
        icon: 'standard:case',
        columns: [
            { fieldName: 'CaseNumber', type: 'text' },
            { fieldName: 'Subject', type: 'text' },
            { fieldName: 'Status', type: 'text' },
            { fieldName: 'Priority', type: 'text' }
        ]
    }
};

/** Workbench-only: one related list card (title with count, a datatable of the visible children). */
export default class RelatedList extends LightningElement {
    @api parentRecordId?: string;
    @api relatedListId?: string;

    result?: RelatedListRecords;
    objectInfo?: ObjectInfo;
    error?: string;

    @wire(getObjectInfo, { objectApiName: '$childObjectApiName' })
    wiredObjectInfo({ data }: { data?: ObjectInfo }): void {
        this.objectInfo = data;
    }

    @wire(getRelatedListRecords, {
        parentRecordId: '$parentRecordId',
        relatedListId: '$relatedListId',
        optionalFields: '$optionalFields',
        sortBy: '$sortBy'
    })
    wiredRecords({ data, error }: { data?: RelatedListRecords; error?: unknown }): void {
        this.result = data;
        this.error = error ? 'This list could not be loaded.' : undefined;
    }

    get definition() {
        return LISTS[this.relatedListId ?? ''];
    }

    get childObjectApiName(): string | undefined {
        return this.definition?.objectApiName;
    }

    get optionalFields(): string[] {
        const definition = this.definition;
        return definition
            ? definition.columns.map((c) => `${definition.objectApiName}.${c.fieldName}`)
            : [];
    }

    get sortBy(): string[] {
        const first = this.definition?.columns[0]?.fieldName;
        return first ? [first] : [];
    }

    get iconName(): string {
        return this.definition?.icon ?? 'standard:related_list';
    }

    get count(): number {
        return this.result?.count ?? 0;
    }

    get cardTitle(): string {
        const label = this.objectInfo?.labelPlural ?? this.relatedListId ?? '';
        return this.result ? `${label} (${this.count})` : label;
    }

    /** Columns for the fields the user may read; the others are not shown at all. */
    get columns() {
        const info = this.objectInfo;
        if (!info || !this.definition) {
            return [];
        }
        return this.definition.columns
            .filter((c) => info.fields[c.fieldName])
            .map((c) => ({
                label: info.fields[c.fieldName]?.label ?? c.fieldName,
                fieldName: c.fieldName,
                type: c.type,
                ...(c.type === 'currency' ? { typeAttributes: { currencyCode: 'USD' } } : {})
            }));
    }

    get rows(): Record<string, unknown>[] {
        return (this.result?.records ?? []).map((record) => {
            const row: Record<string, unknown> = { Id: record.id };
            for (const [name, field] of Object.entries(record.fields)) {
                row[name] = field.value;
            }
            return row;
        });
    }

    get hasRows(): boolean {
        return this.count > 0 && this.columns.length > 0;
    }
}

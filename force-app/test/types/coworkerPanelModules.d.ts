// Types for the lightning/* modules the coworker panel uses. The platform provides them; jest maps
// them to sfdx-lwc-jest's stubs; the workbench aliases them to the stand-in org. Only what the
// panel calls. (Branch i4-pages declares `lightning/uiRecordApi` too: at merge, keep one
// `getRecord` and add `createRecord` to it.)

declare module 'lightning/uiRecordApi' {
    import type { WireAdapterConstructor } from 'lwc';

    export interface RecordFieldValue {
        value: unknown;
        displayValue?: string | null;
    }
    export interface RecordRepresentation {
        id: string;
        apiName: string;
        fields: Record<string, RecordFieldValue>;
    }
    export const getRecord: WireAdapterConstructor;
    export function updateRecord(recordInput: {
        fields: Record<string, unknown>;
    }): Promise<RecordRepresentation>;
    export function createRecord(recordInput: {
        apiName: string;
        fields: Record<string, unknown>;
    }): Promise<RecordRepresentation>;
}

declare module 'lightning/uiObjectInfoApi' {
    import type { WireAdapterConstructor } from 'lwc';

    export const getObjectInfo: WireAdapterConstructor;
}

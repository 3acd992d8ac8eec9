// Types for the lightning/* modules the components use. The platform provides them; jest maps them
// to sfdx-lwc-jest's stubs; the workbench aliases them to the stand-in org. Only what components call.

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
    export function updateRecord(
        recordInput: { fields: Record<string, unknown> },
        clientOptions?: { ifUnmodifiedSince?: string }
    ): Promise<RecordRepresentation>;
    export function createRecord(recordInput: {
        apiName: string;
        fields: Record<string, unknown>;
    }): Promise<RecordRepresentation>;
    export function deleteRecord(recordId: string): Promise<void>;
    export function notifyRecordUpdateAvailable(items: { recordId: string }[]): Promise<void>;
}

declare module 'lightning/navigation' {
    export interface PageReference {
        type: string;
        attributes: Record<string, unknown>;
        state?: Record<string, unknown>;
    }
    export interface NavigationMembers {
        [NavigationMixin.Navigate](pageReference: PageReference, replace?: boolean): void;
        [NavigationMixin.GenerateUrl](pageReference: PageReference): Promise<string>;
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    export function NavigationMixin<T extends new (...args: any[]) => object>(
        base: T
    ): (new (...args: ConstructorParameters<T>) => InstanceType<T> & NavigationMembers) &
        Omit<T, 'prototype'>;
    export namespace NavigationMixin {
        const Navigate: unique symbol;
        const GenerateUrl: unique symbol;
    }
}

declare module 'lightning/confirm' {
    export default class LightningConfirm {
        static open(options: {
            message: string;
            label: string;
            variant?: 'header' | 'headerless';
            theme?: string;
        }): Promise<boolean>;
    }
}

declare module 'lightning/platformResourceLoader' {
    export function loadScript(host: object, url: string): Promise<void>;
}

declare module '@salesforce/resourceUrl/*' {
    const url: string;
    export default url;
}

declare module 'lightning/uiObjectInfoApi' {
    import type { WireAdapterConstructor } from 'lwc';

    export const getObjectInfo: WireAdapterConstructor;
    export const getObjectInfos: WireAdapterConstructor;
}

declare module 'lightning/messageService' {
    import type { WireAdapterConstructor } from 'lwc';

    export interface MessageContextType {
        readonly __messageContext?: never;
    }
    export interface Subscription {
        readonly __subscription?: never;
    }
    export const MessageContext: WireAdapterConstructor;
    export const APPLICATION_SCOPE: symbol;
    export function publish(
        context: MessageContextType | undefined,
        channel: unknown,
        message?: Record<string, unknown>
    ): void;
    export function subscribe(
        context: MessageContextType | undefined,
        channel: unknown,
        listener: (message: Record<string, unknown>) => void,
        options?: { scope?: symbol }
    ): Subscription;
    export function unsubscribe(subscription: Subscription): void;
}

declare module '@salesforce/messageChannel/*' {
    const channel: unknown;
    export default channel;
}

declare module 'lightning/platformShowToastEvent' {
    export class ShowToastEvent extends CustomEvent<unknown> {
        constructor(detail: {
            title: string;
            message?: string;
            variant?: 'info' | 'success' | 'warning' | 'error';
            mode?: 'dismissible' | 'pester' | 'sticky';
        });
    }
}

declare module 'lightning/uiListsApi' {
    import type { WireAdapterConstructor } from 'lwc';

    export const getListInfosByObjectName: WireAdapterConstructor;
    export const getListRecordsByName: WireAdapterConstructor;
}

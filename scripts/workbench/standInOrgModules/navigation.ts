/**
 * `lightning/navigation` for the workbench: `NavigationMixin` (Navigate, GenerateUrl) and the
 * `CurrentPageReference` wire adapter, over the workbench's own URLs. The platform resolves page
 * references inside Lightning Experience; here a record page is `/lightning/r/<Object>/<id>/view`,
 * a tab `/lightning/n/<apiName>` and Home `/lightning/page/home`, keeping `?user=`. Page
 * references the workbench has no page for resolve to nothing and navigate nowhere (logged).
 */
export interface PageReference {
    type: string;
    attributes?: Record<string, unknown>;
    state?: Record<string, unknown>;
}

const NAVIGATE = Symbol('Navigate');
const GENERATE_URL = Symbol('GenerateUrl');

/** The workbench URL of a page reference, or `null` when the workbench has no such page. */
export function workbenchUrlOf(pageRef: PageReference): string | null {
    const attributes = pageRef.attributes ?? {};
    let path: string | null = null;
    if (pageRef.type === 'standard__recordPage' && typeof attributes.recordId === 'string') {
        const objectApiName =
            typeof attributes.objectApiName === 'string' ? attributes.objectApiName : 'sObject';
        path = `/lightning/r/${objectApiName}/${attributes.recordId}/view`;
    } else if (pageRef.type === 'standard__navItemPage' && typeof attributes.apiName === 'string') {
        path = `/lightning/n/${attributes.apiName}`;
    } else if (pageRef.type === 'standard__namedPage' && attributes.pageName === 'home') {
        path = '/lightning/page/home';
    } else if (pageRef.type === 'standard__webPage' && typeof attributes.url === 'string') {
        return attributes.url;
    }
    if (path === null) return null;
    const user = new URLSearchParams(window.location.search).get('user');
    return user ? `${path}?user=${encodeURIComponent(user)}` : path;
}

// A mixin's constructor takes whatever its base takes; TypeScript requires `any[]` for that.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Constructor = new (...args: any[]) => object;

function mixin<T extends Constructor>(Base: T) {
    return class extends Base {
        [NAVIGATE](pageRef: PageReference, replace?: boolean): void {
            const url = workbenchUrlOf(pageRef);
            if (url === null) {
                console.warn('Workbench: no page for this page reference', pageRef);
                return;
            }
            if (replace) window.location.replace(url);
            else window.location.assign(url);
        }

        [GENERATE_URL](pageRef: PageReference): Promise<string> {
            const url = workbenchUrlOf(pageRef);
            return url === null
                ? Promise.reject(new Error(`No workbench page for ${pageRef.type}`))
                : Promise.resolve(url);
        }
    };
}

export const NavigationMixin = Object.assign(mixin, {
    Navigate: NAVIGATE,
    GenerateUrl: GENERATE_URL
}) as typeof mixin & {
    readonly Navigate: typeof NAVIGATE;
    readonly GenerateUrl: typeof GENERATE_URL;
};

/** The current page as a page reference (a wire adapter, as on the platform). */
export function currentPageReference(): PageReference {
    const path = window.location.pathname;
    const state = Object.fromEntries(new URLSearchParams(window.location.search));
    const record = /^\/lightning\/r\/(\w+)\/(\w{15,18})\/view$/.exec(path);
    if (record) {
        return {
            type: 'standard__recordPage',
            attributes: { objectApiName: record[1], recordId: record[2], actionName: 'view' },
            state
        };
    }
    const tab = /^\/lightning\/n\/(\w+)$/.exec(path);
    if (tab) return { type: 'standard__navItemPage', attributes: { apiName: tab[1] }, state };
    return { type: 'standard__namedPage', attributes: { pageName: 'home' }, state };
}

export class CurrentPageReference {
    constructor(private readonly dataCallback: (value: PageReference) => void) {}
    connect(): void {
        this.dataCallback(currentPageReference());
    }
    update(): void {}
    disconnect(): void {}
}

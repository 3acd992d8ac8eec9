/**
 * `lightning/platformResourceLoader`: loadScript and loadStyle add a script or stylesheet from a
 * static resource URL (`@salesforce/resourceUrl/<name>`) to the page once, as the platform does,
 * and settle when it has loaded or failed.
 */
const loading = new Map<string, Promise<void>>();

function load(url: string, create: () => HTMLScriptElement | HTMLLinkElement): Promise<void> {
    let pending = loading.get(url);
    if (!pending) {
        pending = new Promise<void>((resolve, reject) => {
            const element = create();
            element.addEventListener('load', () => resolve());
            element.addEventListener('error', () => {
                loading.delete(url);
                element.remove();
                reject(new Error(`Could not load ${url}`));
            });
            document.head.appendChild(element);
        });
        loading.set(url, pending);
    }
    return pending;
}

export function loadScript(_component: unknown, url: string): Promise<void> {
    return load(url, () => Object.assign(document.createElement('script'), { src: url }));
}

export function loadStyle(_component: unknown, url: string): Promise<void> {
    return load(url, () =>
        Object.assign(document.createElement('link'), { rel: 'stylesheet', href: url })
    );
}

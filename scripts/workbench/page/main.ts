/**
 * The workbench pages: mounts Resident's components where an admin would place them in Lightning
 * App Builder, with workbench-only components for the pages' own chrome. The server says which
 * page this is (`data-page` on <html>): the Account record page ("Header and Right Sidebar"), the
 * Home page, or one of the app pages (Activity log, Knowledge, Trust settings, Reports). Synthetic shadow
 * loads first, as on the platform.
 */
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import RecordHighlights from 'wb/recordHighlights';
import RecordTabs from 'wb/recordTabs';
import {
    SHOW_TOAST_EVENT,
    type ShowToastDetail
} from '../standInOrgModules/platformShowToastEvent';
import { currentSession } from '../standInOrgModules/session';
import { missingComponents, pageComponents } from './pageComponents';

type PageKey =
    | 'record'
    | 'home'
    | 'activity-log'
    | 'knowledge'
    | 'trust-settings'
    | 'reports'
    | 'trust-center'
    | 'templates'
    | 'batch-documents';

/** The app pages: their title and the one component each holds, with its App Builder settings. */
const APP_PAGES: Record<
    Exclude<PageKey, 'record'>,
    { title: string; tag: string; props: Record<string, unknown> }
> = {
    home: { title: 'Home', tag: 'c-coworker-panel', props: { height: 560 } },
    'activity-log': { title: 'Activity log', tag: 'c-activity-log', props: { pageSize: 25 } },
    knowledge: { title: 'Knowledge', tag: 'c-knowledge-manager', props: {} },
    'trust-settings': { title: 'Trust settings', tag: 'c-trust-settings', props: {} },
    reports: { title: 'Reports', tag: 'c-report-scheduler', props: { pageSize: 25 } },
    'trust-center': { title: 'Resident Trust Center', tag: 'c-trust-center', props: {} },
    templates: { title: 'Document templates', tag: 'c-template-editor', props: {} },
    // As an admin would set it in App Builder: Account templates, the Quote first, two at a time.
    'batch-documents': {
        title: 'Batch documents',
        tag: 'c-document-batch-generator',
        props: { objectApiName: 'Account', defaultTemplateName: 'Quote', concurrency: 2 }
    }
};

function container(containerId: string): HTMLElement {
    const element = document.getElementById(containerId);
    if (!element) {
        throw new Error(`The workbench page has no #${containerId}`);
    }
    return element;
}

/**
 * Places a Resident component, or, when this build has no such component yet (its branch is not
 * merged), a visible note saying so: the page still renders everything else.
 */
function mountComponent(containerId: string, tag: string, props: Record<string, unknown>): void {
    const target = container(containerId);
    const wrapper = document.createElement('div');
    wrapper.className = 'slds-m-bottom_small';
    target.appendChild(wrapper);
    // `?without=c-coworker-panel`: the same page without that component, the baseline that
    // scripts/benchCoworker.ts measures the panel's first render against.
    if (new URLSearchParams(window.location.search).getAll('without').includes(tag)) {
        wrapper.dataset.id = 'omitted-component';
        return;
    }
    const constructor = pageComponents[tag];
    if (!constructor) {
        const note = document.createElement('div');
        note.className = 'slds-box slds-theme_shade slds-text-color_weak';
        note.dataset.id = 'missing-component';
        note.dataset.tag = tag;
        note.textContent =
            `<${tag}> is not in this build: force-app/main/default/lwc/` +
            `${missingComponents[tag] ?? tag} does not exist yet.`;
        wrapper.appendChild(note);
        return;
    }
    const element = createElement(tag, { is: constructor });
    Object.assign(element, props);
    wrapper.appendChild(element);
}

/** Reloads the page as another stand-in user: a fresh session, as signing in again would give. */
function wireUserSwitcher(): void {
    const switcher = document.getElementById('user-switcher') as HTMLSelectElement | null;
    if (!switcher) {
        return;
    }
    const current = new URLSearchParams(window.location.search).get('user') ?? 'ada';
    switcher.value = current;
    switcher.addEventListener('change', () => {
        const query = new URLSearchParams(window.location.search);
        query.set('user', switcher.value);
        window.location.search = query.toString();
    });
}

/** The navigation bar's links keep the user the page runs as, and mark the current page. */
function wireNavigation(page: PageKey): void {
    const user = new URLSearchParams(window.location.search).get('user');
    for (const link of document.querySelectorAll<HTMLAnchorElement>('[data-nav]')) {
        if (user) {
            const url = new URL(link.href);
            url.searchParams.set('user', user);
            link.href = url.pathname + url.search;
        }
        const active = link.dataset.nav === page;
        link.closest('li')?.classList.toggle('slds-is-active', active);
        if (active) {
            link.setAttribute('aria-current', 'page');
        }
    }
}

/** Shows `lightning/platformShowToastEvent` toasts, as the Lightning container does. */
function wireToasts(): void {
    const region = container('toasts');
    document.addEventListener(SHOW_TOAST_EVENT, (event) => {
        const detail = (event as CustomEvent<ShowToastDetail>).detail ?? {};
        const variant = detail.variant ?? 'info';
        const toast = document.createElement('div');
        toast.className = `slds-notify slds-notify_toast slds-theme_${variant}`;
        toast.setAttribute('role', 'status');
        toast.dataset.id = 'toast';
        const content = document.createElement('div');
        content.className = 'slds-notify__content';
        const title = document.createElement('h2');
        title.className = 'slds-text-heading_small';
        title.textContent = detail.title ?? '';
        const message = document.createElement('p');
        message.textContent = detail.message ?? '';
        content.append(title, message);
        const close = document.createElement('button');
        close.className =
            'slds-button slds-button_icon slds-notify__close slds-button_icon-inverse';
        close.type = 'button';
        close.textContent = '×';
        close.setAttribute('aria-label', 'Close');
        close.addEventListener('click', () => toast.remove());
        toast.append(content, close);
        region.appendChild(toast);
        if (detail.mode !== 'sticky') {
            setTimeout(() => toast.remove(), variant === 'error' ? 10_000 : 4_000);
        }
    });
}

function startRecordPage(): void {
    const context = {
        recordId: document.documentElement.dataset.recordId ?? '',
        objectApiName: 'Account'
    };
    container('record-header').appendChild(
        Object.assign(createElement('wb-record-highlights', { is: RecordHighlights }), context)
    );
    container('record-main').appendChild(
        Object.assign(createElement('wb-record-tabs', { is: RecordTabs }), context)
    );
    // As the platform does for a component on a record page: recordId and objectApiName from the
    // page, the rest from the admin's Lightning App Builder settings.
    mountComponent('record-sidebar', 'c-coworker-panel', { ...context, height: 420 });
    mountComponent('record-main', 'c-document-generator', {
        ...context,
        defaultTemplateName: 'Quote'
    });
    mountComponent('record-main', 'c-activity-log', { recordId: context.recordId, pageSize: 5 });
}

/** An app or home page: a header and one full-width region, as a one-region App Builder page. */
function startAppPage(page: Exclude<PageKey, 'record'>): void {
    const { title, tag, props } = APP_PAGES[page];
    document.title = `${title} | Resident local workbench`;
    const main = container('page-main');
    main.replaceChildren();
    const header = document.createElement('div');
    header.className = 'slds-page-header slds-m-bottom_small';
    const heading = document.createElement('h1');
    heading.className = 'slds-page-header__title';
    heading.textContent = title;
    header.appendChild(heading);
    const region = document.createElement('div');
    region.id = 'app-region';
    if (page === 'home') {
        // Home: the panel beside the space other Home components would take.
        region.className = 'slds-grid slds-gutters_x-small';
        const column = document.createElement('div');
        column.className = 'slds-col slds-size_1-of-2';
        column.id = 'home-panel';
        region.appendChild(column);
        main.append(header, region);
        mountComponent('home-panel', tag, props);
        return;
    }
    main.append(header, region);
    mountComponent('app-region', tag, props);
}

function start(): void {
    currentSession();
    const page = (document.documentElement.dataset.page ?? 'record') as PageKey;
    wireUserSwitcher();
    wireNavigation(page);
    wireToasts();
    if (page === 'record') {
        startRecordPage();
    } else {
        startAppPage(page);
    }
}

start();

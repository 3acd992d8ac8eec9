/**
 * The workbench page: mounts Resident's components where an admin would place them on an Account
 * record page (Lightning App Builder's "Header and Right Sidebar" template), with workbench-only
 * components for the page's own chrome. Synthetic shadow loads first, as on the platform.
 */
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import CoworkerPanel from 'c/coworkerPanel';
import RecordHighlights from 'wb/recordHighlights';
import RecordTabs from 'wb/recordTabs';
import { currentSession } from '../standInOrgModules/session';

const RECORD_PAGE_CONTEXT = {
    recordId: document.documentElement.dataset.recordId ?? '',
    objectApiName: 'Account'
};

function mount(containerId: string, element: HTMLElement): void {
    const container = document.getElementById(containerId);
    if (!container) {
        throw new Error(`The workbench page has no #${containerId}`);
    }
    container.appendChild(element);
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

function start(): void {
    currentSession();
    wireUserSwitcher();
    mount(
        'record-header',
        Object.assign(
            createElement('wb-record-highlights', { is: RecordHighlights }),
            RECORD_PAGE_CONTEXT
        )
    );
    mount(
        'record-main',
        Object.assign(createElement('wb-record-tabs', { is: RecordTabs }), RECORD_PAGE_CONTEXT)
    );
    // As the platform does for a component on a record page: recordId and objectApiName from the
    // page, the rest from the admin's Lightning App Builder settings.
    const panel = createElement('c-coworker-panel', { is: CoworkerPanel });
    Object.assign(panel, RECORD_PAGE_CONTEXT, { height: 420 });
    mount('record-sidebar', panel);
}

start();

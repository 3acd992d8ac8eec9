import { OrgError, type OrgStore, type OrgUser } from './orgStore';
import { objectDef } from './schema';
import { queryList, uiRecord, type UiRecord } from './uiApi';

// The stand-in org's list views and the UI API's two list resources over them, as
// lightning/uiListsApi receives them: `GET ui-api/list-info/<object>` (List Info Summary
// Collection) and `GET ui-api/list-records/<object>/<listViewApiName>` (List Record Collection),
// both as the user: sharing decides the rows, FLS the optional fields.

export interface ListViewDef {
    apiName: string;
    label: string;
    /** The filter, as SOQL, for the user viewing it (`My Accounts` is the user's own). */
    where: (user: OrgUser) => string | null;
    orderBy: string;
}

const mine = (user: OrgUser): string => `OwnerId = '${user.id}'`;

export const LIST_VIEWS: Record<string, ListViewDef[]> = {
    Account: [
        { apiName: 'AllAccounts', label: 'All Accounts', where: () => null, orderBy: 'Name' },
        { apiName: 'MyAccounts', label: 'My Accounts', where: mine, orderBy: 'Name' },
        {
            apiName: 'TechnologyAccounts',
            label: 'Technology Accounts',
            where: () => "Industry = 'Technology'",
            orderBy: 'Name'
        }
    ],
    Contact: [
        { apiName: 'AllContacts', label: 'All Contacts', where: () => null, orderBy: 'Name' },
        { apiName: 'MyContacts', label: 'My Contacts', where: mine, orderBy: 'Name' }
    ],
    Opportunity: [
        {
            apiName: 'AllOpportunities',
            label: 'All Opportunities',
            where: () => null,
            orderBy: 'Name'
        },
        { apiName: 'MyOpportunities', label: 'My Opportunities', where: mine, orderBy: 'Name' }
    ],
    Case: [
        {
            apiName: 'AllOpenCases',
            label: 'All Open Cases',
            where: () => "Status != 'Closed'",
            orderBy: 'CaseNumber'
        }
    ]
};

const MAX_PAGE_SIZE = 2000;

function readableObject(store: OrgStore, user: OrgUser, objectApiName: string) {
    const object = objectDef(objectApiName);
    if (!object || !store.objectPermissions(user, object.apiName).read) {
        throw new OrgError(404, 'NOT_FOUND', 'The requested resource does not exist');
    }
    return object;
}

function pageSizeOf(value: string | null, fallback: number): number {
    const n = value === null ? fallback : Number(value);
    if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
        throw new OrgError(
            400,
            'INVALID_INPUT',
            `pageSize must be between 1 and ${MAX_PAGE_SIZE}.`
        );
    }
    return n;
}

function offsetOf(token: string | null): number {
    if (token === null || token === '') return 0;
    const n = Number(token);
    if (!Number.isInteger(n) || n < 0) {
        throw new OrgError(400, 'INVALID_INPUT', 'The page token is not valid.');
    }
    return n;
}

/** `GET ui-api/list-info/<object>?pageSize&pageToken&q`: the object's list views. */
export function listInfos(
    store: OrgStore,
    user: OrgUser,
    objectApiName: string,
    query: URLSearchParams,
    basePath: string
): unknown {
    const object = readableObject(store, user, objectApiName);
    const search = (query.get('q') ?? '').toLowerCase();
    const all = (LIST_VIEWS[object.apiName] ?? []).filter(
        (l) => !search || l.label.toLowerCase().includes(search)
    );
    const pageSize = pageSizeOf(query.get('pageSize'), 20);
    const offset = offsetOf(query.get('pageToken'));
    const page = all.slice(offset, offset + pageSize);
    const next = offset + pageSize < all.length ? String(offset + pageSize) : null;
    return {
        count: page.length,
        currentPageToken: String(offset),
        currentPageUrl: `${basePath}?pageToken=${offset}&pageSize=${pageSize}`,
        eTag: `${object.apiName}-list-infos`,
        lists: page.map((l) => ({
            apiName: l.apiName,
            id: null,
            label: l.label,
            listUrl: `${basePath.replace(/list-info\/.*$/, 'list-records')}/${object.apiName}/${l.apiName}`
        })),
        nextPageToken: next,
        nextPageUrl: next ? `${basePath}?pageToken=${next}&pageSize=${pageSize}` : null,
        objectApiName: object.apiName,
        previousPageToken: offset > 0 ? String(Math.max(0, offset - pageSize)) : null,
        previousPageUrl: null,
        queryString: search || null,
        recentListsOnly: query.get('recentListsOnly') === 'true'
    };
}

/** `GET ui-api/list-records/<object>/<listView>?fields&optionalFields&pageSize&pageToken&sortBy`. */
export function listRecords(
    store: OrgStore,
    user: OrgUser,
    objectApiName: string,
    listViewApiName: string,
    query: URLSearchParams
): unknown {
    const object = readableObject(store, user, objectApiName);
    const view = (LIST_VIEWS[object.apiName] ?? []).find(
        (l) => l.apiName.toLowerCase() === listViewApiName.toLowerCase()
    );
    if (!view) {
        throw new OrgError(404, 'NOT_FOUND', 'The requested resource does not exist');
    }
    const list = (name: string): string[] => queryList(query, name);
    const pageSize = pageSizeOf(query.get('pageSize'), 50);
    const offset = offsetOf(query.get('pageToken'));
    const sortBy = query.get('sortBy');
    const order = sortBy
        ? `${sortBy.replace(/^-/, '').replace(/^\w+\./, '')} ${sortBy.startsWith('-') ? 'DESC' : 'ASC'}`
        : view.orderBy;
    const where = view.where(user);
    // One row more than the page tells whether there is a next one.
    const rows = store.query(
        user,
        `SELECT Id FROM ${object.apiName}${where ? ` WHERE ${where}` : ''} ORDER BY ${order}, Id LIMIT ${pageSize + 1} OFFSET ${offset}`
    ).records;
    const page = rows.slice(0, pageSize);
    const records: UiRecord[] = page.map((r) =>
        uiRecord(store, user, r, list('fields'), list('optionalFields'))
    );
    const next = rows.length > pageSize ? String(offset + pageSize) : null;
    return {
        count: records.length,
        currentPageToken: String(offset),
        currentPageUrl: null,
        fields: list('fields'),
        listInfoETag: `${object.apiName}-${view.apiName}`,
        listReference: {
            id: null,
            listViewApiName: view.apiName,
            objectApiName: object.apiName,
            type: 'listView'
        },
        nextPageToken: next,
        nextPageUrl: null,
        optionalFields: list('optionalFields'),
        pageSize,
        previousPageToken: offset > 0 ? String(Math.max(0, offset - pageSize)) : null,
        previousPageUrl: null,
        records,
        sortBy: sortBy ? [sortBy] : [view.orderBy],
        where: null
    };
}

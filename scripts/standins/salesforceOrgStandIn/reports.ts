import type { OrgStore, OrgUser } from './orgStore';
import { OrgError } from './orgStore';
import { makeId } from './seedData';

// Two sample reports in the Analytics REST API's run shape: a tabular one and a summary one
// grouped by a field. Rows honour the running user's sharing and FLS like a real report run.

type Column = {
    path: string;
    label: string;
    dataType: 'string' | 'currency' | 'date' | 'picklist';
};
type ReportDef = {
    id: string;
    name: string;
    soql: string;
    reportType: { type: string; label: string };
    columns: Column[];
    groupBy?: Column;
};

/** The Analytics REST API's synchronous runs return at most this many detail rows. */
export const REPORT_DETAIL_ROW_LIMIT = 2000;

export const OPEN_OPPORTUNITIES_REPORT_ID = makeId('00O', 1);
export const ACCOUNTS_BY_INDUSTRY_REPORT_ID = makeId('00O', 2);

const REPORTS: ReportDef[] = [
    {
        id: OPEN_OPPORTUNITIES_REPORT_ID,
        name: 'Open Opportunities',
        soql: 'SELECT Id FROM Opportunity WHERE IsClosed = false ORDER BY CloseDate',
        reportType: { type: 'Opportunity', label: 'Opportunities' },
        columns: [
            { path: 'Account.Name', label: 'Account Name', dataType: 'string' },
            { path: 'Name', label: 'Opportunity Name', dataType: 'string' },
            { path: 'StageName', label: 'Stage', dataType: 'picklist' },
            { path: 'Amount', label: 'Amount', dataType: 'currency' },
            { path: 'CloseDate', label: 'Close Date', dataType: 'date' }
        ]
    },
    {
        id: ACCOUNTS_BY_INDUSTRY_REPORT_ID,
        name: 'Accounts by Industry',
        soql: 'SELECT Id FROM Account ORDER BY Industry, Name',
        reportType: { type: 'AccountList', label: 'Accounts' },
        groupBy: { path: 'Industry', label: 'Industry', dataType: 'picklist' },
        columns: [
            { path: 'Name', label: 'Account Name', dataType: 'string' },
            { path: 'BillingCity', label: 'Billing City', dataType: 'string' },
            { path: 'AnnualRevenue', label: 'Annual Revenue', dataType: 'currency' }
        ]
    }
];

function cell(
    value: string | number | boolean | null,
    dataType: Column['dataType']
): { label: string; value: unknown } {
    if (value === null) return { label: '-', value: null };
    if (dataType === 'currency' && typeof value === 'number') {
        return {
            label: `$${value.toLocaleString('en-US')}`,
            value: { amount: value, currency: null }
        };
    }
    return { label: String(value), value };
}

export function listReports(): { id: string; name: string }[] {
    return REPORTS.map((r) => ({ id: r.id, name: r.name }));
}

export function runReport(
    store: OrgStore,
    user: OrgUser,
    reportId: string,
    apiVersion: string
): unknown {
    const report = REPORTS.find((r) => r.id === reportId || r.id.slice(0, 15) === reportId);
    if (!report) throw new OrgError(404, 'NOT_FOUND', 'The requested resource does not exist');
    const object = store.objectFor(
        makeId(report.reportType.type === 'AccountList' ? '001' : '006', 1)
    );
    if (!object) throw new OrgError(500, 'UNKNOWN_EXCEPTION', 'report object missing');
    // Columns the user cannot read drop out of the report, as on the platform.
    const columns = report.columns.filter((c) => {
        try {
            store.resolvePath(user, object, c.path);
            return true;
        } catch {
            return false;
        }
    });
    const allRows = store.query(user, report.soql).records;
    // A synchronous run returns at most 2,000 detail rows, with allData false when it cut them.
    const rows = allRows.slice(0, REPORT_DETAIL_ROW_LIMIT);
    const valueOf = (r: (typeof rows)[number], path: string): string | number | boolean | null =>
        store.valueAt(user, r, store.resolvePath(user, object, path));
    const detail = (r: (typeof rows)[number]) => ({
        dataCells: columns.map((c) => cell(valueOf(r, c.path), c.dataType))
    });
    const factMap: Record<string, unknown> = {
        'T!T': {
            aggregates: [{ label: String(allRows.length), value: allRows.length }],
            rows: report.groupBy ? [] : rows.map(detail)
        }
    };
    const groupings: unknown[] = [];
    if (report.groupBy) {
        const groupBy = report.groupBy;
        const keys = [...new Set(rows.map((r) => String(valueOf(r, groupBy.path) ?? '-')))];
        keys.forEach((key, index) => {
            const inGroup = rows.filter((r) => String(valueOf(r, groupBy.path) ?? '-') === key);
            groupings.push({ groupings: [], key: String(index), label: key, value: key });
            factMap[`${index}!T`] = {
                aggregates: [{ label: String(inGroup.length), value: inGroup.length }],
                rows: inGroup.map(detail)
            };
        });
    }
    const columnKey = (c: Column): string =>
        `${report.reportType.type === 'AccountList' ? 'ACCOUNT' : 'OPPORTUNITY'}.${c.path.toUpperCase().replace('.', '_')}`;
    return {
        attributes: {
            describeUrl: `/services/data/${apiVersion}/analytics/reports/${report.id}/describe`,
            instancesUrl: `/services/data/${apiVersion}/analytics/reports/${report.id}/instances`,
            reportId: report.id,
            reportName: report.name,
            type: 'Report'
        },
        allData: allRows.length <= REPORT_DETAIL_ROW_LIMIT,
        factMap,
        groupingsAcross: { groupings: [] },
        groupingsDown: { groupings },
        hasDetailRows: true,
        picklistColors: {},
        reportExtendedMetadata: {
            aggregateColumnInfo: {
                RowCount: {
                    acrossGroupingContext: null,
                    dataType: 'int',
                    downGroupingContext: null,
                    label: 'Record Count'
                }
            },
            detailColumnInfo: Object.fromEntries(
                columns.map((c) => [
                    columnKey(c),
                    { dataType: c.dataType, filterable: true, isLookup: false, label: c.label }
                ])
            ),
            groupingColumnInfo: report.groupBy
                ? {
                      [columnKey(report.groupBy)]: {
                          dataType: 'picklist',
                          groupingLevel: 0,
                          label: report.groupBy.label
                      }
                  }
                : {}
        },
        reportMetadata: {
            aggregates: ['RowCount'],
            detailColumns: columns.map(columnKey),
            developerName: report.name.replace(/\W+/g, '_'),
            groupingsDown: report.groupBy
                ? [{ dateGranularity: 'None', name: columnKey(report.groupBy), sortOrder: 'Asc' }]
                : [],
            groupingsAcross: [],
            id: report.id,
            name: report.name,
            reportFormat: report.groupBy ? 'SUMMARY' : 'TABULAR',
            reportType: report.reportType
        }
    };
}

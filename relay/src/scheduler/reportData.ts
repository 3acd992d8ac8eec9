import {
    composeReportQuery,
    SCHEDULE_LIMITS,
    type QueryDefinition
} from '../../../force-app/main/default/lwc/reportSchedule/reportSchedule';
import type {
    CellValue,
    ReportTable
} from '../../../force-app/main/default/lwc/reportRender/reportRender';
import type { SalesforceSession } from './salesforceApi';

interface QueryPage {
    totalSize: number;
    done: boolean;
    nextRecordsUrl?: string;
    records: Record<string, unknown>[];
}

/** A field path's value in a REST record (`Owner.Name` → record.Owner.Name; a hidden parent → null). */
function valueAt(record: Record<string, unknown>, path: string): CellValue {
    let node: unknown = record;
    for (const part of path.split('.')) {
        if (node === null || typeof node !== 'object') return null;
        const entry = Object.entries(node as Record<string, unknown>).find(
            ([key]) => key.toLowerCase() === part.toLowerCase()
        );
        node = entry?.[1] ?? null;
    }
    if (node === null || node === undefined) return null;
    if (typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean')
        return node;
    return JSON.stringify(node);
}

/**
 * The query's rows as the signed-in user, page after page (`queryMore` through nextRecordsUrl),
 * never more than maxReportRows. Pages are turned into rows as they arrive, so only the rows and
 * one page are in memory at a time.
 */
export async function readQueryRows(
    session: SalesforceSession,
    title: string,
    query: QueryDefinition,
    onPage?: (rowsSoFar: number) => void
): Promise<ReportTable & { pages: number }> {
    const soql = composeReportQuery(query);
    const fields = query.fields;
    const rows: CellValue[][] = [];
    const max = Math.min(
        query.limit ?? SCHEDULE_LIMITS.maxReportRows,
        SCHEDULE_LIMITS.maxReportRows
    );
    let page = await session.request<QueryPage>('GET', `query?q=${encodeURIComponent(soql)}`, {
        headers: { 'sforce-query-options': 'batchSize=2000' },
        what: 'query'
    });
    let pages = 1;
    for (;;) {
        for (const record of page.records) {
            if (rows.length >= max) break;
            rows.push(fields.map((path) => valueAt(record, path)));
        }
        onPage?.(rows.length);
        if (page.done || !page.nextRecordsUrl || rows.length >= max) break;
        page = await session.request<QueryPage>('GET', page.nextRecordsUrl, { what: 'queryMore' });
        pages += 1;
    }
    const groupIndex = query.groupBy
        ? fields.findIndex((f) => f.toLowerCase() === String(query.groupBy).toLowerCase())
        : -1;
    const totals = (query.totals ?? [])
        .map((t) => fields.findIndex((f) => f.toLowerCase() === t.toLowerCase()))
        .filter((i) => i >= 0);
    return {
        title,
        columns: fields.map((path, index) => ({
            key: path,
            label: path,
            numeric: totals.includes(index) || rows.some((r) => typeof r[index] === 'number')
        })),
        rows,
        groupByColumn: groupIndex >= 0 ? groupIndex : null,
        totalColumns: totals,
        pages
    };
}

interface ReportCell {
    label?: string;
    value?: unknown;
}
interface ReportRun {
    allData?: boolean;
    factMap?: Record<string, { rows?: { dataCells?: ReportCell[] }[] }>;
    groupingsDown?: { groupings?: { key: string; label: string }[] };
    reportMetadata?: {
        name?: string;
        detailColumns?: string[];
        groupingsDown?: { name?: string }[];
        reportType?: { type?: string };
    };
    reportExtendedMetadata?: {
        detailColumnInfo?: Record<string, { label?: string; dataType?: string }>;
        groupingColumnInfo?: Record<string, { label?: string }>;
    };
}

const NUMERIC_REPORT_TYPES = new Set(['currency', 'double', 'int', 'percent']);

function reportCellValue(cell: ReportCell | undefined, numeric: boolean): CellValue {
    if (!cell) return null;
    if (numeric) {
        const value = cell.value;
        if (typeof value === 'number') return value;
        if (
            value &&
            typeof value === 'object' &&
            typeof (value as { amount?: unknown }).amount === 'number'
        ) {
            return (value as { amount: number }).amount;
        }
    }
    if (cell.value === null && (cell.label === '-' || cell.label === undefined)) return null;
    return (
        cell.label ?? (cell.value === null || cell.value === undefined ? null : String(cell.value))
    );
}

/**
 * A Salesforce report run synchronously through the Analytics REST API as the signed-in user
 * (their sharing and field access decide the rows and columns). Summary reports are flattened:
 * the first grouping becomes a leading column.
 */
export async function readReportRows(
    session: SalesforceSession,
    title: string,
    reportId: string
): Promise<ReportTable & { complete: boolean; reportType?: string }> {
    const run = await session.request<ReportRun>(
        'POST',
        `analytics/reports/${encodeURIComponent(reportId)}?includeDetails=true`,
        { what: 'report' }
    );
    const keys = run.reportMetadata?.detailColumns ?? [];
    const info = run.reportExtendedMetadata?.detailColumnInfo ?? {};
    const numeric = keys.map((k) => NUMERIC_REPORT_TYPES.has(String(info[k]?.dataType ?? '')));
    const columns = keys.map((k, i) => ({
        key: k,
        label: info[k]?.label ?? k,
        numeric: numeric[i] ?? false
    }));
    const detail = (entry: { rows?: { dataCells?: ReportCell[] }[] } | undefined): CellValue[][] =>
        (entry?.rows ?? []).map((row) =>
            keys.map((_, i) => reportCellValue(row.dataCells?.[i], numeric[i] ?? false))
        );
    const groups = run.groupingsDown?.groupings ?? [];
    const max = SCHEDULE_LIMITS.maxReportRows;
    // Which objects the report reads, for the AI summary's data classification check.
    const reportType =
        typeof run.reportMetadata?.reportType?.type === 'string'
            ? run.reportMetadata.reportType.type
            : undefined;
    if (groups.length === 0) {
        return {
            title,
            columns,
            rows: detail(run.factMap?.['T!T']).slice(0, max),
            complete: run.allData !== false,
            reportType
        };
    }
    const groupKey = run.reportMetadata?.groupingsDown?.[0]?.name ?? 'group';
    const groupLabel = run.reportExtendedMetadata?.groupingColumnInfo?.[groupKey]?.label ?? 'Group';
    const rows = groups.flatMap((group) =>
        detail(run.factMap?.[`${group.key}!T`]).map((row) => [group.label, ...row])
    );
    return {
        title,
        // The grouping's own column key, so the AI summary's egress rules see which field it is.
        columns: [{ key: groupKey, label: groupLabel, numeric: false }, ...columns],
        rows: rows.slice(0, max),
        groupByColumn: 0,
        totalColumns: columns.map((c, i) => (c.numeric ? i + 1 : -1)).filter((i) => i > 0),
        complete: run.allData !== false,
        reportType
    };
}

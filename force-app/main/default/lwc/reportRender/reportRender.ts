/**
 * A report's rows as the files Resident delivers, written once for the `reportScheduler`
 * component's preview (`c/reportRender`) and the relay's scheduled runs (by relative path):
 * RFC 4180 CSV and a document description (`c/documentModel`) the PDF renderer draws.
 *
 * Pure: no DOM, Node or Workers APIs. Cell values are record data, so untrusted: the CSV
 * neutralises cells a spreadsheet would run as a formula, and the PDF only ever draws them as text.
 */
import type { Block, DocumentDescription, TableRow } from '../documentModel/documentModel';

export type CellValue = string | number | boolean | null;

export interface ReportColumn {
    /** The field path or report column key. */
    key: string;
    /** The heading shown in the file. */
    label: string;
    /** Numbers align right and may be totalled. */
    numeric?: boolean;
}

/** Rows in column order, ready to write. */
export interface ReportTable {
    title: string;
    columns: ReportColumn[];
    rows: CellValue[][];
    /** Index of the column rows are grouped by (rows arrive sorted by it). */
    groupByColumn?: number | null;
    /** Indexes of numeric columns totalled per group and at the end. */
    totalColumns?: number[];
}

/** The byte-order mark Excel needs to read UTF-8 CSV as UTF-8. */
export const UTF8_BOM = '\uFEFF';

/** Characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell that would start a formula, prefixed with `'` so spreadsheets show it as text. */
export function neutraliseFormula(text: string): string {
    return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One CSV field: formula cells neutralised; quoted when it holds a comma, quote, CR or LF. */
export function csvField(value: CellValue): string {
    if (value === null || value === undefined) return '';
    // Numbers and booleans the API typed as such are data, never formulas (-5 stays -5).
    const text = typeof value === 'string' ? neutraliseFormula(value) : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record, CRLF-terminated as RFC 4180 says. */
export function csvRecord(values: readonly CellValue[]): string {
    return `${values.map(csvField).join(',')}\r\n`;
}

/** The whole table as CSV text: a header record, then one record per row. */
export function toCsv(table: ReportTable, options: { bom?: boolean } = {}): string {
    const parts: string[] = [
        options.bom ? UTF8_BOM : '',
        csvRecord(table.columns.map((c) => c.label))
    ];
    for (const row of table.rows) parts.push(csvRecord(row));
    return parts.join('');
}

/** A number as a report shows it: grouped thousands, at most two decimals. */
export function formatNumber(value: number): string {
    return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

function cellText(value: CellValue): string {
    if (value === null || value === undefined) return '';
    if (typeof value === 'number') return formatNumber(value);
    return String(value);
}

interface Totals {
    sums: Map<number, number>;
    count: number;
}

function emptyTotals(): Totals {
    return { sums: new Map(), count: 0 };
}

function addToTotals(totals: Totals, row: CellValue[], columns: number[]): void {
    totals.count += 1;
    for (const index of columns) {
        const value = row[index];
        if (typeof value === 'number')
            totals.sums.set(index, (totals.sums.get(index) ?? 0) + value);
    }
}

export interface DocumentOptions {
    /** Under the title: e.g. "Run 3 June 2026, 07:00 (Europe/Berlin) · 1,204 rows". */
    subtitle?: string;
    /** Words for the summary rows, from Custom Labels on the platform ("Total", "Subtotal"). */
    totalLabel?: string;
    subtotalLabel?: string;
    /** ISO date-time the document was generated. */
    created?: string;
    language?: string;
}

/**
 * The table as a document description: landscape A4, a heading, the column labels repeated on
 * every page, a shaded subtotal row after each group and a totals row at the end. Only text: no
 * cell can become a link or markup.
 */
export function toDocument(table: ReportTable, options: DocumentOptions = {}): DocumentDescription {
    const totalColumns = table.totalColumns ?? [];
    const groupBy = table.groupByColumn ?? null;
    const width = table.columns.length;
    const summaryRow = (label: string, totals: Totals, shading?: string): TableRow => ({
        cells: table.columns.map((column, index) => {
            let text = '';
            if (index === 0) text = label;
            if (totals.sums.has(index)) text = formatNumber(totals.sums.get(index) ?? 0);
            return {
                runs: [{ type: 'text', text }],
                bold: true,
                ...(column.numeric ? { align: 'right' as const } : {})
            };
        }),
        ...(shading ? { shading } : {})
    });
    const rows: TableRow[] = [];
    const grand = emptyTotals();
    let group = emptyTotals();
    let groupKey: string | null = null;
    const closeGroup = (): void => {
        if (groupBy !== null && groupKey !== null) {
            const label = `${options.subtotalLabel ?? 'Subtotal'}: ${groupKey || '-'} (${formatNumber(group.count)})`;
            rows.push(summaryRow(label, group, '#f3f3f3'));
        }
    };
    for (const row of table.rows) {
        if (groupBy !== null) {
            const key = cellText(row[groupBy] ?? null);
            if (key !== groupKey) {
                closeGroup();
                groupKey = key;
                group = emptyTotals();
            }
            addToTotals(group, row, totalColumns);
        }
        addToTotals(grand, row, totalColumns);
        rows.push({
            cells: Array.from({ length: width }, (_, index) => ({
                runs: [{ type: 'text' as const, text: cellText(row[index] ?? null) }],
                ...(table.columns[index]?.numeric ? { align: 'right' as const } : {})
            }))
        });
    }
    closeGroup();
    const body: Block[] = [
        { type: 'heading', level: 1, runs: [{ type: 'text', text: table.title }] }
    ];
    if (options.subtitle)
        body.push({ type: 'paragraph', runs: [{ type: 'text', text: options.subtitle }] });
    body.push({
        type: 'table',
        columns: table.columns.map((column) => ({
            width: { fraction: 1 },
            ...(column.numeric ? { align: 'right' as const } : {})
        })),
        headerRows: [
            {
                cells: table.columns.map((column) => ({
                    runs: [{ type: 'text' as const, text: column.label }],
                    bold: true
                }))
            }
        ],
        rows,
        ...(totalColumns.length > 0 || groupBy !== null
            ? {
                  totalsRow: summaryRow(
                      `${options.totalLabel ?? 'Total'} (${formatNumber(grand.count)})`,
                      grand
                  )
              }
            : {}),
        borders: 'horizontal',
        fontSize: 8
    });
    return {
        modelVersion: 1,
        metadata: {
            title: table.title,
            ...(options.created ? { created: options.created } : {}),
            ...(options.language ? { language: options.language } : {})
        },
        page: {
            size: 'A4',
            orientation: 'landscape',
            margins: { top: 36, right: 36, bottom: 36, left: 36 }
        },
        footer: {
            blocks: [
                {
                    type: 'paragraph',
                    align: 'right',
                    fontSize: 8,
                    runs: [
                        { type: 'pageNumber' },
                        { type: 'text', text: ' / ' },
                        { type: 'pageCount' }
                    ]
                }
            ]
        },
        body
    };
}

import { csvField, toCsv, toDocument, UTF8_BOM, type ReportTable } from 'c/reportRender';

const table: ReportTable = {
    title: 'Pipeline',
    columns: [
        { key: 'Name', label: 'Name' },
        { key: 'StageName', label: 'Stage' },
        { key: 'Amount', label: 'Amount', numeric: true }
    ],
    rows: [
        ['Acme, Inc.', 'Prospecting', 1000],
        ['Say "hi"', 'Prospecting', 250.5],
        ['Two\r\nlines', 'Closed Won', null]
    ],
    groupByColumn: 1,
    totalColumns: [2]
};

describe('toCsv', () => {
    it('writes RFC 4180: CRLF records, quoted commas, doubled quotes, line breaks kept in quotes', () => {
        expect(toCsv(table)).toBe(
            'Name,Stage,Amount\r\n' +
                '"Acme, Inc.",Prospecting,1000\r\n' +
                '"Say ""hi""",Prospecting,250.5\r\n' +
                '"Two\r\nlines",Closed Won,\r\n'
        );
    });

    it('starts with a byte-order mark only when asked', () => {
        expect(toCsv(table, { bom: true }).startsWith(`${UTF8_BOM}Name,`)).toBe(true);
        expect(toCsv(table).startsWith('Name,')).toBe(true);
    });

    it('neutralises cells a spreadsheet would run as a formula, but not real numbers', () => {
        expect(csvField('=HYPERLINK("http://evil.test","click")')).toBe(
            `"'=HYPERLINK(""http://evil.test"",""click"")"`
        );
        expect(csvField('+1 415 555 0100')).toBe("'+1 415 555 0100");
        expect(csvField('-2+3')).toBe("'-2+3");
        expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
        expect(csvField('\t=1')).toBe("'\t=1");
        expect(csvField('\r=1')).toBe(`"'\r=1"`);
        expect(csvField(-5)).toBe('-5');
        expect(csvField('a=b')).toBe('a=b');
        expect(csvField(true)).toBe('true');
        expect(csvField(null)).toBe('');
        expect(csvField('Ünïcødé ✓')).toBe('Ünïcødé ✓');
    });
});

describe('toDocument', () => {
    it('draws a heading, repeated column labels, a subtotal per group and the totals row', () => {
        const doc = toDocument(table, { subtitle: '3 rows' });
        expect(doc.page.orientation).toBe('landscape');
        const [heading, subtitle, block] = doc.body;
        expect(heading).toEqual({
            type: 'heading',
            level: 1,
            runs: [{ type: 'text', text: 'Pipeline' }]
        });
        expect(subtitle).toEqual({ type: 'paragraph', runs: [{ type: 'text', text: '3 rows' }] });
        if (block?.type !== 'table') throw new Error('expected a table');
        const texts = (cells: { runs: { type: string; text?: string }[] }[]) =>
            cells.map((c) => c.runs.map((r) => r.text).join(''));
        expect(texts(block.headerRows?.[0]?.cells ?? [])).toEqual(['Name', 'Stage', 'Amount']);
        expect(block.rows.map((r) => texts(r.cells))).toEqual([
            ['Acme, Inc.', 'Prospecting', '1,000'],
            ['Say "hi"', 'Prospecting', '250.5'],
            ['Subtotal: Prospecting (2)', '', '1,250.5'],
            ['Two\r\nlines', 'Closed Won', ''],
            ['Subtotal: Closed Won (1)', '', ''] // nothing to add up: blank, not a made-up 0
        ]);
        expect(texts(block.totalsRow?.cells ?? [])).toEqual(['Total (3)', '', '1,250.5']);
    });

    it('keeps formula-like text as plain text (a PDF runs nothing)', () => {
        const doc = toDocument({
            title: 'T',
            columns: [{ key: 'a', label: 'A' }],
            rows: [['=1+1']]
        });
        const block = doc.body[1];
        if (block?.type !== 'table') throw new Error('expected a table');
        expect(block.rows[0]?.cells[0]?.runs).toEqual([{ type: 'text', text: '=1+1' }]);
        expect(block.totalsRow).toBeUndefined();
    });
});

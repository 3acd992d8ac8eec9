jest.mock(
    '@salesforce/label/c.Resident_Doc_BadAttribute',
    () => mockLabel('Resident_Doc_BadAttribute'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Doc_BadExpression',
    () => mockLabel('Resident_Doc_BadExpression'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Doc_BadFormatter',
    () => mockLabel('Resident_Doc_BadFormatter'),
    { virtual: true }
);
jest.mock('@salesforce/label/c.Resident_Doc_BadImage', () => mockLabel('Resident_Doc_BadImage'), {
    virtual: true
});
jest.mock('@salesforce/label/c.Resident_Doc_BadLink', () => mockLabel('Resident_Doc_BadLink'), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.Resident_Doc_BadMergeTag',
    () => mockLabel('Resident_Doc_BadMergeTag'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Doc_ColumnCount',
    () => mockLabel('Resident_Doc_ColumnCount'),
    { virtual: true }
);
jest.mock('@salesforce/label/c.Resident_Doc_Misplaced', () => mockLabel('Resident_Doc_Misplaced'), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.Resident_Doc_NestedEach',
    () => mockLabel('Resident_Doc_NestedEach'),
    { virtual: true }
);
jest.mock('@salesforce/label/c.Resident_Doc_No', () => mockLabel('Resident_Doc_No'), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.Resident_Doc_NotInMargin',
    () => mockLabel('Resident_Doc_NotInMargin'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Doc_PageNumberInBody',
    () => mockLabel('Resident_Doc_PageNumberInBody'),
    { virtual: true }
);
jest.mock('@salesforce/label/c.Resident_Doc_PartBody', () => mockLabel('Resident_Doc_PartBody'), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.Resident_Doc_PartFooter',
    () => mockLabel('Resident_Doc_PartFooter'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Doc_PartHeader',
    () => mockLabel('Resident_Doc_PartHeader'),
    { virtual: true }
);
jest.mock('@salesforce/label/c.Resident_Doc_ProblemAt', () => mockLabel('Resident_Doc_ProblemAt'), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.Resident_Doc_TotalOutsideEach',
    () => mockLabel('Resident_Doc_TotalOutsideEach'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Doc_UnclosedBlock',
    () => mockLabel('Resident_Doc_UnclosedBlock'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Doc_UnclosedTag',
    () => mockLabel('Resident_Doc_UnclosedTag'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Doc_UnexpectedClose',
    () => mockLabel('Resident_Doc_UnexpectedClose'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Doc_UnexpectedElse',
    () => mockLabel('Resident_Doc_UnexpectedElse'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Doc_UnknownField',
    () => mockLabel('Resident_Doc_UnknownField'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Doc_UnknownRelationship',
    () => mockLabel('Resident_Doc_UnknownRelationship'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Doc_UnknownTag',
    () => mockLabel('Resident_Doc_UnknownTag'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Doc_WarningImage',
    () => mockLabel('Resident_Doc_WarningImage'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Doc_WarningMixedCurrency',
    () => mockLabel('Resident_Doc_WarningMixedCurrency'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Doc_WarningTooManyImages',
    () => mockLabel('Resident_Doc_WarningTooManyImages'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Doc_WarningTruncated',
    () => mockLabel('Resident_Doc_WarningTruncated'),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Doc_WarningUnreadable',
    () => mockLabel('Resident_Doc_WarningUnreadable'),
    { virtual: true }
);
jest.mock('@salesforce/label/c.Resident_Doc_Yes', () => mockLabel('Resident_Doc_Yes'), {
    virtual: true
});

function mockLabel(name: string): { default: string } {
    const labels = jest.requireActual<{ labelValue(n: string): string }>(
        '../../../../../test/labels'
    );
    return { default: labels.labelValue(name) };
}

import type { DocumentDescription, TableBlock, TextRun } from 'c/documentModel';
import {
    fieldsUsed,
    mergeTemplate,
    parseTemplate,
    prepareTemplate,
    type DocumentRecordData,
    type DocumentTemplate,
    type MergeOptions,
    type ObjectDescribe
} from 'c/documentMerge';

// ───────── a small org: Account, its Owner (User) and its Opportunities ─────────

type FieldSpec = [apiName: string, dataType: string, extra?: Record<string, unknown>];
function describe_(
    apiName: string,
    fields: FieldSpec[],
    children: [string, string][] = []
): ObjectDescribe {
    return {
        apiName,
        fields: Object.fromEntries(
            fields.map(([name, dataType, extra]) => [name, { apiName: name, dataType, ...extra }])
        ),
        childRelationships: children.map(([relationshipName, childObjectApiName]) => ({
            relationshipName,
            childObjectApiName
        }))
    };
}
const DESCRIBES: Record<string, ObjectDescribe> = {
    Account: describe_(
        'Account',
        [
            ['Name', 'String'],
            ['AnnualRevenue', 'Currency'],
            ['NumberOfEmployees', 'Int'],
            ['BillingCity', 'String'],
            ['Description', 'TextArea'],
            ['Notes__c', 'TextArea', { htmlFormatted: true }],
            ['Discount__c', 'Percent'],
            ['IsPartner__c', 'Boolean'],
            ['Founded__c', 'Date'],
            ['LastActivity__c', 'DateTime'],
            ['CurrencyIsoCode', 'Picklist'],
            [
                'OwnerId',
                'Reference',
                { relationshipName: 'Owner', referenceToInfos: [{ apiName: 'User' }] }
            ],
            [
                'ParentId',
                'Reference',
                { relationshipName: 'Parent', referenceToInfos: [{ apiName: 'Account' }] }
            ]
        ],
        [
            ['Opportunities', 'Opportunity'],
            ['Contacts', 'Contact']
        ]
    ),
    User: describe_('User', [
        ['Name', 'String'],
        ['Email', 'Email']
    ]),
    Opportunity: describe_('Opportunity', [
        ['Name', 'String'],
        ['Amount', 'Currency'],
        ['StageName', 'Picklist'],
        ['CloseDate', 'Date'],
        ['Probability', 'Percent'],
        ['CurrencyIsoCode', 'Picklist'],
        [
            'AccountId',
            'Reference',
            { relationshipName: 'Account', referenceToInfos: [{ apiName: 'Account' }] }
        ]
    ]),
    Contact: describe_('Contact', [['Name', 'String']])
};
const loadDescribe = (name: string) => Promise.resolve(DESCRIBES[name]);

function template(body: string, more: Partial<DocumentTemplate> = {}): DocumentTemplate {
    return {
        id: 'a06000000000001AAA',
        name: 'Test',
        baseObject: 'Account',
        body,
        header: null,
        footer: null,
        pageSize: 'A4',
        orientation: 'portrait',
        margins: { top: 50, right: 50, bottom: 50, left: 50 },
        active: true,
        version: 1,
        ...more
    };
}

const ACCOUNT = {
    Id: '001000000000001AAA',
    Name: 'Acme Corp',
    AnnualRevenue: 1234567.5,
    NumberOfEmployees: 4200,
    BillingCity: 'München',
    Description: 'Line one\nLine two',
    Discount__c: 12.5,
    IsPartner__c: true,
    Founded__c: '2001-03-04',
    LastActivity__c: '2026-03-14T23:30:00.000Z',
    Owner: { Name: 'Ada Admin', Email: 'ada@example.com' },
    Parent: null,
    Opportunities: [
        {
            Name: 'Big deal',
            Amount: 50000,
            StageName: 'Negotiation/Review',
            CloseDate: '2026-05-01',
            Probability: 80
        },
        {
            Name: 'Lost deal',
            Amount: 9000,
            StageName: 'Closed Lost',
            CloseDate: '2026-01-15',
            Probability: 0
        },
        {
            Name: 'Small deal',
            Amount: 1500.25,
            StageName: 'Prospecting',
            CloseDate: '2026-07-20',
            Probability: 10
        },
        {
            Name: 'No amount',
            Amount: null,
            StageName: 'Qualification',
            CloseDate: '2026-06-01',
            Probability: 20
        }
    ]
};

function data(
    record: Record<string, unknown> = ACCOUNT,
    truncated: string[] = []
): DocumentRecordData {
    return { record, unreadableFields: [], truncatedRelationships: truncated };
}

const OPTIONS: MergeOptions = {
    locale: 'en-US',
    timeZone: 'America/New_York',
    defaultCurrencyIsoCode: 'USD',
    title: 'Quote for Acme Corp',
    created: new Date('2026-03-14T09:30:00Z')
};

async function merge(
    body: string,
    options: Partial<MergeOptions> = {},
    record?: Record<string, unknown>,
    more: Partial<DocumentTemplate> = {}
) {
    const prepared = await prepareTemplate(template(body, more), loadDescribe);
    if (!prepared.template) throw new Error(prepared.problems.map((p) => p.message).join('\n'));
    return mergeTemplate(prepared.template, data(record ?? ACCOUNT), { ...OPTIONS, ...options });
}

/** All text of a description's body, blocks separated by newlines (what a reader sees). */
function textOf(doc: DocumentDescription): string {
    const runs = (rs: { type: string; text?: string }[]) =>
        rs.map((r) => (r.type === 'text' ? r.text : `[${r.type}]`)).join('');
    return doc.body
        .map((b) => {
            switch (b.type) {
                case 'paragraph':
                case 'heading':
                    return runs(b.runs);
                case 'list':
                    return b.items.map((i) => `- ${runs(i.runs)}`).join('\n');
                case 'table':
                    return [
                        ...(b.headerRows ?? []),
                        ...b.rows,
                        ...(b.totalsRow ? [b.totalsRow] : [])
                    ]
                        .map((r) => r.cells.map((c) => runs(c.runs)).join(' | '))
                        .join('\n');
                default:
                    return `[${b.type}]`;
            }
        })
        .join('\n');
}

async function textFor(
    body: string,
    options: Partial<MergeOptions> = {},
    record?: Record<string, unknown>
) {
    return textOf((await merge(body, options, record)).document);
}

const NBSP = '\u00a0';

describe('c/documentMerge', () => {
    describe('merge fields', () => {
        it('prints the record’s fields and its parents’ fields', async () => {
            expect(
                await textFor(
                    '<p>{{Name}} in {{BillingCity}}, owned by {{Owner.Name}} ({{Owner.Email}})</p>'
                )
            ).toBe('Acme Corp in München, owned by Ada Admin (ada@example.com)');
        });

        it('reads field names without minding their case, as Salesforce does', async () => {
            expect(await textFor('<p>{{name}} / {{owner.name}}</p>')).toBe('Acme Corp / Ada Admin');
        });

        it('prints an empty lookup as nothing, without a warning', async () => {
            const result = await merge('<p>Parent: [{{Parent.Name}}]</p>');
            expect(textOf(result.document)).toBe('Parent: []');
            expect(result.warnings).toEqual([]);
        });

        it('keeps a text area’s line breaks', async () => {
            const result = await merge('<p>{{Description}}</p>');
            expect(result.document.body[0]).toEqual({
                type: 'paragraph',
                runs: [{ type: 'text', text: 'Line one\nLine two' }]
            });
        });

        it('formats values by their field type when no formatter is named', async () => {
            expect(
                await textFor(
                    '<p>{{AnnualRevenue}}|{{NumberOfEmployees}}|{{Discount__c}}|{{IsPartner__c}}|{{Founded__c}}|{{LastActivity__c}}</p>'
                )
            ).toMatch(/^\$1,234,567\.50\|4,200\|12\.5%\|Yes\|3\/4\/2001\|3\/14\/2026, 7:30\sPM$/);
        });
    });

    describe('formatters', () => {
        it('formats dates in the styles asked for, never shifting a date to another day', async () => {
            expect(
                await textFor(
                    '<p>{{Founded__c | date}}; {{Founded__c | date "long"}}; {{Founded__c | date "iso"}}</p>',
                    {
                        timeZone: 'Pacific/Kiritimati'
                    }
                )
            ).toBe('3/4/2001; March 4, 2001; 2001-03-04');
        });

        it('formats date-times in the user’s time zone', async () => {
            expect(
                await textFor('<p>{{LastActivity__c | date}}</p>', { timeZone: 'Asia/Tokyo' })
            ).toBe('3/15/2026');
            expect(
                await textFor('<p>{{LastActivity__c | date}}</p>', { timeZone: 'America/New_York' })
            ).toBe('3/14/2026');
        });

        it('formats numbers, currency and percent', async () => {
            expect(
                await textFor(
                    '<p>{{NumberOfEmployees | number 2}}; {{AnnualRevenue | currency}}; {{AnnualRevenue | currency "EUR"}}; {{Discount__c | percent}}; {{Discount__c | percent 0}}</p>'
                )
            ).toBe('4,200.00; $1,234,567.50; €1,234,567.50; 12.5%; 13%');
        });

        it('uses the record’s currency ISO code for currency values', async () => {
            expect(
                await textFor(
                    '<p>{{AnnualRevenue}}</p>',
                    {},
                    { ...ACCOUNT, CurrencyIsoCode: 'GBP' }
                )
            ).toBe('£1,234,567.50');
        });

        it('gives a default to empty values, and only to empty ones', async () => {
            expect(
                await textFor(
                    '<p>{{Parent.Name | default "—"}} {{Name | default "—"}} {{Missing__c | default "n/a"}}</p>',
                    {},
                    undefined
                ).catch((e: Error) => e.message)
            ).toMatch(/Missing__c/); // an unknown field is a template error, checked against the describe
            expect(
                await textFor(
                    '<p>{{Parent.Name | default "—"}} / {{Name | default "—"}} / {{ParentId | default 0}}</p>'
                )
            ).toBe('— / Acme Corp / 0');
        });

        it('upper- and lower-cases by the user’s locale', async () => {
            expect(
                await textFor('<p>{{BillingCity | upper}} {{Name | lower}}</p>', {
                    locale: 'de-DE'
                })
            ).toBe('MÜNCHEN acme corp');
        });
    });

    describe('locales', () => {
        const body =
            '<p>{{Founded__c | date}}|{{Founded__c | date "long"}}|{{NumberOfEmployees | number 1}}|{{AnnualRevenue | currency}}|{{Discount__c | percent}}</p>';

        it('en-US', async () => {
            expect(await textFor(body, { locale: 'en-US' })).toBe(
                '3/4/2001|March 4, 2001|4,200.0|$1,234,567.50|12.5%'
            );
        });

        it('de-DE, with the record in euros', async () => {
            expect(
                await textFor(body, { locale: 'de-DE' }, { ...ACCOUNT, CurrencyIsoCode: 'EUR' })
            ).toBe(`4.3.2001|4. März 2001|4.200,0|1.234.567,50${NBSP}€|12,5${NBSP}%`);
        });

        it('ja-JP, with the record in yen (no minor unit)', async () => {
            expect(
                await textFor(body, { locale: 'ja-JP' }, { ...ACCOUNT, CurrencyIsoCode: 'JPY' })
            ).toBe('2001/3/4|2001年3月4日|4,200.0|￥1,234,568|12.5%');
        });

        it('tags the document with the user’s language', async () => {
            expect((await merge('<p>x</p>', { locale: 'ja-JP' })).document.metadata.language).toBe(
                'ja-JP'
            );
        });
    });

    describe('related lists', () => {
        const table = `<table border="horizontal">
<tr><th width="60%">Opportunity</th><th align="right">Amount</th><th>Close</th></tr>
{{#each Opportunities sort="CloseDate desc" where="StageName != 'Closed Lost'" limit=50}}
<tr><td>{{Name}}</td><td align="right">{{Amount | currency}}</td><td>{{CloseDate | date}}</td></tr>
{{/each}}
<tfoot><tr><td>Total ({{#count}} opportunities)</td><td align="right">{{#total Amount | currency}}</td><td></td></tr></tfoot>
</table>`;

        it('repeats rows per child record, filtered, sorted, with header and totals rows', async () => {
            const { document } = await merge(table);
            const block = document.body[0] as TableBlock;
            expect(block.type).toBe('table');
            expect(block.borders).toBe('horizontal');
            expect(block.columns).toEqual([
                { width: { fraction: 0.6 } },
                { width: { fraction: 0.2 }, align: 'right' },
                { width: { fraction: 0.2 } }
            ]);
            expect(block.headerRows?.[0]?.cells.map((c) => c.bold)).toEqual([true, true, true]);
            expect(textOf(document)).toBe(
                [
                    'Opportunity | Amount | Close',
                    'Small deal | $1,500.25 | 7/20/2026',
                    'No amount |  | 6/1/2026',
                    'Big deal | $50,000.00 | 5/1/2026',
                    'Total (3 opportunities) | $51,500.25 | '
                ].join('\n')
            );
            expect(block.totalsRow).toBeDefined();
        });

        it('limits the rows', async () => {
            const text = await textFor(
                '<ul>{{#each Opportunities sort="Amount desc" limit=2}}<li>{{Name}}</li>{{/each}}</ul>'
            );
            expect(text).toBe('- Big deal\n- Lost deal');
        });

        it('sorts empty values last whichever the direction', async () => {
            expect(
                await textFor(
                    '<ul>{{#each Opportunities sort="Amount asc"}}<li>{{Name}}</li>{{/each}}</ul>'
                )
            ).toBe('- Small deal\n- Lost deal\n- Big deal\n- No amount');
        });

        it('filters with and/or, numbers and text', async () => {
            expect(
                await textFor(
                    `<ul>{{#each Opportunities where="Amount >= 1500 and (StageName = 'prospecting' or Probability > 50)"}}<li>{{Name}}</li>{{/each}}</ul>`
                )
            ).toBe('- Big deal\n- Small deal');
        });

        it('an empty related list leaves the table with its header and totals', async () => {
            const text = await textFor(table, {}, { ...ACCOUNT, Opportunities: [] });
            expect(text).toBe('Opportunity | Amount | Close\nTotal (0 opportunities) | $0.00 | ');
        });

        it('warns when a related list was cut short when read', async () => {
            const prepared = await prepareTemplate(template(table), loadDescribe);
            const result = await mergeTemplate(
                prepared.template!,
                data(ACCOUNT, ['Opportunities']),
                OPTIONS
            );
            expect(result.warnings.map((w) => w.code)).toEqual(['truncatedList']);
            expect(result.warnings[0]!.message).toContain(
                'Opportunities has more rows than were read (4)'
            );
        });

        it('warns when a total adds different currencies', async () => {
            const opportunities = ACCOUNT.Opportunities.map((o, i) => ({
                ...o,
                CurrencyIsoCode: i === 0 ? 'EUR' : 'USD'
            }));
            const result = await merge(table, {}, { ...ACCOUNT, Opportunities: opportunities });
            expect(result.warnings.map((w) => w.code)).toEqual(['mixedCurrencies']);
        });
    });

    describe('multi-currency orgs: the record’s currency, whatever the user’s', () => {
        const body =
            '<p>{{AnnualRevenue}}</p>{{#each Opportunities where="StageName != \'Closed Lost\'" sort="Name asc" limit=2}}<p>{{Name}}: {{Amount}}</p>{{/each}}<p>Total {{#total Amount | currency}}</p>';
        const inEuros = {
            ...ACCOUNT,
            CurrencyIsoCode: 'EUR',
            Opportunities: ACCOUNT.Opportunities.map((o) => ({ ...o, CurrencyIsoCode: 'EUR' }))
        };

        it('formats a EUR record as euros for a US user whose currency is USD', async () => {
            const result = await merge(
                body,
                { locale: 'en-US', defaultCurrencyIsoCode: 'USD' },
                inEuros
            );
            expect(textOf(result.document)).toBe(
                ['€1,234,567.50', 'Big deal: €50,000.00', 'No amount:', 'Total €50,000.00'].join(
                    '\n'
                )
            );
            expect(result.warnings).toEqual([]);
        });

        it('formats the same record as euros, in German, for a German user', async () => {
            expect(
                await textFor(body, { locale: 'de-DE', defaultCurrencyIsoCode: 'USD' }, inEuros)
            ).toBe(
                [
                    `1.234.567,50${NBSP}€`,
                    `Big deal: 50.000,00${NBSP}€`,
                    'No amount:',
                    `Total 50.000,00${NBSP}€`
                ].join('\n')
            );
        });

        it('falls back to the user’s currency when the org has no CurrencyIsoCode', async () => {
            expect(
                await textFor(body, { locale: 'de-DE', defaultCurrencyIsoCode: 'EUR' }, ACCOUNT)
            ).toContain(`1.234.567,50${NBSP}€`);
            expect(
                await textFor(body, { locale: 'en-US', defaultCurrencyIsoCode: 'USD' }, ACCOUNT)
            ).toContain('$1,234,567.50');
        });
    });

    describe('conditions', () => {
        it('shows one branch or the other on comparisons', async () => {
            const body =
                '<p>{{#if AnnualRevenue > 1000000}}Key account{{else}}Standard account{{/if}}</p>';
            expect(await textFor(body)).toBe('Key account');
            expect(await textFor(body, {}, { ...ACCOUNT, AnnualRevenue: 5 })).toBe(
                'Standard account'
            );
            expect(await textFor(body, {}, { ...ACCOUNT, AnnualRevenue: null })).toBe(
                'Standard account'
            );
        });

        it('tests values for being set, with not, equality to text and to null', async () => {
            expect(
                await textFor(
                    `<p>{{#if IsPartner__c}}partner{{/if}}{{#if not Parent.Name}} no-parent{{/if}}{{#if BillingCity == 'münchen'}} munich{{/if}}{{#if Parent.Name == null}} null{{/if}}{{#if Name != "Acme Corp"}} other{{/if}}</p>`
                )
            ).toBe('partner no-parent munich null');
        });

        it('may hold whole blocks, including tables and page breaks', async () => {
            const { document } = await merge(
                '{{#if IsPartner__c}}<h2>Partner terms</h2><pagebreak/>{{/if}}<p>End</p>'
            );
            expect(document.body.map((b) => b.type)).toEqual(['heading', 'pageBreak', 'paragraph']);
        });
    });

    describe('markup', () => {
        it('turns paragraphs, headings, inline styles, links and lists into blocks', async () => {
            const { document } = await merge(
                `<h1 align="center">Quote</h1>
<p>Dear <b>{{Owner.Name}}</b>, <i>thank</i> <u>you</u>. See <a href="https://example.com/terms">our terms</a>.<br>Bye</p>
<ol start="3"><li>One<ul><li>Nested</li></ul></li><li><strong>Two</strong></li></ol>
Loose text

after a blank line`
            );
            expect(document.body).toEqual([
                {
                    type: 'heading',
                    level: 1,
                    align: 'center',
                    runs: [{ type: 'text', text: 'Quote' }]
                },
                {
                    type: 'paragraph',
                    runs: [
                        { type: 'text', text: 'Dear ' },
                        { type: 'text', text: 'Ada Admin', bold: true },
                        { type: 'text', text: ', ' },
                        { type: 'text', text: 'thank', italic: true },
                        { type: 'text', text: ' ' },
                        { type: 'text', text: 'you', underline: true },
                        { type: 'text', text: '. See ' },
                        { type: 'text', text: 'our terms', link: 'https://example.com/terms' },
                        { type: 'text', text: '.\nBye' }
                    ]
                },
                {
                    type: 'list',
                    style: 'numbered',
                    start: 3,
                    items: [
                        {
                            runs: [{ type: 'text', text: 'One' }],
                            children: {
                                type: 'list',
                                style: 'bulleted',
                                items: [{ runs: [{ type: 'text', text: 'Nested' }] }]
                            }
                        },
                        { runs: [{ type: 'text', text: 'Two', bold: true }] }
                    ]
                },
                { type: 'paragraph', runs: [{ type: 'text', text: 'Loose text' }] },
                { type: 'paragraph', runs: [{ type: 'text', text: 'after a blank line' }] }
            ]);
        });

        it('decodes the template’s own entities and keeps no-break spaces', async () => {
            expect(await textFor('<p>A &amp; B&nbsp;&lt;C&gt; &#8364; \\{{Name}}</p>')).toBe(
                `A & B${NBSP}<C> € {{Name}}`
            );
        });

        it('lays out page settings, header and footer with page numbers', async () => {
            const { document } = await merge('<p>Body</p>', {}, undefined, {
                pageSize: 'Letter',
                orientation: 'landscape',
                margins: { top: 72, right: 36, bottom: 72, left: 36 },
                header: '<p align="right" size="8">{{Name}}</p>',
                footer: '<p align="center">Page <b>{{pageNumber}}</b> of {{pageCount}}</p>'
            });
            expect(document.page).toEqual({
                size: 'Letter',
                orientation: 'landscape',
                margins: { top: 72, right: 36, bottom: 72, left: 36 }
            });
            expect(document.header).toEqual({
                blocks: [
                    {
                        type: 'paragraph',
                        align: 'right',
                        fontSize: 8,
                        runs: [{ type: 'text', text: 'Acme Corp' }]
                    }
                ]
            });
            expect(document.footer).toEqual({
                blocks: [
                    {
                        type: 'paragraph',
                        align: 'center',
                        runs: [
                            { type: 'text', text: 'Page ' },
                            { type: 'pageNumber', bold: true },
                            { type: 'text', text: ' of ' },
                            { type: 'pageCount' }
                        ]
                    }
                ]
            });
            expect(document.metadata).toEqual({
                title: 'Quote for Acme Corp',
                created: '2026-03-14T09:30:00.000Z',
                language: 'en-US'
            });
            expect(document.modelVersion).toBe(1);
        });
    });

    describe('images', () => {
        const PNG = { format: 'png' as const, data: 'iVBORw0KGgo=', width: 200, height: 80 };

        it('loads each image once through the injected loader', async () => {
            const loadImage = jest.fn().mockResolvedValue(PNG);
            const { document, warnings } = await merge(
                '<p align="center">{{image "StaticResource:Logo" width=120 alt="Acme logo"}}</p>{{image "StaticResource:Logo"}}',
                { loadImage }
            );
            expect(loadImage).toHaveBeenCalledTimes(1);
            expect(loadImage).toHaveBeenCalledWith('StaticResource:Logo');
            expect(document.body[0]).toEqual({
                type: 'image',
                format: 'png',
                data: PNG.data,
                intrinsicWidth: 200,
                intrinsicHeight: 80,
                width: 120,
                alt: 'Acme logo',
                align: 'center'
            });
            expect(document.body).toHaveLength(2);
            expect(warnings).toEqual([]);
        });

        it('leaves out an image that cannot be loaded, with a warning, and still merges', async () => {
            const loadImage = jest.fn().mockRejectedValue(new Error('File not found'));
            const { document, warnings } = await merge(
                '{{image "0691x000000AbCdAAK"}}<p>After</p>',
                { loadImage }
            );
            expect(textOf(document)).toBe('After');
            expect(warnings).toEqual([
                {
                    code: 'imageNotLoaded',
                    subject: '0691x000000AbCdAAK',
                    message:
                        'The image “0691x000000AbCdAAK” was left out because it could not be loaded: File not found'
                }
            ]);
        });
    });

    describe('fields the user cannot read', () => {
        it('print empty and are listed once each as warnings, never failing the document', async () => {
            const { AnnualRevenue: _hidden, Opportunities: _list, ...visible } = ACCOUNT;
            const result = await merge(
                '<p>[{{AnnualRevenue | currency}}] [{{AnnualRevenue}}] {{#if AnnualRevenue > 5}}big{{else}}unknown{{/if}}</p><ul>{{#each Opportunities}}<li>{{Name}}</li>{{/each}}</ul>',
                {},
                { ...visible, Owner: { Name: 'Ada Admin' } }
            );
            expect(textOf(result.document)).toBe('[] [] unknown');
            expect(result.warnings).toEqual([
                {
                    code: 'unreadableField',
                    subject: 'AnnualRevenue',
                    message:
                        '“AnnualRevenue” is empty in this document: you cannot see this field, or it was not read.'
                },
                {
                    code: 'unreadableField',
                    subject: 'Opportunities',
                    message: expect.stringContaining(
                        '“Opportunities” is empty'
                    ) as unknown as string
                }
            ]);
        });

        it('warn for a child field missing from rows', async () => {
            const rows = ACCOUNT.Opportunities.map(({ Amount: _a, ...rest }) => rest);
            const result = await merge(
                '<ul>{{#each Opportunities}}<li>{{Name}}: {{Amount | default "hidden"}}</li>{{/each}}</ul>',
                {},
                { ...ACCOUNT, Opportunities: rows }
            );
            expect(textOf(result.document)).toContain('- Big deal: hidden');
            expect(result.warnings.map((w) => w.subject)).toEqual(['Opportunities.Amount']);
        });
    });

    describe('values are text, never markup', () => {
        const hostile = {
            ...ACCOUNT,
            Name: '<script>alert(1)</script>',
            BillingCity: '{{Owner.Name}}',
            Description: '<b>not bold</b> {{#each Opportunities}}x{{/each}} &amp;'
        };

        it('prints tags, merge tags and entities in a field exactly as typed', async () => {
            const { document } = await merge(
                '<p>{{Name}}|{{BillingCity}}|{{Description}}</p>',
                {},
                hostile
            );
            expect(document.body).toEqual([
                {
                    type: 'paragraph',
                    runs: [
                        {
                            type: 'text',
                            text: '<script>alert(1)</script>|{{Owner.Name}}|<b>not bold</b> {{#each Opportunities}}x{{/each}} &amp;'
                        }
                    ]
                }
            ]);
        });

        it('never uses a field value as a link or style', async () => {
            const { document } = await merge(
                '<p><a href="https://example.com">{{Name}}</a></p>',
                {},
                { ...ACCOUNT, Name: 'javascript:alert(1)' }
            );
            expect(document.body[0]).toEqual({
                type: 'paragraph',
                runs: [{ type: 'text', text: 'javascript:alert(1)', link: 'https://example.com' }]
            });
        });
    });

    describe('rich text fields', () => {
        it('keep Salesforce’s formatting subset as runs and drop everything else to its text', async () => {
            const notes =
                '<p>Hello <b>bold</b> <i>it</i> <u>under</u> <strong>s</strong><em>e</em></p><ul><li>one</li><li><a href="https://x.example/">link</a></li></ul><ol><li>first</li></ol><p><span style="color:red">red</span> <font>old</font><img src="https://evil.example/x.png" alt="x"><a href="javascript:alert(1)">bad link</a><script>steal()</script><style>p{}</style> &lt;kept&gt;</p>';
            const { document } = await merge(
                '<p>{{Notes__c}}</p>',
                {},
                { ...ACCOUNT, Notes__c: notes }
            );
            const runs = (document.body[0] as { runs: TextRun[] }).runs;
            expect(runs.map((r) => r.text).join('')).toBe(
                'Hello bold it under se\n• one\n• link\n1. first\nred oldbad link <kept>'
            );
            expect(runs).toContainEqual({ type: 'text', text: 'bold', bold: true });
            expect(runs).toContainEqual({ type: 'text', text: 'it', italic: true });
            expect(runs).toContainEqual({ type: 'text', text: 'under', underline: true });
            expect(runs).toContainEqual({ type: 'text', text: 'link', link: 'https://x.example/' });
            expect(runs.some((r) => r.link?.startsWith('javascript'))).toBe(false);
            expect(runs.map((r) => r.text).join('')).not.toContain('steal');
        });

        it('inherit the template’s style around them', async () => {
            const { document } = await merge(
                '<p><i>{{Notes__c}}</i></p>',
                {},
                { ...ACCOUNT, Notes__c: '<b>x</b>' }
            );
            expect((document.body[0] as { runs: TextRun[] }).runs).toEqual([
                { type: 'text', text: 'x', bold: true, italic: true }
            ]);
        });
    });

    describe('problems point at the line and column', () => {
        async function problems(body: string, more: Partial<DocumentTemplate> = {}) {
            const result = await prepareTemplate(template(body, more), loadDescribe);
            expect(result.template).toBeNull();
            return result.problems.map((p) => p.message);
        }

        it('an unknown tag', async () => {
            expect(await problems('<p>ok</p>\n<p>\n    <blink>x</blink></p>')).toEqual([
                'Body, line 3, column 5: <blink> is not a tag templates can use. Use p, div, h1, h2, h3, b, i, u, a, span, br, ul, ol, li, table, thead, tbody, tfoot, tr, th, td or pagebreak.'
            ]);
        });

        it('an unknown field, checked against the describe, and an unknown parent field', async () => {
            expect(await problems('<p>{{Name}}</p>\n<p>{{Nmae}} and {{Owner.Phone}}</p>')).toEqual([
                'Body, line 2, column 4: Account has no field “Nmae” that you can see. Check the spelling, or pick it from the field list.',
                'Body, line 2, column 17: User has no field “Owner.Phone” that you can see. Check the spelling, or pick it from the field list.'
            ]);
        });

        it('an unknown related list and an unknown field of its rows', async () => {
            expect(
                await problems(
                    '{{#each Oportunities}}{{Name}}{{/each}}\n{{#each Contacts}}{{Email}}{{/each}}'
                )
            ).toEqual([
                expect.stringContaining(
                    'Body, line 1, column 1: Account has no related list “Oportunities”'
                ),
                expect.stringContaining('Body, line 2, column 19: Contact has no field “Email”')
            ]);
        });

        it('an unclosed block, a stray close, a stray else', async () => {
            expect(await problems('<p>a</p>\n{{#each Opportunities}}\n<p>{{Name}}</p>')).toEqual([
                'Body, line 2, column 1: {{#each}} is opened here but not closed with {{/each}} before this point.'
            ]);
            expect(await problems('<p>{{#if Name}}a</p>{{/if}}')).toEqual([
                'Body, line 1, column 4: {{#if}} is opened here but not closed with </p> before this point.'.replace(
                    'not closed with </p>',
                    'not closed with </p>'
                )
            ]);
            expect(await problems('<p>a{{/each}}</p>')).toEqual([
                expect.stringContaining(
                    'line 1, column 5: {{/each}} closes something that is not open'
                )
            ]);
            expect(await problems('<p>a {{else}}</p>')).toEqual([
                'Body, line 1, column 6: {{else}} must be inside an {{#if}} block, once.'
            ]);
        });

        it('an unclosed tag', async () => {
            expect(await problems('<h1>Title\n<b>bold</h1>')).toEqual([
                expect.stringContaining('line 2, column 1: <b> is opened here but never closed.')
            ]);
        });

        it('a bad formatter or formatter value', async () => {
            expect(await problems('<p>{{Name | shout}}</p>')).toEqual([
                'Body, line 1, column 13: “shout” is not a formatter, or its value is wrong. Formatters: date, datetime, number, currency, percent, default, upper, lower.'
            ]);
            expect(await problems('<p>{{AnnualRevenue | currency "euro"}}</p>')).toEqual([
                expect.stringContaining('“currency” is not a formatter, or its value is wrong')
            ]);
            expect(await problems('<p>{{Name | default}}</p>')).toEqual([
                expect.stringContaining('“default” is not a formatter')
            ]);
        });

        it('a condition that cannot be read', async () => {
            expect(await problems('<p>{{#if Amount >}}x{{/if}}</p>')).toEqual([
                expect.stringContaining('line 1, column 18: The condition')
            ]);
            expect(await problems(`{{#each Opportunities where="Amount >> 5"}}{{/each}}`)).toEqual([
                expect.stringContaining('The condition “Amount >> 5” cannot be read')
            ]);
        });

        it('page numbers in the body, headings in the footer', async () => {
            expect(await problems('<p>{{pageNumber}}</p>', { footer: '<h1>x</h1>' })).toEqual([
                'Body, line 1, column 4: {{pageNumber}} and {{pageCount}} can only be used in the header or footer.',
                'Footer, line 1, column 1: <h1> cannot be used in a header or footer. Use paragraphs, a table or an image.'
            ]);
        });

        it('table rows whose cells do not match the columns, and blocks where they cannot go', async () => {
            expect(
                await problems(
                    '<table>\n<tr><td>a</td><td>b</td></tr>\n<tr><td>c</td></tr></table>'
                )
            ).toEqual([
                'Body, line 3, column 1: This table row has 1 cells, but the table has 2 columns. Every row needs one cell per column.'
            ]);
            expect(await problems('<table><tr><td>a</td></tr>oops</table>')).toEqual([
                expect.stringContaining('“oops” cannot be placed inside <table>')
            ]);
            expect(await problems('<h2>{{image "StaticResource:Logo"}}</h2>')).toEqual([
                expect.stringContaining('{{image}} cannot be placed inside <h2>')
            ]);
        });

        it('totals before any related list, nested related lists, bad links and images', async () => {
            expect(await problems('<p>{{#total Amount}}</p>')).toEqual([
                expect.stringContaining('{{#total}} must come after an {{#each}} block')
            ]);
            expect(
                await problems('{{#each Opportunities}}{{#each Contacts}}{{/each}}{{/each}}')
            ).toEqual([
                expect.stringContaining(
                    'line 1, column 24: {{#each}} cannot be inside another {{#each}}'
                )
            ]);
            expect(await problems('<p><a href="javascript:alert(1)">x</a></p>')).toEqual([
                expect.stringContaining('The link “javascript:alert(1)” must start with')
            ]);
            expect(await problems('{{image "https://evil.example/x.png"}}')).toEqual([
                expect.stringContaining('“https://evil.example/x.png” is neither')
            ]);
        });

        it('a merge tag that is not closed', async () => {
            expect(await problems('<p>Hello {{Name</p>')).toEqual([
                expect.stringContaining('line 1, column 10:')
            ]);
        });

        it('syntax problems are found without the describe, on each part', () => {
            const result = parseTemplate(template('<p>ok</p>', { header: '<p>{{#if x}}</p>' }));
            expect(result.template).toBeNull();
            expect(result.problems).toEqual([
                expect.objectContaining({
                    part: 'header',
                    line: 1,
                    column: 4,
                    code: 'unclosedBlock'
                })
            ]);
        });
    });

    describe('fieldsUsed', () => {
        it('lists base fields, related lists with their fields, sort and row limit, and images', () => {
            const parsed = parseTemplate(
                template(
                    `{{image "StaticResource:Logo"}}<p>{{Name}} {{Owner.Name}} {{#if AnnualRevenue > 5}}x{{/if}}</p>
{{#each Opportunities sort="CloseDate desc" where="StageName != 'Closed Lost'" limit=10}}<p>{{Name}} {{Amount}}</p>{{/each}}
<p>{{#total Amount}} {{name}}</p>
<ul>{{#each Contacts limit=5}}<li>{{Name}}</li>{{/each}}</ul>`,
                    { footer: '<p>{{pageNumber}} {{BillingCity}}</p>' }
                )
            );
            expect(fieldsUsed(parsed.template!)).toEqual({
                fields: ['Name', 'Owner.Name', 'AnnualRevenue', 'BillingCity'],
                children: [
                    {
                        relationship: 'Opportunities',
                        fields: ['StageName', 'CloseDate', 'Name', 'Amount'],
                        sortBy: [{ path: 'CloseDate', descending: true }],
                        limitRows: 1000
                    },
                    { relationship: 'Contacts', fields: ['Name'], sortBy: [], limitRows: 5 }
                ],
                images: ['StaticResource:Logo']
            });
        });
    });
});

describe('c/documentMerge for a user who cannot see some fields', () => {
    // The user's describe hides AnnualRevenue and the Contacts list (FLS / object access).
    const { AnnualRevenue: _hidden, ...visibleFields } = DESCRIBES.Account!.fields;
    const userDescribe = (name: string) =>
        Promise.resolve(
            name === 'Account'
                ? {
                      ...DESCRIBES.Account!,
                      fields: visibleFields,
                      childRelationships: DESCRIBES.Account!.childRelationships.filter(
                          (r) => r.relationshipName !== 'Contacts'
                      )
                  }
                : DESCRIBES[name]
        );
    const source = template(
        '<p>{{Name}}: {{AnnualRevenue | default "—"}}</p><ul>{{#each Contacts}}<li>{{Name}}</li>{{/each}}</ul>'
    );

    it('is an error in the editor, where a missing field is a typo', async () => {
        const result = await prepareTemplate(source, userDescribe);
        expect(result.problems.map((p) => p.code)).toEqual(['unknownRelationship', 'unknownField']);
    });

    it('still generates: the hidden fields are not requested, print empty and are warned about', async () => {
        const result = await prepareTemplate(source, userDescribe, { forGeneration: true });
        expect(result.problems).toEqual([]);
        expect(result.unseen?.map((p) => p.code)).toEqual(['unknownRelationship', 'unknownField']);
        expect(fieldsUsed(result.template!)).toEqual({
            fields: ['Name'],
            children: [],
            images: []
        });
        const { AnnualRevenue: _r, ...record } = ACCOUNT;
        const merged = await mergeTemplate(result.template!, data(record), OPTIONS);
        expect(textOf(merged.document)).toBe('Acme Corp: —');
        expect(merged.warnings.map((w) => w.subject)).toEqual(['AnnualRevenue', 'Contacts']);
    });
});

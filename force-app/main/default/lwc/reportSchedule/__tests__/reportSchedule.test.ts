import {
    composeReportQuery,
    nextRunAt,
    parseCron,
    scheduleFromRecord,
    scheduleToFields,
    SCHEDULE_LIMITS,
    validateSchedule,
    type Frequency,
    type QueryDefinition,
    type ReportScheduleDefinition
} from 'c/reportSchedule';

const NEW_YORK = 'America/New_York';
const BERLIN = 'Europe/Berlin';

/** The next run after `iso`, as an ISO string (UTC). */
function next(frequency: Frequency, timeZone: string, iso: string): string {
    return nextRunAt(frequency, timeZone, new Date(iso)).toISOString();
}

/** The next `count` runs one after another, as a scheduler would chain them. */
function chain(frequency: Frequency, timeZone: string, iso: string, count: number): string[] {
    const runs: string[] = [];
    let after = new Date(iso);
    for (let i = 0; i < count; i++) {
        after = nextRunAt(frequency, timeZone, after);
        runs.push(after.toISOString());
    }
    return runs;
}

describe('nextRunAt: daily runs across daylight-saving changes', () => {
    // 2025: New York springs forward on 9 March (02:00 → 03:00) and falls back on 2 November
    // (02:00 → 01:00); Berlin on 30 March (02:00 → 03:00) and 26 October (03:00 → 02:00).
    it('runs a 02:30 New York report at 03:00 on the spring-forward day, then at 02:30 again', () => {
        expect(
            chain({ kind: 'daily', time: '02:30' }, NEW_YORK, '2025-03-08T12:00:00Z', 3)
        ).toEqual([
            '2025-03-09T07:00:00.000Z', // 03:00 EDT: 02:30 does not exist that night
            '2025-03-10T06:30:00.000Z', // 02:30 EDT
            '2025-03-11T06:30:00.000Z'
        ]);
    });

    it('runs a 01:30 New York report once on the fall-back day, at the first 01:30', () => {
        expect(
            chain({ kind: 'daily', time: '01:30' }, NEW_YORK, '2025-11-01T12:00:00Z', 3)
        ).toEqual([
            '2025-11-02T05:30:00.000Z', // 01:30 EDT, the first of the two
            '2025-11-03T06:30:00.000Z', // 01:30 EST: the repeated 01:30 is skipped
            '2025-11-04T06:30:00.000Z'
        ]);
    });

    it('runs a 02:30 Berlin report at 03:00 on the spring-forward day', () => {
        expect(chain({ kind: 'daily', time: '02:30' }, BERLIN, '2025-03-29T12:00:00Z', 2)).toEqual([
            '2025-03-30T01:00:00.000Z', // 03:00 CEST
            '2025-03-31T00:30:00.000Z' // 02:30 CEST
        ]);
    });

    it('runs a 02:30 Berlin report once on the fall-back day', () => {
        expect(chain({ kind: 'daily', time: '02:30' }, BERLIN, '2025-10-25T12:00:00Z', 2)).toEqual([
            '2025-10-26T00:30:00.000Z', // 02:30 CEST, the first of the two
            '2025-10-27T01:30:00.000Z' // 02:30 CET
        ]);
    });

    it('keeps the wall-clock time, not the UTC time, across a change', () => {
        const runs = chain({ kind: 'daily', time: '07:00' }, BERLIN, '2025-03-28T12:00:00Z', 3);
        expect(runs).toEqual([
            '2025-03-29T06:00:00.000Z', // 07:00 CET
            '2025-03-30T05:00:00.000Z', // 07:00 CEST
            '2025-03-31T05:00:00.000Z'
        ]);
    });

    it('is strictly after the given time: a run at its due time gets the next one', () => {
        expect(next({ kind: 'daily', time: '09:00' }, 'UTC', '2025-05-01T09:00:00Z')).toBe(
            '2025-05-02T09:00:00.000Z'
        );
        expect(next({ kind: 'daily', time: '09:00' }, 'UTC', '2025-05-01T08:59:59.999Z')).toBe(
            '2025-05-01T09:00:00.000Z'
        );
    });
});

describe('nextRunAt: hourly', () => {
    it('runs every elapsed hour at the minute, also through the New York fall-back hour', () => {
        expect(chain({ kind: 'hourly', minute: 15 }, NEW_YORK, '2025-11-02T04:20:00Z', 4)).toEqual([
            '2025-11-02T05:15:00.000Z', // 01:15 EDT
            '2025-11-02T06:15:00.000Z', // 01:15 EST (an hour later)
            '2025-11-02T07:15:00.000Z', // 02:15 EST
            '2025-11-02T08:15:00.000Z'
        ]);
    });

    it('skips no hour at the Berlin spring-forward (01:45 CET, then 03:45 CEST)', () => {
        expect(chain({ kind: 'hourly', minute: 45 }, BERLIN, '2025-03-30T00:00:00Z', 2)).toEqual([
            '2025-03-30T00:45:00.000Z',
            '2025-03-30T01:45:00.000Z'
        ]);
    });

    it('follows the local minute in zones with half-hour offsets', () => {
        expect(next({ kind: 'hourly', minute: 0 }, 'Asia/Kolkata', '2025-01-01T00:00:00Z')).toBe(
            '2025-01-01T00:30:00.000Z'
        );
    });
});

describe('nextRunAt: weekly and monthly', () => {
    it('runs on the chosen weekdays only', () => {
        const weekly: Frequency = { kind: 'weekly', time: '08:00', days: ['MON', 'THU'] };
        // 2025-03-27 is a Thursday; Berlin changes to summer time on Sunday the 30th.
        expect(chain(weekly, BERLIN, '2025-03-26T12:00:00Z', 3)).toEqual([
            '2025-03-27T07:00:00.000Z', // Thu 08:00 CET
            '2025-03-31T06:00:00.000Z', // Mon 08:00 CEST
            '2025-04-03T06:00:00.000Z' // Thu
        ]);
    });

    it('runs a monthly report for the 31st on the last day of shorter months', () => {
        const monthly: Frequency = { kind: 'monthly', time: '06:00', day: 31 };
        expect(chain(monthly, NEW_YORK, '2025-01-01T00:00:00Z', 5)).toEqual([
            '2025-01-31T11:00:00.000Z',
            '2025-02-28T11:00:00.000Z',
            '2025-03-31T10:00:00.000Z', // EDT from 9 March
            '2025-04-30T10:00:00.000Z',
            '2025-05-31T10:00:00.000Z'
        ]);
    });

    it('runs on 29 February in a leap year', () => {
        expect(
            next({ kind: 'monthly', time: '00:00', day: 30 }, 'UTC', '2028-02-01T00:00:00Z')
        ).toBe('2028-02-29T00:00:00.000Z');
    });
});

describe('nextRunAt: cron', () => {
    it('reads the five fields in the schedule zone, across spring-forward', () => {
        expect(
            chain({ kind: 'cron', expression: '30 2 * * *' }, NEW_YORK, '2025-03-08T12:00:00Z', 2)
        ).toEqual(['2025-03-09T07:00:00.000Z', '2025-03-10T06:30:00.000Z']);
    });

    it('runs once at fall-back in Berlin', () => {
        expect(
            chain({ kind: 'cron', expression: '30 2 * * *' }, BERLIN, '2025-10-25T12:00:00Z', 2)
        ).toEqual(['2025-10-26T00:30:00.000Z', '2025-10-27T01:30:00.000Z']);
    });

    it('understands lists, ranges, steps and names (weekdays 9–17 every 2 hours)', () => {
        const runs = chain(
            { kind: 'cron', expression: '0 9-17/2 * * MON-FRI' },
            'UTC',
            '2025-05-02T16:00:00Z',
            3
        );
        // Friday 17:00, then Monday 09:00 and 11:00.
        expect(runs).toEqual([
            '2025-05-02T17:00:00.000Z',
            '2025-05-05T09:00:00.000Z',
            '2025-05-05T11:00:00.000Z'
        ]);
    });

    it('matches either day field when both are restricted (cron semantics)', () => {
        // The 1st of the month or any Sunday at 06:00: 2025-06-01 is itself a Sunday.
        expect(
            chain({ kind: 'cron', expression: '0 6 1 * 0' }, 'UTC', '2025-05-30T00:00:00Z', 3)
        ).toEqual([
            '2025-06-01T06:00:00.000Z',
            '2025-06-08T06:00:00.000Z',
            '2025-06-15T06:00:00.000Z'
        ]);
    });

    it('treats 7 as Sunday, and finds 29 February years ahead', () => {
        expect(next({ kind: 'cron', expression: '0 0 * * 7' }, 'UTC', '2025-06-02T00:00:00Z')).toBe(
            '2025-06-08T00:00:00.000Z'
        );
        expect(
            next({ kind: 'cron', expression: '0 0 29 2 *' }, 'UTC', '2025-03-01T00:00:00Z')
        ).toBe('2028-02-29T00:00:00.000Z');
    });

    it('refuses malformed expressions with a message that says what is wrong', () => {
        expect(() => parseCron('0 9 * *')).toThrow(/five fields/);
        expect(() => parseCron('61 9 * * *')).toThrow(/minute field must be between 0 and 59/);
        expect(() => parseCron('0 9 * * FUNDAY')).toThrow(/day-of-week field has "FUNDAY"/);
        expect(() => parseCron('0 17-9 * * *')).toThrow(/runs backwards/);
        expect(() => parseCron('*/0 * * * *')).toThrow(/step/);
        expect(() =>
            nextRunAt({ kind: 'cron', expression: '0 0 31 2 *' }, 'UTC', new Date())
        ).toThrow(/never runs/);
    });

    it('refuses an unknown time zone', () => {
        expect(() =>
            nextRunAt({ kind: 'daily', time: '09:00' }, 'Mars/Olympus', new Date())
        ).toThrow(/not a known time zone/);
    });
});

function definition(overrides: Partial<ReportScheduleDefinition> = {}): ReportScheduleDefinition {
    return {
        name: 'Open pipeline',
        sourceType: 'Query',
        query: {
            object: 'Opportunity',
            fields: ['Name', 'Amount', 'StageName'],
            filters: [],
            totals: ['Amount'],
            groupBy: 'StageName'
        },
        format: 'CSV',
        frequency: { kind: 'weekly', time: '07:30', days: ['MON'] },
        timeZone: BERLIN,
        recipients: [{ type: 'user', userId: '005000000000001AAA' }],
        perRecipient: false,
        aiSummary: false,
        active: true,
        ...overrides
    };
}

function fieldsOf(problems: { field: string }[]): string[] {
    return problems.map((p) => p.field);
}

describe('validateSchedule', () => {
    it('accepts a complete schedule', () => {
        expect(validateSchedule(definition())).toEqual([]);
        expect(
            validateSchedule(
                definition({ sourceType: 'Report', reportId: '00O000000000001AAA', query: null })
            )
        ).toEqual([]);
    });

    it('names every missing or wrong field, each with its own message', () => {
        const problems = validateSchedule({
            name: '  ',
            sourceType: 'Spreadsheet' as never,
            format: 'XLSX' as never,
            frequency: { kind: 'daily', time: '25:00' },
            timeZone: 'Nowhere/Town',
            recipients: [],
            perRecipient: 'yes' as never,
            aiSummary: false,
            active: true
        });
        expect(fieldsOf(problems)).toEqual([
            'name',
            'sourceType',
            'format',
            'frequency.time',
            'timeZone',
            'recipients',
            'perRecipient'
        ]);
        for (const problem of problems) expect(problem.message.length).toBeGreaterThan(10);
    });

    it('refuses a long name and a report id that is not a report', () => {
        expect(fieldsOf(validateSchedule(definition({ name: 'x'.repeat(81) })))).toEqual(['name']);
        expect(
            fieldsOf(
                validateSchedule(
                    definition({ sourceType: 'Report', reportId: '001000000000001AAA' })
                )
            )
        ).toEqual(['reportId']);
    });

    it('refuses a PDF whose row limit is more than a PDF holds, pointing at the format', () => {
        const query = definition().query!;
        const pdf = (limit: number | null) =>
            validateSchedule(definition({ format: 'PDF', query: { ...query, limit } }));
        expect(pdf(SCHEDULE_LIMITS.maxPdfRows)).toEqual([]);
        expect(pdf(null)).toEqual([]);
        const problems = pdf(SCHEDULE_LIMITS.maxPdfRows + 1);
        expect(fieldsOf(problems)).toEqual(['format']);
        expect(problems[0]!.message).toBe(
            'A PDF report holds at most 10,000 rows: choose CSV, or set the row limit to 10,000 or less.'
        );
        // The same rows as CSV are fine, up to the report limit.
        expect(
            validateSchedule(
                definition({ query: { ...query, limit: SCHEDULE_LIMITS.maxReportRows } })
            )
        ).toEqual([]);
    });

    it('checks each frequency kind', () => {
        const check = (frequency: unknown) =>
            validateSchedule(definition({ frequency: frequency as Frequency }));
        expect(fieldsOf(check({ kind: 'hourly', minute: 60 }))).toEqual(['frequency']);
        expect(fieldsOf(check({ kind: 'hourly', minute: 1.5 }))).toEqual(['frequency']);
        expect(fieldsOf(check({ kind: 'weekly', time: '07:00', days: [] }))).toEqual([
            'frequency.days'
        ]);
        expect(fieldsOf(check({ kind: 'weekly', time: '07:00', days: ['MON', 'MON'] }))).toEqual([
            'frequency.days'
        ]);
        expect(fieldsOf(check({ kind: 'weekly', time: '7:00', days: ['XYZ'] }))).toEqual([
            'frequency.time',
            'frequency.days'
        ]);
        expect(fieldsOf(check({ kind: 'monthly', time: '07:00', day: 32 }))).toEqual(['frequency']);
        expect(fieldsOf(check({ kind: 'monthly', time: '07:00', day: 0 }))).toEqual(['frequency']);
        expect(fieldsOf(check({ kind: 'yearly' }))).toEqual(['frequency']);
        expect(fieldsOf(check(null))).toEqual(['frequency']);
    });

    it(`refuses cron expressions that run more often than every ${SCHEDULE_LIMITS.minIntervalMinutes} minutes`, () => {
        const [problem] = validateSchedule(
            definition({ frequency: { kind: 'cron', expression: '0,30 * * * *' } })
        );
        expect(problem).toEqual({
            field: 'frequency',
            message: expect.stringMatching(/at least 60 minutes apart; .* every 30 minutes/)
        });
        expect(
            validateSchedule(definition({ frequency: { kind: 'cron', expression: '0 * * * *' } }))
        ).toEqual([]);
        expect(
            validateSchedule(
                definition({ frequency: { kind: 'cron', expression: '0 23,0 * * *' } })
            )
        ).toEqual([]);
        expect(
            fieldsOf(
                validateSchedule(
                    definition({ frequency: { kind: 'cron', expression: '0 0 * * * *' } })
                )
            )
        ).toEqual(['frequency']);
    });

    it('allows external email recipients only when the admin allows them', () => {
        const withEmail = definition({
            recipients: [
                { type: 'user', userId: '005000000000001AAA' },
                { type: 'email', address: 'cfo@example.com' }
            ]
        });
        const refused = validateSchedule(withEmail);
        expect(refused).toEqual([
            { field: 'recipients', message: expect.stringContaining('cfo@example.com') }
        ]);
        expect(validateSchedule(withEmail, { allowExternalRecipients: true })).toEqual([]);
    });

    it('refuses bad, duplicate and too many recipients', () => {
        const bad = validateSchedule(
            definition({
                recipients: [
                    { type: 'user', userId: '001000000000001AAA' },
                    { type: 'email', address: 'not an address' },
                    { type: 'email', address: 'a@example.com\r\nBcc: x@evil.test' },
                    { type: 'email', address: 'A@example.com' },
                    { type: 'email', address: 'a@example.com' },
                    { type: 'user', userId: '005000000000002' },
                    { type: 'user', userId: '005000000000002AAA' },
                    { type: 'team' } as never
                ]
            }),
            { allowExternalRecipients: true }
        );
        expect(bad.map((p) => p.message)).toEqual([
            expect.stringContaining('not a user id'),
            expect.stringContaining('not an email address'),
            expect.stringContaining('not an email address'),
            expect.stringContaining('listed twice'),
            'A user is listed twice.',
            'A recipient must be a user or an email address.'
        ]);
        const many = Array.from({ length: 51 }, (_, i) => ({
            type: 'user' as const,
            userId: `005${String(i).padStart(12, '0')}AAA`
        }));
        expect(validateSchedule(definition({ recipients: many }))).toEqual([
            { field: 'recipients', message: 'A schedule can have at most 50 recipients.' }
        ]);
    });

    it('needs a user recipient for per-recipient mode', () => {
        const problems = validateSchedule(
            definition({
                perRecipient: true,
                recipients: [{ type: 'email', address: 'x@example.com' }]
            }),
            { allowExternalRecipients: true }
        );
        expect(fieldsOf(problems)).toEqual(['perRecipient']);
    });

    it('checks the query: object, fields, filters, grouping, totals and limit', () => {
        const query = (q: Partial<QueryDefinition>) =>
            validateSchedule(
                definition({
                    query: {
                        object: 'Account',
                        fields: ['Name', 'AnnualRevenue'],
                        filters: [],
                        ...q
                    }
                })
            );
        expect(fieldsOf(query({ object: 'Account; DELETE' }))).toEqual(['query']);
        expect(fieldsOf(query({ fields: [] }))).toEqual(['query.fields']);
        expect(fieldsOf(query({ fields: ['Name', 'name'] }))).toEqual(['query.fields']);
        expect(fieldsOf(query({ fields: ['Name', 'COUNT(Id)'] }))).toEqual(['query.fields']);
        expect(
            fieldsOf(query({ fields: Array.from({ length: 51 }, (_, i) => `F${i}__c`) }))
        ).toEqual(['query.fields']);
        expect(fieldsOf(query({ groupBy: 'Industry' }))).toEqual(['query']);
        expect(fieldsOf(query({ totals: ['NumberOfEmployees'] }))).toEqual(['query']);
        expect(fieldsOf(query({ limit: 50_001 }))).toEqual(['query']);
        expect(fieldsOf(query({ limit: 0 }))).toEqual(['query']);
        expect(query({ limit: 50_000 })).toEqual([]);
        expect(fieldsOf(query({ orderBy: { field: 'Name', direction: 'UP' as never } }))).toEqual([
            'query'
        ]);
        const filters = query({
            filters: [
                { field: 'Name', operator: 'like' as never, value: 'x' },
                { field: 'Name', operator: 'contains', value: 5 },
                { field: 'Name', operator: 'in', value: [] },
                { field: 'Name', operator: 'equals' },
                { field: 'Name', operator: 'isNull' }
            ]
        });
        expect(filters.map((p) => p.message)).toEqual([
            'Filter 1: "like" is not an operator.',
            'Filter 2: "contains" and "starts with" compare text.',
            'Filter 3: "is one of" needs a list of 1 to 200 values.',
            'Filter 4: enter a value to compare with.'
        ]);
        expect(
            fieldsOf(
                query({
                    filters: Array.from({ length: 21 }, () => ({
                        field: 'Name',
                        operator: 'isNotNull' as const
                    }))
                })
            )
        ).toEqual(['query']);
    });
});

describe('composeReportQuery', () => {
    const base: QueryDefinition = {
        object: 'Account',
        fields: ['Name', 'Owner.Name'],
        filters: []
    };

    it('selects the fields, bounded by the row limit', () => {
        expect(composeReportQuery(base)).toBe('SELECT Name, Owner.Name FROM Account LIMIT 50000');
        expect(composeReportQuery({ ...base, limit: 100 })).toBe(
            'SELECT Name, Owner.Name FROM Account LIMIT 100'
        );
        expect(composeReportQuery({ ...base, limit: 1_000_000 })).toBe(
            'SELECT Name, Owner.Name FROM Account LIMIT 50000'
        );
    });

    it('writes each operator', () => {
        const where = (filter: QueryDefinition['filters'][number]) =>
            composeReportQuery({ ...base, filters: [filter] }).replace(
                /^.* WHERE (.*) LIMIT \d+$/,
                '$1'
            );
        expect(where({ field: 'Name', operator: 'equals', value: 'Acme' })).toBe("Name = 'Acme'");
        expect(where({ field: 'Name', operator: 'notEquals', value: 'Acme' })).toBe(
            "Name != 'Acme'"
        );
        expect(where({ field: 'AnnualRevenue', operator: 'lessThan', value: 10 })).toBe(
            'AnnualRevenue < 10'
        );
        expect(where({ field: 'AnnualRevenue', operator: 'greaterThan', value: -2.5 })).toBe(
            'AnnualRevenue > -2.5'
        );
        expect(where({ field: 'AnnualRevenue', operator: 'lessOrEqual', value: 0 })).toBe(
            'AnnualRevenue <= 0'
        );
        expect(where({ field: 'AnnualRevenue', operator: 'greaterOrEqual', value: 1e6 })).toBe(
            'AnnualRevenue >= 1000000'
        );
        expect(where({ field: 'IsDeleted', operator: 'equals', value: false })).toBe(
            'IsDeleted = FALSE'
        );
        expect(where({ field: 'Name', operator: 'contains', value: 'corp' })).toBe(
            "Name LIKE '%corp%'"
        );
        expect(where({ field: 'Name', operator: 'startsWith', value: 'Ac' })).toBe(
            "Name LIKE 'Ac%'"
        );
        expect(where({ field: 'Industry', operator: 'in', value: ['Energy', 'Retail', 3] })).toBe(
            "Industry IN ('Energy', 'Retail', 3)"
        );
        expect(where({ field: 'Phone', operator: 'isNull' })).toBe('Phone = null');
        expect(where({ field: 'Phone', operator: 'isNotNull' })).toBe('Phone != null');
        expect(where({ field: 'Phone', operator: 'equals', value: null })).toBe('Phone = null');
    });

    it('escapes quotes, backslashes, control characters and LIKE wildcards in values', () => {
        const soql = composeReportQuery({
            ...base,
            filters: [
                { field: 'Name', operator: 'equals', value: "O'Brien\\' OR Name != '" },
                { field: 'Description', operator: 'equals', value: 'line\nbreak\ttab' },
                { field: 'Name', operator: 'contains', value: "100%_off'" }
            ]
        });
        expect(soql).toBe(
            "SELECT Name, Owner.Name FROM Account WHERE Name = 'O\\'Brien\\\\\\' OR Name != \\'' AND " +
                "Description = 'line\\nbreak\\ttab' AND Name LIKE '%100\\%\\_off\\'%' LIMIT 50000"
        );
    });

    it('writes ISO dates and date literals unquoted', () => {
        const soql = composeReportQuery({
            ...base,
            filters: [
                { field: 'CreatedDate', operator: 'greaterOrEqual', value: 'LAST_N_DAYS:30' },
                { field: 'CloseDate', operator: 'lessThan', value: '2026-01-31' },
                {
                    field: 'LastModifiedDate',
                    operator: 'greaterThan',
                    value: '2026-01-31T08:00:00Z'
                },
                { field: 'CloseDate', operator: 'equals', value: 'THIS_FISCAL_QUARTER' },
                { field: 'Name', operator: 'equals', value: 'TODAY; DELETE' }
            ]
        });
        expect(soql).toContain('CreatedDate >= LAST_N_DAYS:30 AND CloseDate < 2026-01-31 AND ');
        expect(soql).toContain(
            'LastModifiedDate > 2026-01-31T08:00:00Z AND CloseDate = THIS_FISCAL_QUARTER'
        );
        expect(soql).toContain("Name = 'TODAY; DELETE'");
    });

    it('sorts by the grouping field first, then the chosen order', () => {
        expect(
            composeReportQuery({
                ...base,
                groupBy: 'Industry',
                orderBy: { field: 'Name', direction: 'DESC' }
            })
        ).toBe(
            'SELECT Name, Owner.Name FROM Account ORDER BY Industry ASC NULLS LAST, Name DESC NULLS LAST LIMIT 50000'
        );
        expect(composeReportQuery({ ...base, orderBy: { field: 'Name', direction: 'ASC' } })).toBe(
            'SELECT Name, Owner.Name FROM Account ORDER BY Name ASC LIMIT 50000'
        );
    });

    it('refuses identifiers that are not API names, since SOQL cannot escape them', () => {
        expect(() => composeReportQuery({ ...base, object: 'Account WHERE Id != null' })).toThrow(
            /not an object API name/
        );
        expect(() => composeReportQuery({ ...base, fields: ['Name FROM User --'] })).toThrow(
            /not a field API name/
        );
        expect(() =>
            composeReportQuery({ ...base, filters: [{ field: "Name'", operator: 'isNull' }] })
        ).toThrow(/not a field API name/);
        expect(() => composeReportQuery({ ...base, fields: [] })).toThrow(/at least one field/);
        expect(() =>
            composeReportQuery({
                ...base,
                filters: [{ field: 'Name', operator: 'drop' as never, value: 1 }]
            })
        ).toThrow(/not a filter operator/);
    });
});

describe('scheduleFromRecord / scheduleToFields', () => {
    it('round-trips a definition through the record fields', () => {
        const original = definition();
        const record = {
            Id: 'a07000000000001AAA',
            OwnerId: '005000000000002AAA',
            ...scheduleToFields(original)
        };
        expect(scheduleFromRecord(record)).toEqual({
            ...original,
            id: record.Id,
            ownerId: record.OwnerId,
            reportId: null
        });
    });

    it('names the field whose JSON cannot be read', () => {
        const record = { ...scheduleToFields(definition()), Frequency__c: '{not json' };
        expect(() => scheduleFromRecord(record)).toThrow(
            "The schedule's frequency is not valid JSON."
        );
        expect(() => scheduleFromRecord({ ...record, Frequency__c: null })).toThrow(
            'The schedule has no frequency.'
        );
    });
});

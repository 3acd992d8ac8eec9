import { fieldReadablePolicy, guardSoql } from 'c/soqlGuard';
import type { GuardedQuery, SoqlGuardContext } from 'c/soqlGuard';
import { coworker, getObjectInfo } from '../../../../../test/coworkerFixtures';

function context(overrides: Partial<SoqlGuardContext> = {}): SoqlGuardContext {
    const definition = coworker();
    return {
        allowedObjects: definition.allowedObjects,
        getObjectInfo: jest.fn(getObjectInfo),
        isFieldReadable: fieldReadablePolicy(definition),
        ...overrides
    };
}

async function accepted(soql: string, ctx = context()) {
    const result = await guardSoql(soql, ctx);
    if (!result.ok) throw new Error(`expected the query to pass, got: ${result.error}`);
    return result;
}

async function refused(soql: unknown, ctx = context()): Promise<string> {
    const result: GuardedQuery = await guardSoql(soql, ctx);
    if (result.ok) throw new Error(`expected a refusal, got: ${result.soql}`);
    return result.error;
}

describe('c/soqlGuard', () => {
    describe('queries that run', () => {
        it('adds LIMIT 200 and spells objects and fields as the describe does', async () => {
            const result = await accepted(
                "select name, INDUSTRY from account where rating = 'Hot'"
            );
            expect(result.soql).toBe(
                "SELECT Name, Industry FROM Account WHERE Rating = 'Hot' LIMIT 200"
            );
            expect(result.objectApiName).toBe('Account');
            expect(result.notes).toEqual(['LIMIT 200 added.']);
        });

        it('lowers a LIMIT above 200 and keeps a smaller one', async () => {
            const high = await accepted('SELECT Id FROM Account LIMIT 5000');
            expect(high.soql).toBe('SELECT Id FROM Account LIMIT 200');
            expect(high.notes).toEqual(['LIMIT lowered from 5000 to 200.']);
            const low = await accepted('SELECT Id FROM Account LIMIT 10');
            expect(low.soql).toBe('SELECT Id FROM Account LIMIT 10');
            expect(low.notes).toEqual([]);
        });

        it('accepts a trailing semicolon', async () => {
            expect((await accepted('SELECT Id FROM Account LIMIT 1;')).soql).toBe(
                'SELECT Id FROM Account LIMIT 1'
            );
        });

        it('follows lookups to parent fields, in SELECT, WHERE and ORDER BY', async () => {
            const result = await accepted(
                "SELECT name, account.name, account.owner.name FROM opportunity WHERE account.industry = 'Energy' ORDER BY account.name DESC NULLS LAST"
            );
            expect(result.soql).toBe(
                "SELECT Name, Account.Name, Account.Owner.Name FROM Opportunity WHERE Account.Industry = 'Energy' ORDER BY Account.Name DESC NULLS LAST LIMIT 200"
            );
        });

        it('bounds subqueries to 20 rows each and checks their fields', async () => {
            const result = await accepted(
                'SELECT Name, (SELECT lastname, email FROM contacts ORDER BY lastname), (SELECT Name, Amount FROM Opportunities LIMIT 50) FROM Account LIMIT 10'
            );
            expect(result.soql).toBe(
                'SELECT Name, (SELECT LastName, Email FROM Contacts ORDER BY LastName LIMIT 20), (SELECT Name, Amount FROM Opportunities LIMIT 20) FROM Account LIMIT 10'
            );
            expect(result.notes).toEqual([
                'LIMIT 20 added in the Contacts subquery.',
                'LIMIT lowered from 50 to 20 in the Opportunities subquery.'
            ]);
        });

        it('allows COUNT() without capping the count, and aggregates over known fields', async () => {
            expect(
                (await accepted("SELECT count() FROM Opportunity WHERE StageName = 'Closed Won'"))
                    .soql
            ).toBe("SELECT COUNT() FROM Opportunity WHERE StageName = 'Closed Won'");
            const grouped = await accepted(
                'SELECT stagename, sum(amount) total, count(id) FROM Opportunity WHERE calendar_year(closedate) = 2025 GROUP BY stagename HAVING sum(amount) > 1000 ORDER BY sum(amount) DESC'
            );
            expect(grouped.soql).toBe(
                'SELECT StageName, SUM(Amount) total, COUNT(Id) FROM Opportunity WHERE CALENDAR_YEAR(CloseDate) = 2025 GROUP BY StageName HAVING SUM(Amount) > 1000 ORDER BY SUM(Amount) DESC LIMIT 200'
            );
        });

        it('accepts a semi-join over an allowed object', async () => {
            const result = await accepted(
                "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE Email LIKE '%@acme.com')"
            );
            expect(result.soql).toBe(
                "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE Email LIKE '%@acme.com') LIMIT 200"
            );
        });

        it('keeps string literals exactly as one value, even when they read like SOQL', async () => {
            const result = await accepted(
                "SELECT Id FROM Account WHERE Name = 'x\\' OR Name != \\'' AND Description LIKE '%; DELETE FROM Account%'"
            );
            expect(result.soql).toBe(
                "SELECT Id FROM Account WHERE Name = 'x\\' OR Name != \\'' AND Description LIKE '%; DELETE FROM Account%' LIMIT 200"
            );
        });

        it('drops WITH USER_MODE (Apex always runs the query in user mode)', async () => {
            expect((await accepted('SELECT Id FROM Account WITH USER_MODE')).soql).toBe(
                'SELECT Id FROM Account LIMIT 200'
            );
        });

        it('reads only Id, Name and Type through a polymorphic lookup', async () => {
            expect((await accepted('SELECT Subject, Owner.Name FROM Case')).soql).toBe(
                'SELECT Subject, Owner.Name FROM Case LIMIT 200'
            );
            expect(await refused('SELECT Subject, Owner.Email FROM Case')).toMatch(
                /can point to several objects; only its Id, Name and Type/
            );
        });
    });

    describe('queries that are refused, with what to do instead', () => {
        it.each([
            ['DELETE FROM Account', /only reads; DELETE is not allowed.*update_record/],
            ["UPDATE Account SET Name = 'x'", /only reads; UPDATE is not allowed/],
            ["insert into Account (Name) values ('x')", /INSERT is not allowed/],
            ['FIND {Acme} IN ALL FIELDS', /SOSL.*search_records/],
            ['SELECT Id FROM Account; DELETE FROM Account', /exactly one SELECT statement/],
            ['SELECT Id FROM Account FOR UPDATE', /FOR UPDATE is not allowed/],
            ['SELECT Id FROM Account FOR VIEW', /FOR VIEW is not allowed/],
            ['SELECT Id FROM Account UPDATE VIEWSTAT', /UPDATE VIEWSTAT is not allowed/],
            ['SELECT Id FROM Account WITH SYSTEM_MODE', /WITH SYSTEM_MODE is not allowed/],
            ['DESCRIBE Account', /start the query with SELECT/],
            ['', /non-empty string/]
        ])('%s', async (soql, message) => {
            expect(await refused(soql)).toMatch(message);
        });

        it('refuses injected UNION-like text as unparsable, without running anything', async () => {
            const ctx = context();
            const error = await refused(
                "SELECT Id FROM Account WHERE Name = 'x' UNION SELECT Id, Email FROM User",
                ctx
            );
            expect(error).toMatch(/could not be parsed.*no UNION, JOIN/);
            expect(ctx.getObjectInfo).not.toHaveBeenCalled();
        });

        it('refuses a closed string followed by more SOQL', async () => {
            expect(await refused("SELECT Id FROM Account WHERE Name = 'a'' OR Name != ''")).toMatch(
                /could not be parsed/
            );
        });

        it('refuses bind variables', async () => {
            expect(await refused('SELECT Id FROM Account WHERE Name = :name')).toMatch(
                /could not be parsed/
            );
        });

        it('refuses an object the coworker may not use, naming the allowed ones', async () => {
            expect(await refused('SELECT Id, Email FROM user')).toBe(
                'The object "user" is not one this coworker may query. Allowed objects: Account, Contact, Opportunity, Case.'
            );
        });

        it('refuses an unknown field, naming the object and the way to find fields', async () => {
            expect(await refused('SELECT Id, Nmae FROM Account')).toBe(
                '"Nmae" (SELECT): Account has no field "Nmae". Use describe_object to see its fields.'
            );
            expect(await refused('SELECT Id FROM Account ORDER BY Revenue__c')).toMatch(
                /^"Revenue__c" \(ORDER BY\): Account has no field/
            );
            expect(await refused('SELECT Id, Acount.Name FROM Contact')).toMatch(
                /Contact has no lookup named "Acount"/
            );
        });

        it('refuses an excluded field anywhere in the query, WHERE included', async () => {
            expect(await refused("SELECT Id FROM Account WHERE Tax_Id__c = '12-345'")).toBe(
                '"Tax_Id__c" (WHERE) is not available to the coworker: the org\'s trust settings keep Account.Tax_Id__c from being sent. Leave it out of the query, including WHERE and ORDER BY.'
            );
            expect(await refused('SELECT Id FROM Contact ORDER BY birthdate')).toMatch(
                /Contact\.Birthdate/
            );
            expect(
                await refused('SELECT Name, (SELECT Birthdate FROM Contacts) FROM Account')
            ).toMatch(/Contact\.Birthdate/);
            expect(await refused('SELECT Id FROM Contact WHERE Account.Tax_Id__c != null')).toMatch(
                /Account\.Tax_Id__c/
            );
            expect(await refused('SELECT MAX(Tax_Id__c) FROM Account')).toMatch(
                /Account\.Tax_Id__c/
            );
        });

        it('refuses a field Salesforce classifies confidential', async () => {
            expect(await refused('SELECT Credit_Score__c FROM Account')).toMatch(
                /Account\.Credit_Score__c/
            );
        });

        it('refuses a third subquery and a subquery over an object the coworker may not use', async () => {
            expect(
                await refused(
                    'SELECT Id, (SELECT Id FROM Contacts), (SELECT Id FROM Opportunities), (SELECT Id FROM Cases) FROM Account'
                )
            ).toMatch(/At most 2 subqueries/);
            expect(await refused('SELECT Id, (SELECT Id FROM Notes) FROM Account')).toMatch(
                /"Note" is not one this coworker may query/
            );
            expect(await refused('SELECT Id, (SELECT Id FROM Friends) FROM Account')).toMatch(
                /no child relationship "Friends". Child relationships you can query: Contacts, Opportunities, Cases/
            );
        });

        it('reads only Id and name through a lookup to an object the coworker may not use', async () => {
            expect((await accepted('SELECT Owner.Name FROM Account')).soql).toBe(
                'SELECT Owner.Name FROM Account LIMIT 200'
            );
            expect(await refused('SELECT Owner.Email FROM Account')).toMatch(
                /User is not one of this coworker's objects; through a lookup only its Id and name/
            );
            expect(await refused("SELECT Id FROM Account WHERE Owner.Phone = '1'")).toMatch(
                /User is not one of this coworker's objects/
            );
        });

        it('refuses a semi-join over an object the coworker may not use', async () => {
            expect(
                await refused('SELECT Id FROM Account WHERE OwnerId IN (SELECT Id FROM User)')
            ).toMatch(/"User" is not one this coworker may query/);
        });

        it.each([
            [
                'SELECT FIELDS(ALL) FROM Account',
                /FIELDS\(\) is not supported here. List the fields by name/
            ],
            ['SELECT TYPEOF Owner WHEN User THEN Email END FROM Case', /TYPEOF is not supported/],
            [
                "SELECT Id FROM Account WHERE DISTANCE(Name, GEOLOCATION(1,2), 'mi') < 5",
                /DISTANCE\(\) is not supported/
            ],
            ['SELECT a.Name FROM Account a', /Leave out the object alias "a"/],
            ['SELECT Id FROM Account OFFSET 5000', /OFFSET 5000 is too large/]
        ])('%s', async (soql, message) => {
            expect(await refused(soql)).toMatch(message);
        });

        it('reports an object the describe cannot find', async () => {
            const ctx = context({ allowedObjects: ['Invoice__c'] });
            expect(await refused('SELECT Id FROM Invoice__c', ctx)).toMatch(
                /Invoice__c could not be described/
            );
        });
    });
});

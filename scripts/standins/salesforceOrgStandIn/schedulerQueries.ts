import type { OrgStore, OrgUser } from './orgStore';
import { objectDef } from './schema';

// TEST DOUBLE ONLY: the two queries the relay's AI summary of a scheduled report makes that the
// stand-in's small SOQL subset does not parse: Salesforce's data classification (FieldDefinition,
// the query of Apex's ClassifiedFieldReader) and today's token use (an aggregate, the query of
// Apex's TokenBudgetReader). Answered in the REST API's shapes; any other query returns null.

const CLASSIFIED =
    /^SELECT QualifiedApiName, EntityDefinition\.QualifiedApiName FROM FieldDefinition WHERE EntityDefinition\.QualifiedApiName IN \(([^)]*)\) AND SecurityClassification IN \('Confidential', 'Restricted'\)$/;
const USED_TODAY =
    /^SELECT SUM\(Model_Usage__c\) (\w+) FROM Resident_Activity__c WHERE CreatedById = '(\w+)' AND Kind__c = 'Model call' AND CreatedDate = TODAY$/;

export function answerSchedulerQuery(store: OrgStore, user: OrgUser, soql: string): unknown {
    const classified = CLASSIFIED.exec(soql.trim());
    if (classified) {
        const names = (classified[1] ?? '').split(',').map((n) => n.trim().replace(/^'|'$/g, ''));
        // SOQL compares names without regard to case; unknown objects have no fields.
        const records = names.flatMap((name) => {
            const object = objectDef(name);
            return (object?.fields ?? [])
                .filter((f) => f.securityClassification)
                .map((f) => ({
                    attributes: { type: 'FieldDefinition' },
                    QualifiedApiName: f.apiName,
                    EntityDefinition: {
                        attributes: { type: 'EntityDefinition' },
                        QualifiedApiName: object?.apiName
                    }
                }));
        });
        return { totalSize: records.length, done: true, records };
    }
    const used = USED_TODAY.exec(soql.trim());
    if (used) {
        const [, alias = 'expr0', userId = ''] = used;
        // The user's own rows they can read, created today (the stand-in's day is UTC's).
        const today = new Date().toISOString().slice(0, 10);
        const rows = store
            .query(
                user,
                `SELECT Model_Usage__c, CreatedDate FROM Resident_Activity__c WHERE CreatedById = '${userId}' AND Kind__c = 'Model call'`
            )
            .records.filter((r) => String(r.fields.CreatedDate ?? '').startsWith(today));
        const sum = rows.reduce((total, r) => total + Number(r.fields.Model_Usage__c ?? 0), 0);
        return {
            totalSize: 1,
            done: true,
            records: [
                {
                    attributes: { type: 'AggregateResult' },
                    [alias]: rows.length === 0 ? null : sum
                }
            ]
        };
    }
    return null;
}

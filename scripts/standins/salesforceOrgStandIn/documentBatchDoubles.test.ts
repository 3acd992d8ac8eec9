import { beforeEach, describe, expect, it } from 'vitest';
import type { ApexContext } from './apexDoubles';
import { callApexDouble, contextFor, refusal } from './apexDoubleTestSupport';
import { OrgStore } from './orgStore';
import { ADA_ADMIN_ID, SAM_SELLER_ID } from './seedData';

// DocumentBatchController.findRecords double: the batch generator's "records matching filters", as
// Ada (sees everything) and Sam (cannot read Account.AnnualRevenue).

let store: OrgStore;
let ada: ApexContext;
let sam: ApexContext;

type Found = { records: { id: string; name: string }[]; moreThanLimit: boolean };

function find(definition: unknown, context: ApexContext): Promise<Found> {
    return callApexDouble<Found>(
        'DocumentBatchController.findRecords',
        { definition: typeof definition === 'string' ? definition : JSON.stringify(definition) },
        context
    );
}

beforeEach(() => {
    store = new OrgStore();
    ada = contextFor(store, ADA_ADMIN_ID);
    sam = contextFor(store, SAM_SELLER_ID);
});

describe('DocumentBatchController.findRecords double', () => {
    it('answers the records matching every filter, by name, in the order asked', async () => {
        const expected = store
            .query(ada.user, "SELECT Id, Name FROM Account WHERE Name LIKE 'A%' ORDER BY Name DESC")
            .records.map((r) => ({ id: String(r.fields.Id), name: String(r.fields.Name) }));
        expect(expected.length).toBeGreaterThan(0);
        const found = await find(
            {
                object: 'Account',
                filters: [
                    { field: 'Name', operator: 'startsWith', value: 'A' },
                    { field: 'Name', operator: 'isNotNull' }
                ],
                orderBy: { field: 'Name', direction: 'DESC' }
            },
            ada
        );
        expect(found).toEqual({ records: expected, moreThanLimit: false });
    });

    it('takes at most the limit asked, and says when more match than the batch takes', async () => {
        const limited = await find({ object: 'Account', filters: [], limit: 3 }, ada);
        expect(limited.records).toHaveLength(3);
        expect(limited.moreThanLimit).toBe(false);
        // 40 seeded accounts: within 200.
        const all = await find({ object: 'Account', filters: [] }, ada);
        expect(all.records).toHaveLength(40);
        expect(all.moreThanLimit).toBe(false);
        for (let i = 0; i < 170; i++) {
            store.create(ada.user, 'Account', { Name: `Extra ${i}` });
        }
        const many = await find({ object: 'Account', filters: [] }, ada);
        expect(many.records).toHaveLength(200);
        expect(many.moreThanLimit).toBe(true);
    });

    it('refuses an unknown field, a field the user cannot read, a bad limit and malformed JSON, saying which', async () => {
        expect(
            await refusal(
                find(
                    {
                        object: 'Account',
                        filters: [{ field: 'Nope__c', operator: 'equals', value: 'x' }]
                    },
                    ada
                )
            )
        ).toBe('Nope__c is not a field you can read on this object.');
        const revenue = {
            object: 'Account',
            filters: [{ field: 'AnnualRevenue', operator: 'greaterThan', value: 1 }]
        };
        expect((await find(revenue, ada)).records.length).toBeGreaterThan(0);
        expect(await refusal(find(revenue, sam))).toBe(
            'AnnualRevenue is not a field you can read on this object.'
        );
        expect(await refusal(find({ object: 'Account', limit: 500 }, ada))).toBe(
            'The most records must be a whole number from 1 to 200.'
        );
        expect(await refusal(find('{not json', ada))).toBe(
            'The filters could not be read: choose them again.'
        );
    });
});

import { positionAt } from 'c/documentMerge';
import { insertAt, offsetAt } from '../templateText';
import { pickerFields, pickerSources } from '../mergeFieldCatalog';

describe('templateText', () => {
    const text = 'first\nsecond line\nthird';

    it('turns a problem’s line and column into the offset, and back', () => {
        expect(offsetAt(text, 2, 8)).toBe('first\nsecond '.length);
        expect(positionAt(text, 'first\nsecond '.length)).toEqual({ line: 2, column: 8 });
        // Past the end of a line or of the text: its end, never the next line.
        expect(offsetAt(text, 1, 99)).toBe(5);
        expect(offsetAt(text, 9, 1)).toBe(text.length);
    });

    it('inserts at the cursor or around the selection', () => {
        expect(insertAt('ab', 1, 1, '{{Name}}')).toEqual({
            text: 'a{{Name}}b',
            selectionStart: 9,
            selectionEnd: 9
        });
        expect(insertAt('a<p>x</p>b', 1, 9, ['{{#each Rows}}', '{{/each}}'])).toEqual({
            text: 'a{{#each Rows}}<p>x</p>{{/each}}b',
            selectionStart: 15,
            selectionEnd: 23
        });
    });
});

describe('mergeFieldCatalog', () => {
    const account = {
        apiName: 'Account',
        fields: {
            Name: { apiName: 'Name', label: 'Account Name', dataType: 'String' },
            OwnerId: {
                apiName: 'OwnerId',
                label: 'Owner ID',
                dataType: 'Reference',
                relationshipName: 'Owner',
                referenceToInfos: [{ apiName: 'User' }]
            }
        },
        childRelationships: [
            { relationshipName: 'Opportunities', childObjectApiName: 'Opportunity' },
            { relationshipName: 'Opportunities', childObjectApiName: 'Opportunity' },
            { relationshipName: null, childObjectApiName: 'AccountHistory' }
        ]
    };

    it('offers the record, its parents and its named related lists once each', () => {
        expect(pickerSources(account).map((s) => s.value)).toEqual([
            'base',
            'parent:Owner',
            'child:Opportunities'
        ]);
    });

    it('searches labels and paths, and writes parent paths', () => {
        const owner = pickerSources(account)[1]!;
        const user = {
            apiName: 'User',
            fields: { Name: { apiName: 'Name', label: 'Full Name', dataType: 'String' } },
            childRelationships: []
        };
        expect(pickerFields(owner, user, 'owner.na').map((f) => f.tag)).toEqual(['{{Owner.Name}}']);
        expect(pickerFields(pickerSources(account)[0]!, account, 'account name')).toHaveLength(1);
        expect(pickerFields(pickerSources(account)[0]!, account, 'nothing')).toEqual([]);
    });
});

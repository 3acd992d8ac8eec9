import { checkUnchanged, sameValue, undoPlan } from '../activityUndo';
import type { ActivityEntry } from 'c/coworkerContract';

describe('activityUndo', () => {
    it.each([
        ['5000', 5000, true],
        [5000, '5000.0', true],
        ['', null, true],
        [null, undefined, true],
        ['Hot', 'Hot', true],
        [true, 'true', true],
        ['2026-11-02T10:15:00Z', '2026-11-02T10:15:00.000Z', true],
        ['Hot', 'hot', false],
        ['Hot', null, false],
        [0, null, false],
        ['007', 7, false],
        [false, true, false]
    ])('sameValue(%p, %p) is %p', (logged, current, expected) => {
        expect(sameValue(logged, current)).toBe(expected);
    });

    const base = {
        kind: 'Tool call',
        outcome: 'Succeeded',
        tool: 'update_record',
        recordId: '001000000000001AAA',
        objectApiName: 'Account',
        priorValues: '{"Rating":"Cold"}',
        newValues: '{"Rating":"Hot"}',
        undoneById: null,
        undoneAt: null
    } as unknown as ActivityEntry;

    it('plans undo only for a succeeded, not undone update with readable values', () => {
        expect(undoPlan(base)?.kind).toBe('update');
        expect(undoPlan({ ...base, priorValues: 'not json' })).toBeNull();
        expect(undoPlan({ ...base, priorValues: '{}' })).toBeNull();
        expect(undoPlan({ ...base, kind: 'Undo' })).toBeNull();
        expect(undoPlan({ ...base, outcome: 'Proposed' })).toBeNull();
        expect(undoPlan({ ...base, undoneAt: '2026-11-02T11:00:00Z' })).toBeNull();
        expect(undoPlan({ ...base, recordId: null })).toBeNull();
        expect(undoPlan({ ...base, tool: 'create_record' })?.kind).toBe('create');
    });

    it('treats an unparseable modification date on a create as unverifiable', () => {
        const plan = undoPlan({ ...base, tool: 'create_record' })!;
        const check = checkUnchanged(plan, { fields: {} }, '2026-11-02T10:15:00.000Z');
        expect(check.unreadable).toEqual(['LastModifiedDate']);
    });
});

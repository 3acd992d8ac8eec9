import { formatLabel, readableError } from 'c/userMessages';

describe('c/userMessages', () => {
    it('fills numbered placeholders and leaves unknown ones', () => {
        expect(formatLabel('{0} of {1} ({2})', 'a', 3)).toBe('a of 3 ({2})');
    });

    it("reads a validation rule's message from an LDS error, not the generic one", () => {
        const error = {
            body: {
                message: 'An error occurred while trying to update the record. Please try again.',
                output: {
                    errors: [{ message: 'Close date cannot be in the past.' }],
                    fieldErrors: { Amount: [{ message: 'Amount must be positive.' }] }
                }
            }
        };
        expect(readableError(error)).toBe(
            'Close date cannot be in the past. Amount must be positive.'
        );
    });

    it('reads Apex messages, arrays of them, and plain errors', () => {
        expect(readableError({ body: { message: 'Insufficient access' } })).toBe(
            'Insufficient access'
        );
        expect(readableError({ body: [{ message: 'one' }, { message: 'two' }] })).toBe('one two');
        expect(readableError(new Error('network down'))).toBe('network down');
        expect(readableError('plain')).toBe('plain');
    });
});

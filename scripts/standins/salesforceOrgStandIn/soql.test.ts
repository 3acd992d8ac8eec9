import { describe, expect, it } from 'vitest';
import { matches, parseSoql, type Condition } from './soql';

// LIKE as Salesforce reads a pattern: % any text, _ one character, a backslash making the next
// character itself, so the doubles can escape a user's search term as the Apex does.

function like(pattern: string, value: string): boolean {
    const { where } = parseSoql(`SELECT Id FROM Account WHERE Name LIKE '${pattern}'`);
    return matches(where as Condition, () => value);
}

describe('SOQL LIKE in the stand-in', () => {
    it('treats % and _ as wildcards, case-insensitively', () => {
        expect(like('ac%', 'Acme Corporation')).toBe(true);
        expect(like('a_me%', 'Acme')).toBe(true);
        expect(like('a_me', 'Acme Corporation')).toBe(false);
    });

    it('matches an escaped \\% or \\_ only as itself', () => {
        expect(like('100\\%', '100%')).toBe(true);
        expect(like('100\\%', '1000')).toBe(false);
        expect(like('a\\_b', 'a_b')).toBe(true);
        expect(like('a\\_b', 'axb')).toBe(false);
        expect(like('%\\%%', 'no percent')).toBe(false);
    });

    it('reads \\\\ as one backslash, still followed by a wildcard, and \\n as a new line', () => {
        expect(like('a\\\\%', 'a\\anything')).toBe(true);
        expect(like('a\\\\%', 'a%')).toBe(false);
        expect(like("it\\'s%", "it's here")).toBe(true);
        expect(like('one\\ntwo', 'one\ntwo')).toBe(true);
    });
});

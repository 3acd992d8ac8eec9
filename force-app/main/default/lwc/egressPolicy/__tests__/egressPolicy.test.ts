import {
    CREDENTIAL_REDACTION,
    DEFAULT_POLICY,
    Masker,
    findCredentials,
    findSensitiveSpans,
    isFieldAllowed,
    isValidIban,
    passesLuhn,
    validateCustomPattern
} from 'c/egressPolicy';
import type { EgressPolicy } from 'c/egressPolicy';

function policyWith(
    masking: Partial<EgressPolicy['masking']>,
    rest: Partial<EgressPolicy> = {}
): EgressPolicy {
    return { ...DEFAULT_POLICY, ...rest, masking: { ...DEFAULT_POLICY.masking, ...masking } };
}

describe('c/egressPolicy', () => {
    describe('Masker', () => {
        it('gives each value a typed mask that stays the same within the task', () => {
            const masker = new Masker();
            const first = masker.mask('Write to jane.doe@example.com or call +44 20 7946 0958.');
            const second = masker.mask(
                'Jane (jane.doe@example.com) prefers email over +44 20 7946 0958'
            );
            expect(first).toBe('Write to <EMAIL_1> or call <PHONE_1>.');
            expect(second).toBe('Jane (<EMAIL_1>) prefers email over <PHONE_1>');
        });

        it('numbers different values of a kind separately', () => {
            const masker = new Masker();
            expect(masker.mask('a@example.com, b@example.com, a@example.com')).toBe(
                '<EMAIL_1>, <EMAIL_2>, <EMAIL_1>'
            );
        });

        it('treats one value written two ways as the same value', () => {
            const masker = new Masker();
            expect(masker.mask('Jane@Example.com')).toBe('<EMAIL_1>');
            expect(masker.mask('jane@example.com')).toBe('<EMAIL_1>');
            expect(masker.mask('DE89 3704 0044 0532 0130 00')).toBe('<IBAN_1>');
            expect(masker.mask('DE89370400440532013000')).toBe('<IBAN_1>');
        });

        it('puts real values back into replies and tool inputs, leaving unknown masks alone', () => {
            const masker = new Masker();
            masker.mask('Contact: jane.doe@example.com');
            expect(masker.unmask('I emailed <EMAIL_1>; <EMAIL_7> is not one of yours.')).toBe(
                'I emailed jane.doe@example.com; <EMAIL_7> is not one of yours.'
            );
            expect(masker.unmaskJson({ to: ['<EMAIL_1>'], subject: 'Hi' })).toEqual({
                to: ['jane.doe@example.com'],
                subject: 'Hi'
            });
        });

        it('masks every string inside tool results, keeping the structure', () => {
            const masker = new Masker();
            const masked = masker.maskJson({
                records: [{ Name: 'Acme', Email: 'ops@acme.example.com', Revenue: 1200000 }],
                done: true
            });
            expect(masked).toEqual({
                records: [{ Name: 'Acme', Email: '<EMAIL_1>', Revenue: 1200000 }],
                done: true
            });
        });

        it('resumes a saved task map, continuing its numbering', () => {
            const first = new Masker();
            first.mask('a@example.com b@example.com');
            const resumed = new Masker(DEFAULT_POLICY, first.toJSON());
            expect(resumed.mask('b@example.com c@example.com')).toBe('<EMAIL_2> <EMAIL_3>');
        });

        it('masks nothing the policy switched off', () => {
            const masker = new Masker(policyWith({ emails: false, phones: false }));
            const text = 'jane@example.com, +1 (415) 555-0132';
            expect(masker.mask(text)).toBe(text);
        });

        it('applies an admin’s custom pattern with its own mask name', () => {
            const masker = new Masker(
                policyWith({ custom: [{ name: 'employee_id', pattern: 'EMP-\\d{6}' }] })
            );
            expect(masker.mask('Badge EMP-004211 lost')).toBe('Badge <EMPLOYEE_ID_1> lost');
        });
    });

    describe('detectors', () => {
        it.each([
            ['Visa, spaced', '4111 1111 1111 1111'],
            ['Mastercard, dashed', '5555-5555-5555-4444'],
            ['Amex, ungrouped', '378282246310005']
        ])('masks a Luhn-valid card number (%s)', (_kind, card) => {
            expect(new Masker().mask(`Card ${card} on file`)).toBe('Card <CARD_1> on file');
        });

        it('leaves long numbers that fail the Luhn check: order ids are not cards', () => {
            const text = 'Order 4111 1111 1111 1112 shipped';
            expect(new Masker().mask(text)).toBe(text);
            expect(passesLuhn('4111111111111112')).toBe(false);
        });

        it('masks IBANs only when the checksum and country length hold', () => {
            expect(isValidIban('GB82 WEST 1234 5698 7654 32')).toBe(true);
            expect(isValidIban('GB82 WEST 1234 5698 7654 33')).toBe(false);
            expect(isValidIban('DE89 3704 0044 0532 0130')).toBe(false);
            expect(new Masker().mask('IBAN GB82 WEST 1234 5698 7654 32.')).toBe('IBAN <IBAN_1>.');
            expect(new Masker().mask('Ref GB82 WEST 1234 5698 7654 33.')).toBe(
                'Ref GB82 WEST 1234 5698 7654 33.'
            );
        });

        it('masks plausible US SSNs and leaves impossible ones', () => {
            expect(new Masker().mask('SSN 536-22-1234')).toBe('SSN <SSN_1>');
            for (const impossible of [
                '000-12-3456',
                '666-12-3456',
                '912-12-3456',
                '536-00-1234',
                '536-22-0000'
            ]) {
                expect(new Masker().mask(`SSN ${impossible}`)).toBe(`SSN ${impossible}`);
            }
        });

        it.each([
            '+1 (415) 555-0132',
            '(415) 555-0132',
            '415-555-0132',
            '+49 30 1234567',
            '030 1234 5678',
            '+33 6 12 34 56 78',
            '+81 3-1234-5678'
        ])('masks the phone number %s', (phone) => {
            expect(new Masker().mask(`Call ${phone} today`)).toBe('Call <PHONE_1> today');
        });

        it.each([
            'Meeting on 2024-03-15 at 10:30',
            'Renewal date 15.03.2024',
            'Total: $1,234,567.89 (12.5%)',
            'Upgrade to v2.14.3 on 10.0.19045',
            'Server 192.168.10.25 answered',
            'Invoice INV-2024-000123 and case 00012345',
            'Account 001000000000001AAA owns it',
            'ISBN 978-3-16-148410-0',
            'Ping @jane about report@2x.png'
        ])('leaves ordinary text untouched: %s', (text) => {
            expect(new Masker().mask(text)).toBe(text);
        });

        it('reports where each finding is, so the relay can refuse precisely', () => {
            const spans = findSensitiveSpans('x a@example.com y');
            expect(spans).toEqual([
                { start: 2, end: 15, category: 'EMAIL', value: 'a@example.com' }
            ]);
        });
    });

    describe('credentials', () => {
        it.each([
            ['Salesforce session', `Session 00D5g000004XyZa!AQ0AQH${'x'.repeat(90)} expired`],
            ['bearer token', 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789'],
            ['Anthropic key', 'key sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789'],
            ['JWT', 'token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJlc2lnbmF0dXJl'],
            [
                'private key',
                '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----'
            ],
            ['password assignment', 'login with password: hunter2go']
        ])('drops a %s instead of masking it', (_kind, text) => {
            const masker = new Masker();
            const masked = masker.mask(text);
            expect(masked).toContain(CREDENTIAL_REDACTION);
            expect(findCredentials(masked)).toEqual([]);
            // Nothing maps back to a credential: it is gone, not hidden.
            expect(Object.values(masker.toJSON())).toEqual([]);
        });

        it('finds nothing in ordinary prose about passwords and tokens', () => {
            expect(
                findCredentials(
                    'Reset your password from the login page; tokens expire after 15 minutes.'
                )
            ).toEqual([]);
        });
    });

    describe('policy', () => {
        it('refuses a custom pattern it cannot use, saying why', () => {
            expect(validateCustomPattern({ name: 'ok_name', pattern: '[' })).toMatch(
                /not a valid regular expression/
            );
            expect(validateCustomPattern({ name: '1bad', pattern: 'x' })).toMatch(
                /not a valid name/
            );
            expect(validateCustomPattern({ name: 'empty', pattern: 'a*' })).toMatch(
                /matches empty text/
            );
            expect(validateCustomPattern({ name: 'fine', pattern: 'EMP-\\d+' })).toBeNull();
        });

        it('never sends excluded fields, per object or on every object', () => {
            const policy = {
                ...DEFAULT_POLICY,
                excludedFields: ['Account.AnnualRevenue', '*.SSN__c']
            };
            expect(isFieldAllowed('Account', 'AnnualRevenue', policy)).toBe(false);
            expect(isFieldAllowed('Contact', 'SSN__c', policy)).toBe(false);
            expect(isFieldAllowed('Account', 'Name', policy)).toBe(true);
        });
    });
});

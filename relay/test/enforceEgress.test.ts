import { describe, expect, it } from 'vitest';
import {
    CREDENTIAL_REDACTION,
    DEFAULT_POLICY,
    type EgressPolicy
} from '../../force-app/main/default/lwc/egressPolicy/egressPolicy';
import {
    describeEgressReport,
    enforceEgress,
    type OutboundMessagesRequest
} from '../src/egress/enforceEgress';
import { RelayError } from '../src/errors';

/** The relay's second pass over what leaves for the LLM, as a pure function. */

function policy(changes: Partial<EgressPolicy> = {}): EgressPolicy {
    return { ...structuredClone(DEFAULT_POLICY), ...changes };
}

function request(messages: OutboundMessagesRequest['messages'], system?: string) {
    return { model: 'm', max_tokens: 10, messages, ...(system ? { system } : {}) };
}

function refusal(fn: () => unknown): RelayError {
    try {
        fn();
    } catch (error) {
        if (error instanceof RelayError) return error;
        throw error;
    }
    throw new Error('expected a refusal');
}

describe('enforceEgress', () => {
    it('gives one value the same mask everywhere in the request', () => {
        const { request: out, report } = enforceEgress(
            request(
                [
                    { role: 'user', content: 'Write to ada@example.com.' },
                    { role: 'assistant', content: 'Drafting for ada@example.com now.' }
                ],
                'Reply-to is ada@example.com; cc bob@example.org.'
            ),
            policy()
        );
        expect(out.system).toBe('Reply-to is <EMAIL_1>; cc <EMAIL_2>.');
        expect(out.messages.map((m) => m.content)).toEqual([
            'Write to <EMAIL_1>.',
            'Drafting for <EMAIL_1> now.'
        ]);
        expect(report.masked).toEqual({ EMAIL: 2 });
        expect(describeEgressReport(report)).toBe('masked=EMAIL:2');
    });

    it("numbers new masks after the browser's, so no mask ever names two values", () => {
        const { request: out } = enforceEgress(
            request([{ role: 'user', content: 'Compare <EMAIL_3> with carol@example.net.' }]),
            policy()
        );
        expect(out.messages[0]!.content).toBe('Compare <EMAIL_3> with <EMAIL_4>.');
    });

    it('masks inside tool calls and tool results, text or JSON', () => {
        const { request: out } = enforceEgress(
            request([
                {
                    role: 'assistant',
                    content: [
                        {
                            type: 'tool_use',
                            id: 't1',
                            name: 'search_records',
                            input: { term: 'dan@example.com' }
                        }
                    ]
                },
                {
                    role: 'user',
                    content: [
                        {
                            type: 'tool_result',
                            tool_use_id: 't1',
                            content: '[{"Email":"dan@example.com","Phone":"+44 20 7946 0958"}]'
                        }
                    ]
                }
            ]),
            policy()
        );
        const [call, result] = out.messages.map((m) => m.content as Record<string, unknown>[]);
        expect(call![0]!.input).toEqual({ term: '<EMAIL_1>' });
        expect(result![0]!.content).toBe('[{"Email":"<EMAIL_1>","Phone":"<PHONE_1>"}]');
    });

    it('leaves the request it was given untouched', () => {
        const original = request([{ role: 'user', content: 'Mail eve@example.com' }]);
        const copy = structuredClone(original);
        enforceEgress(original, policy());
        expect(original).toEqual(copy);
    });

    it('passes images through and says "clean" when nothing changed', () => {
        const image = {
            type: 'image',
            source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' }
        };
        const { request: out, report } = enforceEgress(
            request([
                { role: 'user', content: [image, { type: 'text', text: 'What is this chart?' }] }
            ]),
            policy()
        );
        expect(out.messages[0]!.content).toEqual([
            image,
            { type: 'text', text: 'What is this chart?' }
        ]);
        expect(describeEgressReport(report)).toBe('clean');
    });

    it('masks only the categories the policy names', () => {
        const noEmails = policy();
        noEmails.masking.emails = false;
        const { request: out } = enforceEgress(
            request([{ role: 'user', content: 'ada@example.com, SSN 123-45-6789' }]),
            noEmails
        );
        expect(out.messages[0]!.content).toBe('ada@example.com, SSN <SSN_1>');
    });

    it('drops credentials and counts them, never masks them', () => {
        const { request: out, report } = enforceEgress(
            request([
                {
                    role: 'user',
                    content: 'Use sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH please'
                }
            ]),
            policy()
        );
        expect(out.messages[0]!.content).toBe(`Use ${CREDENTIAL_REDACTION} please`);
        expect(report.credentialsRemoved).toBe(1);
        expect(describeEgressReport(report)).toBe('credentials=1');
    });

    it('refuses everything when AI is off', () => {
        const error = refusal(() =>
            enforceEgress(request([{ role: 'user', content: 'hi' }]), policy({ aiEnabled: false }))
        );
        expect(error.status).toBe(403);
        expect(error.type).toBe('policy_violation');
    });

    it('refuses a policy whose custom pattern cannot be applied, naming the problem', () => {
        const broken = policy();
        broken.masking.custom = [{ name: 'BADGE', pattern: '([A-Z' }];
        const error = refusal(() =>
            enforceEgress(request([{ role: 'user', content: 'hi' }]), broken)
        );
        expect(error.type).toBe('policy_violation');
        expect(error.message).toMatch(/BADGE.*not a valid regular expression/);
    });

    describe('excluded fields', () => {
        const excluding = (...fields: string[]) => policy({ excludedFields: fields });
        const toolResult = (rows: unknown) =>
            request([
                {
                    role: 'user',
                    content: [
                        { type: 'tool_result', tool_use_id: 't', content: JSON.stringify(rows) }
                    ]
                }
            ]);

        it('refuses a record of the named object that carries the field', () => {
            const error = refusal(() =>
                enforceEgress(
                    toolResult([{ attributes: { type: 'Contact' }, Birthdate: '1990-01-01' }]),
                    excluding('Contact.Birthdate')
                )
            );
            expect(error.message).toMatch(/Contact\.Birthdate/);
        });

        it('lets the same field through on another object', () => {
            const { request: out } = enforceEgress(
                toolResult([{ attributes: { type: 'Lead' }, Birthdate: '1990-01-01' }]),
                excluding('Contact.Birthdate')
            );
            expect(JSON.stringify(out)).toContain('Birthdate');
        });

        it('applies a *.Field rule to every object, nested records included', () => {
            const error = refusal(() =>
                enforceEgress(
                    toolResult({
                        attributes: { type: 'Account' },
                        Contacts: {
                            records: [{ attributes: { type: 'Contact' }, SSN__c: 'x' }]
                        }
                    }),
                    excluding('*.SSN__c')
                )
            );
            expect(error.message).toMatch(/Contact\.SSN__c/);
        });

        it('refuses a row without a type when any rule names the field', () => {
            const error = refusal(() =>
                enforceEgress(toolResult([{ Salary__c: 1 }]), excluding('Employee__c.Salary__c'))
            );
            expect(error.message).toMatch(/Salary__c/);
        });

        it('checks the inputs of tool calls the model made', () => {
            const error = refusal(() =>
                enforceEgress(
                    request([
                        {
                            role: 'assistant',
                            content: [
                                {
                                    type: 'tool_use',
                                    id: 't',
                                    name: 'update_record',
                                    input: { attributes: { type: 'Contact' }, Birthdate: 'x' }
                                }
                            ]
                        }
                    ]),
                    excluding('Contact.Birthdate')
                )
            );
            expect(error.message).toMatch(/tool call/);
        });

        it('does not mistake a field name in prose for a field', () => {
            const { request: out } = enforceEgress(
                request([{ role: 'user', content: 'Why is Birthdate excluded?' }]),
                excluding('Contact.Birthdate')
            );
            expect(out.messages[0]!.content).toBe('Why is Birthdate excluded?');
        });
    });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../force-app/main/default/lwc/egressPolicy/egressPolicy';
import type { EgressPolicy } from '../../force-app/main/default/lwc/egressPolicy/egressPolicy';
import packagedRecordXml from '../../force-app/main/default/customMetadata/Resident_Egress_Policy.Default.md-meta.xml?raw';
import providerTestSource from '../../force-app/main/default/classes/EgressPolicyProviderTest.cls?raw';

// The package ships the org's egress policy as a custom metadata record that Apex puts in every
// session token; the components and the relay fall back to DEFAULT_POLICY. They must be the same
// policy, or a new org would be protected differently than the code's default promises.

/** The packaged record's values by field name; null for an empty field. */
function packagedValues(): Map<string, string | null> {
    const values = new Map<string, string | null>();
    const entry =
        /<values>\s*<field>([^<]+)<\/field>\s*<value(?: [^>]*?)?(?:\/>|>([^<]*)<\/value>)/g;
    for (const [, field, value] of packagedRecordXml.matchAll(entry)) {
        values.set(field!, value ?? null);
    }
    return values;
}

/** A list field as EgressPolicyProvider.cls reads it: one per line or comma-separated. */
function listOf(text: string | null | undefined): string[] {
    return (text ?? '')
        .split(/[,\r\n]+/)
        .map((part) => part.trim())
        .filter(Boolean);
}

/** The packaged record mapped field by field as EgressPolicyProvider.toPolicy maps it. */
function packagedPolicy(): EgressPolicy {
    const v = packagedValues();
    const flag = (field: string) => v.get(field) === 'true';
    const whole = (field: string) => Number(v.get(field));
    const customPatterns = v.get('Custom_Mask_Patterns__c');
    return {
        aiEnabled: flag('AI_Enabled__c'),
        masking: {
            emails: flag('Mask_Emails__c'),
            phones: flag('Mask_Phones__c'),
            cards: flag('Mask_Cards__c'),
            ibans: flag('Mask_Ibans__c'),
            nationalIds: flag('Mask_Government_Ids__c'),
            custom: customPatterns
                ? (JSON.parse(customPatterns) as EgressPolicy['masking']['custom'])
                : []
        },
        excludedFields: listOf(v.get('Excluded_Fields__c')),
        maxKnowledgeChunks: whole('Max_Knowledge_Chunks__c'),
        models: listOf(v.get('Allowed_Models__c')),
        zeroRetention: flag('Zero_Retention__c'),
        tokenBudget: {
            perTask: whole('Budget_Per_Task__c'),
            perUserPerDay: whole('Budget_Per_User_Per_Day__c')
        }
    };
}

describe('the packaged egress policy record', () => {
    it('sets every field of the policy type, and nothing else', () => {
        expect([...packagedValues().keys()].sort()).toEqual([
            'AI_Enabled__c',
            'Allowed_Models__c',
            'Budget_Per_Task__c',
            'Budget_Per_User_Per_Day__c',
            'Custom_Mask_Patterns__c',
            'Excluded_Fields__c',
            'Mask_Cards__c',
            'Mask_Emails__c',
            'Mask_Government_Ids__c',
            'Mask_Ibans__c',
            'Mask_Phones__c',
            'Max_Knowledge_Chunks__c',
            'Zero_Retention__c'
        ]);
    });

    it('is DEFAULT_POLICY of the components and the relay', () => {
        expect(packagedPolicy()).toEqual(DEFAULT_POLICY);
    });

    it('is what the Apex tests expect in a token, byte for byte', () => {
        // EgressPolicyProviderTest.DEFAULT_POLICY_JSON is written as concatenated string literals.
        const declaration = /DEFAULT_POLICY_JSON =([\s\S]*?);/.exec(providerTestSource)?.[1];
        expect(declaration).toBeDefined();
        const apexJson = [...declaration!.matchAll(/'([^']*)'/g)].map((m) => m[1]).join('');
        expect(apexJson).toBe(JSON.stringify(DEFAULT_POLICY));
    });
});

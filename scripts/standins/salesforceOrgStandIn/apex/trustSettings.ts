import * as z from 'zod';
import type {
    TrustSettings,
    TrustSettingsSaveResult
} from '../../../../force-app/main/default/lwc/coworkerContract/coworkerContract';
import {
    validateCustomPattern,
    type EgressPolicy
} from '../../../../force-app/main/default/lwc/egressPolicy/egressPolicy';
import { makeId } from '../seedData';
import { autoApproveObjectsOf, loadCoworkerRecords } from './coworker';
import { AuraHandledError, requiredString, type ApexContext, type ApexParams } from './support';

// TrustSettingsController: the egress policy editor's Apex. A real org saves custom metadata
// through an asynchronous deployment; the stand-in applies the change at once and answers a
// deployment id all the same. The next session token (getRelaySession) carries the new policy.

const MANAGE = 'Resident_Manage_Trust_Settings';

/** The bounds the relay's session-token schema enforces, so a saved policy never breaks a token. */
const policySchema = z.strictObject({
    aiEnabled: z.boolean(),
    masking: z.strictObject({
        emails: z.boolean(),
        phones: z.boolean(),
        cards: z.boolean(),
        ibans: z.boolean(),
        nationalIds: z.boolean(),
        custom: z
            .array(z.strictObject({ name: z.string().max(30), pattern: z.string().max(500) }))
            .max(20)
    }),
    excludedFields: z
        .array(z.string().regex(/^(?:\*|[A-Za-z]\w*)\.[A-Za-z]\w*$/, 'use Object.Field or *.Field'))
        .max(500),
    maxKnowledgeChunks: z.int().min(0).max(50),
    models: z.array(z.string().min(1).max(100)).min(1).max(20),
    zeroRetention: z.boolean(),
    tokenBudget: z.strictObject({ perTask: z.int().min(0), perUserPerDay: z.int().min(0) })
});
const changeSchema = z.strictObject({
    policy: policySchema,
    autoApprove: z.record(z.string(), z.array(z.string().min(1).max(80)).max(50))
});

/** `getTrustSettings()`. */
export function getTrustSettings(_params: ApexParams, context: ApexContext): TrustSettings {
    return {
        policy: structuredClone(context.store.trust.policy),
        coworkers: loadCoworkerRecords().map((record) => ({
            name: record.name,
            label: record.label,
            active: record.active,
            autoApproveObjects: autoApproveObjectsOf(record, context)
        })),
        canEdit: context.store.hasCustomPermission(context.user, MANAGE)
    };
}

/** `saveTrustSettings({ settings })`, `settings` being the JSON of a TrustSettingsChange. */
export function saveTrustSettings(
    params: ApexParams,
    context: ApexContext
): TrustSettingsSaveResult {
    if (!context.store.hasCustomPermission(context.user, MANAGE)) {
        throw new AuraHandledError(
            'Only admins with the Manage Resident Trust Settings permission can change the trust settings.'
        );
    }
    const text = requiredString(params, 'settings', 200_000, 'The settings');
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch {
        throw new AuraHandledError('The settings could not be read: they are not valid JSON.');
    }
    const parsed = changeSchema.safeParse(json);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new AuraHandledError(
            `The settings were not saved: ${issue?.path.join('.') || 'settings'}: ${issue?.message ?? 'not valid'}.`
        );
    }
    const policy: EgressPolicy = parsed.data.policy;
    for (const custom of policy.masking.custom) {
        const problem = validateCustomPattern(custom);
        if (problem) throw new AuraHandledError(`The settings were not saved: ${problem}`);
    }
    const coworkers = loadCoworkerRecords();
    const autoApprove: Record<string, string[]> = {};
    for (const [name, objects] of Object.entries(parsed.data.autoApprove)) {
        const coworker = coworkers.find((c) => c.name === name);
        if (!coworker) {
            throw new AuraHandledError(
                `The settings were not saved: there is no coworker "${name}".`
            );
        }
        for (const object of objects) {
            if (!coworker.allowedObjects.some((o) => o.toLowerCase() === object.toLowerCase())) {
                throw new AuraHandledError(
                    `The settings were not saved: ${coworker.label} cannot auto-approve ${object}, which is not one of its objects.`
                );
            }
        }
        autoApprove[name] = [...new Set(objects)];
    }
    context.store.trust = {
        policy: structuredClone(policy),
        autoApprove: { ...context.store.trust.autoApprove, ...autoApprove }
    };
    context.store.trustDeployments += 1;
    return { deploymentId: makeId('0Af', context.store.trustDeployments) };
}

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import {
    isToolName,
    type CoworkerDefinition,
    type ToolName
} from '../../../../force-app/main/default/lwc/coworkerContract/coworkerContract';
import { objectDef } from '../schema';
import { AuraHandledError, optionalString, type ApexContext, type ApexParams } from './support';

// CoworkerController.getCoworker: the coworker definitions are the package's own custom metadata
// records (force-app/main/default/customMetadata/Resident_Coworker.*.md-meta.xml), read as the
// platform would serve Resident_Coworker__mdt, so the stand-in never holds a second copy.

const CUSTOM_METADATA_DIR = path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '../../../../force-app/main/default/customMetadata'
);

/** One Resident_Coworker__mdt record as the package ships it. */
export type CoworkerRecord = {
    name: string;
    label: string;
    active: boolean;
    roleInstructions: string;
    allowedTools: string[];
    allowedObjects: string[];
    autoApproveObjects: string[];
};

const lines = (value: unknown): string[] =>
    typeof value === 'string'
        ? value
              .split(/\r?\n/)
              .map((line) => line.trim())
              .filter(Boolean)
        : [];

function parseCoworker(name: string, xml: string): CoworkerRecord {
    const parsed = new XMLParser({ ignoreAttributes: false, parseTagValue: false }).parse(xml) as {
        CustomMetadata?: { label?: string; values?: unknown };
    };
    const root = parsed.CustomMetadata ?? {};
    const values = Array.isArray(root.values) ? root.values : root.values ? [root.values] : [];
    const field = new Map<string, unknown>();
    for (const entry of values as { field?: string; value?: unknown }[]) {
        const raw = entry.value;
        // <value xsi:nil="true" /> parses as an object of attributes: no value.
        const text =
            typeof raw === 'object' && raw !== null ? (raw as { '#text'?: unknown })['#text'] : raw;
        if (entry.field) field.set(entry.field, text ?? null);
    }
    return {
        name,
        label: String(root.label ?? name),
        active: String(field.get('Active__c')) === 'true',
        roleInstructions: String(field.get('Role_Instructions__c') ?? ''),
        allowedTools: lines(field.get('Allowed_Tools__c')),
        allowedObjects: lines(field.get('Allowed_Objects__c')),
        autoApproveObjects: lines(field.get('Auto_Approve_Objects__c'))
    };
}

let coworkerRecords: CoworkerRecord[] | undefined;

/** Every Resident_Coworker__mdt record in the package, by DeveloperName (the file's middle part). */
export function loadCoworkerRecords(): CoworkerRecord[] {
    if (!coworkerRecords) {
        coworkerRecords = readdirSync(CUSTOM_METADATA_DIR)
            .filter((file) => /^Resident_Coworker\.\w+\.md-meta\.xml$/.test(file))
            .sort()
            .map((file) =>
                parseCoworker(
                    file.split('.')[1] ?? file,
                    readFileSync(path.join(CUSTOM_METADATA_DIR, file), 'utf8')
                )
            );
    }
    return coworkerRecords;
}

/** The coworker's auto-approved objects: the admin's trust settings win over the shipped record. */
export function autoApproveObjectsOf(record: CoworkerRecord, context: ApexContext): string[] {
    return [...(context.store.trust.autoApprove[record.name] ?? record.autoApproveObjects)];
}

/** Fields the stand-in org classifies Confidential or Restricted on these objects, as `Object.Field`. */
function classifiedFieldsOf(objects: string[]): string[] {
    return objects.flatMap((name) => {
        const object = objectDef(name);
        return (object?.fields ?? [])
            .filter((f) => f.securityClassification)
            .map((f) => `${object?.apiName}.${f.apiName}`);
    });
}

/**
 * The named coworker (the Default one when the name is blank) for this user. The allowed tools
 * lose `org_health` unless the user holds Resident_Org_Health, as the real controller does.
 */
export function coworkerFor(name: string | null, context: ApexContext): CoworkerDefinition {
    const wanted = name?.trim() || 'Default';
    const record = loadCoworkerRecords().find((r) => r.name.toLowerCase() === wanted.toLowerCase());
    if (!record || !record.active) {
        throw new AuraHandledError(
            `The coworker "${wanted}" does not exist or is not active. Ask your Salesforce admin to check the coworker set on this page.`
        );
    }
    const canUseOrgHealth = context.store.hasCustomPermission(context.user, 'Resident_Org_Health');
    const allowedTools = record.allowedTools.filter(
        (tool): tool is ToolName => isToolName(tool) && (tool !== 'org_health' || canUseOrgHealth)
    );
    return {
        name: record.name,
        label: record.label,
        roleInstructions: record.roleInstructions,
        allowedTools,
        allowedObjects: [...record.allowedObjects],
        autoApproveObjects: autoApproveObjectsOf(record, context),
        canUseOrgHealth,
        policy: structuredClone(context.store.trust.policy),
        classifiedFields: classifiedFieldsOf(record.allowedObjects)
    };
}

/** `CoworkerController.getCoworker({ coworkerName })`. */
export function getCoworker(params: ApexParams, context: ApexContext): CoworkerDefinition {
    return coworkerFor(optionalString(params, 'coworkerName', 40, 'The coworker name'), context);
}

/** The coworker's allowed object with this name (any case), or a refusal naming what is allowed. */
export function allowedObject(coworker: CoworkerDefinition, objectApiName: string): string {
    const allowed = coworker.allowedObjects.find(
        (o) => o.toLowerCase() === objectApiName.toLowerCase()
    );
    if (!allowed) {
        throw new AuraHandledError(
            `The coworker ${coworker.label} may not use ${objectApiName}. Its objects are: ${coworker.allowedObjects.join(', ')}.`
        );
    }
    return allowed;
}

export function requireTool(coworker: CoworkerDefinition, tool: ToolName): void {
    if (!coworker.allowedTools.includes(tool)) {
        throw new AuraHandledError(`The coworker ${coworker.label} may not use the tool ${tool}.`);
    }
}

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OrgHealth } from '../../../../force-app/main/default/lwc/coworkerContract/coworkerContract';
import { AuraHandledError, type ApexContext, type ApexParams } from './support';

// OrgHealthController.getOrgHealth: limits, flows and Apex classes for Resident admins. The Apex
// classes are the package's own (their API versions from the -meta.xml files); the API limit is the
// stand-in's real counter; the flows and the other limits are stand-in values, said so in their names.

const CLASSES_DIR = path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '../../../../force-app/main/default/classes'
);
/** A Developer Edition org's data storage; every record counts 2 KB, as Salesforce counts most. */
const DATA_STORAGE_MB = 5;

function apexClasses(): OrgHealth['apexClasses'] {
    return readdirSync(CLASSES_DIR)
        .filter((file) => file.endsWith('.cls-meta.xml'))
        .sort()
        .map((file) => {
            const xml = readFileSync(path.join(CLASSES_DIR, file), 'utf8');
            const apiVersion = Number(/<apiVersion>([\d.]+)<\/apiVersion>/.exec(xml)?.[1] ?? 0);
            const status = /<status>(\w+)<\/status>/.exec(xml)?.[1] ?? 'Active';
            return { name: file.replace(/\.cls-meta\.xml$/, ''), apiVersion, status, valid: true };
        });
}

/** `getOrgHealth()`: Resident admins only (custom permission Resident_Org_Health). */
export function getOrgHealth(_params: ApexParams, context: ApexContext): OrgHealth {
    if (!context.store.hasCustomPermission(context.user, 'Resident_Org_Health')) {
        throw new AuraHandledError(
            'Org health is for Resident admins: ask your Salesforce admin for the Resident Admin permission set.'
        );
    }
    const records = Object.values(context.store.recordCounts()).reduce((a, b) => a + b, 0);
    const api = context.settings.apiRequests ?? { used: 0, limit: 15_000 };
    return {
        limits: [
            {
                name: 'DailyApiRequests',
                max: api.limit,
                remaining: Math.max(0, api.limit - api.used)
            },
            {
                name: 'DataStorageMB',
                max: DATA_STORAGE_MB,
                remaining: Math.max(0, Math.floor(DATA_STORAGE_MB - (records * 2) / 1024))
            },
            { name: 'DailyAsyncApexExecutions', max: 250_000, remaining: 250_000 }
        ],
        flows: [
            {
                apiName: 'StandIn_Case_Escalation',
                label: 'Case escalation (stand-in flow)',
                processType: 'AutoLaunchedFlow',
                active: true
            },
            {
                apiName: 'StandIn_Lead_Intake',
                label: 'Lead intake (stand-in flow)',
                processType: 'Flow',
                active: false
            }
        ],
        apexClasses: apexClasses()
    };
}

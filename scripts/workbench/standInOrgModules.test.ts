import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin, PluginContext } from 'rollup';
import { describe, expect, test } from 'vitest';
import { standInOrgModules, VIRTUAL } from './build';
import { readCustomLabels } from './labels';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const labelsFile = path.join(
    repoRoot,
    'force-app/main/default/labels/CustomLabels.labels-meta.xml'
);

/** Runs the plugin's resolve and load hooks the way rollup would for one import. */
async function moduleSource(plugin: Plugin, source: string): Promise<string> {
    const context = {
        error(message: string): never {
            throw new Error(message);
        }
    } as unknown as PluginContext;
    const resolveId = plugin.resolveId as (this: PluginContext, s: string, i?: string) => unknown;
    const load = plugin.load as (this: PluginContext, id: string) => unknown;
    const id = resolveId.call(context, source, undefined);
    expect(typeof id).toBe('string');
    return String(load.call(context, String(id)));
}

describe('the workbench modules standing in for the platform', () => {
    test('a Custom Label import is its text from CustomLabels.labels-meta.xml', async () => {
        const labels = await readCustomLabels(labelsFile);
        const plugin = standInOrgModules(labels);
        const source = await moduleSource(
            plugin,
            '@salesforce/label/c.Resident_RelayStatus_Connected'
        );
        expect(source).toBe(
            `export default ${JSON.stringify(labels.get('Resident_RelayStatus_Connected'))};`
        );
    });

    test('a typo in a Custom Label name fails the build, naming the label', async () => {
        const plugin = standInOrgModules(new Map([['Resident_Known', 'Known']]));
        await expect(moduleSource(plugin, '@salesforce/label/c.Resident_Unknwon')).rejects.toThrow(
            /Custom Label "c\.Resident_Unknwon" is not in .*CustomLabels\.labels-meta\.xml/
        );
    });

    test('an Apex import calls the stand-in org as that class and method', async () => {
        const source = await moduleSource(
            standInOrgModules(new Map()),
            '@salesforce/apex/RelayConnectionController.getRelayConnection'
        );
        expect(source).toContain('apexMethod("RelayConnectionController", "getRelayConnection")');
    });

    test('a schema import is the object and field names', async () => {
        const plugin = standInOrgModules(new Map());
        expect(await moduleSource(plugin, '@salesforce/schema/Account.AnnualRevenue')).toBe(
            'export default {"objectApiName":"Account","fieldApiName":"AnnualRevenue"};'
        );
        expect(await moduleSource(plugin, '@salesforce/schema/Account')).toBe(
            'export default {"objectApiName":"Account"};'
        );
    });

    test('lightning/uiRecordApi resolves to the stand-in org module, not Salesforce', () => {
        const resolveId = standInOrgModules(new Map()).resolveId as (s: string) => unknown;
        expect(String(resolveId('lightning/uiRecordApi'))).toMatch(
            /standInOrgModules[\\/]uiRecordApi\.ts$/
        );
        expect(resolveId('@salesforce/apex/X.y')).toBe(`${VIRTUAL}@salesforce/apex/X.y`);
    });
});

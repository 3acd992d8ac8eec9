import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
    EXPORT_FORMAT,
    PACKAGE_DATA_OBJECTS
} from '../../force-app/main/default/lwc/trustCenterContract/trustCenterContract';

/**
 * docs/EXPORT_SCHEMA.json is the export file's documentation and must stay whole: every field of
 * every package data object in force-app has an entry with a type, and a lookup is documented as an
 * id of the object it points to. A new field without a schema entry fails here.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const objectsDir = path.join(repoRoot, 'force-app', 'main', 'default', 'objects');

interface FieldSchema {
    type?: string | string[];
    const?: unknown;
    'x-salesforce-type'?: string;
    'x-references'?: string;
    pattern?: string;
    enum?: unknown[];
}
interface ObjectSchema {
    type: string;
    properties: Record<string, FieldSchema>;
    additionalProperties: boolean;
}
interface ExportSchema {
    properties: {
        format: { const: string };
        objects: { required: string[]; properties: Record<string, { items: { $ref: string } }> };
    };
    $defs: Record<string, ObjectSchema>;
}

async function loadSchema(): Promise<ExportSchema> {
    return JSON.parse(
        await readFile(path.join(repoRoot, 'docs', 'EXPORT_SCHEMA.json'), 'utf8')
    ) as ExportSchema;
}

/** Each custom field of the object in force-app: its API name, metadata type and lookup target. */
async function packageFields(
    objectApiName: string
): Promise<{ name: string; type: string; referenceTo?: string; values: string[] }[]> {
    const dir = path.join(objectsDir, objectApiName, 'fields');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.field-meta.xml'));
    return Promise.all(
        files.map(async (file) => {
            const xml = await readFile(path.join(dir, file), 'utf8');
            return {
                name: file.slice(0, -'.field-meta.xml'.length),
                type: /<type>([^<]+)<\/type>/.exec(xml)?.[1] ?? '',
                referenceTo: /<referenceTo>([^<]+)<\/referenceTo>/.exec(xml)?.[1],
                values: [...xml.matchAll(/<value>\s*<fullName>([^<]+)<\/fullName>/g)].map(
                    (m) => m[1]!
                )
            };
        })
    );
}

const JSON_TYPE_OF: Record<string, string> = {
    Checkbox: 'boolean',
    DateTime: 'string',
    LongTextArea: 'string',
    Lookup: 'string',
    MasterDetail: 'string',
    Picklist: 'string',
    Text: 'string',
    Url: 'string'
};

describe('docs/EXPORT_SCHEMA.json', () => {
    it('describes the contract’s export format and every package data object, parents first', async () => {
        const schema = await loadSchema();
        expect(schema.properties.format.const).toBe(EXPORT_FORMAT);
        expect(schema.properties.objects.required).toEqual([...PACKAGE_DATA_OBJECTS].reverse());
        for (const objectApiName of PACKAGE_DATA_OBJECTS) {
            expect(schema.properties.objects.properties[objectApiName]?.items.$ref).toBe(
                `#/$defs/${objectApiName}`
            );
            expect(schema.$defs[objectApiName]?.type).toBe('object');
        }
    });

    it('has every package data object folder of force-app in the contract', async () => {
        const folders = (await readdir(objectsDir, { withFileTypes: true }))
            .filter((e) => e.isDirectory() && e.name.endsWith('__c'))
            .map((e) => e.name);
        // Custom settings hold configuration and the org key, not data: never exported.
        const dataObjects = [];
        for (const folder of folders) {
            const meta = await readFile(
                path.join(objectsDir, folder, `${folder}.object-meta.xml`),
                'utf8'
            );
            if (!meta.includes('<customSettingsType>')) dataObjects.push(folder);
        }
        expect(dataObjects.sort()).toEqual([...PACKAGE_DATA_OBJECTS].sort());
    });

    for (const objectApiName of PACKAGE_DATA_OBJECTS) {
        it(`covers every field of ${objectApiName} with its type`, async () => {
            const schema = await loadSchema();
            const properties = schema.$defs[objectApiName]!.properties;
            const missing: string[] = [];
            for (const field of await packageFields(objectApiName)) {
                const entry = properties[field.name];
                if (!entry) {
                    missing.push(field.name);
                    continue;
                }
                expect(entry['x-salesforce-type'], field.name).toBe(field.type);
                const types = ([] as string[]).concat(entry.type ?? []);
                const expected =
                    field.type === 'Number'
                        ? types.includes('integer')
                            ? 'integer'
                            : 'number'
                        : JSON_TYPE_OF[field.type];
                expect(expected, `${field.name}: a ${field.type} field`).toBeDefined();
                expect(types, field.name).toContain(expected);
                if (field.referenceTo) {
                    // Relationships by id: the 18-character id of the row it points to.
                    expect(entry['x-references'], field.name).toBe(field.referenceTo);
                    expect(entry.pattern, field.name).toBe('^[a-zA-Z0-9]{18}$');
                }
                if (field.type === 'Picklist') {
                    expect(entry.enum, field.name).toEqual([...field.values, null]);
                }
            }
            expect(missing, `fields of ${objectApiName} without a schema entry`).toEqual([]);
            // And the system fields every export row carries.
            for (const system of ['Id', 'Name', 'CreatedDate', 'CreatedById', 'LastModifiedDate']) {
                expect(properties[system], system).toBeDefined();
            }
        });
    }
});

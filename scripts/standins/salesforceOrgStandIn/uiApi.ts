import { OrgError, type OrgStore, type OrgUser } from './orgStore';
import { isSearchable, objectDef, OBJECTS, type FieldDef, type ObjectDef } from './schema';
import type { StoredRecord } from './seedData';

// The UI API's shapes (records and object-info), as lightning/uiRecordApi and
// lightning/uiObjectInfoApi receive them, filtered by the user's FLS.

const MASTER_RECORD_TYPE_ID = '012000000000000AAA';

type UiField = { displayValue: string | null; value: unknown };
export type UiRecord = {
    apiName: string;
    childRelationships: Record<string, never>;
    eTag: string;
    fields: Record<string, UiField>;
    id: string;
    lastModifiedById: string | null;
    lastModifiedDate: string | null;
    recordTypeId: string;
    recordTypeInfo: null;
    systemModstamp: string | null;
    weakEtag: number;
};

function displayValueOf(field: FieldDef, value: unknown): string | null {
    if (value === null || value === undefined) return null;
    if (field.dataType === 'Currency' && typeof value === 'number') {
        return `$${value.toLocaleString('en-US', { minimumFractionDigits: 0 })}`;
    }
    if (field.dataType === 'Picklist' || field.dataType === 'Boolean') return String(value);
    if (field.dataType === 'Date' && typeof value === 'string') {
        const [y, m, d] = value.split('-');
        return `${Number(m)}/${Number(d)}/${y}`;
    }
    return null;
}

function emptyRecord(record: StoredRecord): UiRecord {
    const f = record.fields;
    const modstamp = typeof f.SystemModstamp === 'string' ? f.SystemModstamp : null;
    return {
        apiName: record.type,
        childRelationships: {},
        eTag: Buffer.from(`${f.Id}:${modstamp ?? ''}`).toString('base64url'),
        fields: {},
        id: f.Id,
        lastModifiedById: typeof f.LastModifiedById === 'string' ? f.LastModifiedById : null,
        lastModifiedDate: typeof f.LastModifiedDate === 'string' ? f.LastModifiedDate : null,
        recordTypeId: MASTER_RECORD_TYPE_ID,
        recordTypeInfo: null,
        systemModstamp: modstamp,
        weakEtag: modstamp ? Date.parse(modstamp.replace('+0000', 'Z')) : 0
    };
}

/** Adds one field path (relative to the record's object) to a UI record, spanning parents. */
function addPath(
    store: OrgStore,
    user: OrgUser,
    ui: UiRecord,
    record: StoredRecord,
    path: string
): void {
    const object = objectDef(record.type);
    if (!object) return;
    const resolved = store.resolvePath(user, object, path);
    const [first, ...rest] = path.split('.');
    if (resolved.hops.length === 0) {
        const value = record.fields[resolved.field.apiName] ?? null;
        ui.fields[resolved.field.apiName] = {
            displayValue: displayValueOf(resolved.field, value),
            value
        };
        return;
    }
    const hop = resolved.hops[0];
    if (!hop || !first) return;
    const relationship = hop.relationshipName ?? first;
    const parentId = record.fields[hop.apiName];
    const parent = typeof parentId === 'string' ? store.visibleRecordOrNull(user, parentId) : null;
    if (!parent) {
        ui.fields[relationship] = { displayValue: null, value: null };
        return;
    }
    const existing = ui.fields[relationship]?.value as UiRecord | null | undefined;
    const nested = existing ?? emptyRecord(parent);
    addPath(store, user, nested, parent, rest.join('.'));
    const parentObject = objectDef(parent.type);
    const nameValue = parentObject ? parent.fields[parentObject.nameField] : null;
    ui.fields[relationship] = {
        displayValue: nameValue === null || nameValue === undefined ? null : String(nameValue),
        value: nested
    };
}

/** A ui-api list parameter (`fields`, `optionalFields`): repeated or comma-separated names. */
export function queryList(query: URLSearchParams, name: string): string[] {
    return query
        .getAll(name)
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean);
}

/**
 * `fields` that the user cannot read fail the request, `optionalFields` are left out; names are
 * qualified by object (`Account.Name`), as the UI API requires.
 */
export function uiRecord(
    store: OrgStore,
    user: OrgUser,
    record: StoredRecord,
    fields: string[],
    optionalFields: string[]
): UiRecord {
    const ui = emptyRecord(record);
    const relative = (qualified: string): string | undefined => {
        const [objectName, ...rest] = qualified.split('.');
        return objectName?.toLowerCase() === record.type.toLowerCase() && rest.length > 0
            ? rest.join('.')
            : undefined;
    };
    for (const qualified of fields) {
        const path = relative(qualified);
        if (!path) continue;
        try {
            addPath(store, user, ui, record, path);
        } catch (err) {
            if (err instanceof OrgError) {
                throw new OrgError(
                    400,
                    'INVALID_FIELD',
                    `${qualified}: No such column '${path}' on entity '${record.type}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`
                );
            }
            throw err;
        }
    }
    for (const qualified of optionalFields) {
        const path = relative(qualified);
        if (!path) continue;
        try {
            addPath(store, user, ui, record, path);
        } catch (err) {
            if (!(err instanceof OrgError)) throw err;
        }
    }
    return ui;
}

function uiDataType(field: FieldDef): string {
    return field.dataType === 'Id' ? 'Id' : field.dataType === 'Int' ? 'Int' : field.dataType;
}

/** The children the user can read, as the UI API lists them (`Account` → `Contacts`, `Cases`...). */
function childRelationshipsOf(store: OrgStore, user: OrgUser, parent: ObjectDef): unknown[] {
    const children: unknown[] = [];
    for (const child of OBJECTS) {
        if (!store.objectPermissions(user, child.apiName).read) continue;
        for (const field of child.fields) {
            if (field.referenceTo !== parent.apiName || !field.childRelationshipName) continue;
            if (!store.canReadField(user, child.apiName, field.apiName)) continue;
            children.push({
                childObjectApiName: child.apiName,
                fieldName: field.apiName,
                junctionIdListNames: [],
                junctionReferenceTo: [],
                relationshipName: field.childRelationshipName
            });
        }
    }
    return children;
}

export function objectInfo(store: OrgStore, user: OrgUser, object: ObjectDef): unknown {
    const perms = store.objectPermissions(user, object.apiName);
    if (!perms.read)
        throw new OrgError(
            403,
            'INSUFFICIENT_ACCESS',
            `You don't have access to ${object.apiName}.`
        );
    const fields: Record<string, unknown> = {};
    for (const field of object.fields) {
        if (!store.canReadField(user, object.apiName, field.apiName)) continue;
        const target = field.referenceTo ? objectDef(field.referenceTo) : undefined;
        fields[field.apiName] = {
            apiName: field.apiName,
            calculated: false,
            compound: false,
            controllerName: null,
            createable: perms.create && store.canEditField(user, object, field, true),
            custom: field.apiName.endsWith('__c'),
            dataType: uiDataType(field),
            filterable: field.dataType !== 'TextArea',
            label: field.label,
            length: field.length ?? (field.dataType === 'String' ? 255 : 0),
            nameField: field.apiName === object.nameField,
            nillable: !field.required,
            reference: field.dataType === 'Reference',
            referenceToInfos: target
                ? [{ apiName: target.apiName, nameFields: [target.nameField] }]
                : [],
            relationshipName: field.relationshipName ?? null,
            required: field.required === true,
            sortable: field.dataType !== 'TextArea',
            updateable: perms.edit && store.canEditField(user, object, field, false)
        };
    }
    return {
        apiName: object.apiName,
        childRelationships: childRelationshipsOf(store, user, object),
        createable: perms.create,
        custom: object.custom === true,
        defaultRecordTypeId: MASTER_RECORD_TYPE_ID,
        deletable: perms.delete === true,
        dependentFields: {},
        feedEnabled: false,
        fields,
        keyPrefix: object.keyPrefix,
        label: object.label,
        labelPlural: object.labelPlural,
        layoutable: true,
        nameFields: [object.nameField],
        queryable: true,
        recordTypeInfos: {
            [MASTER_RECORD_TYPE_ID]: {
                available: true,
                defaultRecordTypeMapping: true,
                master: true,
                name: 'Master',
                recordTypeId: MASTER_RECORD_TYPE_ID
            }
        },
        searchable: isSearchable(object),
        themeInfo: null,
        updateable: perms.edit
    };
}

/**
 * The merge-field picker's catalogue, built from the admin's own describes (getObjectInfo): the
 * base object's fields, its parents one level up (`Owner.Name`, `Account.BillingCity`) and its
 * related lists for `{{#each}}` blocks. Pure functions over the UI API shapes.
 */

/** The part of UI API ObjectInfo the picker reads (documentMerge's ObjectDescribe plus labels). */
export interface PickerDescribe {
    apiName: string;
    label?: string;
    fields: Record<
        string,
        {
            apiName: string;
            label?: string;
            dataType: string;
            relationshipName?: string | null;
            referenceToInfos?: { apiName: string }[];
        }
    >;
    childRelationships: { relationshipName: string | null; childObjectApiName: string }[];
}

export type SourceKind = 'base' | 'parent' | 'child';

/** Where the picker's fields come from: the record, one of its parents, or a related list. */
export interface PickerSource {
    /** `base`, `parent:Owner`, `child:Opportunities`. */
    value: string;
    kind: SourceKind;
    /** The relationship name (parents and related lists). */
    relationship: string;
    /** The object whose fields are listed. */
    objectApiName: string;
}

export interface PickerField {
    key: string;
    label: string;
    apiName: string;
    /** What goes between the braces: `Name`, `Owner.Name`, or a row field inside `{{#each}}`. */
    path: string;
    /** The merge tag inserted, e.g. `{{Owner.Name}}`. */
    tag: string;
}

/** The base object, then its parents, then its related lists, each by name. */
export function pickerSources(base: PickerDescribe): PickerSource[] {
    const parents: PickerSource[] = [];
    for (const field of Object.values(base.fields)) {
        const target = field.referenceToInfos?.[0]?.apiName;
        if (field.relationshipName && target) {
            parents.push({
                value: `parent:${field.relationshipName}`,
                kind: 'parent',
                relationship: field.relationshipName,
                objectApiName: target
            });
        }
    }
    const children: PickerSource[] = [];
    const seen = new Set<string>();
    for (const child of base.childRelationships) {
        const name = child.relationshipName;
        if (!name || seen.has(name.toLowerCase())) continue;
        seen.add(name.toLowerCase());
        children.push({
            value: `child:${name}`,
            kind: 'child',
            relationship: name,
            objectApiName: child.childObjectApiName
        });
    }
    const byName = (a: PickerSource, b: PickerSource) =>
        a.relationship.localeCompare(b.relationship);
    return [
        { value: 'base', kind: 'base', relationship: '', objectApiName: base.apiName },
        ...parents.sort(byName),
        ...children.sort(byName)
    ];
}

/** The fields of a source's describe matching the search (label or API name), by label. */
export function pickerFields(
    source: PickerSource,
    describe: PickerDescribe,
    search: string
): PickerField[] {
    const wanted = search.trim().toLowerCase();
    return Object.values(describe.fields)
        .map((field) => {
            const label = field.label || field.apiName;
            const path =
                source.kind === 'parent'
                    ? `${source.relationship}.${field.apiName}`
                    : field.apiName;
            return {
                key: `${source.value}|${field.apiName}`,
                label,
                apiName: field.apiName,
                path,
                tag: `{{${path}}}`
            };
        })
        .filter(
            (f) =>
                !wanted ||
                f.label.toLowerCase().includes(wanted) ||
                f.path.toLowerCase().includes(wanted)
        )
        .sort((a, b) => a.label.localeCompare(b.label) || a.apiName.localeCompare(b.apiName));
}

/** The opening and closing tags of a related-list block for the relationship. */
export function eachBlock(relationship: string): [string, string] {
    return [`{{#each ${relationship}}}\n`, `\n{{/each}}`];
}

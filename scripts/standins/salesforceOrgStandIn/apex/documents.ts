import type {
    ChildListRequest,
    DocumentRecordData,
    DocumentTemplate,
    DocumentTemplateSummary,
    MergeRecord,
    SavedDocument
} from '../../../../force-app/main/default/lwc/documentMerge/documentMerge';
import {
    fieldByRelationship,
    fieldDef,
    objectDef,
    objectForId,
    OBJECTS,
    type ObjectDef
} from '../schema';
import type { StoredRecord } from '../seedData';
import { logActivity } from './activity';
import {
    asUser,
    AuraHandledError,
    isoDateTime,
    numberOr,
    requiredId,
    soqlLiteral,
    type ApexContext,
    type ApexParams
} from './support';

// DocumentTemplateController, DocumentRecordController and DocumentFileController: templates are
// public read-only (Resident Admin maintains them), the record is read in the user's mode (fields
// the user cannot read are left out and listed), and the PDF is saved as a File on the record,
// as the user, with a `Document generated` activity log entry.

const NO_TEMPLATE =
    'This document template does not exist, is not active, or you do not have access to it.';
const NO_RECORD = 'The record does not exist, or you do not have access to it.';
const MAX_FIELDS = 200;
const MAX_CHILD_LISTS = 10;
const MAX_CHILD_ROWS = 1000;
const MAX_PDF_BYTES = 3 * 1024 * 1024;
const MAX_FILE_NAME = 200;
export const TEMPLATE_FIELDS =
    'Id, Name, Base_Object__c, Body__c, Header__c, Footer__c, Page_Size__c, Orientation__c, Margin_Top__c, Margin_Right__c, Margin_Bottom__c, Margin_Left__c, Active__c, Version__c, LastModifiedDate';

export function requireTemplateAccess(context: ApexContext): void {
    if (!context.store.objectPermissions(context.user, 'Resident_Document_Template__c').read) {
        throw new AuraHandledError(
            'You do not have access to Resident document templates. Ask your Salesforce admin to assign you a Resident permission set.'
        );
    }
}

/**
 * Template rows the user can read (user mode), by name: TEMPLATE_FIELDS plus `extraFields`, under
 * the `where` conditions. Shared by the generator's and the editor's doubles.
 */
export function queryTemplates(
    context: ApexContext,
    { where = [], extraFields = [], limit = 200 }: QueryTemplates = {}
): StoredRecord[] {
    requireTemplateAccess(context);
    const fields = [TEMPLATE_FIELDS, ...extraFields].join(', ');
    const clause = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
    return asUser(() =>
        context.store.query(
            context.user,
            `SELECT ${fields} FROM Resident_Document_Template__c${clause} ORDER BY Name LIMIT ${limit}`
        )
    ).records;
}
type QueryTemplates = { where?: string[]; extraFields?: string[]; limit?: number };

/** One template's fields by id, or NO_TEMPLATE when it is out of reach (or inactive, if asked). */
export function templateRow(
    templateId: string,
    context: ApexContext,
    { activeOnly, extraFields = [] }: { activeOnly: boolean; extraFields?: string[] }
): Record<string, unknown> {
    const where = [`Id = ${soqlLiteral(templateId)}`, ...(activeOnly ? ['Active__c = true'] : [])];
    const [r] = queryTemplates(context, { where, extraFields, limit: 1 });
    if (!r) throw new AuraHandledError(NO_TEMPLATE);
    return r.fields;
}

/** A template row as the list methods answer it (DocumentTemplateSummary). */
export function templateSummary(r: StoredRecord): DocumentTemplateSummary & { active: boolean } {
    return {
        id: r.fields.Id,
        name: String(r.fields.Name ?? ''),
        baseObject: String(r.fields.Base_Object__c ?? ''),
        version: numberOr(r.fields.Version__c, 1),
        lastModified: isoDateTime(r.fields.LastModifiedDate) ?? '',
        active: r.fields.Active__c === true
    };
}

/** `listTemplates({ baseObject })`: active templates the user can read, by name. */
export function listTemplates(params: ApexParams, context: ApexContext): DocumentTemplateSummary[] {
    const baseObject = typeof params.baseObject === 'string' ? params.baseObject.trim() : '';
    const where = ['Active__c = true'];
    if (baseObject) where.push(`Base_Object__c = ${soqlLiteral(baseObject)}`);
    return queryTemplates(context, { where }).map(templateSummary);
}

function readTemplate(
    templateId: string,
    context: ApexContext
): DocumentTemplate & { lastModified: string } {
    return templateFromFields(templateRow(templateId, context, { activeOnly: true }));
}

/** A template record as DocumentTemplateLibrary.DocumentTemplate answers it. */
export function templateFromFields(f: Record<string, unknown>): DocumentTemplate & {
    lastModified: string;
} {
    const size = f.Page_Size__c === 'Letter' || f.Page_Size__c === 'Legal' ? f.Page_Size__c : 'A4';
    return {
        id: String(f.Id),
        name: String(f.Name ?? ''),
        baseObject: String(f.Base_Object__c ?? ''),
        body: String(f.Body__c ?? ''),
        header: typeof f.Header__c === 'string' ? f.Header__c : null,
        footer: typeof f.Footer__c === 'string' ? f.Footer__c : null,
        pageSize: size,
        orientation: f.Orientation__c === 'Landscape' ? 'landscape' : 'portrait',
        margins: {
            top: numberOr(f.Margin_Top__c, 50),
            right: numberOr(f.Margin_Right__c, 50),
            bottom: numberOr(f.Margin_Bottom__c, 50),
            left: numberOr(f.Margin_Left__c, 50)
        },
        active: f.Active__c === true,
        version: numberOr(f.Version__c, 1),
        lastModified: isoDateTime(f.LastModifiedDate) ?? ''
    };
}

/** `getTemplate({ templateId })`: one active template, whole. */
export function getTemplate(params: ApexParams, context: ApexContext): DocumentTemplate {
    return readTemplate(requiredId(params, 'templateId', 'The template'), context);
}

/** `Owner.Name` → the describe's spelling, null when the user cannot read a field on the way. */
function canonicalPath(object: ObjectDef, path: unknown, context: ApexContext): string | null {
    const segments = typeof path === 'string' && path.trim() ? path.trim().split('.') : [];
    if (segments.length === 0 || segments.length > 5) {
        throw new AuraHandledError(
            `“${String(path).slice(0, 80)}” is not a field of ${object.apiName}.`
        );
    }
    const canonical: string[] = [];
    let current = object;
    for (const [i, segment] of segments.entries()) {
        const last = i === segments.length - 1;
        const field = last ? fieldDef(current, segment) : fieldByRelationship(current, segment);
        const target = !last && field?.referenceTo ? objectDef(field.referenceTo) : undefined;
        if (!field || (!last && !target)) {
            throw new AuraHandledError(
                `“${String(path).slice(0, 80)}” is not a field of ${object.apiName}.`
            );
        }
        if (!context.store.canReadField(context.user, current.apiName, field.apiName)) return null;
        if (last) canonical.push(field.apiName);
        else {
            canonical.push(field.relationshipName!);
            if (!context.store.objectPermissions(context.user, target!.apiName).read) return null;
            current = target!;
        }
    }
    return canonical.join('.');
}

/** DocumentRecordReader.addCurrency: a multi-currency org's `CurrencyIsoCode`, when the user may read it. */
function withCurrency(object: ObjectDef, paths: string[], context: ApexContext): string[] {
    const field = fieldDef(object, 'CurrencyIsoCode');
    return field && context.store.canReadField(context.user, object.apiName, field.apiName)
        ? [...paths, field.apiName]
        : paths;
}

/** The REST-style nested record without `attributes`, as Apex's getPopulatedFieldsAsMap gives it. */
function withoutAttributes(value: unknown): unknown {
    if (value === null || typeof value !== 'object') return value;
    const out: MergeRecord = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
        if (key !== 'attributes') out[key] = withoutAttributes(inner);
    }
    return out;
}

function readRows(
    context: ApexContext,
    object: ObjectDef,
    where: string,
    paths: string[],
    order: string,
    limit: number
): MergeRecord[] {
    const { store, user } = context;
    const fields = [...new Set(['Id', ...paths])];
    const result = asUser(() =>
        store.query(
            user,
            `SELECT ${fields.join(', ')} FROM ${object.apiName} WHERE ${where}${order} LIMIT ${limit}`
        )
    );
    return result.records.map(
        (r) => withoutAttributes(store.restRecord(user, r, fields, 'v62.0')) as MergeRecord
    );
}

/** `readRecordData({ recordId, fields, children })`. */
export function readRecordData(params: ApexParams, context: ApexContext): DocumentRecordData {
    const recordId = requiredId(params, 'recordId', 'The record');
    const fields = Array.isArray(params.fields) ? (params.fields as unknown[]) : [];
    const children = Array.isArray(params.children)
        ? (params.children as Partial<ChildListRequest>[])
        : [];
    const childFields = children.reduce(
        (n, c) => n + (Array.isArray(c?.fields) ? c.fields.length : 0),
        0
    );
    if (
        fields.length > MAX_FIELDS ||
        children.length > MAX_CHILD_LISTS ||
        childFields > MAX_FIELDS
    ) {
        throw new AuraHandledError(
            `A document may read at most ${MAX_FIELDS} fields and ${MAX_CHILD_LISTS} related lists.`
        );
    }
    const object = objectForId(recordId);
    if (!object || !context.store.objectPermissions(context.user, object.apiName).read) {
        throw new AuraHandledError(NO_RECORD);
    }
    const answer: DocumentRecordData = {
        record: {},
        unreadableFields: [],
        truncatedRelationships: []
    };
    const paths: string[] = [];
    for (const path of fields) {
        const canonical = canonicalPath(object, path, context);
        if (canonical) paths.push(canonical);
        else answer.unreadableFields.push(String(path));
    }
    const [record] = readRows(
        context,
        object,
        `Id = ${soqlLiteral(recordId)}`,
        withCurrency(object, paths, context),
        '',
        1
    );
    if (!record) throw new AuraHandledError(NO_RECORD);
    answer.record = record;
    for (const child of children) {
        const name = typeof child?.relationship === 'string' ? child.relationship : '';
        const found = OBJECTS.flatMap((o) =>
            o.fields
                .filter(
                    (f) =>
                        f.referenceTo === object.apiName &&
                        f.childRelationshipName?.toLowerCase() === name.toLowerCase()
                )
                .map((f) => ({ childObject: o, field: f }))
        )[0];
        if (!found)
            throw new AuraHandledError(
                `“${name.slice(0, 80)}” is not a related list of ${object.apiName} that you can read.`
            );
        const relationship = found.field.childRelationshipName!;
        if (!context.store.objectPermissions(context.user, found.childObject.apiName).read) {
            answer.unreadableFields.push(relationship);
            continue;
        }
        const childPaths: string[] = [];
        for (const path of child.fields ?? []) {
            const canonical = canonicalPath(found.childObject, path, context);
            if (canonical) childPaths.push(canonical);
            else answer.unreadableFields.push(`${relationship}.${path}`);
        }
        const order = (child.sortBy ?? [])
            .map((s) => {
                const canonical = canonicalPath(found.childObject, s?.path, context);
                return canonical
                    ? `${canonical} ${s.descending ? 'DESC' : 'ASC'} NULLS LAST`
                    : null;
            })
            .filter((s): s is string => s !== null);
        const wanted = Math.min(
            typeof child.limitRows === 'number' && child.limitRows >= 1
                ? Math.floor(child.limitRows)
                : MAX_CHILD_ROWS,
            MAX_CHILD_ROWS
        );
        const rows = readRows(
            context,
            found.childObject,
            `${found.field.apiName} = ${soqlLiteral(recordId)}`,
            withCurrency(found.childObject, childPaths, context),
            ` ORDER BY ${[...order, 'Id'].join(', ')}`,
            wanted + 1
        );
        if (rows.length > wanted) answer.truncatedRelationships.push(relationship);
        answer.record[relationship] = rows.slice(0, wanted);
    }
    return answer;
}

/** `saveDocument({ recordId, fileName, base64Pdf, templateId })`: the File on the record, logged. */
export function saveDocument(params: ApexParams, context: ApexContext): SavedDocument {
    const recordId = requiredId(params, 'recordId', 'The record');
    const templateId = requiredId(params, 'templateId', 'The template');
    const rawName = typeof params.fileName === 'string' ? params.fileName : '';
    // eslint-disable-next-line no-control-regex
    const cleaned = rawName
        .replace(/[\\/:*?"<>|\u0000-\u001f]/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
    if (!cleaned || cleaned.length > MAX_FILE_NAME) {
        throw new AuraHandledError(`Enter a file name of at most ${MAX_FILE_NAME} characters.`);
    }
    const fileName = /\.pdf$/i.test(cleaned) ? cleaned : `${cleaned}.pdf`;
    const base64 = typeof params.base64Pdf === 'string' ? params.base64Pdf : '';
    const bytes = Buffer.from(base64, 'base64');
    if (!base64.startsWith('JVBERi0') || bytes.length > MAX_PDF_BYTES) {
        throw new AuraHandledError(
            `The document is not a PDF, or it is larger than ${MAX_PDF_BYTES / 1024 / 1024} MB.`
        );
    }
    const template = readTemplate(templateId, context);
    if (!context.store.canReadId(context.user, recordId)) throw new AuraHandledError(NO_RECORD);
    const versionId = asUser(
        () =>
            context.store.uploadFile(context.user, {
                Title: fileName.replace(/\.pdf$/i, ''),
                PathOnClient: fileName,
                VersionData: base64,
                FirstPublishLocationId: recordId
            }),
        {
            notFound: NO_RECORD,
            // DocumentFileController: a DmlException (the org's own rules) is
            // Resident_Error_DocSaveFailed with the DML message.
            byCode: {
                FIELD_CUSTOM_VALIDATION_EXCEPTION: (message) =>
                    `The document was not saved: ${message}`
            }
        }
    );
    const file = context.store.files().find((f) => f.contentVersionId === versionId)!;
    const activityId = logActivity(
        {
            entry: {
                kind: 'Document generated',
                outcome: 'Succeeded',
                tool: null,
                summary: `Generated ${fileName} from template ${template.name}`,
                recordId,
                objectApiName: objectForId(recordId)?.apiName ?? null,
                input: JSON.stringify({
                    templateId: template.id,
                    templateName: template.name,
                    templateVersion: template.version,
                    fileName
                }),
                result: JSON.stringify({
                    contentVersionId: versionId,
                    contentDocumentId: file.contentDocumentId
                })
            }
        },
        context
    ) as string;
    return { contentVersionId: versionId, contentDocumentId: file.contentDocumentId, activityId };
}

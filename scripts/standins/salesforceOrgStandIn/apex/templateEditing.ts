import { PAGE_SIZES } from '../../../../force-app/main/default/lwc/documentModel/documentModel';
import { objectDef } from '../schema';
import { logApexOnlyActivity } from './activity';
import { queryTemplates, templateFromFields, templateRow, templateSummary } from './documents';
import {
    asUser,
    AuraHandledError,
    isoDateTime,
    likeEscaped,
    numberOr,
    optionalId,
    requiredId,
    soqlLikeLiteral,
    type ApexContext,
    type ApexParams
} from './support';

// The template editor's side of DocumentTemplateController (listTemplatesForEditing,
// getTemplateForEditing, findSampleRecords, saveTemplate), mirroring DocumentTemplateWriter and
// DocumentSampleRecordFinder: writes as the user (only Resident Admin may), the same checks and
// messages, the version raised on each save, a stale save refused with nothing written, and each
// save logged as a `Template saved` activity entry.

const NO_EDIT =
    'You cannot edit Resident document templates. Ask your Salesforce admin for the Resident Admin permission set.';
const BAD_NAME = 'Enter a template name of at most 80 characters.';
const BAD_PAGE =
    'Choose a page size (A4, Letter or Legal) and an orientation (portrait or landscape).';
const BAD_MARGINS =
    'Margins are whole points from 0 to 500 and must leave at least 72 points (1 inch) of the page between them.';
const MAX_NAME = 80;
const MAX_BODY = 131_072;
const MAX_MARGIN_TEXT = 32_768;
const MAX_MARGIN_POINTS = 500;
const MIN_CONTENT_POINTS = 72;
const MAX_FOUND = 10;
const FIELDS = [
    'Name',
    'Base_Object__c',
    'Body__c',
    'Header__c',
    'Footer__c',
    'Page_Size__c',
    'Orientation__c',
    'Margin_Top__c',
    'Margin_Right__c',
    'Margin_Bottom__c',
    'Margin_Left__c',
    'Active__c'
] as const;

function unknownObject(name: string): AuraHandledError {
    return new AuraHandledError(
        `There is no object "${name.slice(0, 80)}" that you can see. Enter the API name of an object, e.g. Account.`
    );
}

/** `listTemplatesForEditing()`: every template the user can read, active or not, by name. */
export function listTemplatesForEditing(_params: ApexParams, context: ApexContext) {
    return queryTemplates(context).map(templateSummary);
}

/** A template, active or not, with who saved it last (for the stale-save message). */
function readForEditing(templateId: string, context: ApexContext) {
    return templateRow(templateId, context, {
        activeOnly: false,
        extraFields: ['LastModifiedById']
    });
}

/** `getTemplateForEditing({ templateId })`: one template, active or not, with its last save. */
export function getTemplateForEditing(params: ApexParams, context: ApexContext) {
    return templateFromFields(
        readForEditing(requiredId(params, 'templateId', 'The template'), context)
    );
}

/** `findSampleRecords({ baseObject, searchText })`: up to 10 records by their name field. */
export function findSampleRecords(params: ApexParams, context: ApexContext) {
    const wanted = typeof params.baseObject === 'string' ? params.baseObject.trim() : '';
    const object = wanted ? objectDef(wanted) : undefined;
    if (!object || !context.store.objectPermissions(context.user, object.apiName).read) {
        throw unknownObject(wanted);
    }
    const search =
        typeof params.searchText === 'string' ? params.searchText.trim().slice(0, 80) : '';
    const name = object.nameField;
    // DocumentSampleRecordFinder: the admin's %, _ and backslashes match themselves.
    const where = search
        ? ` WHERE ${name} LIKE ${soqlLikeLiteral(`%${likeEscaped(search)}%`)}`
        : '';
    return asUser(() =>
        context.store.query(
            context.user,
            `SELECT Id, ${name} FROM ${object.apiName}${where} ORDER BY ${name}, Id LIMIT ${MAX_FOUND}`
        )
    ).records.map((r) => ({ id: r.fields.Id, name: String(r.fields[name] ?? '') }));
}

type TemplateValues = Record<(typeof FIELDS)[number], string | number | boolean | null>;

function whole(value: unknown): number {
    if (typeof value !== 'number' || !Number.isInteger(value))
        throw new AuraHandledError(BAD_MARGINS);
    return value;
}

function checkedText(label: string, value: unknown, max: number): string {
    const text = typeof value === 'string' ? value : '';
    if (text.length > max) {
        throw new AuraHandledError(
            `The ${label} is too long: ${text.length} characters, at most ${max}.`
        );
    }
    return text;
}

/** The values to write, checked as DocumentTemplateWriter checks them. */
function validated(input: Record<string, unknown>, context: ApexContext): TemplateValues {
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (!name || name.length > MAX_NAME) throw new AuraHandledError(BAD_NAME);
    const body = checkedText('body', input.body, MAX_BODY);
    const header = checkedText('header', input.header, MAX_MARGIN_TEXT);
    const footer = checkedText('footer', input.footer, MAX_MARGIN_TEXT);
    const pageSize = String(input.pageSize ?? '') as keyof typeof PAGE_SIZES;
    const orientation = String(input.orientation ?? '').toLowerCase();
    if (!(pageSize in PAGE_SIZES) || !['portrait', 'landscape'].includes(orientation)) {
        throw new AuraHandledError(BAD_PAGE);
    }
    const [top, right, bottom, left] = [
        input.marginTop,
        input.marginRight,
        input.marginBottom,
        input.marginLeft
    ].map(whole) as [number, number, number, number];
    const { width: paperWidth, height: paperHeight } = PAGE_SIZES[pageSize];
    const [width, height] =
        orientation === 'landscape' ? [paperHeight, paperWidth] : [paperWidth, paperHeight];
    if (
        [top, right, bottom, left].some((m) => m < 0 || m > MAX_MARGIN_POINTS) ||
        left + right > width - MIN_CONTENT_POINTS ||
        top + bottom > height - MIN_CONTENT_POINTS
    ) {
        throw new AuraHandledError(BAD_MARGINS);
    }
    const wanted = typeof input.baseObject === 'string' ? input.baseObject.trim() : '';
    const object = wanted ? objectDef(wanted) : undefined;
    if (!object || !context.store.objectPermissions(context.user, object.apiName).read) {
        throw unknownObject(wanted);
    }
    return {
        Name: name,
        Base_Object__c: object.apiName,
        Body__c: body,
        Header__c: header || null,
        Footer__c: footer || null,
        Page_Size__c: pageSize,
        Orientation__c: orientation === 'landscape' ? 'Landscape' : 'Portrait',
        Margin_Top__c: top,
        Margin_Right__c: right,
        Margin_Bottom__c: bottom,
        Margin_Left__c: left,
        Active__c: input.active === true
    };
}

/** `saveTemplate({ template })`: create or update as the user, version + 1, stale saves refused. */
export function saveTemplate(params: ApexParams, context: ApexContext) {
    const input =
        params.template && typeof params.template === 'object'
            ? (params.template as Record<string, unknown>)
            : null;
    if (!input) throw new AuraHandledError(BAD_NAME);
    const values = validated(input, context);
    const id = optionalId(input, 'id', 'The template');
    if (!context.store.objectPermissions(context.user, 'Resident_Document_Template__c').edit) {
        throw new AuraHandledError(NO_EDIT);
    }
    let previous: Record<string, unknown> | null = null;
    let savedId: string;
    if (id === null) {
        savedId = asUser(
            () =>
                context.store.create(context.user, 'Resident_Document_Template__c', {
                    ...values,
                    Version__c: 1
                }),
            { noAccess: NO_EDIT }
        );
    } else {
        previous = { ...readForEditing(id, context) };
        const version = numberOr(previous.Version__c, 1);
        const lastModified = isoDateTime(previous.LastModifiedDate);
        if (input.loadedVersion !== version || input.loadedLastModified !== lastModified) {
            const by = context.store.user(String(previous.LastModifiedById))?.name ?? '';
            throw new AuraHandledError(
                `Not saved: someone saved this template after you opened it (it is now version ${version}, saved by ${by}). Your changes are still in the editor: copy them, open the template again, and reapply them.`
            );
        }
        asUser(
            () =>
                context.store.update(
                    context.user,
                    id,
                    { ...values, Version__c: version + 1 },
                    'Resident_Document_Template__c'
                ),
            { noAccess: NO_EDIT }
        );
        savedId = id;
    }
    const saved = getTemplateForEditing({ templateId: savedId }, context);
    const changed = FIELDS.filter(
        (field) => previous === null || (previous[field] ?? null) !== (values[field] ?? null)
    );
    // DocumentTemplateWriter logs through ActivityLogWriter.logApexOnly: a browser cannot log this kind.
    logApexOnlyActivity(context, {
        kind: 'Template saved',
        outcome: 'Succeeded',
        tool: null,
        summary: `Saved template ${saved.name} as version ${saved.version} (changed: ${changed.join(', ')})`,
        recordId: saved.id,
        objectApiName: 'Resident_Document_Template__c',
        input: JSON.stringify({
            templateId: saved.id,
            templateName: saved.name,
            baseObject: saved.baseObject,
            version: saved.version,
            previousVersion: previous === null ? null : numberOr(previous.Version__c, 1),
            changedFields: changed
        })
    });
    return saved;
}

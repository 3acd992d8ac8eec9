import { beforeEach, describe, expect, it } from 'vitest';
import type { DocumentTemplate } from '../../../force-app/main/default/lwc/documentMerge/documentMerge';
import type { ApexContext } from './apexDoubles';
import { callApexDouble, contextFor, refusal } from './apexDoubleTestSupport';
import { OrgStore } from './orgStore';
import { QUOTE_TEMPLATE } from './quoteTemplate';
import {
    ADA_ADMIN_ID,
    QUOTE_TEMPLATE_ID,
    SAM_SELLER_ID,
    SAMPLE_ACCOUNT_ID,
    SAMPLE_ACCOUNT_NAME
} from './seedData';

// The template editor's Apex doubles (DocumentTemplateController.saveTemplate & co.), called
// in-process as the workbench calls them over HTTP: Ada is Resident Admin (edits templates),
// Sam is Resident User (reads them only).

/** templateEditor.ts `EditableTemplate`. */
type EditableTemplate = DocumentTemplate & { lastModified: string };

let store: OrgStore;
let ada: ApexContext;
let sam: ApexContext;

/** Calls one of DocumentTemplateController's doubles by its method name. */
function call<T>(name: string, params: Record<string, unknown>, context: ApexContext): Promise<T> {
    return callApexDouble<T>(`DocumentTemplateController.${name}`, params, context);
}

function input(template: EditableTemplate, changes: Record<string, unknown> = {}) {
    return {
        id: template.id,
        name: template.name,
        baseObject: template.baseObject,
        body: template.body,
        header: template.header ?? '',
        footer: template.footer ?? '',
        pageSize: template.pageSize,
        orientation: template.orientation,
        marginTop: template.margins.top,
        marginRight: template.margins.right,
        marginBottom: template.margins.bottom,
        marginLeft: template.margins.left,
        active: template.active,
        loadedVersion: template.version,
        loadedLastModified: template.lastModified,
        ...changes
    };
}

function templateLog(): Record<string, unknown>[] {
    return store
        .systemRecords('Resident_Activity__c')
        .filter((r) => r.fields.Kind__c === 'Template saved')
        .map((r) => r.fields);
}

beforeEach(() => {
    store = new OrgStore();
    ada = contextFor(store, ADA_ADMIN_ID);
    sam = contextFor(store, SAM_SELLER_ID);
});

describe('DocumentTemplateController doubles for the template editor', () => {
    it('open the Quote with when it was last saved, and list inactive templates too', async () => {
        const quote = await call<EditableTemplate>(
            'getTemplateForEditing',
            { templateId: QUOTE_TEMPLATE_ID },
            ada
        );
        expect(quote).toMatchObject({ name: 'Quote', body: QUOTE_TEMPLATE.body, version: 1 });
        expect(quote.lastModified).toMatch(/Z$/);
        store.update(store.adminUser(), QUOTE_TEMPLATE_ID, { Active__c: false });
        const listed = await call<{ id: string; active: boolean }[]>(
            'listTemplatesForEditing',
            {},
            ada
        );
        expect(listed).toContainEqual(
            expect.objectContaining({ id: QUOTE_TEMPLATE_ID, active: false })
        );
    });

    it('save raises the version, logs the save, and refuses a stale save writing nothing', async () => {
        const loaded = await call<EditableTemplate>(
            'getTemplateForEditing',
            { templateId: QUOTE_TEMPLATE_ID },
            ada
        );
        const body = loaded.body.replace('<h1>', '<p>Phone: {{Phone}}</p>\n<h1>');
        const saved = await call<EditableTemplate>(
            'saveTemplate',
            { template: input(loaded, { body }) },
            ada
        );
        expect(saved.version).toBe(2);
        expect(saved.body).toBe(body);
        expect(templateLog()).toEqual([
            expect.objectContaining({
                Outcome__c: 'Succeeded',
                Record_Id__c: QUOTE_TEMPLATE_ID,
                User__c: ADA_ADMIN_ID
            })
        ]);
        expect(JSON.parse(String(templateLog()[0]!.Input__c))).toMatchObject({
            version: 2,
            previousVersion: 1,
            changedFields: ['Body__c']
        });

        // A second editor still holding version 1.
        const message = await refusal(
            call('saveTemplate', { template: input(loaded, { body: 'overwritten' }) }, ada)
        );
        expect(message).toMatch(
            /someone saved this template after you opened it \(it is now version 2, saved by Ada Admin\)/
        );
        const now = await call<EditableTemplate>(
            'getTemplateForEditing',
            { templateId: QUOTE_TEMPLATE_ID },
            ada
        );
        expect(now.body).toBe(body);
        expect(now.version).toBe(2);
        expect(templateLog()).toHaveLength(1);
    });

    it('create a new template at version 1, spelling the base object as the describe does', async () => {
        const created = await call<EditableTemplate>(
            'saveTemplate',
            {
                template: {
                    id: null,
                    name: 'Case summary',
                    baseObject: 'case',
                    body: '<h1>{{Subject}}</h1>',
                    header: '',
                    footer: '',
                    pageSize: 'Letter',
                    orientation: 'landscape',
                    marginTop: 36,
                    marginRight: 36,
                    marginBottom: 36,
                    marginLeft: 36,
                    active: false,
                    loadedVersion: null,
                    loadedLastModified: null
                }
            },
            ada
        );
        expect(created).toMatchObject({
            baseObject: 'Case',
            version: 1,
            header: null,
            orientation: 'landscape'
        });
    });

    it('refuse bad input with the message that names the problem', async () => {
        const loaded = await call<EditableTemplate>(
            'getTemplateForEditing',
            { templateId: QUOTE_TEMPLATE_ID },
            ada
        );
        const save = (changes: Record<string, unknown>) =>
            refusal(call('saveTemplate', { template: input(loaded, changes) }, ada));
        expect(await save({ baseObject: 'Nope__c' })).toContain('There is no object "Nope__c"');
        expect(await save({ name: '  ' })).toBe('Enter a template name of at most 80 characters.');
        expect(await save({ footer: 'x'.repeat(32_769) })).toBe(
            'The footer is too long: 32769 characters, at most 32768.'
        );
        expect(await save({ marginLeft: 300, marginRight: 300 })).toMatch(
            /^Margins are whole points/
        );
        expect(await save({ marginTop: 1.5 })).toMatch(/^Margins are whole points/);
        expect(await save({ pageSize: 'A0' })).toMatch(/^Choose a page size/);
        expect(templateLog()).toEqual([]);
    });

    it('let only Resident Admin save: Sam reads templates but cannot change them', async () => {
        const loaded = await call<EditableTemplate>(
            'getTemplateForEditing',
            { templateId: QUOTE_TEMPLATE_ID },
            sam
        );
        expect(
            await refusal(call('saveTemplate', { template: input(loaded, { body: 'mine' }) }, sam))
        ).toMatch(/You cannot edit Resident document templates/);
    });

    it('find sample records of the base object by name, % matching itself', async () => {
        const found = await call<{ id: string; name: string }[]>(
            'findSampleRecords',
            { baseObject: 'Account', searchText: 'acme' },
            ada
        );
        expect(found).toEqual([{ id: SAMPLE_ACCOUNT_ID, name: SAMPLE_ACCOUNT_NAME }]);
        expect(
            await call('findSampleRecords', { baseObject: 'Account', searchText: '%' }, ada)
        ).toEqual([]);
        expect(
            await call<unknown[]>(
                'findSampleRecords',
                { baseObject: 'Account', searchText: '' },
                ada
            )
        ).toHaveLength(10);
        // The admin's % and _ match themselves (a LIKE pattern with escapes), not any text.
        const pure = store.create(ada.user, 'Account', { Name: '100% Pure_Co' });
        const names = async (searchText: string) =>
            (
                await call<{ id: string; name: string }[]>(
                    'findSampleRecords',
                    { baseObject: 'Account', searchText },
                    ada
                )
            ).map((r) => r.id);
        expect(await names('0% pure_c')).toEqual([pure]);
        expect(await names('%')).toEqual([pure]);
        expect(await names('0_ P')).toEqual([]);
        expect(await names('100_')).toEqual([]);
        expect(await refusal(call('findSampleRecords', { baseObject: 'Nope' }, ada))).toContain(
            'There is no object "Nope"'
        );
    });
});

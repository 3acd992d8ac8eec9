import { beforeEach, describe, expect, it } from 'vitest';
import type {
    DocumentRecordData,
    DocumentTemplate,
    DocumentTemplateSummary,
    SavedDocument
} from '../../../force-app/main/default/lwc/documentMerge/documentMerge';
import type { ApexContext } from './apexDoubles';
import { callApexDouble as call, contextFor, refusal } from './apexDoubleTestSupport';
import { OrgStore } from './orgStore';
import {
    ADA_ADMIN_ID,
    EURO_ACCOUNT_ID,
    LEGAL_HOLD_ACCOUNT_ID,
    LEGAL_HOLD_MESSAGE,
    QUOTE_TEMPLATE_ID,
    SAM_SELLER_ID,
    SAMPLE_ACCOUNT_ID
} from './seedData';

// The document generator's Apex doubles, called in-process as the workbench calls them over
// HTTP: as Ada (Resident Admin, sees everything) and Sam (Resident User, cannot read
// Account.AnnualRevenue or Opportunity.Amount).

let store: OrgStore;
let ada: ApexContext;
let sam: ApexContext;
const PDF = Buffer.from('%PDF-1.7\n%%EOF\n').toString('base64');

beforeEach(() => {
    store = new OrgStore();
    ada = contextFor(store, ADA_ADMIN_ID);
    sam = contextFor(store, SAM_SELLER_ID);
});

describe('DocumentTemplateController doubles', () => {
    it('list the active templates of an object to any Resident user', async () => {
        const listed = await call<DocumentTemplateSummary[]>(
            'DocumentTemplateController.listTemplates',
            { baseObject: 'Account' },
            sam
        );
        expect(listed).toEqual([
            {
                id: QUOTE_TEMPLATE_ID,
                name: 'Quote',
                baseObject: 'Account',
                version: 1,
                lastModified: expect.stringMatching(/Z$/) as unknown as string,
                active: true
            }
        ]);
        expect(
            await call('DocumentTemplateController.listTemplates', { baseObject: 'Case' }, sam)
        ).toEqual([]);
    });

    it('hand out a template whole, in the shape documentMerge takes', async () => {
        const template = await call<DocumentTemplate>(
            'DocumentTemplateController.getTemplate',
            { templateId: QUOTE_TEMPLATE_ID },
            sam
        );
        expect(template).toMatchObject({
            id: QUOTE_TEMPLATE_ID,
            name: 'Quote',
            baseObject: 'Account',
            pageSize: 'A4',
            orientation: 'portrait',
            margins: { top: 50, right: 50, bottom: 50, left: 50 },
            active: true,
            version: 1
        });
        expect(template.body).toContain('{{#each Opportunities');
        expect(template.footer).toContain('{{pageNumber}}');
    });

    it('refuse an inactive template, and only Resident Admin may change templates', async () => {
        store.update(
            ada.user,
            QUOTE_TEMPLATE_ID,
            { Active__c: false },
            'Resident_Document_Template__c'
        );
        expect(
            await refusal(
                call(
                    'DocumentTemplateController.getTemplate',
                    { templateId: QUOTE_TEMPLATE_ID },
                    sam
                )
            )
        ).toMatch(/does not exist, is not active/);
        expect(() =>
            store.update(
                sam.user,
                QUOTE_TEMPLATE_ID,
                { Active__c: true },
                'Resident_Document_Template__c'
            )
        ).toThrow();
    });

    it('refuse a malformed id with a message', async () => {
        expect(
            await refusal(call('DocumentTemplateController.getTemplate', { templateId: 'x' }, sam))
        ).toBe('The template is not a valid Salesforce record ID.');
    });
});

describe('DocumentRecordController.readRecordData double', () => {
    const request = {
        recordId: SAMPLE_ACCOUNT_ID,
        fields: ['name', 'Owner.Name', 'AnnualRevenue', 'BillingCity'],
        children: [
            {
                relationship: 'opportunities',
                fields: ['Name', 'Amount', 'CloseDate'],
                sortBy: [{ path: 'CloseDate', descending: true }],
                limitRows: 2
            }
        ]
    };

    it('reads fields, nested parents and a sorted, bounded related list, saying it was cut short', async () => {
        const data = await call<DocumentRecordData>(
            'DocumentRecordController.readRecordData',
            request,
            ada
        );
        expect(data.record).toMatchObject({
            Id: SAMPLE_ACCOUNT_ID,
            Name: 'Acme Corporation',
            Owner: { Name: 'Sam Seller' },
            AnnualRevenue: 12_500_000
        });
        const rows = data.record.Opportunities as { CloseDate: string; Amount: number }[];
        expect(rows).toHaveLength(2);
        expect(rows[0]!.CloseDate >= rows[1]!.CloseDate).toBe(true);
        expect(data.unreadableFields).toEqual([]);
        expect(data.truncatedRelationships).toEqual(['Opportunities']);
    });

    it('leaves out what Sam cannot read and lists it', async () => {
        const data = await call<DocumentRecordData>(
            'DocumentRecordController.readRecordData',
            request,
            sam
        );
        expect(data.record).not.toHaveProperty('AnnualRevenue');
        expect(data.unreadableFields).toEqual(['AnnualRevenue', 'Opportunities.Amount']);
        for (const row of data.record.Opportunities as Record<string, unknown>[])
            expect(row).not.toHaveProperty('Amount');
    });

    it('refuses unknown fields and related lists by name, and records out of reach as not found', async () => {
        expect(
            await refusal(
                call(
                    'DocumentRecordController.readRecordData',
                    { ...request, fields: ['Nmae'] },
                    sam
                )
            )
        ).toBe('“Nmae” is not a field of Account.');
        expect(
            await refusal(
                call(
                    'DocumentRecordController.readRecordData',
                    { ...request, children: [{ relationship: 'Invoices', fields: [] }] },
                    sam
                )
            )
        ).toMatch(/“Invoices” is not a related list of Account/);
        // Account 2 is Ada's and not shared with Sam.
        const { makeId } = await import('./seedData');
        expect(
            await refusal(
                call(
                    'DocumentRecordController.readRecordData',
                    { recordId: makeId('001', 4), fields: ['Name'] },
                    sam
                )
            )
        ).toBe('The record does not exist, or you do not have access to it.');
    });
});

describe('DocumentFileController.saveDocument double', () => {
    it('saves the PDF as a File on the record, as the user, and logs the generation', async () => {
        const saved = await call<SavedDocument>(
            'DocumentFileController.saveDocument',
            {
                recordId: SAMPLE_ACCOUNT_ID,
                fileName: 'Quote: Acme/2026',
                base64Pdf: PDF,
                templateId: QUOTE_TEMPLATE_ID
            },
            sam
        );
        const file = store.files().find((f) => f.contentVersionId === saved.contentVersionId);
        expect(file).toMatchObject({
            pathOnClient: 'Quote Acme 2026.pdf',
            linkedEntityId: SAMPLE_ACCOUNT_ID,
            contentDocumentId: saved.contentDocumentId
        });
        const entry = store.query(
            sam.user,
            `SELECT Kind__c, Outcome__c, Record_Id__c, Input__c, Result__c, User__c FROM Resident_Activity__c WHERE Id = '${saved.activityId}'`
        ).records[0]!;
        expect(entry.fields).toMatchObject({
            Kind__c: 'Document generated',
            Outcome__c: 'Succeeded',
            Record_Id__c: SAMPLE_ACCOUNT_ID,
            User__c: SAM_SELLER_ID
        });
        expect(JSON.parse(String(entry.fields.Input__c))).toEqual({
            templateId: QUOTE_TEMPLATE_ID,
            templateName: 'Quote',
            templateVersion: 1,
            fileName: 'Quote Acme 2026.pdf'
        });
        expect(JSON.parse(String(entry.fields.Result__c))).toEqual({
            contentVersionId: saved.contentVersionId,
            contentDocumentId: saved.contentDocumentId
        });
    });

    it('refuses what is not a PDF, a blank name, and saves nothing', async () => {
        const before = store.files().length;
        const params = {
            recordId: SAMPLE_ACCOUNT_ID,
            fileName: 'Quote',
            base64Pdf: Buffer.from('<html>').toString('base64'),
            templateId: QUOTE_TEMPLATE_ID
        };
        expect(await refusal(call('DocumentFileController.saveDocument', params, sam))).toBe(
            'The document is not a PDF, or it is larger than 3 MB.'
        );
        expect(
            await refusal(
                call(
                    'DocumentFileController.saveDocument',
                    { ...params, base64Pdf: PDF, fileName: ' / ' },
                    sam
                )
            )
        ).toBe('Enter a file name of at most 200 characters.');
        expect(store.files().length).toBe(before);
    });
});

describe('a multi-currency org, and an org rule that refuses files', () => {
    it('reads each record’s and row’s CurrencyIsoCode without being asked (DocumentRecordReader)', async () => {
        const data = await call<DocumentRecordData>(
            'DocumentRecordController.readRecordData',
            {
                recordId: EURO_ACCOUNT_ID,
                fields: ['Name', 'AnnualRevenue'],
                children: [
                    { relationship: 'Opportunities', fields: ['Amount'], sortBy: [], limitRows: 5 }
                ]
            },
            ada
        );
        expect(data.record.CurrencyIsoCode).toBe('EUR');
        const rows = data.record.Opportunities as Record<string, unknown>[];
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every((r) => r.CurrencyIsoCode === 'EUR')).toBe(true);
        const acme = await call<DocumentRecordData>(
            'DocumentRecordController.readRecordData',
            { recordId: SAMPLE_ACCOUNT_ID, fields: ['Name'], children: [] },
            sam
        );
        expect(acme.record.CurrencyIsoCode).toBe('USD');
        expect(acme.unreadableFields).toEqual([]);
    });

    it('refuses to save a File on an account on legal hold, and keeps no file and no log entry', async () => {
        const files = store.files().length;
        const logged = store.systemRecords('Resident_Activity__c').length;
        const message = await refusal(
            call(
                'DocumentFileController.saveDocument',
                {
                    recordId: LEGAL_HOLD_ACCOUNT_ID,
                    fileName: 'Quote.pdf',
                    base64Pdf: PDF,
                    templateId: QUOTE_TEMPLATE_ID
                },
                sam
            )
        );
        expect(message).toBe(`The document was not saved: ${LEGAL_HOLD_MESSAGE}`);
        expect(store.files()).toHaveLength(files);
        expect(store.systemRecords('Resident_Activity__c')).toHaveLength(logged);
    });
});

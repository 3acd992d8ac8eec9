import getTemplate from '@salesforce/apex/DocumentTemplateController.getTemplate';
import readRecordData from '@salesforce/apex/DocumentRecordController.readRecordData';
import saveDocument from '@salesforce/apex/DocumentFileController.saveDocument';
import getRelaySession from '@salesforce/apex/RelayConnectionController.getRelaySession';
import { RelayRequestError, renderPdf } from 'c/relayClient';
import {
    GenerationError,
    MAX_SAVED_PDF_BYTES,
    RelaySessionKeeper,
    WiredDescribes,
    generateDocument,
    pickDefaultTemplate,
    prepareDocumentTemplate,
    saveDocumentFile
} from 'c/documentPipeline';
import type { GeneratedDocument, PreparedDocumentTemplate } from 'c/documentPipeline';
import type { DocumentDescription } from 'c/documentModel';

jest.mock(
    '@salesforce/apex/DocumentTemplateController.getTemplate',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/DocumentRecordController.readRecordData',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock('@salesforce/apex/DocumentFileController.saveDocument', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock(
    '@salesforce/apex/RelayConnectionController.getRelaySession',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock('c/relayClient', () => {
    const actual = jest.requireActual('c/relayClient');
    return { ...actual, renderPdf: jest.fn() };
});
jest.mock(
    '@salesforce/label/c.Resident_DocGen_SessionFailed',
    () => ({ default: "Couldn't connect to the PDF service: {0}" }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_DocGen_RelayRefused',
    () => ({ default: 'The PDF service refused the document: {0}' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_DocGen_SaveFailed',
    () => ({ default: 'The document was not saved: {0}' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Batch_PdfTooBig',
    () => ({ default: 'This PDF is {0} MB, larger than {1} MB.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Doc_ProblemAt',
    () => ({ default: '{0}, line {1}, column {2}: {3}' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Resident_Doc_UnclosedBlock',
    () => ({ default: '{0} is never closed' }),
    { virtual: true }
);
jest.mock('@salesforce/label/c.Resident_Doc_PartBody', () => ({ default: 'Body' }), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.Resident_Doc_WarningUnreadable',
    () => ({ default: "You can't see {0}: it prints empty." }),
    { virtual: true }
);
jest.mock('@salesforce/label/c.Resident_DocGen_DocumentTitle', () => ({ default: '{0} - {1}' }), {
    virtual: true
});

const getTemplateMock = getTemplate as unknown as jest.Mock;
const readMock = readRecordData as unknown as jest.Mock;
const saveMock = saveDocument as unknown as jest.Mock;
const sessionMock = getRelaySession as unknown as jest.Mock;
const renderMock = renderPdf as unknown as jest.Mock;

const TEMPLATE = {
    id: 'a0T000000000002AAA',
    name: 'Quote',
    baseObject: 'Account',
    body: '<p>{{Name}}: {{AnnualRevenue}}</p>{{#each Opportunities}}<p>{{Amount}}</p>{{/each}}',
    header: null,
    footer: null,
    pageSize: 'A4',
    orientation: 'portrait',
    margins: { top: 36, right: 36, bottom: 36, left: 36 },
    active: true,
    version: 3
};

const DESCRIBES: Record<string, unknown> = {
    account: {
        apiName: 'Account',
        fields: {
            Name: { apiName: 'Name', dataType: 'String' },
            AnnualRevenue: { apiName: 'AnnualRevenue', dataType: 'Currency' }
        },
        childRelationships: [
            { relationshipName: 'Opportunities', childObjectApiName: 'Opportunity' }
        ]
    },
    opportunity: {
        apiName: 'Opportunity',
        fields: { Amount: { apiName: 'Amount', dataType: 'Currency' } },
        childRelationships: []
    }
};
const loadDescribe = (name: string) => Promise.resolve(DESCRIBES[name.toLowerCase()] as never);

const PDF = new Blob(['%PDF-1.7 fake'], { type: 'application/pdf' });
const NOW = 1_800_000_000_000;

function session(token: string, expiresAt: number) {
    return { relayUrl: 'https://relay.example.com', token, expiresAt };
}

function textOf(description: DocumentDescription): string {
    return JSON.stringify(description.body);
}

async function prepared(): Promise<PreparedDocumentTemplate> {
    getTemplateMock.mockResolvedValue(TEMPLATE);
    const result = await prepareDocumentTemplate(TEMPLATE.id, loadDescribe);
    if (!result.prepared) throw new Error(result.problems.join('; '));
    return result.prepared;
}

const EURO_RECORD = {
    record: {
        Name: 'Müller GmbH',
        AnnualRevenue: 1234.5,
        CurrencyIsoCode: 'EUR',
        Opportunities: [{ Amount: 99, CurrencyIsoCode: 'EUR' }]
    },
    unreadableFields: [],
    truncatedRelationships: []
};

describe('c/documentPipeline', () => {
    afterEach(() => {
        jest.clearAllMocks();
    });

    describe('RelaySessionKeeper', () => {
        it('keeps a session while it has more than a minute left, then mints a new one', async () => {
            let now = NOW;
            const keeper = new RelaySessionKeeper(() => now);
            sessionMock
                .mockResolvedValueOnce(session('first', NOW + 600_000))
                .mockResolvedValueOnce(session('second', NOW + 1_200_000));
            expect((await keeper.current()).token).toBe('first');
            now = NOW + 530_000;
            expect((await keeper.current()).token).toBe('first');
            now = NOW + 545_000;
            expect((await keeper.current()).token).toBe('second');
            expect(sessionMock).toHaveBeenCalledTimes(2);
            expect(sessionMock).toHaveBeenCalledWith({ scopes: ['pdf'], taskId: null });
        });

        it('mints once for callers that ask together, and renews a refused token once', async () => {
            const keeper = new RelaySessionKeeper(() => NOW);
            sessionMock
                .mockResolvedValueOnce(session('first', NOW + 600_000))
                .mockResolvedValueOnce(session('second', NOW + 600_000));
            const [a, b, c] = await Promise.all([
                keeper.current(),
                keeper.current(),
                keeper.current()
            ]);
            expect([a.token, b.token, c.token]).toEqual(['first', 'first', 'first']);
            const [renewed, again] = await Promise.all([keeper.renew(a), keeper.renew(b)]);
            expect([renewed.token, again.token]).toEqual(['second', 'second']);
            // A caller still holding the old token gets the new one, without a third mint.
            expect((await keeper.renew(c)).token).toBe('second');
            expect(sessionMock).toHaveBeenCalledTimes(2);
        });

        it('says why when no session can be had', async () => {
            sessionMock.mockRejectedValueOnce({ body: { message: 'No relay is configured.' } });
            const error = await new RelaySessionKeeper().current().catch((e: unknown) => e);
            expect(error).toBeInstanceOf(GenerationError);
            expect(error).toMatchObject({
                stage: 'session',
                message: "Couldn't connect to the PDF service: No relay is configured."
            });
        });
    });

    describe('pickDefaultTemplate', () => {
        const quote = { id: 'a1', name: 'Quote' };
        const invoice = { id: 'a2', name: 'Invoice' };

        it('opens with the template the page names, in any case and with spaces around', () => {
            expect(pickDefaultTemplate([quote, invoice], '  invoice ')).toBe(invoice);
        });

        it('opens with the only template when none is named, or the named one is not there', () => {
            expect(pickDefaultTemplate([quote], undefined)).toBe(quote);
            expect(pickDefaultTemplate([quote], 'Invoice')).toBe(quote);
        });

        it('lets the user pick among several when none is named or found', () => {
            expect(pickDefaultTemplate([quote, invoice], '')).toBeUndefined();
            expect(pickDefaultTemplate([quote, invoice], 'Receipt')).toBeUndefined();
            expect(pickDefaultTemplate([], 'Quote')).toBeUndefined();
        });
    });

    it('lists template problems and reads nothing', async () => {
        getTemplateMock.mockResolvedValue({
            ...TEMPLATE,
            body: '<p>Hello</p>\n  {{#if Name}}open'
        });
        const result = await prepareDocumentTemplate(TEMPLATE.id, loadDescribe);
        expect(result.prepared).toBeNull();
        // Where the admin must look: the part, line and column of the block left open.
        expect(result.problems).toEqual(['Body, line 2, column 3: {{#if}} is never closed']);
        expect(readMock).not.toHaveBeenCalled();
    });

    it('reads what the template uses, and formats a EUR record in euros for a USD user', async () => {
        const template = await prepared();
        readMock.mockResolvedValue(EURO_RECORD);
        sessionMock.mockResolvedValue(session('tok', Date.now() + 600_000));
        renderMock.mockResolvedValue({ pdf: PDF, warnings: { missingCharacters: [] } });
        const keeper = new RelaySessionKeeper();
        for (const [locale, expected] of [
            ['en-US', '€1,234.50'],
            ['de-DE', '1.234,50\u00a0€']
        ]) {
            const document = await generateDocument(template, '001000000000015AAA', {
                sessions: keeper,
                formats: { locale: locale!, currency: 'USD' }
            });
            expect(document).toMatchObject({
                recordName: 'Müller GmbH',
                title: 'Quote - Müller GmbH',
                fileName: 'Quote - Müller GmbH.pdf'
            });
            const description = renderMock.mock.lastCall[1] as DocumentDescription;
            expect(textOf(description)).toContain(expected);
            expect(textOf(description)).not.toContain('$');
        }
        expect(readMock).toHaveBeenCalledWith({
            recordId: '001000000000015AAA',
            fields: ['Name', 'AnnualRevenue'],
            children: [
                expect.objectContaining({ relationship: 'Opportunities', fields: ['Amount'] })
            ]
        });
    });

    it('renews an expired token once when the relay refuses it, and converts with the new one', async () => {
        const template = await prepared();
        readMock.mockResolvedValue(EURO_RECORD);
        sessionMock
            .mockResolvedValueOnce(session('stale', Date.now() + 600_000))
            .mockResolvedValueOnce(session('fresh', Date.now() + 600_000));
        renderMock
            .mockRejectedValueOnce(
                new RelayRequestError('http', 'The session token has expired.', {
                    status: 401,
                    relayType: 'unauthorized'
                })
            )
            .mockResolvedValueOnce({ pdf: PDF, warnings: { missingCharacters: [] } });
        const document = await generateDocument(template, '001000000000015AAA', {
            sessions: new RelaySessionKeeper(),
            formats: { locale: 'en-US', currency: 'USD' }
        });
        expect(document.pdf).toBe(PDF);
        expect(renderMock.mock.calls.map((c) => (c[0] as { token: string }).token)).toEqual([
            'stale',
            'fresh'
        ]);
    });

    it('does not loop when the new token is refused too: it says what the relay said', async () => {
        const template = await prepared();
        readMock.mockResolvedValue(EURO_RECORD);
        sessionMock.mockImplementation(() =>
            Promise.resolve(session(`t${sessionMock.mock.calls.length}`, Date.now() + 600_000))
        );
        const refused = new RelayRequestError('http', 'This org is not connected.', {
            status: 401,
            relayType: 'unauthorized'
        });
        renderMock.mockRejectedValue(refused);
        const error = await generateDocument(template, '001000000000015AAA', {
            sessions: new RelaySessionKeeper(),
            formats: { locale: 'en-US', currency: 'USD' }
        }).catch((e: unknown) => e);
        expect(error).toMatchObject({
            stage: 'pdf',
            message: 'The PDF service refused the document: This org is not connected.'
        });
        expect(renderMock).toHaveBeenCalledTimes(2);
    });

    it('hands the caller’s signal to the relay call, so a preview typed past is stopped', async () => {
        const template = await prepared();
        readMock.mockResolvedValue(EURO_RECORD);
        sessionMock.mockResolvedValue(session('tok', Date.now() + 600_000));
        renderMock.mockImplementation(
            (_session: unknown, _description: unknown, signal?: AbortSignal) =>
                new Promise((_resolve, reject) => {
                    signal?.addEventListener('abort', () =>
                        reject(new RelayRequestError('aborted', 'Stopped.'))
                    );
                })
        );
        const controller = new AbortController();
        const generating = generateDocument(template, '001000000000015AAA', {
            sessions: new RelaySessionKeeper(),
            formats: { locale: 'en-US', currency: 'USD' },
            signal: controller.signal
        }).catch((e: unknown) => e);
        await new Promise((resolve) => setTimeout(resolve, 0));
        expect(renderMock.mock.calls[0]![2]).toBe(controller.signal);
        controller.abort();
        // Stopped is not an expired token: no second session, no second conversion.
        expect(await generating).toMatchObject({ stage: 'pdf' });
        expect(renderMock).toHaveBeenCalledTimes(1);
        expect(sessionMock).toHaveBeenCalledTimes(1);
    });

    describe('WiredDescribes', () => {
        /**
         * A component's getObjectInfo wire, played by hand: `asked` is each config the component
         * set; `answer` decides what the wire emits for an object (or nothing, for a silent wire).
         */
        function wiredDescribes(
            answer: (name: string) => { data?: unknown; error?: unknown } | null,
            timeoutMs?: number
        ) {
            const asked: (string | undefined)[] = [];
            const describes: WiredDescribes = new WiredDescribes((name) => {
                asked.push(name);
                const result = name ? answer(name) : null;
                // The wire emits after the config changes, never synchronously.
                if (result) setTimeout(() => describes.receive(result), 0);
            }, timeoutMs);
            return { describes, asked };
        }

        async function generateWith(describes: WiredDescribes) {
            getTemplateMock.mockResolvedValue(TEMPLATE);
            const preparation = await prepareDocumentTemplate(TEMPLATE.id, describes.load);
            expect(preparation.problems).toEqual([]);
            readMock.mockResolvedValue({
                record: { Name: 'Acme', AnnualRevenue: 5, Opportunities: [{}] },
                unreadableFields: [],
                truncatedRelationships: []
            });
            sessionMock.mockResolvedValue(session('tok', Date.now() + 600_000));
            renderMock.mockResolvedValue({ pdf: PDF, warnings: { missingCharacters: [] } });
            return generateDocument(preparation.prepared!, '001000000000015AAA', {
                sessions: new RelaySessionKeeper(),
                formats: { locale: 'en-US', currency: 'USD' }
            });
        }

        it('answers each object from the wire, and asks once per object', async () => {
            const { describes, asked } = wiredDescribes((name) => ({
                data: DESCRIBES[name.toLowerCase()]
            }));
            expect(await describes.load('Account')).toBe(DESCRIBES.account);
            expect(await describes.load('ACCOUNT')).toBe(DESCRIBES.account);
            expect(asked).toEqual(['Account']);
        });

        it('leaves an object the wire refuses unseen: its fields print empty with a warning', async () => {
            const { describes, asked } = wiredDescribes((name) =>
                name === 'Opportunity'
                    ? { error: { status: 403, body: { message: 'No access' } } }
                    : { data: DESCRIBES[name.toLowerCase()] }
            );
            expect(await describes.load('Opportunity')).toBeUndefined();
            // The refused config is let go, so the next object's config is a change the wire sees.
            expect(asked).toEqual(['Opportunity', undefined]);

            const document = await generateWith(describes);
            expect(document.warnings).toEqual([
                "You can't see Opportunities.Amount: it prints empty."
            ]);
            expect(readMock).toHaveBeenCalledWith(
                expect.objectContaining({ fields: ['Name', 'AnnualRevenue'] })
            );
            expect(textOf(renderMock.mock.lastCall[1] as DocumentDescription)).toContain('Acme');
        });

        it('gives up on a describe that never comes after its timeout, and goes on', async () => {
            const { describes, asked } = wiredDescribes(
                (name) => (name === 'Opportunity' ? null : { data: DESCRIBES[name.toLowerCase()] }),
                20
            );
            const document = await generateWith(describes);
            expect(asked).toEqual(['Account', 'Opportunity', undefined]);
            expect(document.warnings).toEqual([
                "You can't see Opportunities.Amount: it prints empty."
            ]);
            expect(textOf(renderMock.mock.lastCall[1] as DocumentDescription)).toContain('Acme');
        });

        it('lets nothing wait once the component has left, and asks the wire nothing more', async () => {
            const { describes, asked } = wiredDescribes(() => null, 60_000);
            const waiting = describes.load('Account');
            await new Promise((resolve) => setTimeout(resolve, 0));
            const queued = describes.load('Opportunity');
            describes.dispose();
            expect(await waiting).toBeUndefined();
            expect(await queued).toBeUndefined();
            expect(asked).toEqual(['Account']);
        });
    });

    describe('saveDocumentFile', () => {
        const document: GeneratedDocument = {
            recordId: '001000000000001AAA',
            recordName: 'Acme',
            title: 'Quote - Acme',
            fileName: 'Quote - Acme.pdf',
            pdf: PDF,
            warnings: []
        };

        it('saves the File on its record with the template (Apex writes the log entry)', async () => {
            const saved = {
                contentVersionId: '068000000000001AAA',
                contentDocumentId: '069000000000001AAA',
                activityId: 'a0A000000000001AAA'
            };
            saveMock.mockResolvedValue(saved);
            expect(await saveDocumentFile(document, TEMPLATE.id)).toEqual(saved);
            expect(saveMock).toHaveBeenCalledWith({
                recordId: '001000000000001AAA',
                fileName: 'Quote - Acme.pdf',
                base64Pdf: btoa('%PDF-1.7 fake'),
                templateId: TEMPLATE.id
            });
        });

        it('keeps Salesforce’s reason when the org refuses the File', async () => {
            saveMock.mockRejectedValue({ body: { message: 'Files cannot be added on hold.' } });
            const error = await saveDocumentFile(document, TEMPLATE.id).catch((e: unknown) => e);
            expect(error).toMatchObject({
                stage: 'save',
                reason: 'Files cannot be added on hold.',
                message: 'The document was not saved: Files cannot be added on hold.'
            });
        });

        it('refuses a PDF larger than a File may be without calling Apex', async () => {
            const big = { ...document, pdf: new Blob(['x'.repeat(MAX_SAVED_PDF_BYTES + 1)]) };
            const error = await saveDocumentFile(big, TEMPLATE.id).catch((e: unknown) => e);
            expect(error).toMatchObject({
                stage: 'save',
                message: 'This PDF is 3.0 MB, larger than 3.0 MB.'
            });
            expect(saveMock).not.toHaveBeenCalled();
        });
    });
});

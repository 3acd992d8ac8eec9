/**
 * The steps every document generation takes, shared by the record page's generator and the batch
 * generator: the template checked against the user's describe, the record read in the user's
 * session, the merge by the user's locale (and the record's currency), the relay's PDF, and the
 * File saved on the record with its `Document generated` activity entry.
 *
 * Each step that can fail throws a `GenerationError` whose message is a sentence for the user
 * (a Custom Label), so a caller shows it as it is: on the record page in an alert, in a batch
 * beside the record it belongs to.
 */
import readRecordData from '@salesforce/apex/DocumentRecordController.readRecordData';
import getTemplate from '@salesforce/apex/DocumentTemplateController.getTemplate';
import saveDocument from '@salesforce/apex/DocumentFileController.saveDocument';
import getRelaySession from '@salesforce/apex/RelayConnectionController.getRelaySession';
import logActivity from '@salesforce/apex/ActivityLogController.logActivity';
import { fieldsUsed, mergeTemplate, prepareTemplate } from 'c/documentMerge';
import type {
    DescribeLoader,
    DocumentRecordData,
    DocumentTemplate,
    FieldsUsed,
    LoadedImage,
    ParsedTemplate,
    SavedDocument
} from 'c/documentMerge';
import { RelayRequestError, renderPdf } from 'c/relayClient';
import type { LimitBreach, RelaySession } from 'c/relayClient';
import { formatLabel, readableError } from 'c/userMessages';
import missingGlyphsLabel from '@salesforce/label/c.Resident_DocGen_MissingGlyphs';
import saveFailedLabel from '@salesforce/label/c.Resident_DocGen_SaveFailed';
import templateFailedLabel from '@salesforce/label/c.Resident_DocGen_TemplateFailed';
import recordFailedLabel from '@salesforce/label/c.Resident_DocGen_RecordFailed';
import sessionFailedLabel from '@salesforce/label/c.Resident_DocGen_SessionFailed';
import relayUnreachableLabel from '@salesforce/label/c.Resident_DocGen_RelayUnreachable';
import relayRefusedLabel from '@salesforce/label/c.Resident_DocGen_RelayRefused';
import relayTooBigLabel from '@salesforce/label/c.Resident_DocGen_RelayTooBig';
import relayBadAnswerLabel from '@salesforce/label/c.Resident_DocGen_RelayBadAnswer';
import tooBigLabel from '@salesforce/label/c.Resident_DocGen_TooBig';
import limitSizeLabel from '@salesforce/label/c.Resident_DocGen_LimitSize';
import limitImagesLabel from '@salesforce/label/c.Resident_DocGen_LimitImages';
import limitImageSizeLabel from '@salesforce/label/c.Resident_DocGen_LimitImageSize';
import limitImagePixelsLabel from '@salesforce/label/c.Resident_DocGen_LimitImagePixels';
import limitColumnsLabel from '@salesforce/label/c.Resident_DocGen_LimitColumns';
import limitMarginBlocksLabel from '@salesforce/label/c.Resident_DocGen_LimitMarginBlocks';
import requestIdLabel from '@salesforce/label/c.Resident_DocGen_RequestId';
import documentTitleLabel from '@salesforce/label/c.Resident_DocGen_DocumentTitle';
import pdfTooBigToSaveLabel from '@salesforce/label/c.Resident_Batch_PdfTooBig';
import failedSummaryLabel from '@salesforce/label/c.Resident_Doc_FailedSummary';
import failureNotLoggedLabel from '@salesforce/label/c.Resident_Doc_FailureNotLogged';

export { loadTemplateImage } from './templateImages';

/** What `DocumentFileController.saveDocument` accepts (its MAX_PDF_BYTES). */
export const MAX_SAVED_PDF_BYTES = 3 * 1024 * 1024;

/** A session token is minted again when it has less than this left (the relay checks `exp`). */
export const SESSION_RENEW_MARGIN_MS = 60_000;

/** How long a describe may take through Lightning Data Service before the object counts as unseen. */
export const DESCRIBE_TIMEOUT_MS = 10000;

/** Where a generation failed: the caller may word or retry each differently. */
export type GenerationStage = 'template' | 'record' | 'session' | 'pdf' | 'save';

export class GenerationError extends Error {
    readonly stage: GenerationStage;
    /** Salesforce's or the relay's own reason, for a caller that words the sentence itself. */
    readonly reason: string;
    constructor(stage: GenerationStage, message: string, reason: string = message) {
        super(message);
        this.name = 'GenerationError';
        this.stage = stage;
        this.reason = reason;
    }
}

/** A template ready to generate from: checked against the describe, with what it reads. */
export interface PreparedDocumentTemplate {
    source: DocumentTemplate;
    template: ParsedTemplate;
    used: FieldsUsed;
}

/** `prepareDocumentTemplate`'s answer: ready, or the problems (line and column) that stop it. */
export type TemplatePreparation =
    | { prepared: PreparedDocumentTemplate; problems: [] }
    | { prepared: null; problems: string[] };

/** The user's formats: `@salesforce/i18n/locale`, `timeZone`, `currency`. */
export interface UserFormats {
    locale: string;
    timeZone?: string;
    /** Used when the record has no `CurrencyIsoCode` (a single-currency org). */
    currency: string;
}

export interface GeneratedDocument {
    recordId: string;
    /** The record's Name, or '' when it has none the user can read. */
    recordName: string;
    title: string;
    fileName: string;
    pdf: Blob;
    /** Merge warnings and characters no font has, as sentences. */
    warnings: string[];
}

export interface GenerateOptions {
    sessions: RelaySessionKeeper;
    formats: UserFormats;
    loadImage?: (source: string) => Promise<LoadedImage>;
    /** Told when a step starts (the record page shows it). */
    onStep?: (stage: 'record' | 'pdf') => void;
    /**
     * Stops the relay's conversion (the template editor drops a preview the admin has typed past).
     * A stopped conversion throws a `GenerationError` at stage `pdf`; the caller knows it stopped it.
     */
    signal?: AbortSignal;
}

const LIMIT_LABELS: Record<LimitBreach['limit'], string> = {
    maxDescriptionBytes: limitSizeLabel,
    maxPages: limitSizeLabel,
    maxImageBytes: limitImageSizeLabel,
    maxImages: limitImagesLabel,
    maxImagePixels: limitImagePixelsLabel,
    maxTableColumns: limitColumnsLabel,
    maxListDepth: limitColumnsLabel,
    maxHeaderFooterBlocks: limitMarginBlocksLabel
};

export function megabytes(bytes: number): string {
    return (bytes / (1024 * 1024)).toFixed(1);
}

/** A code point as the user sees it, with its number for the admin who picks a font. */
export function describeCharacter(codePoint: number): string {
    const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
    return `${String.fromCodePoint(codePoint)} (U+${hex})`;
}

/** Reads a Blob as base64 without its `data:` prefix (what saveDocument takes). */
export function blobToBase64(blob: Blob): Promise<string> {
    return new Promise((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => {
            const url = String(reader.result ?? '');
            resolve(url.slice(url.indexOf(',') + 1));
        };
        reader.onerror = () => reject(reader.error ?? new Error('read failed'));
        reader.readAsDataURL(blob);
    });
}

/** File names Salesforce and every OS accept: no path separators or control characters. */
export function safeFileName(title: string): string {
    // Control characters become spaces (a regular expression of them trips the linter).
    const printable = [...title].map((c) => {
        return c.charCodeAt(0) < 0x20 ? ' ' : c;
    });
    const cleaned = printable
        .join('')
        .replace(/[\\/:*?"<>|]+/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 190);
    return `${cleaned || 'Document'}.pdf`;
}

/** What to tell the user about a failed conversion: what happened and what to do. */
export function relayFailureMessage(error: unknown): string {
    if (!(error instanceof RelayRequestError)) {
        return formatLabel(relayBadAnswerLabel, readableError(error));
    }
    const request = error.requestId ? ' ' + formatLabel(requestIdLabel, error.requestId) : '';
    if (error.kind === 'limit' && error.breach) {
        const { limit, actual, max } = error.breach;
        const bytes = limit === 'maxDescriptionBytes' || limit === 'maxImageBytes';
        return formatLabel(
            tooBigLabel,
            LIMIT_LABELS[limit],
            bytes ? megabytes(actual) : actual,
            bytes ? megabytes(max) : max
        );
    }
    if (error.kind === 'network') {
        return formatLabel(relayUnreachableLabel, error.message);
    }
    if (error.kind === 'http' && error.relayType === 'payload_too_large') {
        return formatLabel(relayTooBigLabel, error.message) + request;
    }
    if (error.kind === 'http') {
        return formatLabel(relayRefusedLabel, error.message) + request;
    }
    return formatLabel(relayBadAnswerLabel, error.message) + request;
}

/**
 * The relay session for PDF conversion, minted by Apex for the current user and kept while it is
 * valid. A batch runs longer than one token lives (600 s): a token close to its end is minted
 * again before it is used, and a token the relay refuses as expired is replaced once. Concurrent
 * callers share one minting request.
 */
export class RelaySessionKeeper {
    private session: (RelaySession & { expiresAt: number }) | null = null;
    private minting: Promise<RelaySession & { expiresAt: number }> | null = null;

    constructor(private readonly now: () => number = () => Date.now()) {}

    /** A session with at least SESSION_RENEW_MARGIN_MS left. */
    current(): Promise<RelaySession> {
        const held = this.session;
        if (held && held.expiresAt - this.now() > SESSION_RENEW_MARGIN_MS) {
            return Promise.resolve(held);
        }
        return this.mint();
    }

    /** A new session, unless another caller replaced `stale` already. */
    renew(stale: RelaySession): Promise<RelaySession> {
        if (this.session && this.session.token !== stale.token) {
            return Promise.resolve(this.session);
        }
        this.session = null;
        return this.mint();
    }

    private mint(): Promise<RelaySession & { expiresAt: number }> {
        if (!this.minting) {
            this.minting = (async () => {
                try {
                    const answer = (await getRelaySession({
                        scopes: ['pdf'],
                        taskId: null
                    })) as RelaySession & { expiresAt?: number };
                    // Without an expiry the token is used once and minted again next time.
                    const session = {
                        ...answer,
                        expiresAt:
                            typeof answer?.expiresAt === 'number' ? answer.expiresAt : this.now()
                    };
                    this.session = session;
                    return session;
                } catch (error) {
                    throw new GenerationError(
                        'session',
                        formatLabel(sessionFailedLabel, readableError(error))
                    );
                } finally {
                    this.minting = null;
                }
            })();
        }
        return this.minting;
    }
}

/**
 * The template a generator opens with: the one named by the page's design attribute (any case,
 * spaces around ignored), else the only one there is, else none (the user picks).
 */
export function pickDefaultTemplate<T extends { name: string }>(
    templates: readonly T[],
    name: string | undefined
): T | undefined {
    const wanted = (name ?? '').trim().toLowerCase();
    const named = wanted ? templates.find((t) => t.name.toLowerCase() === wanted) : undefined;
    return named ?? (templates.length === 1 ? templates[0] : undefined);
}

/**
 * The template, read and checked against the user's describe (through `loadDescribe`). Problems
 * (unbalanced blocks, unknown merge fields) stop it before any record is read.
 */
export async function prepareDocumentTemplate(
    templateId: string,
    loadDescribe: DescribeLoader
): Promise<TemplatePreparation> {
    let source: DocumentTemplate;
    try {
        source = (await getTemplate({ templateId })) as DocumentTemplate;
    } catch (error) {
        throw new GenerationError(
            'template',
            formatLabel(templateFailedLabel, readableError(error))
        );
    }
    const checked = await prepareTemplate(source, loadDescribe, { forGeneration: true });
    if (!checked.template) {
        return { prepared: null, problems: checked.problems.map((p) => p.message) };
    }
    return {
        prepared: { source, template: checked.template, used: fieldsUsed(checked.template) },
        problems: []
    };
}

function isExpiredToken(error: unknown): boolean {
    return (
        error instanceof RelayRequestError &&
        error.kind === 'http' &&
        (error.status === 401 || error.relayType === 'unauthorized')
    );
}

/** One record's document: its data as the user may read it, merged, converted by the relay. */
export async function generateDocument(
    prepared: PreparedDocumentTemplate,
    recordId: string,
    options: GenerateOptions
): Promise<GeneratedDocument> {
    options.onStep?.('record');
    let data: DocumentRecordData;
    try {
        data = (await readRecordData({
            recordId,
            fields: prepared.used.fields,
            children: prepared.used.children
        })) as DocumentRecordData;
    } catch (error) {
        throw new GenerationError('record', formatLabel(recordFailedLabel, readableError(error)));
    }
    const recordName = typeof data.record?.Name === 'string' ? data.record.Name : '';
    const title = recordName
        ? formatLabel(documentTitleLabel, prepared.source.name, recordName)
        : prepared.source.name;
    const merged = await mergeTemplate(prepared.template, data, {
        locale: options.formats.locale,
        timeZone: options.formats.timeZone,
        defaultCurrencyIsoCode: options.formats.currency,
        loadImage: options.loadImage,
        title
    });

    options.onStep?.('pdf');
    let session = await options.sessions.current();
    let rendered;
    try {
        try {
            rendered = await renderPdf(session, merged.document, options.signal);
        } catch (error) {
            // The token ran out between minting and use (a long batch, a sleeping laptop): once more
            // with a new one. Any other refusal is the answer.
            if (!isExpiredToken(error)) throw error;
            session = await options.sessions.renew(session);
            rendered = await renderPdf(session, merged.document, options.signal);
        }
    } catch (error) {
        if (error instanceof GenerationError) throw error;
        throw new GenerationError('pdf', relayFailureMessage(error));
    }
    const glyphs = rendered.warnings.missingCharacters;
    return {
        recordId,
        recordName,
        title,
        fileName: safeFileName(title),
        pdf: rendered.pdf,
        warnings: [
            ...merged.warnings.map((w) => w.message),
            ...(glyphs.length
                ? [formatLabel(missingGlyphsLabel, glyphs.map(describeCharacter).join(', '))]
                : [])
        ]
    };
}

/**
 * Saves the PDF as a File on its record, as the user, with its `Document generated` activity entry
 * (template, record, file, user): both or neither (DocumentFileSaver).
 */
export async function saveDocumentFile(
    document: GeneratedDocument,
    templateId: string
): Promise<SavedDocument> {
    if (document.pdf.size > MAX_SAVED_PDF_BYTES) {
        throw new GenerationError(
            'save',
            formatLabel(
                pdfTooBigToSaveLabel,
                megabytes(document.pdf.size),
                megabytes(MAX_SAVED_PDF_BYTES)
            )
        );
    }
    try {
        const base64Pdf = await blobToBase64(document.pdf);
        return (await saveDocument({
            recordId: document.recordId,
            fileName: document.fileName,
            base64Pdf,
            templateId
        })) as SavedDocument;
    } catch (error) {
        const reason = readableError(error);
        throw new GenerationError('save', formatLabel(saveFailedLabel, reason), reason);
    }
}

/**
 * A generation that failed, written to the activity log as a `Document generated` entry with outcome
 * `Failed`: the template, the record and the reason, so the log shows every attempt, not only the
 * Files that were saved (a saved one is logged by `saveDocument` itself). A log that cannot be
 * written is an error of its own: the caller shows it beside the failure, never drops it.
 */
export async function logFailedGeneration(
    template: Pick<DocumentTemplate, 'id' | 'name' | 'baseObject' | 'version'>,
    record: { id: string; name?: string },
    reason: string
): Promise<void> {
    try {
        await logActivity({
            entry: {
                kind: 'Document generated',
                outcome: 'Failed',
                summary: formatLabel(failedSummaryLabel, record.name || record.id, template.name),
                recordId: record.id,
                objectApiName: template.baseObject,
                input: JSON.stringify({
                    templateId: template.id,
                    templateName: template.name,
                    templateVersion: template.version
                }),
                result: JSON.stringify({ error: reason })
            }
        });
    } catch (error) {
        throw new Error(formatLabel(failureNotLoggedLabel, readableError(error)));
    }
}

interface PendingDescribe {
    key: string;
    resolve: (value: ObjectDescribeResult) => void;
    timer: ReturnType<typeof setTimeout>;
}

type ObjectDescribeResult = Awaited<ReturnType<DescribeLoader>>;

/**
 * Turns the `getObjectInfo` wire into the promise-returning loader prepareTemplate needs. The
 * component owns the wire (`@wire(getObjectInfo, { objectApiName: '$describeRequest' })`) and hands
 * each answer to `receive`; `request` sets the reactive property. One object at a time: a describe
 * that fails or does not come in time leaves that object's fields unseen (they print empty with a
 * warning), never a crash.
 */
export class WiredDescribes {
    private pending: PendingDescribe | null = null;
    private readonly cache = new Map<string, ObjectDescribeResult>();
    private chain: Promise<unknown> = Promise.resolve();
    /** Raised by `dispose`: loads queued before it end unanswered instead of asking the wire. */
    private epoch = 0;

    constructor(
        private readonly request: (objectApiName: string | undefined) => void,
        private readonly timeoutMs: number = DESCRIBE_TIMEOUT_MS
    ) {}

    readonly load: DescribeLoader = (objectApiName) => {
        const key = objectApiName.toLowerCase();
        if (this.cache.has(key)) return Promise.resolve(this.cache.get(key));
        const epoch = this.epoch;
        const next = this.chain.then(
            () =>
                new Promise<ObjectDescribeResult>((resolve) => {
                    if (epoch !== this.epoch) {
                        resolve(undefined);
                        return;
                    }
                    if (this.cache.has(key)) {
                        resolve(this.cache.get(key));
                        return;
                    }
                    // eslint-disable-next-line @lwc/lwc/no-async-operation
                    const timer = setTimeout(() => {
                        this.pending = null;
                        this.request(undefined);
                        resolve(undefined);
                    }, this.timeoutMs);
                    this.pending = { key, resolve, timer };
                    this.request(objectApiName);
                })
        );
        this.chain = next.catch(() => undefined);
        return next;
    };

    /** The describe of an object already loaded (e.g. for its name field), if any. */
    cached(objectApiName: string): ObjectDescribeResult {
        return this.cache.get(objectApiName.toLowerCase());
    }

    /** The wire's answer. */
    receive(result: { data?: unknown; error?: unknown }): void {
        const data = result.data as ObjectDescribeResult;
        const pending = this.pending;
        if (data?.apiName) {
            this.cache.set(data.apiName.toLowerCase(), data);
        }
        if (!pending) return;
        if (data?.apiName && data.apiName.toLowerCase() === pending.key) {
            clearTimeout(pending.timer);
            this.pending = null;
            pending.resolve(data);
        } else if (result.error) {
            clearTimeout(pending.timer);
            this.pending = null;
            this.cache.set(pending.key, undefined);
            // The same config will not emit again: forget it so a later request asks afresh.
            this.request(undefined);
            pending.resolve(undefined);
        }
    }

    /** The component left the page: nothing waits for a wire that will not answer. */
    dispose(): void {
        this.epoch += 1;
        if (this.pending) {
            clearTimeout(this.pending.timer);
            this.pending.resolve(undefined);
            this.pending = null;
        }
    }
}

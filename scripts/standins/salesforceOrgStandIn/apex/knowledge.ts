import {
    COWORKER_LIMITS,
    type KnowledgeChunk,
    type KnowledgeDocumentSummary
} from '../../../../force-app/main/default/lwc/coworkerContract/coworkerContract';
import { EXPORT_MAX_ORIGINAL_BYTES } from '../../../../force-app/main/default/lwc/trustCenterContract/trustCenterContract';
import type { OrgStore, OrgUser } from '../orgStore';
import { wordsOf } from '../sosl';
import { escapeSosl } from './data';
import {
    asUser,
    AuraHandledError,
    isoDateTime,
    numberOr,
    optionalInteger,
    requiredBoolean,
    requiredId,
    requiredString,
    stringOrNull,
    type ApexContext,
    type ApexParams
} from './support';

// KnowledgeController: documents are public read-only (every user's coworker searches them in the
// user's own session); only Resident Admin adds, changes or deletes them. Chunks are master-detail
// children: they follow their document and are deleted with it.

const FORMATS = ['Plain text', 'Markdown', 'PDF'] as const;
type KnowledgeFormat = (typeof FORMATS)[number];
const MAX_TERMS = 30;
const MAX_CHUNKS = 2_000;
const NOT_FOUND = 'This knowledge document does not exist, or you do not have access to it.';
const ADMINS_ONLY = 'Only Resident admins can add, change or delete knowledge documents.';
// The Custom Labels KnowledgeOriginalWriter answers with.
const ORIGINAL_INVALID =
    "The original file has no name or no content, so it was not kept. The document's text is saved.";
const ORIGINAL_TOO_LARGE = `The original file is larger than ${EXPORT_MAX_ORIGINAL_BYTES / (1024 * 1024)} MB, so it was not kept. The text of the document is saved.`;
const ORIGINAL_EXISTS =
    'This knowledge document already keeps its original file: delete the document and add it again to keep another.';
const DOCUMENT_UNKNOWN = 'That knowledge document does not exist or you cannot read it.';

/** `findChunks({ terms, maxCandidates })`: SOSL candidates from active documents, for BM25 in the browser. */
export function findChunks(params: ApexParams, context: ApexContext): KnowledgeChunk[] {
    const terms = params.terms;
    if (!Array.isArray(terms) || !terms.every((t) => typeof t === 'string')) {
        throw new AuraHandledError('The search terms must be a list of words.');
    }
    const max =
        optionalInteger(
            params,
            'maxCandidates',
            1,
            COWORKER_LIMITS.knowledgeCandidates,
            'The number of candidates'
        ) ?? COWORKER_LIMITS.knowledgeCandidates;
    // SOSL needs words of two characters or more; one-letter and empty terms find nothing anyway.
    const words = [...new Set((terms as string[]).flatMap((t) => wordsOf(t)))]
        .filter((w) => w.length >= 2)
        .slice(0, MAX_TERMS);
    if (words.length === 0) return [];
    const sosl =
        `FIND {${words.map(escapeSosl).join(' OR ')}} IN ALL FIELDS RETURNING ` +
        'Resident_Knowledge_Chunk__c(Id, Document__c, Document__r.Name, Heading__c, Body__c, Sequence__c ' +
        `WHERE Document__r.Active__c = true LIMIT ${max})`;
    const [group] = asUser(() => context.store.search(context.user, sosl));
    return (group?.records ?? []).map((r) => {
        const flat = context.store.flatRecord(context.user, r, group?.paths ?? []);
        return {
            id: r.fields.Id,
            documentId: String(flat.Document__c ?? ''),
            documentName: String(flat['Document__r.Name'] ?? ''),
            heading: stringOrNull(flat.Heading__c),
            body: String(flat.Body__c ?? ''),
            sequence: numberOr(flat.Sequence__c, 0)
        };
    });
}

/** `listDocuments()`: every document the user can see (all of them: public read-only). */
export function listDocuments(
    _params: ApexParams,
    context: ApexContext
): KnowledgeDocumentSummary[] {
    const result = asUser(() =>
        context.store.query(
            context.user,
            'SELECT Id, Name, Format__c, Chunk_Count__c, Active__c, LastModifiedDate FROM Resident_Knowledge_Document__c ORDER BY Name LIMIT 1000'
        )
    );
    return result.records.map((r) => ({
        id: r.fields.Id,
        name: String(r.fields.Name ?? ''),
        format: (FORMATS as readonly unknown[]).includes(r.fields.Format__c)
            ? (r.fields.Format__c as KnowledgeFormat)
            : 'Plain text',
        chunkCount: numberOr(r.fields.Chunk_Count__c, 0),
        active: r.fields.Active__c === true,
        lastModified: isoDateTime(r.fields.LastModifiedDate) ?? ''
    }));
}

type ChunkRow = { sequence: number; heading: string | null; body: string; searchText: string };

function checkChunks(value: unknown): ChunkRow[] {
    if (!Array.isArray(value) || value.length === 0) {
        throw new AuraHandledError('The document has no text to store: add at least one passage.');
    }
    if (value.length > MAX_CHUNKS) {
        throw new AuraHandledError(
            `The document is too long: at most ${MAX_CHUNKS.toLocaleString('en-US')} passages.`
        );
    }
    return value.map((raw, index) => {
        const c = (raw ?? {}) as Record<string, unknown>;
        const where = `Passage ${index + 1}`;
        if (typeof c.sequence !== 'number' || !Number.isInteger(c.sequence) || c.sequence < 0) {
            throw new AuraHandledError(`${where} has no valid sequence number.`);
        }
        if (typeof c.body !== 'string' || c.body.trim() === '') {
            throw new AuraHandledError(`${where} is empty.`);
        }
        if (c.heading !== null && c.heading !== undefined && typeof c.heading !== 'string') {
            throw new AuraHandledError(`${where} has a heading that is not text.`);
        }
        if (typeof c.searchText !== 'string') {
            throw new AuraHandledError(`${where} has no search text.`);
        }
        return {
            sequence: c.sequence,
            heading: (c.heading as string | null | undefined) ?? null,
            body: c.body,
            searchText: c.searchText
        };
    });
}

/** `saveDocument({ name, format, chunks })` → the new document's id; all or nothing, as one transaction. */
export function saveDocument(params: ApexParams, context: ApexContext): string {
    const { store, user } = context;
    if (!store.objectPermissions(user, 'Resident_Knowledge_Document__c').create) {
        throw new AuraHandledError(ADMINS_ONLY);
    }
    const name = requiredString(params, 'name', 80, 'The document name').trim();
    const format = params.format;
    if (!FORMATS.includes(format as KnowledgeFormat)) {
        throw new AuraHandledError(`The format must be one of: ${FORMATS.join(', ')}.`);
    }
    const chunks = checkChunks(params.chunks);
    const documentId = asUser(
        () =>
            store.create(user, 'Resident_Knowledge_Document__c', {
                Name: name,
                Format__c: format,
                Chunk_Count__c: chunks.length,
                Active__c: true
            }),
        { noAccess: ADMINS_ONLY }
    );
    try {
        for (const chunk of chunks) {
            asUser(
                () =>
                    store.create(user, 'Resident_Knowledge_Chunk__c', {
                        Document__c: documentId,
                        Sequence__c: chunk.sequence,
                        Heading__c: chunk.heading,
                        Body__c: chunk.body,
                        Search_Text__c: chunk.searchText
                    }),
                { noAccess: ADMINS_ONLY }
            );
        }
    } catch (err) {
        // Apex rolls the whole transaction back: no document without its passages.
        store.delete(user, documentId);
        if (err instanceof AuraHandledError) {
            throw new AuraHandledError(`The document was not saved: ${err.message}`);
        }
        throw err;
    }
    return documentId;
}

/**
 * `keepOriginal({ documentId, fileName, base64 })` → the ContentDocument id: KnowledgeOriginalWriter.
 * The file, up to EXPORT_MAX_ORIGINAL_BYTES, becomes a File published to the document (inserted as
 * the user) and its id the document's Source_File_Id__c, both or neither.
 */
export function keepOriginal(params: ApexParams, context: ApexContext): string {
    const { store, user } = context;
    const documentId = requiredId(params, 'documentId', 'The document');
    const fileName = typeof params.fileName === 'string' ? params.fileName.trim() : '';
    const base64 = typeof params.base64 === 'string' ? params.base64 : '';
    if (!fileName || fileName.length > 255 || !base64) throw new AuraHandledError(ORIGINAL_INVALID);
    if (base64.length > Math.ceil(EXPORT_MAX_ORIGINAL_BYTES / 3) * 4) {
        throw new AuraHandledError(ORIGINAL_TOO_LARGE);
    }
    const bytes = Buffer.from(base64, 'base64');
    if (bytes.length === 0) throw new AuraHandledError(ORIGINAL_INVALID);
    if (bytes.length > EXPORT_MAX_ORIGINAL_BYTES) throw new AuraHandledError(ORIGINAL_TOO_LARGE);
    const document = asUser(
        () => store.visibleRecord(user, documentId, 'Resident_Knowledge_Document__c'),
        { notFound: DOCUMENT_UNKNOWN }
    );
    if (String(document.fields.Source_File_Id__c ?? '').trim() !== '') {
        throw new AuraHandledError(ORIGINAL_EXISTS);
    }
    const dot = fileName.lastIndexOf('.');
    const versionId = asUser(
        () =>
            store.uploadFile(user, {
                Title: dot > 0 ? fileName.slice(0, dot) : fileName,
                PathOnClient: fileName,
                VersionData: base64,
                FirstPublishLocationId: document.fields.Id
            }),
        { noAccess: ADMINS_ONLY }
    );
    const contentDocumentId = String(
        store.systemRecords('ContentVersion').find((v) => v.fields.Id === versionId)?.fields
            .ContentDocumentId
    );
    try {
        asUser(
            () =>
                store.update(
                    user,
                    document.fields.Id,
                    { Source_File_Id__c: contentDocumentId },
                    'Resident_Knowledge_Document__c'
                ),
            { notFound: DOCUMENT_UNKNOWN, noAccess: ADMINS_ONLY }
        );
    } catch (err) {
        // Apex rolls the File back with the failed update: no File the document does not name.
        store.deleteFile(user, contentDocumentId);
        throw err;
    }
    return contentDocumentId;
}

/**
 * KnowledgeOriginalEraser.originalsOf: the original Files of these documents that the user can
 * see, only where the document's Source_File_Id__c names the File AND the File is linked to the
 * document (a field pointing at some other File never gets it deleted). Ids of other objects, and
 * documents the user cannot see, have none. Read before the documents are deleted.
 */
export function knowledgeOriginalsOf(
    store: OrgStore,
    user: OrgUser,
    documentIds: readonly string[]
): string[] {
    const files: string[] = [];
    for (const id of documentIds) {
        const document = store.visibleRecordOrNull(user, id);
        if (document?.type !== 'Resident_Knowledge_Document__c') continue;
        const fileId = document.fields.Source_File_Id__c;
        if (typeof fileId !== 'string' || !fileId.startsWith('069')) continue;
        const linked = store
            .systemRecords('ContentDocumentLink')
            .some(
                (l) =>
                    l.fields.ContentDocumentId === fileId &&
                    l.fields.LinkedEntityId === document.fields.Id
            );
        if (linked && store.visibleRecordOrNull(user, fileId)) files.push(fileId);
    }
    return files;
}

/**
 * PackageRowDeleter for one row: deletes it with `remove` and, for a knowledge document, its
 * original File after it (as the user: the admin owns it), so retention and purge leave no File.
 */
export function deleteWithKnowledgeOriginal(
    store: OrgStore,
    user: OrgUser,
    id: string,
    remove: () => void
): void {
    const originals = knowledgeOriginalsOf(store, user, [id]);
    remove();
    for (const fileId of originals) store.deleteFile(user, fileId);
}

/** `deleteDocument({ documentId })`: the document, its chunks and its original File. */
export function deleteDocument(params: ApexParams, context: ApexContext): void {
    const { store, user } = context;
    const documentId = requiredId(params, 'documentId', 'The document');
    // Apex does this in one transaction; the stand-in has none, so it refuses a user who may not
    // delete documents (a Resident User) before the File is touched.
    const perms = store.objectPermissions(user, 'Resident_Knowledge_Document__c');
    if (!perms.delete) throw new AuraHandledError(ADMINS_ONLY);
    asUser(
        () =>
            deleteWithKnowledgeOriginal(store, user, documentId, () =>
                store.delete(user, documentId, 'Resident_Knowledge_Document__c')
            ),
        { notFound: NOT_FOUND, noAccess: ADMINS_ONLY }
    );
}

/** `setDocumentActive({ documentId, active })`: an inactive document is never searched. */
export function setDocumentActive(params: ApexParams, context: ApexContext): void {
    const documentId = requiredId(params, 'documentId', 'The document');
    const active = requiredBoolean(params, 'active', 'Active');
    asUser(
        () =>
            context.store.update(
                context.user,
                documentId,
                { Active__c: active },
                'Resident_Knowledge_Document__c'
            ),
        { notFound: NOT_FOUND, noAccess: ADMINS_ONLY }
    );
}

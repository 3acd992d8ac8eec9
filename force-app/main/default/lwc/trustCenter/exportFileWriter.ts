/**
 * Writes the one JSON export file (`ExportFile` of c/trustCenterContract) piece by piece: each page
 * of rows becomes its own Blob part as soon as it arrives, so the page never holds the whole export
 * as one JavaScript string (the browser may keep Blob parts off the script heap), and the file is
 * still one valid JSON document in the contract's key order.
 */
import { EXPORT_FORMAT } from 'c/trustCenterContract';
import type { ExportFile, KnowledgeOriginal, PackageDataObject } from 'c/trustCenterContract';

const EXPORT_MIME_TYPE = 'application/json';

export type ExportHeader = Pick<
    ExportFile,
    'orgId' | 'exportedAt' | 'exportedByUserId' | 'retention'
>;

type Section = 'objects' | 'rows' | 'originals' | 'done';

export class ExportFileWriter {
    private readonly parts: Blob[] = [];
    private section: Section = 'objects';
    private objectsWritten = 0;
    private rowsInObject = 0;
    private originalsWritten = 0;

    constructor(header: ExportHeader) {
        const head = {
            format: EXPORT_FORMAT,
            orgId: header.orgId,
            exportedAt: header.exportedAt,
            exportedByUserId: header.exportedByUserId,
            retention: header.retention
        };
        // The header's JSON without its closing brace, then the objects map opens.
        const json = JSON.stringify(head);
        this.push(`${json.slice(0, -1)},"objects":{`);
    }

    private push(text: string): void {
        this.parts.push(new Blob([text], { type: EXPORT_MIME_TYPE }));
    }

    /** Opens the row array of the next object (objects in the order the caller writes them). */
    beginObject(objectApiName: PackageDataObject): void {
        if (this.section === 'rows') this.endObject();
        if (this.section !== 'objects') throw new Error('objects come before knowledge originals');
        this.push(`${this.objectsWritten > 0 ? ',' : ''}${JSON.stringify(objectApiName)}:[`);
        this.objectsWritten += 1;
        this.rowsInObject = 0;
        this.section = 'rows';
    }

    /** One page of the current object's rows, as one Blob part. */
    addRows(rows: readonly Record<string, unknown>[]): void {
        if (this.section !== 'rows') throw new Error('begin an object before adding its rows');
        if (rows.length === 0) return;
        const text = rows.map((row) => JSON.stringify(row)).join(',');
        this.push(`${this.rowsInObject > 0 ? ',' : ''}${text}`);
        this.rowsInObject += rows.length;
    }

    endObject(): void {
        if (this.section !== 'rows') return;
        this.push(']');
        this.section = 'objects';
    }

    /** A knowledge document's original File (or the reason it was skipped). */
    addKnowledgeOriginal(original: KnowledgeOriginal): void {
        this.openOriginals();
        this.push(`${this.originalsWritten > 0 ? ',' : ''}${JSON.stringify(original)}`);
        this.originalsWritten += 1;
    }

    private openOriginals(): void {
        if (this.section === 'originals') return;
        if (this.section === 'rows') this.endObject();
        if (this.section !== 'objects') throw new Error('the export file is already finished');
        this.push('},"knowledgeOriginals":[');
        this.section = 'originals';
    }

    /** Closes the JSON document and answers it as one Blob. */
    finish(): Blob {
        this.openOriginals();
        this.push(']}');
        this.section = 'done';
        return new Blob(this.parts, { type: EXPORT_MIME_TYPE });
    }
}

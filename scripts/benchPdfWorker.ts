/**
 * A bench-only Worker for scripts/benchPdf.ts, run on workerd. It does what `POST /v1/pdf` does
 * after authentication (validate with the same schema, render with the same renderer), plus a
 * baseline: the same table text drawn with plain pdf-lib (a standard font, fixed positions, no
 * wrapping, no measuring, no tables), to show what the layout costs. Never deployed.
 */
import { PDFDocument, StandardFonts } from 'pdf-lib';
import {
    describeValidationError,
    documentDescriptionSchema
} from '../relay/src/pdf/documentSchema';
import { renderPdf } from '../relay/src/pdf/pdfRenderer';

const ROWS_PER_BASELINE_PAGE = 40;

async function renderBaseline(rows: string[][]): Promise<Uint8Array> {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    let page = doc.addPage([595.28, 841.89]);
    rows.forEach((cells, index) => {
        if (index > 0 && index % ROWS_PER_BASELINE_PAGE === 0) page = doc.addPage([595.28, 841.89]);
        const y = 780 - (index % ROWS_PER_BASELINE_PAGE) * 18;
        cells.forEach((cell, c) => page.drawText(cell, { x: 48 + c * 100, y, size: 9, font }));
    });
    return doc.save();
}

export default {
    async fetch(request: Request): Promise<Response> {
        const url = new URL(request.url);
        if (request.method !== 'POST') return new Response('POST only', { status: 405 });
        const body: unknown = await request.json();
        if (url.pathname === '/baseline') {
            const bytes = (await renderBaseline(body as string[][])) as Uint8Array<ArrayBuffer>;
            return new Response(bytes, { headers: { 'content-type': 'application/pdf' } });
        }
        const parsed = documentDescriptionSchema.safeParse(body);
        if (!parsed.success) {
            return new Response(describeValidationError(parsed.error), { status: 422 });
        }
        const pdf = await renderPdf(parsed.data);
        return new Response(pdf.bytes, {
            headers: { 'content-type': 'application/pdf', 'x-pages': String(pdf.pageCount) }
        });
    }
};

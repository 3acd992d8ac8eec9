import { describe, expect, it } from 'vitest';
import {
    describeDocumentModel,
    DOCUMENT_LIMITS,
    formatPdfWarnings,
    isAllowedLink,
    parsePdfWarnings
} from '../../force-app/main/default/lwc/documentModel/documentModel';
import { describeValidationError, documentDescriptionSchema } from '../src/pdf/documentSchema';
import {
    documentWith,
    paragraph,
    productTable,
    quoteDocument,
    text
} from './fixtures/pdf/sampleDocuments';

function problems(value: unknown): string {
    const result = documentDescriptionSchema.safeParse(value);
    expect(result.success).toBe(false);
    return describeValidationError(result.error!);
}

describe('document description validation', () => {
    it('accepts the sample quote as the browser would send it', async () => {
        const result = documentDescriptionSchema.safeParse(await quoteDocument(10));
        expect(result.error).toBeUndefined();
    });

    it('refuses a description written for another model version', () => {
        expect(problems({ ...documentWith([]), modelVersion: 2 })).toMatch(
            /^The document description is not valid\. modelVersion: /
        );
    });

    it('refuses unknown keys instead of ignoring them (a misspelt style prints wrong)', () => {
        const message = problems(
            documentWith([
                { type: 'paragraph', runs: [{ type: 'text', text: 'x', bol: true } as never] }
            ])
        );
        expect(message).toMatch(/body\.0\.runs\.0: .*bol/);
    });

    it('refuses links other than http, https and mailto', () => {
        for (const link of [
            'javascript:alert(1)',
            'data:text/html,hi',
            'file:///etc/passwd',
            '/relative',
            'ftp://x.org'
        ]) {
            const message = problems(documentWith([paragraph(text('click', { link }))]));
            expect(message).toContain(
                'body.0.runs.0.link: A link must be an absolute http, https or mailto URL.'
            );
        }
        for (const link of [
            'https://example.com/a?b=c',
            'http://intranet.local',
            'mailto:a@example.com'
        ]) {
            expect(isAllowedLink(link)).toBe(true);
        }
    });

    it('refuses page-number runs in the body; they belong in headers and footers', () => {
        const message = problems(
            documentWith([{ type: 'paragraph', runs: [{ type: 'pageNumber' } as never] }])
        );
        expect(message).toMatch(/body\.0\.runs\.0/);
    });

    it('names the table row whose cells do not match the columns', () => {
        const table = productTable(3) as { rows: { cells: unknown[] }[] };
        table.rows[2]!.cells.pop();
        const message = problems(documentWith([table as never]));
        expect(message).toContain(
            'body.0.rows.2.cells: Expected 5 cells, one per column; found 4.'
        );
    });

    it('refuses lists nested deeper than the limit', () => {
        let list: Record<string, unknown> = {
            type: 'list',
            style: 'bulleted',
            items: [{ runs: [text('leaf')] }]
        };
        for (let depth = 1; depth <= DOCUMENT_LIMITS.maxListDepth; depth++) {
            list = {
                type: 'list',
                style: 'bulleted',
                items: [{ runs: [text(`level ${depth}`)], children: list }]
            };
        }
        expect(problems(documentWith([list as never]))).toContain(
            `Lists may nest at most ${DOCUMENT_LIMITS.maxListDepth} deep.`
        );
    });

    it('refuses bad colours, sizes, dates, languages and an empty title', () => {
        const table = { ...(productTable(1) as object), headerShading: 'red' };
        expect(problems(documentWith([table as never]))).toContain(
            'body.0.headerShading: Expected a colour as #RRGGBB.'
        );
        expect(problems(documentWith([], { baseFontSize: 200 }))).toMatch(/baseFontSize/);
        expect(
            problems(documentWith([], { metadata: { title: 'x', created: 'yesterday' } }))
        ).toMatch(/metadata\.created/);
        expect(
            problems(documentWith([], { metadata: { title: 'x', language: 'english!' } }))
        ).toContain('metadata.language: Expected a language tag such as en-US.');
        expect(problems(documentWith([], { metadata: { title: '   ' } }))).toMatch(
            /metadata\.title/
        );
    });

    it('lists at most three problems and counts the rest', () => {
        const message = problems(
            documentWith(Array.from({ length: 5 }, () => ({ type: 'poem' }) as never))
        );
        expect(message).toMatch(/; and 2 more\.$/);
    });
});

describe('the shared document model', () => {
    it('describes its version, limits and formats for both sides', () => {
        const info = describeDocumentModel();
        expect(info.version).toBe(1);
        expect(info.limits.maxPages).toBe(DOCUMENT_LIMITS.maxPages);
        expect(info.pageSizes).toEqual(['A4', 'Letter', 'Legal']);
        expect(info.imageFormats).toEqual(['png', 'jpeg']);
    });

    it('writes and reads back the warnings header', () => {
        expect(formatPdfWarnings({ missingCharacters: [] })).toBeUndefined();
        const header = formatPdfWarnings({ missingCharacters: [0x6f22, 0x1f642] })!;
        expect(header).toBe('missing-characters=U+6F22,U+1F642');
        expect(parsePdfWarnings(header)).toEqual({ missingCharacters: [0x6f22, 0x1f642] });
        expect(parsePdfWarnings(null)).toEqual({ missingCharacters: [] });
    });
});

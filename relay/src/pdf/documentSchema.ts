import { z } from 'zod';
import {
    DOCUMENT_LIMITS,
    DOCUMENT_MODEL_VERSION,
    FONT_SIZE_RANGE,
    isAllowedLink,
    type Block,
    type DocumentDescription,
    type ListBlock,
    type PageMarginBlock,
    type PageMarginRun,
    type TextRun
} from '../../../force-app/main/default/lwc/documentModel/documentModel';

/**
 * The document model as a zod schema, typed against the shared TypeScript types (`z.ZodType<...>`)
 * so the two cannot drift apart. Objects are strict: an unknown key is a mistake in the browser's
 * merge (a misspelt `bold`), and saying so beats silently printing something else.
 */

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Expected a colour as #RRGGBB.');
const fontSize = z.number().min(FONT_SIZE_RANGE.min).max(FONT_SIZE_RANGE.max);
const points = (max: number) => z.number().min(0).max(max);
const align = z.enum(['left', 'center', 'right']);
const direction = z.enum(['auto', 'ltr', 'rtl']);

const textRun: z.ZodType<TextRun> = z.strictObject({
    type: z.literal('text'),
    text: z.string(),
    bold: z.boolean().optional(),
    italic: z.boolean().optional(),
    underline: z.boolean().optional(),
    link: z
        .string()
        .max(2048)
        .refine(isAllowedLink, 'A link must be an absolute http, https or mailto URL.')
        .optional()
});

const pageMarginRun: z.ZodType<PageMarginRun> = z.union([
    textRun,
    z.strictObject({
        type: z.literal('pageNumber'),
        bold: z.boolean().optional(),
        italic: z.boolean().optional()
    }),
    z.strictObject({
        type: z.literal('pageCount'),
        bold: z.boolean().optional(),
        italic: z.boolean().optional()
    })
]);

function paragraphSchema<Run extends PageMarginRun>(run: z.ZodType<Run>) {
    return z.strictObject({
        type: z.literal('paragraph'),
        runs: z.array(run),
        align: align.optional(),
        direction: direction.optional(),
        fontSize: fontSize.optional()
    });
}

function tableSchema<Run extends PageMarginRun>(run: z.ZodType<Run>) {
    const cell = z.strictObject({
        runs: z.array(run),
        align: align.optional(),
        shading: hexColor.optional(),
        bold: z.boolean().optional()
    });
    const row = z.strictObject({ cells: z.array(cell), shading: hexColor.optional() });
    return z
        .strictObject({
            type: z.literal('table'),
            columns: z
                .array(
                    z.strictObject({
                        width: z.union([
                            z.strictObject({ fraction: z.number().gt(0).max(1) }),
                            z.strictObject({ points: z.number().gt(0).max(2000) })
                        ]),
                        align: align.optional()
                    })
                )
                .min(1)
                .max(DOCUMENT_LIMITS.maxTableColumns),
            headerRows: z.array(row).max(10).optional(),
            rows: z.array(row),
            totalsRow: row.optional(),
            borders: z.enum(['all', 'horizontal', 'none']).optional(),
            borderColor: hexColor.optional(),
            headerShading: hexColor.optional(),
            fontSize: fontSize.optional()
        })
        .superRefine((table, ctx) => {
            const check = (rowList: { cells: unknown[] }[], key: string) =>
                rowList.forEach((r, index) => {
                    if (r.cells.length !== table.columns.length) {
                        ctx.addIssue({
                            code: 'custom',
                            path: [key, index, 'cells'],
                            message: `Expected ${table.columns.length} cells, one per column; found ${r.cells.length}.`
                        });
                    }
                });
            check(table.headerRows ?? [], 'headerRows');
            check(table.rows, 'rows');
            if (table.totalsRow) {
                if (table.totalsRow.cells.length !== table.columns.length) {
                    ctx.addIssue({
                        code: 'custom',
                        path: ['totalsRow', 'cells'],
                        message: `Expected ${table.columns.length} cells, one per column; found ${table.totalsRow.cells.length}.`
                    });
                }
            }
        });
}

const imageBlock = z.strictObject({
    type: z.literal('image'),
    format: z.enum(['png', 'jpeg']),
    // Checked as base64 when decoded; a regular expression over megabytes would only cost CPU.
    data: z.string().min(1),
    intrinsicWidth: z.int().min(1).max(100_000),
    intrinsicHeight: z.int().min(1).max(100_000),
    width: z.number().gt(0).max(2000).optional(),
    alt: z.string().max(1000),
    align: align.optional()
});

const spacerBlock = z.strictObject({ type: z.literal('spacer'), height: points(1000) });

const listBlock = z.strictObject({
    type: z.literal('list'),
    style: z.enum(['bulleted', 'numbered']),
    start: z.int().min(0).max(1_000_000).optional(),
    items: z.array(
        z.strictObject({
            runs: z.array(textRun),
            get children() {
                return listBlock.optional();
            }
        })
    ),
    fontSize: fontSize.optional()
});

const block: z.ZodType<Block> = z.discriminatedUnion('type', [
    paragraphSchema(textRun),
    z.strictObject({
        type: z.literal('heading'),
        level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
        runs: z.array(textRun),
        align: align.optional(),
        direction: direction.optional()
    }),
    listBlock,
    tableSchema(textRun),
    imageBlock,
    z.strictObject({ type: z.literal('pageBreak') }),
    spacerBlock
]);

const pageMarginBlock: z.ZodType<PageMarginBlock> = z.discriminatedUnion('type', [
    paragraphSchema(pageMarginRun),
    tableSchema(pageMarginRun),
    imageBlock,
    spacerBlock
]);

const pageMargin = z.strictObject({
    blocks: z.array(pageMarginBlock).max(DOCUMENT_LIMITS.maxHeaderFooterBlocks)
});

export const documentDescriptionSchema: z.ZodType<DocumentDescription> = z
    .strictObject({
        modelVersion: z.literal(DOCUMENT_MODEL_VERSION),
        metadata: z.strictObject({
            title: z.string().trim().min(1).max(300),
            author: z.string().max(300).optional(),
            subject: z.string().max(1000).optional(),
            created: z.iso.datetime({ offset: true }).optional(),
            language: z
                .string()
                .regex(
                    /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/,
                    'Expected a language tag such as en-US.'
                )
                .optional()
        }),
        page: z.strictObject({
            size: z.enum(['A4', 'Letter', 'Legal']),
            orientation: z.enum(['portrait', 'landscape']),
            margins: z.strictObject({
                top: points(500),
                right: points(500),
                bottom: points(500),
                left: points(500)
            })
        }),
        header: pageMargin.optional(),
        footer: pageMargin.optional(),
        baseFontSize: fontSize.optional(),
        body: z.array(block)
    })
    .superRefine((description, ctx) => {
        const visit = (list: ListBlock, depth: number, path: (string | number)[]) => {
            if (depth > DOCUMENT_LIMITS.maxListDepth) {
                ctx.addIssue({
                    code: 'custom',
                    path,
                    message: `Lists may nest at most ${DOCUMENT_LIMITS.maxListDepth} deep.`
                });
                return;
            }
            list.items.forEach((item, i) => {
                if (item.children)
                    visit(item.children, depth + 1, [...path, 'items', i, 'children']);
            });
        };
        description.body.forEach((b, i) => {
            if (b.type === 'list') visit(b, 1, ['body', i]);
        });
    });

/** The first few problems, each with where it is (`body.3.rows.12.cells`), for the error message. */
export function describeValidationError(error: Pick<z.ZodError, 'issues'>, maxIssues = 3): string {
    const issues = error.issues.slice(0, maxIssues).map((issue) => {
        const where = issue.path.length > 0 ? issue.path.join('.') : 'the document';
        return `${where}: ${issue.message}`;
    });
    const more = error.issues.length - issues.length;
    const listed = issues.join('; ');
    const ending = more > 0 ? `; and ${more} more.` : listed.endsWith('.') ? '' : '.';
    return `The document description is not valid. ${listed}${ending}`;
}

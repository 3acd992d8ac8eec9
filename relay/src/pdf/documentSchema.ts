import * as z from 'zod/mini';
import '../validation';
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
 * The document model as a zod schema, typed against the shared TypeScript types (`z.ZodMiniType<...>`)
 * so the two cannot drift apart. Objects are strict: an unknown key is a mistake in the browser's
 * merge (a misspelt `bold`), and saying so beats silently printing something else.
 */

const hexColor = z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/, 'Expected a colour as #RRGGBB.'));
const fontSize = z.number().check(z.minimum(FONT_SIZE_RANGE.min), z.maximum(FONT_SIZE_RANGE.max));
const points = (max: number) => z.number().check(z.minimum(0), z.maximum(max));
const align = z.enum(['left', 'center', 'right']);
const direction = z.enum(['auto', 'ltr', 'rtl']);
const flag = z.optional(z.boolean());

const textRun: z.ZodMiniType<TextRun> = z.strictObject({
    type: z.literal('text'),
    text: z.string(),
    bold: flag,
    italic: flag,
    underline: flag,
    link: z.optional(
        z
            .string()
            .check(
                z.maxLength(2048),
                z.refine(isAllowedLink, 'A link must be an absolute http, https or mailto URL.')
            )
    )
});

const pageMarginRun: z.ZodMiniType<PageMarginRun> = z.union([
    textRun,
    z.strictObject({ type: z.literal('pageNumber'), bold: flag, italic: flag }),
    z.strictObject({ type: z.literal('pageCount'), bold: flag, italic: flag })
]);

function paragraphSchema<Run extends PageMarginRun>(run: z.ZodMiniType<Run>) {
    return z.strictObject({
        type: z.literal('paragraph'),
        runs: z.array(run),
        align: z.optional(align),
        direction: z.optional(direction),
        fontSize: z.optional(fontSize)
    });
}

function tableSchema<Run extends PageMarginRun>(run: z.ZodMiniType<Run>) {
    const cell = z.strictObject({
        runs: z.array(run),
        align: z.optional(align),
        shading: z.optional(hexColor),
        bold: flag
    });
    const row = z.strictObject({ cells: z.array(cell), shading: z.optional(hexColor) });
    return z
        .strictObject({
            type: z.literal('table'),
            columns: z
                .array(
                    z.strictObject({
                        width: z.union([
                            z.strictObject({
                                fraction: z.number().check(z.gt(0), z.maximum(1))
                            }),
                            z.strictObject({
                                points: z.number().check(z.gt(0), z.maximum(2000))
                            })
                        ]),
                        align: z.optional(align)
                    })
                )
                .check(z.minLength(1), z.maxLength(DOCUMENT_LIMITS.maxTableColumns)),
            headerRows: z.optional(z.array(row).check(z.maxLength(10))),
            rows: z.array(row),
            totalsRow: z.optional(row),
            borders: z.optional(z.enum(['all', 'horizontal', 'none'])),
            borderColor: z.optional(hexColor),
            headerShading: z.optional(hexColor),
            fontSize: z.optional(fontSize)
        })
        .check(
            z.superRefine((table, ctx) => {
                const expectCells = (cells: unknown[], path: (string | number)[]) => {
                    if (cells.length !== table.columns.length) {
                        ctx.addIssue({
                            code: 'custom',
                            path,
                            message: `Expected ${table.columns.length} cells, one per column; found ${cells.length}.`
                        });
                    }
                };
                (table.headerRows ?? []).forEach((r, index) =>
                    expectCells(r.cells, ['headerRows', index, 'cells'])
                );
                table.rows.forEach((r, index) => expectCells(r.cells, ['rows', index, 'cells']));
                if (table.totalsRow) expectCells(table.totalsRow.cells, ['totalsRow', 'cells']);
            })
        );
}

const imageBlock = z.strictObject({
    type: z.literal('image'),
    format: z.enum(['png', 'jpeg']),
    // Checked as base64 when decoded; a regular expression over megabytes would only cost CPU.
    data: z.string().check(z.minLength(1)),
    intrinsicWidth: z.int().check(z.minimum(1), z.maximum(100_000)),
    intrinsicHeight: z.int().check(z.minimum(1), z.maximum(100_000)),
    width: z.optional(z.number().check(z.gt(0), z.maximum(2000))),
    alt: z.string().check(z.maxLength(1000)),
    align: z.optional(align)
});

const spacerBlock = z.strictObject({ type: z.literal('spacer'), height: points(1000) });

const listBlock = z.strictObject({
    type: z.literal('list'),
    style: z.enum(['bulleted', 'numbered']),
    start: z.optional(z.int().check(z.minimum(0), z.maximum(1_000_000))),
    items: z.array(
        z.strictObject({
            runs: z.array(textRun),
            get children() {
                return z.optional(listBlock);
            }
        })
    ),
    fontSize: z.optional(fontSize)
});

const block: z.ZodMiniType<Block> = z.discriminatedUnion('type', [
    paragraphSchema(textRun),
    z.strictObject({
        type: z.literal('heading'),
        level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
        runs: z.array(textRun),
        align: z.optional(align),
        direction: z.optional(direction)
    }),
    listBlock,
    tableSchema(textRun),
    imageBlock,
    z.strictObject({ type: z.literal('pageBreak') }),
    spacerBlock
]);

const pageMarginBlock: z.ZodMiniType<PageMarginBlock> = z.discriminatedUnion('type', [
    paragraphSchema(pageMarginRun),
    tableSchema(pageMarginRun),
    imageBlock,
    spacerBlock
]);

const pageMargin = z.strictObject({
    blocks: z.array(pageMarginBlock).check(z.maxLength(DOCUMENT_LIMITS.maxHeaderFooterBlocks))
});

export const documentDescriptionSchema: z.ZodMiniType<DocumentDescription> = z
    .strictObject({
        modelVersion: z.literal(DOCUMENT_MODEL_VERSION),
        metadata: z.strictObject({
            title: z.string().check(z.trim(), z.minLength(1), z.maxLength(300)),
            author: z.optional(z.string().check(z.maxLength(300))),
            subject: z.optional(z.string().check(z.maxLength(1000))),
            created: z.optional(z.iso.datetime({ offset: true })),
            language: z.optional(
                z
                    .string()
                    .check(
                        z.regex(
                            /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/,
                            'Expected a language tag such as en-US.'
                        )
                    )
            )
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
        header: z.optional(pageMargin),
        footer: z.optional(pageMargin),
        baseFontSize: z.optional(fontSize),
        body: z.array(block)
    })
    .check(
        z.superRefine((description, ctx) => {
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
        })
    );

/** The first few problems, each with where it is (`body.3.rows.12.cells`), for the error message. */
export function describeValidationError(
    error: Pick<z.core.$ZodError, 'issues'>,
    maxIssues = 3
): string {
    const issues = error.issues.slice(0, maxIssues).map((issue) => {
        const where = issue.path.length > 0 ? issue.path.join('.') : 'the document';
        return `${where}: ${issue.message}`;
    });
    const more = error.issues.length - issues.length;
    const listed = issues.join('; ');
    const ending = more > 0 ? `; and ${more} more.` : listed.endsWith('.') ? '' : '.';
    return `The document description is not valid. ${listed}${ending}`;
}

/**
 * The PDF renderer: a validated document description in, PDF bytes out. Pure (no I/O, no clock
 * unless none is given), so it runs the same in workerd and in Node. Pages are laid out one at a
 * time and each page's content is compressed as soon as the page is full; headers and footers are
 * drawn last, when the page count ("Page 3 of 7") is known.
 */
import PDFContext from 'pdf-lib/es/core/PDFContext';
import PDFHexString from 'pdf-lib/es/core/objects/PDFHexString';
import PDFString from 'pdf-lib/es/core/objects/PDFString';
import type PDFRef from 'pdf-lib/es/core/objects/PDFRef';
import PDFStreamWriter from 'pdf-lib/es/core/writers/PDFStreamWriter';
import {
    DOCUMENT_LIMITS,
    pageDimensions,
    type Block,
    type DocumentDescription,
    type HeadingBlock,
    type ImageBlock,
    type ListBlock,
    type PageMarginBlock,
    type PageMarginRun,
    type ParagraphBlock,
    type TableBlock,
    type TableRow,
    type TextAlign,
    type TextRun
} from '../../../force-app/main/default/lwc/documentModel/documentModel';
import { DocumentError } from './documentError';
import { loadFontFaces } from './fontLibrary';
import { embedImage, ImageError, readImageInfo, type EmbeddedImage } from './images';
import { utf16Hex } from './numbers';
import { PageCanvas, rgbOperands, type LinkArea } from './pageCanvas';
import {
    drawText,
    layoutText,
    lineOffset,
    normalizeText,
    type StyledText,
    type TextLayout,
    type TextLine
} from './textLayout';
import { Typesetter } from './typesetter';

export interface RenderOptions {
    /** The creation date when the description gives none (the caller's clock). */
    now?: Date;
    /** Told where each body line, table row and image went: how tests see the layout. */
    observe?: (placed: PlacedItem) => void;
}

/** Something laid out in the body, in points, `top` and `bottom` in PDF coordinates. */
export interface PlacedItem {
    kind: 'line' | 'tableRow' | 'image';
    /** 1-based page number. */
    page: number;
    /** A line's text in display order; a row's cell texts joined by ` | `; an image's alt text. */
    text: string;
    /** For rows: header, body or totals. */
    rowKind?: 'header' | 'body' | 'totals';
    /** Where on the page: the body, or the header or footer drawn on every page. */
    area: 'body' | 'header' | 'footer';
    left: number;
    top: number;
    width: number;
    bottom: number;
}

export interface RenderedPdf {
    bytes: Uint8Array<ArrayBuffer>;
    pageCount: number;
    /** Characters no embedded font has; each was drawn as a visible replacement mark (�). */
    missingCharacters: number[];
}

const DEFAULT_FONT_SIZE = 10;
const HEADING_SCALE: Record<HeadingBlock['level'], number> = { 1: 1.8, 2: 1.4, 3: 1.2 };
/** Space between the header and the body, and between the body and the footer. */
const MARGIN_GAP = 12;
const LIST_INDENT = 18;
const LIST_MARKERS = ['•', '–', '•', '–', '•'];
const CELL_PADDING_X = 4;
const CELL_PADDING_Y = 3;
const DEFAULT_BORDER_COLOR = '#9aa0a6';
const DEFAULT_HEADER_SHADING = '#e8eaed';
/** Pixels to points at the web's 96 dpi. */
const POINTS_PER_PIXEL = 0.75;
/** The smallest body a page may keep once margins, header and footer are taken. */
const MIN_BODY_SIZE = 72;
/** Sample page numbers for measuring a header or footer before the page count is known. */
const WIDEST_PAGE_NUMBER = '8888';

/** Where the next block goes, and whether it may start a new page to get room. */
interface Flow {
    canvas: PageCanvas;
    /** Top of the free space, in PDF coordinates. */
    y: number;
    readonly bottom: number;
    readonly paginated: boolean;
    /** Which part of the page it fills; only the body is observed while measuring margins. */
    readonly area: 'body' | 'header' | 'footer';
    /** The page being drawn (1-based). */
    page: number;
    /** Whether to tell the observer what is placed (not while a margin is only measured). */
    readonly observed: boolean;
    /** True when nothing has been drawn on this page's body yet. */
    atPageTop: boolean;
    /** A page break waits for the next block, so a break at the very end adds no blank page. */
    breakPending: boolean;
    newPage(): void;
}

/** Values the page-number runs take while a header or footer is drawn. */
interface PageNumbers {
    page: string;
    count: string;
}

export async function renderPdf(
    description: DocumentDescription,
    options: RenderOptions = {}
): Promise<RenderedPdf> {
    const faces = await loadFontFaces();
    const renderer = new DocumentRenderer(
        description,
        new Typesetter(PDFContext.create(), faces),
        options.observe
    );
    await renderer.embedImages();
    renderer.measureMargins();
    renderer.layoutBody();
    return renderer.finish(options.now ?? new Date());
}

class DocumentRenderer {
    private readonly context: PDFContext;
    private readonly typesetter: Typesetter;
    private readonly description: DocumentDescription;
    private readonly baseFontSize: number;
    private readonly pageWidth: number;
    private readonly pageHeight: number;
    private readonly left: number;
    private readonly width: number;
    private readonly contentTop: number;
    private readonly contentBottom: number;
    private headerHeight = 0;
    private footerHeight = 0;
    private bodyTop = 0;
    private bodyBottom = 0;
    private readonly images = new Map<ImageBlock, EmbeddedImage & { name: string }>();
    private readonly pages: { content: PDFRef; links: PDFRef[] }[] = [];
    private body!: Flow;
    private readonly observe: (placed: PlacedItem) => void;

    constructor(
        description: DocumentDescription,
        typesetter: Typesetter,
        observe?: (placed: PlacedItem) => void
    ) {
        this.description = description;
        this.observe = observe ?? (() => undefined);
        this.typesetter = typesetter;
        this.context = typesetter.context;
        this.baseFontSize = description.baseFontSize ?? DEFAULT_FONT_SIZE;
        const { width, height } = pageDimensions(description.page);
        const { margins } = description.page;
        this.pageWidth = width;
        this.pageHeight = height;
        this.left = margins.left;
        this.width = width - margins.left - margins.right;
        this.contentTop = height - margins.top;
        this.contentBottom = margins.bottom;
        if (this.width < MIN_BODY_SIZE || this.contentTop - this.contentBottom < MIN_BODY_SIZE) {
            throw new DocumentError('The page margins leave no room for text; make them smaller.');
        }
    }

    /** Embeds every image once (a header logo is shared by all pages), checking each first. */
    async embedImages(): Promise<void> {
        const blocks = [
            ...(this.description.header?.blocks ?? []),
            ...(this.description.footer?.blocks ?? []),
            ...this.description.body
        ].filter((b): b is ImageBlock => b.type === 'image');
        if (blocks.length > DOCUMENT_LIMITS.maxImages) {
            throw new DocumentError(
                `The document has ${blocks.length} images; at most ${DOCUMENT_LIMITS.maxImages} are allowed.`,
                413
            );
        }
        for (const [index, block] of blocks.entries()) {
            const label = `Image ${index + 1}${block.alt ? ` ("${block.alt.slice(0, 40)}")` : ''}`;
            const bytes = decodeBase64(block.data, label);
            if (bytes.length > DOCUMENT_LIMITS.maxImageBytes) {
                throw new DocumentError(
                    `${label} is ${formatMegabytes(bytes.length)}; at most ${formatMegabytes(DOCUMENT_LIMITS.maxImageBytes)} per image.`,
                    413
                );
            }
            try {
                const info = readImageInfo(bytes);
                if (info.format !== block.format) {
                    throw new ImageError(
                        `is a ${info.format.toUpperCase()} file, not ${block.format.toUpperCase()} as described`
                    );
                }
                if (info.width !== block.intrinsicWidth || info.height !== block.intrinsicHeight) {
                    throw new ImageError(
                        `is ${info.width}×${info.height} pixels, not ${block.intrinsicWidth}×${block.intrinsicHeight} as described`
                    );
                }
                if (info.width * info.height > DOCUMENT_LIMITS.maxImagePixels) {
                    throw new ImageError(
                        `has ${info.width}×${info.height} pixels; at most ${DOCUMENT_LIMITS.maxImagePixels.toLocaleString('en-US')} pixels per image`
                    );
                }
                const embedded = await embedImage(this.context, bytes);
                this.images.set(block, { ...embedded, name: `Im${index + 1}` });
            } catch (error) {
                if (error instanceof ImageError) {
                    throw new DocumentError(`${label} ${error.message}.`);
                }
                throw error;
            }
        }
    }

    /** Reserves room for the header and footer (measured with wide page numbers), then the body. */
    measureMargins(): void {
        const widest = { page: WIDEST_PAGE_NUMBER, count: WIDEST_PAGE_NUMBER };
        this.headerHeight = this.measureMargin('header', this.description.header?.blocks, widest);
        this.footerHeight = this.measureMargin('footer', this.description.footer?.blocks, widest);
        this.bodyTop =
            this.contentTop - (this.headerHeight > 0 ? this.headerHeight + MARGIN_GAP : 0);
        this.bodyBottom =
            this.contentBottom + (this.footerHeight > 0 ? this.footerHeight + MARGIN_GAP : 0);
        if (this.bodyTop - this.bodyBottom < MIN_BODY_SIZE) {
            throw new DocumentError(
                'The header and footer leave no room for the body; shorten them or the margins.'
            );
        }
        this.body = this.createBodyFlow();
    }

    layoutBody(): void {
        for (const block of this.description.body) {
            this.renderBlock(this.body, block);
        }
    }

    async finish(now: Date): Promise<RenderedPdf> {
        this.finishBodyPage();
        const pageCount = this.pages.length;
        const context = this.context;
        const resources = context.nextRef();
        const pageTree = context.nextRef();
        const pageRefs = this.pages.map((page, index) => {
            const contents = [page.content];
            const margins = this.drawMargins(index + 1, pageCount);
            if (margins) contents.push(margins);
            return context.register(
                context.obj({
                    Type: 'Page',
                    Parent: pageTree,
                    MediaBox: [0, 0, this.pageWidth, this.pageHeight],
                    Resources: resources,
                    Contents: contents,
                    ...(page.links.length > 0 ? { Annots: page.links } : {})
                })
            );
        });
        const fonts: Record<string, PDFRef> = {};
        for (const subset of this.typesetter.usedSubsets()) {
            subset.embed(context);
            fonts[subset.resourceName] = subset.ref;
        }
        const xObjects: Record<string, PDFRef> = {};
        for (const image of this.images.values()) xObjects[image.name] = image.ref;
        context.assign(resources, context.obj({ Font: fonts, XObject: xObjects }));
        context.assign(pageTree, context.obj({ Type: 'Pages', Kids: pageRefs, Count: pageCount }));

        const { metadata } = this.description;
        const catalog = context.register(
            context.obj({
                Type: 'Catalog',
                Pages: pageTree,
                // Viewers show the title, not the file name, in their title bar.
                ViewerPreferences: { DisplayDocTitle: true },
                ...(metadata.language ? { Lang: PDFString.of(metadata.language) } : {})
            })
        );
        const created = metadata.created ? new Date(metadata.created) : now;
        const info = context.register(
            context.obj({
                Title: PDFHexString.fromText(metadata.title),
                ...(metadata.author ? { Author: PDFHexString.fromText(metadata.author) } : {}),
                ...(metadata.subject ? { Subject: PDFHexString.fromText(metadata.subject) } : {}),
                Creator: PDFHexString.fromText('Resident document generator'),
                Producer: PDFHexString.fromText('Resident'),
                CreationDate: PDFString.fromDate(created),
                ModDate: PDFString.fromDate(created)
            })
        );
        context.trailerInfo.Root = catalog;
        context.trailerInfo.Info = info;
        const id = PDFHexString.of(documentId(metadata.title, created, pageCount));
        context.trailerInfo.ID = context.obj([id, id]);
        // The writer fills one new Uint8Array of the exact size; its buffer is a plain ArrayBuffer.
        const writer = PDFStreamWriter.forContext(context, Infinity, true, 50);
        const bytes = (await writer.serializeToBuffer()) as Uint8Array<ArrayBuffer>;
        return {
            bytes,
            pageCount,
            missingCharacters: [...this.typesetter.missing].sort((a, b) => a - b)
        };
    }

    // ───────────────────────────── Pages ─────────────────────────────

    private createBodyFlow(): Flow {
        const flow: Flow = {
            canvas: new PageCanvas(),
            y: this.bodyTop,
            bottom: this.bodyBottom,
            paginated: true,
            area: 'body',
            page: 1,
            observed: true,
            atPageTop: true,
            breakPending: false,
            newPage: () => {
                this.finishBodyPage();
                if (this.pages.length >= DOCUMENT_LIMITS.maxPages) {
                    throw new DocumentError(
                        `The document would have more than ${DOCUMENT_LIMITS.maxPages} pages; split it or filter its rows.`
                    );
                }
                flow.canvas = new PageCanvas();
                flow.page = this.pages.length + 1;
                flow.y = this.bodyTop;
                flow.atPageTop = true;
                flow.breakPending = false;
            }
        };
        return flow;
    }

    /** Compresses the page's content now, so only compressed pages stay in memory. */
    private finishBodyPage(): void {
        const canvas = this.body.canvas;
        const content = this.context.register(this.context.flateStream(canvas.toContentStream()));
        const links = canvas.links.map((link) => this.linkAnnotation(link));
        this.pages.push({ content, links });
        canvas.ops.length = 0;
    }

    private linkAnnotation(link: LinkArea): PDFRef {
        // new URL() percent-encodes anything outside ASCII, as a PDF URI must be.
        const uri = new URL(link.uri).href;
        let hex = '';
        for (let i = 0; i < uri.length; i++) hex += uri.charCodeAt(i).toString(16).padStart(2, '0');
        return this.context.register(
            this.context.obj({
                Type: 'Annot',
                Subtype: 'Link',
                Rect: link.rect.map((v) => Math.round(v * 100) / 100),
                Border: [0, 0, 0],
                A: { Type: 'Action', S: 'URI', URI: PDFHexString.of(hex) }
            })
        );
    }

    private measureMargin(
        area: 'header' | 'footer',
        blocks: readonly PageMarginBlock[] | undefined,
        numbers: PageNumbers
    ): number {
        if (!blocks || blocks.length === 0) return 0;
        const flow = this.marginFlow(area, this.contentTop, 0);
        for (const block of blocks) this.renderBlock(flow, block, numbers);
        return this.contentTop - flow.y;
    }

    private drawMargins(page: number, pageCount: number): PDFRef | undefined {
        const { header, footer } = this.description;
        const numbers = { page: String(page), count: String(pageCount) };
        const canvas = new PageCanvas();
        if (header && header.blocks.length > 0) {
            const flow = this.marginFlow('header', this.contentTop, page, canvas);
            for (const block of header.blocks) this.renderBlock(flow, block, numbers);
        }
        if (footer && footer.blocks.length > 0) {
            const flow = this.marginFlow(
                'footer',
                this.contentBottom + this.footerHeight,
                page,
                canvas
            );
            for (const block of footer.blocks) this.renderBlock(flow, block, numbers);
        }
        if (canvas.isEmpty) return undefined;
        return this.context.register(this.context.flateStream(canvas.toContentStream()));
    }

    private marginFlow(
        area: 'header' | 'footer',
        top: number,
        page: number,
        canvas?: PageCanvas
    ): Flow {
        return {
            canvas: canvas ?? new PageCanvas(),
            y: top,
            bottom: -Infinity,
            paginated: false,
            area,
            page,
            observed: canvas !== undefined,
            breakPending: false,
            atPageTop: true,
            newPage: () => undefined
        };
    }

    // ───────────────────────────── Blocks ─────────────────────────────

    private renderBlock(flow: Flow, block: Block | PageMarginBlock, numbers?: PageNumbers): void {
        if (flow.breakPending && block.type !== 'pageBreak') flow.newPage();
        switch (block.type) {
            case 'paragraph':
                this.renderParagraph(flow, block, numbers);
                break;
            case 'heading':
                this.renderHeading(flow, block);
                break;
            case 'list':
                this.renderList(flow, block, this.left, this.width, 1);
                flow.y -= (block.fontSize ?? this.baseFontSize) * 0.5;
                break;
            case 'table':
                this.renderTable(flow, block, numbers);
                break;
            case 'image':
                this.renderImage(flow, block);
                break;
            case 'pageBreak':
                flow.breakPending = !flow.atPageTop;
                break;
            case 'spacer':
                if (flow.atPageTop && flow.paginated) break;
                if (flow.y - block.height < flow.bottom) flow.newPage();
                else flow.y -= block.height;
                break;
        }
    }

    private renderParagraph(
        flow: Flow,
        block: ParagraphBlock<PageMarginRun>,
        numbers?: PageNumbers
    ): void {
        const size = block.fontSize ?? this.baseFontSize;
        const layout = layoutText(
            this.typesetter,
            block.runs.map((run) => styled(run, false, numbers)),
            size,
            this.width,
            block.direction
        );
        this.placeLines(flow, layout, this.left, this.width, block.align);
        flow.y -= size * 0.5;
    }

    private renderHeading(flow: Flow, block: HeadingBlock): void {
        const size = this.baseFontSize * HEADING_SCALE[block.level];
        const layout = layoutText(
            this.typesetter,
            block.runs.map((run) => styled(run, true)),
            size,
            this.width,
            block.direction
        );
        if (!flow.atPageTop) flow.y -= size * 0.6;
        // Keep a heading with the first lines of what follows it.
        const keepWith = layout.height + this.baseFontSize * 1.35 * 2;
        if (flow.paginated && !flow.atPageTop && flow.y - keepWith < flow.bottom) flow.newPage();
        this.placeLines(flow, layout, this.left, this.width, block.align);
        flow.y -= size * 0.35;
    }

    /** Draws a laid-out text line by line, moving to a new page where the page is full. */
    private placeLines(
        flow: Flow,
        layout: TextLayout,
        x: number,
        width: number,
        align?: TextAlign,
        onFirstLine?: (baselineTop: number) => void
    ): void {
        let from = 0;
        while (from < layout.lines.length) {
            let fit = Math.floor((flow.y - flow.bottom + 0.001) / layout.lineHeight);
            if (fit <= 0) {
                if (flow.atPageTop) {
                    fit = 1;
                } else {
                    flow.newPage();
                    continue;
                }
            }
            const to = Math.min(layout.lines.length, from + fit);
            if (from === 0) onFirstLine?.(flow.y);
            drawText(flow.canvas, this.typesetter, layout, x, flow.y, width, align, from, to);
            if (flow.observed) {
                for (let l = from; l < to; l++) {
                    const top = flow.y - (l - from) * layout.lineHeight;
                    const line = layout.lines[l]!;
                    this.observe({
                        kind: 'line',
                        area: flow.area,
                        page: flow.page,
                        text: lineText(line),
                        left: x + lineOffset(layout, line, width, align),
                        top,
                        width: line.width,
                        bottom: top - layout.lineHeight
                    });
                }
            }
            flow.y -= (to - from) * layout.lineHeight;
            flow.atPageTop = false;
            from = to;
        }
    }

    private renderList(flow: Flow, list: ListBlock, x: number, width: number, depth: number): void {
        const size = list.fontSize ?? this.baseFontSize;
        const textWidth = width - LIST_INDENT;
        list.items.forEach((item, index) => {
            const layout = layoutText(
                this.typesetter,
                item.runs.map((run) => styled(run, false)),
                size,
                textWidth
            );
            const rtl = layout.direction === 'rtl';
            const marker =
                list.style === 'numbered'
                    ? `${(list.start ?? 1) + index}.`
                    : LIST_MARKERS[(depth - 1) % LIST_MARKERS.length]!;
            const markerLayout = layoutText(
                this.typesetter,
                [{ text: marker, style: PLAIN }],
                size,
                LIST_INDENT
            );
            const textX = rtl ? x : x + LIST_INDENT;
            this.placeLines(flow, layout, textX, textWidth, undefined, (top) => {
                // The marker sits in the indent, next to the item's first line.
                const markerX = rtl ? x + textWidth + 4 : x;
                drawText(
                    flow.canvas,
                    this.typesetter,
                    markerLayout,
                    markerX,
                    top,
                    LIST_INDENT - 4,
                    rtl ? 'left' : 'right'
                );
            });
            flow.y -= 2;
            if (item.children) {
                this.renderList(
                    flow,
                    item.children,
                    rtl ? x : x + LIST_INDENT,
                    width - LIST_INDENT,
                    depth + 1
                );
            }
        });
    }

    private renderImage(flow: Flow, block: ImageBlock): void {
        const image = this.images.get(block)!;
        const wanted = block.width ?? image.width * POINTS_PER_PIXEL;
        const maxHeight = flow.paginated ? this.bodyTop - this.bodyBottom : Infinity;
        const scale = Math.min(
            wanted / image.width,
            this.width / image.width,
            maxHeight / image.height
        );
        const width = image.width * scale;
        const height = image.height * scale;
        if (flow.y - height < flow.bottom && !flow.atPageTop) flow.newPage();
        const offset =
            block.align === 'center'
                ? (this.width - width) / 2
                : block.align === 'right'
                  ? this.width - width
                  : 0;
        flow.canvas.image(
            image.name,
            this.left + offset,
            flow.y - height,
            width,
            height,
            `feff${utf16Hex(block.alt)}`
        );
        if (flow.observed) {
            this.observe({
                kind: 'image',
                area: flow.area,
                page: flow.page,
                text: block.alt,
                left: this.left + offset,
                top: flow.y,
                width,
                bottom: flow.y - height
            });
        }
        flow.y -= height + this.baseFontSize * 0.5;
        flow.atPageTop = false;
    }

    // ───────────────────────────── Tables ─────────────────────────────

    private renderTable(flow: Flow, table: TableBlock<PageMarginRun>, numbers?: PageNumbers): void {
        const size = table.fontSize ?? this.baseFontSize;
        const widths = columnWidths(table, this.width);
        const tableWidth = widths.reduce((a, b) => a + b, 0);
        const borderColor = rgbOperands(table.borderColor ?? DEFAULT_BORDER_COLOR);
        const borders = table.borders ?? 'all';
        const headerShading = table.headerShading ?? DEFAULT_HEADER_SHADING;
        const layoutRow = (row: TableRow<PageMarginRun>, kind: 'header' | 'body' | 'totals') => {
            const cells = row.cells.map((cell, c) => {
                const bold = cell.bold ?? kind !== 'body';
                return layoutText(
                    this.typesetter,
                    cell.runs.map((run) => styled(run, bold, numbers)),
                    size,
                    Math.max(1, widths[c]! - 2 * CELL_PADDING_X)
                );
            });
            const textHeight = Math.max(size * 1.35, ...cells.map((cell) => cell.height));
            return { row, kind, cells, height: textHeight + 2 * CELL_PADDING_Y };
        };
        type RowLayout = ReturnType<typeof layoutRow>;
        const drawRow = (laid: RowLayout) => {
            const top = flow.y;
            const bottom = top - laid.height;
            const canvas = flow.canvas;
            let x = this.left;
            laid.row.cells.forEach((cell, c) => {
                const shading =
                    cell.shading ??
                    laid.row.shading ??
                    (laid.kind === 'header' ? headerShading : undefined);
                if (shading)
                    canvas.fillRect(x, bottom, widths[c]!, laid.height, rgbOperands(shading));
                x += widths[c]!;
            });
            x = this.left;
            laid.row.cells.forEach((cell, c) => {
                const align = cell.align ?? table.columns[c]!.align;
                drawText(
                    canvas,
                    this.typesetter,
                    laid.cells[c]!,
                    x + CELL_PADDING_X,
                    top - CELL_PADDING_Y,
                    widths[c]! - 2 * CELL_PADDING_X,
                    align
                );
                x += widths[c]!;
            });
            if (borders !== 'none') {
                const right = this.left + tableWidth;
                canvas.line(
                    this.left,
                    top,
                    right,
                    top,
                    laid.kind === 'totals' ? 1 : 0.5,
                    borderColor
                );
                canvas.line(this.left, bottom, right, bottom, 0.5, borderColor);
                if (borders === 'all') {
                    let edge = this.left;
                    for (let c = 0; c <= widths.length; c++) {
                        canvas.line(edge, top, edge, bottom, 0.5, borderColor);
                        edge += widths[c] ?? 0;
                    }
                }
            }
            if (flow.observed) {
                this.observe({
                    kind: 'tableRow',
                    area: flow.area,
                    page: flow.page,
                    text: laid.cells.map((cell) => cell.lines.map(lineText).join('\n')).join(' | '),
                    rowKind: laid.kind,
                    left: this.left,
                    top,
                    width: tableWidth,
                    bottom
                });
            }
            flow.y = bottom;
            flow.atPageTop = false;
        };

        const headers = (table.headerRows ?? []).map((row) => layoutRow(row, 'header'));
        const headersHeight = headers.reduce((sum, h) => sum + h.height, 0);
        const pageRoom = this.bodyTop - this.bodyBottom - headersHeight;
        const rows: [TableRow<PageMarginRun>, 'body' | 'totals'][] = table.rows.map((row) => [
            row,
            'body'
        ]);
        if (table.totalsRow) rows.push([table.totalsRow, 'totals']);

        let headersDrawnOnThisPage = false;
        const drawHeaders = () => {
            for (const header of headers) drawRow(header);
            headersDrawnOnThisPage = true;
        };
        if (rows.length === 0) {
            if (flow.paginated && flow.y - headersHeight < flow.bottom && !flow.atPageTop)
                flow.newPage();
            drawHeaders();
        }
        rows.forEach(([row, kind], index) => {
            // One row at a time: a 10,000-row table never holds more than one row's layout.
            const laid = layoutRow(row, kind);
            if (flow.paginated && laid.height > pageRoom) {
                throw new DocumentError(
                    `Row ${index + 1} of a table is taller than a whole page; shorten its text or split it.`
                );
            }
            const needed = laid.height + (headersDrawnOnThisPage ? 0 : headersHeight);
            if (flow.paginated && flow.y - needed < flow.bottom - 0.001) {
                if (!flow.atPageTop) flow.newPage();
                headersDrawnOnThisPage = false;
            }
            if (!headersDrawnOnThisPage) drawHeaders();
            drawRow(laid);
        });
        flow.y -= size;
    }
}

/** A run as the layout sees it; page-number runs become their numbers. */
function styled(
    run: TextRun | PageMarginRun,
    forceBold: boolean,
    numbers?: PageNumbers
): StyledText {
    const style = {
        bold: forceBold || run.bold === true,
        italic: run.italic === true,
        underline: run.type === 'text' && run.underline === true,
        link: run.type === 'text' ? run.link : undefined
    };
    if (run.type === 'pageNumber') return { text: numbers?.page ?? '', style };
    if (run.type === 'pageCount') return { text: numbers?.count ?? '', style };
    return { text: run.text, style };
}

const PLAIN = { bold: false, italic: false, underline: false };

function lineText(line: TextLine): string {
    return line.fragments.map((f) => String.fromCodePoint(...f.codePoints)).join('');
}

/**
 * Column widths in points: fixed columns as given, fractions as shares of the page's text width;
 * when they add up to more than that width, every column shrinks in proportion.
 */
export function columnWidths(table: Pick<TableBlock, 'columns'>, available: number): number[] {
    const raw = table.columns.map((column) =>
        'points' in column.width ? column.width.points : column.width.fraction * available
    );
    const total = raw.reduce((a, b) => a + b, 0);
    return total > available ? raw.map((w) => (w * available) / total) : raw;
}

function decodeBase64(data: string, label: string): Uint8Array {
    try {
        const binary = atob(data);
        const bytes = new Uint8Array(binary.length);
        for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
        return bytes;
    } catch {
        throw new DocumentError(`${label} is not valid base64.`);
    }
}

function formatMegabytes(bytes: number): string {
    return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A stable file identifier (the trailer's /ID), from what identifies this document. */
function documentId(title: string, created: Date, pages: number): string {
    let a = 0x811c9dc5;
    let b = 0x01000193;
    const text = `${normalizeText(title)}|${created.toISOString()}|${pages}`;
    for (let i = 0; i < text.length; i++) {
        a = Math.imul(a ^ text.charCodeAt(i), 16777619) >>> 0;
        b = Math.imul(b ^ text.charCodeAt(i), 2246822519) >>> 0;
    }
    return [a, b, (a ^ b) >>> 0, Math.imul(a, b) >>> 0]
        .map((v) => v.toString(16).padStart(8, '0'))
        .join('');
}

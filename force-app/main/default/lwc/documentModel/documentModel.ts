/**
 * The document model, written once and imported by both sides: the browser merges a template with
 * the record into a `DocumentDescription` (as the service component `c/documentModel`), and the
 * relay validates it and renders it to PDF (by relative path). A description is a layout tree of
 * plain text: no string in it is ever read as markup, so a record field containing `<b>` or `{{`
 * prints as typed. It must stay free of DOM, Node and Workers APIs so it runs in all three places.
 */

/** Bumped when a description written for an older relay would render differently or be refused. */
export const DOCUMENT_MODEL_VERSION = 1;

/**
 * What the relay accepts, so the browser can refuse (or trim) before sending. The relay enforces
 * every one of them again and answers with a clear error naming the limit.
 */
export const DOCUMENT_LIMITS = Object.freeze({
    /** The whole JSON description as UTF-8 bytes, base64 images included (6 MiB). */
    maxDescriptionBytes: 6 * 1024 * 1024,
    /** Pages in one rendered document. */
    maxPages: 1000,
    /** One image file, decoded from base64 (2 MiB). */
    maxImageBytes: 2 * 1024 * 1024,
    /** Image blocks in one document, header and footer included (each is embedded once per use). */
    maxImages: 20,
    /** Width × height of one image; bounds the memory a transparent PNG needs while embedding. */
    maxImagePixels: 4_000_000,
    /** Columns of one table. */
    maxTableColumns: 24,
    /** Lists inside lists, counting the outermost as 1. */
    maxListDepth: 5,
    /** Blocks in the header or in the footer. */
    maxHeaderFooterBlocks: 10
});

export type DocumentLimits = typeof DOCUMENT_LIMITS;

/** Font sizes in points a description may ask for. */
export const FONT_SIZE_RANGE = Object.freeze({ min: 6, max: 72 });

/** Paper sizes, portrait, in PDF points (1/72 inch). */
export const PAGE_SIZES = Object.freeze({
    A4: Object.freeze({ width: 595.28, height: 841.89 }),
    Letter: Object.freeze({ width: 612, height: 792 }),
    Legal: Object.freeze({ width: 612, height: 1008 })
});

export type PageSizeName = keyof typeof PAGE_SIZES;

/** URL schemes a link may use; anything else (javascript:, data:, file:) is refused. */
export const LINK_SCHEMES = Object.freeze(['http:', 'https:', 'mailto:'] as const);

/**
 * Response header listing what the relay could not render exactly (e.g. characters no embedded
 * font has, drawn as a visible replacement glyph). Absent when the document rendered as described.
 */
export const PDF_WARNINGS_HEADER = 'x-resident-pdf-warnings';

// ───────────────────────────── Document ─────────────────────────────

export interface DocumentDescription {
    /** The model version the browser wrote this for (`DOCUMENT_MODEL_VERSION`). */
    modelVersion: 1;
    metadata: DocumentMetadata;
    page: PageSettings;
    /** Drawn at the top of the page area of every page, above the body. */
    header?: PageMargin;
    /** Drawn at the bottom of the page area of every page, below the body. */
    footer?: PageMargin;
    /** Body text size in points when a block does not say (default 10). */
    baseFontSize?: number;
    body: Block[];
}

export interface DocumentMetadata {
    /** Shown in the viewer's title bar; also names the downloaded file. */
    title: string;
    author?: string;
    subject?: string;
    /** ISO 8601 date-time the document was generated (the relay's clock when absent). */
    created?: string;
    /** BCP 47 language tag of the text, e.g. `en-US`, `he`; read aloud by screen readers. */
    language?: string;
}

export interface PageSettings {
    size: PageSizeName;
    orientation: 'portrait' | 'landscape';
    /** Distance from each paper edge to the header, body and footer, in points. */
    margins: PageMargins;
}

export interface PageMargins {
    top: number;
    right: number;
    bottom: number;
    left: number;
}

/** A header or footer: a few blocks, laid out again on every page with its page number. */
export interface PageMargin {
    blocks: PageMarginBlock[];
}

// ───────────────────────────── Inline text ─────────────────────────────

/** A run of text sharing one style. Newlines in `text` start a new line. */
export interface TextRun {
    type: 'text';
    text: string;
    bold?: boolean;
    italic?: boolean;
    underline?: boolean;
    /** Makes the run a link: an absolute `http:`, `https:` or `mailto:` URL. */
    link?: string;
}

/** The current page's number; only in headers and footers. */
export interface PageNumberRun {
    type: 'pageNumber';
    bold?: boolean;
    italic?: boolean;
}

/** How many pages the document has; only in headers and footers ("Page 3 of 7"). */
export interface PageCountRun {
    type: 'pageCount';
    bold?: boolean;
    italic?: boolean;
}

/** What a header or footer line may hold. The words around the numbers come from labels. */
export type PageMarginRun = TextRun | PageNumberRun | PageCountRun;

export type TextAlign = 'left' | 'center' | 'right';

/**
 * Reading direction of a paragraph. `auto` takes it from the first letter with a direction
 * (Hebrew → right to left), as browsers do for `dir="auto"`.
 */
export type TextDirection = 'auto' | 'ltr' | 'rtl';

// ───────────────────────────── Blocks ─────────────────────────────

export interface ParagraphBlock<Run = TextRun> {
    type: 'paragraph';
    runs: Run[];
    /** Default: left for left-to-right text, right for right-to-left text. */
    align?: TextAlign;
    direction?: TextDirection;
    fontSize?: number;
}

export interface HeadingBlock {
    type: 'heading';
    level: 1 | 2 | 3;
    runs: TextRun[];
    align?: TextAlign;
    direction?: TextDirection;
}

export interface ListBlock {
    type: 'list';
    style: 'bulleted' | 'numbered';
    /** First number of a numbered list (default 1). */
    start?: number;
    items: ListItem[];
    fontSize?: number;
}

export interface ListItem {
    runs: TextRun[];
    /** A list nested under this item. */
    children?: ListBlock;
}

/** A column's width: a share of the width left after fixed columns, or fixed points. */
export type ColumnWidth = { fraction: number } | { points: number };

export interface TableColumn {
    width: ColumnWidth;
    /** Default alignment of the column's cells (numbers usually `right`). */
    align?: TextAlign;
}

export interface TableCell<Run = TextRun> {
    runs: Run[];
    align?: TextAlign;
    /** Background colour, `#RRGGBB`. */
    shading?: string;
    bold?: boolean;
}

export interface TableRow<Run = TextRun> {
    /** Exactly one cell per column. */
    cells: TableCell<Run>[];
    /** Background colour of the whole row, `#RRGGBB`; a cell's own shading wins. */
    shading?: string;
}

/**
 * A table. Header rows repeat at the top of every page the table spans; a row is never split
 * across pages (a row taller than a whole page is refused with a clear error).
 */
export interface TableBlock<Run = TextRun> {
    type: 'table';
    columns: TableColumn[];
    headerRows?: TableRow<Run>[];
    rows: TableRow<Run>[];
    /** Drawn after the last row, bold, with a heavier rule above it. */
    totalsRow?: TableRow<Run>;
    /** `all`: every cell boxed; `horizontal`: rules between rows only; `none`. Default `all`. */
    borders?: 'all' | 'horizontal' | 'none';
    /** `#RRGGBB`; default a mid grey. */
    borderColor?: string;
    /** Background of the header rows, `#RRGGBB`; default a light grey. */
    headerShading?: string;
    fontSize?: number;
}

/** A PNG or JPEG image, scaled down (never up) to fit the column and the page. */
export interface ImageBlock {
    type: 'image';
    format: 'png' | 'jpeg';
    /** The file, base64 (no `data:` prefix). */
    data: string;
    /** The file's own size in pixels, as the browser measured it; the relay checks it. */
    intrinsicWidth: number;
    intrinsicHeight: number;
    /** Wanted width in points (default: the pixel width at 96 dpi), reduced to fit. */
    width?: number;
    /** What the image shows, for screen readers and text extraction. */
    alt: string;
    align?: TextAlign;
}

export interface PageBreakBlock {
    type: 'pageBreak';
}

/** Vertical space in points; swallowed at the top of a page. */
export interface SpacerBlock {
    type: 'spacer';
    height: number;
}

export type Block =
    | ParagraphBlock
    | HeadingBlock
    | ListBlock
    | TableBlock
    | ImageBlock
    | PageBreakBlock
    | SpacerBlock;

/** What a header or footer may hold: the page-number runs are allowed in its text. */
export type PageMarginBlock =
    | ParagraphBlock<PageMarginRun>
    | TableBlock<PageMarginRun>
    | ImageBlock
    | SpacerBlock;

// ───────────────────────────── Helpers both sides use ─────────────────────────────

export interface DocumentModelInfo {
    version: number;
    limits: DocumentLimits;
    pageSizes: PageSizeName[];
    imageFormats: ImageBlock['format'][];
    linkSchemes: readonly string[];
}

/** What this build of the model understands, e.g. to show in a template editor or compare. */
export function describeDocumentModel(): DocumentModelInfo {
    return {
        version: DOCUMENT_MODEL_VERSION,
        limits: DOCUMENT_LIMITS,
        pageSizes: Object.keys(PAGE_SIZES) as PageSizeName[],
        imageFormats: ['png', 'jpeg'],
        linkSchemes: LINK_SCHEMES
    };
}

/** The paper's width and height in points, turned for landscape. */
export function pageDimensions(page: Pick<PageSettings, 'size' | 'orientation'>): {
    width: number;
    height: number;
} {
    const { width, height } = PAGE_SIZES[page.size];
    return page.orientation === 'landscape' ? { width: height, height: width } : { width, height };
}

/** What the relay could not render exactly; sent in `PDF_WARNINGS_HEADER`. */
export interface PdfRenderWarnings {
    /** Characters no embedded font has (drawn as a visible �), as code points, at most 50. */
    missingCharacters: number[];
}

const MAX_LISTED_CHARACTERS = 50;

/** The header value, e.g. `missing-characters=U+4E2D,U+6587`; undefined when all is well. */
export function formatPdfWarnings(warnings: PdfRenderWarnings): string | undefined {
    if (warnings.missingCharacters.length === 0) {
        return undefined;
    }
    const listed = warnings.missingCharacters
        .slice(0, MAX_LISTED_CHARACTERS)
        .map((cp) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`);
    return `missing-characters=${listed.join(',')}`;
}

/** Reads the header back (browser side); an absent or unknown value means no warnings. */
export function parsePdfWarnings(value: string | null | undefined): PdfRenderWarnings {
    const warnings: PdfRenderWarnings = { missingCharacters: [] };
    for (const part of (value ?? '').split(';')) {
        const [name, list] = part.trim().split('=');
        if (name === 'missing-characters' && list) {
            for (const item of list.split(',')) {
                const match = /^U\+([0-9A-F]{4,6})$/i.exec(item.trim());
                if (match) warnings.missingCharacters.push(Number.parseInt(match[1]!, 16));
            }
        }
    }
    return warnings;
}

/** Whether `href` is an absolute URL with a scheme a link may use. */
export function isAllowedLink(href: string): boolean {
    if (!URL.canParse(href)) {
        return false;
    }
    const url = new URL(href);
    return (LINK_SCHEMES as readonly string[]).includes(url.protocol);
}

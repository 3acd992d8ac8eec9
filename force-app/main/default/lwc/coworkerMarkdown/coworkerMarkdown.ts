import { LightningElement, api } from 'lwc';

/**
 * A reply's Markdown, built as a structure the template renders with text bindings. Model output is
 * untrusted: it never becomes HTML, so `<img onerror=…>` in a reply shows as those characters.
 * Links show as their text (a model-written URL is not made clickable).
 */
export interface InlineSpan {
    key: string;
    text: string;
    isBold: boolean;
    isItalic: boolean;
    isCode: boolean;
    isPlain: boolean;
}

export interface MarkdownBlock {
    key: string;
    isParagraph: boolean;
    isHeading: boolean;
    isList: boolean;
    isOrdered: boolean;
    isCode: boolean;
    spans: InlineSpan[];
    items: { key: string; spans: InlineSpan[] }[];
    code: string;
    /** SLDS classes of a paragraph or heading. */
    paragraphClass: string;
}

// Underscores emphasise only at word edges, as in CommonMark: ANTHROPIC_API_KEY and snake_case
// names print as written.
const INLINE =
    /(`[^`\n]+`)|(\*\*[^*\n]+\*\*|(?<![\p{L}\p{N}_])__[^_\n]+__(?![\p{L}\p{N}_]))|(\*[^*\s][^*\n]*\*|(?<![\p{L}\p{N}_])_[^_\s][^_\n]*_(?![\p{L}\p{N}_]))|(\[([^\]\n]+)\]\([^)\s]+\))/gu;

export function parseInline(text: string, keyPrefix: string): InlineSpan[] {
    const spans: InlineSpan[] = [];
    const push = (value: string, kind: 'plain' | 'bold' | 'italic' | 'code') => {
        if (!value) return;
        spans.push({
            key: `${keyPrefix}-${spans.length}`,
            text: value,
            isBold: kind === 'bold',
            isItalic: kind === 'italic',
            isCode: kind === 'code',
            isPlain: kind === 'plain'
        });
    };
    let at = 0;
    for (const match of text.matchAll(INLINE)) {
        const index = match.index ?? 0;
        push(text.slice(at, index), 'plain');
        const [whole, code, bold, italic, link, linkText] = match;
        if (code) push(code.slice(1, -1), 'code');
        else if (bold) push(bold.slice(2, -2), 'bold');
        else if (italic) push(italic.slice(1, -1), 'italic');
        else if (link) push(linkText ?? '', 'plain');
        at = index + whole.length;
    }
    push(text.slice(at), 'plain');
    return spans;
}

const LIST_ITEM = /^\s{0,3}([-*+]|\d{1,3}[.)])\s+(.*)$/;
const HEADING = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s{0,3}(```|~~~)/;

export function parseMarkdown(text: string): MarkdownBlock[] {
    const blocks: MarkdownBlock[] = [];
    const lines = (text ?? '').replace(/\r\n?/g, '\n').split('\n');
    const block = (kind: Partial<MarkdownBlock>): MarkdownBlock => ({
        key: `b${blocks.length}`,
        isParagraph: false,
        isHeading: false,
        isList: false,
        isOrdered: false,
        isCode: false,
        spans: [],
        items: [],
        code: '',
        paragraphClass: kind.isHeading ? 'slds-text-heading_small' : '',
        ...kind
    });
    let paragraph: string[] = [];
    const endParagraph = () => {
        if (paragraph.length) {
            const b = block({ isParagraph: true });
            b.spans = parseInline(paragraph.join(' '), b.key);
            blocks.push(b);
            paragraph = [];
        }
    };
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        if (FENCE.test(line)) {
            endParagraph();
            const code: string[] = [];
            i++;
            // An unclosed fence (a reply still streaming) runs to the end of the text.
            while (i < lines.length && !FENCE.test(lines[i]!)) code.push(lines[i++]!);
            blocks.push(block({ isCode: true, code: code.join('\n') }));
            continue;
        }
        if (!line.trim()) {
            endParagraph();
            continue;
        }
        const heading = HEADING.exec(line);
        if (heading) {
            endParagraph();
            const b = block({ isHeading: true });
            b.spans = parseInline(heading[1] ?? '', b.key);
            blocks.push(b);
            continue;
        }
        const item = LIST_ITEM.exec(line);
        if (item) {
            endParagraph();
            const ordered = /\d/.test(item[1]!);
            let list = blocks.at(-1);
            const previousLine = lines[i - 1] ?? '';
            if (!list || !list.isList || list.isOrdered !== ordered || !previousLine.trim()) {
                list = block({ isList: true, isOrdered: ordered });
                blocks.push(list);
            }
            const key = `${list.key}-i${list.items.length}`;
            list.items.push({ key, spans: parseInline(item[2] ?? '', key) });
            continue;
        }
        const list = blocks.at(-1);
        if (list?.isList && /^\s{2,}\S/.test(line) && !paragraph.length) {
            // An indented line continues the list item above it.
            const last = list.items.at(-1)!;
            last.spans = parseInline(
                `${last.spans.map((s) => s.text).join('')} ${line.trim()}`,
                last.key
            );
            continue;
        }
        paragraph.push(line.trim());
    }
    endParagraph();
    return blocks;
}

export default class CoworkerMarkdown extends LightningElement {
    /** The reply's text (real values, already unmasked). */
    @api text = '';

    get blocks(): MarkdownBlock[] {
        return parseMarkdown(this.text);
    }
}

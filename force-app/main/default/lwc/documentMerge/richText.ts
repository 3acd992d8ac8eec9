/**
 * A rich text field's value (Salesforce's HTML subset) as formatted text runs. Only the subset's
 * formatting is kept (b, strong, i, em, u, p, br, ul, ol, li, a href with an allowed scheme,
 * span); every other tag is dropped and its text kept, except script and style, whose contents are
 * never text meant for a reader. Nothing is ever interpreted beyond that: the result is plain text.
 */
import type { TextRun } from 'c/documentModel';
import { decodeEntities } from './templateParser';

interface Style {
    bold?: boolean;
    italic?: boolean;
    underline?: boolean;
    link?: string;
}

const DROPPED_WITH_CONTENT = new Set(['script', 'style', 'head', 'title', 'template', 'noscript']);

function allowedLink(href: string | undefined): string | undefined {
    const value = (href ?? '').trim();
    return /^(https?:\/\/\S+|mailto:\S+)$/i.test(value) ? value : undefined;
}

export function richTextRuns(html: string, base: Style = {}): TextRun[] {
    const runs: TextRun[] = [];
    const styles: { tag: string; style: Style }[] = [];
    const lists: { ordered: boolean; next: number }[] = [];
    let skipUntil: string | null = null;
    const style = (): Style => Object.assign({}, base, ...styles.map((s) => s.style));
    const push = (text: string) => {
        if (text === '') return;
        const s = style();
        const run: TextRun = { type: 'text', text };
        if (s.bold) run.bold = true;
        if (s.italic) run.italic = true;
        if (s.underline) run.underline = true;
        if (s.link) run.link = s.link;
        runs.push(run);
    };
    const newline = () => {
        const last = runs[runs.length - 1];
        if (last && !last.text.endsWith('\n')) push('\n');
    };

    const pattern =
        /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^>]*?)?)\s*(\/?)>|<!--[\s\S]*?-->|([^<]+|<)/g;
    for (const match of html.matchAll(pattern)) {
        const [, closing, rawTag, attrText, , text] = match;
        if (text !== undefined) {
            if (skipUntil === null) push(decodeEntities(text.replace(/\s+/g, ' ')));
            continue;
        }
        if (rawTag === undefined) continue; // a comment
        const tag = rawTag.toLowerCase();
        if (skipUntil !== null) {
            if (closing && tag === skipUntil) skipUntil = null;
            continue;
        }
        if (DROPPED_WITH_CONTENT.has(tag)) {
            if (!closing) skipUntil = tag;
            continue;
        }
        if (closing) {
            const at = styles.map((s) => s.tag).lastIndexOf(tag);
            if (at >= 0) styles.splice(at, 1);
            if (tag === 'p' || tag === 'div' || tag === 'li') newline();
            if (tag === 'ul' || tag === 'ol') {
                lists.pop();
                newline();
            }
            continue;
        }
        switch (tag) {
            case 'b':
            case 'strong':
                styles.push({ tag, style: { bold: true } });
                break;
            case 'i':
            case 'em':
                styles.push({ tag, style: { italic: true } });
                break;
            case 'u':
                styles.push({ tag, style: { underline: true } });
                break;
            case 'a': {
                const href = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))/i.exec(attrText ?? '');
                const link = allowedLink(decodeEntities(href?.[1] ?? href?.[2] ?? href?.[3] ?? ''));
                styles.push({ tag, style: link ? { link } : {} });
                break;
            }
            case 'br':
                push('\n');
                break;
            case 'p':
            case 'div':
                newline();
                break;
            case 'ul':
            case 'ol':
                newline();
                lists.push({ ordered: tag === 'ol', next: 1 });
                break;
            case 'li': {
                newline();
                const list = lists[lists.length - 1];
                const indent = '  '.repeat(Math.max(0, lists.length - 1));
                if (list?.ordered) push(`${indent}${list.next++}. `);
                else push(`${indent}• `);
                break;
            }
            default:
                // span, font, img, table… : their text stays, their formatting does not.
                break;
        }
    }
    // Trailing line breaks from a closing </p> would leave an empty line in the document.
    while (runs.length > 0) {
        const last = runs[runs.length - 1]!;
        const trimmed = last.text.replace(/\s+$/, '');
        if (trimmed === '') runs.pop();
        else {
            last.text = trimmed;
            break;
        }
    }
    return runs;
}

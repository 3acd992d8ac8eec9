/**
 * The coworker's knowledge base, browser side: documents split into chunks small enough to send a
 * few at a time, the folded text SOSL searches, the terms a question becomes, and BM25 to pick the
 * best of the candidates SOSL found. Only the chunks this ranking picks are ever sent to the model.
 *
 * Pure functions: no DOM, Node or Workers APIs (Intl.Segmenter is used where the runtime has it).
 */
import { COWORKER_LIMITS } from 'c/coworkerContract';
import type { KnowledgeChunk, KnowledgeChunkInput } from 'c/coworkerContract';

export type KnowledgeFormat = 'Plain text' | 'Markdown' | 'PDF';

/** Resident_Knowledge_Chunk__c.Heading__c holds 255 characters. */
const MAX_HEADING_CHARS = 255;
const HEADING_SEPARATOR = ' › ';
/** BM25's usual parameters. */
export const BM25_K1 = 1.2;
export const BM25_B = 0.75;
/** Terms a question becomes at most (SOSL's search string stays short). */
const MAX_TERMS = 20;

// ---------------------------------------------------------------------------------------------
// Folding and words
// ---------------------------------------------------------------------------------------------

/** Letters NFD does not decompose, folded as a reader of the language would type them. */
const SPECIAL_LETTERS: Record<string, string> = {
    ß: 'ss',
    æ: 'ae',
    œ: 'oe',
    ø: 'o',
    ł: 'l',
    đ: 'd',
    ð: 'd',
    þ: 'th',
    ı: 'i'
};
const SPECIAL_LETTER = /[ßæœøłđðþı]/g;
/** Combining diacritical marks only: Japanese voicing marks and Indic vowel signs stay. */
const LATIN_DIACRITICS = /[\u0300-\u036f]/g;

/** Lower-cased, accent-folded text: "Ångström Café" → "angstrom cafe". */
function fold(text: string): string {
    return text
        .toLowerCase()
        .normalize('NFD')
        .replace(LATIN_DIACRITICS, '')
        .normalize('NFC')
        .replace(SPECIAL_LETTER, (ch) => SPECIAL_LETTERS[ch] ?? ch);
}

/** Scripts written without spaces between words: only a dictionary segmenter finds their words. */
const UNSPACED_SCRIPT =
    /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const UNSPACED_CHAR = new RegExp(UNSPACED_SCRIPT.source, 'gu');
const WORD = /[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*/gu;

type WordSegmenter = { segment(text: string): Iterable<{ segment: string; isWordLike?: boolean }> };
let segmenter: WordSegmenter | null | undefined;

function wordSegmenter(): WordSegmenter | null {
    if (segmenter === undefined) {
        const Segmenter = (
            Intl as unknown as { Segmenter?: new (l?: string, o?: object) => WordSegmenter }
        ).Segmenter;
        segmenter = Segmenter ? new Segmenter(undefined, { granularity: 'word' }) : null;
    }
    return segmenter;
}

/** The words of already-folded text, in order. */
function words(folded: string): string[] {
    if (!UNSPACED_SCRIPT.test(folded)) {
        return folded.match(WORD) ?? [];
    }
    const seg = wordSegmenter();
    if (seg) {
        const found: string[] = [];
        for (const part of seg.segment(folded)) {
            if (part.isWordLike) found.push(part.segment);
        }
        return found;
    }
    // Without a segmenter, each character of an unspaced script stands for itself.
    return (folded.match(WORD) ?? []).flatMap((w) => {
        return UNSPACED_SCRIPT.test(w) ? w.replace(UNSPACED_CHAR, ' $& ').trim().split(/\s+/) : [w];
    });
}

// The commonest function words of the languages our customers write in, folded like the text.
const STOP_WORDS = new Set(
    [
        // English
        'a an and are as at be but by can could did do does for from had has have how i if in into is it its me my no not of on or our please should so than that the their them then there these they this to us was we were what when where which who whom why will with would you your',
        // French
        'au aux avec ce ces comment dans de des du elle en est et eux il ils je la le les leur lui ma mais me mes moi mon ne nos notre nous on ou par pas pour qu que qui quoi sa se ses son sur ta te tes toi ton tu un une vos votre vous',
        // German
        'aber als am an auch auf aus bei bin bis das dass dem den der des die doch du ein eine einem einen einer er es fur hat ich ihr im in ist ja kann mit nach nicht noch oder sie sind so uber um und uns von vor wie wir wird zu zum zur',
        // Spanish and Portuguese
        'al como con cual cuando da das de del do dos el ella ellos em en es esta este eu la las lo los mas me mi na nao no nos o os para pero por que se sin sobre su sus um uma un una uno y ya',
        // Italian and Dutch
        'che chi con da dei del della di e gli ha il in io la le lo ma mi nel non per piu quale se sono su un una het een en is ik in je niet op te van voor wat wij zijn'
    ]
        .join(' ')
        .split(' ')
);

/** A word worth searching for: not a stop word, not a lone letter or digit (unless ideographic). */
function isContentWord(word: string): boolean {
    if (STOP_WORDS.has(word)) return false;
    return [...word].length > 1 || UNSPACED_SCRIPT.test(word);
}

/** Text as SOSL should search it: lower-cased, accent-folded words separated by single spaces. */
export function searchText(text: string): string {
    return words(fold(text)).join(' ');
}

/** The words of a question worth searching for: folded, no stop words, no repeats, in order. */
export function searchTerms(query: string): string[] {
    const seen = new Set<string>();
    for (const word of words(fold(query))) {
        if (isContentWord(word)) seen.add(word);
        if (seen.size >= MAX_TERMS) break;
    }
    return [...seen];
}

// ---------------------------------------------------------------------------------------------
// Splitting documents
// ---------------------------------------------------------------------------------------------

interface Section {
    heading: string | null;
    paragraphs: string[];
}

/** Control characters a document should not carry (tabs and line breaks stay). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g;

function normalise(text: string): string {
    return text.replace(/\r\n?/g, '\n').replace(/\f/g, '\n\n').replace(CONTROL, '');
}

function paragraphsOf(block: string, joinLines: boolean): string[] {
    return block
        .split(/\n[ \t]*\n+/)
        .map((p) => {
            if (joinLines) {
                return p
                    .replace(/[ \t]*\n[ \t]*/g, ' ')
                    .replace(/[ \t]{2,}/g, ' ')
                    .trim();
            }
            return p.replace(/[ \t]+\n/g, '\n').trim();
        })
        .filter((p) => p.length > 0);
}

function markdownSections(text: string): Section[] {
    const sections: Section[] = [];
    const trail: string[] = [];
    let buffer: string[] = [];
    let fenced = false;
    let current: Section = { heading: null, paragraphs: [] };
    const flush = () => {
        current.paragraphs.push(...paragraphsOf(buffer.join('\n'), false));
        buffer = [];
    };
    for (const line of text.split('\n')) {
        if (/^\s{0,3}(```|~~~)/.test(line)) fenced = !fenced;
        const heading = fenced ? null : /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
        if (heading) {
            flush();
            if (current.paragraphs.length > 0 || current.heading !== null) sections.push(current);
            const level = (heading[1] as string).length;
            trail.length = Math.min(trail.length, level - 1);
            trail[level - 1] = (heading[2] as string).trim();
            current = {
                heading: headingText(trail.filter((t) => t).join(HEADING_SEPARATOR)),
                paragraphs: []
            };
        } else {
            buffer.push(line);
        }
    }
    flush();
    sections.push(current);
    return sections.filter((s) => s.paragraphs.length > 0);
}

function headingText(heading: string): string | null {
    if (!heading) return null;
    if (heading.length <= MAX_HEADING_CHARS) return heading;
    return `${heading.slice(0, MAX_HEADING_CHARS - 1).replace(/\s+\S*$/, '')}…`;
}

/** Cuts text longer than `max` at sentence ends, or else between words; never inside a word. */
function pieces(text: string, max: number): string[] {
    if (text.length <= max) return [text];
    const out: string[] = [];
    let rest = text;
    while (rest.length > max) {
        const window = rest.slice(0, max + 1);
        let cut = -1;
        const sentence = /[.!?。！？](?=\s)/g;
        for (let m = sentence.exec(window); m; m = sentence.exec(window)) {
            if (m.index + 1 >= max / 2) cut = m.index + 1;
        }
        if (cut < 0) cut = Math.max(window.lastIndexOf(' '), window.lastIndexOf('\n'));
        // A single "word" longer than a chunk (a long URL or a run of unspaced script).
        if (cut <= 0) cut = max;
        out.push(rest.slice(0, cut).trim());
        rest = rest.slice(cut).trim();
    }
    if (rest) out.push(rest);
    return out.filter((p) => p.length > 0);
}

/** Packs paragraphs into chunks of at most `max` characters, splitting only oversized ones. */
function pack(paragraphs: string[], max: number): string[] {
    const chunks: string[] = [];
    let current = '';
    for (const paragraph of paragraphs.flatMap((p) => pieces(p, max))) {
        if (current && current.length + 2 + paragraph.length > max) {
            chunks.push(current);
            current = '';
        }
        current = current ? `${current}\n\n${paragraph}` : paragraph;
    }
    if (current) chunks.push(current);
    return chunks;
}

/**
 * Splits a document into chunks of about `COWORKER_LIMITS.knowledgeChunkChars` characters:
 * Markdown by its headings (each chunk carries its heading trail, "Returns › Refunds"), plain text
 * and PDF text by paragraphs (PDF lines re-joined and words hyphenated across lines mended).
 */
export function splitDocument(text: string, format: KnowledgeFormat): KnowledgeChunkInput[] {
    const max = COWORKER_LIMITS.knowledgeChunkChars;
    let clean = normalise(text ?? '');
    let sections: Section[];
    if (format === 'Markdown') {
        sections = markdownSections(clean);
    } else {
        if (format === 'PDF') clean = clean.replace(/(\p{L})-\n(\p{Ll})/gu, '$1$2');
        sections = [{ heading: null, paragraphs: paragraphsOf(clean, format === 'PDF') }];
    }
    const chunks: KnowledgeChunkInput[] = [];
    for (const section of sections) {
        for (const body of pack(section.paragraphs, max)) {
            chunks.push({
                sequence: chunks.length + 1,
                heading: section.heading,
                body,
                searchText: searchText(section.heading ? `${section.heading}\n${body}` : body)
            });
        }
    }
    return chunks;
}

// ---------------------------------------------------------------------------------------------
// Ranking
// ---------------------------------------------------------------------------------------------

/** A light plural fold for ranking only ("refunds" finds "refund"); SOSL stems on its own. */
function rankingForm(word: string): string {
    return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

function rankingTerms(text: string): string[] {
    return words(fold(text)).filter(isContentWord).map(rankingForm);
}

/**
 * The `topN` candidates that best answer the query, by BM25 (k1 1.2, b 0.75) over the candidates
 * given (heading and body). Chunks matching no query term are never returned. Ties keep a stable
 * order: document name, then sequence, then id.
 */
export function rankChunks(
    query: string,
    chunks: KnowledgeChunk[],
    topN: number
): KnowledgeChunk[] {
    const limit = Math.max(0, Math.floor(topN));
    const queryTerms = [...new Set(rankingTerms(query))];
    if (limit === 0 || queryTerms.length === 0 || chunks.length === 0) return [];

    const wanted = new Set(queryTerms);
    const docs = chunks.map((chunk) => {
        const terms = rankingTerms(chunk.heading ? `${chunk.heading}\n${chunk.body}` : chunk.body);
        const tf = new Map<string, number>();
        for (const term of terms) {
            if (wanted.has(term)) tf.set(term, (tf.get(term) ?? 0) + 1);
        }
        return { chunk, length: terms.length, tf };
    });
    const avgLength = docs.reduce((sum, d) => sum + d.length, 0) / docs.length || 1;
    const idf = new Map<string, number>();
    for (const term of queryTerms) {
        const df = docs.filter((d) => d.tf.has(term)).length;
        idf.set(term, Math.log(1 + (docs.length - df + 0.5) / (df + 0.5)));
    }
    const scored = docs
        .map((d) => {
            let score = 0;
            const norm = BM25_K1 * (1 - BM25_B + (BM25_B * d.length) / avgLength);
            for (const [term, count] of d.tf) {
                score += ((idf.get(term) ?? 0) * count * (BM25_K1 + 1)) / (count + norm);
            }
            // Rounded so the order of the candidates (float sums) cannot break a tie differently.
            return { chunk: d.chunk, score: Math.round(score * 1e9) / 1e9 };
        })
        .filter((s) => s.score > 0);
    scored.sort(
        (a, b) =>
            b.score - a.score ||
            compareText(a.chunk.documentName, b.chunk.documentName) ||
            a.chunk.sequence - b.chunk.sequence ||
            compareText(a.chunk.id, b.chunk.id)
    );
    return scored.slice(0, limit).map((s) => s.chunk);
}

function compareText(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

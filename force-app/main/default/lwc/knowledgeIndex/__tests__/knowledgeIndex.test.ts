import { rankChunks, searchTerms, searchText, splitDocument } from 'c/knowledgeIndex';
import type { KnowledgeChunk } from 'c/coworkerContract';

/** A small help centre, as a support team would write it. */
const HANDBOOK = `# Acme Support Handbook

Welcome to the support team. This handbook says how we answer customers.

## Returns

### Refund window
Customers may return unused products within 30 days of delivery for a full refund. Refunds go back
to the original payment method within 5 business days of the return arriving at our warehouse.

### Damaged goods
If a product arrives damaged, ask for a photo, then send a replacement at once. Do not ask the
customer to return a damaged product.

## Shipping

Standard shipping takes 3 to 5 business days within the EU. Express shipping takes 1 business day
and costs €15. We do not ship to PO boxes.

## Escalation

Escalate to the duty manager when a customer threatens legal action, when an order above €10,000
is late, or when a customer has written three times about the same problem.

\`\`\`
# not a heading: a comment in a code block
\`\`\`
`;

function asChunks(
    documentName: string,
    text: string,
    format: 'Markdown' | 'Plain text' = 'Markdown'
): KnowledgeChunk[] {
    return splitDocument(text, format).map((c) => ({
        id: `${documentName}-${c.sequence}`,
        documentId: documentName,
        documentName,
        heading: c.heading,
        body: c.body,
        sequence: c.sequence
    }));
}

describe('c/knowledgeIndex', () => {
    describe('splitDocument', () => {
        it('gives each Markdown section its heading trail', () => {
            const chunks = splitDocument(HANDBOOK, 'Markdown');
            expect(chunks.map((c) => c.heading)).toEqual([
                'Acme Support Handbook',
                'Acme Support Handbook › Returns › Refund window',
                'Acme Support Handbook › Returns › Damaged goods',
                'Acme Support Handbook › Shipping',
                'Acme Support Handbook › Escalation'
            ]);
            expect(chunks.map((c) => c.sequence)).toEqual([1, 2, 3, 4, 5]);
            expect(chunks[1]!.body).toMatch(/^Customers may return unused products/);
            // A "#" line inside a code block stays in the body.
            expect(chunks[4]!.body).toContain('# not a heading');
        });

        it('packs paragraphs into chunks of at most 1,200 characters without cutting a word', () => {
            const sentence = 'Our warehouse in Rotterdam ships every weekday before noon. ';
            const paragraphs = Array.from(
                { length: 12 },
                (_, i) => `${i + 1}. ${sentence.repeat(4)}`
            );
            const chunks = splitDocument(paragraphs.join('\n\n'), 'Plain text');
            expect(chunks.length).toBeGreaterThan(1);
            for (const chunk of chunks) {
                expect(chunk.body.length).toBeLessThanOrEqual(1200);
                expect(chunk.heading).toBeNull();
            }
            // Nothing lost, nothing cut mid-word: the words come back in order.
            const words = (t: string) => t.split(/\s+/).filter(Boolean);
            expect(chunks.flatMap((c) => words(c.body))).toEqual(words(paragraphs.join(' ')));
        });

        it('splits an oversized paragraph at sentence ends, then between words', () => {
            const longSentence = `${'word '.repeat(400)}end.`;
            const chunks = splitDocument(longSentence, 'Plain text');
            expect(chunks.length).toBe(2);
            for (const chunk of chunks) {
                expect(chunk.body.length).toBeLessThanOrEqual(1200);
                expect(chunk.body.split(' ').every((w) => w === 'word' || w === 'end.')).toBe(true);
            }
        });

        it('re-joins PDF lines into paragraphs and mends words hyphenated across lines', () => {
            const pdf =
                'Warranty claims must be sub-\nmitted within two years\nof purchase.\n\n\fThe serial number is on the\nback of the device.';
            const chunks = splitDocument(pdf, 'PDF');
            expect(chunks).toHaveLength(1);
            expect(chunks[0]!.body).toBe(
                'Warranty claims must be submitted within two years of purchase.\n\nThe serial number is on the back of the device.'
            );
        });

        it('shortens a heading trail to the 255 characters the field holds, between words', () => {
            const long = 'Very long heading words '.repeat(15).trim();
            const [chunk] = splitDocument(`# ${long}\n## ${long}\nBody text.`, 'Markdown');
            expect(chunk!.heading!.length).toBeLessThanOrEqual(255);
            // Cut after a whole word: every word before the ellipsis is one of the heading's.
            expect(chunk!.heading).toMatch(
                /^(?:(?:Very|long|heading|words) )*(?:Very|long|heading|words)…$/
            );
        });

        it('returns no chunks for an empty or blank document', () => {
            expect(splitDocument('', 'Plain text')).toEqual([]);
            expect(splitDocument(' \n\n \r\n', 'Markdown')).toEqual([]);
        });

        it('stores folded search text with each chunk', () => {
            const [chunk] = splitDocument(
                '# Café opening\nThe Ångström café opens at 8.',
                'Markdown'
            );
            expect(chunk!.searchText).toBe('cafe opening the angstrom cafe opens at 8');
        });
    });

    describe('searchText and searchTerms', () => {
        it('lower-cases and folds accents, keeping Japanese voicing marks', () => {
            expect(searchText('Crème Brûlée, Straße & Łódź!')).toBe('creme brulee strasse lodz');
            expect(searchText('ガイド')).toBe('ガイド');
        });

        it('drops stop words and repeats, in several languages', () => {
            expect(searchTerms('What is the refund policy for a damaged product? Refund!')).toEqual(
                ['refund', 'policy', 'damaged', 'product']
            );
            expect(searchTerms('Quelle est la politique de remboursement ?')).toEqual([
                'quelle',
                'politique',
                'remboursement'
            ]);
            expect(searchTerms('Wie lange dauert die Lieferung nach Österreich?')).toEqual([
                'lange',
                'dauert',
                'lieferung',
                'osterreich'
            ]);
        });

        it('finds words in scripts written without spaces', () => {
            const terms = searchTerms('返品ポリシーについて教えてください');
            expect(terms.length).toBeGreaterThan(1);
            expect(terms.join('')).toContain('返品');
        });

        it('still finds words in unspaced scripts where Intl.Segmenter is missing', () => {
            const intl = Intl as unknown as { Segmenter?: unknown };
            const original = intl.Segmenter;
            delete intl.Segmenter;
            try {
                jest.isolateModules(() => {
                    const isolated =
                        jest.requireActual<typeof import('c/knowledgeIndex')>('c/knowledgeIndex');
                    expect(isolated.searchTerms('返品 policy')).toEqual(['返', '品', 'policy']);
                });
            } finally {
                intl.Segmenter = original;
            }
        });

        it('returns nothing for a question made only of stop words', () => {
            expect(searchTerms('What is it?')).toEqual([]);
        });
    });

    describe('rankChunks', () => {
        const corpus = [
            ...asChunks('Support Handbook', HANDBOOK),
            ...asChunks(
                'Sales Playbook',
                `# Discounts\nSales reps may give up to 10% discount on orders above €5,000 without approval.\n\n# Renewals\nStart renewal conversations 90 days before the contract ends.`
            ),
            ...asChunks(
                'IT Policy',
                'Passwords must be changed every 90 days. Report a lost laptop to IT within one business day.',
                'Plain text'
            )
        ];

        it('puts the chunk that answers the question first', () => {
            const ask = (q: string) => rankChunks(q, corpus, 3)[0]?.heading ?? null;
            expect(ask('How long do refunds take to reach the customer?')).toBe(
                'Acme Support Handbook › Returns › Refund window'
            );
            expect(ask('A product arrived damaged, what should I do?')).toBe(
                'Acme Support Handbook › Returns › Damaged goods'
            );
            expect(ask('when do I escalate a late order to the manager')).toBe(
                'Acme Support Handbook › Escalation'
            );
            expect(ask('What discount can I give without approval?')).toBe('Discounts');
            expect(rankChunks('I lost my laptop', corpus, 3)[0]?.documentName).toBe('IT Policy');
        });

        it('returns at most topN chunks and none that match no term', () => {
            expect(rankChunks('shipping business days', corpus, 2)).toHaveLength(2);
            expect(rankChunks('photosynthesis chlorophyll', corpus, 5)).toEqual([]);
            expect(rankChunks('refund', corpus, 0)).toEqual([]);
            expect(rankChunks('the of and', corpus, 5)).toEqual([]);
        });

        it('breaks ties the same way whatever order the candidates arrive in', () => {
            const twin = (id: string, documentName: string, sequence: number): KnowledgeChunk => ({
                id,
                documentId: documentName,
                documentName,
                heading: null,
                body: 'Invoices are sent on the first day of each month.',
                sequence
            });
            const chunks = [
                twin('c', 'Billing', 2),
                twin('a', 'Accounts', 7),
                twin('b', 'Billing', 1)
            ];
            const expected = ['a', 'b', 'c'];
            expect(rankChunks('invoices', chunks, 3).map((c) => c.id)).toEqual(expected);
            expect(rankChunks('invoices', [...chunks].reverse(), 3).map((c) => c.id)).toEqual(
                expected
            );
        });

        it('ranks a short chunk with the term above a long one that mentions it once (length normalisation)', () => {
            const filler = 'General information about our company and its history. '.repeat(15);
            const chunks: KnowledgeChunk[] = [
                {
                    id: 'long',
                    documentId: 'd',
                    documentName: 'd',
                    heading: null,
                    body: `${filler} Warranty applies.`,
                    sequence: 1
                },
                {
                    id: 'short',
                    documentId: 'd',
                    documentName: 'd',
                    heading: null,
                    body: 'Warranty lasts two years.',
                    sequence: 2
                }
            ];
            expect(rankChunks('warranty', chunks, 2).map((c) => c.id)).toEqual(['short', 'long']);
        });
    });
});

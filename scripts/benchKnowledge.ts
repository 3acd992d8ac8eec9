/**
 * Measures knowledge retrieval in the browser: BM25 (`rankChunks` of c/knowledgeIndex) against a
 * naive baseline that counts query words, on a generated corpus of 5,000 chunks with 50 planted
 * answers. Reports answer quality (the answer ranked first; mean reciprocal rank in the top 10) and
 * time per query over the 50 candidates SOSL hands the browser in production and over all 5,000,
 * plus the time to split a 1 MB Markdown document. A measurement, so it exits 0.
 *
 * Usage: npx tsx scripts/benchKnowledge.ts
 */
import type { KnowledgeChunk } from '../force-app/main/default/lwc/coworkerContract/coworkerContract';
import {
    rankChunks,
    searchTerms,
    searchText,
    splitDocument
} from '../force-app/main/default/lwc/knowledgeIndex/knowledgeIndex';

const CHUNKS = 5_000;
const QUESTIONS = 50;
const CANDIDATES = 50;
const TOP = 10;

/** A small deterministic generator, so every run measures the same corpus. */
function random(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const COMMON =
    `account customer order invoice payment renewal contract support ticket product service
price discount quote shipping delivery return refund warranty team manager sales lead opportunity
report dashboard email phone meeting call follow update status approval request policy process
configure setup install access password login user admin permission record field page report data
export import integration partner region market campaign budget forecast quarter revenue target
issue error problem fix release version feature plan subscription license trial upgrade billing
agreement term renewal notice cancel credit balance tax currency country office holiday schedule`
        .split(/\s+/)
        .filter(Boolean);
const FUNCTION_WORDS =
    'the a of to and in for on with is are be this that it as by at from or'.split(' ');

function makeCorpus(): {
    chunks: KnowledgeChunk[];
    questions: { query: string; answerId: string }[];
} {
    const rand = random(42);
    // Zipf-like: earlier common words appear far more often.
    const commonWord = () => COMMON[Math.floor(COMMON.length * rand() ** 2.2)] as string;
    const sentence = (words: number) =>
        Array.from({ length: words }, (_, i) =>
            i % 3 === 1 ? FUNCTION_WORDS[Math.floor(rand() * FUNCTION_WORDS.length)] : commonWord()
        ).join(' ') + '.';
    const filler = (min: number, max: number) => {
        const total = min + Math.floor(rand() * (max - min));
        const parts: string[] = [];
        for (let n = 0; n < total; n += 12) parts.push(sentence(12));
        return parts.join(' ');
    };
    const rareWord = (i: number) =>
        `${['zeph', 'quor', 'vant', 'lumi', 'brax', 'tesk', 'orin', 'myla'][i % 8]}${['ara', 'ex', 'ion', 'ulo', 'ith'][i % 5]}${i}`;

    const chunks: KnowledgeChunk[] = [];
    const answers = new Map<number, number>();
    for (let q = 0; q < QUESTIONS; q++)
        answers.set(Math.floor((q + 0.5) * (CHUNKS / QUESTIONS)), q);
    for (let i = 0; i < CHUNKS; i++) {
        const q = answers.get(i);
        const body =
            q === undefined
                ? filler(40, 220)
                : `${filler(60, 160)} To configure ${rareWord(q)} for a customer account, open the ${rareWord(q)} settings and set the renewal invoice date. ${filler(20, 60)}`;
        chunks.push({
            id: `chunk-${String(i).padStart(5, '0')}`,
            documentId: `doc-${Math.floor(i / 20)}`,
            documentName: `Handbook ${Math.floor(i / 20)}`,
            heading: null,
            body,
            sequence: (i % 20) + 1
        });
    }
    const questions = [...answers.entries()].map(([index, q]) => ({
        query: `How do I configure ${rareWord(q)} for the customer account renewal invoice?`,
        answerId: (chunks[index] as KnowledgeChunk).id
    }));
    return { chunks, questions };
}

/** What a first implementation would do: count how often the question's words occur. */
function naiveRank(query: string, chunks: KnowledgeChunk[], topN: number): KnowledgeChunk[] {
    const terms = searchTerms(query);
    return chunks
        .map((chunk) => {
            const words = searchText(chunk.body).split(' ');
            let score = 0;
            for (const word of words) if (terms.includes(word)) score++;
            return { chunk, score };
        })
        .filter((s) => s.score > 0)
        .sort((a, b) => b.score - a.score)
        .slice(0, topN)
        .map((s) => s.chunk);
}

type Ranker = (query: string, chunks: KnowledgeChunk[], topN: number) => KnowledgeChunk[];

function quality(rank: Ranker, corpus: ReturnType<typeof makeCorpus>) {
    let first = 0;
    let reciprocal = 0;
    for (const { query, answerId } of corpus.questions) {
        const at = rank(query, corpus.chunks, TOP).findIndex((c) => c.id === answerId);
        if (at === 0) first++;
        if (at >= 0) reciprocal += 1 / (at + 1);
    }
    return { hitAt1: first / corpus.questions.length, mrr: reciprocal / corpus.questions.length };
}

/** Median milliseconds per query over the first `queries` questions, each ranking its candidate set. */
function timePerQuery(
    rank: Ranker,
    corpus: ReturnType<typeof makeCorpus>,
    candidates: (q: number) => KnowledgeChunk[],
    queries: number
): number {
    const samples: number[] = [];
    corpus.questions.slice(0, queries).forEach(({ query }, q) => {
        const set = candidates(q);
        const start = performance.now();
        rank(query, set, 5);
        samples.push(performance.now() - start);
    });
    samples.sort((a, b) => a - b);
    return samples[Math.floor(samples.length / 2)] as number;
}

function main(): void {
    const corpus = makeCorpus();
    const bm25 = quality(rankChunks, corpus);
    const naive = quality(naiveRank, corpus);
    // Production: SOSL returns 50 candidates containing the words; here, the answer and 49 others.
    const candidateSet = (q: number) => {
        const answer = corpus.chunks.find((c) => c.id === corpus.questions[q]!.answerId)!;
        return [answer, ...corpus.chunks.slice(q * 90, q * 90 + CANDIDATES - 1)];
    };
    const all = () => corpus.chunks;
    const bm25Candidates = timePerQuery(rankChunks, corpus, candidateSet, QUESTIONS);
    const naiveCandidates = timePerQuery(naiveRank, corpus, candidateSet, QUESTIONS);
    const bm25All = timePerQuery(rankChunks, corpus, all, 9);
    const naiveAll = timePerQuery(naiveRank, corpus, all, 9);

    const markdown = Array.from(
        { length: 400 },
        (_, i) =>
            `## Section ${i}\n\n${corpus.chunks[i]!.body}\n\n${corpus.chunks[i + 400]!.body}\n`
    )
        .join('\n')
        .repeat(2)
        .slice(0, 1_000_000);
    const splitStart = performance.now();
    const split = splitDocument(markdown, 'Markdown');
    const splitMs = performance.now() - splitStart;

    const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
    const ms = (x: number) => `${x.toFixed(2)} ms`;
    console.log(
        `Knowledge retrieval: ${CHUNKS} chunks, ${QUESTIONS} questions with one planted answer each\n`
    );
    console.log(
        '| Ranking | answer first | MRR@10 | per query, 50 candidates | per query, 5,000 chunks |'
    );
    console.log('| --- | --- | --- | --- | --- |');
    console.log(
        `| BM25 (rankChunks) | ${pct(bm25.hitAt1)} | ${bm25.mrr.toFixed(2)} | ${ms(bm25Candidates)} | ${ms(bm25All)} |`
    );
    console.log(
        `| naive word count | ${pct(naive.hitAt1)} | ${naive.mrr.toFixed(2)} | ${ms(naiveCandidates)} | ${ms(naiveAll)} |`
    );
    console.log(
        `\nBM25 / naive: answer first ${pct(bm25.hitAt1)} vs ${pct(naive.hitAt1)}; ` +
            `time ${(bm25Candidates / naiveCandidates).toFixed(2)}× (50 candidates), ${(bm25All / naiveAll).toFixed(2)}× (5,000 chunks)`
    );
    console.log(
        `splitDocument: ${(markdown.length / 1e6).toFixed(1)} MB of Markdown into ${split.length} chunks in ${splitMs.toFixed(0)} ms`
    );
}

main();

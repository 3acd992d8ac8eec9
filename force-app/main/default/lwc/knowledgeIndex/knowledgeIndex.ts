/**
 * PLACEHOLDER — the tools helper (branch i4-tools) writes the real c/knowledgeIndex (chunking,
 * search text, BM25). This file exists only so c/knowledgeManager builds, type-checks and compiles
 * for the platform on the i4-pages branch; the lead takes the real module at merge and drops this
 * one. It keeps only the signature c/knowledgeManager uses.
 */
import type { KnowledgeChunkInput } from 'c/coworkerContract';

export function splitDocument(
    text: string,
    format: 'Plain text' | 'Markdown' | 'PDF'
): KnowledgeChunkInput[] {
    throw new Error(
        `c/knowledgeIndex placeholder cannot split ${text.length} characters of ${format}: the real module comes from the i4-tools branch`
    );
}

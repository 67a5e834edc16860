/**
 * The lexical retriever: BM25 over passages and sentences (MiniSearch, in
 * index/lexical.ts), and what the library's vocabulary knows, which the
 * abstention evidence and the "who is…?" analysis ask.
 */
import type { LexicalHit, LexicalIndex } from '../../index/lexical.js';
import type { RetrievalFilter } from './filter.js';

export type { LexicalHit } from '../../index/lexical.js';

/** Whether the library uses a term: what abstention and name checks ask of the lexical index. */
export interface Vocabulary {
  /** Whether a term (already processed) occurs, allowing a spelling variant. */
  knows(term: string): boolean;
  /** Whether a term occurs exactly as it is. */
  knowsExactly(term: string): boolean;
  /** Ids of the passages that hold every one of these terms exactly. */
  passagesWithAll(terms: readonly string[]): string[];
}

export interface LexicalRetriever extends Vocabulary {
  /** The best `limit` BM25 hits per unit kind among the units the filter allows (MiniSearch filters while it scores). */
  search(query: string, limit: number, filter?: RetrievalFilter): LexicalHit[];
  /** BM25 hits for the query among exactly these units, however many: units seeded by an earlier stage. */
  scoreUnits(query: string, labels: ReadonlySet<number>): LexicalHit[];
}

/** MiniSearch, as the lexical index holds it. */
export function miniSearchRetriever(index: LexicalIndex): LexicalRetriever {
  return {
    search: (query, limit, filter) =>
      index.search(query, limit, filter ? (label) => filter.allowsUnit(label) : undefined),
    scoreUnits: (query, labels) => index.search(query, Infinity, (label) => labels.has(label)),
    knows: (term) => index.knows(term),
    knowsExactly: (term) => index.knowsExactly(term),
    passagesWithAll: (terms) => index.passagesWithAll(terms),
  };
}

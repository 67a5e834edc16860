/**
 * The ranking half of the answer path: retrieve (dense, lexical) → fuse →
 * rerank[]. `answerQuestion` (ask.ts) runs it with every reranker; the
 * follow-ups run it with the place rerankers only, as before issue 18.
 */
import type hnswlib from 'hnswlib-node';
import type { Library } from '../corpus/library.js';
import type { OffTopicBaseline } from '../index/calibration.js';
import type { LexicalIndex } from '../index/lexical.js';
import type { IndexUnit } from '../index/units.js';
import type { Passage, RankedPassage } from '../types.js';
import { resolveRanking, type RankingConfig, type RankingOverrides } from './config.js';
import { fuse } from './fuse.js';
import { sentenceScorer } from './quote/sentences.js';
import { earlierPassages, shortPassages } from './rerank/position.js';
import { runRerankers, type RerankContext, type Reranker, type RerankRecord } from './rerank/reranker.js';
import { hnswRetriever } from './retrieve/dense.js';
import { retrievalFilter, type PassageFilter, type PassageScope } from './retrieve/filter.js';
import { miniSearchRetriever } from './retrieve/lexical.js';
import { retrieve, type Retrieval, type RetrievalSources } from './retrieve/retrieve.js';

export type { RetrievalMode } from './config.js';
export type { UnitScore } from './retrieve/retrieve.js';
export { dot } from './retrieve/dense.js';

/** The parts of a built index that search needs. */
export interface SearchIndex {
  library: Library;
  units: readonly IndexUnit[];
  /** The units of each passage, so per-passage work never scans the whole library. */
  unitsByPassage: ReadonlyMap<string, readonly IndexUnit[]>;
  dense: hnswlib.HierarchicalNSW;
  lexical: LexicalIndex;
  /** How close unrelated questions come to this library; absent for an index built before it was measured. */
  offTopic?: OffTopicBaseline;
  /** The stored vectors of some units, in order (read from the index file: index/vectors.ts). */
  vectors(labels: readonly number[]): ArrayLike<number>[];
}

/**
 * The index as if it held only the passages of `scope` (a reading limit): its
 * lexical side searches, normalises BM25 and knows words within the scope only.
 * Dense retrieval is restricted by the same scope as a filter (ask.ts).
 */
export function withinScope(index: SearchIndex, scope: PassageScope): SearchIndex {
  const lexical = index.lexical.within({
    key: scope.key,
    allowsPassage: (id) => {
      const passage = index.library.getPassageById(id);
      return passage !== undefined && scope.allows(passage);
    },
  });
  return { ...index, lexical };
}

/** The index's units behind the two retriever interfaces (retrieve/dense.ts, retrieve/lexical.ts). */
export function retrievalSources(index: SearchIndex): RetrievalSources {
  return {
    units: index.units,
    unitsByPassage: index.unitsByPassage,
    dense: hnswRetriever(index.dense, (labels) => index.vectors(labels)),
    lexical: miniSearchRetriever(index.lexical),
  };
}

/** The rerankers that read only a passage's place and length: what follow-ups rank with. */
export const PLACE_RERANKERS: readonly Reranker[] = [earlierPassages, shortPassages];

/** Ranked passages plus what each stage found. */
export interface SearchResult extends Retrieval {
  ranked: RankedPassage[];
  /** The fused ranking, before any reranker. */
  fused: RankedPassage[];
  rerank: RerankRecord[];
  /** Every sentence's score for a passage (quote.denseWeight), computed once: the reranker and the quote share it. */
  sentenceScores(passage: Passage): readonly number[];
}

/** What {@link rankPassages} runs beyond retrieval and fusion. */
export interface RankOptions {
  filters?: readonly PassageFilter[];
  /** Passages scored even when no retriever finds them (hybrid only). */
  seeds?: Iterable<string>;
  rerankers?: readonly Reranker[];
  /** The reranking context, but for what the index and `config` give. */
  context?: Omit<RerankContext, 'config' | 'library' | 'sentenceScores'>;
  /** Called when retrieval and fusion are done, then when the rerankers are (for timing). */
  onStage?: (stage: 'retrieve' | 'rerank') => void;
}

/** retrieve → fuse → rerank[]. Only hybrid mode is reranked: "dense" and "lexical" measure one retriever alone. */
export function rankPassages(
  index: SearchIndex,
  queryVector: Float32Array,
  query: string,
  config: RankingConfig,
  options: RankOptions = {},
): SearchResult {
  const sources = retrievalSources(index);
  const filter = retrievalFilter(index.library, (label) => index.units[label]!.passageId, options.filters ?? []);
  const hybrid = config.retrieve.mode === 'hybrid';
  const retrieval = retrieve(sources, queryVector, query, config.retrieve, filter, hybrid ? options.seeds : []);
  const fused = fuse(index.library, retrieval.unitScores, config.retrieve.mode, config.fuse);
  const sentenceScores = sentenceScorer(index, retrieval.unitScores, queryVector, config.quote.denseWeight);
  options.onStage?.('retrieve');
  if (!hybrid || !options.rerankers?.length) {
    options.onStage?.('rerank');
    return { ...retrieval, fused, ranked: fused, rerank: [], sentenceScores };
  }
  const context: RerankContext = {
    answerType: 'other',
    questionTerms: new Set(),
    introduced: new Map(),
    ...options.context,
    sentenceScores: (candidate) => sentenceScores(candidate.passage),
    library: index.library,
    config: config.rerank,
  };
  const { ranked, records } = runRerankers(fused, options.rerankers, context);
  options.onStage?.('rerank');
  return { ...retrieval, fused, ranked, rerank: records, sentenceScores };
}

/**
 * Ranks passages for a topic with the place rerankers (what follow-ups use).
 *
 * @example
 * const { ranked } = searchPassages(index, queryVector, 'Who signed the communiqué?');
 */
export function searchPassages(
  index: SearchIndex,
  queryVector: Float32Array,
  query: string,
  options: { ranking?: RankingOverrides; filters?: readonly PassageFilter[] } = {},
): SearchResult {
  return rankPassages(index, queryVector, query, resolveRanking(options.ranking), {
    filters: options.filters,
    rerankers: PLACE_RERANKERS,
  });
}

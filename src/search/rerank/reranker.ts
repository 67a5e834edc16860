/**
 * Stage 4, rerank: an ordered list of rerankers, each `(candidates, context)
 * => candidates`, run after fusion in hybrid mode. Each one's effect on the
 * best candidates is recorded (which passage it moved, from where to where,
 * and by how much), for the answer's evidence and `ask --explain`.
 */
import type { Library } from '../../corpus/library.js';
import type { RankedPassage } from '../../types.js';
import type { AnswerType } from '../analyse/question.js';
import type { RerankConfig } from '../config.js';

/** What a reranker may read besides the candidates. */
export interface RerankContext {
  library: Library;
  config: RerankConfig;
  answerType: AnswerType;
  /** The question's content terms. */
  questionTerms: ReadonlySet<string>;
  /** Bonuses by passage id from the analysis: the first passages that mention a name asked about ("who is…?"). */
  introduced: ReadonlyMap<string, number>;
  /** Every sentence's score for a candidate, computed once per passage (the quote stage reads the same scores). */
  sentenceScores(candidate: RankedPassage): readonly number[];
}

/** One reranker: a name for the records, and the reranking. */
export interface Reranker {
  name: string;
  rerank(candidates: readonly RankedPassage[], context: RerankContext): RankedPassage[];
}

/** How one reranker changed one of the best candidates. Ranks are 1-based. */
export interface RerankMove {
  passageId: string;
  from: number;
  to: number;
  before: number;
  after: number;
}

/** What one reranker did. */
export interface RerankRecord {
  reranker: string;
  /** The candidates among the best `watch` (before or after) whose score or rank it changed. */
  moves: RerankMove[];
}

/** The moves between two rankings, for candidates in the first `watch` places of either. */
export function movesBetween(
  before: readonly RankedPassage[],
  after: readonly RankedPassage[],
  watch: number,
): RerankMove[] {
  const was = new Map(before.map((r, i) => [r.passage.id, { rank: i + 1, score: r.score }]));
  const moves: RerankMove[] = [];
  const seen = new Set<string>();
  after.forEach((r, i) => {
    const old = was.get(r.passage.id);
    if (!old || (i >= watch && old.rank > watch)) return;
    seen.add(r.passage.id);
    if (old.rank !== i + 1 || old.score !== r.score)
      moves.push({ passageId: r.passage.id, from: old.rank, to: i + 1, before: old.score, after: r.score });
  });
  return moves.sort((a, b) => a.to - b.to);
}

/** Runs the rerankers in order, recording each one's moves among the best `watch` candidates. */
export function runRerankers(
  candidates: readonly RankedPassage[],
  rerankers: readonly Reranker[],
  context: RerankContext,
  watch = 10,
): { ranked: RankedPassage[]; records: RerankRecord[] } {
  let ranked = [...candidates];
  const records: RerankRecord[] = [];
  for (const reranker of rerankers) {
    const next = reranker.rerank(ranked, context);
    records.push({ reranker: reranker.name, moves: movesBetween(ranked, next, watch) });
    ranked = next;
  }
  return { ranked, records };
}

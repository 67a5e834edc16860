/**
 * Stage 4, rerank: an ordered list of rerankers, each `(candidates, context)
 * => candidates`, run after fusion in hybrid mode. Each one's effect on the
 * best candidates is recorded (which passage it moved, from where to where,
 * and by how much), for the answer's evidence and `ask --explain`.
 */
import type { Library } from '../../corpus/library.js';
import type { Passage, RankedPassage } from '../../types.js';
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
  /** A reading group's week (chapter ordinals of `docId`, inclusive): favoured by rerank/week.ts. */
  week?: { docId: string; from: number; to: number };
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

/**
 * The moves between two rankings, for candidates in the first `watch` places
 * of either. Candidates are matched by their passage object (rerankers keep
 * it) and only the first `watch` of each ranking are indexed, so recording
 * costs little next to the reranking itself (it runs on every answer).
 */
export function movesBetween(
  before: readonly RankedPassage[],
  after: readonly RankedPassage[],
  watch: number,
): RerankMove[] {
  interface Place {
    id: string;
    from?: number;
    before?: number;
    to?: number;
    after?: number;
  }
  const places = new Map<Passage, Place>();
  const place = (r: RankedPassage): Place => {
    let p = places.get(r.passage);
    if (!p) places.set(r.passage, (p = { id: r.passage.id }));
    return p;
  };
  for (let i = 0; i < Math.min(watch, before.length); i++)
    Object.assign(place(before[i]!), { from: i + 1, before: before[i]!.score });
  for (let i = 0; i < Math.min(watch, after.length); i++)
    Object.assign(place(after[i]!), { to: i + 1, after: after[i]!.score });
  // The other end of each watched candidate's move, found further down.
  let missing = [...places.values()].filter((p) => p.from === undefined || p.to === undefined).length;
  for (let i = watch; missing > 0 && i < Math.max(before.length, after.length); i++) {
    const old = i < before.length ? places.get(before[i]!.passage) : undefined;
    if (old && old.from === undefined) {
      Object.assign(old, { from: i + 1, before: before[i]!.score });
      missing--;
    }
    const now = i < after.length ? places.get(after[i]!.passage) : undefined;
    if (now && now.to === undefined) {
      Object.assign(now, { to: i + 1, after: after[i]!.score });
      missing--;
    }
  }
  const moves: RerankMove[] = [];
  for (const p of places.values()) {
    if (p.from === undefined || p.to === undefined) continue;
    if (p.from !== p.to || p.before !== p.after)
      moves.push({ passageId: p.id, from: p.from, to: p.to, before: p.before!, after: p.after! });
  }
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

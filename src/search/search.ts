import type hnswlib from 'hnswlib-node';
import type { LexicalHit, LexicalIndex } from '../index/lexical.js';
import type { IndexUnit } from '../index/units.js';
import type { OffTopicBaseline } from '../index/calibration.js';
import type { Library } from '../corpus/library.js';
import type { RankedPassage } from '../types.js';

/** Which retrievers contribute to a ranking; "dense" and "lexical" exist to measure the fusion's gain. */
export type RetrievalMode = 'hybrid' | 'dense' | 'lexical';

/** Options of {@link searchPassages}, with documented defaults in {@link DEFAULT_SEARCH_OPTIONS}. */
export interface SearchOptions {
  mode: RetrievalMode;
  /** Nearest units asked of HNSW per query. */
  denseCandidates: number;
  /** Best BM25 hits kept per unit kind; bounds the per-query work however common the query's words are. */
  lexicalCandidates: number;
  /** Weight of the dense similarity in the fused score; the lexical score gets the rest. */
  denseWeight: number;
  /**
   * Added to a passage's fused score in proportion to how early it comes in
   * its text (the first passage gets all of it, the last none), so that of
   * two passages that answer about equally, the one where the text first
   * tells it wins: an introduction ("who is Fedallah?"), a Wikipedia lead.
   * Measured (docs/evaluation.md): 0.01 moves the article's validation set
   * from 88% to 92% hit@1 and SQuAD's gold@1 from 74.1% to 74.4%, and nothing
   * else; 0.02 lost two SQuAD questions at hit@3.
   */
  earlierBonus: number;
  /**
   * Passages of fewer words than this lose `shortPenalty` of their fused
   * score: a line of dialogue ("Elijah.", "DAGGOO (_grimly_). None.") or a
   * book's list entry ("Ruskin, John, The King of the Golden River.") matches
   * a question's names with nothing around them to answer it, and BM25's
   * length normalisation ranks such lines high. Measured (docs/evaluation.md,
   * issue 9 third round): under 10 words the EPUB's hit@1 goes 34.3% → 37.1%
   * and nothing else moves; under 6 changes nothing; under 20 loses a
   * Moby-Dick validation question at hit@3. A penalty of 0.1 ranks the same.
   */
  shortWords: number;
  /** See `shortWords`. */
  shortPenalty: number;
  /**
   * Bonuses added to some passages' fused scores, by passage id, in hybrid
   * mode only; such a passage is scored even when neither retriever found it.
   * The first passages that mention a name, for "who is…?" (introduction.ts).
   */
  favoured?: ReadonlyMap<string, number>;
  /** Restrict results to one document. */
  docId?: string;
  /** Restrict results to chapters `from`…`to` (ordinals) of document `docId`. */
  chapters?: { docId: string; from: number; to: number };
}

/**
 * Defaults measured on the dev set and on a separately written validation set
 * (docs/evaluation.md). Dense cosines of this small model vary over a narrow
 * band while normalised BM25 spans [0, 1], so a dense weight of 0.3 already
 * lets meaning decide between passages with similar words; from 0.25 to 0.45
 * the two sets together score the same, and 0.3 is the middle of that plateau
 * that also meets the dev-set target.
 */
export const DEFAULT_SEARCH_OPTIONS: SearchOptions = {
  mode: 'hybrid',
  denseCandidates: 64,
  lexicalCandidates: 64,
  denseWeight: 0.3,
  earlierBonus: 0.01,
  shortWords: 10,
  shortPenalty: 0.05,
};

/** Whether a text has fewer than `limit` words, counting no further than that. */
function hasFewerWords(text: string, limit: number): boolean {
  let words = 0;
  for (const _ of text.matchAll(/\S+/gu)) if (++words >= limit) return false;
  return true;
}

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

/** Per-unit evidence kept for choosing the quote. */
export interface UnitScore {
  unit: IndexUnit;
  dense: number;
  lexical: number;
}

/** Ranked passages plus the evidence behind them. */
export interface SearchResult {
  ranked: RankedPassage[];
  /** Best dense similarity of any unit (before filtering by mode). */
  topDense: number;
  /** Best raw BM25 score of any unit. */
  topLexical: number;
  /** Every unit score seen, by passage id, for quote selection. */
  unitScores: Map<string, UnitScore[]>;
}

/** Ids of the passages in chapters `from`…`to` of a document. */
function chapterPassageIds(index: SearchIndex, range: { docId: string; from: number; to: number }): Set<string> {
  const ids = new Set<string>();
  for (const chapter of index.library.listChapters(range.docId)) {
    if (chapter.ordinal < range.from || chapter.ordinal > range.to) continue;
    for (let p = chapter.firstParagraph; p <= chapter.lastParagraph; p++) ids.add(`${range.docId}#${p}`);
  }
  return ids;
}

/** Cosine similarity of two unit vectors. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/**
 * Ranks passages for a question: dense nearest units from HNSW and BM25 hits
 * from the inverted index, each passage scored by its best unit (the passage
 * itself or one of its sentences), then fused by a weighted sum of the cosine
 * similarity and the BM25 score normalised to this query's best hit.
 * Cost grows with the number of candidates, not with the library.
 *
 * @example
 * const { ranked } = searchPassages(index, queryVector, 'Who signed the communiqué?');
 */
export function searchPassages(
  index: SearchIndex,
  queryVector: Float32Array,
  query: string,
  options: Partial<SearchOptions> = {},
): SearchResult {
  const opts = { ...DEFAULT_SEARCH_OPTIONS, ...options };
  const { units } = index;
  const inChapters = opts.chapters ? chapterPassageIds(index, opts.chapters) : undefined;
  const inDoc = inChapters
    ? (label: number) => inChapters.has(units[label]!.passageId)
    : opts.docId
      ? (label: number) => units[label]!.passageId.startsWith(`${opts.docId}#`)
      : undefined;

  const unitScores = new Map<string, UnitScore[]>();
  const byLabel = new Map<number, UnitScore>();
  const touch = (label: number): UnitScore => {
    let score = byLabel.get(label);
    if (!score) {
      const unit = units[label]!;
      score = { unit, dense: Number.NaN, lexical: 0 };
      byLabel.set(label, score);
      const list = unitScores.get(unit.passageId) ?? [];
      list.push(score);
      unitScores.set(unit.passageId, list);
    }
    return score;
  };

  const k = Math.min(opts.denseCandidates, index.dense.getCurrentCount());
  let topDense = 0;
  if (k > 0) {
    const found = index.dense.searchKnn(Array.from(queryVector), k, inDoc);
    found.neighbors.forEach((label, i) => {
      const similarity = 1 - found.distances[i]!;
      touch(label).dense = similarity;
      topDense = Math.max(topDense, similarity);
    });
  }

  const hits: LexicalHit[] = index.lexical.search(query, opts.lexicalCandidates, inDoc);
  const topLexical = hits.reduce((m, h) => Math.max(m, h.score), 0);
  for (const hit of hits) touch(hit.id).lexical = hit.normalised;

  // Favoured passages neither retriever found: every unit of theirs, with its own BM25 score.
  const favoured = opts.mode === 'hybrid' ? opts.favoured : undefined;
  if (favoured?.size) {
    const missing = new Set<number>();
    for (const passageId of favoured.keys()) {
      if (unitScores.has(passageId)) continue;
      for (const unit of index.unitsByPassage.get(passageId) ?? [])
        if (!inDoc || inDoc(unit.label)) missing.add(unit.label);
    }
    if (missing.size) {
      for (const label of missing) touch(label);
      for (const hit of index.lexical.search(query, Infinity, (id) => missing.has(id)))
        touch(hit.id).lexical = hit.normalised;
    }
  }

  // Units found only lexically still need a dense score: read their stored vectors back.
  const unscored = [...byLabel.values()].filter((score) => Number.isNaN(score.dense));
  index
    .vectors(unscored.map((score) => score.unit.label))
    .forEach((vector, i) => (unscored[i]!.dense = dot(vector, queryVector)));

  const ranked: RankedPassage[] = [];
  for (const [passageId, scores] of unitScores) {
    const passage = index.library.getPassageById(passageId);
    if (!passage) continue;
    // A header is ranked as a whole: its lines alone ("Victor Serge") would match any question naming the author.
    const ranking = passage.paragraph === 0 ? scores.filter((s) => s.unit.kind === 'passage') : scores;
    if (ranking.length === 0) continue;
    const dense = Math.max(...ranking.map((s) => s.dense));
    const lexical = Math.max(...ranking.map((s) => s.lexical));
    const position = 1 - passage.paragraph / Math.max(1, index.library.paragraphCount(passage.docId));
    const score =
      opts.mode === 'dense'
        ? dense
        : opts.mode === 'lexical'
          ? lexical
          : opts.denseWeight * dense +
            (1 - opts.denseWeight) * lexical +
            opts.earlierBonus * position -
            (opts.shortWords > 0 && hasFewerWords(passage.text, opts.shortWords) ? opts.shortPenalty : 0) +
            (favoured?.get(passageId) ?? 0);
    ranked.push({ passage, score, dense, lexical });
  }
  ranked.sort((a, b) => b.score - a.score || a.passage.paragraph - b.passage.paragraph);
  return { ranked, topDense, topLexical, unitScores };
}

/**
 * Stage 2, retrieve: the units (passages and sentences) near the question in
 * meaning (dense) and in words (lexical), each with both scores. Units found
 * by one retriever only get the other score too: a lexical-only unit's
 * stored vector is read back, a dense-only unit's lexical score is 0.
 */
import type { IndexUnit } from '../../index/units.js';
import type { RetrieveConfig } from '../config.js';
import { dot, type DenseRetriever } from './dense.js';
import type { RetrievalFilter } from './filter.js';
import type { LexicalRetriever } from './lexical.js';

/** Per-unit evidence: the stages after fusion (quote, answer type) read it again. */
export interface UnitScore {
  unit: IndexUnit;
  dense: number;
  lexical: number;
}

/** What retrieval found. */
export interface Retrieval {
  /** Every unit scored, by passage id. */
  unitScores: Map<string, UnitScore[]>;
  /** Best dense similarity of any unit the dense retriever returned. */
  topDense: number;
  /** Best raw BM25 score of any unit. */
  topLexical: number;
  /** How many units each retriever returned (for --explain). */
  found: { dense: number; lexical: number; seeded: number };
}

/** What a retrieval needs of the index. */
export interface RetrievalSources {
  units: readonly IndexUnit[];
  unitsByPassage: ReadonlyMap<string, readonly IndexUnit[]>;
  dense: DenseRetriever;
  lexical: LexicalRetriever;
}

/**
 * Retrieves candidates for a question. `seeds` are passages an earlier stage
 * wants scored whether or not a retriever finds them (the first mentions of a
 * name, for "who is…?"): every unit of theirs that the filter allows, with its
 * own BM25 score.
 */
export function retrieve(
  sources: RetrievalSources,
  vector: Float32Array,
  query: string,
  config: RetrieveConfig,
  filter: RetrievalFilter | undefined,
  seeds: Iterable<string> = [],
): Retrieval {
  const unitScores = new Map<string, UnitScore[]>();
  const byLabel = new Map<number, UnitScore>();
  const touch = (label: number): UnitScore => {
    let score = byLabel.get(label);
    if (!score) {
      const unit = sources.units[label]!;
      score = { unit, dense: Number.NaN, lexical: 0 };
      byLabel.set(label, score);
      const list = unitScores.get(unit.passageId) ?? [];
      list.push(score);
      unitScores.set(unit.passageId, list);
    }
    return score;
  };

  let topDense = 0;
  const dense = sources.dense.nearest(vector, config.denseCandidates, filter);
  for (const { label, similarity } of dense) {
    touch(label).dense = similarity;
    topDense = Math.max(topDense, similarity);
  }

  const hits = sources.lexical.search(query, config.lexicalCandidates, filter);
  const topLexical = hits.reduce((m, h) => Math.max(m, h.score), 0);
  for (const hit of hits) touch(hit.id).lexical = hit.normalised;

  const missing = new Set<number>();
  for (const passageId of seeds) {
    if (unitScores.has(passageId)) continue;
    for (const unit of sources.unitsByPassage.get(passageId) ?? [])
      if (!filter || filter.allowsUnit(unit.label)) missing.add(unit.label);
  }
  if (missing.size) {
    for (const label of missing) touch(label);
    for (const hit of sources.lexical.scoreUnits(query, missing)) touch(hit.id).lexical = hit.normalised;
  }

  // Units found only lexically still need a dense score: read their stored vectors back.
  const unscored = [...byLabel.values()].filter((score) => Number.isNaN(score.dense));
  sources.dense
    .vectors(unscored.map((score) => score.unit.label))
    .forEach((stored, i) => (unscored[i]!.dense = dot(stored, vector)));

  return {
    unitScores,
    topDense,
    topLexical,
    found: { dense: dense.length, lexical: hits.length, seeded: missing.size },
  };
}

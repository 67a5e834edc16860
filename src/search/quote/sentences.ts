/**
 * Each sentence of a passage scored against the question: dense similarity
 * and normalised BM25, weighted by `quote.denseWeight`. The answer-type
 * reranker and the quote read the same scores, computed once per passage.
 */
import type { Passage } from '../../types.js';
import { dot } from '../retrieve/dense.js';
import type { UnitScore } from '../retrieve/retrieve.js';
import type { IndexUnit } from '../../index/units.js';

/** What sentence scoring reads of the index: each passage's units and their stored vectors. */
export interface SentenceSources {
  unitsByPassage: ReadonlyMap<string, readonly IndexUnit[]>;
  vectors(labels: readonly number[]): ArrayLike<number>[];
}

/** Scores each sentence of a passage against the question: dense similarity and normalised BM25. */
export function scoreSentences(
  index: SentenceSources,
  passage: Passage,
  scores: readonly UnitScore[],
  queryVector: Float32Array,
  denseWeight: number,
): number[] {
  const byStart = new Map<number, UnitScore>();
  for (const s of scores) if (s.unit.kind === 'sentence') byStart.set(s.unit.start, s);
  const passageScore = scores.find((s) => s.unit.kind === 'passage');
  const own = index.unitsByPassage.get(passage.id) ?? [];
  const sentenceUnits = own.filter((u) => u.kind === 'sentence');
  const known = passage.sentences.map((span) =>
    passage.sentences.length === 1 ? passageScore : byStart.get(span.start),
  );
  // Sentences no retriever scored: their stored vectors are read in one go.
  const missing = passage.sentences.map((span, k) =>
    known[k]
      ? undefined
      : passage.sentences.length === 1
        ? own.find((u) => u.kind === 'passage')
        : sentenceUnits.find((u) => u.start === span.start),
  );
  const labels = missing.filter((u) => u !== undefined).map((u) => u.label);
  const vectors = new Map(index.vectors(labels).map((v, i) => [labels[i]!, v]));
  return passage.sentences.map((_, k) => {
    const score = known[k];
    if (score) return denseWeight * score.dense + (1 - denseWeight) * score.lexical;
    const vector = missing[k] ? vectors.get(missing[k].label) : undefined;
    return denseWeight * (vector ? dot(vector, queryVector) : 0);
  });
}

/** {@link scoreSentences} remembered per passage for one question. */
export function sentenceScorer(
  index: SentenceSources,
  unitScores: ReadonlyMap<string, readonly UnitScore[]>,
  queryVector: Float32Array,
  denseWeight: number,
): (passage: Passage) => readonly number[] {
  const cache = new Map<string, number[]>();
  return (passage) => {
    let scores = cache.get(passage.id);
    if (!scores) {
      scores = scoreSentences(index, passage, unitScores.get(passage.id) ?? [], queryVector, denseWeight);
      cache.set(passage.id, scores);
    }
    return scores;
  };
}

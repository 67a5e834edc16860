/**
 * Stage 3, fuse: one score per passage. A passage is scored by its best unit
 * (the passage itself or one of its sentences) on each retriever, and the two
 * are fused by a weighted sum of the cosine similarity and the BM25 score
 * normalised to this query's best hit (retrieve/lexical.ts). Cost grows with
 * the number of candidates, not with the library.
 */
import type { Library } from '../corpus/library.js';
import type { RankedPassage } from '../types.js';
import type { FuseConfig, RetrievalMode } from './config.js';
import type { UnitScore } from './retrieve/retrieve.js';

/** Best first; of two equal scores, the earlier paragraph. */
export function byScore(a: RankedPassage, b: RankedPassage): number {
  return b.score - a.score || a.passage.paragraph - b.passage.paragraph;
}

/** Fuses each passage's unit scores into one, best first. "dense" and "lexical" modes score by one retriever alone. */
export function fuse(
  library: Library,
  unitScores: ReadonlyMap<string, readonly UnitScore[]>,
  mode: RetrievalMode,
  config: FuseConfig,
): RankedPassage[] {
  const ranked: RankedPassage[] = [];
  for (const [passageId, scores] of unitScores) {
    const passage = library.getPassageById(passageId);
    if (!passage) continue;
    // A header is ranked as a whole: its lines alone ("Victor Serge") would match any question naming the author.
    const ranking = passage.paragraph === 0 ? scores.filter((s) => s.unit.kind === 'passage') : scores;
    if (ranking.length === 0) continue;
    const dense = Math.max(...ranking.map((s) => s.dense));
    const lexical = Math.max(...ranking.map((s) => s.lexical));
    const score =
      mode === 'dense'
        ? dense
        : mode === 'lexical'
          ? lexical
          : config.denseWeight * dense + (1 - config.denseWeight) * lexical;
    ranked.push({ passage, score, dense, lexical });
  }
  return ranked.sort(byScore);
}

/**
 * Rerankers that read only a passage's place and length: where the text
 * first tells something, and lines too short to answer. Their settings and
 * measurements are in config.ts (`rerank.earlierBonus`, `rerank.shortWords`).
 */
import type { RankedPassage } from '../../types.js';
import { byScore } from '../fuse.js';
import type { Reranker } from './reranker.js';

/** Whether a text has fewer than `limit` words, counting no further than that. */
export function hasFewerWords(text: string, limit: number): boolean {
  let words = 0;
  for (const _ of text.matchAll(/\S+/gu)) if (++words >= limit) return false;
  return true;
}

/** Adds `delta(candidate)` to each candidate's score (0 leaves it as it is) and sorts again. */
function adjust(candidates: readonly RankedPassage[], delta: (r: RankedPassage) => number): RankedPassage[] {
  return candidates
    .map((r) => {
      const d = delta(r);
      return d === 0 ? r : { ...r, score: r.score + d };
    })
    .sort(byScore);
}

/** Earlier passages gain up to `earlierBonus`: the first passage all of it, the last none. */
export const earlierPassages: Reranker = {
  name: 'earlier-passage',
  rerank: (candidates, { library, config }) =>
    config.earlierBonus === 0
      ? [...candidates]
      : adjust(
          candidates,
          (r) => config.earlierBonus * (1 - r.passage.paragraph / Math.max(1, library.paragraphCount(r.passage.docId))),
        ),
};

/** Passages of fewer than `shortWords` words lose `shortPenalty`. */
export const shortPassages: Reranker = {
  name: 'short-passage',
  rerank: (candidates, { config }) =>
    config.shortWords > 0
      ? adjust(candidates, (r) => (hasFewerWords(r.passage.text, config.shortWords) ? -config.shortPenalty : 0))
      : [...candidates],
};

/** The first passages that mention a name a "who is…?" question asks about gain their bonus (analyse/introduction.ts). */
export const firstMentions: Reranker = {
  name: 'first-mention',
  rerank: (candidates, { introduced }) =>
    introduced.size ? adjust(candidates, (r) => introduced.get(r.passage.id) ?? 0) : [...candidates],
};

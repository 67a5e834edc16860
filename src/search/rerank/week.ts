/**
 * A reading group's week: of two passages that answer about equally, the one
 * in this week's assignment is more likely what the group is asking about.
 * The weight and its measurement are in config.ts (`rerank.weekBonus`).
 */
import { byScore } from '../fuse.js';
import type { Reranker } from './reranker.js';

/** Passages in the reader's week (`RerankContext.week`) gain `weekBonus`. */
export const weekPassages: Reranker = {
  name: 'week',
  rerank: (candidates, { week, config }) => {
    if (!week || config.weekBonus === 0) return [...candidates];
    const inWeek = (chapter: number | undefined) => chapter !== undefined && chapter >= week.from && chapter <= week.to;
    return candidates
      .map((r) =>
        r.passage.docId === week.docId && inWeek(r.passage.chapter) ? { ...r, score: r.score + config.weekBonus } : r,
      )
      .sort(byScore);
  },
};

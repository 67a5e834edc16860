/**
 * Stage 4 of a build: what needs every vector in place. The off-topic
 * baseline probes the finished graph (calibration.ts); the BM25 index is built
 * over the units' search texts.
 */
import type hnswlib from 'hnswlib-node';
import type { CoreConfig } from '../../config.js';
import type { Embedder } from '../../embed/embedder.js';
import { measureOffTopicBaseline, type OffTopicBaseline } from '../calibration.js';
import { LexicalIndex } from '../lexical.js';
import type { UnitWithText } from '../units.js';

/** The searchable parts of a build besides the vector graph. */
export interface Assembled {
  lexical: LexicalIndex;
  /** Absent when the graph is empty (nothing to measure). */
  offTopic: OffTopicBaseline | undefined;
}

/** Measures the off-topic baseline on `dense` and builds BM25 over `units`. */
export async function assemble(
  units: readonly UnitWithText[],
  dense: hnswlib.HierarchicalNSW,
  embedder: Embedder,
  hnsw: Pick<CoreConfig['hnsw'], 'efSearch'>,
): Promise<Assembled> {
  const offTopic = await measureOffTopicBaseline(embedder, dense, hnsw.efSearch);
  const lexical = LexicalIndex.build(
    units.map((u) => ({ id: u.label, passageId: u.passageId, kind: u.kind, text: u.lexicalText ?? u.text })),
  );
  return { lexical, offTopic };
}

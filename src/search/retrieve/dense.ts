/**
 * The dense retriever: nearest units by cosine similarity. Today hnswlib in
 * process; docs/scaling.md sketches Qdrant and pgvector behind the same interface.
 */
import type hnswlib from 'hnswlib-node';
import type { RetrievalFilter } from './filter.js';

/** One unit found near the question. */
export interface DenseHit {
  label: number;
  /** Cosine similarity to the question vector. */
  similarity: number;
}

export interface DenseRetriever {
  /** The k units nearest to `vector` among those the filter allows (filtered during the search, so k come back when k exist). */
  nearest(vector: Float32Array, k: number, filter?: RetrievalFilter): DenseHit[];
  /** Stored vectors of some units, in order (fusion and quote scoring need units found only lexically). */
  vectors(labels: readonly number[]): ArrayLike<number>[];
}

/** Cosine similarity of two unit vectors. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** hnswlib's HNSW graph, with the vectors read back from the index file. */
export function hnswRetriever(
  graph: hnswlib.HierarchicalNSW,
  vectors: (labels: readonly number[]) => ArrayLike<number>[],
): DenseRetriever {
  return {
    nearest(vector, k, filter) {
      const count = Math.min(k, graph.getCurrentCount());
      if (count <= 0) return [];
      const found = graph.searchKnn(
        Array.from(vector),
        count,
        filter ? (label) => filter.allowsUnit(label) : undefined,
      );
      return found.neighbors.map((label, i) => ({ label, similarity: 1 - found.distances[i]! }));
    },
    vectors,
  };
}

import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { Rng } from './rng.js';
import { quantile } from './stats.js';

/**
 * How synthetic vectors are drawn.
 * - "uniform": uniform on the 384-d sphere. Every point is nearly orthogonal
 *   to every other, so "nearest" neighbours are barely nearer than the rest:
 *   the worst case for any graph index, unlike any text embedding.
 * - "lowrank": a random Gaussian in a random `rank`-dimensional subspace plus
 *   5 % isotropic noise, normalised. Its local intrinsic dimension (about 19
 *   at rank 24) matches that measured on MiniLM embeddings of 5,000 real
 *   English paragraphs (19.5; see bench/README.md), and its HNSW recall curve
 *   is slightly below theirs, so it is a conservative stand-in for a library.
 */
export type VectorKind = 'uniform' | 'lowrank';

export const LOWRANK_RANK = 24;
const LOWRANK_NOISE = 0.05;

/** Draws unit vectors of one kind; data and queries must come from the same source (same subspace). */
export class VectorSource {
  private readonly rng: Rng;
  private readonly basis: Float64Array[];

  constructor(
    readonly kind: VectorKind,
    readonly dim: number,
    seed: number,
  ) {
    this.rng = new Rng(seed);
    this.basis =
      kind === 'lowrank'
        ? Array.from({ length: LOWRANK_RANK }, () => Float64Array.from({ length: dim }, () => this.rng.gaussian()))
        : [];
  }

  /** Fills `out` with one unit vector. */
  private draw(out: Float32Array): void {
    const v = new Float64Array(this.dim);
    if (this.kind === 'uniform') {
      for (let i = 0; i < this.dim; i++) v[i] = this.rng.gaussian();
    } else {
      for (const w of this.basis) {
        const z = this.rng.gaussian();
        for (let i = 0; i < this.dim; i++) v[i]! += z * w[i]!;
      }
      const noise = LOWRANK_NOISE * Math.sqrt(this.basis.length);
      for (let i = 0; i < this.dim; i++) v[i]! += noise * this.rng.gaussian();
    }
    let norm = 0;
    for (let i = 0; i < this.dim; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm);
    for (let i = 0; i < this.dim; i++) out[i] = v[i]! / norm;
  }

  /** `count` vectors in one flat array (a JS array per vector would take twice the memory). */
  take(count: number): VectorSet {
    const data = new Float32Array(count * this.dim);
    for (let i = 0; i < count; i++) this.draw(data.subarray(i * this.dim, (i + 1) * this.dim));
    return new VectorSet(data, this.dim);
  }
}

/** Vectors stored flat; hnswlib-node wants a plain array per call, made on demand. */
export class VectorSet {
  constructor(
    readonly data: Float32Array,
    readonly dim: number,
  ) {}

  get size(): number {
    return this.data.length / this.dim;
  }

  get(i: number): number[] {
    return Array.from(this.data.subarray(i * this.dim, (i + 1) * this.dim));
  }
}

/** The exact k nearest distances of each query, by brute force (hnswlib's BruteforceSearch). */
export function exactNeighbours(
  points: VectorSet,
  queries: VectorSet,
  k: number,
): { kth: number[]; msPerQuery: number } {
  const exact = new hnswlib.BruteforceSearch('cosine', points.dim);
  exact.initIndex(points.size);
  for (let i = 0; i < points.size; i++) exact.addPoint(points.get(i), i);
  const kth: number[] = [];
  const start = performance.now();
  for (let q = 0; q < queries.size; q++) {
    const found = exact.searchKnn(queries.get(q), k);
    kth.push(Math.max(...found.distances));
  }
  return { kth, msPerQuery: (performance.now() - start) / queries.size };
}

export interface HnswParams {
  M: number;
  efConstruction: number;
}

/** Builds an HNSW index the way src/index/build/vectors.ts does (cosine space, seed 42, one addPoint per vector). */
export function buildHnsw(points: VectorSet, params: HnswParams): { index: hnswlib.HierarchicalNSW; ms: number } {
  const start = performance.now();
  const index = new hnswlib.HierarchicalNSW('cosine', points.dim);
  index.initIndex({ maxElements: points.size, m: params.M, efConstruction: params.efConstruction, randomSeed: 42 });
  for (let i = 0; i < points.size; i++) index.addPoint(points.get(i), i);
  return { index, ms: performance.now() - start };
}

export interface EfResult {
  efSearch: number;
  recallAt10: number;
  p50: number;
  p99: number;
  mean: number;
}

/**
 * Recall@10 and per-query latency at one efSearch. A result counts as a hit
 * when it is at most as far as the exact 10th neighbour, so ties between
 * equally distant points are not counted as misses.
 */
export function measureEf(
  index: hnswlib.HierarchicalNSW,
  queries: VectorSet,
  kth: readonly number[],
  efSearch: number,
): EfResult {
  index.setEf(efSearch);
  const times: number[] = [];
  let hits = 0;
  for (let q = 0; q < queries.size; q++) {
    const query = queries.get(q);
    const start = performance.now();
    const found = index.searchKnn(query, 10);
    times.push(performance.now() - start);
    hits += found.distances.filter((d) => d <= kth[q]! + 1e-6).length;
  }
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  return {
    efSearch,
    recallAt10: hits / (10 * queries.size),
    p50: quantile(times, 0.5),
    p99: quantile(times, 0.99),
    mean,
  };
}

/** Size in bytes of the index as written to disk. */
export async function indexFileSize(index: hnswlib.HierarchicalNSW, dir: string): Promise<number> {
  const file = path.join(dir, `vectors-${process.pid}.hnsw`);
  index.writeIndexSync(file);
  const { size } = await stat(file);
  await rm(file, { force: true });
  return size;
}

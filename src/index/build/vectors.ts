/**
 * Stage 3 of a build: a vector for every unit, from the cheapest source that
 * has it, in this order:
 * 1. reuse: the previous builds whose vectors fit this build (fingerprint.ts),
 *    for units whose text is unchanged;
 * 2. checkpoint: what a stopped build of the same setup had already computed;
 * 3. embed: the model reads the rest, and each chunk of its output is
 *    appended to the checkpoint as it comes, so a stopped build is resumed.
 * Vectors go into the HNSW graph as they come: neither the vectors nor the
 * model's tensors of the whole book are ever held at once.
 */
import hnswlib from 'hnswlib-node';
import type { HnswConfig } from '../../config.js';
import type { Embedder } from '../../embed/embedder.js';
import type { EmbeddingJob, UnitWithText } from '../units.js';
import { VectorCheckpoint } from './checkpoint.js';
import { checkpointKey, vectorsFit, type IndexFingerprint } from './fingerprint.js';
import type { BuildPlan } from './plan.js';
import type { PreviousBuild } from './previous.js';
import type { BuildEvent } from './types.js';

/** The graph being filled, with which unit hashes still lack a vector. Units with the same hash share one vector. */
class VectorGraph {
  readonly dense: hnswlib.HierarchicalNSW;
  private readonly labelsByHash = new Map<string, number[]>();
  private readonly added = new Set<string>();

  constructor(units: readonly UnitWithText[], dimension: number, hnsw: Pick<HnswConfig, 'M' | 'efConstruction'>) {
    this.dense = new hnswlib.HierarchicalNSW('cosine', dimension);
    this.dense.initIndex({
      maxElements: Math.max(units.length, 1),
      m: hnsw.M,
      efConstruction: hnsw.efConstruction,
      randomSeed: 42,
    });
    for (const unit of units) {
      const labels = this.labelsByHash.get(unit.hash);
      if (labels) labels.push(unit.label);
      else this.labelsByHash.set(unit.hash, [unit.label]);
    }
  }

  /** True when some unit has this hash and its vector is not in the graph yet. */
  needs(hash: string): boolean {
    return this.labelsByHash.has(hash) && !this.added.has(hash);
  }

  /** True when the vector of this hash is in the graph. */
  has(hash: string): boolean {
    return this.added.has(hash);
  }

  /** The unit hashes of this build, in the order of their first unit. */
  hashes(): IterableIterator<string> {
    return this.labelsByHash.keys();
  }

  /** Adds `vector` for every unit with this hash, once; returns how many units it filled. */
  add(hash: string, vector: number[]): number {
    if (this.added.has(hash)) return 0;
    this.added.add(hash);
    const labels = this.labelsByHash.get(hash)!;
    for (const label of labels) this.dense.addPoint(vector, label);
    return labels.length;
  }

  /** How many unit hashes still lack a vector. */
  get missing(): number {
    return this.labelsByHash.size - this.added.size;
  }
}

/** Step 1: vectors of unchanged units from previous builds that used the same model and way of embedding. */
async function reuse(
  graph: VectorGraph,
  previous: readonly PreviousBuild[],
  fingerprint: IndexFingerprint,
  dimension: number,
): Promise<number> {
  let reused = 0;
  for (const build of previous) {
    if (!vectorsFit(fingerprint, build.manifest, dimension)) continue;
    // Leased while read: a build in another process must not remove it meanwhile.
    const old = await build.open({ lease: true });
    // A damaged previous index only means everything is embedded again.
    if (!old) continue;
    try {
      for (const unit of old.units) {
        if (graph.needs(unit.hash)) reused += graph.add(unit.hash, old.dense.getPoint(unit.label));
      }
    } catch {
      // As damaged: what was read is kept, the rest is embedded.
    } finally {
      await old.close().catch(() => undefined);
    }
  }
  return reused;
}

/** Step 2: vectors a stopped build of this same setup had already computed. */
function resume(graph: VectorGraph, checkpoint: VectorCheckpoint): number {
  let reused = 0;
  if (checkpoint.size === 0) return reused;
  for (const hash of graph.hashes()) {
    const vector = checkpoint.get(hash);
    if (vector && !graph.has(hash)) reused += graph.add(hash, vector);
  }
  return reused;
}

/** Step 3: the model reads what is still missing, identical jobs once; returns units embedded and word pieces read. */
async function embed(
  graph: VectorGraph,
  plan: BuildPlan,
  embedder: Embedder,
  checkpoint: VectorCheckpoint,
  fingerprint: IndexFingerprint,
  options: { signal?: AbortSignal; onEvent?: (event: BuildEvent) => void },
): Promise<{ embedded: number; tokens: number }> {
  const { units } = plan;
  const seen = new Set<string>();
  const todo: EmbeddingJob[] = plan.jobs.filter((job) => {
    const key = `${units[job.labels[0]!]!.hash}|${job.input.segmentVectors}`;
    if (seen.has(key) || job.labels.every((l) => graph.has(units[l]!.hash))) return false;
    seen.add(key);
    return true;
  });
  const lastJobOfPassage = new Map<number, number>();
  todo.forEach((job, i) => lastJobOfPassage.set(job.passage, i));
  const total = lastJobOfPassage.size;
  let done = 0;
  let embedded = 0;
  let tokens = 0;
  if (total > 0) options.onEvent?.({ stage: 'embedding', done: 0, total, units: 0, tokens: 0 });
  const inputs = todo.map((job) => ({ ...job.input, prefix: fingerprint.model.passagePrefix + job.input.prefix }));
  let pending: [string, Float32Array][] = [];
  for await (const result of embedder.embedSegmented(inputs, {
    signal: options.signal,
    onChunk: (progress) => {
      checkpoint.append(pending);
      pending = [];
      tokens = progress.tokens;
      options.onEvent?.({ stage: 'embedding', done, total, units: embedded, tokens });
    },
  })) {
    const job = todo[result.index]!;
    const keep = (hash: string, vector: Float32Array) => {
      pending.push([hash, vector]);
      return graph.add(hash, Array.from(vector));
    };
    embedded += keep(units[job.labels[0]!]!.hash, result.whole);
    job.labels.slice(1).forEach((label, k) => {
      embedded += keep(units[label]!.hash, result.segments[k]!);
    });
    if (lastJobOfPassage.get(job.passage) === result.index) done++;
  }
  return { embedded, tokens };
}

/** The filled graph, and where its vectors came from. */
export interface BuildVectors {
  dense: hnswlib.HierarchicalNSW;
  /** Units whose vectors came from a previous build or the checkpoint. */
  reused: number;
  /** Word pieces fed to the model. */
  tokens: number;
  /** The stopped-build file, to remove once the index is written. */
  checkpoint: VectorCheckpoint;
}

/**
 * Fills an HNSW graph with a vector for every unit of `plan`: reuse, then
 * checkpoint, then embed. Throws if `signal` aborts; the checkpoint keeps
 * what was embedded.
 */
export async function collectVectors(
  plan: BuildPlan,
  context: {
    fingerprint: IndexFingerprint;
    previous: readonly PreviousBuild[];
    embedder: Embedder;
    /** Where the checkpoint lives: the index folder. */
    indexDir: string;
    signal?: AbortSignal;
    onEvent?: (event: BuildEvent) => void;
  },
): Promise<BuildVectors> {
  const { fingerprint, embedder } = context;
  const graph = new VectorGraph(plan.units, embedder.dimension, fingerprint.hnsw);
  let reused = await reuse(graph, context.previous, fingerprint, embedder.dimension);
  const checkpoint = await VectorCheckpoint.open(
    context.indexDir,
    checkpointKey(fingerprint, embedder.dimension),
    embedder.dimension,
  );
  reused += resume(graph, checkpoint);
  const { tokens } = await embed(graph, plan, embedder, checkpoint, fingerprint, context);
  if (graph.missing !== 0) throw new Error(`internal: ${graph.missing} units got no vector`);
  context.signal?.throwIfAborted();
  return { dense: graph.dense, reused, tokens, checkpoint };
}

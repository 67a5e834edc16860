import { createHash } from 'node:crypto';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import type { CoreConfig } from '../config.js';
import { listTextFiles, loadLibrary, readTextFile } from '../corpus/library.js';
import { Embedder } from '../embed/embedder.js';
import { measureOffTopicBaseline } from './calibration.js';
import { VectorCheckpoint } from './checkpoint.js';
import { LexicalIndex } from './lexical.js';
import { INDEX_FORMAT, loadIndex, readManifest, writeIndex, type Manifest } from './store.js';
import {
  CHUNKING_VERSION,
  planEmbedding,
  SENTENCE_VECTORS,
  type EmbeddingJob,
  type SentenceVectors,
  type UnitWithText,
} from './units.js';

/** Progress events of a build, for a progress bar or plain log lines. */
export type BuildEvent =
  | { stage: 'parsed'; documents: number; passages: number; units: number }
  /** A file left out: `reason` is one line naming it. */
  | { stage: 'skipped'; file: string; reason: string }
  /**
   * After each chunk of the embedding stream. `done`/`total` count passages
   * (paragraphs) that need the model, i.e. not reused from the previous
   * index; `units` the search units whose vectors those gave; `tokens` the
   * word pieces fed to the model so far.
   */
  | { stage: 'embedding'; done: number; total: number; units: number; tokens: number }
  | { stage: 'indexing'; units: number }
  | { stage: 'written'; manifest: Manifest };

export interface BuildOptions {
  /** Rebuild even when the index is current. */
  force?: boolean;
  /** A loaded embedder to reuse (the bot passes its own). */
  embedder?: Embedder;
  onEvent?: (event: BuildEvent) => void;
  /** Fail on the first bad file instead of skipping it (`npm run embed -- --strict`, for CI). */
  strict?: boolean;
  /** Stops the build between batches; the previous index is left as it was. */
  signal?: AbortSignal;
  /** How sentence vectors are made; default {@link SENTENCE_VECTORS} (the bench measures both). */
  sentenceVectors?: SentenceVectors;
}

export interface BuildResult {
  manifest: Manifest;
  /** The folder that holds `manifest`: `config.indexDir`, or the bundled index when it is current and nothing had to be written. */
  indexDir: string;
  /** True when nothing had to be done. */
  upToDate: boolean;
  /** Units whose vectors were computed by this build. */
  embedded: number;
  /** Units whose vectors were taken from the previous index or from a stopped build's checkpoint. */
  reused: number;
  /** Word pieces fed to the model. */
  tokens: number;
}

/** The id of a build: a hash of everything that determines its content. */
function computeBuildId(
  config: CoreConfig,
  documents: { file: string; hash: string }[],
  units: UnitWithText[],
  skipped: { file: string; hash: string }[] = [],
): string {
  const hash = createHash('sha256').update(
    JSON.stringify({
      format: INDEX_FORMAT,
      chunking: CHUNKING_VERSION,
      model: [config.model.id, config.model.dtype, config.model.queryPrefix, config.model.passagePrefix],
      hnsw: [config.hnsw.M, config.hnsw.efConstruction],
      documents: documents.map((d) => [d.file, d.hash]),
      skipped: skipped.map((d) => [d.file, d.hash]),
    }),
  );
  // The units themselves, so any change in how texts are cut or described gives a new build.
  for (const unit of units)
    hash.update(`${unit.passageId}|${unit.kind}|${unit.start}|${unit.end}|${unit.hash}|${unit.lexicalText ?? ''}\n`);
  return hash.digest('hex').slice(0, 12);
}

/** Why an index does not match the texts and model it would be used with; empty when it does. */
export async function staleReasons(config: CoreConfig, manifest: Manifest): Promise<string[]> {
  const reasons: string[] = [];
  if (manifest.model.id !== config.model.id || manifest.model.dtype !== config.model.dtype) {
    reasons.push(
      `it was built with ${manifest.model.id} (${manifest.model.dtype}), but ${config.model.id} (${config.model.dtype}) is configured`,
    );
  }
  if (
    manifest.model.queryPrefix !== config.model.queryPrefix ||
    manifest.model.passagePrefix !== config.model.passagePrefix
  ) {
    reasons.push('the model prefixes changed');
  }
  if (manifest.hnsw.M !== config.hnsw.M || manifest.hnsw.efConstruction !== config.hnsw.efConstruction) {
    // Rebuilt from the stored vectors: only the graph is built again.
    reasons.push(
      `its vector graph was built with M ${manifest.hnsw.M}, efConstruction ${manifest.hnsw.efConstruction}, but M ${config.hnsw.M}, efConstruction ${config.hnsw.efConstruction} is configured`,
    );
  }
  if (manifest.chunking !== CHUNKING_VERSION) reasons.push('it was cut into passages by an older version of Lectern');
  // Rebuilt from the stored vectors: nothing is embedded again but the probes.
  else if (!manifest.calibration)
    reasons.push('it was built by an older version of Lectern, without off-topic calibration');
  const files = await listTextFiles(config.textsDir);
  // Skipped files count as known: a bad file is reported when it is added or changed, not on every start.
  const indexed = new Map([...manifest.documents, ...manifest.skipped].map((d) => [d.file, d.hash]));
  const skipped = new Set(manifest.skipped.map((d) => d.file));
  for (const file of files) {
    // An unreadable entry (e.g. a directory named x.txt) has hash "", as the build recorded it.
    const hash = await readTextFile(config.textsDir, file).then(
      (r) => r.hash,
      () => '',
    );
    if (!indexed.has(file)) reasons.push(`${file} is new`);
    else if (indexed.get(file) !== hash) reasons.push(`${file} changed`);
    indexed.delete(file);
  }
  for (const file of indexed.keys()) if (!skipped.has(file)) reasons.push(`${file} was removed`);
  return reasons;
}

/** Where the index to serve lives, and why it does not fit the texts and model (empty when it does). */
export interface IndexLocation {
  /** The folder holding `manifest`: `config.indexDir`, or `config.bundledIndexDir`. */
  indexDir: string;
  manifest: Manifest | null;
  reasons: string[];
  /** True for the committed bundled index, which is read-only: never written, never leased. */
  bundled: boolean;
}

/** The bundled index folder, unless it is the index folder itself (then it is simply the index, and writable). */
function bundledDir(config: CoreConfig): string | undefined {
  const dir = config.bundledIndexDir;
  return dir && path.resolve(dir) !== path.resolve(config.indexDir) ? dir : undefined;
}

/**
 * Finds the index to serve. A build in `config.indexDir` that fits the texts
 * and model comes first; else the committed bundled index when it fits (a
 * fresh clone answers at once without writing anything); else whichever
 * exists, stale, for a caller that serves it while rebuilding (the user's own
 * before the bundled one); else no index. Throws when the index folder's
 * manifest is unreadable and the bundled index does not fit.
 */
export async function locateIndex(config: CoreConfig): Promise<IndexLocation> {
  let own: Manifest | null = null;
  let ownError: unknown;
  try {
    own = await readManifest(config.indexDir);
  } catch (error) {
    ownError = error;
  }
  const ownReasons = own ? await staleReasons(config, own) : [];
  if (own && ownReasons.length === 0) return { indexDir: config.indexDir, manifest: own, reasons: [], bundled: false };
  const bundledIndexDir = bundledDir(config);
  if (bundledIndexDir) {
    const bundled = await readManifest(bundledIndexDir).catch(() => null);
    const reasons = bundled ? await staleReasons(config, bundled) : [];
    if (bundled && (reasons.length === 0 || (!own && ownError === undefined)))
      return { indexDir: bundledIndexDir, manifest: bundled, reasons, bundled: true };
  }
  if (ownError !== undefined) throw ownError;
  return own
    ? { indexDir: config.indexDir, manifest: own, reasons: ownReasons, bundled: false }
    : { indexDir: config.indexDir, manifest: null, reasons: ['there is no index yet'], bundled: false };
}

/**
 * Builds the index for `config.textsDir` into `config.indexDir`: parse texts,
 * cut units, embed what is new (vectors of unchanged text are taken from the
 * previous index, or from the bundled one), build HNSW and BM25, write
 * atomically. A failure at any step leaves the previous index in place.
 * Nothing is ever written to `config.bundledIndexDir`; when it is current and
 * the index folder holds no build, there is nothing to do.
 *
 * @example
 * const { manifest } = await buildIndex(loadCoreConfig());
 */
export async function buildIndex(config: CoreConfig, options: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  const library = await loadLibrary(config.textsDir, {
    strict: options.strict,
    onSkip: (s) => options.onEvent?.({ stage: 'skipped', file: s.file, reason: s.reason }),
  });
  const skipped = library.skipped.map(({ file, hash, reason }) => ({ file, hash, reason }));
  const plan = planEmbedding(library, { sentenceVectors: options.sentenceVectors ?? SENTENCE_VECTORS });
  const { units } = plan;
  const documents = library.documents.map((d) => ({
    id: d.id,
    file: d.file,
    hash: d.hash,
    paragraphs: library.paragraphCount(d.id),
    chapters: d.chapters.length,
    words: d.wordCount,
  }));
  const passages = plan.passages;
  options.onEvent?.({ stage: 'parsed', documents: documents.length, passages, units: units.length });

  const buildId = computeBuildId(config, documents, units, skipped);
  // Earlier builds, the index folder's own first: the current one ends the build at once, and all give their vectors.
  const previousBuilds: { indexDir: string; manifest: Manifest }[] = [];
  for (const indexDir of [config.indexDir, bundledDir(config)]) {
    const manifest = indexDir ? await readManifest(indexDir).catch(() => null) : null;
    if (indexDir && manifest) previousBuilds.push({ indexDir, manifest });
  }
  for (const { indexDir, manifest } of previousBuilds) {
    // The bundled index counts as current only when the index folder has no build: else that build is what is served, and must be replaced.
    if (indexDir !== config.indexDir && previousBuilds[0]!.indexDir === config.indexDir) break;
    if (!options.force && manifest.buildId === buildId && (await staleReasons(config, manifest)).length === 0) {
      try {
        await (await loadIndex(indexDir, manifest)).close();
        return { manifest, indexDir, upToDate: true, embedded: 0, reused: 0, tokens: 0 };
      } catch {
        // The current index is damaged: fall through and rebuild it.
      }
    }
  }

  const embedder = options.embedder ?? (await Embedder.load(config.model));
  try {
    // Vectors go into HNSW as they come: neither the vectors nor the model's tensors of the whole book are ever held at once.
    const dense = new hnswlib.HierarchicalNSW('cosine', embedder.dimension);
    dense.initIndex({
      maxElements: Math.max(units.length, 1),
      m: config.hnsw.M,
      efConstruction: config.hnsw.efConstruction,
      randomSeed: 42,
    });
    const labelsByHash = new Map<string, number[]>();
    for (const unit of units) {
      const labels = labelsByHash.get(unit.hash);
      if (labels) labels.push(unit.label);
      else labelsByHash.set(unit.hash, [unit.label]);
    }
    const added = new Set<string>();
    const addVector = (hash: string, vector: number[]): number => {
      if (added.has(hash)) return 0;
      added.add(hash);
      const labels = labelsByHash.get(hash)!;
      for (const label of labels) dense.addPoint(vector, label);
      return labels.length;
    };

    // Vectors of unchanged units, from the previous builds that used the same model and the same way of embedding.
    let reused = 0;
    for (const { indexDir, manifest: previous } of previousBuilds) {
      if (
        previous.chunking !== CHUNKING_VERSION ||
        previous.model.id !== config.model.id ||
        previous.model.dtype !== config.model.dtype ||
        previous.model.dimension !== embedder.dimension ||
        previous.model.passagePrefix !== config.model.passagePrefix
      )
        continue;
      try {
        // Leased while read: a build in another process must not remove it meanwhile.
        const old = await loadIndex(indexDir, previous, { lease: indexDir === config.indexDir });
        try {
          for (const unit of old.units) {
            if (labelsByHash.has(unit.hash) && !added.has(unit.hash))
              reused += addVector(unit.hash, old.dense.getPoint(unit.label));
          }
        } finally {
          await old.close();
        }
      } catch {
        // A damaged previous index only means everything is embedded again.
      }
    }

    // Vectors a stopped build of this same setup had already computed.
    const sentenceVectors = options.sentenceVectors ?? SENTENCE_VECTORS;
    const checkpointKey = createHash('sha256')
      .update(
        JSON.stringify([
          config.model.id,
          config.model.dtype,
          config.model.passagePrefix,
          embedder.dimension,
          CHUNKING_VERSION,
          sentenceVectors,
        ]),
      )
      .digest('hex')
      .slice(0, 12);
    const checkpoint = await VectorCheckpoint.open(config.indexDir, checkpointKey, embedder.dimension);
    if (checkpoint.size > 0) {
      for (const hash of labelsByHash.keys()) {
        const vector = checkpoint.get(hash);
        if (vector && !added.has(hash)) reused += addVector(hash, vector);
      }
    }

    // What the model must read: jobs with a unit still missing, identical jobs once.
    const seen = new Set<string>();
    const todo: EmbeddingJob[] = plan.jobs.filter((job) => {
      const key = `${units[job.labels[0]!]!.hash}|${job.input.segmentVectors}`;
      if (seen.has(key) || job.labels.every((l) => added.has(units[l]!.hash))) return false;
      seen.add(key);
      return true;
    });
    const lastJobOfPassage = new Map<number, number>();
    todo.forEach((job, i) => lastJobOfPassage.set(job.passage, i));
    const total = lastJobOfPassage.size;
    let done = 0;
    let embeddedUnits = 0;
    let tokens = 0;
    if (total > 0) options.onEvent?.({ stage: 'embedding', done: 0, total, units: 0, tokens: 0 });
    const inputs = todo.map((job) => ({ ...job.input, prefix: config.model.passagePrefix + job.input.prefix }));
    let pending: [string, Float32Array][] = [];
    for await (const result of embedder.embedSegmented(inputs, {
      signal: options.signal,
      onChunk: (progress) => {
        checkpoint.append(pending);
        pending = [];
        tokens = progress.tokens;
        options.onEvent?.({ stage: 'embedding', done, total, units: embeddedUnits, tokens });
      },
    })) {
      const job = todo[result.index]!;
      const keep = (hash: string, vector: Float32Array) => {
        pending.push([hash, vector]);
        return addVector(hash, Array.from(vector));
      };
      embeddedUnits += keep(units[job.labels[0]!]!.hash, result.whole);
      job.labels.slice(1).forEach((label, k) => {
        embeddedUnits += keep(units[label]!.hash, result.segments[k]!);
      });
      if (lastJobOfPassage.get(job.passage) === result.index) done++;
    }
    if (added.size !== labelsByHash.size)
      throw new Error(`internal: ${labelsByHash.size - added.size} units got no vector`);
    options.signal?.throwIfAborted();

    options.onEvent?.({ stage: 'indexing', units: units.length });
    const offTopic = await measureOffTopicBaseline(embedder, dense, config.hnsw.efSearch);
    const lexical = LexicalIndex.build(
      units.map((u) => ({ id: u.label, passageId: u.passageId, kind: u.kind, text: u.lexicalText ?? u.text })),
    );

    const manifest = await writeIndex(config.indexDir, {
      manifest: {
        format: INDEX_FORMAT,
        buildId,
        builtAt: new Date().toISOString(),
        buildMs: Math.round(performance.now() - started),
        model: {
          id: config.model.id,
          dtype: config.model.dtype,
          dimension: embedder.dimension,
          queryPrefix: config.model.queryPrefix,
          passagePrefix: config.model.passagePrefix,
        },
        chunking: CHUNKING_VERSION,
        hnsw: {
          space: 'cosine',
          M: config.hnsw.M,
          efConstruction: config.hnsw.efConstruction,
          efSearch: config.hnsw.efSearch,
        },
        documents,
        skipped,
        counts: { documents: documents.length, passages, units: units.length, embedded: units.length - reused, reused },
        ...(offTopic ? { calibration: { offTopic } } : {}),
      },
      documents: [...library.documents],
      units: units.map(({ text: _text, lexicalText: _lexical, ...unit }) => unit),
      dense,
      lexical,
    });
    checkpoint.remove();
    options.onEvent?.({ stage: 'written', manifest });
    return { manifest, indexDir: config.indexDir, upToDate: false, embedded: units.length - reused, reused, tokens };
  } finally {
    if (!options.embedder) await embedder.dispose();
  }
}

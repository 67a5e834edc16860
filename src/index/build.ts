import { createHash } from 'node:crypto';
import hnswlib from 'hnswlib-node';
import type { CoreConfig } from '../config.js';
import { listTextFiles, loadLibrary, readTextFile } from '../corpus/library.js';
import { Embedder } from '../embed/embedder.js';
import { LexicalIndex } from './lexical.js';
import { INDEX_FORMAT, loadIndex, readManifest, writeIndex, type Manifest } from './store.js';
import { buildUnits, CHUNKING_VERSION, type UnitWithText } from './units.js';

/** Progress events of a build, for a progress bar or plain log lines. */
export type BuildEvent =
  | { stage: 'parsed'; documents: number; passages: number; units: number }
  /** A file left out: `reason` is one line naming it. */
  | { stage: 'skipped'; file: string; reason: string }
  | { stage: 'embedding'; done: number; total: number }
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
}

export interface BuildResult {
  manifest: Manifest;
  /** True when nothing had to be done. */
  upToDate: boolean;
  embedded: number;
  reused: number;
}

/** The id of a build: a hash of everything that determines its content. */
function computeBuildId(config: CoreConfig, documents: { file: string; hash: string }[], units: UnitWithText[], skipped: { file: string; hash: string }[] = []): string {
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
  for (const unit of units) hash.update(`${unit.passageId}|${unit.kind}|${unit.start}|${unit.end}|${unit.hash}|${unit.lexicalText ?? ''}\n`);
  return hash.digest('hex').slice(0, 12);
}

/** Why an index does not match the texts and model it would be used with; empty when it does. */
export async function staleReasons(config: CoreConfig, manifest: Manifest): Promise<string[]> {
  const reasons: string[] = [];
  if (manifest.model.id !== config.model.id || manifest.model.dtype !== config.model.dtype) {
    reasons.push(`it was built with ${manifest.model.id} (${manifest.model.dtype}), but ${config.model.id} (${config.model.dtype}) is configured`);
  }
  if (manifest.model.queryPrefix !== config.model.queryPrefix || manifest.model.passagePrefix !== config.model.passagePrefix) {
    reasons.push('the model prefixes changed');
  }
  if (manifest.chunking !== CHUNKING_VERSION) reasons.push('it was cut into passages by an older version of Lectern');
  const files = await listTextFiles(config.textsDir);
  // Skipped files count as known: a bad file is reported when it is added or changed, not on every start.
  const indexed = new Map([...manifest.documents, ...manifest.skipped].map((d) => [d.file, d.hash]));
  const skipped = new Set(manifest.skipped.map((d) => d.file));
  for (const file of files) {
    // An unreadable entry (e.g. a directory named x.txt) has hash "", as the build recorded it.
    const hash = await readTextFile(config.textsDir, file).then((r) => r.hash, () => '');
    if (!indexed.has(file)) reasons.push(`${file} is new`);
    else if (indexed.get(file) !== hash) reasons.push(`${file} changed`);
    indexed.delete(file);
  }
  for (const file of indexed.keys()) if (!skipped.has(file)) reasons.push(`${file} was removed`);
  return reasons;
}

/**
 * Builds the index for `config.textsDir` into `config.indexDir`: parse texts,
 * cut units, embed what is new (vectors of unchanged text are taken from the
 * previous index), build HNSW and BM25, write atomically.
 * A failure at any step leaves the previous index in place.
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
  const units = buildUnits(library);
  const documents = library.documents.map((d) => ({ id: d.id, file: d.file, hash: d.hash, paragraphs: library.paragraphCount(d.id), chapters: d.chapters.length, words: d.wordCount }));
  const passages = library.documents.reduce((n, d) => n + d.passages.length, 0);
  options.onEvent?.({ stage: 'parsed', documents: documents.length, passages, units: units.length });

  const buildId = computeBuildId(config, documents, units, skipped);
  const previous = await readManifest(config.indexDir).catch(() => null);
  if (!options.force && previous?.buildId === buildId && (await staleReasons(config, previous)).length === 0) {
    try {
      await loadIndex(config.indexDir, previous);
      return { manifest: previous, upToDate: true, embedded: 0, reused: 0 };
    } catch {
      // The current index is damaged: fall through and rebuild it.
    }
  }

  const embedder = options.embedder ?? (await Embedder.load(config.model));
  try {
    // Vectors of unchanged text, from the previous index when it used the same model.
    const known = new Map<string, number[]>();
    if (previous && previous.model.id === config.model.id && previous.model.dtype === config.model.dtype && previous.model.dimension === embedder.dimension && previous.model.passagePrefix === config.model.passagePrefix) {
      try {
        const old = await loadIndex(config.indexDir, previous);
        for (const unit of old.units) known.set(unit.hash, old.dense.getPoint(unit.label));
      } catch {
        // A damaged previous index only means everything is embedded again.
      }
    }
    const missing = [...new Map(units.filter((u) => !known.has(u.hash)).map((u) => [u.hash, u.text])).entries()];
    const vectors = await embedder.embedPassages(
      missing.map(([, text]) => text),
      { onProgress: (done, total) => options.onEvent?.({ stage: 'embedding', done, total }) },
    );
    missing.forEach(([hash], i) => known.set(hash, Array.from(vectors[i]!)));

    options.onEvent?.({ stage: 'indexing', units: units.length });
    const dense = new hnswlib.HierarchicalNSW('cosine', embedder.dimension);
    dense.initIndex({ maxElements: Math.max(units.length, 1), m: config.hnsw.M, efConstruction: config.hnsw.efConstruction, randomSeed: 42 });
    for (const unit of units) dense.addPoint(known.get(unit.hash)!, unit.label);
    const lexical = LexicalIndex.build(units.map((u) => ({ id: u.label, passageId: u.passageId, kind: u.kind, text: u.lexicalText ?? u.text })));

    const manifest = await writeIndex(config.indexDir, {
      manifest: {
        format: INDEX_FORMAT,
        buildId,
        builtAt: new Date().toISOString(),
        buildMs: Math.round(performance.now() - started),
        model: { id: config.model.id, dtype: config.model.dtype, dimension: embedder.dimension, queryPrefix: config.model.queryPrefix, passagePrefix: config.model.passagePrefix },
        chunking: CHUNKING_VERSION,
        hnsw: { space: 'cosine', M: config.hnsw.M, efConstruction: config.hnsw.efConstruction, efSearch: config.hnsw.efSearch },
        documents,
        skipped,
        counts: { documents: documents.length, passages, units: units.length, embedded: missing.length, reused: units.length - missing.length },
      },
      documents: [...library.documents],
      units: units.map(({ text: _text, lexicalText: _lexical, ...unit }) => unit),
      dense,
      lexical,
    });
    options.onEvent?.({ stage: 'written', manifest });
    return { manifest, upToDate: false, embedded: missing.length, reused: units.length - missing.length };
  } finally {
    if (!options.embedder) await embedder.dispose();
  }
}

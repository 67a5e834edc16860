/**
 * Building the index: the driver of the stages in ./build/, each a module
 * with one job:
 *
 *   readCorpus → plan → vectors (reuse | checkpoint | embed) → assemble → write
 *
 * The identity of the build (model, prefixes, cutting, graph settings) is
 * computed once, as an `IndexFingerprint`, and every stage that asks
 * "is this the same setup?" asks it of that (build/fingerprint.ts).
 */
import type { CoreConfig } from '../config.js';
import { Embedder } from '../embed/embedder.js';
import { assemble } from './build/assemble.js';
import { indexFingerprint } from './build/fingerprint.js';
import { currentBuild, planBuild } from './build/plan.js';
import { readPreviousBuilds } from './build/previous.js';
import { readCorpus } from './build/read-corpus.js';
import type { BuildOptions, BuildResult } from './build/types.js';
import { collectVectors } from './build/vectors.js';
import { writeBuild } from './build/write.js';

export type { BuildEvent, BuildOptions, BuildResult } from './build/types.js';
export { locateIndex, staleReasons, type IndexLocation } from './locate.js';

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
  const fingerprint = indexFingerprint(config, options);
  const corpus = await readCorpus(config, options);
  const plan = planBuild(corpus, fingerprint);
  options.onEvent?.({
    stage: 'parsed',
    documents: corpus.documents.length,
    passages: plan.passages,
    units: plan.units.length,
  });

  const previous = await readPreviousBuilds(config);
  const current = options.force ? undefined : await currentBuild(previous, plan, corpus, fingerprint);
  if (current)
    return {
      manifest: current.manifest,
      indexDir: current.indexDir,
      upToDate: true,
      embedded: 0,
      reused: 0,
      tokens: 0,
    };

  const embedder = options.embedder ?? (await Embedder.load(config.model));
  try {
    const vectors = await collectVectors(plan, {
      fingerprint,
      previous,
      embedder,
      indexDir: config.indexDir,
      signal: options.signal,
      onEvent: options.onEvent,
    });
    options.onEvent?.({ stage: 'indexing', units: plan.units.length });
    const assembled = await assemble(plan.units, vectors.dense, embedder, config.hnsw);
    const manifest = await writeBuild(
      config,
      { fingerprint, corpus, plan, vectors, assembled, dimension: embedder.dimension, started },
      options,
    );
    const embedded = plan.units.length - vectors.reused;
    return {
      manifest,
      indexDir: config.indexDir,
      upToDate: false,
      embedded,
      reused: vectors.reused,
      tokens: vectors.tokens,
    };
  } finally {
    if (!options.embedder) await embedder.dispose();
  }
}

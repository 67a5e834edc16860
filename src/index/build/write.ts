/**
 * Stage 5 of a build: the manifest, then every file written atomically
 * (store.ts, writeIndex): a build that fails before or during this stage
 * leaves the previous index in place. The checkpoint of stopped builds goes
 * only once the index is written.
 */
import type { CoreConfig } from '../../config.js';
import { writeIndex, type Manifest } from '../store.js';
import type { Assembled } from './assemble.js';
import type { IndexFingerprint } from './fingerprint.js';
import type { BuildPlan } from './plan.js';
import type { Corpus } from './read-corpus.js';
import type { BuildEvent } from './types.js';
import type { BuildVectors } from './vectors.js';

/** Writes the build into `config.indexDir` and returns its manifest. */
export async function writeBuild(
  config: Pick<CoreConfig, 'indexDir' | 'hnsw'>,
  build: {
    fingerprint: IndexFingerprint;
    corpus: Corpus;
    plan: BuildPlan;
    vectors: BuildVectors;
    assembled: Assembled;
    /** The model's dimension. */
    dimension: number;
    /** When the build started (`performance.now()`), for the manifest's `buildMs`. */
    started: number;
  },
  options: { onEvent?: (event: BuildEvent) => void } = {},
): Promise<Manifest> {
  const { fingerprint, corpus, plan, vectors, assembled } = build;
  const { model, hnsw } = fingerprint;
  const { units } = plan;
  const { offTopic } = assembled;
  const manifest = await writeIndex(config.indexDir, {
    manifest: {
      format: fingerprint.format,
      buildId: plan.buildId,
      builtAt: new Date().toISOString(),
      buildMs: Math.round(performance.now() - build.started),
      model: {
        id: model.id,
        dtype: model.dtype,
        dimension: build.dimension,
        queryPrefix: model.queryPrefix,
        passagePrefix: model.passagePrefix,
      },
      chunking: fingerprint.chunking,
      hnsw: { space: 'cosine', M: hnsw.M, efConstruction: hnsw.efConstruction, efSearch: config.hnsw.efSearch },
      documents: corpus.documents,
      skipped: corpus.skipped,
      counts: {
        documents: corpus.documents.length,
        passages: plan.passages,
        units: units.length,
        embedded: units.length - vectors.reused,
        reused: vectors.reused,
      },
      ...(offTopic ? { calibration: { offTopic } } : {}),
    },
    documents: [...corpus.library.documents],
    units: units.map(({ text: _text, lexicalText: _lexical, ...unit }) => unit),
    dense: vectors.dense,
    lexical: assembled.lexical,
  });
  vectors.checkpoint.remove();
  options.onEvent?.({ stage: 'written', manifest });
  return manifest;
}

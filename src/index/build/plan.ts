/**
 * Stage 2 of a build: cut the texts into units, plan the model's work, name
 * the build, and decide whether there is anything to do: a previous build
 * with the same id that still fits the texts and loads is current, and the
 * build ends there.
 */
import { planEmbedding, type EmbeddingPlan } from '../units.js';
import { buildId, type IndexFingerprint } from './fingerprint.js';
import type { PreviousBuild } from './previous.js';
import type { Corpus } from './read-corpus.js';
import { staleReasonsFor } from '../locate.js';

/** What a build will hold and how its vectors are made. */
export interface BuildPlan extends EmbeddingPlan {
  /** The id of the build these texts and settings give (fingerprint.ts). */
  buildId: string;
}

/** Units, embedding jobs and the build id for `corpus` under `fingerprint`. */
export function planBuild(corpus: Corpus, fingerprint: IndexFingerprint): BuildPlan {
  const plan = planEmbedding(corpus.library, { sentenceVectors: fingerprint.sentenceVectors });
  return { ...plan, buildId: buildId(fingerprint, corpus, plan.units) };
}

/**
 * The previous build that already is this one, if any: same id, fits the
 * texts and settings, and loads. The bundled index counts only when the index
 * folder has no build: else that build is what is served, and must be replaced.
 */
export async function currentBuild(
  previous: readonly PreviousBuild[],
  plan: BuildPlan,
  corpus: Corpus,
  fingerprint: IndexFingerprint,
): Promise<PreviousBuild | undefined> {
  for (const build of previous) {
    if (!build.own && previous[0]!.own) break;
    if (build.manifest.buildId !== plan.buildId) continue;
    if (staleReasonsFor(fingerprint, build.manifest, corpus.files).length > 0) continue;
    const loaded = await build.open();
    if (!loaded) continue; // damaged: rebuilt
    await loaded.close();
    return build;
  }
  return undefined;
}

/** What a build is asked, what it tells along the way and what it returns (src/index/build.ts). */
import type { Embedder } from '../../embed/embedder.js';
import type { Manifest } from '../store.js';
import type { SentenceVectors } from '../units.js';

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
  /** How sentence vectors are made; default `SENTENCE_VECTORS` (units.ts; the bench measures both). */
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

/**
 * The builds already on disk that a new build can end at (one is current) or
 * take vectors from: the index folder's own, then the bundled index's. Each
 * manifest is read once per build and each index loaded at most once: a build
 * found damaged while checking whether it is current is not read again for
 * its vectors.
 */
import type { CoreConfig } from '../../config.js';
import { bundledDir } from '../locate.js';
import { loadIndex, readManifest, type LoadedIndex, type Manifest } from '../store.js';

/** A build on disk, as read at the start of a build. */
export class PreviousBuild {
  private damaged = false;

  constructor(
    readonly indexDir: string,
    readonly manifest: Manifest,
    /** True for `config.indexDir`'s build; false for the read-only bundled index. */
    readonly own: boolean,
  ) {}

  /**
   * Loads the build's files, or null when they are damaged (then, and on
   * every later call, the caller does without it). With `lease` (only ever
   * for the index folder's own build) a build in another process cannot
   * remove the folder while it is read.
   */
  async open(options: { lease?: boolean } = {}): Promise<LoadedIndex | null> {
    if (this.damaged) return null;
    try {
      return await loadIndex(this.indexDir, this.manifest, { lease: this.own && options.lease });
    } catch {
      this.damaged = true;
      return null;
    }
  }
}

/**
 * The builds on disk, the index folder's own first. An unreadable manifest
 * counts as no build: the new build replaces it.
 */
export async function readPreviousBuilds(config: CoreConfig): Promise<PreviousBuild[]> {
  const builds: PreviousBuild[] = [];
  for (const indexDir of [config.indexDir, bundledDir(config)]) {
    const manifest = indexDir ? await readManifest(indexDir).catch(() => null) : null;
    if (indexDir && manifest) builds.push(new PreviousBuild(indexDir, manifest, indexDir === config.indexDir));
  }
  return builds;
}

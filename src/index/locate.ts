/**
 * Which index to serve, and whether an index fits the texts and model it
 * would be used with. A build asks the same question of the previous builds
 * (build/plan.ts), through the same {@link staleReasonsFor}.
 */
import path from 'node:path';
import { textSourcesOf, type CoreConfig } from '../config.js';
import { listSourceFiles, readTextFile } from '../corpus/library.js';
import { fingerprintChanges, indexFingerprint, type FileEntry, type IndexFingerprint } from './build/fingerprint.js';
import { readManifest, type Manifest } from './store.js';

/**
 * Why the index `manifest` describes does not match `fingerprint` and the
 * texts `files` (every file of the texts folder with its hash); empty when it does.
 */
export function staleReasonsFor(
  fingerprint: IndexFingerprint,
  manifest: Manifest,
  files: readonly FileEntry[],
): string[] {
  const reasons = fingerprintChanges(fingerprint, manifest);
  // Rebuilt from the stored vectors: nothing is embedded again but the probes.
  if (manifest.chunking === fingerprint.chunking && !manifest.calibration)
    reasons.push('it was built by an older version of Lectern, without off-topic calibration');
  // Skipped files count as known: a bad file is reported when it is added or changed, not on every start.
  const indexed = new Map([...manifest.documents, ...manifest.skipped].map((d) => [d.file, d.hash]));
  const skipped = new Set(manifest.skipped.map((d) => d.file));
  for (const { file, hash } of files) {
    if (!indexed.has(file)) reasons.push(`${file} is new`);
    else if (indexed.get(file) !== hash) reasons.push(`${file} changed`);
    indexed.delete(file);
  }
  for (const file of indexed.keys()) if (!skipped.has(file)) reasons.push(`${file} was removed`);
  return reasons;
}

/** Why an index does not match the texts and model it would be used with; empty when it does. */
export async function staleReasons(config: CoreConfig, manifest: Manifest): Promise<string[]> {
  const files: FileEntry[] = [];
  for (const { dir, file } of await listSourceFiles(textSourcesOf(config))) {
    // An unreadable entry (e.g. a directory named x.txt) has hash "", as the build recorded it.
    const hash = await readTextFile(dir, file).then(
      (r) => r.hash,
      () => '',
    );
    files.push({ file, hash });
  }
  return staleReasonsFor(indexFingerprint(config), manifest, files);
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
export function bundledDir(config: CoreConfig): string | undefined {
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

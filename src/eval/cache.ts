import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadCoreConfig, ROOT_DIR, type CoreConfig } from '../config.js';
import { listTextFiles } from '../corpus/library.js';
import { SIDECAR_SUFFIX } from '../corpus/parse.js';
import type { BuildEvent } from '../index/build.js';
import { Lectern } from '../lectern.js';

/** Where indexes of other texts folders are kept between runs (git-ignored). `rm -rf` it to reclaim space. */
export const EVAL_CACHE_DIR = path.join(ROOT_DIR, '.cache', 'eval');

/**
 * The cache key of a texts folder: a hash of its text files' names and bytes and of
 * the model settings, so the same texts in another folder share an index, and an
 * edited text or another model gets its own. Lectern's own staleness check
 * still runs on open, so a newer Lectern (another chunking version) rebuilds in place.
 */
export async function textsCacheKey(textsDir: string, config: CoreConfig): Promise<string> {
  const hash = createHash('sha256');
  const { id, dtype, queryPrefix, passagePrefix } = config.model;
  hash.update(JSON.stringify({ model: [id, dtype, queryPrefix, passagePrefix], hnsw: [config.hnsw.M, config.hnsw.efConstruction] }));
  for (const file of await listTextFiles(textsDir)) {
    hash.update(`\0${file}\0`);
    // A folder is listed (so the build can name it) but has no bytes.
    hash.update(await readFile(path.join(textsDir, file)).catch(() => ''));
    // A sidecar changes the document's metadata, and so its index: the same text with and without one
    // (eval/corpora/moby-dick and ../shared/books) would otherwise share a cache entry and rebuild in turn.
    const sidecar = await readFile(path.join(textsDir, file + SIDECAR_SUFFIX)).catch(() => null);
    if (sidecar) hash.update(Buffer.concat([Buffer.from('\0sidecar\0'), sidecar]));
  }
  return hash.digest('hex').slice(0, 16);
}

export interface OpenForTextsOptions {
  /** Default {@link EVAL_CACHE_DIR}. */
  cacheDir?: string;
  onBuildEvent?: (event: BuildEvent) => void;
  /** Told why the index is being built. */
  onRebuild?: (reasons: string[]) => void;
}

/**
 * Opens Lectern over another folder of texts, building its index on first use
 * into `<cacheDir>/<key>/` and reusing it afterwards.
 */
export async function openForTexts(textsDir: string, options: OpenForTextsOptions = {}): Promise<Lectern> {
  const base = loadCoreConfig();
  const resolved = path.resolve(textsDir);
  const indexDir = path.join(options.cacheDir ?? EVAL_CACHE_DIR, await textsCacheKey(resolved, base));
  const lectern = await Lectern.open({
    config: { textsDir: resolved, indexDir },
    onStale: 'rebuild',
    onBuildEvent: options.onBuildEvent,
    onRebuild: options.onRebuild,
  });
  // Says, for whoever looks into the cache, which folder an index was built from.
  await mkdir(indexDir, { recursive: true });
  await writeFile(path.join(indexDir, 'texts-dir.txt'), `${resolved}\n`);
  return lectern;
}

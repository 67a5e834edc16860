import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CoreConfig } from '../../src/config.js';
import type { Embedder } from '../../src/embed/embedder.js';
import { buildIndex } from '../../src/index/build.js';

export interface LibraryBuild {
  textsDir: string;
  indexDir: string;
  documents: number;
  passages: number;
  units: number;
  /** Distinct texts embedded (identical units are embedded once). */
  embedded: number;
  /** buildIndex from call to return, with the model already loaded. */
  buildMs: number;
  /** Of which: embedding the units. */
  embedMs: number;
  /** Of which: HNSW insertion, BM25 indexing and writing the files. */
  indexMs: number;
  /** Bytes on disk of the built index (everything in the index folder). */
  indexBytes: number;
  hnsw: { M: number; efConstruction: number; efSearch: number };
}

/** Total size of the regular files under `dir`. */
export async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await directoryBytes(full);
    else if (entry.isFile()) total += (await stat(full)).size;
  }
  return total;
}

/**
 * Builds a fresh index for `textsDir` (any previous one is deleted first, so
 * every unit is embedded and the time is that of a first `npm run embed`),
 * timing the embedding and indexing stages from the build's own events.
 */
export async function buildFresh(config: CoreConfig, embedder: Embedder): Promise<LibraryBuild> {
  await rm(config.indexDir, { recursive: true, force: true });
  const marks: Record<string, number> = {};
  const start = performance.now();
  const result = await buildIndex(config, {
    embedder,
    force: true,
    onEvent: (event) => {
      marks[event.stage] ??= performance.now();
    },
  });
  const end = performance.now();
  const embedStart = marks.parsed ?? start;
  const indexStart = marks.indexing ?? end;
  const m = result.manifest;
  return {
    textsDir: config.textsDir,
    indexDir: config.indexDir,
    documents: m.counts.documents,
    passages: m.counts.passages,
    units: m.counts.units,
    embedded: result.embedded,
    buildMs: end - start,
    embedMs: indexStart - embedStart,
    indexMs: end - indexStart,
    // The whole folder: it holds only the live build once buildIndex has cleaned up.
    indexBytes: await directoryBytes(config.indexDir),
    hnsw: { M: m.hnsw.M, efConstruction: m.hnsw.efConstruction, efSearch: m.hnsw.efSearch },
  };
}

import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import hnswlib from 'hnswlib-node';
import { z } from 'zod';
import { Library } from '../corpus/library.js';
import { LecternError } from '../errors.js';
import type { LibraryDocument } from '../types.js';
import { LexicalIndex } from './lexical.js';
import { VectorFile, VectorOffsets } from './vectors.js';
import type { IndexUnit } from './units.js';

/**
 * Bump when the files' layout changes. 3: documents carry their format,
 * chapters and word count, passages their chapter and ¶ within it, and the
 * manifest lists skipped files. 4: chapters carry their kind (letter, chapter, preface…) and their
 * part's kind and number, so that Letter 1 and Chapter 1 are told apart.
 */
export const INDEX_FORMAT = 4;
export const MANIFEST_FILE = 'manifest.json';
const FILES = { hnsw: 'dense.hnsw', library: 'library.json', lexical: 'lexical.json' } as const;

const Manifest = z.object({
  format: z.literal(INDEX_FORMAT),
  buildId: z.string().regex(/^[0-9a-f]{12}$/),
  /** Folder of the data files, named after their content: identical builds share it, different ones never do. */
  dir: z.string().regex(/^[0-9a-f]{12}$/),
  builtAt: z.string(),
  buildMs: z.number(),
  model: z.object({
    id: z.string(),
    dtype: z.string(),
    dimension: z.number().int().positive(),
    queryPrefix: z.string(),
    passagePrefix: z.string(),
  }),
  chunking: z.number().int(),
  hnsw: z.object({
    space: z.literal('cosine'),
    M: z.number().int(),
    efConstruction: z.number().int(),
    efSearch: z.number().int(),
  }),
  documents: z.array(
    z.object({
      id: z.string(),
      file: z.string(),
      hash: z.string(),
      paragraphs: z.number().int(),
      chapters: z.number().int(),
      words: z.number().int(),
    }),
  ),
  /** Files left out of the build (unreadable or unsupported), with the hash they had, so they are not reported as new on every start. */
  skipped: z.array(z.object({ file: z.string(), hash: z.string(), reason: z.string() })),
  counts: z.object({
    documents: z.number().int(),
    passages: z.number().int(),
    units: z.number().int(),
    embedded: z.number().int(),
    reused: z.number().int(),
  }),
  /** How close unrelated questions come to this library (calibration.ts); absent in indexes built before it. */
  calibration: z
    .object({ offTopic: z.object({ mean: z.number(), sd: z.number(), probes: z.number().int() }) })
    .optional(),
  /** sha256 of each data file, checked before anything is parsed. */
  checksums: z.record(z.string(), z.string()),
});
export type Manifest = z.infer<typeof Manifest>;

/** Everything a built index holds, ready to search. */
export interface LoadedIndex {
  manifest: Manifest;
  library: Library;
  units: IndexUnit[];
  dense: hnswlib.HierarchicalNSW;
  lexical: LexicalIndex;
  /** Reads stored vectors from the index file, faster than `dense.getPoint` (vectors.ts). */
  vectors?: VectorFile;
  /** Frees what the index holds open (the vector file, its {@link Lease}); once no answer can still read it. */
  close(): Promise<void>;
}

/** What a build hands to {@link writeIndex}. */
export interface IndexData {
  manifest: Omit<Manifest, 'checksums' | 'dir'>;
  documents: LibraryDocument[];
  units: IndexUnit[];
  dense: hnswlib.HierarchicalNSW;
  lexical: LexicalIndex;
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const rebuildHint = 'Rebuild it with `npm run embed`.';

/**
 * Writes a file atomically: a temporary file beside it, fsynced, then renamed over it, so a reader (or a
 * restart after a crash) finds the old content or the new, never part of it. The manifest is written so;
 * so are the books a server adds (src/libraries).
 */
export async function writeFileAtomic(file: string, data: Buffer | string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFileSynced(tmp, data);
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw error;
  }
}

async function writeFileSynced(file: string, data: Buffer | string): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes an index atomically. Data files go to a fresh folder that is renamed
 * into place as `<indexDir>/<content hash>/`; only then is `manifest.json` replaced
 * (write to a temporary file, fsync, rename), so readers see the old index or
 * the new one, never a mix, and a build that dies at any point leaves the
 * previous index loadable. Older build folders are removed afterwards, except
 * those a running process still reads ({@link collectBuilds}).
 */
export async function writeIndex(indexDir: string, data: IndexData): Promise<Manifest> {
  await mkdir(indexDir, { recursive: true });
  const tmpDir = path.join(indexDir, `.tmp-${data.manifest.buildId}-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmpDir);
  try {
    const hnswPath = path.join(tmpDir, FILES.hnsw);
    data.dense.writeIndexSync(hnswPath);
    const hnswBytes = await readFile(hnswPath);
    await writeFileSynced(hnswPath, hnswBytes);
    const libraryJson = JSON.stringify({ documents: data.documents, units: data.units });
    const lexicalJson = data.lexical.toJSON();
    await writeFileSynced(path.join(tmpDir, FILES.library), libraryJson);
    await writeFileSynced(path.join(tmpDir, FILES.lexical), lexicalJson);
    const checksums = {
      [FILES.hnsw]: sha256(hnswBytes),
      [FILES.library]: sha256(libraryJson),
      [FILES.lexical]: sha256(lexicalJson),
    };
    const dir = sha256(JSON.stringify(checksums)).slice(0, 12);
    const manifest: Manifest = { ...data.manifest, dir, checksums };
    const finalDir = path.join(indexDir, dir);
    const current = await readManifestQuietly(indexDir);
    // Reliability fix: an existing folder is reused only if its files on disk really
    // are these. Trusting its name alone meant that a damaged folder (truncated or
    // hand-edited file) was never replaced, so `npm run embed [--force]`, the fix
    // our error messages name, could not repair it. Likewise the current manifest
    // is kept only if it says what this build would write (else a hand-edited
    // manifest survived every rebuild), and leftovers of killed builds are cleaned.
    if (existsSync(finalDir) && (await holdsFiles(finalDir, checksums))) {
      await rm(tmpDir, { recursive: true, force: true });
      if (current?.dir === dir && isDeepStrictEqual(comparable(current), comparable(manifest))) {
        await collectBuilds(indexDir);
        return current;
      }
    } else {
      if (existsSync(finalDir)) await rm(finalDir, { recursive: true, force: true });
      try {
        await rename(tmpDir, finalDir);
      } catch (error) {
        // Another process wrote the same content at the same moment: its folder is as good as ours.
        if (!(await holdsFiles(finalDir, checksums))) throw error;
        await rm(tmpDir, { recursive: true, force: true });
      }
    }
    const manifestTmp = path.join(indexDir, `.${MANIFEST_FILE}.${process.pid}.tmp`);
    await writeFileSynced(manifestTmp, JSON.stringify(manifest, null, 2) + '\n');
    await rename(manifestTmp, path.join(indexDir, MANIFEST_FILE));
    await collectBuilds(indexDir);
    return manifest;
  } catch (error) {
    await rm(tmpDir, { recursive: true, force: true });
    throw error;
  }
}

/** A manifest without what differs between two builds of the same content. */
const comparable = (m: Manifest) => ({
  ...m,
  builtAt: '',
  buildMs: 0,
  counts: { ...m.counts, embedded: 0, reused: 0 },
});

/** True when `dir` holds files with exactly these checksums. */
async function holdsFiles(dir: string, checksums: Record<string, string>): Promise<boolean> {
  for (const [name, sum] of Object.entries(checksums)) {
    try {
      if (sha256(await readFile(path.join(dir, name))) !== sum) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * Reader leases: why a build folder outlives the manifest that named it.
 *
 * A process that serves answers (the chat, the bot) holds its build's folder
 * open for as long as it answers from it: the vector file is read on demand
 * (vectors.ts) rather than held in memory, since holding it would cost the
 * process 45 MB for a 3 MB library. Another process may meanwhile write a new
 * build into the same index folder (`npm run embed` beside a running bot), and
 * used to delete the old folder at once, so the bot's next question failed
 * with ENOENT (issue 17). So each process that loads a build for serving writes
 * an empty lease file, `.readers/<build folder>.<pid>.<random>`, and removes it
 * when it stops reading that build (after it swapped to a newer one and the
 * answers under way finished, or on close). A builder removes an old folder only
 * when no lease of a live process names it; a lease whose process is gone
 * (killed, crashed: `process.kill(pid, 0)` fails with ESRCH) is ignored and
 * deleted. The last reader to let go of an outdated folder removes it.
 * A file per lease rather than a lock: nothing to unlock when a process dies,
 * and two processes never write the same file.
 */
const READERS_DIR = '.readers';
const LEASE_NAME = /^([0-9a-f]{12})\.(\d+)\.[0-9a-f]{8}$/;

/** A serving process's claim on a build folder; see {@link READERS_DIR}. */
export interface Lease {
  /** Drops the claim and removes the folder if it is outdated and no one else reads it. */
  release(): Promise<void>;
}

/** Claims the build folder `dir` of `indexDir` for this process until released. */
export async function leaseBuild(indexDir: string, dir: string): Promise<Lease> {
  const readers = path.join(indexDir, READERS_DIR);
  const file = path.join(readers, `${dir}.${process.pid}.${randomBytes(4).toString('hex')}`);
  for (let attempt = 1; ; attempt++) {
    await mkdir(readers, { recursive: true });
    try {
      await writeFile(file, '', { flag: 'wx' });
      break;
    } catch (error) {
      // The last reader of another process removed the empty folder in between: make it again.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 5) throw error;
    }
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      await rm(file, { force: true });
      // The folder goes with its last lease, so an index folder no process reads holds only builds.
      await rmdir(readers).catch(() => undefined);
      // Never fails a caller: an outdated folder left behind is removed by the next build.
      await collectBuilds(indexDir).catch(() => undefined);
    },
  };
}

/** True when a process with this id runs (EPERM: it runs, as another user). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The build folders that live processes hold; leases of dead processes are deleted. */
async function leasedBuilds(indexDir: string): Promise<Set<string>> {
  const leased = new Set<string>();
  const readers = path.join(indexDir, READERS_DIR);
  let names: string[];
  try {
    names = await readdir(readers);
  } catch {
    return leased;
  }
  for (const name of names) {
    const match = LEASE_NAME.exec(name);
    if (!match) continue;
    if (processIsAlive(Number(match[2]))) leased.add(match[1]!);
    else await rm(path.join(readers, name), { force: true });
  }
  await rmdir(readers).catch(() => undefined); // when that was the last lease
  return leased;
}

/**
 * Removes the build folders of `indexDir` that its manifest does not name and
 * no live process holds, and the leftovers of builds whose process is gone
 * (a half-written folder or manifest of a killed build). Files of a build still
 * running in another process carry its pid and are left alone.
 */
export async function collectBuilds(indexDir: string): Promise<void> {
  const current = (await readManifestQuietly(indexDir))?.dir;
  const leased = await leasedBuilds(indexDir);
  let entries;
  try {
    entries = await readdir(indexDir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    // A half-written manifest left by a build killed before its rename (reliability fix: these were never removed).
    const manifestTmp = /^\.manifest\.json\.(\d+)\.tmp$/.exec(entry.name);
    if (entry.isFile() && manifestTmp && !processIsAlive(Number(manifestTmp[1]))) {
      await rm(path.join(indexDir, entry.name), { force: true });
      continue;
    }
    if (!entry.isDirectory()) continue;
    const buildTmp = /^\.tmp-[0-9a-f]+-(\d+)-/.exec(entry.name);
    const outdated = /^[0-9a-f]{12}$/.test(entry.name) && entry.name !== current && !leased.has(entry.name);
    if (outdated || (buildTmp && !processIsAlive(Number(buildTmp[1])))) {
      await rm(path.join(indexDir, entry.name), { recursive: true, force: true });
    }
  }
}

async function readManifestQuietly(indexDir: string): Promise<Manifest | null> {
  try {
    return await readManifest(indexDir);
  } catch {
    return null;
  }
}

/** Reads and validates `manifest.json`; null when there is no index yet. */
export async function readManifest(indexDir: string): Promise<Manifest | null> {
  const file = path.join(indexDir, MANIFEST_FILE);
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new LecternError(`The index manifest ${file} is not valid JSON. ${rebuildHint}`);
  }
  const format = (json as { format?: unknown } | null)?.format;
  if (typeof format === 'number' && format !== INDEX_FORMAT) {
    throw new LecternError(
      `The index in ${indexDir} was built by ${format < INDEX_FORMAT ? 'an older' : 'a newer'} version of Lectern (index format ${format}; this version reads ${INDEX_FORMAT}). ${rebuildHint}`,
    );
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new LecternError(
      `The index manifest ${file} is invalid (${issue.path.join('.') || 'root'}: ${issue.message}). ${rebuildHint}`,
    );
  }
  return parsed.data;
}

const StoredLibrary = z.object({
  documents: z.array(z.any()),
  units: z.array(
    z.object({
      label: z.number(),
      passageId: z.string(),
      kind: z.enum(['passage', 'sentence']),
      start: z.number(),
      end: z.number(),
      hash: z.string(),
    }),
  ),
});

/**
 * Loads a built index, verifying every file's checksum before parsing it, so a
 * truncated, corrupt or hand-edited file gets one clear message instead of a
 * crash in native code.
 *
 * With `lease`, the build folder is claimed for this process first (see
 * {@link leaseBuild}) until the index is closed: for a process that keeps
 * serving answers from it. A read-only folder (the bundled index) is never leased.
 */
export async function loadIndex(
  indexDir: string,
  manifest: Manifest,
  options: { lease?: boolean } = {},
): Promise<LoadedIndex> {
  const lease = options.lease ? await leaseBuild(indexDir, manifest.dir) : undefined;
  try {
    return await readIndex(indexDir, manifest, lease);
  } catch (error) {
    await lease?.release();
    throw error;
  }
}

/**
 * Loads, leased, the build `indexDir`'s manifest names, starting from
 * `manifest` (as read a moment ago). A build in another process may replace it
 * and remove the folder between reading the manifest and taking the lease; the
 * load then fails, and the new build is loaded instead. The result's manifest
 * says which was loaded.
 */
export async function loadCurrentIndex(indexDir: string, manifest: Manifest): Promise<LoadedIndex> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await loadIndex(indexDir, manifest, { lease: true });
    } catch (error) {
      const now = await readManifestQuietly(indexDir);
      if (attempt >= 3 || !now || now.dir === manifest.dir) throw error;
      manifest = now;
    }
  }
}

async function readIndex(indexDir: string, manifest: Manifest, lease: Lease | undefined): Promise<LoadedIndex> {
  const dir = path.join(indexDir, manifest.dir);
  const read = async (name: string): Promise<Buffer> => {
    let bytes: Buffer;
    try {
      bytes = await readFile(path.join(dir, name));
    } catch {
      throw new LecternError(
        `The index in ${indexDir} is incomplete (${manifest.dir}/${name} is missing). ${rebuildHint}`,
      );
    }
    if (sha256(bytes) !== manifest.checksums[name]) {
      throw new LecternError(
        `The index file ${manifest.dir}/${name} in ${indexDir} is corrupt or was edited (checksum mismatch). ${rebuildHint}`,
      );
    }
    return bytes;
  };
  /** Checks the vector file's checksum without holding it, noting where each label's vector lies (vectors.ts). */
  const checkVectors = async (name: string): Promise<VectorOffsets> => {
    const hash = createHash('sha256');
    const offsets = new VectorOffsets();
    try {
      for await (const chunk of createReadStream(path.join(dir, name), { highWaterMark: 1 << 20 })) {
        hash.update(chunk as Buffer);
        offsets.feed(chunk as Buffer);
      }
    } catch {
      throw new LecternError(
        `The index in ${indexDir} is incomplete (${manifest.dir}/${name} is missing). ${rebuildHint}`,
      );
    }
    if (hash.digest('hex') !== manifest.checksums[name]) {
      throw new LecternError(
        `The index file ${manifest.dir}/${name} in ${indexDir} is corrupt or was edited (checksum mismatch). ${rebuildHint}`,
      );
    }
    return offsets;
  };
  // The vectors are checked as a stream and read by hnswlib itself: holding their bytes (45 MB for a
  // 3 MB library) only to hash them left the serving process that much bigger.
  const [vectorOffsets, libraryBytes, lexicalBytes] = await Promise.all([
    checkVectors(FILES.hnsw),
    read(FILES.library),
    read(FILES.lexical),
  ]);
  let stored: z.infer<typeof StoredLibrary>;
  let lexical: LexicalIndex;
  let library: Library;
  try {
    stored = StoredLibrary.parse(JSON.parse(libraryBytes.toString('utf8')));
    lexical = LexicalIndex.fromJSON(lexicalBytes.toString('utf8'));
    // Reliability fix: built here, inside the try, so stored documents that are not
    // documents (an edit that kept the checksum right) give this message, not a
    // TypeError or "add a .txt file to the texts directory".
    library = new Library(stored.documents as LibraryDocument[]);
  } catch {
    throw new LecternError(`The index in ${indexDir} cannot be read. ${rebuildHint}`);
  }
  // Reliability fix: hnswlib reads a file with whatever dimension it is told (reading past
  // each vector when told too many), so a manifest edited to another dimension loaded, and
  // `npm run embed` called that broken index "up to date". The file's header holds the
  // real dimension: (label offset − data offset) / 4 bytes per float.
  const hnswHeader = vectorOffsets.header;
  if (hnswHeader.length >= 48) {
    const fileDimension = Number(hnswHeader.readBigUInt64LE(32) - hnswHeader.readBigUInt64LE(40)) / 4;
    if (fileDimension !== manifest.model.dimension) {
      throw new LecternError(
        `The index in ${indexDir} is inconsistent (the manifest says ${manifest.model.dimension} dimensions, the vectors have ${fileDimension}). ${rebuildHint}`,
      );
    }
  }
  const dense = new hnswlib.HierarchicalNSW('cosine', manifest.model.dimension);
  try {
    dense.readIndexSync(path.join(dir, FILES.hnsw));
  } catch {
    throw new LecternError(`The vector index in ${indexDir} cannot be read. ${rebuildHint}`);
  }
  if (dense.getCurrentCount() !== stored.units.length || lexical.size !== stored.units.length) {
    throw new LecternError(`The index in ${indexDir} is inconsistent (unit counts differ). ${rebuildHint}`);
  }
  dense.setEf(manifest.hnsw.efSearch);
  const offsets = vectorOffsets.offsets();
  let vectors: VectorFile | undefined;
  try {
    vectors = offsets ? new VectorFile(path.join(dir, FILES.hnsw), offsets, manifest.model.dimension) : undefined;
  } catch {
    throw new LecternError(
      `The index in ${indexDir} is incomplete (${manifest.dir}/${FILES.hnsw} is missing). ${rebuildHint}`,
    );
  }
  const close = async () => {
    vectors?.close();
    await lease?.release();
  };
  return { manifest, library, units: stored.units, dense, lexical, vectors, close };
}

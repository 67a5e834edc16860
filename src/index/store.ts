import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
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
 * previous index loadable. Older build folders are removed afterwards.
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
    // Reliability fix: the live folder is reused only if its files on disk really
    // are these. Trusting its name alone meant that a damaged folder (truncated or
    // hand-edited file) was never replaced, so `npm run embed [--force]`, the fix
    // our error messages name, could not repair it. Likewise the current manifest
    // is kept only if it says what this build would write (else a hand-edited
    // manifest survived every rebuild), and leftovers of killed builds are cleaned.
    if (existsSync(finalDir) && current?.dir === dir && (await holdsFiles(finalDir, checksums))) {
      await rm(tmpDir, { recursive: true, force: true });
      if (isDeepStrictEqual(comparable(current), comparable(manifest))) {
        await removeOtherBuilds(indexDir, dir);
        return current;
      }
    } else {
      if (existsSync(finalDir)) await rm(finalDir, { recursive: true, force: true });
      await rename(tmpDir, finalDir);
    }
    const manifestTmp = path.join(indexDir, `.${MANIFEST_FILE}.${process.pid}.tmp`);
    await writeFileSynced(manifestTmp, JSON.stringify(manifest, null, 2) + '\n');
    await rename(manifestTmp, path.join(indexDir, MANIFEST_FILE));
    await removeOtherBuilds(indexDir, manifest.dir);
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

async function removeOtherBuilds(indexDir: string, keep: string): Promise<void> {
  for (const entry of await readdir(indexDir, { withFileTypes: true })) {
    // A half-written manifest left by a build killed before its rename (reliability fix: these were never removed).
    if (
      entry.isFile() &&
      /^\.manifest\.json\.\d+\.tmp$/.test(entry.name) &&
      entry.name !== `.${MANIFEST_FILE}.${process.pid}.tmp`
    ) {
      await rm(path.join(indexDir, entry.name), { force: true });
      continue;
    }
    if (!entry.isDirectory() || entry.name === keep) continue;
    if (/^[0-9a-f]{12}$/.test(entry.name) || entry.name.startsWith('.tmp-')) {
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
 */
export async function loadIndex(indexDir: string, manifest: Manifest): Promise<LoadedIndex> {
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
  const vectors = offsets ? new VectorFile(path.join(dir, FILES.hnsw), offsets, manifest.model.dimension) : undefined;
  return { manifest, library, units: stored.units, dense, lexical, vectors };
}

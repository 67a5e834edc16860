import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT_DIR } from '../../src/config.js';
import { loadLibrary } from '../../src/corpus/library.js';
import { Rng } from './rng.js';

/**
 * The real texts the bench is built from. Each is read from ../shared when
 * that folder is there (the project's workplace) and otherwise from the
 * repository's copy, so a user's clone runs the same bench.
 */
const SHARED = path.resolve(ROOT_DIR, '..', 'shared');
const SOURCES = {
  mobyDick: [
    path.join(SHARED, 'books', 'moby-dick.txt'),
    path.join(ROOT_DIR, 'eval', 'corpora', 'moby-dick', 'moby-dick.txt'),
  ],
  superBowl: [path.join(SHARED, 'corpora', 'squad', 'super-bowl-50.md')],
  mobyQuestions: [
    path.join(SHARED, 'eval', 'moby-dick-questions.jsonl'),
    path.join(ROOT_DIR, 'eval', 'moby-dick-questions.jsonl'),
  ],
};

function firstExisting(candidates: readonly string[]): string | null {
  return candidates.find((file) => existsSync(file)) ?? null;
}

/** A library the bench builds and serves. */
export interface BenchLibrary {
  name: string;
  textsDir: string;
  /** Bytes of text. */
  bytes: number;
  /** What it is made of, for the report. */
  description: string;
  /** Questions asked while serving it (JSONL with a "q" field). */
  questions: string;
}

/** Size of War and Peace as Project Gutenberg ships it (issue 12's measurement). */
export const SHELF_BYTES = 3_200_000;

/**
 * Writes the bench's libraries under `tmp` (emptied first):
 * - bundled: texts/ as shipped (one article);
 * - moby-dick: Melville's novel, 1.2 MB, CRLF, long paragraphs;
 * - slice: a deterministic 200 kB of Moby-Dick (whole paragraphs from 40 %
 *   of the way in), on which today's pipeline is run side by side;
 * - shelf: a War-and-Peace-sized library (3.2 MB) of Moby-Dick, the article,
 *   the Super Bowl 50 article (when ../shared has it) and "volumes" generated
 *   deterministically from Moby-Dick: paragraphs of its real length
 *   distribution whose sentences splice the first half of one Moby-Dick
 *   sentence to the second half of another. No unit repeats one the build has
 *   seen, so deduplication cannot make the shelf cheaper than a real book.
 */
export async function writeBenchLibraries(tmp: string, seed: number): Promise<BenchLibrary[]> {
  const mobyFile = firstExisting(SOURCES.mobyDick);
  if (!mobyFile) throw new Error('Moby-Dick not found (eval/corpora/moby-dick/moby-dick.txt)');
  const devQuestions = path.join(ROOT_DIR, 'eval', 'dev-questions.jsonl');
  const mobyQuestions = firstExisting(SOURCES.mobyQuestions) ?? devQuestions;
  const libs: BenchLibrary[] = [];
  const dir = async (name: string) => {
    // Only the texts are rewritten (byte for byte the same each run), so a previous run's index stays current for --serve-only.
    const d = path.join(tmp, name, 'texts');
    await rm(d, { recursive: true, force: true });
    await mkdir(d, { recursive: true });
    return d;
  };
  const bundled = path.join(ROOT_DIR, 'texts');
  libs.push({
    name: 'bundled',
    textsDir: bundled,
    bytes: await folderBytes(bundled, ['serge-the-end-of-henry-yagoda-1937.txt']),
    description: 'texts/ (one article)',
    questions: devQuestions,
  });

  const mobyBytes = await readFile(mobyFile);
  const moby = await dir('moby-dick');
  await copyFile(mobyFile, path.join(moby, 'moby-dick.txt'));
  libs.push({
    name: 'moby-dick',
    textsDir: moby,
    bytes: mobyBytes.length,
    description: 'Moby-Dick (Project Gutenberg text, CRLF)',
    questions: mobyQuestions,
  });

  const slice = await dir('slice');
  const sliceText = paragraphSlice(mobyBytes.toString('utf8'), 0.4, 200_000);
  await writeFile(path.join(slice, 'moby-dick-slice.txt'), sliceText);
  libs.push({
    name: 'slice',
    textsDir: slice,
    bytes: Buffer.byteLength(sliceText),
    description: '200 kB of Moby-Dick from 40 % in, whole paragraphs',
    questions: mobyQuestions,
  });

  const shelf = await dir('shelf');
  let bytes = 0;
  const add = async (file: string, content: Buffer | string) => {
    await writeFile(path.join(shelf, file), content);
    bytes += Buffer.byteLength(content);
  };
  await add('moby-dick.txt', mobyBytes);
  await add(
    'serge-the-end-of-henry-yagoda-1937.txt',
    await readFile(path.join(bundled, 'serge-the-end-of-henry-yagoda-1937.txt')),
  );
  const superBowl = firstExisting(SOURCES.superBowl);
  if (superBowl) await add('super-bowl-50.md', await readFile(superBowl));
  const pool = await sentencePool(moby);
  const rng = new Rng(seed);
  for (let volume = 1; bytes < SHELF_BYTES; volume++) {
    const text = splicedVolume(pool, rng, volume, Math.min(mobyBytes.length, SHELF_BYTES - bytes));
    await add(`volume-${volume}.txt`, text);
  }
  libs.push({
    name: 'shelf',
    textsDir: shelf,
    bytes,
    description: `Moby-Dick, the article${superBowl ? ', Super Bowl 50' : ''} and spliced Moby-Dick volumes to ${(SHELF_BYTES / 1e6).toFixed(1)} MB`,
    questions: mobyQuestions,
  });
  return libs;
}

async function folderBytes(dir: string, files: string[]): Promise<number> {
  let total = 0;
  for (const f of files) total += (await readFile(path.join(dir, f))).length;
  return total;
}

/** About `bytes` of whole paragraphs (split at blank lines) starting `fraction` of the way into `text`. */
function paragraphSlice(text: string, fraction: number, bytes: number): string {
  const paragraphs = text.replace(/\r\n/g, '\n').split(/\n{2,}/);
  const start = Math.floor(paragraphs.length * fraction);
  const out: string[] = [];
  let size = 0;
  for (let i = start; i < paragraphs.length && size < bytes; i++) {
    out.push(paragraphs[i]!);
    size += Buffer.byteLength(paragraphs[i]!) + 2;
  }
  return `${out.join('\n\n')}\n`;
}

interface Pool {
  sentences: string[];
  /** Sentences per body paragraph, drawn from for realistic lengths. */
  paragraphSizes: number[];
}

async function sentencePool(textsDir: string): Promise<Pool> {
  const library = await loadLibrary(textsDir);
  const pool: Pool = { sentences: [], paragraphSizes: [] };
  for (const doc of library.documents) {
    for (const passage of doc.passages) {
      if (passage.paragraph === 0) continue;
      pool.paragraphSizes.push(passage.sentences.length);
      for (const s of passage.sentences) pool.sentences.push(passage.text.slice(s.start, s.end).replace(/\s+/g, ' '));
    }
  }
  return pool;
}

/** First half of one sentence's words and second half of another's. */
function splice(pool: Pool, rng: Rng): string {
  const a = rng.pick(pool.sentences).split(' ');
  const b = rng.pick(pool.sentences).split(' ');
  return [...a.slice(0, Math.ceil(a.length / 2)), ...b.slice(Math.ceil(b.length / 2))].join(' ');
}

function splicedVolume(pool: Pool, rng: Rng, volume: number, bytes: number): string {
  const paragraphs: string[] = [`Spliced Volume ${volume}`, `From the Lectern benchmark (seed volume ${volume})`];
  let size = 0;
  while (size < bytes) {
    const n = rng.pick(pool.paragraphSizes);
    const p = Array.from({ length: n }, () => splice(pool, rng))
      .join(' ')
      .replace(/:\s*$/, '.');
    paragraphs.push(p);
    size += Buffer.byteLength(p) + 2;
  }
  return `${paragraphs.join('\n\n')}\n`;
}

import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadLibrary } from '../../src/corpus/library.js';
import { Rng } from './rng.js';

/** What a synthetic library is made from: the sentences of real texts and how many sentences their paragraphs hold. */
export interface SentencePool {
  sentences: string[];
  /** Sentences per body paragraph in the source texts, drawn from to give passages realistic lengths. */
  paragraphSizes: number[];
  authors: string[];
  titles: string[];
}

/** Reads every body sentence, verbatim, of the texts in `textsDir`. */
export async function readSentencePool(textsDir: string): Promise<SentencePool> {
  const library = await loadLibrary(textsDir);
  const pool: SentencePool = { sentences: [], paragraphSizes: [], authors: [], titles: [] };
  for (const doc of library.documents) {
    pool.authors.push(doc.meta.author);
    pool.titles.push(doc.meta.title);
    for (const passage of doc.passages) {
      if (passage.paragraph === 0) continue;
      pool.paragraphSizes.push(passage.sentences.length);
      for (const s of passage.sentences) pool.sentences.push(passage.text.slice(s.start, s.end));
    }
  }
  return pool;
}

/**
 * A paragraph of `size` sentences drawn at random. It never ends with a
 * lead-in (a sentence ending in ":"), because the parser joins such a
 * paragraph to the next one and the passage count would drift.
 */
function paragraph(pool: SentencePool, rng: Rng): string {
  const size = rng.pick(pool.paragraphSizes);
  const sentences: string[] = [];
  while (sentences.length < size || /:\s*$/.test(sentences[sentences.length - 1]!)) sentences.push(rng.pick(pool.sentences));
  return sentences.join(' ');
}

/** A header in the bundled texts' format, which the parser reads as author, title, date line, source and credit. */
function header(pool: SentencePool, rng: Rng, n: number, seed: number): string {
  const title = `${rng.pick(pool.titles)}, Part ${n}`;
  const year = 1930 + (n % 10);
  return [
    rng.pick(pool.authors),
    title,
    `(${['January', 'March', 'May', 'July', 'September', 'November'][n % 6]} ${year})`,
    `From Lectern Bench Review, Vol. ${1 + Math.floor(n / 12)} No. ${1 + (n % 12)}, ${1 + (n % 28)} August ${year}, p. ${1 + (n % 16)}.\n` +
      `Transcribed by the Lectern benchmark generator (seed ${seed}).`,
  ].join('\n\n');
}

export interface SyntheticLibrary {
  textsDir: string;
  documents: number;
  passages: number;
  bytes: number;
}

/**
 * Writes a deterministic library of `passages` body paragraphs into
 * `textsDir` (emptied first), `perDocument` to a file. Paragraphs recombine
 * the pool's sentences, so the texts read like the originals and questions
 * about the originals have answers; the same seed always gives the same files.
 */
export async function writeSyntheticLibrary(
  textsDir: string,
  pool: SentencePool,
  options: { passages: number; perDocument: number; seed: number },
): Promise<SyntheticLibrary> {
  const rng = new Rng(options.seed);
  await rm(textsDir, { recursive: true, force: true });
  await mkdir(textsDir, { recursive: true });
  const documents = Math.ceil(options.passages / options.perDocument);
  let bytes = 0;
  for (let d = 0; d < documents; d++) {
    const count = Math.min(options.perDocument, options.passages - d * options.perDocument);
    const body = Array.from({ length: count }, () => paragraph(pool, rng));
    const text = `${header(pool, rng, d + 1, options.seed)}\n\n${body.join('\n\n')}\n`;
    bytes += Buffer.byteLength(text);
    await writeFile(path.join(textsDir, `bench-${String(d + 1).padStart(4, '0')}.txt`), text);
  }
  return { textsDir, documents, passages: options.passages, bytes };
}

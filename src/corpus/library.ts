import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LibraryDocument, Passage } from '../types.js';
import { CorpusError, parseDocument } from './parse.js';

/** File extensions Lectern reads as texts. */
export const TEXT_EXTENSIONS = ['.txt', '.md'] as const;

/**
 * The texts Lectern can quote, with fast look-ups by document and ¶ number.
 *
 * @example
 * const library = await loadLibrary('texts');
 * library.getPassage(library.defaultDocument.id, 4)?.text
 */
export class Library {
  readonly documents: readonly LibraryDocument[];
  private readonly byId: Map<string, LibraryDocument>;
  private readonly byPassageId: Map<string, Passage>;

  constructor(documents: readonly LibraryDocument[]) {
    if (documents.length === 0) throw new CorpusError('The library is empty: add a .txt or .md file to the texts directory.');
    this.documents = documents;
    this.byId = new Map(documents.map((doc) => [doc.id, doc]));
    this.byPassageId = new Map(documents.flatMap((doc) => doc.passages.map((p) => [p.id, p] as const)));
  }

  /** The first document: the one answers default to when no text is named. */
  get defaultDocument(): LibraryDocument {
    return this.documents[0]!;
  }

  getDocument(id: string): LibraryDocument | undefined {
    return this.byId.get(id);
  }

  /** ¶0 is the header; body paragraphs are 1…N. */
  getPassage(docId: string, paragraph: number): Passage | undefined {
    return this.byPassageId.get(`${docId}#${paragraph}`);
  }

  getPassageById(id: string): Passage | undefined {
    return this.byPassageId.get(id);
  }

  /** Number of body paragraphs (the header ¶0 is not counted). */
  paragraphCount(docId: string): number {
    const doc = this.byId.get(docId);
    return doc ? doc.passages.filter((p) => p.paragraph > 0).length : 0;
  }

  /** All passages of all documents, headers included. */
  *passages(): Iterable<Passage> {
    for (const doc of this.documents) yield* doc.passages;
  }

  /**
   * Documents whose title, author or id contains every word of `query`
   * (case- and accent-insensitive); all documents for an empty query.
   * Used for autocompletion.
   */
  searchTitles(query: string): LibraryDocument[] {
    const words = fold(query).split(/\s+/).filter(Boolean);
    return this.documents.filter((doc) => {
      const haystack = fold(`${doc.meta.title} ${doc.meta.author} ${doc.id} ${doc.meta.publication ?? ''}`);
      return words.every((word) => haystack.includes(word));
    });
  }
}

function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The text files of a directory, sorted by name so ids and order are stable. */
export async function listTextFiles(textsDir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(textsDir);
  } catch {
    throw new CorpusError(`The texts directory ${textsDir} does not exist or cannot be read.`);
  }
  return entries
    .filter((name) => TEXT_EXTENSIONS.includes(path.extname(name).toLowerCase() as (typeof TEXT_EXTENSIONS)[number]))
    .filter((name) => !name.startsWith('.'))
    .sort((a, b) => a.localeCompare(b, 'en'));
}

/** Reads and parses every text in `textsDir`. Fails with a message naming the first bad file. */
export async function loadLibrary(textsDir: string): Promise<Library> {
  const files = await listTextFiles(textsDir);
  if (files.length === 0) throw new CorpusError(`No .txt or .md files in ${textsDir}: add a text to quote.`);
  const documents: LibraryDocument[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = await readFile(path.join(textsDir, file));
    } catch {
      throw new CorpusError(`Cannot read ${path.join(textsDir, file)}.`);
    }
    const doc = parseDocument(file, bytes);
    if (seen.has(doc.id)) throw new CorpusError(`Two files map to the same document id "${doc.id}"; rename one of them.`);
    seen.add(doc.id);
    documents.push(doc);
  }
  return new Library(documents);
}

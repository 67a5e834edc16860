/**
 * The library of parsed texts and every look-up readers navigate by (documents, chapters, references
 * such as "34.5", next/previous across chapters). One job, the reader-facing index of the texts.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Chapter, LibraryDocument, Passage, TextSource } from '../types.js';
import { chapterName, findChapter, parseChapterRange, parseReference } from './reference.js';
import { CorpusError, SIDECAR_SUFFIX, SUPPORTED_FORMATS, parseDocument, parseSidecar } from './parse.js';

export { TEXT_EXTENSIONS } from './parse.js';

/** Where a reference such as "34.5" points: a passage, and the chapter it is in. */
export interface ResolvedReference {
  passage: Passage;
  chapter?: Chapter;
}

/** A chapter restriction for search: ordinals of the chapters allowed. */
export interface ChapterRange {
  /** As the reader wrote it: "34" or "30-35". */
  label: string;
  from: number;
  to: number;
}

/**
 * The texts Lectern can quote, with fast look-ups by document, ¶ number and chapter.
 *
 * @example
 * const library = await loadLibrary('texts');
 * library.getPassage(library.defaultDocument.id, 4)?.text
 * library.resolveReference('moby-dick', '1.2')?.passage.text // ch. 1 ¶2
 */
export class Library {
  readonly documents: readonly LibraryDocument[];
  private readonly byId: Map<string, LibraryDocument>;
  private readonly byPassageId: Map<string, Passage>;

  constructor(documents: readonly LibraryDocument[]) {
    if (documents.length === 0)
      throw new CorpusError(`The library is empty: add a text to the texts directory (${SUPPORTED_FORMATS}).`);
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

  /** ¶0 is the header; body paragraphs are 1…N (global numbering). */
  getPassage(docId: string, paragraph: number): Passage | undefined {
    return this.byPassageId.get(`${docId}#${paragraph}`);
  }

  getPassageById(id: string): Passage | undefined {
    return this.byPassageId.get(id);
  }

  /** Number of body paragraphs (the header ¶0 is not counted). */
  paragraphCount(docId: string): number {
    let count = this.bodyCounts.get(docId);
    if (count === undefined) {
      const doc = this.byId.get(docId);
      count = doc ? doc.passages.filter((p) => p.paragraph > 0).length : 0;
      this.bodyCounts.set(docId, count);
    }
    return count;
  }

  /** Body paragraphs per document: asked for every candidate passage of every answer. */
  private readonly bodyCounts = new Map<string, number>();

  /** Number of chapters; 0 for a text without chapters. */
  chapterCount(docId: string): number {
    return this.byId.get(docId)?.chapters.length ?? 0;
  }

  /** Words in the body paragraphs. */
  wordCount(docId: string): number {
    return this.byId.get(docId)?.wordCount ?? 0;
  }

  /** The chapters of a document in reading order. */
  listChapters(docId: string): readonly Chapter[] {
    return this.byId.get(docId)?.chapters ?? [];
  }

  /** The chapter a passage is in. */
  chapterOf(passage: Passage): Chapter | undefined {
    return passage.chapter ? this.byId.get(passage.docId)?.chapters[passage.chapter - 1] : undefined;
  }

  /**
   * A chapter as readers name it (src/corpus/reference.ts): `34` (the main series, never a letter),
   * `ch. 34`, `XXXIV`, `Letter 2`, `Vol. 2, ch. 3`, or a title prefix ("loom" → "Loomings"; case-
   * and accent-insensitive); by ordinal when the book numbers none. The first match in reading order.
   */
  getChapter(docId: string, ref: string | number): Chapter | undefined {
    const doc = this.byId.get(docId);
    return doc ? findChapter(doc, String(ref)) : undefined;
  }

  /** The passages of a chapter, in order. */
  chapterPassages(docId: string, chapter: Chapter): Passage[] {
    const out: Passage[] = [];
    for (let p = chapter.firstParagraph; p <= chapter.lastParagraph; p++) {
      const passage = this.getPassage(docId, p);
      if (passage) out.push(passage);
    }
    return out;
  }

  /**
   * Resolves what a reader types to find a passage (src/corpus/reference.ts): whatever a citation
   * prints (`ch. 34 ¶5`, `Letter 2 ¶3`, `Vol. 2, ch. 3 ¶4`, `"Epilogue", ¶1`) and the short forms
   * `34.5`, `letter 2.3`, `2.3.4`, `loomings 2`; a chapter alone (its first paragraph); `612`,
   * `¶612`, `0`: a global ¶ number (0 is the header). Undefined when nothing matches.
   */
  resolveReference(docId: string, reference: string): ResolvedReference | undefined {
    const doc = this.byId.get(docId);
    const found = doc ? parseReference(doc, reference) : undefined;
    const passage = found ? this.getPassage(docId, found.paragraph) : undefined;
    return passage ? { passage, chapter: found?.chapter ?? this.chapterOf(passage) } : undefined;
  }

  /** The next body passage in reading order, across chapter boundaries; undefined at the end. */
  nextPassage(passage: Passage): Passage | undefined {
    return this.getPassage(passage.docId, passage.paragraph + 1);
  }

  /** The previous passage in reading order (the header ¶0 before ¶1); undefined at the start. */
  previousPassage(passage: Passage): Passage | undefined {
    return passage.paragraph > 0 ? this.getPassage(passage.docId, passage.paragraph - 1) : undefined;
  }

  /**
   * Reads a chapter restriction: `"34"`, `"30-35"`, `"XII"`, `"Letter 1-4"`, `"Vol. 2, ch. 3"` or a
   * title prefix. Returns the ordinal range it covers, or a one-line message for the reader.
   */
  parseChapterRange(docId: string, value: string): ChapterRange | string {
    const doc = this.byId.get(docId);
    const label = value.trim();
    if (!doc) return `No text with id "${docId}".`;
    if (doc.chapters.length === 0) return `${doc.meta.title} has no chapters.`;
    const range = parseChapterRange(doc, label);
    if ('missing' in range)
      return `No chapter "${range.missing.trim()}" in ${doc.meta.title} (it has ${doc.chapters.length} chapters).`;
    return { label, ...range };
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

  /**
   * A question to show as an example, about what the loaded texts hold rather than any one bundled
   * text: the name the first text mentions most often ("What does the text say about Ahab?"). A name
   * here is a capitalised word the text never writes in lower case, so "The" and "Whale" are not names.
   */
  exampleQuestion(): string {
    this.example ??= this.findExampleQuestion();
    return this.example;
  }

  private example: string | undefined;

  private findExampleQuestion(): string {
    const doc = this.defaultDocument;
    const lowered = new Set<string>();
    for (const passage of doc.passages)
      for (const [word] of passage.text.matchAll(/(?<![\p{L}’'])\p{Ll}+/gu)) lowered.add(word);
    const isName = (w: string): boolean => /^\p{Lu}\p{Ll}{2,}$/u.test(w) && !lowered.has(w.toLowerCase());
    // Runs of such words, so "Super Bowl" is one name, not "Bowl".
    const counts = new Map<string, number>();
    for (const passage of doc.passages)
      for (const [run] of passage.text.matchAll(/\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+)*/gu)) {
        const name = run.split(' ').filter(isName).join(' ');
        if (name && run.includes(name)) counts.set(name, (counts.get(name) ?? 0) + 1);
      }
    let name = '';
    let best = 0;
    for (const [run, count] of counts) if (count > best) [name, best] = [run, count];
    return name ? `What does the text say about ${name}?` : `What is "${doc.meta.title}" about?`;
  }

  /** Chapters whose number, title or heading contains every word of `query`, for autocompletion. */
  searchChapters(docId: string, query: string): Chapter[] {
    const words = fold(query).split(/\s+/).filter(Boolean);
    const doc = this.byId.get(docId);
    if (!doc) return [];
    return doc.chapters.filter((c) => {
      const haystack = fold(`${chapterName(doc, c)} ${c.title ?? ''} ${c.heading} ${c.part ?? ''}`);
      return words.every((word) => haystack.includes(word));
    });
  }
}

function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Every file of a directory that should be a text, sorted by name so ids and order are stable: all but
 * hidden files and sidecars. Files of other formats (a PDF, a .docx, an unknown extension) and folders are
 * listed too, so that loading names each one it cannot read instead of passing over it in silence.
 */
export async function listTextFiles(textsDir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(textsDir);
  } catch {
    throw new CorpusError(`The texts directory ${textsDir} does not exist or cannot be read.`);
  }
  return entries
    .filter((name) => !name.startsWith('.') && !name.endsWith(SIDECAR_SUFFIX))
    .sort((a, b) => a.localeCompare(b, 'en'));
}

/** Every file of `sources` that should be a text, with the folder it is in, in source order. */
export async function listSourceFiles(sources: readonly TextSource[]): Promise<{ dir: string; file: string }[]> {
  const listed: { dir: string; file: string }[] = [];
  for (const source of sources) {
    const files = source.files
      ? [...source.files].sort((a, b) => a.localeCompare(b, 'en'))
      : await listTextFiles(source.dir);
    for (const file of files) listed.push({ dir: source.dir, file });
  }
  return listed;
}

/** A file left out of the library, with why (one line naming it) and its hash, so it is not reported stale forever. */
export interface SkippedFile {
  file: string;
  hash: string;
  reason: string;
}

/** Options of {@link loadLibrary}. */
export interface LoadOptions {
  /** Default false: a bad file is skipped with a warning. True: the first bad file fails the load (for CI). */
  strict?: boolean;
  /** Told about each skipped file. */
  onSkip?: (skipped: SkippedFile) => void;
}

/** sha256 of a text file and of its sidecar, if any: what decides whether an index is current. */
export function fileHash(bytes: Uint8Array, sidecar?: Uint8Array): string {
  const hash = createHash('sha256').update(bytes);
  if (sidecar) hash.update('\0sidecar\0').update(sidecar);
  return hash.digest('hex');
}

/** Reads a text and its sidecar (`<file>.meta.json`) if there is one. */
export async function readTextFile(
  textsDir: string,
  file: string,
): Promise<{ bytes: Buffer; sidecar?: Buffer; hash: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path.join(textsDir, file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EISDIR')
      throw new CorpusError(`${file} is a folder; Lectern reads only the files directly in ${textsDir}.`);
    throw new CorpusError(`Cannot read ${path.join(textsDir, file)}.`);
  }
  const sidecar = await readFile(path.join(textsDir, file + SIDECAR_SUFFIX)).catch(() => undefined);
  return { bytes, sidecar, hash: fileHash(bytes, sidecar) };
}

/**
 * Reads and parses every text in `texts` (a folder, or several sources). A file that cannot be read is
 * skipped and reported through `onSkip` (or, with `strict`, fails the load
 * with a message naming it). Fails when no file at all can be read.
 */
export async function loadLibrary(
  texts: string | readonly TextSource[],
  options: LoadOptions = {},
): Promise<Library & { skipped: SkippedFile[] }> {
  const sources = typeof texts === 'string' ? [{ dir: texts }] : texts;
  const textsDir = sources.map((s) => s.dir).join(' and ');
  const files = await listSourceFiles(sources);
  if (files.length === 0) throw new CorpusError(`No texts in ${textsDir}: add a text to quote (${SUPPORTED_FORMATS}).`);
  const documents: LibraryDocument[] = [];
  const skipped: SkippedFile[] = [];
  const seen = new Set<string>();
  const seenFiles = new Set<string>();
  for (const { dir, file } of files) {
    let hash = '';
    try {
      if (seenFiles.has(file))
        throw new CorpusError(`${file} has the same file name as another text of this library; rename one of them.`);
      seenFiles.add(file);
      const read = await readTextFile(dir, file);
      hash = read.hash;
      if (read.bytes.length === 0 || !/\S/.test(read.bytes.toString('utf8')))
        throw new CorpusError(`${file} is empty.`);
      const doc = parseDocument(
        file,
        read.bytes,
        read.sidecar ? parseSidecar(file + SIDECAR_SUFFIX, read.sidecar.toString('utf8')) : undefined,
      );
      doc.hash = read.hash;
      if (seen.has(doc.id))
        throw new CorpusError(`${file} maps to the same document id "${doc.id}" as another file; rename one of them.`);
      seen.add(doc.id);
      documents.push(doc);
    } catch (error) {
      if (options.strict || !(error instanceof CorpusError)) throw error;
      const entry = { file, hash, reason: error.message };
      skipped.push(entry);
      options.onSkip?.(entry);
    }
  }
  if (documents.length === 0) {
    throw new CorpusError(
      skipped.length === 1
        ? skipped[0]!.reason
        : `None of the ${skipped.length} files in ${textsDir} could be read: ${skipped.map((s) => s.reason).join(' ')}`,
    );
  }
  return Object.assign(new Library(documents), { skipped });
}

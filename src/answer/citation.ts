import { chapterName } from '../corpus/reference.js';
import type { Chapter, Citation, DocumentMetadata, LibraryDocument, Passage } from '../types.js';

export type { Citation };

/**
 * How the header passage is named everywhere: readers open it with
 * `/passage 0`, so citations say "¶0" too.
 */
export const HEADER_LOCATION = '¶0';

/** Where a document appeared, from its metadata: publication, issue, date, page. */
export function formatSource(meta: DocumentMetadata): string | undefined {
  const parts = [
    meta.publication,
    meta.issue,
    meta.date ?? (meta.publication ? undefined : meta.dateLine),
    meta.page,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : undefined;
}

/** "¶4", or {@link HEADER_LOCATION} for the header passage (global ¶ numbering). */
export function formatLocation(paragraph: number): string {
  return paragraph === 0 ? HEADER_LOCATION : `¶${paragraph}`;
}

/** "ch. 34", "Letter 2", "Epilogue", or with the part when numbers restart in each one: "Vol. 2, ch. 3". */
export const chapterLabel: (doc: LibraryDocument, chapter: Chapter) => string = chapterName;

function passageOf(doc: LibraryDocument, at: Passage | number): Passage | undefined {
  return typeof at === 'number' ? doc.passages.find((p) => p.paragraph === at) : at;
}

/**
 * Where a passage is, as a reader finds it in a printed copy.
 * Long form: `ch. 1 "Loomings", ¶2`, `ch. 34 ¶5`, `Letter 2 ¶3`, `Vol. 2, ch. 3 ¶4`,
 * `"Epilogue", ¶1`; short form (lists, "See also"): `ch. 1 ¶2`, `Epilogue ¶1`. Every form is a
 * reference `/passage` reads back (src/corpus/reference.ts). Outside chapters, and
 * in texts without chapters: `¶4`; the header: `¶0`.
 */
export function passageLocation(doc: LibraryDocument, at: Passage | number, form: 'long' | 'short' = 'long'): string {
  const passage = passageOf(doc, at);
  const paragraph = typeof at === 'number' ? at : at.paragraph;
  const chapter = passage?.chapter ? doc.chapters[passage.chapter - 1] : undefined;
  if (!chapter || !passage?.paragraphInChapter) return formatLocation(paragraph);
  const p = `¶${passage.paragraphInChapter}`;
  const label = chapterLabel(doc, chapter);
  if (form === 'short') return `${label} ${p}`;
  if (!chapter.number) return `"${label}", ${p}`;
  return chapter.title ? `${label} "${chapter.title}", ${p}` : `${label} ${p}`;
}

/** The short location for lists ("See also"): `ch. 1 ¶2`, `¶4`, `¶0`. */
export function shortLocation(doc: LibraryDocument, at: Passage | number): string {
  return passageLocation(doc, at, 'short');
}

export function citationParts(doc: LibraryDocument, at: Passage | number): Citation {
  return {
    author: doc.meta.author,
    title: doc.meta.title,
    book: doc.chapters.length > 0,
    source: formatSource(doc.meta),
    location: passageLocation(doc, at),
    shortLocation: passageLocation(doc, at, 'short'),
  };
}

/**
 * A text as a whole, for lists of sources: `Herman Melville, Moby-Dick` or
 * `Victor Serge, "The End of Henry Yagoda", Socialist Appeal, …`.
 */
export function formatWork(doc: LibraryDocument): string {
  const book = doc.chapters.length > 0;
  return [doc.meta.author, book ? doc.meta.title : `"${doc.meta.title}"`, book ? undefined : formatSource(doc.meta)]
    .filter(Boolean)
    .join(', ');
}

/**
 * The citation of one passage, built from the document's metadata. A book
 * (a text with chapters) names the chapter and its title; an article its
 * source and global ¶.
 *
 * @example
 * formatCitation(article, 4)
 * // 'Victor Serge, "The End of Henry Yagoda", Socialist Appeal, Vol. 1 No. 3, 28 August 1937, p. 9, ¶4'
 * formatCitation(mobyDick, mobyDick.passages[2])
 * // 'Herman Melville, Moby-Dick, ch. 1 "Loomings", ¶2'
 */
export function formatCitation(doc: LibraryDocument, at: Passage | number): string {
  return citationText(citationParts(doc, at));
}

/** The one citation formatter: a citation's parts as one line (see {@link formatCitation}). */
export function citationText(c: Citation): string {
  return [c.author, c.book ? c.title : `"${c.title}"`, c.book ? undefined : c.source, c.location]
    .filter(Boolean)
    .join(', ');
}

/** The short citation of lists ("See also"): `"Moby-Dick", ch. 1 ¶2`, the same form for every text. */
export function shortCitationText(c: Citation): string {
  return `"${c.title}", ${c.shortLocation}`;
}

/**
 * The citation of a passage found by id in a library (answers, lists), or its ¶ alone when its text
 * is gone: the one formatter the terminal and Discord views share.
 */
export function passageCitation(
  library: { getDocument(id: string): LibraryDocument | undefined },
  passage: Passage,
): string {
  const doc = library.getDocument(passage.docId);
  return doc ? formatCitation(doc, passage) : formatLocation(passage.paragraph);
}

/** The citation of a cited passage, or its ¶ alone when its text is gone (as {@link passageCitation}). */
export function citedText(cited: { passage: Passage; citation?: Citation }): string {
  return cited.citation ? citationText(cited.citation) : formatLocation(cited.passage.paragraph);
}

/**
 * How far a reader has read, in terms of the text: the spoiler guard's one
 * rule. A reading group's member who has reached chapter N may be shown any
 * passage up to the end of chapter N in reading order (front matter before
 * the first chapter included), and nothing after it. The rule is on ¶
 * numbers, which run in reading order, so it holds for letters, prefaces,
 * volumes and appendices alike.
 */
import type { LibraryDocument, ReadingLimit } from '../types.js';
import { chapterName } from './reference.js';

/** The last ¶ a reader at `limit` may see: the end of chapter `through`, or what precedes chapter 1 for 0. */
export function lastReadableParagraph(doc: LibraryDocument, through: number): number {
  if (doc.chapters.length === 0) return Number.MAX_SAFE_INTEGER;
  if (through <= 0) return doc.chapters[0]!.firstParagraph - 1;
  const chapter = doc.chapters[Math.min(through, doc.chapters.length) - 1]!;
  // A book's closing matter (notes, an appendix after the last chapter) counts as read once the last chapter is.
  return through >= doc.chapters.length ? Number.MAX_SAFE_INTEGER : chapter.lastParagraph;
}

/** Whether ¶ `paragraph` of `docId` is within `limit` (always, for another text: the caller restricts texts). */
export function isReadable(doc: LibraryDocument, limit: ReadingLimit | undefined, paragraph: number): boolean {
  if (!limit || limit.docId !== doc.id) return true;
  return paragraph <= lastReadableParagraph(doc, limit.through);
}

/** "chapter 12", "Letter 3", "Vol. 2, ch. 3", or "the start of the book" for 0: for "Nothing up to … answers this." */
export function limitLabel(doc: LibraryDocument, through: number): string {
  if (through <= 0 || doc.chapters.length === 0) return 'the start of the book';
  const chapter = doc.chapters[Math.min(through, doc.chapters.length) - 1]!;
  const name = chapterName(doc, chapter);
  return name.startsWith('ch. ') ? `chapter ${name.slice(4)}` : name;
}

/** What Lectern says when nothing within the limit answers: the same whether or not a later chapter would. */
export function declinedWithinLimit(doc: LibraryDocument, through: number): string {
  return `Nothing up to ${limitLabel(doc, through)} answers this.`;
}

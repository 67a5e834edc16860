/**
 * A reader's limit as typed on the command line and in the terminal chat
 * (`ask --until 12`, `/bookmark Letter 3`): any chapter reference that
 * `--chapter` and `/chapter` accept (docs/formats.md, References), read in one
 * text. "0" means nothing read yet (only what precedes chapter 1 is open).
 */
import type { Library } from '../corpus/library.js';
import { limitLabel } from '../corpus/reading-limit.js';
import type { ReadingLimit } from '../types.js';

/** The limit a reference names in text `docId`, or a one-line message saying what is wrong. */
export function readingLimitOf(library: Library, docId: string, reference: string): ReadingLimit | string {
  const doc = library.getDocument(docId);
  if (!doc) return `No text with id "${docId}".`;
  const ref = reference.trim();
  if (!ref) return 'Which chapter? For example 12, Letter 3 or "Vol. 2, ch. 3".';
  if (doc.chapters.length === 0) return `"${doc.meta.title}" has no chapters to read up to.`;
  if (/^0+$/.test(ref)) return { docId, through: 0 };
  const chapter = library.getChapter(docId, ref);
  if (!chapter) return `"${doc.meta.title}" has no chapter "${ref}" (it has ${doc.chapters.length}).`;
  return { docId, through: chapter.ordinal };
}

/** "chapter 12 of Moby-Dick": how a bookmark is shown back to the reader. */
export function describeLimit(library: Library, limit: ReadingLimit): string {
  const doc = library.getDocument(limit.docId);
  return doc ? `${limitLabel(doc, limit.through)} of ${doc.meta.title}` : limit.docId;
}

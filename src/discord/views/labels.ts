/**
 * How views name a passage: its ¶ label and its full citation.
 */
import { shortLocation } from '../../answer/citation.js';
import type { Passage } from '../../types.js';
import type { LibraryView } from '../library-view.js';

/** "¶4", "ch. 1 ¶2" in a book, or with several texts "¶4 · The End of Henry Yagoda". */
export function passageLabel(passage: Passage, library: LibraryView): string {
  const doc = library.getDocument(passage.docId);
  const label = passage.paragraph === 0 ? 'Header (¶0)' : doc ? shortLocation(doc, passage) : `¶${passage.paragraph}`;
  return library.multipleDocuments && doc ? `${label} · ${doc.meta.title}` : label;
}

/** The passage's citation (author, title, source, ¶), or its ¶ alone when its text is gone. */
export function passageCitation(passage: Passage, library: LibraryView): string {
  const doc = library.getDocument(passage.docId);
  return doc ? library.cite(doc, passage.paragraph) : `¶${passage.paragraph}`;
}

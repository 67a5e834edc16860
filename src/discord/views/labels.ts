/**
 * How views name a passage: its ¶ label (the full citation is `passageCitation` in src/answer/citation.ts).
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

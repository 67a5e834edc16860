/**
 * What the views need from the engine's library (documents, passages,
 * citations), and the document numbers buttons store instead of long ids.
 */
import { formatCitation } from '../answer/citation.js';
import { cleanQuestion, truncateQuestion } from './engine.js';
import type { LibraryDocument, Passage } from '../types.js';
import type { BotEngine } from './engine.js';
import { escapedLine } from './excerpt.js';

/** The library as the views read it. */
export interface LibraryView {
  getDocument(id: string): LibraryDocument | undefined;
  getPassage(docId: string, paragraph: number): Passage | undefined;
  paragraphCount(docId: string): number;
  /** e.g. `Victor Serge, "The End of Henry Yagoda", Socialist Appeal, …, ¶4`. */
  cite(doc: LibraryDocument, paragraph: number): string;
  /** Whether the library holds more than one text (then passages name their text). */
  multipleDocuments: boolean;
}

/** The library as buttons address it: by index build and document number. */
export interface ButtonTargets {
  /** Changes when the index is rebuilt; stored in buttons to detect stale answers. */
  readonly indexId: string;
  /** Position of a document in the library (what buttons store instead of long ids); -1 when absent. */
  docNumber(docId: string): number;
  docAt(number: number): LibraryDocument | undefined;
}

/** Both views of the engine's library; reads `engine.library` on every call, as an engine may swap in a rebuilt index. */
export function libraryViewOf(engine: BotEngine): LibraryView & ButtonTargets {
  return {
    getDocument: (id) => engine.library.getDocument(id),
    getPassage: (docId, paragraph) => engine.library.getPassage(docId, paragraph),
    paragraphCount: (docId) => engine.library.paragraphCount(docId),
    cite: (doc, paragraph) => formatCitation(doc, paragraph),
    get multipleDocuments() {
      return engine.library.documents.length > 1;
    },
    get indexId() {
      return engine.indexId;
    },
    docNumber: (docId) => engine.library.documents.findIndex((d) => d.id === docId),
    docAt: (number) => engine.library.documents[number],
  };
}

/**
 * The document a `text:` option names: its id (what autocomplete sends) or,
 * when someone typed instead of picking, the best title match.
 */
export function resolveText(
  engine: BotEngine,
  text: string | null | undefined,
): { doc?: LibraryDocument; error?: string } {
  if (!text) return {};
  const library = engine.library;
  const doc = library.getDocument(text) ?? library.searchTitles(text)[0];
  if (doc) return { doc };
  // The reader's words come back cleaned (no control, bidi or invalid characters) and escaped:
  // echoed raw, "**x**", "<@&id>" or a code fence would render, and a cut could split an emoji.
  const shown = escapedLine(truncateQuestion(cleanQuestion(text), 100).text, 250);
  return { error: `I have no text matching “${shown}”. See /sources for the texts I can quote.` };
}

/** The document and ¶ of a passage id (`${docId}#${paragraph}`, see src/types.ts). */
export function parsePassageId(id: string): { docId: string; paragraph: number } {
  const hash = id.lastIndexOf('#');
  return { docId: id.slice(0, hash), paragraph: Number(id.slice(hash + 1)) };
}

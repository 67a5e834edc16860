/**
 * The library as the bot reads it, one interface for commands, buttons and
 * views: the engine's library (BotLibrary, the engine's side of the contract),
 * citations, and the document numbers buttons store instead of long ids.
 */
import { formatCitation } from '../answer/citation.js';
import { cleanQuestion, truncateQuestion } from './engine.js';
import type { LibraryDocument } from '../types.js';
import type { BotEngine, BotLibrary } from './engine.js';
import { escapedLine } from './excerpt.js';

/** The library as the bot reads it: every command, button and view goes through this, never `engine.library`. */
export interface LibraryView extends BotLibrary {
  /** e.g. `Victor Serge, "The End of Henry Yagoda", Socialist Appeal, …, ¶4`. */
  cite(doc: LibraryDocument, paragraph: number): string;
  /** Whether the library holds more than one text (then passages name their text). */
  readonly multipleDocuments: boolean;
  /** Changes when the index is rebuilt; stored in buttons to detect stale answers. */
  readonly indexId: string;
  /** Position of a document in the library (what buttons store instead of long ids); -1 when absent. */
  docNumber(docId: string): number;
  docAt(number: number): LibraryDocument | undefined;
}

/** The engine's library as a {@link LibraryView}; reads `engine.library` on every call, as an engine may swap in a rebuilt index. */
export function libraryViewOf(engine: BotEngine): LibraryView {
  const library = (): BotLibrary => engine.library;
  return {
    get documents() {
      return library().documents;
    },
    get defaultDocument() {
      return library().defaultDocument;
    },
    getDocument: (id) => library().getDocument(id),
    getPassage: (docId, paragraph) => library().getPassage(docId, paragraph),
    paragraphCount: (docId) => library().paragraphCount(docId),
    searchTitles: (query) => library().searchTitles(query),
    chapterCount: (docId) => library().chapterCount(docId),
    wordCount: (docId) => library().wordCount(docId),
    getChapter: (docId, ref) => library().getChapter(docId, ref),
    searchChapters: (docId, query) => library().searchChapters(docId, query),
    resolveReference: (docId, reference) => library().resolveReference(docId, reference),
    parseChapterRange: (docId, value) => library().parseChapterRange(docId, value),
    cite: (doc, paragraph) => formatCitation(doc, paragraph),
    get multipleDocuments() {
      return library().documents.length > 1;
    },
    get indexId() {
      return engine.indexId;
    },
    docNumber: (docId) => library().documents.findIndex((d) => d.id === docId),
    docAt: (number) => library().documents[number],
  };
}

/**
 * The document a `text:` option names: its id (what autocomplete sends) or,
 * when someone typed instead of picking, the best title match.
 */
export function resolveText(
  library: LibraryView,
  text: string | null | undefined,
): { doc?: LibraryDocument; error?: string } {
  if (!text) return {};
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

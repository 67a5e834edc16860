/**
 * What the bot needs from Lectern, as a structural type: the real `Lectern`
 * class satisfies it, and the bot does not depend on the engine's internals.
 */
import { formatCitation } from '../answer/citation.js';
import type { Answer, LibraryDocument, Passage } from '../types.js';
import type { RenderContext } from './render.js';

/** Options of `Lectern.ask` that the bot uses. */
export interface BotAskOptions {
  docId?: string;
  limit?: number;
  offset?: number;
  followUpOf?: string;
}

/** The library view the bot uses (see src/corpus/library.ts). */
export interface BotLibrary {
  readonly documents: readonly LibraryDocument[];
  readonly defaultDocument: LibraryDocument;
  getDocument(id: string): LibraryDocument | undefined;
  getPassage(docId: string, paragraph: number): Passage | undefined;
  paragraphCount(docId: string): number;
  searchTitles(query: string): LibraryDocument[];
}

/** The engine as the bot sees it: `Lectern` from src/lectern.ts. */
export interface BotEngine {
  readonly library: BotLibrary;
  /** Changes when the index is rebuilt; stored in buttons to detect stale answers. */
  readonly indexId: string;
  ask(question: string, options?: BotAskOptions): Promise<Answer>;
  close(): Promise<void>;
}

/** Rendering context over the engine's library, citing with the engine's formatter. */
export function renderContextFor(engine: BotEngine): RenderContext {
  // Read `engine.library` on every call: an engine may swap in a rebuilt index.
  return {
    getDocument: (id) => engine.library.getDocument(id),
    getPassage: (docId, paragraph) => engine.library.getPassage(docId, paragraph),
    paragraphCount: (docId) => engine.library.paragraphCount(docId),
    cite: (doc, paragraph) => formatCitation(doc, paragraph),
    get multipleDocuments() {
      return engine.library.documents.length > 1;
    },
  };
}

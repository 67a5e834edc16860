/**
 * What the bot needs from Lectern, as a structural type: the real `Lectern`
 * class satisfies it, and the bot does not depend on the engine's internals.
 */
import type { Answer, LibraryDocument, Passage } from '../types.js';

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

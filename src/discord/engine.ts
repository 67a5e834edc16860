/**
 * What the bot needs from Lectern, as a structural type: the real `Lectern`
 * class satisfies it, and the bot does not depend on the engine's internals.
 */
import type { LibraryTextRecord } from '../store/types.js';
import type { Answer, Chapter, LibraryDocument, Passage, ReadingLimit } from '../types.js';
import type { AddRequest, BuildReporter, DownloadNote, QueuedText } from '../libraries/server-libraries.js';
import type { LibrariesConfig } from '../libraries/config.js';

/*
 * The engine's helpers the bot uses, re-exported so that this file is the bot's one door into the engine
 * (eslint.config.js enforces it): question limits and cleaning for echoing a reader's words, the
 * reference a chapter is offered as, and the reading-limit rule the spoiler guard shares with the engine.
 */
export { MAX_QUESTION_LENGTH, cleanQuestion, truncateQuestion } from '../search/ask.js';
export { stripDiscordMarkup } from '../text/markup.js';
export { chapterReference } from '../corpus/reference.js';
export { lastReadableParagraph, limitLabel } from '../corpus/reading-limit.js';
/*
 * Per-server libraries (src/libraries): the bot downloads an attachment (only from the hosts configured),
 * hands its bytes to the libraries, and reports the build they run.
 */
export { downloadAttachment, formatMegabytes, UploadRefused } from '../libraries/download.js';
export { ServerLibraries } from '../libraries/server-libraries.js';
export { loadLibrariesConfig } from '../libraries/config.js';
export type { BuildOutcome, BuildProgress, BuildReporter } from '../libraries/server-libraries.js';
/** The engine that serves the shared library and lends its model to every server's (src/lectern.ts). */
export type { Lectern as ServingEngine } from '../lectern.js';

/** Options of `Lectern.ask` that the bot uses. */
export interface BotAskOptions {
  docId?: string;
  limit?: number;
  offset?: number;
  followUpOf?: string;
  /** A chapter or range of chapters ("34", "30-35", a title) of `docId` (default: the first text). */
  chapter?: string;
  /** A reading group's limit: nothing past it is searched, quoted or listed (src/corpus/reading-limit.ts). */
  until?: ReadingLimit;
}

/** Options of `Lectern.converse` that the bot uses. */
export type BotConverseOptions = Omit<BotAskOptions, 'followUpOf'>;

/** The library view the bot uses (see src/corpus/library.ts). */
export interface BotLibrary {
  readonly documents: readonly LibraryDocument[];
  readonly defaultDocument: LibraryDocument;
  getDocument(id: string): LibraryDocument | undefined;
  getPassage(docId: string, paragraph: number): Passage | undefined;
  paragraphCount(docId: string): number;
  searchTitles(query: string): LibraryDocument[];
  chapterCount(docId: string): number;
  wordCount(docId: string): number;
  getChapter(docId: string, ref: string | number): Chapter | undefined;
  searchChapters(docId: string, query: string): Chapter[];
  resolveReference(docId: string, reference: string): { passage: Passage; chapter?: Chapter } | undefined;
  parseChapterRange(docId: string, value: string): { label: string; from: number; to: number } | string;
}

/** The engine as the bot sees it: `Lectern` from src/lectern.ts. */
export interface BotEngine {
  readonly library: BotLibrary;
  /** Changes when the index is rebuilt; stored in buttons to detect stale answers. */
  readonly indexId: string;
  ask(question: string, options?: BotAskOptions): Promise<Answer>;
  /**
   * One message of the conversation under `key` (a channel and user): a new
   * question, or a follow-up of the last one. The store is bounded (LRU + TTL).
   */
  converse(key: string, message: string, options?: BotConverseOptions): Promise<{ answer: Answer }>;
  /** Three passages of the week's chapters (ordinals, inclusive) as discussion prompts, in reading order. */
  discussionStarters(docId: string, range: { from: number; to: number }): Passage[];
  close(): Promise<void>;
}

/** Per-server libraries as the bot uses them (src/libraries/server-libraries.ts). */
export interface BotLibraries {
  readonly config: Pick<
    LibrariesConfig,
    'sharedTexts' | 'maxFileBytes' | 'maxTexts' | 'maxTotalBytes' | 'attachmentHosts' | 'downloadStallMs'
  >;
  /**
   * What a place's questions are answered from (null when it can see no text at all), kept open until
   * `release` even if it is evicted meanwhile.
   */
  borrow(guildId: string | null): Promise<{ engine: BotEngine | null; release: () => void }>;
  /** The shared library, or null when LECTERN_SHARED_TEXTS=false. */
  sharedLibrary(): BotLibrary | null;
  texts(guildId: string): Promise<LibraryTextRecord[]>;
  noteDownload(download: DownloadNote): Promise<void>;
  forgetDownload(guildId: string, interactionId: string): Promise<void>;
  add(request: AddRequest, reporter: BuildReporter): Promise<QueuedText>;
  remove(guildId: string, file: string, reporter: BuildReporter): Promise<QueuedText>;
  cancel(guildId: string, file: string): boolean;
  resumeQueued(
    serves: (guildId: string) => boolean,
    reporterFor: (text: LibraryTextRecord) => BuildReporter,
  ): Promise<number>;
  close(): Promise<void>;
}

/**
 * The one store interface behind both databases (SQLite and PostgreSQL).
 *
 * Isolation by construction: every method that reads or writes a server's
 * clubs or bookmarks takes that server's guild id and matches it in SQL, so a
 * club id from another server finds nothing. The only reads across servers are
 * the reminder scheduler's (dueReminders, nextReminderAt), and every row they
 * return carries its guild id.
 *
 * Every write is one transaction, committed before the promise resolves: a
 * command acknowledges only after its write is durable.
 */
import type { ClubStatus, LibraryTextState } from './schema.js';

export type { ClubStatus, LibraryTextState } from './schema.js';

/** Chapters first..last (1-based ordinals in reading order, inclusive). */
export interface ChapterRange {
  first: number;
  last: number;
}

export interface ClubRecord {
  id: number;
  guildId: string;
  channelId: string;
  textId: string;
  chapterCount: number;
  /** Week i (0-based) reads weeks[i]. */
  weeks: ChapterRange[];
  /** Start of week 1 (ms since the epoch); moved later by each pause's length on resume. */
  startsAt: number;
  status: ClubStatus;
  pausedAt: number | null;
  manualPosition: number | null;
  /** The week (0-based, -1 before the start) during which manualPosition holds. */
  manualPositionWeek: number | null;
  nextPostAt: number | null;
  lastPostedWeek: number | null;
  createdBy: string;
  createdAt: number;
  endedAt: number | null;
}

/**
 * What starting a club stores; the rest of a ClubRecord starts empty. `channelId` is a thread's or forum
 * post's parent channel; `nextPostAt` is the first reminder's time (src/club/timeline.ts firstReminderAt).
 */
export type NewClub = Pick<
  ClubRecord,
  'guildId' | 'channelId' | 'textId' | 'chapterCount' | 'weeks' | 'startsAt' | 'nextPostAt' | 'createdBy' | 'createdAt'
>;

export interface ReminderClaim {
  guildId: string;
  clubId: number;
  /** The next_post_at the caller read: the claim succeeds only if it is still the stored value. */
  expectedNextPostAt: number;
  /** The week (0-based) being posted, or null when the claim only moves past a finished schedule. */
  week: number | null;
  /** The following reminder's time, or null for none. */
  nextPostAt: number | null;
}

/** A text a server added (src/libraries), as the store keeps it. */
export interface LibraryTextRecord {
  guildId: string;
  /** The stored file's name in the server's texts folder. */
  file: string;
  originalName: string;
  hash: string;
  bytes: number;
  state: LibraryTextState;
  docId: string | null;
  title: string | null;
  author: string | null;
  chapters: number | null;
  words: number | null;
  requestedTitle: string | null;
  requestedAuthor: string | null;
  addedBy: string;
  addedAt: number;
  progressChannelId: string | null;
  progressMessageId: string | null;
}

/** What queuing a text stores; the rest comes with its build. */
export type NewLibraryText = Pick<
  LibraryTextRecord,
  'guildId' | 'file' | 'originalName' | 'hash' | 'bytes' | 'requestedTitle' | 'requestedAuthor' | 'addedBy' | 'addedAt'
>;

/** What a finished build tells of a text. */
export type BuiltText = Pick<LibraryTextRecord, 'docId' | 'title' | 'author' | 'chapters' | 'words'>;

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** The SQLite file, or the PostgreSQL URL without its password: for messages and logs. */
  readonly location: string;

  /** Starts a club; throws a LecternError if the channel already has an open (active or paused) club. */
  startClub(club: NewClub): Promise<ClubRecord>;
  /** The channel's open club (pass a thread's parent channel id). */
  openClub(guildId: string, channelId: string): Promise<ClubRecord | undefined>;
  /** The server's clubs, newest first; ended ones only if asked. */
  clubs(guildId: string, options?: { includeEnded?: boolean }): Promise<ClubRecord[]>;
  /** Sets the club's position by hand for `week` (0-based, -1 before the start). False if no open club has that id here. */
  setPosition(guildId: string, clubId: number, chapter: number, week: number): Promise<boolean>;
  /** False if the club is not active (already paused, ended, or not this server's). */
  pauseClub(guildId: string, clubId: number, at: number): Promise<boolean>;
  /** Moves the schedule and the next reminder later by the pause's length. False if the club is not paused. */
  resumeClub(guildId: string, clubId: number, at: number): Promise<boolean>;
  /** Ends the club and cancels its reminders; its bookmarks go with it. False if it was not open. */
  endClub(guildId: string, clubId: number, at: number): Promise<boolean>;

  /** Sets a member's bookmark in an open club. False if no open club has that id here. */
  setBookmark(guildId: string, clubId: number, userId: string, chapter: number, at: number): Promise<boolean>;
  /** False if the member had no bookmark. */
  clearBookmark(guildId: string, clubId: number, userId: string): Promise<boolean>;
  bookmark(guildId: string, clubId: number, userId: string): Promise<number | undefined>;

  /** Active clubs (any server) whose next reminder is due at `now`, earliest first. */
  dueReminders(now: number, limit: number): Promise<ClubRecord[]>;
  /** The earliest pending reminder time of any active club. */
  nextReminderAt(): Promise<number | undefined>;
  /**
   * Compare-and-set of the club's next_post_at: true for exactly one caller per
   * due reminder, across processes and restarts. Claim first, then post: a
   * crash between the two loses that post rather than sending it twice.
   */
  claimReminder(claim: ReminderClaim): Promise<boolean>;

  /** The server's texts, oldest first; queued ones (being built) only if asked. */
  libraryTexts(guildId: string, options?: { includeQueued?: boolean }): Promise<LibraryTextRecord[]>;
  /**
   * Records a text as queued. Throws {@link DuplicateTextError} (the existing record's file) when the server
   * already has a text with that hash or file name: a unique index, so two adds racing get one row.
   */
  queueLibraryText(text: NewLibraryText): Promise<LibraryTextRecord>;
  /** Where the queued text's progress message is, for a report after a restart. */
  setLibraryProgressMessage(guildId: string, file: string, channelId: string, messageId: string): Promise<void>;
  /** Marks a queued text ready, with what its build found. False if it was not queued here. */
  markLibraryTextReady(guildId: string, file: string, built: BuiltText): Promise<boolean>;
  /** Forgets a text (a removed one, or a queued one whose build failed). False if there was none. */
  deleteLibraryText(guildId: string, file: string): Promise<boolean>;
  /** Queued texts of every server, oldest first: builds a restart interrupted. Every row carries its guild id. */
  queuedLibraryTexts(): Promise<LibraryTextRecord[]>;

  close(): Promise<void>;
}

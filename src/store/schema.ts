/**
 * The database's tables as Kysely sees them (column names are the SQL ones).
 * Times are milliseconds since the Unix epoch in `bigint` columns (read back as
 * numbers: see the int8 parser in open.ts); Discord ids are text (snowflakes
 * exceed 2^53). Chapters are 1-based ordinals in reading order; their labels
 * and titles are presentation and live with the text, not here.
 */
import type { Generated } from 'kysely';

export type ClubStatus = 'active' | 'paused' | 'ended';

export interface ClubsTable {
  id: Generated<number>;
  guild_id: string;
  /** The channel the club belongs to; a thread's club is its parent channel's. */
  channel_id: string;
  /** The text the club reads (its id in the library). */
  text_id: string;
  /** Chapters in the text when the club started (schedules are checked against it). */
  chapter_count: number;
  /** JSON `[[first, last], …]`: week i (0-based) reads chapters first..last. */
  weeks: string;
  /** Start of week 1. Shifted later by the length of each pause, on resume. */
  starts_at: number;
  status: ClubStatus;
  paused_at: number | null;
  /** Set by hand (`/club position`); holds only during week `manual_position_week` (0-based; -1 before the start). */
  manual_position: number | null;
  manual_position_week: number | null;
  /** When the next week's reminder is due; null when none is left (or the club ended). */
  next_post_at: number | null;
  /** The last week (0-based) whose reminder was claimed, for the record. */
  last_posted_week: number | null;
  created_by: string;
  created_at: number;
  ended_at: number | null;
}

export interface BookmarksTable {
  guild_id: string;
  club_id: number;
  user_id: string;
  /** The member's own position: the last chapter they have read. */
  chapter: number;
  updated_at: number;
}

export type LibraryTextState = 'queued' | 'ready';

/** A text a server added with /library add (src/libraries): its file under LECTERN_DATA_DIR and what it is. */
export interface LibraryTextsTable {
  guild_id: string;
  /** The stored file's name in the server's texts folder; unique in the server (and not a shared text's). */
  file: string;
  /** The attachment's name as uploaded. */
  original_name: string;
  /** sha256 of the uploaded bytes: the same file added twice is recognised by it. */
  hash: string;
  bytes: number;
  /** "queued" until its build is written; only "ready" texts are in the server's library. */
  state: LibraryTextState;
  /** Set when ready, from the build: the text's id, metadata, chapters and words. */
  doc_id: string | null;
  title: string | null;
  author: string | null;
  chapters: number | null;
  words: number | null;
  /** The title and author given with /library add (they override the file's own metadata). */
  requested_title: string | null;
  requested_author: string | null;
  added_by: string;
  added_at: number;
  /** The progress message of a queued text's build, to report on after a restart. */
  progress_channel_id: string | null;
  progress_message_id: string | null;
}

export interface Database {
  clubs: ClubsTable;
  bookmarks: BookmarksTable;
  library_texts: LibraryTextsTable;
}

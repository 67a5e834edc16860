/**
 * The Store over Kysely: one set of queries for both dialects (open.ts picks
 * the dialect and checks the database before this runs).
 *
 * Transactions: every write but endClub is one statement, which both databases
 * run atomically and commit before it returns (autocommit), so it is not
 * wrapped in BEGIN/COMMIT. That matters for SQLite: better-sqlite3 is
 * synchronous, and an explicit transaction holds the write lock across awaits,
 * so a second connection in the same process waiting on it blocks the event
 * loop for the whole busy timeout and the first can never commit (measured:
 * "database is locked" after 5 s with two stores in one process). endClub's two
 * statements need one transaction; it is short, and a process opens one store.
 */
import type { Kysely, Selectable } from 'kysely';
import { LecternError } from '../errors.js';
import type { SqlDialect } from './migrations.js';
import type { ClubsTable, Database, LibraryTextsTable } from './schema.js';
import type {
  BuiltText,
  ChapterRange,
  ClubRecord,
  LibraryTextRecord,
  NewClub,
  NewLibraryText,
  ReminderClaim,
  Store,
} from './types.js';

/** The channel already has an open club. */
export class ClubExistsError extends LecternError {}

/** The server already has this text (same hash) or a text stored under that file name. */
export class DuplicateTextError extends LecternError {
  constructor(readonly existing: LibraryTextRecord | undefined) {
    super('This server already has that text.');
  }
}

export class KyselyStore implements Store {
  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: SqlDialect,
    readonly location: string,
  ) {}

  async startClub(club: NewClub): Promise<ClubRecord> {
    try {
      const row = await this.db
        .insertInto('clubs')
        .values({
          guild_id: club.guildId,
          channel_id: club.channelId,
          text_id: club.textId,
          chapter_count: club.chapterCount,
          weeks: JSON.stringify(club.weeks.map((w) => [w.first, w.last])),
          starts_at: club.startsAt,
          status: 'active',
          next_post_at: club.nextPostAt,
          created_by: club.createdBy,
          created_at: club.createdAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toClub(row);
    } catch (error) {
      // The partial unique index clubs_open_channel, not a read-then-insert: two starts racing get one club.
      if (isUniqueViolation(error))
        throw new ClubExistsError('This channel already has a reading club: end it with /club end first.');
      throw error;
    }
  }

  async openClub(guildId: string, channelId: string): Promise<ClubRecord | undefined> {
    const row = await this.db
      .selectFrom('clubs')
      .selectAll()
      .where('guild_id', '=', guildId)
      .where('channel_id', '=', channelId)
      .where('status', '<>', 'ended')
      .executeTakeFirst();
    return row && toClub(row);
  }

  async clubs(guildId: string, options: { includeEnded?: boolean } = {}): Promise<ClubRecord[]> {
    let query = this.db.selectFrom('clubs').selectAll().where('guild_id', '=', guildId);
    if (!options.includeEnded) query = query.where('status', '<>', 'ended');
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
    return rows.map(toClub);
  }

  async setPosition(guildId: string, clubId: number, chapter: number, week: number): Promise<boolean> {
    return this.updateOne(guildId, clubId, ['active', 'paused'], {
      manual_position: chapter,
      manual_position_week: week,
    });
  }

  async pauseClub(guildId: string, clubId: number, at: number): Promise<boolean> {
    return this.updateOne(guildId, clubId, ['active'], { status: 'paused', paused_at: at });
  }

  async resumeClub(guildId: string, clubId: number, at: number): Promise<boolean> {
    // One statement, so the shift is computed from the stored paused_at under the row's lock; null + x stays null.
    const result = await this.db
      .updateTable('clubs')
      .set((eb) => ({
        status: 'active',
        starts_at: eb('starts_at', '+', eb(eb.val(at), '-', eb.ref('paused_at'))),
        next_post_at: eb('next_post_at', '+', eb(eb.val(at), '-', eb.ref('paused_at'))),
        paused_at: null,
      }))
      .where('guild_id', '=', guildId)
      .where('id', '=', clubId)
      .where('status', '=', 'paused')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async endClub(guildId: string, clubId: number, at: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('clubs')
        .set({ status: 'ended', ended_at: at, next_post_at: null })
        .where('guild_id', '=', guildId)
        .where('id', '=', clubId)
        .where('status', '<>', 'ended')
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return false;
      await trx.deleteFrom('bookmarks').where('guild_id', '=', guildId).where('club_id', '=', clubId).execute();
      return true;
    });
  }

  async setBookmark(guildId: string, clubId: number, userId: string, chapter: number, at: number): Promise<boolean> {
    // Insert-from-select: the bookmark is written only if this server has that open club, in the same statement.
    const result = await this.db
      .insertInto('bookmarks')
      .columns(['guild_id', 'club_id', 'user_id', 'chapter', 'updated_at'])
      .expression((eb) =>
        eb
          .selectFrom('clubs')
          .select([
            'guild_id',
            'id',
            // Typed casts: PostgreSQL reads an untyped parameter in a SELECT list as text.
            eb.cast<string>(eb.val(userId), 'text').as('user_id'),
            eb.cast<number>(eb.val(chapter), 'integer').as('chapter'),
            eb.cast<number>(eb.val(at), 'bigint').as('updated_at'),
          ])
          .where('guild_id', '=', guildId)
          .where('id', '=', clubId)
          .where('status', '<>', 'ended'),
      )
      .onConflict((oc) =>
        oc.columns(['club_id', 'user_id']).doUpdateSet((eb) => ({
          chapter: eb.ref('excluded.chapter'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async clearBookmark(guildId: string, clubId: number, userId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('bookmarks')
      .where('guild_id', '=', guildId)
      .where('club_id', '=', clubId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async bookmark(guildId: string, clubId: number, userId: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('bookmarks')
      .select('chapter')
      .where('guild_id', '=', guildId)
      .where('club_id', '=', clubId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row?.chapter;
  }

  async dueReminders(now: number, limit: number): Promise<ClubRecord[]> {
    const rows = await this.db
      .selectFrom('clubs')
      .selectAll()
      .where('status', '=', 'active')
      .where('next_post_at', 'is not', null)
      .where('next_post_at', '<=', now)
      .orderBy('next_post_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toClub);
  }

  async nextReminderAt(): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('clubs')
      .select((eb) => eb.fn.min('next_post_at').as('next'))
      .where('status', '=', 'active')
      .executeTakeFirst();
    return row?.next === null || row?.next === undefined ? undefined : Number(row.next);
  }

  async claimReminder(claim: ReminderClaim): Promise<boolean> {
    // Compare-and-set: a second process (or the same one after a restart) that read the same next_post_at
    // updates no row, in SQLite (one writer at a time) and in PostgreSQL (the row lock, then the WHERE re-checked).
    const result = await this.db
      .updateTable('clubs')
      .set({ next_post_at: claim.nextPostAt, last_posted_week: claim.week })
      .where('guild_id', '=', claim.guildId)
      .where('id', '=', claim.clubId)
      .where('status', '=', 'active')
      .where('next_post_at', '=', claim.expectedNextPostAt)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async libraryTexts(guildId: string, options: { includeQueued?: boolean } = {}): Promise<LibraryTextRecord[]> {
    let query = this.db.selectFrom('library_texts').selectAll().where('guild_id', '=', guildId);
    if (!options.includeQueued) query = query.where('state', '=', 'ready');
    const rows = await query.orderBy('added_at').orderBy('file').execute();
    return rows.map(toLibraryText);
  }

  async queueLibraryText(text: NewLibraryText): Promise<LibraryTextRecord> {
    try {
      const row = await this.db
        .insertInto('library_texts')
        .values({
          guild_id: text.guildId,
          file: text.file,
          original_name: text.originalName,
          hash: text.hash,
          bytes: text.bytes,
          state: 'queued',
          requested_title: text.requestedTitle,
          requested_author: text.requestedAuthor,
          added_by: text.addedBy,
          added_at: text.addedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toLibraryText(row);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const existing = await this.db
        .selectFrom('library_texts')
        .selectAll()
        .where('guild_id', '=', text.guildId)
        .where((eb) => eb.or([eb('hash', '=', text.hash), eb('file', '=', text.file)]))
        .orderBy('added_at')
        .executeTakeFirst();
      throw new DuplicateTextError(existing && toLibraryText(existing));
    }
  }

  async setLibraryProgressMessage(guildId: string, file: string, channelId: string, messageId: string): Promise<void> {
    await this.db
      .updateTable('library_texts')
      .set({ progress_channel_id: channelId, progress_message_id: messageId })
      .where('guild_id', '=', guildId)
      .where('file', '=', file)
      .execute();
  }

  async markLibraryTextReady(guildId: string, file: string, built: BuiltText): Promise<boolean> {
    const result = await this.db
      .updateTable('library_texts')
      .set({
        state: 'ready',
        doc_id: built.docId,
        title: built.title,
        author: built.author,
        chapters: built.chapters,
        words: built.words,
        progress_channel_id: null,
        progress_message_id: null,
      })
      .where('guild_id', '=', guildId)
      .where('file', '=', file)
      .where('state', '=', 'queued')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async deleteLibraryText(guildId: string, file: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('library_texts')
      .where('guild_id', '=', guildId)
      .where('file', '=', file)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async queuedLibraryTexts(): Promise<LibraryTextRecord[]> {
    const rows = await this.db
      .selectFrom('library_texts')
      .selectAll()
      .where('state', '=', 'queued')
      .orderBy('added_at')
      .orderBy('guild_id')
      .execute();
    return rows.map(toLibraryText);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  private async updateOne(
    guildId: string,
    clubId: number,
    fromStatus: ClubsTable['status'][],
    values: Partial<Omit<Selectable<ClubsTable>, 'id'>>,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('clubs')
      .set(values)
      .where('guild_id', '=', guildId)
      .where('id', '=', clubId)
      .where('status', 'in', fromStatus)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}

function toClub(row: Selectable<ClubsTable>): ClubRecord {
  return {
    id: Number(row.id),
    guildId: row.guild_id,
    channelId: row.channel_id,
    textId: row.text_id,
    chapterCount: row.chapter_count,
    weeks: (JSON.parse(row.weeks) as [number, number][]).map(([first, last]): ChapterRange => ({ first, last })),
    startsAt: Number(row.starts_at),
    status: row.status,
    pausedAt: nullableNumber(row.paused_at),
    manualPosition: row.manual_position,
    manualPositionWeek: row.manual_position_week,
    nextPostAt: nullableNumber(row.next_post_at),
    lastPostedWeek: row.last_posted_week,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    endedAt: nullableNumber(row.ended_at),
  };
}

function toLibraryText(row: Selectable<LibraryTextsTable>): LibraryTextRecord {
  return {
    guildId: row.guild_id,
    file: row.file,
    originalName: row.original_name,
    hash: row.hash,
    bytes: Number(row.bytes),
    state: row.state,
    docId: row.doc_id,
    title: row.title,
    author: row.author,
    chapters: row.chapters,
    words: row.words,
    requestedTitle: row.requested_title,
    requestedAuthor: row.requested_author,
    addedBy: row.added_by,
    addedAt: Number(row.added_at),
    progressChannelId: row.progress_channel_id,
    progressMessageId: row.progress_message_id,
  };
}

function nullableNumber(value: number | null): number | null {
  return value === null ? null : Number(value);
}

/** SQLite's SQLITE_CONSTRAINT_UNIQUE or PostgreSQL's unique_violation (23505). */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

/**
 * The schema's versions, in code (no migration files to ship or find at run
 * time). Each migration's name starts with its version number; the database
 * records the ones it has run (table `lectern_migration`), and a database that
 * records a version above {@link SCHEMA_VERSION} was written by a newer Lectern
 * and is refused rather than touched (open.ts).
 *
 * Never edit a migration that has shipped: add the next one.
 */
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

export type SqlDialect = 'sqlite' | 'postgres';

export const MIGRATION_TABLE = 'lectern_migration';
export const MIGRATION_LOCK_TABLE = 'lectern_migration_lock';

/** The version a migration's name declares: `0001_clubs` → 1. */
export function migrationVersion(name: string): number {
  const match = /^(\d+)_/.exec(name);
  return match ? Number(match[1]) : Number.NaN;
}

// Migrations see the database untyped: they run against the schema as it was then, not as schema.ts says now.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

function migrationsFor(dialect: SqlDialect): Record<string, Migration> {
  return {
    '0001_clubs': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('clubs')
          .addColumn('id', 'integer', (c) =>
            dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity(),
          )
          .addColumn('guild_id', 'text', (c) => c.notNull())
          .addColumn('channel_id', 'text', (c) => c.notNull())
          .addColumn('text_id', 'text', (c) => c.notNull())
          .addColumn('chapter_count', 'integer', (c) => c.notNull())
          .addColumn('weeks', 'text', (c) => c.notNull())
          .addColumn('starts_at', 'bigint', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('paused_at', 'bigint')
          .addColumn('manual_position', 'integer')
          .addColumn('manual_position_week', 'integer')
          .addColumn('next_post_at', 'bigint')
          .addColumn('last_posted_week', 'integer')
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('ended_at', 'bigint')
          .addCheckConstraint('clubs_status', sql`status in ('active', 'paused', 'ended')`)
          // The target of bookmarks' foreign key, so a bookmark cannot point at another server's club.
          .addUniqueConstraint('clubs_guild_id_id', ['guild_id', 'id'])
          .execute();
        // One open club per channel; ended clubs stay as history and do not count.
        await db.schema
          .createIndex('clubs_open_channel')
          .on('clubs')
          .columns(['guild_id', 'channel_id'])
          .unique()
          .where(sql<boolean>`status <> 'ended'`)
          .execute();
        // The reminder scheduler's question: which active clubs are due?
        await db.schema
          .createIndex('clubs_next_post_at')
          .on('clubs')
          .column('next_post_at')
          .where(sql<boolean>`status = 'active'`)
          .execute();
        await db.schema
          .createTable('bookmarks')
          .addColumn('guild_id', 'text', (c) => c.notNull())
          .addColumn('club_id', 'integer', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('chapter', 'integer', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('bookmarks_pk', ['club_id', 'user_id'])
          .addForeignKeyConstraint('bookmarks_club', ['guild_id', 'club_id'], 'clubs', ['guild_id', 'id'], (c) =>
            c.onDelete('cascade'),
          )
          .execute();
      },
    },
    '0002_library': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('library_texts')
          .addColumn('guild_id', 'text', (c) => c.notNull())
          .addColumn('file', 'text', (c) => c.notNull())
          .addColumn('original_name', 'text', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .addColumn('bytes', 'bigint', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('doc_id', 'text')
          .addColumn('title', 'text')
          .addColumn('author', 'text')
          .addColumn('chapters', 'integer')
          .addColumn('words', 'integer')
          .addColumn('requested_title', 'text')
          .addColumn('requested_author', 'text')
          .addColumn('added_by', 'text', (c) => c.notNull())
          .addColumn('added_at', 'bigint', (c) => c.notNull())
          .addColumn('progress_channel_id', 'text')
          .addColumn('progress_message_id', 'text')
          .addCheckConstraint('library_texts_state', sql`state in ('queued', 'ready')`)
          .addPrimaryKeyConstraint('library_texts_pk', ['guild_id', 'file'])
          .execute();
        // The same file added twice to one server is found by its hash, and two adds racing get one row.
        await db.schema
          .createIndex('library_texts_guild_hash')
          .on('library_texts')
          .columns(['guild_id', 'hash'])
          .unique()
          .execute();
      },
    },
  };
}

/** The newest schema version this Lectern knows. */
export const SCHEMA_VERSION = Math.max(...Object.keys(migrationsFor('sqlite')).map(migrationVersion));

export function migrationProvider(dialect: SqlDialect): MigrationProvider {
  return { getMigrations: async () => migrationsFor(dialect) };
}

/**
 * Opening the store: the SQLite file or the PostgreSQL server, checked and
 * migrated before anything else runs. Every expected failure is one line that
 * names the file (or the URL without its password) and the fix.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { LecternError } from '../errors.js';
import { loadStoreConfig, redactUrl, type StoreConfig } from './config.js';
import { KyselyStore } from './kysely-store.js';
import {
  MIGRATION_LOCK_TABLE,
  MIGRATION_TABLE,
  SCHEMA_VERSION,
  migrationProvider,
  migrationVersion,
  type SqlDialect,
} from './migrations.js';
import type { Database } from './schema.js';
import type { Store } from './types.js';

export const SQLITE_OPTIONS = {
  /**
   * How long a write waits for another connection's (another process, or the
   * scheduler's) before failing. Lectern's transactions are single statements
   * taking microseconds, so 5 s is only reached by a stuck process.
   */
  busyTimeoutMs: 5_000,
} as const;

export const POSTGRES_OPTIONS = {
  /** Connections per process: a command is one or two statements, so a few suffice; shards multiply it. */
  maxConnections: 5,
  /** Give up connecting after this long, so an unreachable server stops start-up with a message instead of hanging. */
  connectTimeoutMs: 10_000,
} as const;

/** Opens the store the environment names (`DATABASE_URL`, else `LECTERN_DATA_DIR`), migrated to this Lectern's schema. */
export async function openStore(config: StoreConfig = loadStoreConfig()): Promise<Store> {
  return config.kind === 'sqlite' ? openSqlite(config.file) : openPostgres(config.url);
}

async function openSqlite(file: string): Promise<Store> {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
  } catch (error) {
    throw new LecternError(
      `Cannot create the data folder ${path.dirname(file)} (${errorCode(error)}): set LECTERN_DATA_DIR to a writable folder.`,
    );
  }
  const corrupt = () =>
    new LecternError(`${file} is not a Lectern database or is corrupt: move it aside or restore a backup.`);
  let database: Sqlite.Database;
  try {
    database = new Sqlite(file);
  } catch (error) {
    throw new LecternError(
      `Cannot open the database ${file} (${errorCode(error)}): check that it and its folder are readable and writable.`,
    );
  }
  try {
    // The first read of the file's header: a file that is not SQLite fails here (SQLITE_NOTADB).
    // WAL lets readers (status commands) run while the scheduler writes.
    database.pragma('journal_mode = WAL');
    // FULL: a commit is on disk before the command is acknowledged (NORMAL could lose the last ones on power loss).
    database.pragma('synchronous = FULL');
    database.pragma('foreign_keys = ON');
    database.pragma(`busy_timeout = ${SQLITE_OPTIONS.busyTimeoutMs}`);
    // Reads every page once; a damaged page fails now, with the message below, instead of in the middle of a command.
    // Measured: 35-56 ms on an 11 MB file (10,000 clubs, 200,000 bookmarks), far beyond a real bot's.
    if (database.pragma('quick_check', { simple: true }) !== 'ok') throw corrupt();
  } catch (error) {
    database.close();
    if (error instanceof LecternError) throw error;
    const code = errorCode(error);
    if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) throw corrupt();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return prepare(db, 'sqlite', file, corrupt);
}

async function openPostgres(url: string): Promise<Store> {
  const where = redactUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: POSTGRES_OPTIONS.maxConnections,
    connectionTimeoutMillis: POSTGRES_OPTIONS.connectTimeoutMs,
    types: { getTypeParser: int8AsNumber },
  });
  // An idle connection dropped by the server (restart, failover) is reported here; without a listener it would
  // crash the process. The pool replaces it, and the next query's own error (if any) reaches the caller.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw postgresStartError(where, error);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return prepare(
    db,
    'postgres',
    where,
    () => new LecternError(`${where} holds tables that are not Lectern's: give Lectern its own database.`),
  );
}

/**
 * Refuses a database that is not Lectern's or that a newer Lectern wrote, then
 * runs the missing migrations (under Kysely's migration lock, so several
 * processes starting together migrate once).
 */
async function prepare(
  db: Kysely<Database>,
  dialect: SqlDialect,
  location: string,
  notLectern: () => LecternError,
): Promise<Store> {
  try {
    const tables = await tableNames(db, dialect);
    if (tables.includes(MIGRATION_TABLE)) {
      const rows = await db
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        .selectFrom(MIGRATION_TABLE as any)
        .select('name')
        .execute();
      const found = Math.max(0, ...rows.map((r: { name: string }) => migrationVersion(r.name)));
      if (Number.isNaN(found)) throw notLectern();
      if (found > SCHEMA_VERSION)
        throw new LecternError(
          `${location} was written by a newer Lectern (schema ${found} > ${SCHEMA_VERSION}): upgrade Lectern.`,
        );
    } else if (tables.some((t) => t !== MIGRATION_LOCK_TABLE)) {
      throw notLectern();
    }
    const migrator = new Migrator({
      db,
      provider: migrationProvider(dialect),
      migrationTableName: MIGRATION_TABLE,
      migrationLockTableName: MIGRATION_LOCK_TABLE,
    });
    const { error } = await migrator.migrateToLatest();
    if (error)
      throw new LecternError(
        `Could not update the database schema in ${location} (${(error as Error).message}): restore a backup and report this.`,
      );
    return new KyselyStore(db, dialect, location);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw error;
  }
}

/** The tables Lectern would see: SQLite's, or those in PostgreSQL's current schema (not every schema, as Kysely's introspection lists). */
async function tableNames(db: Kysely<Database>, dialect: SqlDialect): Promise<string[]> {
  const query =
    dialect === 'sqlite'
      ? sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`
      : sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = current_schema()`;
  return (await query.execute(db)).rows.map((r) => r.name);
}

function postgresStartError(where: string, error: unknown): LecternError {
  const code = errorCode(error);
  if (code === '28P01' || code === '28000')
    return new LecternError(
      `PostgreSQL at ${where} refused the login (${code}): fix the user or password in DATABASE_URL.`,
    );
  if (code === '3D000')
    return new LecternError(`The database in ${where} does not exist: create it (createdb) or fix DATABASE_URL.`);
  return new LecternError(`Cannot reach PostgreSQL at ${where} (${code}): start it, or fix DATABASE_URL.`);
}

/** bigint (int8) columns hold millisecond times, well inside a double's exact range; pg would return strings. */
function int8AsNumber(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (oid === pg.types.builtins.INT8) return Number;
  return (pg.types.getTypeParser as (oid: number, format?: string) => (value: string) => unknown)(oid, format);
}

function errorCode(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.message === 'string') return e.message.split('\n')[0]!;
  return String(error);
}

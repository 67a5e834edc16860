/**
 * Where Lectern keeps its state: an SQLite file under `LECTERN_DATA_DIR`, or the
 * PostgreSQL server named by `DATABASE_URL` when that is set (for bots that run
 * several processes or shards against one database). See docs/state.md.
 */
import path from 'node:path';
import { z } from 'zod';
import { CORE_DEFAULTS } from '../config.js';
import { parseEnv } from '../env.js';

export const STORE_DEFAULTS = {
  /** The SQLite file's name inside the data folder (`LECTERN_DATA_DIR`, shared with the index: CORE_DEFAULTS.dataDir). */
  sqliteFileName: 'lectern.db',
} as const;

export type StoreConfig =
  | { kind: 'sqlite'; /** Absolute path of the database file. */ file: string }
  | {
      kind: 'postgres';
      /** A postgres:// connection string; it may hold a password, so never print it (see redactUrl). */ url: string;
    };

const StoreEnv = z.object({
  LECTERN_DATA_DIR: z.string().optional(),
  DATABASE_URL: z
    .string()
    .trim()
    .refine((v) => /^postgres(ql)?:\/\//i.test(v), 'must start with postgres:// (or leave it empty to use SQLite)')
    .optional(),
});

export function loadStoreConfig(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  const e = parseEnv(StoreEnv, env, 'Invalid configuration');
  if (e.DATABASE_URL) return { kind: 'postgres', url: e.DATABASE_URL };
  const dataDir = path.resolve(e.LECTERN_DATA_DIR ?? CORE_DEFAULTS.dataDir);
  return { kind: 'sqlite', file: path.join(dataDir, STORE_DEFAULTS.sqliteFileName) };
}

/** The URL without its password (and without query parameters, which may hold one too), for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    u.search = '';
    return u.toString();
  } catch {
    return 'DATABASE_URL (not a valid URL)';
  }
}

/**
 * The store, against real databases: the same suite runs on SQLite (a file in a
 * temporary folder) and on PostgreSQL (LECTERN_TEST_DATABASE_URL; .ci/run starts
 * one). Without that URL the PostgreSQL half is skipped and says so, except in
 * CI, where a missing URL fails.
 *
 * The PostgreSQL half empties its database's public schema before each test: point
 * LECTERN_TEST_DATABASE_URL at a database kept for tests.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/club/clock.js';
import { ReminderScheduler, type PostedReminder } from '../src/club/reminders.js';
import { firstReminderAt, WEEK_MS } from '../src/club/timeline.js';
import { ROOT_DIR } from '../src/config.js';
import { LecternError } from '../src/errors.js';
import { loadStoreConfig, type StoreConfig } from '../src/store/config.js';
import { ClubExistsError, DuplicateTextError } from '../src/store/kysely-store.js';
import { SCHEMA_VERSION } from '../src/store/migrations.js';
import { openStore } from '../src/store/open.js';
import type { NewClub, NewLibraryText, Store } from '../src/store/types.js';

const pgUrl = process.env.LECTERN_TEST_DATABASE_URL;
const HOW_TO_RUN =
  'set LECTERN_TEST_DATABASE_URL=postgres://user:password@127.0.0.1:5432/lectern_test (a database the tests may empty; .ci/run starts one)';

/** Monday 7 December 2026, 18:00 UTC. */
const T0 = Date.UTC(2026, 11, 7, 18);

function newClub(overrides: Partial<NewClub> = {}): NewClub {
  const club = {
    guildId: 'guild-1',
    channelId: 'channel-1',
    textId: 'moby-dick',
    chapterCount: 12,
    weeks: [
      { first: 1, last: 5 },
      { first: 6, last: 9 },
      { first: 10, last: 12 },
    ],
    startsAt: T0,
    createdBy: 'user-1',
    createdAt: T0,
    ...overrides,
  };
  return { nextPostAt: firstReminderAt(club, T0 - 1), ...club };
}

interface Backend {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty database for the test. */
  fresh(): Promise<StoreConfig>;
  /** Runs raw SQL on the test database (to plant a newer schema, count rows). */
  exec(sql: string): Promise<unknown[]>;
  cleanup(): Promise<void>;
}

function sqliteBackend(): Backend {
  let dir = '';
  let file = '';
  return {
    name: 'sqlite',
    async fresh() {
      dir = await mkdtemp(path.join(os.tmpdir(), 'lectern-store-'));
      file = path.join(dir, 'data', 'lectern.db');
      return { kind: 'sqlite', file };
    },
    async exec(sql) {
      const db = new Sqlite(file);
      try {
        const statement = db.prepare(sql);
        return statement.reader ? statement.all() : (statement.run(), []);
      } finally {
        db.close();
      }
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

function postgresBackend(url: string): Backend {
  const exec = async (sql: string) => {
    const client = new pg.Client(url);
    await client.connect();
    try {
      return (await client.query(sql)).rows as unknown[];
    } finally {
      await client.end();
    }
  };
  return {
    name: 'postgres',
    async fresh() {
      await exec('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;');
      return { kind: 'postgres', url };
    },
    exec,
    cleanup: async () => {},
  };
}

const backends: { name: string; make: () => Backend; run: boolean }[] = [
  { name: 'SQLite', make: sqliteBackend, run: true },
  { name: 'PostgreSQL', make: () => postgresBackend(pgUrl!), run: pgUrl !== undefined },
];

if (pgUrl === undefined && !process.env.CI) console.log(`PostgreSQL store tests skipped: ${HOW_TO_RUN} to run them.`);

describe('PostgreSQL store tests in CI', () => {
  it.runIf(process.env.CI)('have a database (CI must not skip them)', () => {
    expect(pgUrl, `CI is set but LECTERN_TEST_DATABASE_URL is not: ${HOW_TO_RUN}`).toBeDefined();
  });
});

for (const { name, make, run } of backends) {
  describe.runIf(run)(`store on ${name}`, () => {
    let backend: Backend;
    let config: StoreConfig;
    const open: Store[] = [];
    const openTracked = async () => {
      const store = await openStore(config);
      open.push(store);
      return store;
    };

    beforeEach(async () => {
      backend = make();
      config = await backend.fresh();
    });
    afterEach(async () => {
      for (const store of open.splice(0)) await store.close().catch(() => {});
      await backend.cleanup();
    });

    it('migrates an empty database, and re-opens it with its data and without migrating again', async () => {
      const first = await openTracked();
      const club = await first.startClub(newClub());
      await first.setBookmark('guild-1', club.id, 'user-2', 3, T0);
      await first.close();
      open.length = 0;

      const migrations = await backend.exec('SELECT name FROM lectern_migration');
      expect(migrations).toEqual([{ name: '0001_clubs' }, { name: '0002_library' }]);
      expect(SCHEMA_VERSION).toBe(2);

      const second = await openTracked();
      expect(await second.openClub('guild-1', 'channel-1')).toEqual(club);
      expect(await second.bookmark('guild-1', club.id, 'user-2')).toBe(3);
      expect(await backend.exec('SELECT name FROM lectern_migration')).toEqual(migrations);
    });

    // Shards start together; PostgreSQL's migration lock lets one migrate. (SQLite serves one process per file.)
    it.runIf(name === 'PostgreSQL')('migrates once when several processes start at the same time', async () => {
      const stores = await Promise.all([openStore(config), openStore(config), openStore(config)]);
      open.push(...stores);
      expect(await backend.exec('SELECT name FROM lectern_migration')).toEqual([
        { name: '0001_clubs' },
        { name: '0002_library' },
      ]);
      await stores[0]!.startClub(newClub());
      expect(await stores[2]!.openClub('guild-1', 'channel-1')).toBeDefined();
    });

    it('refuses a database written by a newer Lectern, naming it and the fix', async () => {
      (await openTracked()).close();
      open.length = 0;
      await backend.exec(
        `INSERT INTO lectern_migration (name, timestamp) VALUES ('0099_from_the_future', '2027-01-01T00:00:00.000Z')`,
      );
      const error = await openStore(config).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LecternError);
      const where = config.kind === 'sqlite' ? config.file : config.url.replace(/:[^:@/]+@/, ':***@');
      expect((error as Error).message).toBe(
        `${where} was written by a newer Lectern (schema 99 > 2): upgrade Lectern.`,
      );
      if (config.kind === 'postgres') expect((error as Error).message).not.toContain(new URL(config.url).password);
    });

    it("keeps each server's texts apart, finds a duplicate by hash, and lists queued builds for a restart", async () => {
      const store = await openTracked();
      const text = (overrides: Partial<NewLibraryText> = {}): NewLibraryText => ({
        guildId: 'guild-1',
        file: 'moby-dick.txt',
        originalName: 'moby-dick.txt',
        hash: 'h1',
        bytes: 1_200_000,
        requestedTitle: null,
        requestedAuthor: 'Herman Melville',
        addedBy: 'user-1',
        addedAt: T0,
        ...overrides,
      });
      await store.queueLibraryText(text());
      // The same file name in another server is another text.
      await store.queueLibraryText(text({ guildId: 'guild-2' }));
      expect(await store.libraryTexts('guild-1')).toEqual([]);
      expect(await store.libraryTexts('guild-1', { includeQueued: true })).toHaveLength(1);
      await store.setLibraryProgressMessage('guild-1', 'moby-dick.txt', 'c1', 'm1');
      expect((await store.queuedLibraryTexts()).map((t) => [t.guildId, t.progressMessageId])).toEqual([
        ['guild-1', 'm1'],
        ['guild-2', null],
      ]);
      const duplicate = await store.queueLibraryText(text({ file: 'other-name.txt' })).catch((e: unknown) => e);
      expect(duplicate).toBeInstanceOf(DuplicateTextError);
      expect((duplicate as DuplicateTextError).existing?.file).toBe('moby-dick.txt');
      const built = {
        docId: 'moby-dick',
        title: 'Moby-Dick',
        author: 'Herman Melville',
        chapters: 135,
        words: 215_000,
      };
      expect(await store.markLibraryTextReady('guild-1', 'moby-dick.txt', built)).toBe(true);
      expect(await store.markLibraryTextReady('guild-3', 'moby-dick.txt', built)).toBe(false);
      const [ready] = await store.libraryTexts('guild-1');
      expect(ready).toMatchObject({ ...built, state: 'ready', bytes: 1_200_000, addedAt: T0, progressMessageId: null });
      expect(await store.libraryTexts('guild-2')).toEqual([]);
      expect(await store.deleteLibraryText('guild-2', 'moby-dick.txt')).toBe(true);
      expect(await store.deleteLibraryText('guild-2', 'moby-dick.txt')).toBe(false);
      expect(await store.libraryTexts('guild-1')).toHaveLength(1);
      expect(await store.queuedLibraryTexts()).toEqual([]);
    });

    it("keeps each server's clubs and bookmarks out of every other server's sight", async () => {
      const store = await openTracked();
      const club = await store.startClub(newClub());
      await store.setBookmark('guild-1', club.id, 'user-2', 4, T0);

      expect(await store.openClub('guild-2', 'channel-1')).toBeUndefined();
      expect(await store.clubs('guild-2', { includeEnded: true })).toEqual([]);
      expect(await store.bookmark('guild-2', club.id, 'user-2')).toBeUndefined();
      // Writes aimed at another server's club id find nothing and change nothing.
      expect(await store.setBookmark('guild-2', club.id, 'user-3', 9, T0)).toBe(false);
      expect(await store.clearBookmark('guild-2', club.id, 'user-2')).toBe(false);
      expect(await store.setPosition('guild-2', club.id, 9, 0)).toBe(false);
      expect(await store.pauseClub('guild-2', club.id, T0)).toBe(false);
      expect(await store.endClub('guild-2', club.id, T0)).toBe(false);

      // The same channel id in another server is another club.
      const other = await store.startClub(newClub({ guildId: 'guild-2' }));
      expect(other.id).not.toBe(club.id);
      expect(await store.openClub('guild-1', 'channel-1')).toEqual(club);
      expect(await store.bookmark('guild-1', club.id, 'user-2')).toBe(4);
      expect(await store.clubs('guild-1')).toEqual([club]);
    });

    it('allows one open club per channel, even when two processes start one at once', async () => {
      const [a, b] = [await openTracked(), await openTracked()];
      const results = await Promise.allSettled([a.startClub(newClub()), b.startClub(newClub({ createdBy: 'user-9' }))]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason).toBeInstanceOf(ClubExistsError);
      expect((rejected.reason as Error).message).toBe(
        'This channel already has a reading club: end it with /club end first.',
      );
      expect(await backend.exec('SELECT id FROM clubs')).toHaveLength(1);

      const club = (await a.openClub('guild-1', 'channel-1'))!;
      await a.setBookmark('guild-1', club.id, 'user-2', 4, T0);
      expect(await a.endClub('guild-1', club.id, T0 + 1)).toBe(true);
      // Ending takes the club's bookmarks with it, in the same transaction, and frees the channel.
      expect(await backend.exec('SELECT user_id FROM bookmarks')).toEqual([]);
      expect(await a.openClub('guild-1', 'channel-1')).toBeUndefined();
      const ended = await a.clubs('guild-1', { includeEnded: true });
      expect(ended).toMatchObject([{ status: 'ended', endedAt: T0 + 1, nextPostAt: null }]);
      await a.startClub(newClub({ textId: 'walden' }));
      expect((await a.openClub('guild-1', 'channel-1'))?.textId).toBe('walden');
    });

    it('sets, replaces and clears bookmarks, and files a position by hand', async () => {
      const store = await openTracked();
      const club = await store.startClub(newClub());
      expect(await store.setBookmark('guild-1', club.id, 'user-2', 3, T0)).toBe(true);
      expect(await store.setBookmark('guild-1', club.id, 'user-2', 5, T0 + 1)).toBe(true);
      expect(await store.bookmark('guild-1', club.id, 'user-2')).toBe(5);
      expect(await store.clearBookmark('guild-1', club.id, 'user-2')).toBe(true);
      expect(await store.clearBookmark('guild-1', club.id, 'user-2')).toBe(false);
      expect(await store.bookmark('guild-1', club.id, 'user-2')).toBeUndefined();
      expect(await store.setPosition('guild-1', club.id, 7, 0)).toBe(true);
      expect(await store.openClub('guild-1', 'channel-1')).toMatchObject({ manualPosition: 7, manualPositionWeek: 0 });
    });

    it('pausing stops reminders; resuming moves the schedule and the next reminder by the pause', async () => {
      const store = await openTracked();
      const club = await store.startClub(newClub());
      expect(await store.pauseClub('guild-1', club.id, T0 - 1000)).toBe(true);
      expect(await store.pauseClub('guild-1', club.id, T0 - 1000)).toBe(false);
      expect(await store.dueReminders(T0 + WEEK_MS, 10)).toEqual([]);
      expect(await store.nextReminderAt()).toBeUndefined();
      expect(await store.resumeClub('guild-1', club.id, T0 + 2 * WEEK_MS)).toBe(true);
      const resumed = (await store.openClub('guild-1', 'channel-1'))!;
      const pause = 2 * WEEK_MS + 1000;
      expect(resumed).toMatchObject({ status: 'active', pausedAt: null, startsAt: T0 + pause, nextPostAt: T0 + pause });
    });

    it('commits a write before acknowledging it: a process killed right after still leaves it on disk', async () => {
      // A child process starts a club, prints "done" once startClub resolves, and is killed at once (SIGKILL:
      // no close(), no exit handlers), as a crash right after the bot acknowledged the command.
      const dir = await mkdtemp(path.join(os.tmpdir(), 'lectern-crash-'));
      const script = path.join(dir, 'write-then-die.mts');
      const openUrl = pathToFileURL(path.join(ROOT_DIR, 'src', 'store', 'open.ts')).href;
      await writeFile(
        script,
        `import { openStore } from ${JSON.stringify(openUrl)};\n` +
          `const store = await openStore(JSON.parse(process.env.STORE_CONFIG));\n` +
          `await store.startClub(JSON.parse(process.env.CLUB));\n` +
          `process.stdout.write('done\\n');\n` +
          `await new Promise(() => {});\n`,
      );
      const child = spawn(process.execPath, ['--import', 'tsx', script], {
        cwd: ROOT_DIR,
        env: { ...process.env, STORE_CONFIG: JSON.stringify(config), CLUB: JSON.stringify(newClub()) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('done')) {
            child.kill('SIGKILL');
            resolve();
          }
        });
        child.on('exit', (code) => reject(new Error(`the writer exited before writing (${code})`)));
      });
      await new Promise((resolve) => child.once('exit', resolve));
      await rm(dir, { recursive: true, force: true });

      const store = await openTracked();
      expect(await store.openClub('guild-1', 'channel-1')).toMatchObject({ textId: 'moby-dick', createdBy: 'user-1' });
    });

    it('lets exactly one of two processes claim a due reminder', async () => {
      const [a, b] = [await openTracked(), await openTracked()];
      const club = await a.startClub(newClub());
      const [dueA, dueB] = [await a.dueReminders(T0, 10), await b.dueReminders(T0, 10)];
      expect(dueA.map((c) => c.id)).toEqual([club.id]);
      expect(dueB).toEqual(dueA);
      const claim = { guildId: 'guild-1', clubId: club.id, expectedNextPostAt: T0, week: 0, nextPostAt: T0 + WEEK_MS };
      const claims = await Promise.all([a.claimReminder(claim), b.claimReminder(claim)]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await a.dueReminders(T0, 10)).toEqual([]);
      expect(await a.nextReminderAt()).toBe(T0 + WEEK_MS);
      // A claim for another server's club id does nothing.
      expect(await a.claimReminder({ ...claim, guildId: 'guild-2', expectedNextPostAt: T0 + WEEK_MS })).toBe(false);
    });

    it('posts each week once across two schedulers, and a week missed while down once after a restart', async () => {
      const clock = new FakeClock(T0 - 60_000);
      const posts: string[] = [];
      const scheduler = (store: Store, name: string) =>
        new ReminderScheduler({
          store,
          clock,
          post: async (club, week) => {
            posts.push(
              `${name}: ${club.guildId}/${club.channelId} week ${week.number} ${week.chapters.first}-${week.chapters.last}`,
            );
          },
        });
      const [a, b] = [await openTracked(), await openTracked()];
      await a.startClub(newClub());
      await a.startClub(newClub({ guildId: 'guild-2', startsAt: T0 + 1000, nextPostAt: T0 + 1000 }));
      const [one, two] = [scheduler(a, 'a'), scheduler(b, 'b')];

      expect(await Promise.all([one.runDue(), two.runDue()])).toEqual([[], []]);
      clock.setTime(T0 + 1000);
      const both = await Promise.all([one.runDue(), two.runDue()]);
      expect(both.flat()).toHaveLength(2);
      expect(posts.map((p) => p.slice(3)).sort()).toEqual([
        'guild-1/channel-1 week 1 1-5',
        'guild-2/channel-1 week 1 1-5',
      ]);

      // Both processes stop; week 2 starts while none runs; one comes back.
      for (const store of open.splice(0)) await store.close();
      clock.setTime(T0 + WEEK_MS + 5 * 60_000);
      posts.length = 0;
      const restarted = await openTracked();
      const after = scheduler(restarted, 'c');
      expect((await after.runDue()).map((p: PostedReminder) => p.week.number)).toEqual([2, 2]);
      expect(await after.runDue()).toEqual([]);
      // And another restart does not post it again.
      await restarted.close();
      open.length = 0;
      expect(await scheduler(await openTracked(), 'd').runDue()).toEqual([]);
      expect(posts).toEqual(['c: guild-1/channel-1 week 2 6-9', 'c: guild-2/channel-1 week 2 6-9']);
    });

    it('reports a failed post and does not send that week again (at most once)', async () => {
      const clock = new FakeClock(T0);
      const store = await openTracked();
      await store.startClub(newClub());
      const errors: unknown[] = [];
      let attempts = 0;
      const scheduler = new ReminderScheduler({
        store,
        clock,
        post: async () => {
          attempts++;
          throw new Error('Missing Access');
        },
        onError: (error, club) => errors.push([(error as Error).message, club?.channelId]),
      });
      expect(await scheduler.runDue()).toEqual([]);
      expect(await scheduler.runDue()).toEqual([]);
      expect(attempts).toBe(1);
      expect(errors).toEqual([['Missing Access', 'channel-1']]);
      expect(await store.nextReminderAt()).toBe(T0 + WEEK_MS);
    });

    it('runs on its own, sleeping until the next reminder on the clock it is given', async () => {
      const clock = new FakeClock(T0 - 60_000);
      const store = await openTracked();
      await store.startClub(newClub());
      const posted: number[] = [];
      let onPost: (week: number) => void = () => {};
      const nextPost = () => new Promise<number>((resolve) => (onPost = resolve));
      const scheduler = new ReminderScheduler({
        store,
        clock,
        post: async (_club, week) => {
          posted.push(week.number);
          onPost(week.number);
        },
      });
      scheduler.start();
      await clock.nextSleep();
      expect(posted).toEqual([]);
      for (const week of [1, 2, 3]) {
        const post = nextPost();
        clock.setTime(T0 + (week - 1) * WEEK_MS);
        expect(await post).toBe(week);
      }
      await scheduler.stop();
      expect(posted).toEqual([1, 2, 3]);
      expect(await store.nextReminderAt()).toBeUndefined();
    });
  });
}

describe('store start-up errors', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lectern-store-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('refuses a file that is not an SQLite database, naming it and the fix', async () => {
    const file = path.join(dir, 'lectern.db');
    await writeFile(file, 'These are notes about chapter 3, not a database.\n'.repeat(200));
    await expect(openStore({ kind: 'sqlite', file })).rejects.toThrow(
      new LecternError(`${file} is not a Lectern database or is corrupt: move it aside or restore a backup.`),
    );
  });

  it('refuses a Lectern database with a damaged page, before any command reads it', async () => {
    const file = path.join(dir, 'lectern.db');
    const store = await openStore({ kind: 'sqlite', file });
    for (let i = 0; i < 200; i++)
      await store.startClub({
        guildId: 'guild-1',
        channelId: `channel-${i}`,
        textId: 'moby-dick',
        chapterCount: 135,
        weeks: Array.from({ length: 27 }, (_, w) => ({ first: w * 5 + 1, last: w * 5 + 5 })),
        startsAt: T0,
        nextPostAt: T0,
        createdBy: 'user-1',
        createdAt: T0,
      });
    await store.close();
    // Overwrite the middle of the file (table and index pages), leaving the header intact.
    const bytes = await readFile(file);
    bytes.fill(0x5a, 4096 * 3, bytes.length - 4096);
    await writeFile(file, bytes);
    await expect(openStore({ kind: 'sqlite', file })).rejects.toThrow(
      `${file} is not a Lectern database or is corrupt: move it aside or restore a backup.`,
    );
  });

  it("refuses another program's SQLite database rather than adding tables to it", async () => {
    const file = path.join(dir, 'lectern.db');
    const other = new Sqlite(file);
    other.exec('CREATE TABLE recipes (name TEXT)');
    other.close();
    await expect(openStore({ kind: 'sqlite', file })).rejects.toThrow(
      `${file} is not a Lectern database or is corrupt: move it aside or restore a backup.`,
    );
  });

  it('names an unreachable PostgreSQL without its password', async () => {
    // Port 1 on the loopback: nothing listens there, so the connection is refused at once.
    const url = 'postgres://lectern:hunter2@127.0.0.1:1/lectern';
    const error = (await openStore({ kind: 'postgres', url }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(LecternError);
    expect(error.message).toBe(
      'Cannot reach PostgreSQL at postgres://lectern:***@127.0.0.1:1/lectern (ECONNREFUSED): start it, or fix DATABASE_URL.',
    );
  });

  it.runIf(pgUrl)('names a refused PostgreSQL login without the password', async () => {
    const url = new URL(pgUrl!);
    url.password = 'wrong-password';
    const error = (await openStore({ kind: 'postgres', url: url.toString() }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(LecternError);
    expect(error.message).toMatch(
      /^PostgreSQL at postgres:\/\/.*:\*\*\*@.* refused the login \(28P01\): fix the user or password in DATABASE_URL\.$/,
    );
    expect(error.message).not.toContain('wrong-password');
  });

  it('reads its place from the environment: DATABASE_URL wins, else LECTERN_DATA_DIR/lectern.db', () => {
    expect(loadStoreConfig({ LECTERN_DATA_DIR: dir })).toEqual({ kind: 'sqlite', file: path.join(dir, 'lectern.db') });
    expect(loadStoreConfig({})).toEqual({ kind: 'sqlite', file: path.join(ROOT_DIR, 'data', 'lectern.db') });
    expect(loadStoreConfig({ DATABASE_URL: '', LECTERN_DATA_DIR: dir }).kind).toBe('sqlite');
    expect(loadStoreConfig({ DATABASE_URL: 'postgres://u:p@h/db' })).toEqual({
      kind: 'postgres',
      url: 'postgres://u:p@h/db',
    });
    expect(() => loadStoreConfig({ DATABASE_URL: 'mysql://u:secret@h/db' })).toThrow(
      'Invalid configuration: DATABASE_URL must start with postgres:// (or leave it empty to use SQLite). Fix it in .env (see .env.example).',
    );
  });
});

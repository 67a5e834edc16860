/**
 * A child process of `npm run bench`: per-server libraries (src/libraries) as a bot runs them, with
 * the shared library (the bundled article), a real SQLite store, real downloads from a local HTTP
 * server standing in for Discord's CDN, and real builds in a worker thread. Measures:
 *
 * 1. /library add of a 1.2 MB novel (Moby-Dick) to its first answer: download, check, parse,
 *    embed, index, load, answer;
 * 2. answer latency on another server's library (the 200 kB slice) without a build, and while a
 *    book (the slice again, for a third server) builds in the background;
 * 3. the first answer after an eviction, cycling 20 servers through the default LRU bound, and the
 *    resident memory then (servers 4–20 get copies of the novel's built index: the memory of a loaded
 *    index is what is measured, not 17 more builds);
 * 4. resident memory with all 20 servers' libraries loaded.
 *
 *   BENCH_MOBY=… BENCH_SLICE=… BENCH_QUESTIONS=… BENCH_DATA_DIR=… node dist/bench/lib/server-libraries-child.js
 *
 * Prints one line `RESULT {json}` (see LibrariesRun).
 */
import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Lectern } from '../../src/lectern.js';
import { loadLibrariesConfig } from '../../src/libraries/config.js';
import { downloadAttachment } from '../../src/libraries/download.js';
import { ServerLibraries, type BuildOutcome } from '../../src/libraries/server-libraries.js';
import { openStore } from '../../src/store/open.js';
import { summarise, type LatencySummary } from './stats.js';

export interface LibrariesRun {
  /** /library add of the slice (200 kB) to its first answer. */
  sliceAddMs: number;
  /** /library add of Moby-Dick to its first answer (while the slice's server is asked questions). */
  novelAddMs: number;
  /** Answers on the slice's server with no build running, and while the novel builds. */
  idle: LatencySummary;
  duringBuild: LatencySummary;
  /** RSS with no server's library loaded (the model and the shared library): what the others add to. */
  rssBaseBytes: number;
  /** RSS with 20 servers' libraries loaded (LECTERN_MAX_LOADED_LIBRARIES=20), and with the default bound. */
  rss20Bytes: number;
  rssBoundedBytes: number;
  maxLoaded: number;
  /** The first answer of a server whose index had been evicted: load + answer. */
  afterEviction: LatencySummary;
  evictions: number;
}

const SERVERS = 20;
const guild = (i: number) => String(100_000_000_000_000_000n + BigInt(i));

const dataDir = process.env.BENCH_DATA_DIR!;
const moby = await readFile(process.env.BENCH_MOBY!);
const slice = await readFile(process.env.BENCH_SLICE!);
const questions = (await readFile(process.env.BENCH_QUESTIONS!, 'utf8'))
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => (JSON.parse(l) as { q: string }).q);

/** "builds" (a fresh data folder: steps 1–2, then the copies for 3–4) or "memory" (steps 3–4, in a fresh process on that folder). */
const phase = process.env.BENCH_PHASE === 'memory' ? 'memory' : 'builds';
if (phase === 'builds') {
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
}

// Discord's CDN, on loopback: the bytes go through the same download code as a bot's.
const files: Record<string, Buffer> = { '/moby-dick.txt': moby, '/slice.txt': slice };
const cdn = http.createServer((req, res) => {
  const body = files[(req.url ?? '').split('?')[0]!];
  if (!body) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-length': body.length, 'content-type': 'text/plain' }).end(body);
});
await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`;

const lectern = await Lectern.open({ onStale: 'rebuild' });
const store = await openStore({ kind: 'sqlite', file: path.join(dataDir, 'lectern.db') });
const env = (maxLoaded: number) => ({
  LECTERN_DATA_DIR: dataDir,
  LECTERN_ATTACHMENT_HOSTS: origin,
  LECTERN_MAX_LOADED_LIBRARIES: String(maxLoaded),
});
let libraries = new ServerLibraries(lectern, store, loadLibrariesConfig(env(SERVERS)));

/** Downloads, adds and builds `name` in server `guildId`, then answers one question there: ms from start to answer. */
async function addToFirstAnswer(guildId: string, name: string, question: string): Promise<number> {
  const started = performance.now();
  const { config } = libraries;
  const bytes = await downloadAttachment(`${origin}/${name}?ex=1`, {
    allowedHosts: config.attachmentHosts,
    maxBytes: config.maxFileBytes,
    stallMs: config.downloadStallMs,
  });
  const outcome = await new Promise<BuildOutcome>((resolve, reject) => {
    libraries
      .add(
        { guildId, userId: '1', fileName: name, bytes, now: Date.now() },
        { progress: () => undefined, finished: resolve },
      )
      .catch(reject);
  });
  if (outcome.kind !== 'added') throw new Error(`${name} was not added: ${JSON.stringify(outcome)}`);
  const engine = await libraries.engineFor(guildId);
  await engine!.ask(question);
  return performance.now() - started;
}

async function timedAsk(guildId: string, question: string): Promise<number> {
  const started = performance.now();
  const engine = await libraries.engineFor(guildId);
  await engine!.ask(question);
  return performance.now() - started;
}

if (phase === 'builds') {
  const sliceAddMs = await addToFirstAnswer(guild(1), 'slice.txt', questions[0]!);
  process.stderr.write(`slice added in ${(sliceAddMs / 1000).toFixed(1)} s\n`);

  // The novel, alone: what an organiser waits for.
  const novelAddMs = await addToFirstAnswer(guild(2), 'moby-dick.txt', questions[1]!);
  process.stderr.write(`novel added in ${(novelAddMs / 1000).toFixed(1)} s\n`);

  // Warm-up, then answers on server 1 with nothing building.
  for (const q of questions.slice(0, 10)) await timedAsk(guild(1), q);
  const idle: number[] = [];
  for (let i = 0; i < 120; i++) idle.push(await timedAsk(guild(1), questions[i % questions.length]!));

  // The slice builds again in server 3 (nothing is shared between servers) while server 1 keeps asking,
  // one question every 100 ms, as a busy reading group might.
  const duringBuild: number[] = [];
  let building = true;
  const asking = (async () => {
    for (let i = 0; building; i++) {
      duringBuild.push(await timedAsk(guild(1), questions[i % questions.length]!));
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  await addToFirstAnswer(guild(3), 'slice.txt', questions[2]!);
  building = false;
  await asking;
  process.stderr.write(`${duringBuild.length} answers during a build\n`);

  // Servers 4–20: copies of server 2's library (its files, its built index, its record).
  const [novel] = await store.libraryTexts(guild(2));
  for (let i = 4; i <= SERVERS; i++) {
    await cp(path.join(dataDir, 'libraries', guild(2)), path.join(dataDir, 'libraries', guild(i)), { recursive: true });
    await store.queueLibraryText({ ...novel!, guildId: guild(i) });
    await store.markLibraryTextReady(guild(i), novel!.file, novel!);
  }

  const result: Partial<LibrariesRun> = {
    sliceAddMs,
    novelAddMs,
    idle: summarise(idle),
    duringBuild: summarise(duringBuild),
  };
  await finish(result);
}

// Memory, in a process that has built nothing (a build's worker leaves its heap to the allocator):
// first the default bound (resident memory only grows, so before the unbounded case). Cycling 20
// servers through it evicts on every question.
await lectern.ask(questions[0]!);
global.gc?.();
const rssBaseBytes = process.memoryUsage().rss;
await libraries.close();
libraries = new ServerLibraries(lectern, store, loadLibrariesConfig({ ...env(0), LECTERN_MAX_LOADED_LIBRARIES: '' }));
const maxLoaded = libraries.config.maxLoaded;
for (let i = 1; i <= SERVERS; i++) await timedAsk(guild(i), questions[0]!);
const afterEviction: number[] = [];
for (let round = 0; round < 2; round++)
  for (let i = 1; i <= SERVERS; i++)
    afterEviction.push(await timedAsk(guild(i), questions[(i + round) % questions.length]!));
global.gc?.();
const rssBoundedBytes = process.memoryUsage().rss;
const evictions = libraries.stats.evictions;
process.stderr.write(`RSS with at most ${maxLoaded} loaded: ${Math.round(rssBoundedBytes / 2 ** 20)} MiB\n`);

// Then all 20 loaded at once.
await libraries.close();
libraries = new ServerLibraries(lectern, store, loadLibrariesConfig(env(SERVERS)));
for (let i = 1; i <= SERVERS; i++) await timedAsk(guild(i), questions[i % questions.length]!);
global.gc?.();
const rss20Bytes = process.memoryUsage().rss;
process.stderr.write(`RSS with ${libraries.stats.loaded} libraries loaded: ${Math.round(rss20Bytes / 2 ** 20)} MiB\n`);

await finish({
  rssBaseBytes,
  rss20Bytes,
  rssBoundedBytes,
  maxLoaded,
  afterEviction: summarise(afterEviction),
  evictions,
});

async function finish(result: Partial<LibrariesRun>): Promise<never> {
  await libraries.close();
  await store.close();
  await lectern.close();
  cdn.close();
  console.log(`RESULT ${JSON.stringify(result)}`);
  process.exit(0);
}

/**
 * `npm run bench`: builds and serves real libraries, side by side with the
 * pipeline before issue 12, and writes bench/results.json and the results
 * section of bench/README.md. scripts/bench.ts only calls {@link main}.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT_DIR, loadCoreConfig, type CoreConfig } from '../../src/config.js';
import type { BuildRun } from './build-child.js';
import { compileForColdStart, runBuild, runChild, runServe, type Launcher } from './children.js';
import type { LibrariesRun } from './server-libraries-child.js';
import { writeBenchLibraries, type BenchLibrary } from './libraries.js';
import type { RecallReport } from './stages.js';
import { median, mib, round, table, type LatencySummary } from './stats.js';
import { VectorSource, buildHnsw, exactNeighbours, measureEf, type EfResult } from './vectors.js';

export const USAGE = `Usage: npm run bench [-- options]

Builds real libraries from scratch, each in a child process of its own
(time, word pieces per second, peak memory), then serves each in another
(memory, answer latency p50/p99, HNSW recall on the real vectors, cold
start). Today's pipeline and the one before issue 12 run on the same
200 kB of Moby-Dick in the same run, for the ratio.

Libraries: bundled (the article), moby-dick (1.2 MB), slice (200 kB of
Moby-Dick), shelf (3.2 MB: Moby-Dick, articles and generated volumes; see
bench/lib/libraries.ts). Writes bench/results.json and the "Latest run"
section of bench/README.md.

Options:
  --quick            no shelf library (about 9 minutes on an idle 2-core machine)
  --libraries-only   only the per-server libraries (/library add to first answer,
                     answers during a build, memory of 20 servers, evictions; ~4 min)
  --serve-only       no builds: serve the indexes a previous run left in bench/tmp,
                     keeping that run's build rows from bench/results.json
  --baseline-full    also run the old pipeline on all of Moby-Dick (~10 min, ~3 GB)
  --vectors          also the synthetic 100k-vector HNSW sweep (~3 min)
  --million          also 1M synthetic vectors (~15 min, ~2 GB)
  --out=FILE         JSON output (default bench/results.json); the README is
                     rewritten only with the default`;

const TMP = path.join(ROOT_DIR, 'bench', 'tmp');
const SEED = 20_260_101;
/** Times each library's questions are asked after a warm-up round. */
const ROUNDS: Record<string, number> = { bundled: 8, 'moby-dick': 3, shelf: 3 };
const COLD_RUNS = 3;
/** `npm start` (compiled JavaScript) first; `node --import tsx` is running from the TypeScript, as `npm run dev` does. */
const COLD_LAUNCHERS: readonly Launcher[] = ['compiled', 'node --import tsx'];

interface Options {
  quick: boolean;
  librariesOnly: boolean;
  serveOnly: boolean;
  baselineFull: boolean;
  vectors: boolean;
  million: boolean;
  out: string;
}

function parseArgs(argv: string[]): Options | string {
  const o: Options = {
    quick: false,
    librariesOnly: false,
    serveOnly: false,
    baselineFull: false,
    vectors: false,
    million: false,
    out: path.join(ROOT_DIR, 'bench', 'results.json'),
  };
  for (const arg of argv) {
    if (arg === '--quick') o.quick = true;
    else if (arg === '--libraries-only') o.librariesOnly = true;
    else if (arg === '--serve-only') o.serveOnly = true;
    else if (arg === '--baseline-full') o.baselineFull = true;
    else if (arg === '--vectors') o.vectors = true;
    else if (arg === '--million') o.million = true;
    else if (arg.startsWith('--out=')) o.out = path.resolve(arg.slice('--out='.length));
    else return `Unknown argument: ${arg}`;
  }
  return o;
}

const log = (line: string) =>
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)} load ${os.loadavg()[0]!.toFixed(1)}] ${line}\n`);

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

interface BuildReport extends BuildRun {
  library: string;
  bytes: number;
  /** 1-minute load average just before and just after, to judge the timing. */
  load: [number, number];
}

interface ServeReport {
  library: string;
  answer: LatencySummary;
  rssBytes: number;
  recall: RecallReport;
  coldStartMs: Partial<Record<Launcher, number>>;
  load: [number, number];
}

interface VectorReport {
  count: number;
  buildMs: number;
  bruteForceMsPerQuery: number;
  ef: EfResult[];
}

export interface Results {
  version: 2;
  startedAt: string;
  /** With --serve-only: when the run whose build rows these are started. */
  buildsFrom?: string;
  durationS?: number;
  machine: ReturnType<typeof machine> & { loadAtStart: number[]; loadAtEnd?: number[] };
  config: { model: string; dtype: string; hnsw: CoreConfig['hnsw'] };
  libraries: { name: string; bytes: number; description: string }[];
  builds: BuildReport[];
  serving: ServeReport[];
  vectors: VectorReport[];
  /** Per-server libraries (bench/lib/server-libraries-child.ts). */
  serverLibraries?: LibrariesRun & { load: [number, number] };
  targets: { target: string; measured: string; met: boolean }[];
  errors: { step: string; message: string }[];
}

async function step<T>(results: Results, name: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`${name} failed: ${message}`);
    results.errors.push({ step: name, message });
    return undefined;
  }
}

const load1 = () => round(os.loadavg()[0]!);

/** Where results are saved after every step, so a run stopped early (a busy machine) keeps what it measured. */
let saveTo: string | null = null;
async function save(results: Results): Promise<void> {
  if (saveTo)
    await writeFile(
      saveTo,
      JSON.stringify(results, (_, v: unknown) => (typeof v === 'number' ? round(v) : v), 2) + '\n',
    );
}

async function build(
  results: Results,
  lib: BenchLibrary,
  pipeline: 'current' | 'pooled' | 'baseline',
): Promise<BuildReport | undefined> {
  log(`build ${lib.name} (${pipeline})`);
  const before = load1();
  const run = await step(results, `build ${lib.name} ${pipeline}`, () =>
    runBuild<BuildRun>({
      LECTERN_TEXTS_DIR: lib.textsDir,
      LECTERN_INDEX_DIR: indexDir(lib, pipeline),
      BENCH_PIPELINE: pipeline,
    }),
  );
  if (!run) return undefined;
  const report: BuildReport = { ...run, library: lib.name, bytes: lib.bytes, load: [before, load1()] };
  log(
    `  ${(run.wallMs / 1000).toFixed(1)} s (CPU ${(run.cpuMs / 1000).toFixed(1)} s), ${run.tokens} word pieces, ${Math.round(run.tokens / (run.wallMs / 1000))} word pieces/s, ${run.units} units, peak ${mib(run.maxRssBytes)} MiB`,
  );
  results.builds.push(report);
  await save(results);
  return report;
}

const indexDir = (lib: BenchLibrary, pipeline: string) => path.join(TMP, lib.name, `index-${pipeline}`);

async function serve(results: Results, lib: BenchLibrary): Promise<void> {
  log(
    `serve ${lib.name}: ${ROUNDS[lib.name] ?? 3} rounds of ${path.basename(lib.questions)}, then ${COLD_RUNS} cold starts per launcher`,
  );
  const env = {
    LECTERN_TEXTS_DIR: lib.textsDir,
    LECTERN_INDEX_DIR: indexDir(lib, 'current'),
    BENCH_QUESTIONS: lib.questions,
  };
  const before = load1();
  const run = await step(results, `serve ${lib.name}`, () =>
    runServe('compiled', { ...env, BENCH_ROUNDS: String(ROUNDS[lib.name] ?? 3) }, ['--latency', '--recall'], 1_800_000),
  );
  if (!run) return;
  const coldStartMs: Partial<Record<Launcher, number>> = {};
  for (const launcher of COLD_LAUNCHERS) {
    const walls: number[] = [];
    for (let r = -1; r < COLD_RUNS; r++) {
      const cold = await step(results, `cold start ${lib.name} ${launcher}`, () => runServe(launcher, env));
      if (cold && r >= 0) walls.push(cold.wallMs);
    }
    if (walls.length) coldStartMs[launcher] = median(walls);
  }
  const r = run.result as unknown as { answer: LatencySummary; rssBytes: number; recall: RecallReport };
  results.serving.push({
    library: lib.name,
    answer: r.answer,
    rssBytes: r.rssBytes,
    recall: r.recall,
    coldStartMs,
    load: [before, load1()],
  });
  await save(results);
  log(
    `  p50 ${r.answer.p50.toFixed(1)} ms, p99 ${r.answer.p99.toFixed(1)} ms, RSS ${mib(r.rssBytes)} MiB, cold ${JSON.stringify(coldStartMs)}`,
  );
}

/** Per-server libraries, in a child process of their own (its memory is theirs). */
async function serverLibraries(results: Results, libs: readonly BenchLibrary[]): Promise<void> {
  const moby = libs.find((l) => l.name === 'moby-dick')!;
  const slice = libs.find((l) => l.name === 'slice')!;
  log('server libraries: /library add of the slice and of Moby-Dick, answers meanwhile, 20 servers, evictions');
  const before = load1();
  const env = {
    BENCH_MOBY: path.join(moby.textsDir, 'moby-dick.txt'),
    BENCH_SLICE: path.join(slice.textsDir, 'moby-dick-slice.txt'),
    BENCH_QUESTIONS: moby.questions,
    BENCH_DATA_DIR: path.join(TMP, 'server-libraries'),
  };
  const builds = await step(results, 'server libraries: builds', () =>
    runChild<Partial<LibrariesRun>>('server-libraries-child', { ...env, BENCH_PHASE: 'builds' }),
  );
  // Memory in a process of its own that has built nothing.
  const memory =
    builds &&
    (await step(results, 'server libraries: memory', () =>
      runChild<Partial<LibrariesRun>>('server-libraries-child', { ...env, BENCH_PHASE: 'memory' }),
    ));
  if (!builds || !memory) return;
  const run = { ...builds, ...memory } as LibrariesRun;
  results.serverLibraries = { ...run, load: [before, load1()] };
  await save(results);
  log(
    `  add→answer ${(run.novelAddMs / 1000).toFixed(1)} s; p99 ${run.idle.p99.toFixed(0)} → ${run.duringBuild.p99.toFixed(0)} ms during a build; RSS ${mib(run.rss20Bytes)} MiB with 20 loaded`,
  );
}

function vectors(count: number, config: CoreConfig, efs: number[]): VectorReport {
  const source = new VectorSource('lowrank', 384, SEED);
  const points = source.take(count);
  const queries = source.take(300);
  log(
    `vectors: ${count} lowrank, brute force then HNSW M=${config.hnsw.M} efConstruction=${config.hnsw.efConstruction}`,
  );
  const exact = exactNeighbours(points, queries, 10);
  const { index, ms } = buildHnsw(points, { M: config.hnsw.M, efConstruction: config.hnsw.efConstruction });
  return {
    count,
    buildMs: ms,
    bruteForceMsPerQuery: exact.msPerQuery,
    ef: efs.map((e) => measureEf(index, queries, exact.kth, e)),
  };
}

function targets(r: Results): Results['targets'] {
  const list: Results['targets'] = [];
  const add = (target: string, measured: string, met: boolean) => list.push({ target, measured, met });
  const b = (lib: string, p = 'current') => r.builds.find((x) => x.library === lib && x.pipeline === p);
  const s = (lib: string) => r.serving.find((x) => x.library === lib);
  const sliceNow = b('slice');
  const sliceOld = b('slice', 'baseline');
  if (sliceNow && sliceOld)
    add(
      'ingestion ≥ 3× faster than the old pipeline (same 200 kB of Moby-Dick)',
      `${(sliceOld.wallMs / sliceNow.wallMs).toFixed(1)}× wall${sliceOld.cpuMs && sliceNow.cpuMs ? `, ${(sliceOld.cpuMs / sliceNow.cpuMs).toFixed(1)}× CPU` : ''}`,
      sliceOld.wallMs / sliceNow.wallMs >= 3,
    );
  const moby = b('moby-dick');
  if (moby) add('Moby-Dick built in ≤ 3 min', `${(moby.wallMs / 1000).toFixed(0)} s`, moby.wallMs <= 180_000);
  const shelf = b('shelf');
  if (shelf)
    add('3.2 MB library built in ≤ 2 min 30 s', `${(shelf.wallMs / 1000).toFixed(0)} s`, shelf.wallMs <= 150_000);
  for (const x of r.builds.filter((x) => x.pipeline === 'current'))
    add(`peak RSS building ${x.library} ≤ 1 GB`, `${Math.round(x.maxRssBytes / 1e6)} MB`, x.maxRssBytes <= 1e9);
  const big = s('shelf') ?? s('moby-dick');
  if (big) {
    add(`serving ${big.library}: RSS ≤ 450 MB`, `${Math.round(big.rssBytes / 1e6)} MB`, big.rssBytes <= 450e6);
    add(`serving ${big.library}: answer p50 ≤ 20 ms`, `${big.answer.p50.toFixed(1)} ms`, big.answer.p50 <= 20);
    add(`serving ${big.library}: answer p99 ≤ 60 ms`, `${big.answer.p99.toFixed(1)} ms`, big.answer.p99 <= 60);
    for (const [launcher, ms] of Object.entries(big.coldStartMs))
      add(`serving ${big.library}: cold start ≤ 1.5 s (${launcher})`, `${(ms / 1000).toFixed(2)} s`, ms <= 1500);
  }
  const l = r.serverLibraries;
  if (l) {
    add(
      'a 1.2 MB novel: /library add to its first answer ≤ 90 s',
      `${(l.novelAddMs / 1000).toFixed(0)} s`,
      l.novelAddMs <= 90_000,
    );
    add(
      'answer p99 on another server’s library while a book builds ≤ 250 ms',
      `${l.duringBuild.p99.toFixed(0)} ms`,
      l.duringBuild.p99 <= 250,
    );
    add(
      'RSS with 20 servers’ books: ≤ 1.5 GB, or bounded by the eviction budget',
      `${Math.round(l.rss20Bytes / 1e6)} MB all loaded; ${Math.round(l.rssBoundedBytes / 1e6)} MB with ${l.maxLoaded} loaded`,
      l.rss20Bytes <= 1.5e9 || l.rssBoundedBytes <= 1.5e9,
    );
  }
  return list;
}

/** The tables, as printed and as written into bench/README.md. */
export function formatTables(r: Results): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}. Load average (1/5/15 min) ${m.loadAtStart.join(' / ')} at the start, ${m.loadAtEnd?.join(' / ') ?? '?'} at the end.`,
  );
  out.push(
    `Model ${r.config.model} (${r.config.dtype}); HNSW M ${r.config.hnsw.M}, efConstruction ${r.config.hnsw.efConstruction}, efSearch ${r.config.hnsw.efSearch}. Run started ${r.startedAt}, took ${r.durationS ?? '?'} s.`,
  );
  out.push(
    '',
    `Builds (fresh, each in its own process; time includes loading the model)${r.buildsFrom ? `, from the run started ${r.buildsFrom}` : ''}`,
    '',
  );
  out.push(
    table(
      [
        'library',
        'MB',
        'pipeline',
        'passages',
        'units',
        'word pieces',
        'build s',
        'CPU s',
        'pieces/s',
        'peak RSS MiB',
        'load before/after',
      ],
      r.builds.map((b) => [
        b.library,
        (b.bytes / 1e6).toFixed(2),
        b.pipeline,
        b.passages,
        b.units,
        b.tokens,
        (b.wallMs / 1000).toFixed(1),
        b.cpuMs ? (b.cpuMs / 1000).toFixed(1) : '–',
        Math.round(b.tokens / (b.wallMs / 1000)),
        mib(b.maxRssBytes),
        b.load.join(' / '),
      ]),
    ),
  );
  if (r.serving.length) {
    out.push(
      '',
      'Serving (compiled, as npm start runs it: a process with the index loaded; answer = Lectern.ask + formatAnswer after a warm-up round)',
      '',
    );
    out.push(
      table(
        [
          'library',
          'answers',
          'p50 ms',
          'p99 ms',
          'RSS MiB',
          `cold start (${COLD_LAUNCHERS.join(' / ')}) s`,
          'recall@10',
          'recall@10 distinct',
          'units / distinct vectors',
          'load before/after',
        ],
        r.serving.map((s) => [
          s.library,
          s.answer.n,
          s.answer.p50.toFixed(1),
          s.answer.p99.toFixed(1),
          mib(s.rssBytes),
          COLD_LAUNCHERS.map((l) =>
            s.coldStartMs[l] !== undefined ? (s.coldStartMs[l]! / 1000).toFixed(2) : '–',
          ).join(' / '),
          s.recall.recallAt10.toFixed(3),
          s.recall.recallAt10Distinct.toFixed(3),
          `${s.recall.units} / ${s.recall.distinctVectors}`,
          s.load.join(' / '),
        ]),
      ),
    );
  }
  for (const v of r.vectors) {
    out.push(
      '',
      `Synthetic vectors: ${v.count} lowrank 384-d, HNSW built in ${(v.buildMs / 1000).toFixed(1)} s, brute force ${v.bruteForceMsPerQuery.toFixed(1)} ms/query`,
      '',
    );
    out.push(
      table(
        ['efSearch', 'recall@10', 'p50 ms', 'p99 ms'],
        v.ef.map((e) => [e.efSearch, e.recallAt10.toFixed(3), e.p50.toFixed(2), e.p99.toFixed(2)]),
      ),
    );
  }
  const l = r.serverLibraries;
  if (l) {
    out.push(
      '',
      'Per-server libraries (one process: the shared article, real downloads from a loopback CDN, builds in a worker thread)',
      '',
    );
    out.push(
      table(
        ['figure', 'value'],
        [
          ['/library add → first answer, 200 kB slice', `${(l.sliceAddMs / 1000).toFixed(1)} s`],
          ['/library add → first answer, Moby-Dick (1.2 MB)', `${(l.novelAddMs / 1000).toFixed(1)} s`],
          [
            'answers on another server, no build: p50 / p99',
            `${l.idle.p50.toFixed(1)} / ${l.idle.p99.toFixed(1)} ms (n ${l.idle.n})`,
          ],
          [
            'answers on another server, a book building: p50 / p99',
            `${l.duringBuild.p50.toFixed(1)} / ${l.duringBuild.p99.toFixed(1)} ms (n ${l.duringBuild.n})`,
          ],
          ['RSS, no server library loaded (model, shared library)', `${mib(l.rssBaseBytes)} MiB`],
          [`RSS, 20 servers cycled through the default bound (${l.maxLoaded} loaded)`, `${mib(l.rssBoundedBytes)} MiB`],
          [
            'RSS, 20 servers’ Moby-sized libraries loaded at once',
            `${mib(l.rss20Bytes)} MiB (${mib((l.rss20Bytes - l.rssBaseBytes) / 20)} MiB each)`,
          ],
          [
            'first answer after an eviction (load + answer): p50 / p99',
            `${l.afterEviction.p50.toFixed(0)} / ${l.afterEviction.p99.toFixed(0)} ms (n ${l.afterEviction.n}, ${l.evictions} evictions)`,
          ],
          ['load before/after', l.load.join(' / ')],
        ],
      ),
    );
  }
  if (r.targets.length) {
    out.push('', 'Targets', '');
    out.push(
      table(
        ['target', 'measured', 'met'],
        r.targets.map((t) => [t.target, t.measured, t.met ? 'yes' : 'NO']),
      ),
    );
  }
  for (const e of r.errors) out.push('', `ERROR in ${e.step}: ${e.message}`);
  return out.join('\n');
}

const START = '<!-- bench:latest-run -->';
const END = '<!-- /bench:latest-run -->';

/** Replaces the "Latest run" block of bench/README.md with these tables. */
async function updateReadme(r: Results): Promise<void> {
  const file = path.join(ROOT_DIR, 'bench', 'README.md');
  const readme = await readFile(file, 'utf8');
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) return;
  const block = `${START}\n\`\`\`\n${formatTables(r)}\n\`\`\`\n${END}`;
  await writeFile(file, readme.slice(0, a) + block + readme.slice(b + END.length));
}

export async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const options = parseArgs(argv);
  if (typeof options === 'string') {
    console.error(`${options}\n\n${USAGE}`);
    return 2;
  }
  const started = performance.now();
  const config = loadCoreConfig();
  const results: Results = {
    version: 2,
    startedAt: new Date().toISOString(),
    machine: { ...machine(), loadAtStart: os.loadavg().map(round) },
    config: { model: config.model.id, dtype: config.model.dtype, hnsw: config.hnsw },
    libraries: [],
    builds: [],
    serving: [],
    vectors: [],
    targets: [],
    errors: [],
  };
  await mkdir(TMP, { recursive: true });
  saveTo = options.out;
  const libs = await writeBenchLibraries(TMP, SEED);
  const lib = (name: string) => libs.find((l) => l.name === name)!;
  results.libraries = libs.map(({ name, bytes, description }) => ({ name, bytes, description }));
  if (options.serveOnly) {
    const previous = await readFile(options.out, 'utf8').then(
      (t) => JSON.parse(t) as Partial<Results>,
      () => null,
    );
    results.builds = previous?.builds ?? [];
    results.buildsFrom = previous?.buildsFrom ?? previous?.startedAt;
    if (results.builds.length)
      log(`kept ${results.builds.length} build rows of the run started ${previous?.startedAt}`);
  }
  await compileForColdStart();

  if (options.librariesOnly) {
    const previous = await readFile(options.out, 'utf8').then(
      (t) => JSON.parse(t) as Partial<Results>,
      () => null,
    );
    // The other figures stay those of the last full run.
    Object.assign(results, {
      builds: previous?.builds ?? [],
      serving: previous?.serving ?? [],
      vectors: previous?.vectors ?? [],
      buildsFrom: previous?.buildsFrom ?? previous?.startedAt,
    });
    await serverLibraries(results, libs);
  }
  if (!options.serveOnly && !options.librariesOnly) {
    // Side by side on the same text first, while the machine is in the same state for all three.
    await build(results, lib('slice'), 'baseline');
    await build(results, lib('slice'), 'current');
    await build(results, lib('slice'), 'pooled');
    await build(results, lib('bundled'), 'current');
    await build(results, lib('moby-dick'), 'current');
    if (options.baselineFull) await build(results, lib('moby-dick'), 'baseline');
    if (!options.quick) await build(results, lib('shelf'), 'current');
  }
  for (const name of options.librariesOnly ? [] : ['bundled', 'moby-dick', ...(options.quick ? [] : ['shelf'])]) {
    const built = options.serveOnly
      ? existsSync(path.join(indexDir(lib(name), 'current'), 'manifest.json'))
      : results.builds.some((b) => b.library === name && b.pipeline === 'current');
    if (built) await serve(results, lib(name));
  }
  if (!options.librariesOnly && !options.serveOnly) await serverLibraries(results, libs);
  if (options.vectors) {
    const v = await step(results, 'vectors 100k', async () => vectors(100_000, config, [64, 96, 128, 192, 256]));
    if (v) results.vectors.push(v);
  }
  if (options.million) {
    const v = await step(results, 'vectors 1M', async () => vectors(1_000_000, config, [128, 192, 256]));
    if (v) results.vectors.push(v);
  }

  results.targets = targets(results);
  results.durationS = round((performance.now() - started) / 1000);
  results.machine.loadAtEnd = os.loadavg().map(round);
  await writeFile(
    options.out,
    JSON.stringify(results, (_, v: unknown) => (typeof v === 'number' ? round(v) : v), 2) + '\n',
  );
  if (options.out === path.join(ROOT_DIR, 'bench', 'results.json')) await updateReadme(results);
  console.log(formatTables(results));
  console.log(`\nWrote ${path.relative(ROOT_DIR, options.out)} in ${results.durationS} s.`);
  return results.errors.length ? 1 : 0;
}

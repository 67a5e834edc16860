/**
 * `npm run bench [-- options]`: Lectern's performance suite. Prints tables and
 * writes bench/results.json; see bench/README.md for what each figure means,
 * a sample run and the machine it ran on.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT_DIR, loadCoreConfig, type CoreConfig } from '../src/config.js';
import { loadLibrary } from '../src/corpus/library.js';
import { Embedder } from '../src/embed/embedder.js';
import { buildUnits } from '../src/index/units.js';
import { COMPILED_DIR, LAUNCHERS, compileForColdStart, runServe, type Launcher, type ServeRun } from '../bench/lib/children.js';
import { budgeted, compareThroughput, engine, naive, unitTexts, type ThroughputResult } from '../bench/lib/embedding.js';
import { buildFresh, type LibraryBuild } from '../bench/lib/library-build.js';
import { STAGES, type RecallReport, type StageTimings } from '../bench/lib/stages.js';
import { median, mib, round, table, type LatencySummary } from '../bench/lib/stats.js';
import { readSentencePool, writeSyntheticLibrary } from '../bench/lib/synthetic-library.js';
import { VectorSource, buildHnsw, exactNeighbours, indexFileSize, measureEf, type EfResult, type HnswParams, type VectorKind } from '../bench/lib/vectors.js';

const USAGE = `Usage: npm run bench [-- options]

Measures embedding throughput, answer latency (whole and by stage), cold
start, and scale (synthetic libraries of 1k and 10k passages end to end;
100k synthetic vectors in HNSW). Prints tables, writes bench/results.json.
HNSW parameters come from the configuration (LECTERN_HNSW_M,
LECTERN_HNSW_EF_CONSTRUCTION, LECTERN_HNSW_EF_SEARCH).

Options:
  --quick          skip the 10k library and the uniform vectors (about 3 minutes)
  --only=LIST      run only these sections: embed,latency,cold,scale,vectors
  --sweep          also build 100k vectors with several M / efConstruction (slow: ~10 min)
  --million        also build 1M vectors (slow: ~15 min, ~6 GB of memory)
  --budget=SECONDS skip the 10k library or the uniform vectors when they are
                   projected to end the run past this (default 570; 0 = never skip)
  --out=FILE       where to write the JSON (default bench/results.json)

On an idle machine of this project's size (2 cores) a full run takes about
7 minutes; on a busy one the budget keeps it under 10 and lists what it skipped.`;

const SECTIONS = ['embed', 'latency', 'cold', 'scale', 'vectors'] as const;
type Section = (typeof SECTIONS)[number];

interface Options {
  sections: Set<Section>;
  quick: boolean;
  sweep: boolean;
  million: boolean;
  out: string;
  /** Seconds; steps projected to overrun it are skipped. 0: no limit. */
  budgetS: number;
}

function parseArgs(argv: string[]): Options | string {
  const options: Options = { sections: new Set(SECTIONS), quick: false, sweep: false, million: false, out: path.join(ROOT_DIR, 'bench', 'results.json'), budgetS: 570 };
  for (const arg of argv) {
    if (arg === '--quick') options.quick = true;
    else if (arg === '--sweep') options.sweep = true;
    else if (arg === '--million') options.million = true;
    else if (arg.startsWith('--out=')) options.out = path.resolve(arg.slice('--out='.length));
    else if (arg.startsWith('--budget=')) {
      options.budgetS = Number(arg.slice('--budget='.length));
      if (!Number.isFinite(options.budgetS) || options.budgetS < 0) return `Bad --budget: ${arg}`;
    }
    else if (arg.startsWith('--only=')) {
      const wanted = arg.slice('--only='.length).split(',');
      const unknown = wanted.find((s) => !SECTIONS.includes(s as Section));
      if (unknown) return `Unknown section: ${unknown}`;
      options.sections = new Set(wanted as Section[]);
    } else return `Unknown argument: ${arg}`;
  }
  return options;
}

/** Everything is generated under bench/tmp (git-ignored) and rebuilt on every run. */
const TMP = path.join(ROOT_DIR, 'bench', 'tmp');
const SEED = 20_260_101;
/** Passages per synthetic document: a volume of collected works. */
const PER_DOCUMENT = { 1_000: 100, 10_000: 500 } as const;
/** Dev questions asked this many times each, after a warm-up round. */
const ROUNDS = { bundled: 12, 1_000: 8, 10_000: 4 } as const;
const VECTOR_COUNT = 100_000;
const VECTOR_QUERIES = 300;
const EF_SWEEP = [16, 32, 64, 96, 128, 192, 256, 384, 512, 768, 1024];
const SWEEP_GRID: HnswParams[] = [
  { M: 8, efConstruction: 64 },
  { M: 12, efConstruction: 64 },
  { M: 16, efConstruction: 32 },
  { M: 16, efConstruction: 64 },
  { M: 16, efConstruction: 100 },
  { M: 16, efConstruction: 200 },
  { M: 24, efConstruction: 64 },
  { M: 32, efConstruction: 64 },
];

const log = (line: string) => process.stderr.write(`${line}\n`);

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverageAtStart: os.loadavg().map(round),
  };
}

// ---------------------------------------------------------------- embedding

async function benchEmbedding(embedder: Embedder, textsDir: string): Promise<ThroughputResult & { ratio: number; cpuRatio: number }> {
  // 64 passages of the 1k library and their sentences: ~270 texts, the mix a build embeds.
  const texts = await unitTexts(textsDir, 64);
  log(`embedding: ${texts.length} texts, naive vs engine vs budgeted batches, 2 rounds interleaved chunk by chunk`);
  const result = await compareThroughput(embedder, texts, { naive, engine, 'budget 2000 chars': budgeted(2000) }, 2);
  return {
    ...result,
    ratio: result.passagesPerSecond.engine! / result.passagesPerSecond.naive!,
    cpuRatio: result.passagesPerCpuSecond.engine! / result.passagesPerCpuSecond.naive!,
  };
}

// ---------------------------------------------------------------- serving

interface ServeReport {
  answer: LatencySummary;
  stages: StageTimings;
  recall: RecallReport;
  rssBytes: number;
  maxRssBytes: number;
  coldStart: Record<string, number>;
}

function envFor(config: Pick<CoreConfig, 'textsDir' | 'indexDir'>): Record<string, string> {
  return { LECTERN_TEXTS_DIR: config.textsDir, LECTERN_INDEX_DIR: config.indexDir };
}

/** Latency, stage split, memory and recall of one library, in a process of its own. */
async function serve(config: Pick<CoreConfig, 'textsDir' | 'indexDir'>, rounds: number): Promise<ServeReport> {
  const run = await runServe('node --import tsx', { ...envFor(config), BENCH_ROUNDS: String(rounds) }, ['--latency', '--stages', '--recall'], 900_000);
  return run.result as unknown as ServeReport;
}

// ---------------------------------------------------------------- cold start

interface ColdStartReport {
  runs: number;
  /** Median spawn → first answer, per launcher. */
  medianWallMs: Record<Launcher, number>;
  /** Median phases as the child saw them (process.uptime), per launcher. */
  medianPhasesMs: Record<Launcher, Record<string, number>>;
  wallMs: Record<Launcher, number[]>;
}

async function benchColdStart(config: Pick<CoreConfig, 'textsDir' | 'indexDir'>, runs: number): Promise<ColdStartReport> {
  await compileForColdStart();
  log(`cold start: ${runs} runs per launcher, interleaved, after one discarded run each (warm OS file cache)`);
  const samples = Object.fromEntries(LAUNCHERS.map((l) => [l, [] as ServeRun[]])) as Record<Launcher, ServeRun[]>;
  for (let r = -1; r < runs; r++) {
    for (const launcher of LAUNCHERS) {
      const run = await runServe(launcher, envFor(config));
      if (r >= 0) samples[launcher].push(run);
    }
  }
  const phases = (runsOf: ServeRun[]) =>
    Object.fromEntries(Object.keys(runsOf[0]!.result.coldStart).map((k) => [k, round(median(runsOf.map((x) => x.result.coldStart[k]!)))]));
  return {
    runs,
    medianWallMs: Object.fromEntries(LAUNCHERS.map((l) => [l, round(median(samples[l].map((s) => s.wallMs)))])) as Record<Launcher, number>,
    medianPhasesMs: Object.fromEntries(LAUNCHERS.map((l) => [l, phases(samples[l])])) as Record<Launcher, Record<string, number>>,
    wallMs: Object.fromEntries(LAUNCHERS.map((l) => [l, samples[l].map((s) => round(s.wallMs))])) as Record<Launcher, number[]>,
  };
}

// ---------------------------------------------------------------- vectors

interface VectorReport {
  kind: VectorKind;
  count: number;
  dim: number;
  params: HnswParams;
  buildMs: number;
  indexBytes: number;
  /** Growth of this process's resident memory while building (≈ the index in memory). */
  rssGrowthBytes: number;
  bruteForceMsPerQuery: number;
  ef: EfResult[];
  /** The smallest efSearch in the sweep reaching recall@10 ≥ 0.98, if any. */
  chosen: EfResult | null;
  /** The figures at the configured efSearch. */
  configured: EfResult;
}

async function benchVectors(kind: VectorKind, count: number, params: HnswParams, efSearch: number, sweep = EF_SWEEP): Promise<VectorReport> {
  const dim = 384;
  const source = new VectorSource(kind, dim, SEED);
  const points = source.take(count);
  const queries = source.take(VECTOR_QUERIES);
  log(`vectors: ${count} ${kind}, exact neighbours of ${VECTOR_QUERIES} queries by brute force`);
  const exact = exactNeighbours(points, queries, 10);
  log(`vectors: building HNSW M=${params.M} efConstruction=${params.efConstruction}`);
  const rssBefore = process.memoryUsage().rss;
  const { index, ms } = buildHnsw(points, params);
  const rssGrowthBytes = process.memoryUsage().rss - rssBefore;
  const efs = [...new Set([...sweep, efSearch])].sort((a, b) => a - b);
  const ef = efs.map((e) => measureEf(index, queries, exact.kth, e));
  const report: VectorReport = {
    kind,
    count,
    dim,
    params,
    buildMs: ms,
    indexBytes: await indexFileSize(index, TMP),
    rssGrowthBytes,
    bruteForceMsPerQuery: exact.msPerQuery,
    ef: ef.filter((r) => sweep.includes(r.efSearch)),
    chosen: ef.find((r) => r.recallAt10 >= 0.98) ?? null,
    configured: ef.find((r) => r.efSearch === efSearch)!,
  };
  log(`vectors: built in ${(ms / 1000).toFixed(1)} s; at efSearch ${efSearch}: recall@10 ${report.configured.recallAt10.toFixed(3)}, p50 ${report.configured.p50.toFixed(2)} ms`);
  return report;
}

// ---------------------------------------------------------------- report

interface Results {
  version: 1;
  startedAt: string;
  durationS?: number;
  machine: ReturnType<typeof machine> & { loadAverageAtEnd?: number[] };
  config: { model: string; dtype: string; hnsw: CoreConfig['hnsw'] };
  embedding?: ThroughputResult & { ratio: number; cpuRatio: number };
  libraries?: { name: string; build: LibraryBuild; serve: ServeReport }[];
  coldStart?: ColdStartReport;
  vectors?: VectorReport[];
  sweep?: VectorReport[];
  targets?: { target: string; measured: string; met: boolean }[];
  /** Steps left out to stay within the time budget. */
  skipped?: { step: string; projectedS: number; leftS: number }[];
  errors: { section: string; message: string }[];
}

const ms = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));

function printTables(r: Results): void {
  const out: string[] = [];
  out.push(`Lectern benchmark — ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, load ${r.machine.loadAverageAtStart.join(' ')}`);
  out.push(`model ${r.config.model} (${r.config.dtype}); HNSW M=${r.config.hnsw.M} efConstruction=${r.config.hnsw.efConstruction} efSearch=${r.config.hnsw.efSearch}`);
  if (r.embedding) {
    const e = r.embedding;
    out.push('', `Embedding throughput (${e.texts} texts, mean ${Math.round(e.meanChars)} chars, ${e.rounds.naive!.length} rounds interleaved chunk by chunk)`);
    out.push(
      table(
        ['strategy', 'passages/s', 'vs naive', 'per CPU-s', 'vs naive', 'rounds'],
        Object.entries(e.passagesPerSecond).map(([k, v]) => {
          const cpu = e.passagesPerCpuSecond[k]!;
          return [k, v, `${(v / e.passagesPerSecond.naive!).toFixed(2)}×`, cpu, `${(cpu / e.passagesPerCpuSecond.naive!).toFixed(2)}×`, e.rounds[k]!.map((x) => x.toFixed(0)).join(' ')];
        }),
      ),
    );
  }
  if (r.libraries?.length) {
    out.push('', 'Answer latency, ms (dev questions after warm-up; whole = Lectern.ask + formatAnswer)');
    out.push(
      table(
        ['library', 'n', 'p50', 'p95', 'p99', ...STAGES.map((s) => `${s} p50`), 'BM25 kept', 'matched'],
        r.libraries.map(({ name, serve: s }) => [name, s.answer.n, ms(s.answer.p50), ms(s.answer.p95), ms(s.answer.p99), ...STAGES.map((st) => ms(s.stages.stages[st].p50)), Math.round(s.stages.meanLexicalHits), Math.round(s.stages.meanLexicalMatches)]),
      ),
    );
    out.push('', 'Libraries end to end (fresh build with the model loaded; RSS of a process serving the library)');
    out.push(
      table(
        ['library', 'passages', 'units', 'embedded', 'build s', 'embed s', 'index s', 'index MiB', 'RSS MiB', 'distinct vec', 'recall@10', 'of 64', 'distinct'],
        r.libraries.map(({ name, build: b, serve: s }) => [name, b.passages, b.units, b.embedded, (b.buildMs / 1000).toFixed(1), (b.embedMs / 1000).toFixed(1), (b.indexMs / 1000).toFixed(1), mib(b.indexBytes), mib(s.rssBytes), s.recall.distinctVectors, s.recall.recallAt10.toFixed(3), s.recall.recallAt10OfCandidates.toFixed(3), s.recall.recallAt10Distinct.toFixed(3)]),
      ),
    );
  }
  if (r.coldStart) {
    const c = r.coldStart;
    out.push('', `Cold start, ms (process start → first answer formatted; median of ${c.runs})`);
    out.push(
      table(
        ['launcher', 'wall', 'to main', 'imports', 'open', 'first answer'],
        LAUNCHERS.map((l) => [l, ms(c.medianWallMs[l]), ms(c.medianPhasesMs[l].processToMainMs), ms(c.medianPhasesMs[l].importsMs), ms(c.medianPhasesMs[l].openMs), ms(c.medianPhasesMs[l].firstAnswerMs)]),
      ),
    );
  }
  for (const [title, list] of [['Vectors', r.vectors], ['Sweep (lowrank)', r.sweep]] as const) {
    if (!list?.length) continue;
    out.push('', `${title}: HNSW vs brute force, recall@10 over ${VECTOR_QUERIES} held-out queries`);
    out.push(
      table(
        ['set', 'M', 'efC', 'build s', 'MiB', 'BF ms/q', 'ef → 0.98', 'recall', 'p50 ms', 'p99 ms'],
        list.map((v) => [
          `${v.count / 1000}k ${v.kind}`,
          v.params.M,
          v.params.efConstruction,
          (v.buildMs / 1000).toFixed(1),
          mib(v.indexBytes),
          ms(v.bruteForceMsPerQuery),
          v.chosen ? String(v.chosen.efSearch) : '>' + Math.max(...v.ef.map((e) => e.efSearch)),
          (v.chosen ?? v.ef[v.ef.length - 1]!).recallAt10.toFixed(3),
          ms((v.chosen ?? v.ef[v.ef.length - 1]!).p50),
          ms((v.chosen ?? v.ef[v.ef.length - 1]!).p99),
        ]),
      ),
    );
    if (title === 'Vectors') {
      out.push('', 'efSearch sweep (recall@10 / p50 ms)');
      out.push(table(['set', ...EF_SWEEP.map(String)], list.map((v) => [`${v.count / 1000}k ${v.kind}`, ...EF_SWEEP.map((e) => { const x = v.ef.find((f) => f.efSearch === e); return x ? `${x.recallAt10.toFixed(3)}/${x.p50.toFixed(2)}` : '–'; })])));
    }
  }
  if (r.targets?.length) {
    out.push('', 'Targets');
    out.push(table(['target', 'measured', 'met'], r.targets.map((t) => [t.target, t.measured, t.met ? 'yes' : 'NO'])));
  }
  for (const k of r.skipped ?? []) out.push('', `SKIPPED ${k.step}: projected ${k.projectedS} s, ${k.leftS} s of the budget left (run with --budget=0)`);
  for (const e of r.errors) out.push('', `ERROR in ${e.section}: ${e.message}`);
  console.log(out.join('\n'));
}

function targets(r: Results): NonNullable<Results['targets']> {
  const list: NonNullable<Results['targets']> = [];
  const add = (target: string, measured: string, met: boolean) => list.push({ target, measured, met });
  if (r.embedding) add('ingestion ≥ 1.5× naive', `${r.embedding.ratio.toFixed(2)}× (${r.embedding.cpuRatio.toFixed(2)}× per CPU-s)`, r.embedding.ratio >= 1.5);
  const lib = (name: string) => r.libraries?.find((l) => l.name === name)?.serve;
  const bundled = lib('bundled');
  if (bundled) {
    add('bundled p50 ≤ 15 ms', `${ms(bundled.answer.p50)} ms`, bundled.answer.p50 <= 15);
    add('bundled p99 ≤ 50 ms', `${ms(bundled.answer.p99)} ms`, bundled.answer.p99 <= 50);
  }
  const big = lib('10k');
  if (big) add('10k passages p50 ≤ 30 ms', `${ms(big.answer.p50)} ms`, big.answer.p50 <= 30);
  if (r.coldStart) {
    for (const l of LAUNCHERS) add(`cold start ≤ 1.5 s (${l})`, `${ms(r.coldStart.medianWallMs[l])} ms`, r.coldStart.medianWallMs[l] <= 1500);
  }
  for (const v of r.vectors ?? []) {
    const c = v.chosen;
    add(`${v.count / 1000}k ${v.kind}: build ≤ 60 s`, `${(v.buildMs / 1000).toFixed(1)} s`, v.buildMs <= 60_000);
    add(`${v.count / 1000}k ${v.kind}: recall@10 ≥ 0.98 with p50 ≤ 2 ms`, c ? `${c.recallAt10.toFixed(3)} at ef ${c.efSearch}, ${ms(c.p50)} ms` : 'never ≥ 0.98 in the sweep', !!c && c.p50 <= 2);
    add(`${v.count / 1000}k ${v.kind}: at configured efSearch ${v.configured.efSearch}`, `${v.configured.recallAt10.toFixed(3)}, ${ms(v.configured.p50)} ms`, v.configured.recallAt10 >= 0.98 && v.configured.p50 <= 2);
  }
  return list;
}

// ---------------------------------------------------------------- main

async function section<T>(results: Results, name: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`${name} failed: ${message}`);
    results.errors.push({ section: name, message });
    return undefined;
  }
}

/**
 * Seconds left of the run's time budget, and whether a step projected to
 * take `seconds` still fits. Steps that do not fit are skipped and listed,
 * so a run on a busy machine still ends within the budget.
 */
class Budget {
  private readonly started = performance.now();
  readonly skipped: { step: string; projectedS: number; leftS: number }[] = [];

  constructor(private readonly seconds: number) {}

  get elapsedS(): number {
    return (performance.now() - this.started) / 1000;
  }

  fits(step: string, projectedS: number): boolean {
    const leftS = this.seconds - this.elapsedS;
    if (this.seconds <= 0 || projectedS <= leftS) return true;
    this.skipped.push({ step, projectedS: round(projectedS), leftS: round(leftS) });
    log(`${step}: skipped, projected ${Math.round(projectedS)} s but ${Math.round(leftS)} s of the budget left (--budget=0 runs everything)`);
    return false;
  }
}

/** Distinct texts a build of `textsDir` would embed: what its embedding time is proportional to. */
async function distinctUnits(textsDir: string): Promise<number> {
  return new Set(buildUnits(await loadLibrary(textsDir)).map((u) => u.hash)).size;
}

async function main(): Promise<number> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const options = parseArgs(process.argv.slice(2));
  if (typeof options === 'string') {
    console.error(`${options}\n\n${USAGE}`);
    return 2;
  }
  const budget = new Budget(options.budgetS);
  const config = loadCoreConfig();
  const has = (s: Section) => options.sections.has(s);
  const results: Results = {
    version: 1,
    startedAt: new Date().toISOString(),
    machine: machine(),
    config: { model: config.model.id, dtype: config.model.dtype, hnsw: config.hnsw },
    libraries: [],
    errors: [],
  };
  await mkdir(TMP, { recursive: true });
  const embedder = await Embedder.load(config.model);
  const pool = await readSentencePool(config.textsDir);
  const libConfig = (name: string, textsDir: string) => ({ ...config, textsDir, indexDir: path.join(TMP, name, 'index') });
  const serveLibrary = async (name: string, build: LibraryBuild, rounds: number) => {
    log(`${name} library: serving in a child process, ${rounds} rounds of the dev questions`);
    const s = await section(results, `serve ${name}`, () => serve(build, rounds));
    if (s) results.libraries!.push({ name, build, serve: s });
  };
  const buildLibrary = async (name: string, cfg: CoreConfig) => {
    log(`${name} library: building its index`);
    const b = await section(results, `build ${name}`, () => buildFresh(cfg, embedder));
    if (b) log(`${name} library: ${b.units} units (${b.embedded} distinct) built in ${(b.buildMs / 1000).toFixed(1)} s`);
    return b;
  };

  // Cheap sections first; the 10k library and the uniform vectors last, each only if it fits the budget.
  const bundled = libConfig('bundled', config.textsDir);
  if (has('latency') || has('cold')) {
    const b = await buildLibrary('bundled', bundled);
    if (b && has('latency')) await serveLibrary('bundled', b, ROUNDS.bundled);
    if (b && has('cold')) results.coldStart = await section(results, 'cold start', () => benchColdStart(bundled, 5));
  }
  let small: LibraryBuild | undefined;
  if (has('embed') || has('scale')) {
    const lib = await writeSyntheticLibrary(path.join(TMP, '1k', 'texts'), pool, { passages: 1_000, perDocument: PER_DOCUMENT[1_000], seed: SEED + 1_000 });
    if (has('embed')) results.embedding = await section(results, 'embedding', () => benchEmbedding(embedder, lib.textsDir));
    if (has('scale')) small = await buildLibrary('1k', libConfig('1k', lib.textsDir));
    if (small) await serveLibrary('1k', small, ROUNDS[1_000]);
  }
  const params = { M: config.hnsw.M, efConstruction: config.hnsw.efConstruction };
  let lowrank: VectorReport | undefined;
  if (has('vectors')) {
    results.vectors = [];
    lowrank = await section(results, 'vectors lowrank', () => benchVectors('lowrank', VECTOR_COUNT, params, config.hnsw.efSearch));
    if (lowrank) results.vectors.push(lowrank);
  }
  if (has('scale') && !options.quick && small) {
    const lib = await writeSyntheticLibrary(path.join(TMP, '10k', 'texts'), pool, { passages: 10_000, perDocument: PER_DOCUMENT[10_000], seed: SEED + 10_000 });
    // Embedding dominates a build: project from the 1k build's rate, plus ten times its indexing and a minute to serve.
    const projected = ((await distinctUnits(lib.textsDir)) / small.embedded) * (small.embedMs / 1000) + (small.indexMs / 1000) * 10 + 60;
    if (budget.fits('10k library', projected)) {
      const b = await buildLibrary('10k', libConfig('10k', lib.textsDir));
      if (b) await serveLibrary('10k', b, ROUNDS[10_000]);
    }
  }
  await embedder.dispose();
  if (has('vectors') && !options.quick && budget.fits('100k uniform vectors', (lowrank?.buildMs ?? 60_000) / 1000 * 2 + 20)) {
    const v = await section(results, 'vectors uniform', () => benchVectors('uniform', VECTOR_COUNT, params, config.hnsw.efSearch));
    if (v) results.vectors!.push(v);
  }
  if (options.million) {
    const v = await section(results, 'vectors 1M', () => benchVectors('lowrank', 1_000_000, params, config.hnsw.efSearch, [64, 96, 128, 192, 256, 384, 512]));
    if (v) (results.vectors ??= []).push(v);
  }
  if (options.sweep) {
    results.sweep = [];
    for (const p of SWEEP_GRID) {
      const v = await section(results, `sweep M=${p.M} efC=${p.efConstruction}`, () => benchVectors('lowrank', VECTOR_COUNT, p, config.hnsw.efSearch, [32, 64, 96, 128, 192, 256]));
      if (v) results.sweep.push(v);
    }
  }

  results.skipped = budget.skipped;
  results.targets = targets(results);
  results.durationS = round(budget.elapsedS);
  results.machine.loadAverageAtEnd = os.loadavg().map(round);
  await writeFile(options.out, JSON.stringify(results, (_, v: unknown) => (typeof v === 'number' ? round(v) : v), 2) + '\n');
  printTables(results);
  console.log(`\nWrote ${path.relative(ROOT_DIR, options.out)} in ${results.durationS} s (compiled cold-start copy in ${path.relative(ROOT_DIR, COMPILED_DIR)}).`);
  return results.errors.length ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);

/**
 * A child process of `npm run bench`: opens Lectern on one library, answers
 * one question (cold start), then optionally measures answer latency, the
 * latency of each stage, resident memory and HNSW recall on the real vectors.
 * Run alone so its timings and memory are its own:
 *
 *   LECTERN_TEXTS_DIR=… LECTERN_INDEX_DIR=… node --import tsx bench/lib/serve.ts [--latency] [--stages] [--recall]
 *
 * BENCH_ROUNDS sets how many times the dev questions are asked (default 8),
 * BENCH_QUESTIONS another question file (JSONL with a "q" field).
 *
 * Prints READY as soon as the first answer is formatted, then one line
 * `RESULT {json}` (see ServeResult).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Seconds since this process started, read before anything else is imported. */
const startedAt = process.uptime();

/** The project folder: the nearest above this file with a package.json (bench/lib/ from source, dist/bench/lib/ compiled). */
let ROOT = path.dirname(fileURLToPath(import.meta.url));
while (!existsSync(path.join(ROOT, 'package.json')) && path.dirname(ROOT) !== ROOT) ROOT = path.dirname(ROOT);
const args = new Set(process.argv.slice(2));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);

/** The dev questions: what readers ask, with answers in the bundled text (and so in the synthetic libraries). */
function devQuestions(): string[] {
  return readFileSync(process.env.BENCH_QUESTIONS ?? path.join(ROOT, 'eval/dev-questions.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => (JSON.parse(line) as { q: string }).q);
}

const importsStart = process.uptime();
const [{ Lectern }, { formatAnswer }] = await Promise.all([
  import('../../src/lectern.js'),
  import('../../src/answer/format.js'),
]);
const importsDone = process.uptime();
const lectern = await Lectern.open();
const opened = process.uptime();
const questions = devQuestions();
formatAnswer(await lectern.ask(questions[0]!), lectern.library);
const firstAnswer = process.uptime();
process.stdout.write('READY\n');

const { summarise } = await import('./stats.js');

/** Whole answers as a reader gets them: ask, then format the text. */
async function wholeAnswerLatency(): Promise<number[]> {
  for (const q of questions) formatAnswer(await lectern.ask(q), lectern.library); // warm-up: JIT, ONNX arenas, caches
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const q of questions) {
      const start = performance.now();
      formatAnswer(await lectern.ask(q), lectern.library);
      times.push(performance.now() - start);
    }
  }
  return times;
}

const result: Record<string, unknown> = {
  coldStart: {
    processToMainMs: startedAt * 1000,
    importsMs: (importsDone - importsStart) * 1000,
    openMs: (opened - importsDone) * 1000,
    firstAnswerMs: (firstAnswer - opened) * 1000,
    totalMs: firstAnswer * 1000,
  },
  manifest: {
    units: lectern.manifest.counts.units,
    passages: lectern.manifest.counts.passages,
    hnsw: lectern.manifest.hnsw,
  },
};
if (args.has('--latency')) {
  result.answer = summarise(await wholeAnswerLatency());
  result.rssBytes = process.memoryUsage().rss;
  result.maxRssBytes = process.resourceUsage().maxRSS * 1024;
}
if (args.has('--stages') || args.has('--recall')) {
  const { openStages } = await import('./stages.js');
  const stages = await openStages(lectern.config);
  if (args.has('--stages')) result.stages = await stages.measure(questions, ROUNDS);
  if (args.has('--recall')) result.recall = await stages.recall(questions);
  await stages.close();
}
await lectern.close();
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);

/** `npm run eval [-- [--texts DIR] [FILE.jsonl] [--kind K] [--limit N] [--json] [--verbose]]`: retrieval, quote and abstention metrics. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runMain } from '../src/cli/run.js';
import { ROOT_DIR } from '../src/config.js';
import { LecternError } from '../src/errors.js';
import { openForTexts } from '../src/eval/cache.js';
import { buildEventReporter, stderrProgress } from '../src/eval/progress.js';
import { EvalSetError } from '../src/eval/set-error.js';
import { detectSetKind, SET_KINDS } from '../src/eval/set-registry.js';
import type { ParsedSet } from '../src/eval/sets.js';
import { Lectern } from '../src/lectern.js';
import { CHAPTERS_PER_WEEK, UNTIL_MODES, type UntilMode } from '../src/eval/reading-along.js';

const USAGE = `Usage: npm run eval -- [--texts DIR] [FILE.jsonl] [--kind K] [--limit N] [--json] [--verbose]
                        [--until answer|before|later [--follow-ups] [--week-bonus W]]

Answers every question of FILE with hybrid retrieval (what Lectern uses), dense
only and BM25 only, and prints hit@1, hit@3, quote@1, false declines and
declines overall, then per kind (hybrid). Sets with "paragraph" (SQuAD-style)
also get gold@1/gold@3: the top passage is the gold paragraph.

  --texts DIR   evaluate over the texts in DIR instead of texts/: the index is
                built on first use (a novel can take half an hour) and cached in
                .cache/eval/, keyed by the texts' content and the model
  --cache-dir D where --texts indexes are kept (default .cache/eval)
  --kind K      only questions of kind K (repeat, or K1,K2, for several)
  --limit N     only the first N questions
  --json        everything measured as JSON on stdout (progress stays on stderr)
  --verbose     show the quote of each miss
  --until M     reading-along mode (docs/evaluation.md): each question with a "chapter" is
                asked under a reader's limit (hybrid only), with a schedule of ${CHAPTERS_PER_WEEK}
                chapters a week: "answer" = up to the answer's chapter, favouring its week;
                "before" = up to the chapter before it; "later" = a week further on. Prints
                hit@1, hit@3, quote@1, the declines and the leaks (passages past the limit)
  --follow-ups  with --until: also ask "why?", "more", "tell me more" after each question,
                and count their leaks
  --week-bonus W  with --until: the week prior's weight (rerank.weekBonus), to measure it

Lines of FILE: ${SET_KINDS.map((k) => k.lineShape).join('\n  or ')}
expect: [] means the texts do not answer it (the right answer is to decline).
Default FILE: eval/dev-questions.jsonl. Examples:
  npm run eval -- eval/validation-questions.jsonl
  npm run eval -- --texts eval/corpora/squad eval/squad-super-bowl-50-questions.jsonl
  npm run eval -- --texts eval/corpora/moby-dick eval/moby-dick-questions.jsonl --kind why`;

function usageError(message: string): LecternError {
  return new LecternError(`${message}\n\n${USAGE}`, 2);
}

runMain(async () => {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        texts: { type: 'string' },
        'cache-dir': { type: 'string' },
        kind: { type: 'string', multiple: true },
        limit: { type: 'string' },
        json: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        until: { type: 'string' },
        'follow-ups': { type: 'boolean', default: false },
        'week-bonus': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length > 1) throw usageError(`One question file at a time (got ${positionals.length}).`);
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
    throw usageError(`--limit takes a positive whole number (got "${values.limit}").`);
  const kinds = values.kind
    ?.flatMap((k) => k.split(','))
    .map((k) => k.trim())
    .filter(Boolean);

  const until = values.until as UntilMode | undefined;
  if (until !== undefined && !UNTIL_MODES.includes(until))
    throw usageError(`--until takes ${UNTIL_MODES.join(', ')} (got "${values.until}").`);
  const weekBonus = values['week-bonus'] === undefined ? undefined : Number(values['week-bonus']);
  if (weekBonus !== undefined && !(Number.isFinite(weekBonus) && weekBonus >= 0))
    throw usageError(`--week-bonus takes a number of 0 or more (got "${values['week-bonus']}").`);
  if (until === undefined && (values['follow-ups'] || weekBonus !== undefined))
    throw usageError('--follow-ups and --week-bonus go with --until.');
  const readingAlong = until
    ? {
        mode: until,
        followUps: values['follow-ups'],
        ...(weekBonus !== undefined ? { ranking: { rerank: { weekBonus } } } : {}),
      }
    : undefined;

  const file = path.resolve(positionals[0] ?? path.join(ROOT_DIR, 'eval', 'dev-questions.jsonl'));
  const shown = path.relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new LecternError(`Cannot read ${file}.`, 2);
  }
  let set: ParsedSet;
  try {
    set = detectSetKind(text).parse(text, { kinds, limit });
  } catch (error) {
    if (error instanceof EvalSetError) throw new LecternError(`${shown}: ${error.message}.`, 2);
    throw error;
  }

  const progress = stderrProgress();
  const lectern =
    values.texts === undefined
      ? await Lectern.open()
      : await openForTexts(values.texts, {
          cacheDir: values['cache-dir'] ? path.resolve(values['cache-dir']) : undefined,
          onRebuild: (reasons) =>
            progress.log(`Building the index of ${values.texts} (${reasons.join('; ')}); it is cached for later runs.`),
          onBuildEvent: buildEventReporter(progress),
        });
  const { textsDir, indexDir } = lectern.config;
  try {
    const report = await set.run({ lectern, textsDir, progress, verbose: values.verbose, readingAlong });
    if (values.json) {
      console.log(
        JSON.stringify({
          file,
          texts: textsDir,
          index: indexDir,
          filters: { kinds, limit },
          ...(readingAlong ? { until: { ...readingAlong, weekBonus: weekBonus ?? null } } : {}),
          ...report.json,
        }),
      );
    } else {
      console.log(
        `Evaluation of ${shown} over ${path.relative(process.cwd(), textsDir) || textsDir} (${set.summary})\n`,
      );
      console.log(report.text);
    }
  } catch (error) {
    // A set that refers to something the texts do not have (a gold paragraph past the end) is bad input, not a crash.
    if (error instanceof EvalSetError) throw new LecternError(`${shown}: ${error.message}.`, 2);
    throw error;
  } finally {
    await lectern.close();
  }
  return 0;
});

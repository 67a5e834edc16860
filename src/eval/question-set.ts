import type { RetrievalMode } from '../search/config.js';
import { evaluate, formatKindTable, formatMetricsTable, NO_KIND, parseEvalFile, type EvalQuestion, type ModeRun } from './evaluate.js';
import { GoldParagraphs } from './gold.js';
import { evaluateReadingAlong, formatReadingAlong } from './reading-along.js';
import { EvalSetError } from './set-error.js';
import type { EvalSetKind, SetContext, SetFilters, SetReport } from './sets.js';

/** Hybrid is what Lectern uses; dense-only and BM25-only show what the fusion adds. */
export const EVAL_MODES: readonly RetrievalMode[] = ['hybrid', 'dense', 'lexical'];

/** Applies `--kind` and `--limit`; throws when nothing is left, naming the kinds the file has. */
export function filterQuestions(questions: readonly EvalQuestion[], filters: SetFilters): EvalQuestion[] {
  let kept = [...questions];
  if (filters.kinds?.length) {
    kept = kept.filter((q) => filters.kinds!.includes(q.kind ?? NO_KIND));
    if (kept.length === 0) {
      const kinds = [...new Set(questions.map((q) => q.kind ?? NO_KIND))];
      throw new EvalSetError(`no question of kind ${filters.kinds.join(', ')}; this set has ${kinds.join(', ')}`);
    }
  }
  if (filters.limit !== undefined) kept = kept.slice(0, filters.limit);
  return kept;
}

/** Runs a question set in reading-along mode (reading-along.ts): hybrid retrieval only, under each question's limit. */
async function runReadingAlong(questions: readonly EvalQuestion[], context: SetContext): Promise<SetReport> {
  const { lectern, progress } = context;
  const options = context.readingAlong!;
  progress.start(`Reading along (--until ${options.mode})`, questions.filter((q) => q.chapter !== undefined).length);
  const { metrics, results } = await evaluateReadingAlong(lectern, questions, {
    ...options,
    onProgress: (done) => progress.update(done),
  });
  progress.stop();
  const lines: string[] = [];
  const leaking = results.filter((r) => Object.values(r.leaks).some((n) => n > 0));
  if (leaking.length) {
    lines.push(`Leaks (${leaking.length} questions):`);
    for (const r of leaking) lines.push(`- ${r.q} (limit: chapter ${r.through}) — ${JSON.stringify(r.leaks)}`);
    lines.push('');
  }
  const misses = results.filter((r) => r.answerable && (!r.hit1 || !r.answered));
  if (context.verbose && misses.length) {
    lines.push(`Misses (${misses.length}):`);
    for (const r of misses)
      lines.push(`- ${r.kind ? `[${r.kind}] ` : ''}${r.q} (ch. ${r.chapter}, limit ${r.through}) — ${r.answered ? `top=${r.top}` : 'declined'}`);
    lines.push('');
  }
  lines.push(formatReadingAlong(metrics));
  return { text: lines.join('\n'), json: { set: 'questions', readingAlong: metrics, results } };
}

/** Runs a question set through every mode and reports overall, per-kind and (SQuAD-style) gold-paragraph figures. */
async function runQuestions(questions: readonly EvalQuestion[], context: SetContext): Promise<SetReport> {
  if (context.readingAlong) return runReadingAlong(questions, context);
  const { lectern, progress } = context;
  const gold = questions.some((q) => q.paragraph !== undefined) ? await GoldParagraphs.read(context.textsDir, lectern.library, questions) : undefined;
  const runs: ModeRun[] = [];
  for (const mode of EVAL_MODES) {
    progress.start(`Asking (${mode})`, questions.length);
    runs.push(await evaluate(lectern, questions, mode, { gold, onProgress: (done) => progress.update(done) }));
    progress.stop();
  }
  const hybrid = runs[0]!;
  const lines: string[] = [];
  const misses = hybrid.results.filter((r) => (r.answerable ? !r.hit1 || !r.quote1 || !r.answered || r.gold1 === false : r.answered));
  if (misses.length) {
    lines.push(`Hybrid misses (${misses.length}):`);
    for (const r of misses) {
      const what = r.answerable
        ? [!r.answered && 'declined', r.gold1 === false && 'not the gold paragraph', !r.hit1 && `top=${r.top}`, !r.quote1 && 'quote missed'].filter(Boolean).join(', ')
        : 'answered a question the text does not answer';
      lines.push(`- ${r.kind ? `[${r.kind}] ` : ''}${r.q} — ${what}${context.verbose && r.quote ? `\n    quote: ${r.quote.replace(/\s+/g, ' ')}` : ''}`);
    }
    lines.push('');
  }
  lines.push(formatMetricsTable(runs.map((r) => r.metrics)), '', formatKindTable(hybrid.byKind, 'kind (hybrid)'));
  return {
    text: lines.join('\n'),
    json: {
      set: 'questions',
      questions: questions.length,
      metrics: runs.map((r) => r.metrics),
      byKind: Object.fromEntries(runs.map((r) => [r.metrics.mode, r.byKind])),
      results: hybrid.results,
    },
  };
}

/** Sets of questions: `{"q", "expect", "kind"?, "paragraph"?, "file"?}` per line. */
export const questionSet: EvalSetKind = {
  name: 'questions',
  lineShape: '{"q": "question", "expect": ["substring", ...], "kind": "...", "paragraph": N}',
  recognises: (line) => typeof line.q === 'string' && Array.isArray(line.expect),
  parse(text, filters) {
    const questions = filterQuestions(parseEvalFile(text), filters);
    return { summary: `${questions.length} question${questions.length === 1 ? '' : 's'}`, run: (context) => runQuestions(questions, context) };
  },
};

import { z } from 'zod';
import { stripDiscordMarkup } from '../text/markup.js';
import type { Lectern } from '../lectern.js';
import type { RetrievalMode } from '../search/config.js';
import type { Answer } from '../types.js';
import { foldSpace, type GoldParagraphs } from './gold.js';
import { EvalSetError } from './set-error.js';

/**
 * One line of a question set. `expect: []` means the texts do not answer it.
 * `paragraph` (SQuAD-style sets) is the 1-based number of the gold paragraph among
 * the blank-line blocks of the text's body; `file` names that text when the texts
 * folder holds more than one. `chapter` (a number or a reference: "12", "Letter 3", a title)
 * is where the answer is: reading-along mode (`--until`, reading-along.ts) reads it. Other
 * fields are kept for reading, not scored.
 */
export const EvalQuestion = z.object({
  q: z.string().min(1),
  expect: z.array(z.string()),
  kind: z.string().optional(),
  // null, as some sets write for "no gold paragraph", means the same as leaving it out.
  paragraph: z
    .number()
    .int()
    .min(1)
    .nullish()
    .transform((n) => n ?? undefined),
  file: z.string().min(1).optional(),
  chapter: z
    .union([z.number().int(), z.string().min(1)])
    .nullish()
    .transform((c) => c ?? undefined),
});
export type EvalQuestion = z.infer<typeof EvalQuestion>;

/** Parses JSONL; throws an EvalSetError naming the first bad line. */
export function parseEvalFile(text: string): EvalQuestion[] {
  const questions: EvalQuestion[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new EvalSetError(`line ${i + 1} is not valid JSON`);
    }
    const parsed = EvalQuestion.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new EvalSetError(`line ${i + 1}: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
    }
    questions.push(parsed.data);
  });
  return questions;
}

/**
 * Normalises text for matching expectations: NFKC, curly quotes to straight,
 * dashes to "-", white space folded (books are hard-wrapped: an expected
 * phrase may span a line break), lower case.
 */
export function normaliseForMatch(text: string): string {
  return foldSpace(
    text
      .normalize('NFKC')
      .replace(/[‘’‚‛′]/g, "'")
      .replace(/[“”„‟″]/g, '"')
      .replace(/[‐‑‒–—―−]/g, '-')
      .toLowerCase(),
  );
}

export const matches = (text: string, expect: readonly string[]): boolean => {
  const haystack = normaliseForMatch(text);
  return expect.some((e) => haystack.includes(normaliseForMatch(e)));
};

/** The longest quote that counts: a quote is a sentence or two, not a page. */
export const MAX_QUOTE_LENGTH = 500;

/**
 * Whether the quote is a verbatim span of the top passage (at its offsets) and at
 * most {@link MAX_QUOTE_LENGTH} characters. Only white space is folded before
 * comparing, since display may fold it; every other character must be as in the text.
 */
export function quoteIsVerbatim(answer: Answer): boolean {
  const top = answer.passages[0]?.passage;
  const quote = answer.quote;
  if (!top || !quote || quote.passageId !== top.id || quote.text.length > MAX_QUOTE_LENGTH) return false;
  const folded = foldSpace(quote.text);
  return folded.length > 0 && foldSpace(top.text.slice(quote.start, quote.end)) === folded;
}

/** The outcome of one question in one mode. */
export interface QuestionResult {
  q: string;
  kind?: string;
  answerable: boolean;
  answered: boolean;
  hit1: boolean;
  hit3: boolean;
  quote1: boolean;
  /** Set when the question names a gold paragraph: the top passage is it. */
  gold1?: boolean;
  /** Set when the question names a gold paragraph: one of the top three passages is it. */
  gold3?: boolean;
  quote?: string;
  top?: string;
}

/** Scores one answer against its expectations (and its gold paragraph, when it has one). */
export function scoreAnswer(question: EvalQuestion, answer: Answer, gold?: GoldParagraphs): QuestionResult {
  const answerable = question.expect.length > 0;
  const texts = answer.passages.map((p) => p.passage.text);
  const hit1 = answerable && texts.slice(0, 1).some((t) => matches(t, question.expect));
  const hit3 = answerable && texts.slice(0, 3).some((t) => matches(t, question.expect));
  const quote1 = answerable && !!answer.quote && quoteIsVerbatim(answer) && matches(answer.quote.text, question.expect);
  const result: QuestionResult = { q: question.q, kind: question.kind, answerable, answered: answer.answered, hit1, hit3, quote1, quote: answer.quote?.text, top: answer.passages[0]?.passage.id };
  if (question.paragraph !== undefined && gold) {
    const ranks = answer.passages.slice(0, 3).map((p) => gold.isGold(question, p.passage));
    result.gold1 = ranks[0] === true;
    result.gold3 = ranks.includes(true);
  }
  return result;
}

/**
 * Metrics of one retrieval mode over a question set. Rates are in [0, 1], or
 * null when the set has no question they apply to.
 */
export interface Metrics {
  mode: RetrievalMode;
  questions: number;
  answerable: number;
  unanswerable: number;
  /** An expected substring is in the top passage. */
  hit1: number | null;
  /** … in one of the top three. */
  hit3: number | null;
  /** … in the quote, and the quote is verbatim. */
  quote1: number | null;
  /** Answerable questions declined. */
  falseAbstentions: number | null;
  /** Unanswerable questions declined. */
  abstention: number | null;
  /** Questions with a gold paragraph whose top passage is it. */
  gold1: number | null;
  gold3: number | null;
}

/** Per-kind figures: `declined` is the share of the kind's questions declined, whatever they are. */
export interface KindMetrics {
  kind: string;
  questions: number;
  answerable: number;
  hit1: number | null;
  hit3: number | null;
  quote1: number | null;
  declined: number | null;
  gold1: number | null;
  gold3: number | null;
}

const rate = (list: readonly QuestionResult[], pick: (r: QuestionResult) => boolean | undefined): number | null =>
  list.length ? list.filter((r) => pick(r) === true).length / list.length : null;

const withGold = (results: readonly QuestionResult[]) => results.filter((r) => r.gold1 !== undefined);

/** The rates that the overall and the per-kind tables share. */
function answerRates(results: readonly QuestionResult[]) {
  const answerable = results.filter((r) => r.answerable);
  return {
    questions: results.length,
    answerable: answerable.length,
    hit1: rate(answerable, (r) => r.hit1),
    hit3: rate(answerable, (r) => r.hit3),
    quote1: rate(answerable, (r) => r.quote1),
    gold1: rate(withGold(results), (r) => r.gold1),
    gold3: rate(withGold(results), (r) => r.gold3),
  };
}

/** Aggregates per-question results into metrics. */
export function aggregate(mode: RetrievalMode, results: readonly QuestionResult[]): Metrics {
  const unanswerable = results.filter((r) => !r.answerable);
  return {
    mode,
    ...answerRates(results),
    unanswerable: unanswerable.length,
    falseAbstentions: rate(results.filter((r) => r.answerable), (r) => !r.answered),
    abstention: rate(unanswerable, (r) => !r.answered),
  };
}

/** A question without a kind is counted under this one. */
export const NO_KIND = '(none)';

/** Per-kind metrics, kinds in the order they first appear in the set. */
export function aggregateByKind(results: readonly QuestionResult[]): KindMetrics[] {
  const byKind = new Map<string, QuestionResult[]>();
  for (const r of results) {
    const kind = r.kind ?? NO_KIND;
    const list = byKind.get(kind);
    if (list) list.push(r);
    else byKind.set(kind, [r]);
  }
  return [...byKind].map(([kind, list]) => ({ kind, ...answerRates(list), declined: rate(list, (r) => !r.answered) }));
}

export interface EvaluateOptions {
  /** Needed to score questions with a `paragraph`. */
  gold?: GoldParagraphs;
  /** Called after each question. */
  onProgress?: (done: number, total: number) => void;
}

/** The outcome of one retrieval mode over a set. */
export interface ModeRun {
  metrics: Metrics;
  byKind: KindMetrics[];
  results: QuestionResult[];
}

/** Runs every question through one retrieval mode. */
export async function evaluate(lectern: Lectern, questions: readonly EvalQuestion[], mode: RetrievalMode, options: EvaluateOptions = {}): Promise<ModeRun> {
  const results: QuestionResult[] = [];
  for (const question of questions) {
    const answer = await lectern.ask(stripDiscordMarkup(question.q), { limit: 5, ranking: { retrieve: { mode } } });
    results.push(scoreAnswer(question, answer, options.gold));
    options.onProgress?.(results.length, questions.length);
  }
  return { metrics: aggregate(mode, results), byKind: aggregateByKind(results), results };
}

const pct = (x: number | null, width = 7) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`).padStart(width);

/** A plain-text table of metrics, one row per mode; gold columns only when the set has gold paragraphs. */
export function formatMetricsTable(rows: readonly Metrics[]): string {
  const gold = rows.some((m) => m.gold1 !== null);
  const header = `${'retrieval'.padEnd(10)} ${'hit@1'.padStart(7)} ${'hit@3'.padStart(7)} ${'quote@1'.padStart(7)} ${'false abst.'.padStart(11)} ${'abstention'.padStart(10)}${gold ? ` ${'gold@1'.padStart(7)} ${'gold@3'.padStart(7)}` : ''}`;
  const lines = rows.map(
    (m) =>
      `${m.mode.padEnd(10)} ${pct(m.hit1)} ${pct(m.hit3)} ${pct(m.quote1)} ${pct(m.falseAbstentions, 11)} ${pct(m.abstention, 10)}${gold ? ` ${pct(m.gold1)} ${pct(m.gold3)}` : ''}`,
  );
  const n = rows[0];
  const footer = n ? `(${n.answerable} answerable, ${n.unanswerable} unanswerable questions)` : '';
  return [header, ...lines, footer].join('\n');
}

/**
 * A plain-text table of per-kind metrics; `declined` is the share of the kind's questions declined
 * (false declines for answerable kinds). `heading` names the first column, e.g. "kind (hybrid)".
 */
export function formatKindTable(rows: readonly KindMetrics[], heading = 'kind'): string {
  const gold = rows.some((k) => k.gold1 !== null);
  const width = Math.max(10, heading.length, ...rows.map((k) => k.kind.length));
  const header = `${heading.padEnd(width)} ${'n'.padStart(4)} ${'hit@1'.padStart(7)} ${'hit@3'.padStart(7)} ${'quote@1'.padStart(7)} ${'declined'.padStart(8)}${gold ? ` ${'gold@1'.padStart(7)} ${'gold@3'.padStart(7)}` : ''}`;
  const lines = rows.map(
    (k) => `${k.kind.padEnd(width)} ${String(k.questions).padStart(4)} ${pct(k.hit1)} ${pct(k.hit3)} ${pct(k.quote1)} ${pct(k.declined, 8)}${gold ? ` ${pct(k.gold1)} ${pct(k.gold3)}` : ''}`,
  );
  return [header, ...lines].join('\n');
}

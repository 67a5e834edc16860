import { z } from 'zod';
import type { Lectern } from '../lectern.js';
import type { RetrievalMode } from '../search/search.js';
import type { Answer } from '../types.js';

/** One line of an evaluation file. `expect: []` means the texts do not answer it. */
export const EvalQuestion = z.object({
  q: z.string().min(1),
  expect: z.array(z.string()),
  kind: z.string().optional(),
});
export type EvalQuestion = z.infer<typeof EvalQuestion>;

/** Parses JSONL; throws with the line number of the first bad line. */
export function parseEvalFile(text: string): EvalQuestion[] {
  const questions: EvalQuestion[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new Error(`line ${i + 1} is not valid JSON`);
    }
    const parsed = EvalQuestion.safeParse(json);
    if (!parsed.success) throw new Error(`line ${i + 1}: ${parsed.error.issues[0]!.message}`);
    questions.push(parsed.data);
  });
  return questions;
}

/**
 * Normalises text for matching expectations: NFKC, curly quotes to straight,
 * dashes to "-", white space folded, lower case.
 */
export function normaliseForMatch(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[‘’‚‛′]/g, "'")
    .replace(/[“”„‟″]/g, '"')
    .replace(/[‐‑‒–—―−]/g, '-')
    .replace(/\s+/g, ' ')
    .toLowerCase()
    .trim();
}

export const matches = (text: string, expect: readonly string[]): boolean => {
  const haystack = normaliseForMatch(text);
  return expect.some((e) => haystack.includes(normaliseForMatch(e)));
};

/** Metrics of one retrieval mode over a question set. */
export interface Metrics {
  mode: RetrievalMode;
  answerable: number;
  unanswerable: number;
  hit1: number;
  hit3: number;
  quote1: number;
  falseAbstentions: number;
  abstention: number;
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
  quote?: string;
  top?: string;
}

/** Whether the quote is a verbatim span of the top passage and at most 500 characters. */
export function quoteIsVerbatim(answer: Answer): boolean {
  const top = answer.passages[0]?.passage;
  const quote = answer.quote;
  if (!top || !quote || quote.passageId !== top.id) return false;
  return quote.text.length <= 500 && top.text.slice(quote.start, quote.end) === quote.text && top.text.includes(quote.text);
}

/** Scores one answer against its expectations. */
export function scoreAnswer(question: EvalQuestion, answer: Answer): QuestionResult {
  const answerable = question.expect.length > 0;
  const texts = answer.passages.map((p) => p.passage.text);
  const hit1 = answerable && texts.slice(0, 1).some((t) => matches(t, question.expect));
  const hit3 = answerable && texts.slice(0, 3).some((t) => matches(t, question.expect));
  const quote1 = answerable && !!answer.quote && quoteIsVerbatim(answer) && matches(answer.quote.text, question.expect);
  return { q: question.q, kind: question.kind, answerable, answered: answer.answered, hit1, hit3, quote1, quote: answer.quote?.text, top: answer.passages[0]?.passage.id };
}

/** Aggregates per-question results into metrics (rates in [0, 1]). */
export function aggregate(mode: RetrievalMode, results: QuestionResult[]): Metrics {
  const answerable = results.filter((r) => r.answerable);
  const unanswerable = results.filter((r) => !r.answerable);
  const rate = (list: QuestionResult[], pick: (r: QuestionResult) => boolean) => (list.length ? list.filter(pick).length / list.length : 0);
  return {
    mode,
    answerable: answerable.length,
    unanswerable: unanswerable.length,
    hit1: rate(answerable, (r) => r.hit1),
    hit3: rate(answerable, (r) => r.hit3),
    quote1: rate(answerable, (r) => r.quote1),
    falseAbstentions: rate(answerable, (r) => !r.answered),
    abstention: rate(unanswerable, (r) => !r.answered),
  };
}

/** Runs every question through one retrieval mode. */
export async function evaluate(lectern: Lectern, questions: EvalQuestion[], mode: RetrievalMode): Promise<{ metrics: Metrics; results: QuestionResult[] }> {
  const results: QuestionResult[] = [];
  for (const question of questions) {
    const answer = await lectern.ask(question.q, { limit: 5, search: { mode } });
    results.push(scoreAnswer(question, answer));
  }
  return { metrics: aggregate(mode, results), results };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);

/** A plain-text table of metrics, one row per mode. */
export function formatMetricsTable(rows: Metrics[]): string {
  const header = `${'retrieval'.padEnd(10)} ${'hit@1'.padStart(7)} ${'hit@3'.padStart(7)} ${'quote@1'.padStart(7)} ${'false abst.'.padStart(11)} ${'abstention'.padStart(10)}`;
  const lines = rows.map((m) => `${m.mode.padEnd(10)} ${pct(m.hit1)} ${pct(m.hit3)} ${pct(m.quote1)} ${pct(m.falseAbstentions).padStart(11)} ${pct(m.abstention).padStart(10)}`);
  const n = rows[0];
  const footer = n ? `(${n.answerable} answerable, ${n.unanswerable} unanswerable questions)` : '';
  return [header, ...lines, footer].join('\n');
}

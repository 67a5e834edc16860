/**
 * Reading-along evaluation (`npm run eval -- --until answer|before|later FILE`):
 * each question with a `chapter` is asked as a reading group's member would
 * ask it, with a limit (AskOptions.until) and a week derived from that
 * chapter, and every passage the answer shows is checked against the limit.
 *
 * - answer: the limit is the answer's chapter, the week the one containing it;
 * - before: the limit is the chapter before the answer's (the reader has not
 *   reached it): how often Lectern declines, and whether anything leaks;
 * - later: the group is a week further on (the limit is the end of the week
 *   after the answer's, and that is the week favoured): a question about an
 *   earlier week, to check that favouring the week does not bury older chapters.
 *
 * The schedule is a fixed {@link CHAPTERS_PER_WEEK} chapters a week from
 * chapter 1 (weeks 1–5, 6–10, …), the default of `/club start per_week`.
 */
import { stripDiscordMarkup } from '../text/markup.js';
import type { Lectern } from '../lectern.js';
import type { RankingOverrides } from '../search/config.js';
import { lastReadableParagraph } from '../corpus/reading-limit.js';
import type { Answer, LibraryDocument, ReadingLimit } from '../types.js';
import { matches, quoteIsVerbatim, type EvalQuestion } from './evaluate.js';
import { EvalSetError } from './set-error.js';

export type UntilMode = 'answer' | 'before' | 'later';
export const UNTIL_MODES: readonly UntilMode[] = ['answer', 'before', 'later'];

/** Chapters a week in the evaluation's schedule: 5, the usual pace of a reading group's novel (and `/club start`'s). */
export const CHAPTERS_PER_WEEK = 5;

/** The follow-ups asked after each question, under the same limit, when `followUps` is on. */
export const FOLLOW_UPS = ['why?', 'more', 'tell me more'] as const;

/** Where a passage past the limit could show. */
export type LeakPath = 'quote' | 'passages' | 'why' | 'more' | 'context';
export const LEAK_PATHS: readonly LeakPath[] = ['quote', 'passages', 'why', 'more', 'context'];

/** The week (chapter ordinals, inclusive) that holds chapter `chapter` of a book of `count` chapters. */
export function weekOf(chapter: number, count: number): { from: number; to: number } {
  const from = Math.floor((chapter - 1) / CHAPTERS_PER_WEEK) * CHAPTERS_PER_WEEK + 1;
  return { from, to: Math.min(count, from + CHAPTERS_PER_WEEK - 1) };
}

/** The reader's limit for a question answered in chapter `chapter`, in one of the modes above. */
export function limitFor(mode: UntilMode, doc: LibraryDocument, chapter: number): ReadingLimit {
  const count = doc.chapters.length;
  if (mode === 'answer') return { docId: doc.id, through: chapter, week: weekOf(chapter, count) };
  if (mode === 'before')
    return { docId: doc.id, through: chapter - 1, ...(chapter > 1 ? { week: weekOf(chapter - 1, count) } : {}) };
  const own = weekOf(chapter, count);
  if (own.to >= count) return { docId: doc.id, through: count, week: own };
  const next = weekOf(own.to + 1, count);
  return { docId: doc.id, through: next.to, week: next };
}

/** The chapter ordinal a question's `chapter` names: a number, a reference, or "192 THE REAL PRINCESS" (a title after a number). */
export function chapterOrdinal(lectern: Lectern, doc: LibraryDocument, chapter: number | string): number | undefined {
  const text = String(chapter).trim();
  const found =
    lectern.library.getChapter(doc.id, text) ?? lectern.library.getChapter(doc.id, text.replace(/^\d+\s+/u, ''));
  return found?.ordinal;
}

/** One question asked under its limit. */
export interface ReadingAlongResult {
  q: string;
  kind?: string;
  chapter: number;
  through: number;
  answerable: boolean;
  answered: boolean;
  hit1: boolean;
  hit3: boolean;
  quote1: boolean;
  /** Passages past the limit, per path. */
  leaks: Partial<Record<LeakPath, number>>;
  message?: string;
  top?: string;
}

export interface ReadingAlongMetrics {
  mode: UntilMode;
  chaptersPerWeek: number;
  questions: number;
  answerable: number;
  /** Questions without a `chapter` (or naming none of the text's), not asked. */
  skipped: number;
  hit1: number | null;
  hit3: number | null;
  quote1: number | null;
  /** Share of all questions asked that were declined. */
  declined: number | null;
  /** Passages past the limit, per path, over all questions. */
  leaks: Record<LeakPath, number>;
  /** Whether the follow-up paths were asked. */
  followUps: boolean;
}

/** Passages of `answer` past `last` in `doc`: in the quote, and in the passages listed (best, "See also", closest). */
function leaksOf(answer: Answer, doc: LibraryDocument, last: number): { quote: number; passages: number } {
  const past = (docId: string, paragraph: number) => docId === doc.id && paragraph > last;
  const quoted = answer.quote ? answer.quote.passageId.split('#') : undefined;
  return {
    quote: quoted && past(quoted[0]!, Number(quoted[1])) ? 1 : 0,
    passages: answer.passages.filter((r) => past(r.passage.docId, r.passage.paragraph)).length,
  };
}

export interface ReadingAlongOptions {
  mode: UntilMode;
  /** Also ask "why?", "more" and "tell me more" after each question, under the same limit. */
  followUps?: boolean;
  /** Overrides of the answer path (the week prior's weight, for its measurement). */
  ranking?: RankingOverrides;
  onProgress?: (done: number, total: number) => void;
}

/** Asks every question with a `chapter` under its limit. */
export async function evaluateReadingAlong(
  lectern: Lectern,
  questions: readonly EvalQuestion[],
  options: ReadingAlongOptions,
): Promise<{ metrics: ReadingAlongMetrics; results: ReadingAlongResult[] }> {
  const doc = lectern.library.defaultDocument;
  if (doc.chapters.length === 0) throw new EvalSetError(`--until needs a text with chapters; "${doc.meta.title}" has none`);
  const asked: { question: EvalQuestion; chapter: number }[] = [];
  for (const question of questions) {
    if (question.chapter === undefined) continue;
    const chapter = chapterOrdinal(lectern, doc, question.chapter);
    if (chapter !== undefined) asked.push({ question, chapter });
  }
  const results: ReadingAlongResult[] = [];
  for (const { question, chapter } of asked) {
    const until = limitFor(options.mode, doc, chapter);
    const last = lastReadableParagraph(doc, until.through);
    const ask = { limit: 5, until, ...(options.ranking ? { ranking: options.ranking } : {}) };
    const answer = await lectern.ask(stripDiscordMarkup(question.q), ask);
    const answerable = question.expect.length > 0;
    const texts = answer.passages.map((p) => p.passage.text);
    const leaks: Partial<Record<LeakPath, number>> = leaksOf(answer, doc, last);
    if (options.followUps) {
      const key = `eval-reading-along:${results.length}`;
      await lectern.converse(key, question.q, ask);
      for (const [path, message] of [['why', FOLLOW_UPS[0]], ['more', FOLLOW_UPS[1]], ['context', FOLLOW_UPS[2]]] as const) {
        const turn = await lectern.converse(key, message, ask);
        const found = leaksOf(turn.answer, doc, last);
        leaks[path] = found.quote + found.passages;
      }
      lectern.conversations.delete(key);
    }
    results.push({
      q: question.q,
      kind: question.kind,
      chapter,
      through: until.through,
      answerable,
      answered: answer.answered,
      hit1: answerable && texts.slice(0, 1).some((t) => matches(t, question.expect)),
      hit3: answerable && texts.slice(0, 3).some((t) => matches(t, question.expect)),
      quote1: answerable && !!answer.quote && quoteIsVerbatim(answer) && matches(answer.quote.text, question.expect),
      leaks,
      ...(answer.message ? { message: answer.message } : {}),
      ...(answer.passages[0] ? { top: answer.passages[0].passage.id } : {}),
    });
    options.onProgress?.(results.length, asked.length);
  }
  const answerable = results.filter((r) => r.answerable);
  const rate = (list: readonly ReadingAlongResult[], pick: (r: ReadingAlongResult) => boolean) =>
    list.length ? list.filter(pick).length / list.length : null;
  const leaks = Object.fromEntries(
    LEAK_PATHS.map((path) => [path, results.reduce((n, r) => n + (r.leaks[path] ?? 0), 0)]),
  ) as Record<LeakPath, number>;
  return {
    metrics: {
      mode: options.mode,
      chaptersPerWeek: CHAPTERS_PER_WEEK,
      questions: results.length,
      answerable: answerable.length,
      skipped: questions.length - results.length,
      hit1: rate(answerable, (r) => r.hit1),
      hit3: rate(answerable, (r) => r.hit3),
      quote1: rate(answerable, (r) => r.quote1),
      declined: rate(results, (r) => !r.answered),
      leaks,
      followUps: options.followUps === true,
    },
    results,
  };
}

const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`).padStart(7);

/** The reading-along table: one row of rates, then the leaks per path. */
export function formatReadingAlong(m: ReadingAlongMetrics): string {
  const paths = LEAK_PATHS.filter((p) => m.followUps || p === 'quote' || p === 'passages');
  return [
    `reading along (--until ${m.mode}; ${m.chaptersPerWeek} chapters a week)`,
    `${'hit@1'.padStart(7)} ${'hit@3'.padStart(7)} ${'quote@1'.padStart(7)} ${'declined'.padStart(8)}   leaks: ${paths.map((p) => `${p} ${m.leaks[p]}`).join(', ')}`,
    `${pct(m.hit1)} ${pct(m.hit3)} ${pct(m.quote1)} ${pct(m.declined).padStart(8)}`,
    `(${m.questions} questions with a chapter, ${m.answerable} answerable; ${m.skipped} without a chapter not asked${m.followUps ? '; follow-ups "why?", "more", "tell me more" asked after each' : ''})`,
  ].join('\n');
}

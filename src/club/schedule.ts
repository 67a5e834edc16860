/**
 * A club's reading plan: which chapters each week reads. Given either as a
 * number of chapters per week, or as an explicit list of ranges
 * ("1-5, 6-9, 10"). Chapters are 1-based ordinals in reading order.
 *
 * Rules (each broken one gets a message that says what to write instead):
 * - the plan starts at chapter 1 and each week starts right after the previous
 *   one ended: no chapter is skipped or read twice;
 * - no range runs backwards or past the end of the book;
 * - the plan may stop before the end of the book (a club can read part of it).
 */
import { LecternError } from '../errors.js';
import type { ChapterRange } from '../store/types.js';

/** A schedule, date or position a club command cannot use; the message says what to do. */
export class ClubInputError extends LecternError {}

export const SCHEDULE_LIMITS = {
  /** Ten years of weekly meetings: more is a typo, and would make `/club schedule` unreadable. */
  maxWeeks: 520,
} as const;

const EXAMPLE = 'write ranges like 1-5, 6-9, 10';

/** Parses "1-5, 6-9, 10" (hyphen, en dash or "to"; commas or semicolons) against a book of `chapterCount` chapters. */
export function parseSchedule(spec: string, chapterCount: number): ChapterRange[] {
  const parts = spec
    .split(/[,;]/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) throw new ClubInputError(`The schedule is empty: ${EXAMPLE}.`);
  const weeks = parts.map((part): ChapterRange => {
    const match = /^(\d{1,6})\s*(?:(?:-|–|—|to)\s*(\d{1,6}))?$/i.exec(part);
    if (!match) throw new ClubInputError(`“${part.slice(0, 40)}” is not a chapter range: ${EXAMPLE}.`);
    const first = Number(match[1]);
    return { first, last: match[2] === undefined ? first : Number(match[2]) };
  });
  return validateSchedule(weeks, chapterCount);
}

/** `perWeek` chapters a week through the whole book (the last week reads what is left). */
export function perWeekSchedule(perWeek: number, chapterCount: number): ChapterRange[] {
  if (!Number.isInteger(perWeek) || perWeek < 1)
    throw new ClubInputError('per_week must be a whole number of chapters, at least 1.');
  const weeks: ChapterRange[] = [];
  for (let first = 1; first <= chapterCount; first += perWeek)
    weeks.push({ first, last: Math.min(first + perWeek - 1, chapterCount) });
  return validateSchedule(weeks, chapterCount);
}

/** The plan `/club start` asks for: exactly one of per_week and schedule. */
export function planWeeks(options: { perWeek?: number; schedule?: string }, chapterCount: number): ChapterRange[] {
  if (options.perWeek !== undefined && options.schedule !== undefined)
    throw new ClubInputError('Give either per_week or schedule, not both.');
  if (options.schedule !== undefined) return parseSchedule(options.schedule, chapterCount);
  if (options.perWeek !== undefined) return perWeekSchedule(options.perWeek, chapterCount);
  throw new ClubInputError('Say how fast to read: per_week:<chapters> or schedule:"1-5, 6-9, …".');
}

/** Checks the rules above; returns the weeks unchanged. */
export function validateSchedule(weeks: ChapterRange[], chapterCount: number): ChapterRange[] {
  if (chapterCount < 1) throw new ClubInputError('This text has no chapters to schedule: pick another text.');
  if (weeks.length === 0) throw new ClubInputError(`The schedule is empty: ${EXAMPLE}.`);
  if (weeks.length > SCHEDULE_LIMITS.maxWeeks)
    throw new ClubInputError(`The schedule has ${weeks.length} weeks; the most is ${SCHEDULE_LIMITS.maxWeeks}.`);
  weeks.forEach(({ first, last }, i) => {
    const week = `Week ${i + 1} (${rangeText({ first, last })})`;
    if (first < 1) throw new ClubInputError(`${week}: chapters are numbered from 1.`);
    if (last < first)
      throw new ClubInputError(`${week} runs backwards: write the lower chapter first (${last}-${first}).`);
    if (last > chapterCount)
      throw new ClubInputError(`${week} goes past the end of the book, which has ${chapterCount} chapters.`);
    const expected = i === 0 ? 1 : weeks[i - 1]!.last + 1;
    if (first > expected)
      throw new ClubInputError(
        i === 0
          ? `${week} skips chapters 1-${first - 1}: the schedule starts at chapter 1.`
          : `${week} skips ${rangeText({ first: expected, last: first - 1 }, 'chapter')}: start it at ${expected}.`,
      );
    if (first < expected)
      throw new ClubInputError(
        `${week} repeats ${rangeText({ first, last: Math.min(last, expected - 1) }, 'chapter')} from week ${i}: start it at ${expected}.`,
      );
  });
  return weeks;
}

/** "5" or "1-5"; with a noun, "chapter 5" or "chapters 1-5". */
export function rangeText({ first, last }: ChapterRange, noun?: 'chapter'): string {
  const range = first === last ? String(first) : `${first}-${last}`;
  if (!noun) return range;
  return first === last ? `${noun} ${range}` : `${noun}s ${range}`;
}

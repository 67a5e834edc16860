/**
 * The `starts` option of `/club start`. Dates are calendar days in UTC (a
 * server's members live in many time zones; Discord shows the resulting
 * times in each reader's own zone with <t:…> timestamps).
 *
 * Accepted: nothing, "today" or "now" (the club starts at the moment of the
 * command), "tomorrow", or YYYY-MM-DD (00:00 UTC that day; today's date means
 * now). A day before today is refused, as is one more than a year away.
 */
import { ClubInputError } from './schedule.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export const DATE_LIMITS = {
  /** A start further away than a year is almost surely a mistyped year. */
  maxDaysAhead: 366,
} as const;

/** The start time (ms since the epoch) for `input` at time `now`. */
export function parseStartDate(input: string | undefined, now: number): number {
  const text = (input ?? '').trim().toLowerCase();
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  if (text === '' || text === 'today' || text === 'now') return now;
  if (text === 'tomorrow') return today + DAY_MS;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const example = new Date(today + DAY_MS).toISOString().slice(0, 10);
  if (!match)
    throw new ClubInputError(
      `“${text.slice(0, 40)}” is not a date: write it as YYYY-MM-DD (e.g. ${example}), or today.`,
    );
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const back = new Date(time);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day)
    throw new ClubInputError(`${text} is not a day of the calendar: write it as YYYY-MM-DD (e.g. ${example}).`);
  if (time < today) throw new ClubInputError(`${text} is in the past: give today or a later date (YYYY-MM-DD).`);
  if (time === today) return now;
  if (time > today + DATE_LIMITS.maxDaysAhead * DAY_MS)
    throw new ClubInputError(`${text} is more than a year away: give a nearer date (YYYY-MM-DD).`);
  return time;
}

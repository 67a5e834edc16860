/**
 * Where a club stands at a given time: pure functions of the stored club and
 * a time, so `/club`, `/club schedule`, `/bookmark` and the reminder scheduler
 * agree, and tests drive them with any clock.
 *
 * Decisions (docs/state.md repeats them):
 * - Week i (0-based) runs from startsAt + i weeks to startsAt + (i + 1) weeks;
 *   its due date is its end, the start of the next week.
 * - The club's position is the last chapter of the current week's assignment
 *   (0 before the start: nothing is open yet; the schedule's last chapter
 *   after it ends).
 * - A position set by hand holds until the next week starts; then the
 *   schedule's position applies again ("at the start of each week it becomes
 *   the end of that week's assignment").
 * - A paused club is frozen at the moment of its pause; resuming moves every
 *   later date by the pause's length (the store shifts startsAt). An ended
 *   club is frozen at its end.
 * - A reader's limit is their bookmark if they set one, else the club's position.
 */
import type { ChapterRange, ClubRecord } from '../store/types.js';
import { ClubInputError } from './schedule.js';

export const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** The part of a club record the timeline reads. */
export type ClubTimelineInput = Pick<
  ClubRecord,
  'weeks' | 'startsAt' | 'status' | 'pausedAt' | 'endedAt' | 'manualPosition' | 'manualPositionWeek'
>;

export interface WeekAssignment {
  /** 0-based index into the schedule. */
  index: number;
  /** 1-based, for display. */
  number: number;
  chapters: ChapterRange;
  startsAt: number;
  /** The end of the week: the start of the next one. */
  dueAt: number;
}

export interface ClubState {
  phase: 'not-started' | 'reading' | 'finished';
  paused: boolean;
  ended: boolean;
  /** The week in progress (undefined before the start and after the last week). */
  week: WeekAssignment | undefined;
  /** The week index the state was computed for (-1 before the start, weeks.length after the end): where a manual position is filed. */
  weekIndex: number;
  /** The club's position: the last chapter members may read (0: none yet). */
  position: number;
  /** True when position was set by hand for this week. */
  manual: boolean;
}

/** The time the club's clock reads: frozen while paused and after the end. */
export function effectiveTime(club: Pick<ClubRecord, 'status' | 'pausedAt' | 'endedAt'>, now: number): number {
  if (club.status === 'paused' && club.pausedAt !== null) return Math.min(now, club.pausedAt);
  if (club.status === 'ended' && club.endedAt !== null) return Math.min(now, club.endedAt);
  return now;
}

/** The schedule week index at time t: -1 before the start, weeks.length after the last week. */
export function weekIndexAt(club: Pick<ClubRecord, 'weeks' | 'startsAt'>, t: number): number {
  if (t < club.startsAt) return -1;
  return Math.min(Math.floor((t - club.startsAt) / WEEK_MS), club.weeks.length);
}

export function weekAssignment(
  club: Pick<ClubRecord, 'weeks' | 'startsAt'>,
  index: number,
): WeekAssignment | undefined {
  const chapters = club.weeks[index];
  if (!chapters || index < 0) return undefined;
  const startsAt = club.startsAt + index * WEEK_MS;
  return { index, number: index + 1, chapters, startsAt, dueAt: startsAt + WEEK_MS };
}

/** The whole plan, week by week (for `/club schedule`). */
export function schedulePlan(club: Pick<ClubRecord, 'weeks' | 'startsAt'>): WeekAssignment[] {
  return club.weeks.map((_, i) => weekAssignment(club, i)!);
}

export function clubState(club: ClubTimelineInput, now: number): ClubState {
  const t = effectiveTime(club, now);
  const weekIndex = weekIndexAt(club, t);
  const week = weekAssignment(club, weekIndex);
  const phase = weekIndex < 0 ? 'not-started' : week ? 'reading' : 'finished';
  const scheduled = week ? week.chapters.last : phase === 'finished' ? club.weeks.at(-1)!.last : 0;
  const manual = club.manualPosition !== null && club.manualPositionWeek === weekIndex;
  return {
    phase,
    paused: club.status === 'paused',
    ended: club.status === 'ended',
    week,
    weekIndex,
    position: manual ? club.manualPosition! : scheduled,
    manual,
  };
}

/** How far a reader may read: the club's position, or their bookmark when it is lower. */
export function readerLimit(clubPosition: number, bookmark: number | undefined): number {
  return Math.min(bookmark ?? clubPosition, clubPosition);
}

/**
 * The first reminder of a club started at `now`: week 1's start if it lies
 * ahead; if the club starts at once, the reply to `/club start` announces the
 * current week, so the next week's start.
 */
export function firstReminderAt(club: Pick<ClubRecord, 'weeks' | 'startsAt'>, now: number): number | null {
  const index = weekIndexAt(club, now);
  if (index < 0) return club.startsAt;
  return weekAssignment(club, index + 1)?.startsAt ?? null;
}

/**
 * For a reminder due at `now`: the week to post (the one in progress; weeks
 * missed while the bot was down are not posted late, only the current one),
 * and the following reminder's time.
 */
export function reminderAt(
  club: Pick<ClubRecord, 'weeks' | 'startsAt'>,
  now: number,
): { week: WeekAssignment | undefined; nextPostAt: number | null } {
  const index = weekIndexAt(club, now);
  const week = weekAssignment(club, index);
  if (index < 0) return { week: undefined, nextPostAt: club.startsAt };
  return { week, nextPostAt: weekAssignment(club, index + 1)?.startsAt ?? null };
}

/** A chapter a member or moderator typed (bookmark, position): 0 (nothing read yet) to the book's last. */
export function checkChapter(chapter: number, chapterCount: number): number {
  if (!Number.isInteger(chapter) || chapter < 0 || chapter > chapterCount)
    throw new ClubInputError(
      `Chapter ${chapter} is not in this book: give a chapter from 1 to ${chapterCount} (or 0).`,
    );
  return chapter;
}

/** What `/club position chapter:N` stores: the chapter, filed under the week in progress (so it lapses at the next). */
export function manualPosition(
  club: ClubTimelineInput & Pick<ClubRecord, 'chapterCount'>,
  chapter: number,
  now: number,
): { chapter: number; week: number } {
  return { chapter: checkChapter(chapter, club.chapterCount), week: clubState(club, now).weekIndex };
}

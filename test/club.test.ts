/**
 * Reading-club logic without Discord: schedules, start dates, and where a club
 * stands at a given time (week, position, due date, a reader's limit), driven
 * by explicit times and a FakeClock.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/club/clock.js';
import { parseStartDate } from '../src/club/dates.js';
import { ClubInputError, parseSchedule, perWeekSchedule, planWeeks, validateSchedule } from '../src/club/schedule.js';
import {
  checkChapter,
  clubState,
  firstReminderAt,
  manualPosition,
  readerLimit,
  reminderAt,
  schedulePlan,
  WEEK_MS,
  type ClubTimelineInput,
} from '../src/club/timeline.js';
import type { ChapterRange } from '../src/store/types.js';

const DAY = 24 * 60 * 60 * 1000;
/** Monday 7 December 2026, 18:00 UTC. */
const T0 = Date.UTC(2026, 11, 7, 18);

describe('schedules', () => {
  it('reads explicit ranges, single chapters, en dashes and "to"', () => {
    expect(parseSchedule('1-5, 6-9, 10', 12)).toEqual([
      { first: 1, last: 5 },
      { first: 6, last: 9 },
      { first: 10, last: 10 },
    ]);
    expect(parseSchedule(' 1–3; 4 to 6 ,', 6)).toEqual([
      { first: 1, last: 3 },
      { first: 4, last: 6 },
    ]);
  });

  it('refuses bad schedules with a message that says what to write', () => {
    const message = (spec: string, chapters = 12) => {
      try {
        parseSchedule(spec, chapters);
      } catch (error) {
        expect(error).toBeInstanceOf(ClubInputError);
        return (error as Error).message;
      }
      throw new Error(`accepted ${spec}`);
    };
    expect(message('')).toBe('The schedule is empty: write ranges like 1-5, 6-9, 10.');
    expect(message('1-5, six to nine')).toBe('“six to nine” is not a chapter range: write ranges like 1-5, 6-9, 10.');
    expect(message('1-5, 9-6')).toBe('Week 2 (9-6) runs backwards: write the lower chapter first (6-9).');
    expect(message('1-5, 6-14')).toBe('Week 2 (6-14) goes past the end of the book, which has 12 chapters.');
    expect(message('1-5, 8-9')).toBe('Week 2 (8-9) skips chapters 6-7: start it at 6.');
    expect(message('1-5, 7')).toBe('Week 2 (7) skips chapter 6: start it at 6.');
    expect(message('1-5, 5-9')).toBe('Week 2 (5-9) repeats chapter 5 from week 1: start it at 6.');
    expect(message('1-5, 3-9')).toBe('Week 2 (3-9) repeats chapters 3-5 from week 1: start it at 6.');
    expect(message('3-5')).toBe('Week 1 (3-5) skips chapters 1-2: the schedule starts at chapter 1.');
    expect(message('0-5')).toBe('Week 1 (0-5): chapters are numbered from 1.');
  });

  it('asks for exactly one of per_week and schedule', () => {
    expect(() => planWeeks({}, 10)).toThrow('Say how fast to read: per_week:<chapters> or schedule:"1-5, 6-9, …".');
    expect(() => planWeeks({ perWeek: 2, schedule: '1-2' }, 10)).toThrow('Give either per_week or schedule, not both.');
    expect(() => planWeeks({ perWeek: 0 }, 10)).toThrow('per_week must be a whole number of chapters, at least 1.');
    expect(planWeeks({ perWeek: 4 }, 10)).toEqual([
      { first: 1, last: 4 },
      { first: 5, last: 8 },
      { first: 9, last: 10 },
    ]);
  });

  it('per_week covers the whole book in order, each week at most per_week chapters (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 60 }), (chapters, perWeek) => {
        const weeks = perWeekSchedule(perWeek, chapters);
        expect(weeks.length).toBe(Math.ceil(chapters / perWeek));
        expect(weeks[0]!.first).toBe(1);
        expect(weeks.at(-1)!.last).toBe(chapters);
        weeks.forEach((w, i) => {
          expect(w.last - w.first + 1).toBeLessThanOrEqual(perWeek);
          if (i > 0) expect(w.first).toBe(weeks[i - 1]!.last + 1);
        });
      }),
    );
  });

  it('any contiguous plan round-trips through its text; any changed boundary is refused (property)', () => {
    const plan = fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 30 }).map((lengths) => {
      let next = 1;
      return lengths.map((n): ChapterRange => ({ first: next, last: (next += n) - 1 }));
    });
    fc.assert(
      fc.property(plan, fc.integer({ min: 0, max: 5 }), (weeks, extra) => {
        const chapters = weeks.at(-1)!.last + extra;
        const text = weeks.map((w) => (w.first === w.last ? `${w.first}` : `${w.first}-${w.last}`)).join(', ');
        expect(parseSchedule(text, chapters)).toEqual(weeks);
        // Moving one week's start by one opens a gap or an overlap (or runs backwards): never accepted.
        for (let i = 1; i < weeks.length; i++)
          for (const shift of [-1, 1]) {
            const broken = weeks.map((w, j) => (j === i ? { ...w, first: w.first + shift } : w));
            expect(() => validateSchedule(broken, chapters)).toThrow(ClubInputError);
          }
      }),
    );
  });
});

describe('start dates', () => {
  it('starts now for nothing, today, now and today’s date; tomorrow and later dates at 00:00 UTC', () => {
    expect(parseStartDate(undefined, T0)).toBe(T0);
    expect(parseStartDate('Today', T0)).toBe(T0);
    expect(parseStartDate('2026-12-07', T0)).toBe(T0);
    expect(parseStartDate('tomorrow', T0)).toBe(Date.UTC(2026, 11, 8));
    expect(parseStartDate('2027-01-04', T0)).toBe(Date.UTC(2027, 0, 4));
  });

  it('refuses dates in the past, non-dates and far-off dates, saying what to give', () => {
    expect(() => parseStartDate('2026-12-06', T0)).toThrow(
      new ClubInputError('2026-12-06 is in the past: give today or a later date (YYYY-MM-DD).'),
    );
    expect(() => parseStartDate('next monday', T0)).toThrow(
      '“next monday” is not a date: write it as YYYY-MM-DD (e.g. 2026-12-08), or today.',
    );
    expect(() => parseStartDate('2027-02-30', T0)).toThrow(
      '2027-02-30 is not a day of the calendar: write it as YYYY-MM-DD (e.g. 2026-12-08).',
    );
    expect(() => parseStartDate('2028-06-01', T0)).toThrow(
      '2028-06-01 is more than a year away: give a nearer date (YYYY-MM-DD).',
    );
  });
});

function club(overrides: Partial<ClubTimelineInput> = {}): ClubTimelineInput {
  return {
    weeks: [
      { first: 1, last: 5 },
      { first: 6, last: 9 },
      { first: 10, last: 12 },
    ],
    startsAt: T0,
    status: 'active',
    pausedAt: null,
    endedAt: null,
    manualPosition: null,
    manualPositionWeek: null,
    ...overrides,
  };
}

describe('where a club stands', () => {
  it('follows the schedule week by week as the clock moves: week, chapters, due date, position', () => {
    const clock = new FakeClock(T0 - DAY);
    const c = club();
    expect(clubState(c, clock.now())).toMatchObject({ phase: 'not-started', week: undefined, position: 0 });
    clock.setTime(T0);
    expect(clubState(c, clock.now())).toMatchObject({
      phase: 'reading',
      week: { number: 1, chapters: { first: 1, last: 5 }, startsAt: T0, dueAt: T0 + WEEK_MS },
      position: 5,
    });
    clock.advance(WEEK_MS - 1);
    expect(clubState(c, clock.now()).position).toBe(5);
    clock.advance(1);
    expect(clubState(c, clock.now())).toMatchObject({ week: { number: 2, dueAt: T0 + 2 * WEEK_MS }, position: 9 });
    clock.advance(2 * WEEK_MS);
    expect(clubState(c, clock.now())).toMatchObject({ phase: 'finished', week: undefined, position: 12 });
    expect(schedulePlan(c).map((w) => [w.number, w.chapters.first, w.chapters.last, w.dueAt - T0])).toEqual([
      [1, 1, 5, WEEK_MS],
      [2, 6, 9, 2 * WEEK_MS],
      [3, 10, 12, 3 * WEEK_MS],
    ]);
  });

  it('freezes while paused and after the end', () => {
    const paused = club({ status: 'paused', pausedAt: T0 + DAY });
    expect(clubState(paused, T0 + 5 * WEEK_MS)).toMatchObject({ paused: true, position: 5, week: { number: 1 } });
    const ended = club({ status: 'ended', endedAt: T0 + WEEK_MS + DAY });
    expect(clubState(ended, T0 + 5 * WEEK_MS)).toMatchObject({ ended: true, position: 9 });
  });

  it('holds a position set by hand until the next week starts, then follows the schedule again', () => {
    const set = manualPosition({ ...club(), chapterCount: 12 }, 3, T0 + DAY);
    expect(set).toEqual({ chapter: 3, week: 0 });
    const c = club({ manualPosition: set.chapter, manualPositionWeek: set.week });
    expect(clubState(c, T0 + 6 * DAY)).toMatchObject({ position: 3, manual: true });
    expect(clubState(c, T0 + WEEK_MS)).toMatchObject({ position: 9, manual: false });
    // Set while paused, it holds through the pause (the club's week does not move).
    const whilePaused = manualPosition(
      { ...club({ status: 'paused', pausedAt: T0 + DAY }), chapterCount: 12 },
      7,
      T0 + 3 * WEEK_MS,
    );
    expect(whilePaused).toEqual({ chapter: 7, week: 0 });
    expect(() => manualPosition({ ...club(), chapterCount: 12 }, 13, T0)).toThrow(
      'Chapter 13 is not in this book: give a chapter from 1 to 12 (or 0).',
    );
    expect(checkChapter(0, 12)).toBe(0);
  });

  it("limits a reader to their bookmark if they set one, else to the club's position", () => {
    const position = clubState(club(), T0 + WEEK_MS).position;
    expect(readerLimit(position, undefined)).toBe(9);
    expect(readerLimit(position, 4)).toBe(4);
    expect(readerLimit(position, 0)).toBe(0);
    // A bookmark ahead of the club does not take a member past it (docs/discord.md, "The spoiler guard").
    expect(readerLimit(position, 12)).toBe(9);
  });

  it('the position never goes backwards as time passes, and never past the book (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 20 * WEEK_MS }), { minLength: 2, maxLength: 8 }),
        (lengths, offsets) => {
          let next = 1;
          const weeks = lengths.map((n): ChapterRange => ({ first: next, last: (next += n) - 1 }));
          const c = club({ weeks });
          const positions = offsets.sort((a, b) => a - b).map((o) => clubState(c, T0 - WEEK_MS + o).position);
          positions.forEach((p, i) => {
            expect(p).toBeLessThanOrEqual(weeks.at(-1)!.last);
            if (i > 0) expect(p).toBeGreaterThanOrEqual(positions[i - 1]!);
          });
        },
      ),
    );
  });
});

describe('reminder times', () => {
  it("a club starting now is announced by /club start's reply, so its first reminder is week 2's", () => {
    expect(firstReminderAt(club(), T0)).toBe(T0 + WEEK_MS);
    expect(firstReminderAt(club(), T0 - DAY)).toBe(T0);
    expect(firstReminderAt(club({ weeks: [{ first: 1, last: 3 }] }), T0)).toBeNull();
  });

  it('after downtime, posts only the week in progress and schedules the one after', () => {
    expect(reminderAt(club(), T0 + 10)).toMatchObject({ week: { number: 1 }, nextPostAt: T0 + WEEK_MS });
    // Down through week 2's start and into week 3: week 3 is posted, once; week 2 is not posted late.
    expect(reminderAt(club(), T0 + 2 * WEEK_MS + DAY)).toMatchObject({ week: { number: 3 }, nextPostAt: null });
    expect(reminderAt(club(), T0 + 9 * WEEK_MS)).toEqual({ week: undefined, nextPostAt: null });
  });
});

describe('FakeClock', () => {
  it('wakes a sleeper when moved to its time, not before', async () => {
    const clock = new FakeClock(1000);
    let woke = false;
    const sleep = clock.sleepUntil(2000).then(() => (woke = true));
    await clock.nextSleep();
    clock.setTime(1999);
    expect(clock.sleeping).toBe(1);
    clock.setTime(2000);
    await sleep;
    expect(woke).toBe(true);
    const controller = new AbortController();
    const aborted = clock.sleepUntil(5000, controller.signal);
    controller.abort();
    await aborted;
    expect(clock.now()).toBe(2000);
  });
});

/**
 * What clubs look like on Discord: `/club` status, `/club schedule`, the weekly
 * reminder and the reply to `/club start`. Dates are Discord timestamps
 * (`<t:…:D>`), which every member sees in their own time zone.
 */
import type { APIEmbed } from 'discord.js';
import { chapterLabel } from '../../answer/citation.js';
import type { ClubState, WeekAssignment } from '../../club/timeline.js';
import { schedulePlan } from '../../club/timeline.js';
import type { ChapterRange, ClubRecord } from '../../store/types.js';
import type { Chapter, LibraryDocument } from '../../types.js';
import { escapedLine, plain } from '../excerpt.js';
import { LIMITS } from '../limits.js';
import { COLORS } from './notice.js';

/** How many chapter titles a week lists before "and N more". */
const MAX_TITLES = 12;

/** A Discord timestamp: `D` a long date ("5 December 2026"), `R` relative ("in 3 days"). */
export function timestamp(ms: number, style: 'D' | 'R' | 'd' | 'f' = 'D'): string {
  return `<t:${Math.floor(ms / 1000)}:${style}>`;
}

function chapterAt(doc: LibraryDocument, ordinal: number): Chapter | undefined {
  return doc.chapters[ordinal - 1];
}

/** A chapter by ordinal as the book names it ("ch. 12", "Letter 3"); "the start" for 0. */
export function chapterText(doc: LibraryDocument, ordinal: number): string {
  if (ordinal <= 0) return 'the start of the book';
  const chapter = chapterAt(doc, ordinal);
  return chapter ? chapterLabel(doc, chapter) : `chapter ${ordinal}`;
}

/** "ch. 1–5" when both ends read alike, else "Letter 1 – ch. 2"; one chapter alone for a one-chapter week. */
export function rangeLabel(doc: LibraryDocument, { first, last }: ChapterRange): string {
  const from = chapterText(doc, first);
  if (first === last) return from;
  const to = chapterText(doc, last);
  const a = /^(.*?)(\d+)$/.exec(from);
  const b = /^(.*?)(\d+)$/.exec(to);
  if (a && b && a[1] === b[1]) return `${from}–${b[2]}`;
  return `${from} – ${to}`;
}

/** The week's chapters, one per line, with their titles (for status and reminders). */
export function chapterLines(doc: LibraryDocument, { first, last }: ChapterRange): string {
  const lines: string[] = [];
  for (let ordinal = first; ordinal <= last && lines.length < MAX_TITLES; ordinal++) {
    const chapter = chapterAt(doc, ordinal);
    if (!chapter) break;
    const title = chapter.number && chapter.title ? ` “${chapter.title}”` : '';
    lines.push(`• ${escapedLine(`${chapterLabel(doc, chapter)}${title}`, 120)}`);
  }
  const more = last - first + 1 - lines.length;
  if (more > 0) lines.push(`• … and ${more} more`);
  return lines.join('\n');
}

function bookLine(doc: LibraryDocument): string {
  return escapedLine(`${doc.meta.title}${doc.meta.author ? `, by ${doc.meta.author}` : ''}`, 200);
}

/** The week's assignment: what `/club` shows and what the reminder posts. */
function weekField(doc: LibraryDocument, week: WeekAssignment, total: number): { name: string; value: string } {
  return {
    name: plain(`Week ${week.number} of ${total}: ${rangeLabel(doc, week.chapters)}`, LIMITS.fieldName),
    value: `${chapterLines(doc, week.chapters)}\nDue ${timestamp(week.dueAt)} (${timestamp(week.dueAt, 'R')})`.slice(
      0,
      LIMITS.fieldValue,
    ),
  };
}

/** `/club`: the book, this week's chapters and due date, and the club's position. */
export function clubStatusEmbed(doc: LibraryDocument, club: ClubRecord, state: ClubState): APIEmbed {
  const total = club.weeks.length;
  const lines = [`Reading **${bookLine(doc)}** in this channel.`];
  if (state.phase === 'not-started')
    lines.push(`Week 1 starts ${timestamp(club.startsAt)} (${timestamp(club.startsAt, 'R')}).`);
  if (state.phase === 'finished') lines.push('The schedule is finished: every week has been read.');
  if (state.paused) lines.push('⏸️ The club is **paused**: the schedule does not advance until `/club resume`.');
  lines.push(
    state.position > 0
      ? `The club is at **${chapterText(doc, state.position)}**${state.manual ? ' (set by hand this week)' : ''}: answers here quote nothing past it.`
      : 'Nothing is open yet: answers here quote only what comes before the first chapter.',
  );
  const fields = state.week ? [weekField(doc, state.week, total)] : [];
  const next = state.phase === 'not-started' ? schedulePlan(club)[0] : undefined;
  if (next) fields.push(weekField(doc, next, total));
  return {
    title: plain(`Reading group: ${doc.meta.title}`, LIMITS.embedTitle),
    description: lines.join('\n'),
    color: state.paused ? COLORS.abstained : COLORS.info,
    fields,
    footer: { text: 'Behind? /bookmark set keeps answers to what you have read. Whole plan: /club schedule.' },
  };
}

/** `/club schedule`: every week with its dates and chapters; the current week marked. */
export function clubScheduleEmbed(doc: LibraryDocument, club: ClubRecord, state: ClubState): APIEmbed {
  const plan = schedulePlan(club);
  const budget = LIMITS.embedDescription - 100;
  const lines: string[] = [];
  let used = 0;
  for (const week of plan) {
    const current = state.week?.index === week.index;
    const line = `${current ? '▶️ **' : ''}Week ${week.number}${current ? '**' : ''} · ${timestamp(week.startsAt, 'd')} → due ${timestamp(week.dueAt, 'd')} · ${escapedLine(rangeLabel(doc, week.chapters), 80)}`;
    if (used + line.length + 1 > budget) {
      lines.push(`… and ${plan.length - lines.length} more weeks.`);
      break;
    }
    lines.push(line);
    used += line.length + 1;
  }
  return {
    title: plain(`Schedule: ${doc.meta.title}`, LIMITS.embedTitle),
    description: lines.join('\n'),
    color: COLORS.info,
    footer: {
      text: plain(
        `${plan.length} weeks, ${club.weeks.at(-1)!.last} of ${doc.chapters.length} chapters${state.paused ? ' · paused' : ''}`,
        LIMITS.footerText,
      ),
    },
  };
}

/** The weekly reminder posted in the club's channel at the start of each week. */
export function reminderEmbed(doc: LibraryDocument, club: ClubRecord, week: WeekAssignment): APIEmbed {
  return {
    title: plain(`This week in ${doc.meta.title}`, LIMITS.embedTitle),
    description: `Week ${week.number} of ${club.weeks.length} starts now.`,
    color: COLORS.info,
    fields: [weekField(doc, week, club.weeks.length)],
    footer: { text: 'Questions: @-mention me or /ask. Discussion starters: /club discuss.' },
  };
}

/** The public reply to `/club start`: the book, the plan in short, and week 1 (or when it starts). */
export function clubStartedEmbed(doc: LibraryDocument, club: ClubRecord, state: ClubState): APIEmbed {
  const status = clubStatusEmbed(doc, club, state);
  const total = club.weeks.length;
  const last = club.weeks.at(-1)!.last;
  return {
    ...status,
    title: plain(`A reading group starts: ${doc.meta.title}`, LIMITS.embedTitle),
    description: [
      `This channel reads **${bookLine(doc)}**: ${total} week${total === 1 ? '' : 's'}, ${rangeLabel(doc, { first: 1, last })}.`,
      ...(status.description ? status.description.split('\n').slice(1) : []),
      'I post each week’s chapters here when the week starts, and my answers here never quote past where the club is.',
    ].join('\n'),
  };
}

/**
 * `/club start text: [per_week:] [schedule:] [starts:]` — starts this channel's reading group.
 */
import { parseStartDate } from '../../../club/dates.js';
import { ClubInputError, perWeekSchedule, validateSchedule } from '../../../club/schedule.js';
import { clubState, firstReminderAt } from '../../../club/timeline.js';
import type { ChapterRange } from '../../../store/types.js';
import type { LibraryDocument } from '../../../types.js';
import { CLUB_MANAGER_PRECONDITIONS } from '../../admission.js';
import { escapedLine } from '../../excerpt.js';
import { resolveText } from '../../library-view.js';
import { safe } from '../../payload.js';
import { replyNotice } from '../../reply.js';
import type { BotRuntime } from '../../runtime.js';
import { clubStartedEmbed } from '../../views/club.js';
import { autocompleteText } from '../text-option.js';
import type { Subcommand } from '../subcommand.js';

/** Longest schedule accepted: a year of weekly ranges ("101-105, " is 9 characters). */
const MAX_SCHEDULE_LENGTH = 1000;

export const start: Subcommand = {
  name: 'start',
  define: (s) =>
    s
      .setDescription('Start a reading group in this channel (Manage Channels).')
      .addStringOption((o) =>
        o
          .setName('text')
          .setDescription('The book to read (pick from the list)')
          .setRequired(true)
          .setAutocomplete(true),
      )
      .addIntegerOption((o) =>
        o.setName('per_week').setDescription('Chapters to read each week, e.g. 5').setMinValue(1).setMaxValue(1000),
      )
      .addStringOption((o) =>
        o
          .setName('schedule')
          .setDescription('Or the weeks one by one, e.g. "1-5, 6-9, 10-14" (Letter 1-4, … also works)')
          .setMaxLength(MAX_SCHEDULE_LENGTH),
      )
      .addStringOption((o) =>
        o
          .setName('starts')
          .setDescription('First day, YYYY-MM-DD (UTC) or "tomorrow"; default: today')
          .setMaxLength(20),
      ),
  preconditions: CLUB_MANAGER_PRECONDITIONS,
  autocomplete: autocompleteText,

  async execute(interaction, bot) {
    if (interaction.channel?.isThread())
      return replyNotice(interaction, 'Start the reading group in the channel itself: its threads belong to it.');
    const { doc, error } = resolveText(bot.library, interaction.options.getString('text', true));
    if (error || !doc) return replyNotice(interaction, error ?? 'Pick a text from the list.');
    const now = bot.clock.now();
    const perWeek = interaction.options.getInteger('per_week') ?? undefined;
    const schedule = interaction.options.getString('schedule')?.trim() || undefined;
    if (perWeek !== undefined && schedule !== undefined)
      throw new ClubInputError('Give either per_week or schedule, not both.');
    if (perWeek === undefined && schedule === undefined)
      throw new ClubInputError('Say how fast to read: per_week:<chapters> or schedule:"1-5, 6-9, …".');
    if (doc.chapters.length === 0)
      throw new ClubInputError(
        `${escapedLine(doc.meta.title, 100)} has no chapters to schedule: pick a book with chapters.`,
      );
    const weeks =
      schedule !== undefined ? scheduleOf(bot, doc, schedule) : perWeekSchedule(perWeek!, doc.chapters.length);
    const startsAt = parseStartDate(interaction.options.getString('starts') ?? undefined, now);
    const club = await bot.store.startClub({
      guildId: interaction.guildId!,
      channelId: interaction.channelId,
      textId: doc.id,
      chapterCount: doc.chapters.length,
      weeks,
      startsAt,
      nextPostAt: firstReminderAt({ weeks, startsAt }, now),
      createdBy: interaction.user.id,
      createdAt: now,
    });
    bot.wakeReminders();
    bot.logger.info(
      { event: 'club_started', guild: club.guildId, channel: club.channelId, club: club.id, weeks: weeks.length },
      'a reading group started',
    );
    await interaction.reply(safe({ embeds: [clubStartedEmbed(doc, club, clubState(club, now))] }));
  },
};

/**
 * "1-5, 6-9, Letter 1-4, 10": each week read as a chapter range of the book (src/corpus/reference.ts,
 * so a bare number is a chapter of the main series, as everywhere else), then checked as a whole.
 */
function scheduleOf(bot: BotRuntime, doc: LibraryDocument, spec: string): ChapterRange[] {
  const parts = spec
    .split(/[,;]/)
    .map((p) => p.trim())
    .filter(Boolean);
  const weeks = parts.map((part, i): ChapterRange => {
    const read = bot.library.parseChapterRange(doc.id, part);
    if (typeof read === 'string')
      throw new ClubInputError(
        `Week ${i + 1}: “${escapedLine(part, 40)}” is not a chapter or range of this book. Write ranges like 1-5, 6-9, 10.`,
      );
    return { first: read.from, last: read.to };
  });
  return validateSchedule(weeks, doc.chapters.length);
}

/**
 * `/club discuss` — opens a thread for this week's chapters, with three passages from them as prompts.
 * The passages are chosen by src/club/discussion-starters.ts and quoted verbatim with their
 * citations; the only fixed text is the prompt line.
 */
import { ThreadAutoArchiveDuration, type APIEmbed } from 'discord.js';
import { CLUB_PRECONDITIONS } from '../../admission.js';
import { canStartThreadIn } from '../../threads.js';
import { escapedLine, plain, renderExcerpt } from '../../excerpt.js';
import { LIMITS } from '../../limits.js';
import { interactionLogFields, logFailure } from '../../log-failure.js';
import { safe } from '../../payload.js';
import { readerScope } from '../../reader-scope.js';
import { replyNotice } from '../../reply.js';
import { rangeLabel } from '../../views/club.js';
import { COLORS } from '../../views/notice.js';
import { NO_CLUB, placeOf } from './shared.js';
import type { Subcommand } from '../subcommand.js';
import { shortLocation } from '../../../answer/citation.js';

/** Room per passage: three fit in Discord's 6,000 characters for all embeds of a message. */
const PASSAGE_BUDGET = 1500;

export const discuss: Subcommand = {
  name: 'discuss',
  define: (s) => s.setDescription('Open a discussion thread for this week’s chapters, with three passages as prompts.'),
  preconditions: CLUB_PRECONDITIONS,

  async execute(interaction, bot) {
    const scope = await readerScope(bot, placeOf(interaction));
    if (!scope) return replyNotice(interaction, NO_CLUB);
    const { state, doc, limit } = scope;
    if (!state.week)
      return replyNotice(
        interaction,
        state.phase === 'not-started'
          ? 'The reading has not started yet: discussion starters come with week 1.'
          : 'The schedule is finished: there is no week to discuss. `/club schedule` shows the plan.',
      );
    // The member's limit applies too: a member whose bookmark is before this week is not shown its chapters.
    const range = { from: state.week.chapters.first, to: Math.min(state.week.chapters.last, limit.through) };
    if (range.to < range.from)
      return replyNotice(
        interaction,
        `This week’s chapters are past ${scope.label}, where your bookmark is. Move it on with /bookmark set when you have read them.`,
      );
    const passages = bot.engine.discussionStarters(doc.id, range);
    if (passages.length === 0)
      return replyNotice(interaction, 'This week’s chapters have no passage long enough to discuss.');
    const week = rangeLabel(doc, { first: range.from, last: range.to });
    const embeds: APIEmbed[] = passages.map((p) => ({
      title: plain(shortLocation(doc, p), LIMITS.embedTitle),
      description: renderExcerpt(p.text, PASSAGE_BUDGET, { sentences: p.sentences }),
      color: COLORS.answered,
      footer: { text: plain(bot.library.cite(doc, p.paragraph), LIMITS.footerText) },
    }));
    const prompt = `Discussion starters for week ${state.week.number}, ${escapedLine(week, 80)} of ${escapedLine(doc.meta.title, 100)}: three passages to talk about.`;
    await interaction.reply(safe({ content: prompt, embeds }));
    if (!canStartThreadIn(interaction.channel)) return;
    try {
      const message = await interaction.fetchReply();
      await message.startThread({
        name: plain(`Week ${state.week.number}: ${week}`, LIMITS.threadName),
        autoArchiveDuration: ThreadAutoArchiveDuration.OneWeek,
        reason: 'Lectern: the week’s discussion',
      });
    } catch (error) {
      // The passages are posted; without Create Public Threads the discussion happens in the channel.
      logFailure(bot.logger, error, interactionLogFields(interaction), 'could not open the week’s thread');
    }
  },
};

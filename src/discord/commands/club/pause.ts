/**
 * `/club pause` and `/club resume` — stop the schedule from advancing, and start it again
 * (every later date moves by the length of the pause).
 */
import { clubState } from '../../../club/timeline.js';
import { CLUB_MANAGER_PRECONDITIONS } from '../../admission.js';
import { safe } from '../../payload.js';
import { replyNotice } from '../../reply.js';
import { clubStatusEmbed } from '../../views/club.js';
import { COLORS, noticeEmbed } from '../../views/notice.js';
import { channelClub } from './shared.js';
import type { Subcommand } from '../subcommand.js';

export const pause: Subcommand = {
  name: 'pause',
  define: (s) =>
    s.setDescription('Pause the schedule: the position and reminders stop until /club resume (Manage Channels).'),
  preconditions: CLUB_MANAGER_PRECONDITIONS,

  async execute(interaction, bot) {
    const found = await channelClub(bot, interaction);
    if ('error' in found) return replyNotice(interaction, found.error);
    const { club } = found;
    if (!(await bot.store.pauseClub(club.guildId, club.id, bot.clock.now())))
      return replyNotice(interaction, 'The club is already paused. `/club resume` starts it again.');
    bot.logger.info(
      { event: 'club_paused', guild: club.guildId, channel: club.channelId, club: club.id },
      'a club paused',
    );
    await interaction.reply(
      safe({
        embeds: [
          noticeEmbed(
            '⏸️ The reading group is paused: the schedule and the weekly posts wait until `/club resume`.',
            COLORS.abstained,
          ),
        ],
      }),
    );
  },
};

export const resume: Subcommand = {
  name: 'resume',
  define: (s) => s.setDescription('Resume a paused schedule; later dates move by the pause (Manage Channels).'),
  preconditions: CLUB_MANAGER_PRECONDITIONS,

  async execute(interaction, bot) {
    const found = await channelClub(bot, interaction);
    if ('error' in found) return replyNotice(interaction, found.error);
    const { club, doc } = found;
    const now = bot.clock.now();
    if (!(await bot.store.resumeClub(club.guildId, club.id, now)))
      return replyNotice(interaction, 'The club is not paused.');
    bot.wakeReminders();
    const resumed = (await bot.store.openClub(club.guildId, club.channelId)) ?? club;
    bot.logger.info(
      { event: 'club_resumed', guild: club.guildId, channel: club.channelId, club: club.id },
      'a club resumed',
    );
    await interaction.reply(
      safe({
        content: '▶️ The reading group is back on: every later date has moved by the length of the pause.',
        embeds: [clubStatusEmbed(doc, resumed, clubState(resumed, now))],
      }),
    );
  },
};

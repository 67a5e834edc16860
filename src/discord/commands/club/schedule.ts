/**
 * `/club schedule` — the whole plan, week by week: dates and chapter ranges.
 */
import { MessageFlags } from 'discord.js';
import { clubState } from '../../../club/timeline.js';
import { CLUB_PRECONDITIONS } from '../../admission.js';
import { postButton, rows } from '../../buttons/components.js';
import { safe } from '../../payload.js';
import { replyNotice } from '../../reply.js';
import { clubScheduleEmbed } from '../../views/club.js';
import { channelClub } from './shared.js';
import type { Subcommand } from './subcommand.js';

export const schedule: Subcommand = {
  name: 'schedule',
  define: (s) => s.setDescription('The reading plan, week by week: dates and chapters.'),
  preconditions: CLUB_PRECONDITIONS,

  async execute(interaction, bot) {
    const found = await channelClub(bot, interaction);
    if ('error' in found) return replyNotice(interaction, found.error);
    const { club, doc } = found;
    await interaction.reply({
      ...safe({
        embeds: [clubScheduleEmbed(doc, club, clubState(club, bot.clock.now()))],
        components: rows([postButton(bot.library.indexId)]),
      }),
      flags: MessageFlags.Ephemeral,
    });
  },
};

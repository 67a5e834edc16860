/**
 * `/club status` — the book, this week's chapters with their titles, the due date and the club's position.
 * (Discord cannot run a bare `/club` beside its subcommands, so status is one of them.)
 */
import { MessageFlags } from 'discord.js';
import { clubState } from '../../../club/timeline.js';
import { CLUB_PRECONDITIONS } from '../../admission.js';
import { postButton, rows } from '../../buttons/components.js';
import { safe } from '../../payload.js';
import { replyNotice } from '../../reply.js';
import { clubStatusEmbed } from '../../views/club.js';
import { channelClub } from './shared.js';
import type { Subcommand } from './subcommand.js';

export const status: Subcommand = {
  name: 'status',
  define: (s) => s.setDescription('Where the reading group is: the book, this week’s chapters, the due date.'),
  preconditions: CLUB_PRECONDITIONS,

  async execute(interaction, bot) {
    const found = await channelClub(bot, interaction);
    if ('error' in found) return replyNotice(interaction, found.error);
    const { club, doc } = found;
    await interaction.reply({
      ...safe({
        embeds: [clubStatusEmbed(doc, club, clubState(club, bot.clock.now()))],
        components: rows([postButton(bot.library.indexId)]),
      }),
      flags: MessageFlags.Ephemeral,
    });
  },
};

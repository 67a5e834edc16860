/**
 * `/club end` — asks for a confirmation; the button (buttons/end-club.ts) ends the club.
 */
import { ButtonStyle, MessageFlags } from 'discord.js';
import { CLUB_MANAGER_PRECONDITIONS } from '../../admission.js';
import { button, rows } from '../../buttons/components.js';
import { encodeButton } from '../../custom-id.js';
import { escapedLine } from '../../excerpt.js';
import { safe } from '../../payload.js';
import { clubOf } from '../../reader-scope.js';
import { replyNotice } from '../../reply.js';
import { COLORS, noticeEmbed } from '../../views/notice.js';
import { NO_CLUB, placeOf } from './shared.js';
import type { Subcommand } from '../subcommand.js';

export const end: Subcommand = {
  name: 'end',
  define: (s) => s.setDescription('End this channel’s reading group, after a confirmation (Manage Channels).'),
  preconditions: CLUB_MANAGER_PRECONDITIONS,

  async execute(interaction, bot) {
    // Not channelClub: a club whose text has left the library can still be ended.
    const club = await clubOf(bot, placeOf(interaction));
    if (!club) return replyNotice(interaction, NO_CLUB);
    const title = bot.library.getDocument(club.textId)?.meta.title ?? 'this book';
    await interaction.reply({
      ...safe({
        embeds: [
          noticeEmbed(
            `End the reading group of ${escapedLine(title, 100)}? Its schedule, weekly posts and every member’s bookmark go with it. This cannot be undone.`,
            COLORS.error,
          ),
        ],
        components: rows([
          button(encodeButton(bot.library.indexId, { kind: 'end-club', club: club.id }), 'End the reading group', {
            style: ButtonStyle.Danger,
          }),
        ]),
      }),
      flags: MessageFlags.Ephemeral,
    });
  },
};

/** `/library remove text:` — asks for a confirmation; the button (buttons/remove-text.ts) removes the text. */
import { ButtonStyle, MessageFlags } from 'discord.js';
import { LIBRARY_MANAGER_PRECONDITIONS } from '../../admission.js';
import { button, rows } from '../../buttons/components.js';
import { encodeButton, libraryKey } from '../../custom-id.js';
import { escapedLine } from '../../excerpt.js';
import { safe } from '../../payload.js';
import { replyNotice } from '../../reply.js';
import { COLORS, noticeEmbed } from '../../views/notice.js';
import type { Subcommand } from '../subcommand.js';
import { autocompleteLibraryText, resolveLibraryText } from './choices.js';
import { NO_SUCH_TEXT } from './info.js';

export const remove: Subcommand = {
  name: 'remove',
  define: (s) =>
    s
      .setDescription('Remove a book from this server’s library, after a confirmation (Manage Server).')
      .addStringOption((o) =>
        o.setName('text').setDescription('The book (start typing its title)').setRequired(true).setAutocomplete(true),
      ),
  preconditions: LIBRARY_MANAGER_PRECONDITIONS,

  async execute(interaction, bot) {
    const found = await resolveLibraryText(bot, interaction.guildId!, interaction.options.getString('text', true));
    if (!found) return replyNotice(interaction, NO_SUCH_TEXT);
    if ('shared' in found)
      return replyNotice(
        interaction,
        `${escapedLine(found.shared.meta.title, 100)} is a shared text: the bot’s host manages those, not a server.`,
      );
    const text = found.own;
    if (text.state !== 'ready')
      return replyNotice(interaction, 'That book is still being added: use the Cancel button on its progress message.');
    const title = escapedLine(text.title ?? text.originalName, 100);
    await interaction.reply({
      ...safe({
        embeds: [
          noticeEmbed(
            `Remove ${title} from this server’s library? Questions here will no longer quote it. Add the file again to bring it back.`,
            COLORS.error,
          ),
        ],
        components: rows([
          button(encodeButton(bot.library.indexId, { kind: 'remove-text', text: libraryKey(text.hash) }), 'Remove', {
            style: ButtonStyle.Danger,
          }),
        ]),
      }),
      flags: MessageFlags.Ephemeral,
    });
  },

  autocomplete: (interaction, bot) => autocompleteLibraryText(interaction, bot, { shared: false }),
};

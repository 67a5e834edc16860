/** `/library info text:` — one text's details: metadata, size, who added it and when. */
import { MessageFlags } from 'discord.js';
import { LIBRARY_PRECONDITIONS } from '../../admission.js';
import { safe } from '../../payload.js';
import { replyNotice } from '../../reply.js';
import { ownTextEmbed, sharedTextEmbed } from '../../views/library.js';
import type { Subcommand } from '../subcommand.js';
import { autocompleteLibraryText, resolveLibraryText } from './choices.js';

export const NO_SUCH_TEXT = 'I have no text by that name here. See /library list for this server’s books.';

export const info: Subcommand = {
  name: 'info',
  define: (s) =>
    s
      .setDescription('One text’s details: author, chapters, words, file, who added it and when.')
      .addStringOption((o) =>
        o.setName('text').setDescription('The text (start typing its title)').setRequired(true).setAutocomplete(true),
      ),
  preconditions: LIBRARY_PRECONDITIONS,

  async execute(interaction, bot) {
    const found = await resolveLibraryText(bot, interaction.guildId!, interaction.options.getString('text', true));
    if (!found) return replyNotice(interaction, NO_SUCH_TEXT);
    const shared = bot.libraries.sharedLibrary();
    const embed =
      'own' in found
        ? ownTextEmbed(found.own, found.own.docId ? bot.library.getDocument(found.own.docId) : undefined)
        : sharedTextEmbed(found.shared, shared!);
    await interaction.reply({ ...safe({ embeds: [embed] }), flags: MessageFlags.Ephemeral });
  },

  autocomplete: (interaction, bot) => autocompleteLibraryText(interaction, bot, { shared: true }),
};

/** `/library list` — this server's books (who added each, when) and the shared texts. */
import { MessageFlags } from 'discord.js';
import { LIBRARY_PRECONDITIONS } from '../../admission.js';
import { safe } from '../../payload.js';
import { libraryListEmbed } from '../../views/library.js';
import type { Subcommand } from '../subcommand.js';

export const list: Subcommand = {
  name: 'list',
  define: (s) =>
    s.setDescription('This server’s books and the shared texts: title, author, chapters, words, who added each.'),
  preconditions: LIBRARY_PRECONDITIONS,

  async execute(interaction, bot) {
    const own = await bot.libraries.texts(interaction.guildId!);
    await interaction.reply({
      ...safe({ embeds: [libraryListEmbed(own, bot.libraries.sharedLibrary())] }),
      flags: MessageFlags.Ephemeral,
    });
  },
};

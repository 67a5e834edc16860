import { SlashCommandBuilder, MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../context.js';
import { renderSources } from '../render.js';
import { safe } from '../respond.js';

/** `/sources` — the texts in the library with their metadata and paragraph counts. */
export const data = new SlashCommandBuilder().setName('sources').setDescription('List the texts I can quote, with their sources.');

export async function execute(interaction: ChatInputCommandInteraction, bot: BotContext): Promise<void> {
  const embed = renderSources(bot.engine.library.documents, bot.render);
  await interaction.reply({ ...safe({ embeds: [embed] }), flags: MessageFlags.Ephemeral });
}

import { SlashCommandBuilder, MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { BROWSE_PRECONDITIONS } from '../admission.js';
import { safe } from '../payload.js';
import type { BotRuntime } from '../runtime.js';
import { sourcesEmbed } from '../views/sources.js';

/** `/sources` — the texts in the library with their metadata, chapter and word counts. */
export const data = new SlashCommandBuilder()
  .setName('sources')
  .setDescription('List the texts I can quote, with their sources, chapters and length.');

export const preconditions = BROWSE_PRECONDITIONS;

export async function execute(interaction: ChatInputCommandInteraction, bot: BotRuntime): Promise<void> {
  const embed = sourcesEmbed(bot.library.documents, bot.library);
  await interaction.reply({ ...safe({ embeds: [embed] }), flags: MessageFlags.Ephemeral });
}

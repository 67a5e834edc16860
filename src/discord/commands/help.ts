import { SlashCommandBuilder, MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { notRestarting } from '../admission.js';
import { safe } from '../payload.js';
import type { BotRuntime } from '../runtime.js';
import { helpEmbed } from '../views/help.js';

/** `/help` — what Lectern does and how to use it. */
export const data = new SlashCommandBuilder().setName('help').setDescription('How to ask Lectern questions.');

// Help is for everyone, even where no text can be seen yet (it says how to add one).
export const preconditions = [notRestarting];

export async function execute(interaction: ChatInputCommandInteraction, bot: BotRuntime): Promise<void> {
  const embed = helpEmbed({ chatMode: bot.config.chatMode, askChannelIds: [...bot.config.askChannelIds] });
  await interaction.reply({ ...safe({ embeds: [embed] }), flags: MessageFlags.Ephemeral });
}

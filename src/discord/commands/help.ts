import { SlashCommandBuilder, MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../context.js';
import { renderHelp } from '../render.js';
import { safe } from '../respond.js';

/** `/help` — what Lectern does and how to use it. */
export const data = new SlashCommandBuilder().setName('help').setDescription('How to ask Lectern questions.');

export async function execute(interaction: ChatInputCommandInteraction, bot: BotContext): Promise<void> {
  const embed = renderHelp({ chatMode: bot.config.chatMode, askChannelIds: [...bot.config.askChannelIds] });
  await interaction.reply({ ...safe({ embeds: [embed] }), flags: MessageFlags.Ephemeral });
}

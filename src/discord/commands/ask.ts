import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { answerPayload } from '../answers.js';
import type { BotContext } from '../context.js';
import { MAX_QUESTION_CHARS } from '../context.js';
import { replyNotice, respond } from '../respond.js';
import { admitQuestion, autocompleteText, canThreadIn } from './common.js';

/** `/ask question: [text:]` — a public answer, the same as chat mode. */
export const data = new SlashCommandBuilder()
  .setName('ask')
  .setDescription('Ask a question; I answer by quoting the text, for everyone in the channel.')
  .addStringOption((o) =>
    o.setName('question').setDescription('Your question about the text').setRequired(true).setMaxLength(MAX_QUESTION_CHARS),
  )
  .addStringOption((o) => o.setName('text').setDescription('Which text to search (default: all)').setAutocomplete(true));

export async function execute(interaction: ChatInputCommandInteraction, bot: BotContext): Promise<void> {
  const question = interaction.options.getString('question', true);
  const { doc, error } = bot.resolveText(interaction.options.getString('text'));
  if (error) return replyNotice(interaction, error);
  if (!(await admitQuestion(bot, interaction, question))) return;
  const placement = { ephemeral: false, canThread: canThreadIn(interaction) };
  await respond(bot, interaction, { ephemeral: false }, async () => {
    const answer = await bot.ask(question, doc ? { docId: doc.id } : {}, { source: '/ask', guildId: interaction.guildId, channelId: interaction.channelId });
    return answerPayload(bot, answer, { ...(doc ? { docId: doc.id } : {}), placement });
  });
}

export const autocomplete = autocompleteText;

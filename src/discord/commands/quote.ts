import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { passageListPayload } from '../answers.js';
import type { BotContext } from '../context.js';
import { MAX_QUESTION_CHARS } from '../context.js';
import { replyNotice, respond } from '../respond.js';
import { admitQuestion, autocompleteText, canThreadIn } from './common.js';

/** Most passages /quote shows at once. */
export const MAX_COUNT = 5;

/** `/quote query: [count:] [text:] [public:]` — the top passages, just for the asker unless public. */
export const data = new SlashCommandBuilder()
  .setName('quote')
  .setDescription('Show the passages that best match a query, quoted with citations.')
  .addStringOption((o) => o.setName('query').setDescription('What to look for').setRequired(true).setMaxLength(MAX_QUESTION_CHARS))
  .addIntegerOption((o) => o.setName('count').setDescription('How many passages (1–5, default 1)').setMinValue(1).setMaxValue(MAX_COUNT))
  .addStringOption((o) => o.setName('text').setDescription('Which text to search (default: all)').setAutocomplete(true))
  .addBooleanOption((o) => o.setName('public').setDescription('Show to everyone in the channel (default: only you)'));

export async function execute(interaction: ChatInputCommandInteraction, bot: BotContext): Promise<void> {
  const query = interaction.options.getString('query', true);
  // Discord enforces 1–5, but a client can send anything: clamp rather than trust.
  const count = Math.min(MAX_COUNT, Math.max(1, interaction.options.getInteger('count') ?? 1));
  const ephemeral = !(interaction.options.getBoolean('public') ?? false);
  const { doc, error } = bot.resolveText(interaction.options.getString('text'));
  if (error) return replyNotice(interaction, error);
  if (!(await admitQuestion(bot, interaction, query))) return;
  const placement = { ephemeral, canThread: canThreadIn(interaction) };
  await respond(bot, interaction, { ephemeral }, async () => {
    const answer = await bot.ask(query, { limit: count, ...(doc ? { docId: doc.id } : {}) }, { source: '/quote', guildId: interaction.guildId, channelId: interaction.channelId });
    return passageListPayload(bot, answer, { title: answer.question, offset: 0, limit: count, ...(doc ? { docId: doc.id } : {}), placement });
  });
}

export const autocomplete = autocompleteText;

import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { MAX_QUESTION_LENGTH } from '../../search/ask.js';
import { admitInteraction, QUESTION_PRECONDITIONS } from '../admission.js';
import { resolveText } from '../library-view.js';
import { replyNotice, respond } from '../reply.js';
import type { BotRuntime } from '../runtime.js';
import { canStartThreadIn } from '../threads.js';
import { passageListMessage } from '../views/passage-list.js';
import { autocompleteText } from './text-option.js';

/** Most passages /quote shows at once. */
export const MAX_COUNT = 5;

/** `/quote query: [count:] [text:] [public:]` — the top passages, just for the asker unless public. */
export const data = new SlashCommandBuilder()
  .setName('quote')
  .setDescription('Show the passages that best match a query, quoted with citations.')
  .addStringOption((o) =>
    o.setName('query').setDescription('What to look for').setRequired(true).setMaxLength(MAX_QUESTION_LENGTH),
  )
  .addIntegerOption((o) =>
    o.setName('count').setDescription('How many passages (1–5, default 1)').setMinValue(1).setMaxValue(MAX_COUNT),
  )
  .addStringOption((o) => o.setName('text').setDescription('Which text to search (default: all)').setAutocomplete(true))
  .addBooleanOption((o) => o.setName('public').setDescription('Show to everyone in the channel (default: only you)'));

export async function execute(interaction: ChatInputCommandInteraction, bot: BotRuntime): Promise<void> {
  const query = interaction.options.getString('query', true);
  // Discord enforces 1–5, but a client can send anything: clamp rather than trust.
  const count = Math.min(MAX_COUNT, Math.max(1, interaction.options.getInteger('count') ?? 1));
  const ephemeral = !(interaction.options.getBoolean('public') ?? false);
  const { doc, error } = resolveText(bot.engine, interaction.options.getString('text'));
  if (error) return replyNotice(interaction, error);
  if (!(await admitInteraction(bot, interaction, QUESTION_PRECONDITIONS, query))) return;
  const placement = { ephemeral, canThread: canStartThreadIn(interaction.channel) };
  await respond(bot, interaction, { ephemeral }, async () => {
    const answer = await bot.ask(
      query,
      { limit: count, ...(doc ? { docId: doc.id } : {}) },
      { source: '/quote', guildId: interaction.guildId, channelId: interaction.channelId },
    );
    return passageListMessage(bot.library, answer, {
      title: answer.question,
      offset: 0,
      limit: count,
      ...(doc ? { docId: doc.id } : {}),
      placement,
    });
  });
}

export const autocomplete = autocompleteText;

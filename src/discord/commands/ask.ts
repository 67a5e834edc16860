import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { MAX_QUESTION_LENGTH } from '../engine.js';
import { QUESTION_PRECONDITIONS } from '../admission.js';
import { resolveText } from '../library-view.js';
import { answerQuestion } from '../answer-question.js';
import { inboundQuestion } from '../inbound.js';
import { placeOf } from '../reader-scope.js';
import { replyNotice, respond } from '../reply.js';
import type { BotRuntime } from '../runtime.js';
import { canStartThreadIn } from '../threads.js';
import { autocompleteTextOrChapter, searchChapterOption } from './chapter-option.js';

/**
 * `/ask question: [text:] [chapter:]` — a public answer, the same as chat mode, and part of
 * the asker's conversation in the channel: a later "why?" in chat follows it up.
 */
export const data = new SlashCommandBuilder()
  .setName('ask')
  .setDescription('Ask a question; I answer by quoting the text, for everyone in the channel.')
  .addStringOption((o) =>
    o
      .setName('question')
      .setDescription('Your question about the text')
      .setRequired(true)
      .setMaxLength(MAX_QUESTION_LENGTH),
  )
  .addStringOption((o) => o.setName('text').setDescription('Which text to search (default: all)').setAutocomplete(true))
  .addStringOption(searchChapterOption);

export const preconditions = QUESTION_PRECONDITIONS;
export const question = (interaction: ChatInputCommandInteraction): string =>
  interaction.options.getString('question', true);

export async function execute(interaction: ChatInputCommandInteraction, bot: BotRuntime): Promise<void> {
  const question = inboundQuestion(interaction.options.getString('question', true));
  const chapter = interaction.options.getString('chapter')?.trim() || undefined;
  const { doc, error } = resolveText(bot.library, interaction.options.getString('text'));
  if (error) return replyNotice(interaction, error);
  await respond(bot, interaction, { ephemeral: false }, () =>
    answerQuestion(bot, {
      question,
      place: placeOf(interaction),
      source: '/ask',
      ...(doc ? { docId: doc.id } : {}),
      ...(chapter ? { chapter } : {}),
      canThread: canStartThreadIn(interaction.channel),
    }),
  );
}

export const autocomplete = autocompleteTextOrChapter;

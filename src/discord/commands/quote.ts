import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { MAX_QUESTION_LENGTH } from '../engine.js';
import type { LibraryDocument } from '../../types.js';
import { QUESTION_PRECONDITIONS } from '../admission.js';
import { inboundQuestion } from '../inbound.js';
import { resolveText, type LibraryView } from '../library-view.js';
import { limitedView, placeOf, readerScope, untilFor } from '../reader-scope.js';
import { safe } from '../payload.js';
import { replyNotice, respond } from '../reply.js';
import type { BotRuntime } from '../runtime.js';
import { canStartThreadIn } from '../threads.js';
import { noticeEmbed } from '../views/notice.js';
import { passageListMessage } from '../views/passage-list.js';
import { passageMessage } from '../views/passage.js';
import { autocompleteTextOrChapter, searchChapterOption } from './chapter-option.js';

/** Most passages /quote shows at once. */
export const MAX_COUNT = 5;

/**
 * `/quote [query:] [count:] [text:] [chapter:] [public:]` — the top passages, just for the asker unless public.
 * Without a query: a passage worth discussing, and how to ask for a topic.
 */
export const data = new SlashCommandBuilder()
  .setName('quote')
  .setDescription('Show the passages that best match a query, quoted with citations.')
  .addStringOption((o) =>
    o
      .setName('query')
      .setDescription('What to look for (leave it out for a passage worth discussing)')
      .setMaxLength(MAX_QUESTION_LENGTH),
  )
  .addIntegerOption((o) =>
    o.setName('count').setDescription('How many passages (1–5, default 1)').setMinValue(1).setMaxValue(MAX_COUNT),
  )
  .addStringOption((o) => o.setName('text').setDescription('Which text to search (default: all)').setAutocomplete(true))
  .addStringOption(searchChapterOption)
  .addBooleanOption((o) => o.setName('public').setDescription('Show to everyone in the channel (default: only you)'));

/** Without a query, /quote browses (a passage worth discussing) and counts against no rate limit. */
export const preconditions = QUESTION_PRECONDITIONS;
export const question = (interaction: ChatInputCommandInteraction): string | undefined =>
  interaction.options.getString('query')?.trim() || undefined;

export async function execute(interaction: ChatInputCommandInteraction, bot: BotRuntime): Promise<void> {
  const typed = interaction.options.getString('query');
  const query = typed ? inboundQuestion(typed) : undefined;
  // Discord enforces 1–5, but a client can send anything: clamp rather than trust.
  const count = Math.min(MAX_COUNT, Math.max(1, interaction.options.getInteger('count') ?? 1));
  const ephemeral = !(interaction.options.getBoolean('public') ?? false);
  const chapter = interaction.options.getString('chapter')?.trim() || undefined;
  const { doc, error } = resolveText(bot.library, interaction.options.getString('text'));
  if (error) return replyNotice(interaction, error);
  const scope = await readerScope(bot, placeOf(interaction));
  if (!query)
    return offerPassage(
      interaction,
      bot,
      doc ?? scope?.doc ?? bot.library.defaultDocument,
      ephemeral,
      limitedView(bot.library, scope),
    );
  const placement = { ephemeral, canThread: canStartThreadIn(interaction.channel) };
  // In a club channel, nothing past the member's limit is searched (reader-scope.ts).
  const until = untilFor(scope, doc?.id);
  const docId = doc?.id ?? until?.docId;
  await respond(bot, interaction, { ephemeral }, async () => {
    const answer = await bot.ask(
      query,
      { limit: count, ...(docId ? { docId } : {}), ...(chapter ? { chapter } : {}), ...(until ? { until } : {}) },
      { source: '/quote', guildId: interaction.guildId, channelId: interaction.channelId },
    );
    return passageListMessage(bot.library, answer, {
      title: answer.question,
      offset: 0,
      limit: count,
      ...(docId ? { docId } : {}),
      ...(chapter ? { chapter } : {}),
      placement,
    });
  });
}

export const autocomplete = autocompleteTextOrChapter;

export const NO_QUERY =
  'You didn’t say what to look for, so here is a passage worth discussing. ' +
  'To find passages on a topic, add a query: `/quote query: the trial`.';

/** Without a query: one substantive paragraph of `doc`, chosen at random, with ◀ ▶ to read around it. */
async function offerPassage(
  interaction: ChatInputCommandInteraction,
  bot: BotRuntime,
  doc: LibraryDocument,
  ephemeral: boolean,
  library: LibraryView,
): Promise<void> {
  const paragraph = passageWorthDiscussing(library, doc);
  const message = passageMessage(library, doc, paragraph, {
    ephemeral,
    canThread: canStartThreadIn(interaction.channel),
  });
  const payload = safe({ ...message, embeds: [noticeEmbed(NO_QUERY), ...(message.embeds ?? [])] });
  await interaction.reply({ ...payload, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
}

/**
 * A paragraph with something to discuss: several sentences of body text (not
 * the header, a heading or a one-line exchange), chosen at random so that
 * asking again offers another. Falls back to ¶1 (or the header) in a text without any.
 */
function passageWorthDiscussing(library: LibraryView, doc: LibraryDocument): number {
  const count = library.paragraphCount(doc.id);
  const candidates: number[] = [];
  for (let n = 1; n <= count; n++) {
    const passage = library.getPassage(doc.id, n);
    if (passage && passage.sentences.length >= 2) candidates.push(n);
  }
  if (candidates.length === 0) return count > 0 ? 1 : 0;
  return candidates[Math.floor(Math.random() * candidates.length)]!;
}

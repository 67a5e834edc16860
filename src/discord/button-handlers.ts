/**
 * What each button does when clicked. State comes from the custom id (see
 * buttons.ts) and, for the question, from the message the button is on.
 */
import {
  ButtonStyle,
  ChannelType,
  DiscordAPIError,
  MessageFlags,
  RESTJSONErrorCodes,
  ThreadAutoArchiveDuration,
  type APIButtonComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type ButtonInteraction,
} from 'discord.js';
import { passageListPayload, questionOf } from './answers.js';
import { button, decodeButton, encodeButton, isCurrent, rows, type ButtonAction } from './buttons.js';
import { admitQuestion, canThreadIn, RESTARTING } from './commands/common.js';
import type { BotContext } from './context.js';
import { passagePayload } from './passages.js';
import { COLORS, renderContext, threadName } from './render.js';
import { interactionContext, logFailure, replyNotice, respond, safe } from './respond.js';

export const STALE_BUTTON =
  'This answer comes from an older version of the library’s index, so its buttons no longer point to the right place. Please ask again for a fresh answer.';
export const UNKNOWN_BUTTON = 'This button is no longer supported. Please ask again.';

/** Routes a button click. */
export async function handleButton(interaction: ButtonInteraction, bot: BotContext): Promise<void> {
  const state = decodeButton(interaction.customId);
  if (!state) return replyNotice(interaction, UNKNOWN_BUTTON);
  if (bot.closing) return replyNotice(interaction, RESTARTING);
  const { action } = state;
  // Post and Discuss act on the message as shown, so they work on any index; the others look things up.
  if (action.kind !== 'post' && action.kind !== 'discuss' && !isCurrent(state, bot.engine.indexId)) {
    bot.logger.info({ event: 'stale_button', ...interactionContext(interaction) }, 'button from an older index');
    return replyNotice(interaction, STALE_BUTTON);
  }
  switch (action.kind) {
    case 'more':
      return more(interaction, bot, action);
    case 'context':
      return context(interaction, bot, action);
    case 'page':
      return page(interaction, bot, action);
    case 'post':
      return post(interaction, bot);
    case 'discuss':
      return discuss(interaction, bot);
  }
}

function isEphemeral(interaction: ButtonInteraction): boolean {
  return interaction.message.flags.has(MessageFlags.Ephemeral);
}

/** "More passages": the next page of results for the question on the message, just for the clicker. */
async function more(interaction: ButtonInteraction, bot: BotContext, action: Extract<ButtonAction, { kind: 'more' }>): Promise<void> {
  const recorded = questionOf(interaction.message);
  if (!recorded) return replyNotice(interaction, 'I can no longer read the question on this message. Please ask again.');
  if (!(await admitQuestion(bot, interaction, recorded.question))) return;
  const doc = action.doc === null ? undefined : bot.docAt(action.doc);
  const placement = { ephemeral: true, canThread: canThreadIn(interaction) };
  await respond(bot, interaction, { ephemeral: true }, async () => {
    const answer = await bot.ask(
      recorded.question,
      { offset: action.offset, limit: action.limit, ...(doc ? { docId: doc.id } : {}), ...(recorded.followUpOf ? { followUpOf: recorded.followUpOf } : {}) },
      { source: 'button:more', guildId: interaction.guildId, channelId: interaction.channelId },
    );
    return passageListPayload(bot, answer, {
      title: recorded.question,
      offset: action.offset,
      limit: action.limit,
      ...(doc ? { docId: doc.id } : {}),
      placement,
      recorded,
    });
  });
}

/** "Context": the paragraphs before and after the quoted one, just for the clicker. */
async function context(interaction: ButtonInteraction, bot: BotContext, action: Extract<ButtonAction, { kind: 'context' }>): Promise<void> {
  const doc = bot.docAt(action.doc);
  if (!doc || !bot.engine.library.getPassage(doc.id, action.paragraph)) return replyNotice(interaction, STALE_BUTTON);
  const embed = renderContext(doc, action.paragraph, bot.render);
  const components = rows([button(encodeButton(bot.engine.indexId, { kind: 'post' }), 'Post to channel', { emoji: '📣', style: ButtonStyle.Primary })]);
  await interaction.reply({ ...safe({ embeds: [embed], components }), flags: MessageFlags.Ephemeral });
}

/** ◀ ▶: replaces the paragraph in place. */
async function page(interaction: ButtonInteraction, bot: BotContext, action: Extract<ButtonAction, { kind: 'page' }>): Promise<void> {
  const doc = bot.docAt(action.doc);
  if (!doc || !bot.engine.library.getPassage(doc.id, action.paragraph)) return replyNotice(interaction, STALE_BUTTON);
  const payload = passagePayload(bot, doc, action.paragraph, { ephemeral: isEphemeral(interaction), canThread: canThreadIn(interaction) });
  await interaction.update(safe(payload));
}

/**
 * "Post to channel": shares an ephemeral message with everyone. The
 * ephemeral copy's button turns into a disabled "Posted"; the public copy
 * keeps the other buttons and gains "Discuss" where threads are possible.
 */
async function post(interaction: ButtonInteraction, bot: BotContext): Promise<void> {
  const message = interaction.message;
  const embeds: APIEmbed[] = message.embeds.map((e) => e.toJSON());
  const indexId = bot.engine.indexId;
  // The message's own buttons, as sent (label, emoji, style, disabled state), with what they do.
  const own = message.components
    .flatMap((row) => ((row.toJSON() as { components?: unknown[] }).components ?? []) as APIButtonComponentWithCustomId[])
    .filter((c) => typeof c.custom_id === 'string')
    .map((c) => ({ component: c, kind: decodeButton(c.custom_id)?.action.kind }));
  // Ephemeral copy: everything stays, except that "Post" becomes a disabled "Posted".
  const posted = button(encodeButton(indexId, { kind: 'post' }), 'Posted', { emoji: '✅', disabled: true });
  const ephemeralButtons = own.map(({ component, kind }) => (kind === 'post' ? posted : component));
  // Public copy: no "Post"; "Discuss" where a thread can be opened.
  const publicButtons: APIButtonComponent[] = own.filter(({ kind }) => kind !== 'post' && kind !== 'discuss').map(({ component }) => component);
  if (canThreadIn(interaction) && embeds[0]?.title) {
    publicButtons.push(button(encodeButton(indexId, { kind: 'discuss' }), 'Discuss', { emoji: '💬', style: ButtonStyle.Primary }));
  }
  await interaction.update(safe({ components: rows(ephemeralButtons) }));
  try {
    await interaction.followUp(safe({ content: `Shared by <@${interaction.user.id}>`, embeds, components: rows(publicButtons) }));
  } catch (error) {
    logFailure(bot.logger, error, interactionContext(interaction), 'could not post to the channel');
    await interaction.followUp({ ...safe({ content: 'Sorry, I could not post that to the channel.' }), flags: MessageFlags.Ephemeral }).catch(() => undefined);
  }
}

/**
 * "Discuss": opens a thread on the answer, named after the question, whose
 * first message is the quote, pinned. Answers the clicker with a link.
 */
async function discuss(interaction: ButtonInteraction, bot: BotContext): Promise<void> {
  const message = interaction.message;
  const channel = message.channel;
  if (!message.inGuild() || (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement)) {
    return replyNotice(interaction, 'Discussion threads can only be opened in a server text channel.');
  }
  if (message.hasThread && message.thread) {
    return replyNotice(interaction, `There is already a discussion for this answer: <#${message.thread.id}>`);
  }
  const recorded = questionOf(message);
  const first = message.embeds[0]?.toJSON();
  if (!recorded || !first) return replyNotice(interaction, 'I can no longer read this answer. Please ask again.');
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const context = interactionContext(interaction);
  let threadId: string;
  try {
    const thread = await message.startThread({
      name: threadName(recorded.question),
      autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
      reason: 'Lectern: discussion of an answer',
    });
    threadId = thread.id;
    // The quote alone (no "also relevant" fields or buttons) opens the discussion.
    const quote: APIEmbed = {
      ...(first.title ? { title: first.title } : {}),
      ...(first.author ? { author: first.author } : {}),
      ...(first.description ? { description: first.description } : {}),
      ...(first.footer ? { footer: first.footer } : {}),
      color: first.color ?? COLORS.answered,
    };
    const opener = await thread.send(safe({ embeds: [quote] }));
    try {
      await opener.pin('Lectern: the quote under discussion');
    } catch (error) {
      // Pinning needs the Pin Messages permission; the thread is useful without it.
      logFailure(bot.logger, error, { ...context, thread: thread.id }, 'could not pin the quote');
    }
  } catch (error) {
    if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage) {
      // Someone clicked first; a thread started from a message shares its id.
      await interaction.editReply(safe({ content: `There is already a discussion for this answer: <#${message.id}>` }));
      return;
    }
    logFailure(bot.logger, error, context, 'could not open a discussion thread');
    const missing = error instanceof DiscordAPIError && (error.code === RESTJSONErrorCodes.MissingPermissions || error.code === RESTJSONErrorCodes.MissingAccess);
    await interaction.editReply(
      safe({
        content: missing
          ? 'I don’t have permission to create threads here. A server admin can give me “Create Public Threads” and “Send Messages in Threads”.'
          : 'Sorry, I could not open a discussion thread. Please try again in a moment.',
      }),
    );
    return;
  }
  bot.logger.info({ event: 'thread_opened', ...context, thread: threadId }, 'opened a discussion thread');
  await interaction.editReply(safe({ content: `Discussion opened: <#${threadId}>` }));
}

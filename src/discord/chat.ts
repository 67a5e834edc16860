/**
 * Chat mode: the bot answers a message that mentions it, any DM, every
 * message in an ask channel, and replies to its own answers (follow-ups).
 * It replies to the message, shows typing while it works, and ignores bots
 * (itself included).
 */
import { ChannelType, DiscordAPIError, RESTJSONErrorCodes, type Message } from 'discord.js';
import { answerPayload, followUpText, questionOf } from './answers.js';
import { decodeButton, customIdsOf } from './buttons.js';
import { rateLimitMessage, tooLongMessage } from './commands/common.js';
import { MAX_QUESTION_CHARS, type BotContext } from './context.js';
import { renderNotice, COLORS } from './render.js';
import { APOLOGY, logFailure, safe, type Payload } from './respond.js';

/** Discord shows "typing…" for 10 s; refresh a little before it lapses. */
const TYPING_REFRESH_MS = 8000;

/** Why a message is (or is not) for the bot. */
export type Addressed = 'dm' | 'mention' | 'ask-channel' | 'reply' | null;

/** Removes the bot's own mentions (`<@id>`, `<@!id>`) from a message's text. */
export function stripMention(content: string, botId: string): string {
  return content.replace(new RegExp(`<@!?${botId}>`, 'g'), ' ').replace(/\s+/g, ' ').trim();
}

/** Handles one MESSAGE_CREATE. */
export async function handleMessage(message: Message, bot: BotContext): Promise<void> {
  const me = message.client.user;
  if (!bot.config.chatMode || bot.closing) return;
  // Bots (including this one), webhooks and system messages are never questions.
  if (message.author.bot || message.author.id === me.id || message.webhookId || message.system) return;

  const referenced = await referencedMessage(message, bot);
  const repliesToMe = referenced?.author.id === me.id;
  const addressed: Addressed = !message.inGuild()
    ? 'dm'
    : repliesToMe
      ? 'reply'
      : message.mentions.users.has(me.id) || new RegExp(`<@!?${me.id}>`).test(message.content)
        ? 'mention'
        : bot.config.askChannelIds.has(message.channelId)
          ? 'ask-channel'
          : null;
  if (!addressed) return;
  // Without the Message Content intent Discord sends empty content for messages that do not mention the bot.
  if (message.content === '' && message.attachments.size === 0 && addressed !== 'dm' && addressed !== 'mention') return;

  const question = stripMention(message.content, me.id);
  const where = { guild: message.guildId ?? 'dm', channel: message.channelId, addressed };

  const allowed = bot.limiter.take(message.author.id);
  if (!allowed.ok) {
    // One notice per window: repeating it would be the bot flooding the channel itself.
    const notify = bot.limiter.shouldNotify(message.author.id);
    // The message id accounts for every question: one left unanswered on purpose is in the log, not lost.
    bot.logger.info({ event: 'rate_limited', ...where, message: message.id, notified: notify, retryAfterMs: allowed.retryAfterMs }, 'rate limited a user');
    if (notify) await send(message, bot, { embeds: [renderNotice(rateLimitMessage(bot, allowed.retryAfterMs))] });
    return;
  }
  if (question.length > MAX_QUESTION_CHARS) {
    await send(message, bot, { embeds: [renderNotice(tooLongMessage(question.length))] });
    return;
  }

  // A reply to one of the bot's answers follows up the question that answer recorded.
  const recorded = repliesToMe && referenced ? questionOf(referenced) : undefined;
  const followUpOf = recorded ? followUpText(recorded) : undefined;
  const docId = repliesToMe && referenced ? docOfAnswer(referenced, bot) : undefined;

  const stopTyping = startTyping(message, bot);
  let payload: Payload;
  try {
    const answer = await bot.ask(
      question,
      { ...(followUpOf ? { followUpOf } : {}), ...(docId ? { docId } : {}) },
      { source: `chat:${addressed}`, guildId: message.guildId, channelId: message.channelId },
    );
    const canThread = message.inGuild() && (message.channel.type === ChannelType.GuildText || message.channel.type === ChannelType.GuildAnnouncement);
    // The engine's cleaned question, never the raw text: that may hold NUL, bidi or other control characters.
    payload = answerPayload(bot, answer, { question: answer.question, ...(followUpOf ? { followUpOf } : {}), ...(docId ? { docId } : {}), placement: { ephemeral: false, canThread } });
  } catch {
    // bot.ask has logged the error with its context.
    payload = { embeds: [renderNotice(APOLOGY, COLORS.error)] };
  } finally {
    stopTyping();
  }
  await send(message, bot, payload);
}

/** The message this one replies to, from the cache or Discord; undefined when it is not a reply or cannot be read. */
async function referencedMessage(message: Message, bot: BotContext): Promise<Message | undefined> {
  if (!message.reference?.messageId) return undefined;
  // Discord names the replied-to author; a reply to someone else needs no look-up.
  const repliedTo = message.mentions.repliedUser;
  if (repliedTo && repliedTo.id !== message.client.user.id) return undefined;
  try {
    return await message.fetchReference();
  } catch (error) {
    logFailure(bot.logger, error, { guild: message.guildId ?? 'dm', channel: message.channelId }, 'could not read the replied-to message');
    return undefined;
  }
}

/** The text an earlier answer was limited to (from its "More passages" button), so a follow-up stays in it. */
function docOfAnswer(answer: Message, bot: BotContext): string | undefined {
  for (const id of customIdsOf(answer.components.map((c) => c.toJSON()))) {
    const state = decodeButton(id);
    if (state?.action.kind === 'more' && state.action.doc !== null) return bot.docAt(state.action.doc)?.id;
  }
  return undefined;
}

/** Shows "typing…" until the returned function is called. Typing failures are logged, never fatal. */
function startTyping(message: Message, bot: BotContext): () => void {
  const channel = message.channel;
  if (!('sendTyping' in channel)) return () => undefined;
  const type = (): void => {
    channel.sendTyping().catch((error: unknown) => logFailure(bot.logger, error, { guild: message.guildId ?? 'dm', channel: message.channelId }, 'could not show typing'));
  };
  type();
  const timer = setInterval(type, TYPING_REFRESH_MS);
  return () => clearInterval(timer);
}

/**
 * Replies to `message`. If the message is gone (deleted while the bot was
 * thinking) the answer is posted without the reply link; permission errors
 * are logged, since there is nowhere to report them.
 */
async function send(message: Message, bot: BotContext, payload: Payload): Promise<void> {
  const where = { guild: message.guildId ?? 'dm', channel: message.channelId };
  try {
    await message.reply(safe(payload));
  } catch (error) {
    if (error instanceof DiscordAPIError && (error.code === RESTJSONErrorCodes.InvalidFormBodyOrContentType || error.code === RESTJSONErrorCodes.UnknownMessage)) {
      // 50035 "Unknown message" in message_reference: the question was deleted.
      try {
        if ('send' in message.channel) await message.channel.send(safe(payload));
        return;
      } catch (again) {
        logFailure(bot.logger, again, where, 'could not send the answer');
        return;
      }
    }
    logFailure(bot.logger, error, where, 'could not reply to a message');
  }
}

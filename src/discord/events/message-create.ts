/**
 * Chat mode: the bot answers a message that mentions it, any DM, every
 * message in an ask channel, and replies to its own answers (follow-ups).
 * It replies to the message, shows typing while it works, and ignores bots
 * (itself included).
 */
import { DiscordAPIError, Events, RESTJSONErrorCodes, type Message } from 'discord.js';
import { admit, QUESTION_PRECONDITIONS } from '../admission.js';
import { answerQuestion } from '../answer-question.js';
import { inboundQuestion } from '../inbound.js';
import { customIdsOf, decodeButton } from '../custom-id.js';
import { logFailure } from '../log-failure.js';
import { safe, type Payload } from '../payload.js';
import { followUpText, questionOf } from '../recorded-question.js';
import { APOLOGY } from '../reply.js';
import type { BotRuntime } from '../runtime.js';
import { canStartThreadIn } from '../threads.js';
import { COLORS, noticeEmbed } from '../views/notice.js';
import { defineEvent } from './event.js';

/** Discord shows "typing…" for 10 s; refresh a little before it lapses. */
const TYPING_REFRESH_MS = 8000;

/** Why a message is (or is not) for the bot. */
export type Addressed = 'dm' | 'mention' | 'ask-channel' | 'reply' | null;

/** Removes the bot's own mentions (`<@id>`, `<@!id>`) from a message's text. */
export function stripMention(content: string, botId: string): string {
  return content
    .replace(new RegExp(`<@!?${botId}>`, 'g'), ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export const messageCreate = defineEvent(Events.MessageCreate, handleMessage);

/** Handles one MESSAGE_CREATE. */
async function handleMessage(everywhere: BotRuntime, message: Message): Promise<void> {
  if (!everywhere.config.chatMode || everywhere.closing) return;
  // Bots (including this one), webhooks and system messages are never questions.
  if (message.author.bot || message.author.id === message.client.user.id || message.webhookId || message.system) return;
  const me = message.client.user;
  const referenced = await referencedMessage(message, everywhere);
  const repliesToMe = referenced?.author.id === me.id;
  const addressed: Addressed = !message.inGuild()
    ? 'dm'
    : repliesToMe
      ? 'reply'
      : message.mentions.users.has(me.id) || new RegExp(`<@!?${me.id}>`).test(message.content)
        ? 'mention'
        : everywhere.config.askChannelIds.has(message.channelId)
          ? 'ask-channel'
          : null;
  if (!addressed) return;
  // The library of the place the message is in, and only that (runtime.ts); looked up for messages to the bot only.
  const bot = await everywhere.in(message.guildId);
  try {
    await answerMessage(bot, message, addressed, referenced);
  } finally {
    bot.release();
  }
}

async function answerMessage(
  bot: BotRuntime,
  message: Message,
  addressed: Exclude<Addressed, null>,
  referenced: Message | null | undefined,
): Promise<void> {
  const me = message.client.user;
  const repliesToMe = referenced?.author.id === me.id;
  // Without the Message Content intent Discord sends empty content for messages that do not mention the bot.
  if (message.content === '' && message.attachments.size === 0 && addressed !== 'dm' && addressed !== 'mention') return;

  const question = inboundQuestion(stripMention(message.content, me.id));
  const where = { guild: message.guildId ?? 'dm', channel: message.channelId, addressed };

  // notifyOnce: one rate-limit notice per window; repeating it would be the bot flooding the channel itself.
  const refusal = admit(
    bot,
    {
      userId: message.author.id,
      question,
      logFields: { ...where, message: message.id },
      notifyOnce: true,
      guildId: message.guildId,
    },
    QUESTION_PRECONDITIONS,
  );
  if (refusal) {
    if (refusal.notify) await send(message, bot, { embeds: [noticeEmbed(refusal.message)] });
    return;
  }

  // A reply to one of the bot's answers follows up the question that answer recorded (its original
  // question, never glued text); any other message continues this user's conversation in this channel.
  const recorded = repliesToMe && referenced ? questionOf(referenced) : undefined;
  const followUpOf = recorded ? followUpText(recorded) : undefined;
  const docId = repliesToMe && referenced ? docOfAnswer(referenced, bot) : undefined;

  const stopTyping = startTyping(message, bot);
  let payload: Payload;
  try {
    payload = await answerQuestion(bot, {
      question,
      place: {
        guildId: message.guildId,
        channelId: message.channelId,
        userId: message.author.id,
        client: message.client,
        channel: message.channel,
      },
      source: `chat:${addressed}`,
      ...(docId ? { docId } : {}),
      ...(followUpOf ? { followUpOf } : {}),
      canThread: message.inGuild() && canStartThreadIn(message.channel),
    });
  } catch {
    // bot.ask has logged the error, with the guild and channel.
    payload = { embeds: [noticeEmbed(APOLOGY, COLORS.error)] };
  } finally {
    stopTyping();
  }
  await send(message, bot, payload);
}

/** The message this one replies to, from the cache or Discord; undefined when it is not a reply or cannot be read. */
async function referencedMessage(message: Message, bot: BotRuntime): Promise<Message | undefined> {
  if (!message.reference?.messageId) return undefined;
  // Discord names the replied-to author; a reply to someone else needs no look-up.
  const repliedTo = message.mentions.repliedUser;
  if (repliedTo && repliedTo.id !== message.client.user.id) return undefined;
  try {
    return await message.fetchReference();
  } catch (error) {
    logFailure(
      bot.logger,
      error,
      { guild: message.guildId ?? 'dm', channel: message.channelId },
      'could not read the replied-to message',
    );
    return undefined;
  }
}

/** The text an earlier answer was limited to (from its "More passages" button), so a follow-up stays in it. */
function docOfAnswer(answer: Message, bot: BotRuntime): string | undefined {
  for (const id of customIdsOf(answer.components.map((c) => c.toJSON()))) {
    const state = decodeButton(id);
    if (state?.action.kind === 'more' && state.action.doc !== null) return bot.library.docAt(state.action.doc)?.id;
  }
  return undefined;
}

/** Shows "typing…" until the returned function is called. Typing failures are logged, never fatal. */
function startTyping(message: Message, bot: BotRuntime): () => void {
  const channel = message.channel;
  if (!('sendTyping' in channel)) return () => undefined;
  const type = (): void => {
    channel
      .sendTyping()
      .catch((error: unknown) =>
        logFailure(
          bot.logger,
          error,
          { guild: message.guildId ?? 'dm', channel: message.channelId },
          'could not show typing',
        ),
      );
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
async function send(message: Message, bot: BotRuntime, payload: Payload): Promise<void> {
  const where = { guild: message.guildId ?? 'dm', channel: message.channelId };
  try {
    await message.reply(safe(payload));
  } catch (error) {
    if (
      error instanceof DiscordAPIError &&
      (error.code === RESTJSONErrorCodes.InvalidFormBodyOrContentType ||
        error.code === RESTJSONErrorCodes.UnknownMessage)
    ) {
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

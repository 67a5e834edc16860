/**
 * The one way a question becomes a public answer, for `/ask` and for chat
 * (mentions, DMs, ask channels, replies to an answer): the reader's scope in
 * a club channel, the engine's answer (a new question or a follow-up in the
 * member's conversation), and the answer message. Only how the question
 * arrives and how the reply is sent differ between the two.
 */
import type { Payload } from './payload.js';
import { readerScope, untilFor, type RequestPlace } from './reader-scope.js';
import type { BotRuntime } from './runtime.js';
import { answerMessage } from './views/answer.js';

export interface QuestionRequest {
  question: string;
  place: RequestPlace;
  /** For logs: "/ask", "chat:mention", "chat:reply"…. */
  source: string;
  /** A text the reader named, or the one the answer they reply to was limited to. */
  docId?: string;
  /** A chapter restriction (`/ask chapter:`). */
  chapter?: string;
  /** A reply to one of the bot's answers: the question it follows up (recorded on that answer). */
  followUpOf?: string;
  /** Whether a "Discuss" thread can be opened where the answer is posted. */
  canThread: boolean;
}

export async function answerQuestion(bot: BotRuntime, request: QuestionRequest): Promise<Payload> {
  const { question, place, chapter, followUpOf } = request;
  // In a club channel (or its threads), nothing past this member's limit is searched, follow-ups included.
  const until = untilFor(await readerScope(bot, place), request.docId);
  const docId = request.docId ?? until?.docId;
  const options = { ...(docId ? { docId } : {}), ...(chapter ? { chapter } : {}), ...(until ? { until } : {}) };
  const meta = { source: request.source, guildId: place.guildId, channelId: place.channelId };
  const answer = followUpOf
    ? await bot.ask(question, { ...options, followUpOf }, meta)
    : await bot.converse(question, options, { ...meta, userId: place.userId });
  // The engine's cleaned question, never the raw text: that may hold NUL, bidi or other control characters.
  // The header names the question searched (answer.followUp.of): the original question, never glued text.
  return answerMessage(bot.library, answer, {
    question: answer.question,
    ...(answer.followUp ? { followUpOf: answer.followUp.of } : {}),
    ...(docId ? { docId } : {}),
    ...(chapter && !answer.followUp ? { chapter } : {}),
    placement: { ephemeral: false, canThread: request.canThread },
  });
}

/**
 * Complete messages for answers and passage lists: embeds plus the buttons
 * that go with them. Shared by /ask, /quote, chat mode and the buttons.
 */
import { ButtonStyle } from 'discord.js';
import type { Answer } from '../types.js';
import { button, encodeButton, rows } from './buttons.js';
import type { BotContext } from './context.js';
import { renderAnswer, renderPassageList, readQuestion, type RecordedQuestion } from './render.js';
import type { Payload } from './respond.js';

/** Passages per "page" of results. */
export const PAGE_SIZE = 5;

/** Where a message will be shown: decides which buttons make sense. */
export interface Placement {
  /** Only the asker sees it: offer "Post to channel". */
  ephemeral: boolean;
  /** A guild text channel where a thread can be started: offer "Discuss". */
  canThread: boolean;
}

function docOf(bot: BotContext, docId: string | undefined): number | null {
  if (!docId) return null;
  const i = bot.docIndex(docId);
  return i >= 0 ? i : null;
}

/** The ¶ the answer quotes (or its closest passage): what "Context" opens. */
function quotedParagraph(answer: Answer): { docId: string; paragraph: number } | undefined {
  const id = answer.quote?.passageId ?? answer.passages[0]?.passage.id;
  if (!id) return undefined;
  const hash = id.lastIndexOf('#');
  return { docId: id.slice(0, hash), paragraph: Number(id.slice(hash + 1)) };
}

/** Buttons under an answer or passage list. */
function answerButtons(
  bot: BotContext,
  answer: Answer,
  placement: Placement,
  more: { docId?: string; nextOffset: number; limit: number; shown: number },
  withContext: boolean,
): Payload['components'] {
  const indexId = bot.engine.indexId;
  const list = [];
  // A full page suggests there are more; a short one means the ranking ran out.
  if (more.shown >= more.limit) {
    list.push(button(encodeButton(indexId, { kind: 'more', doc: docOf(bot, more.docId), offset: more.nextOffset, limit: more.limit }), 'More passages', { emoji: '📚' }));
  }
  const quoted = quotedParagraph(answer);
  if (withContext && quoted) {
    const doc = bot.docIndex(quoted.docId);
    if (doc >= 0) list.push(button(encodeButton(indexId, { kind: 'context', doc, paragraph: quoted.paragraph }), 'Context', { emoji: '📖' }));
  }
  if (placement.canThread && !placement.ephemeral) {
    list.push(button(encodeButton(indexId, { kind: 'discuss' }), 'Discuss', { emoji: '💬', style: ButtonStyle.Primary }));
  }
  if (placement.ephemeral) {
    list.push(button(encodeButton(indexId, { kind: 'post' }), 'Post to channel', { emoji: '📣', style: ButtonStyle.Primary }));
  }
  return list.length ? rows(list) : [];
}

/** An answer as a message (for /ask, chat mode). */
export function answerPayload(
  bot: BotContext,
  answer: Answer,
  options: { question?: string; followUpOf?: string; docId?: string; placement: Placement },
): Payload {
  const embed = renderAnswer(answer, bot.render, {
    ...(options.question !== undefined ? { question: options.question } : {}),
    ...(options.followUpOf ? { followUpOf: options.followUpOf } : {}),
  });
  if (answer.status === 'help') return { embeds: [embed], components: [] };
  return {
    embeds: [embed],
    components: answerButtons(bot, answer, options.placement, { ...(options.docId ? { docId: options.docId } : {}), nextOffset: answer.passages.length, limit: PAGE_SIZE, shown: answer.passages.length }, true),
  };
}

/** Ranked passages as a message (for /quote and "More passages"). */
export function passageListPayload(
  bot: BotContext,
  answer: Answer,
  options: { title: string; offset: number; limit: number; docId?: string; placement: Placement; recorded?: RecordedQuestion },
): Payload {
  if (answer.status === 'help') return answerPayload(bot, answer, { placement: options.placement });
  const intro =
    answer.passages.length === 0
      ? undefined
      : answer.status === 'abstained'
        ? 'The text does not seem to address this directly; these are the closest passages.'
        : options.offset > 0
          ? `Passages ${options.offset + 1}–${options.offset + answer.passages.length}.`
          : undefined;
  const embeds = renderPassageList(answer, answer.passages, bot.render, {
    title: options.title,
    ...(intro ? { intro } : {}),
  });
  // "More passages" re-reads the question from the first embed; a follow-up keeps its context there too.
  if (options.recorded?.followUpOf && embeds[0]) embeds[0] = { ...embeds[0], author: { name: `Following up on: ${options.recorded.followUpOf}`.slice(0, 256) } };
  return {
    embeds,
    components: answerButtons(
      bot,
      answer,
      options.placement,
      { ...(options.docId ? { docId: options.docId } : {}), nextOffset: options.offset + answer.passages.length, limit: options.limit, shown: answer.passages.length },
      false,
    ),
  };
}

/** The question recorded on a message the bot sent (its first embed), if any. */
export function questionOf(message: { embeds: ReadonlyArray<{ title?: string | null; fields?: ReadonlyArray<{ name: string; value: string }>; author?: { name: string } | null }> }): RecordedQuestion | undefined {
  const embed = message.embeds[0];
  if (!embed) return undefined;
  return readQuestion({
    ...(embed.title ? { title: embed.title } : {}),
    ...(embed.fields ? { fields: embed.fields.map((f) => ({ name: f.name, value: f.value })) } : {}),
    ...(embed.author ? { author: { name: embed.author.name } } : {}),
  });
}

/** Combines a recorded question into the `followUpOf` text for a reply to it ("why?" after a follow-up keeps the original topic). */
export function followUpText(recorded: RecordedQuestion): string {
  const text = recorded.followUpOf ? `${recorded.followUpOf} ${recorded.question}` : recorded.question;
  return text.slice(0, 1000);
}

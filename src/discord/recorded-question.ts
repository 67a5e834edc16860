/**
 * The state an answer message carries: the question it answers and what that
 * question followed up on. Buttons and replies read it back from the message,
 * since a question is too long for a custom id (see custom-id.ts) and the bot
 * keeps no sessions. The title holds the question; when the title had to be
 * shortened the whole question is in a "Question" field; a follow-up names
 * its topic in the embed's author line.
 */
import type { APIEmbed, APIEmbedField } from 'discord.js';
import { MAX_QUESTION_LENGTH } from './engine.js';
import { escapedLine, plain } from './excerpt.js';
import { LIMITS } from './limits.js';
import { unescapeMarkdown } from './markdown.js';

/** How an answer embed records its question, so buttons and replies can recover it. */
export const QUESTION_FIELD = 'Question';
const FOLLOW_UP_PREFIX = 'Following up on: ';

/** The question an answer embed was for, and what it followed up on, as recorded by {@link questionParts}. */
export interface RecordedQuestion {
  question: string;
  followUpOf?: string;
}

/** Reads back the question from an answer embed (title, or the Question field when the title was shortened). */
export function readQuestion(
  embed: Pick<APIEmbed, 'title' | 'fields' | 'author'> | undefined,
): RecordedQuestion | undefined {
  if (!embed) return undefined;
  const field = embed.fields?.find((f) => f.name === QUESTION_FIELD);
  const raw = field ? field.value : embed.title;
  if (!raw) return undefined;
  const question = unescapeMarkdown(raw).trim();
  const author = embed.author?.name;
  const followUpOf = author?.startsWith(FOLLOW_UP_PREFIX) ? author.slice(FOLLOW_UP_PREFIX.length).trim() : undefined;
  return { question, ...(followUpOf ? { followUpOf } : {}) };
}

/** The author line naming the question a follow-up follows. */
export function followUpAuthor(followUpOf: string): { name: string } {
  return { name: plain(`${FOLLOW_UP_PREFIX}${followUpOf}`, LIMITS.authorName) };
}

/** Title (and, for long questions, a field) recording `question`. */
export function questionParts(
  question: string,
  followUpOf?: string,
): Pick<APIEmbed, 'title' | 'author'> & { field?: APIEmbedField } {
  const title = escapedLine(question, LIMITS.embedTitle);
  const shortened = unescapeMarkdown(title) !== question.replace(/\s+/g, ' ').trim();
  return {
    title,
    ...(followUpOf ? { author: followUpAuthor(followUpOf) } : {}),
    ...(shortened ? { field: { name: QUESTION_FIELD, value: escapedLine(question, LIMITS.fieldValue) } } : {}),
  };
}

/** The shape of a message's embeds that {@link questionOf} reads (discord.js Message or API object). */
export interface MessageWithEmbeds {
  embeds: ReadonlyArray<{
    title?: string | null;
    fields?: ReadonlyArray<{ name: string; value: string }>;
    author?: { name: string } | null;
  }>;
}

/** The question recorded on a message the bot sent (its first embed), if any. */
export function questionOf(message: MessageWithEmbeds): RecordedQuestion | undefined {
  const embed = message.embeds[0];
  if (!embed) return undefined;
  return readQuestion({
    ...(embed.title ? { title: embed.title } : {}),
    ...(embed.fields ? { fields: embed.fields.map((f) => ({ name: f.name, value: f.value })) } : {}),
    ...(embed.author ? { author: { name: embed.author.name } } : {}),
  });
}

/**
 * The question a reply to a recorded answer follows up: the original question, never the
 * follow-up glued to it. "why?" under an answer to "why?" still asks about the first question.
 */
export function followUpText(recorded: RecordedQuestion): string {
  return (recorded.followUpOf ?? recorded.question).slice(0, MAX_QUESTION_LENGTH);
}

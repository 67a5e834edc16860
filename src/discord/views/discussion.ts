/**
 * A "Discuss" thread: its name and its first message, the quote under discussion.
 */
import type { APIEmbed } from 'discord.js';
import { plain } from '../excerpt.js';
import { LIMITS } from '../limits.js';
import { COLORS } from './notice.js';

/** A thread name from a question: ≤100 characters, cut at a word, never empty. */
export function threadName(question: string): string {
  const name = plain(question, LIMITS.threadName);
  return name || 'Discussion';
}

/** The quote alone (no "also relevant" fields or buttons) from an answer's first embed: it opens the discussion. */
export function discussionOpener(first: APIEmbed): APIEmbed {
  return {
    ...(first.title ? { title: first.title } : {}),
    ...(first.author ? { author: first.author } : {}),
    ...(first.description ? { description: first.description } : {}),
    ...(first.footer ? { footer: first.footer } : {}),
    color: first.color ?? COLORS.answered,
  };
}

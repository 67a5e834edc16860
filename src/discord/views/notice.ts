/**
 * Short notices (rate limit, bad option, stale button, apology), and the
 * colours every view uses.
 */
import type { APIEmbed } from 'discord.js';
import { truncateWords } from '../excerpt.js';
import { LIMITS } from '../limits.js';

/** Embed colours: answered, abstained (grey: a closest passage, not an answer), neutral, error. */
export const COLORS = { answered: 0x5865f2, abstained: 0x99aab5, info: 0x3ba55c, error: 0xed4245 } as const;

/** A short notice as an embed. */
export function noticeEmbed(text: string, color: number = COLORS.info): APIEmbed {
  return { description: truncateWords(text, LIMITS.embedDescription), color };
}

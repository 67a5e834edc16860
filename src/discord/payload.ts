/**
 * What the bot sends, and the policy every message goes out with: ping
 * nobody, and keep content within Discord's limit.
 */
import type { APIActionRowComponent, APIComponentInActionRow, APIEmbed, MessageMentionOptions } from 'discord.js';
import { truncateWords } from './excerpt.js';
import { LIMITS } from './limits.js';

/**
 * Mentions nothing: not @everyone/@here, roles, users, nor the author of the
 * message replied to. Questions and quotes are arbitrary text; none of it may
 * ping anyone.
 */
export const NO_MENTIONS: MessageMentionOptions = { parse: [], users: [], roles: [], repliedUser: false };

/** A message the bot sends. */
export interface Payload {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInActionRow>[];
}

/** Adds the no-ping mentions policy and clamps content to Discord's limit. */
export function safe<T extends Payload>(payload: T): T & { allowedMentions: MessageMentionOptions } {
  return {
    ...payload,
    ...(payload.content !== undefined ? { content: truncateWords(payload.content, LIMITS.content) } : {}),
    allowedMentions: NO_MENTIONS,
  };
}

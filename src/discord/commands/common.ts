/**
 * Checks and helpers shared by the slash commands.
 */
import { ChannelType, type AutocompleteInteraction, type ChatInputCommandInteraction, type Interaction, type RepliableInteraction } from 'discord.js';
import type { BotContext } from '../context.js';
import { MAX_QUESTION_CHARS } from '../context.js';
import { LIMITS, plain } from '../render.js';
import { replyNotice } from '../respond.js';

/** A slash command module, shaped like the discord.js guide's: its definition and its handlers. */
export interface Command {
  /** The definition sent to Discord by `npm run deploy-commands`. */
  data: { name: string; toJSON(): unknown };
  execute(interaction: ChatInputCommandInteraction, bot: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, bot: BotContext): Promise<void>;
}

export const RESTARTING = 'Lectern is restarting. Please try again in a moment.';

/** Polite words for a wait. */
export function waitWords(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds === 1) return 'a second';
  if (seconds < 90) return `${seconds} seconds`;
  const minutes = Math.round(seconds / 60);
  return minutes === 1 ? 'a minute' : `${minutes} minutes`;
}

export function rateLimitMessage(bot: BotContext, retryAfterMs: number): string {
  const { count, windowMs } = bot.config.rateLimit;
  return `You're asking faster than I can keep up with (${count} questions per ${waitWords(windowMs)}). Please try again in ${waitWords(retryAfterMs)}.`;
}

export function tooLongMessage(length: number): string {
  return `That question is ${length.toLocaleString('en-US')} characters long; please keep it under ${MAX_QUESTION_CHARS.toLocaleString('en-US')} and ask again.`;
}

/**
 * The checks every question passes before it reaches the engine: shutting
 * down, too long, rate limit. Answers the interaction itself (ephemerally)
 * when a check fails and returns false.
 */
export async function admitQuestion(bot: BotContext, interaction: RepliableInteraction, question: string): Promise<boolean> {
  if (bot.closing) {
    await replyNotice(interaction, RESTARTING);
    return false;
  }
  if (question.length > MAX_QUESTION_CHARS) {
    await replyNotice(interaction, tooLongMessage(question.length));
    return false;
  }
  const allowed = bot.limiter.take(interaction.user.id);
  if (!allowed.ok) {
    bot.logger.info({ event: 'rate_limited', guild: interaction.guildId ?? 'dm', channel: interaction.channelId, interaction: interaction.id, notified: true, retryAfterMs: allowed.retryAfterMs }, 'rate limited a user');
    await replyNotice(interaction, rateLimitMessage(bot, allowed.retryAfterMs));
    return false;
  }
  return true;
}

/** Whether a "Discuss" thread can be started where this interaction happened: a guild text or announcement channel, not a thread or DM. */
export function canThreadIn(interaction: Interaction): boolean {
  if (!interaction.inGuild()) return false;
  const type = interaction.channel?.type;
  return type === ChannelType.GuildText || type === ChannelType.GuildAnnouncement;
}

/** Suggests library texts for a `text:` option as the user types. */
export async function autocompleteText(interaction: AutocompleteInteraction, bot: BotContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name !== 'text') {
    await interaction.respond([]);
    return;
  }
  const docs = bot.engine.library.searchTitles(String(focused.value ?? ''));
  const choices = docs
    .filter((doc) => doc.id.length <= LIMITS.choiceValue)
    .slice(0, LIMITS.choices)
    .map((doc) => ({ name: plain(`${doc.meta.title} — ${doc.meta.author}`, LIMITS.choiceName), value: doc.id }));
  await interaction.respond(choices);
}

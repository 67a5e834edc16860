/**
 * Sending messages safely: every payload gets `allowed_mentions` that ping
 * nobody, interactions are deferred when the answer is slow, failures turn
 * into a short apology, and Discord's own errors are logged by kind.
 */
import {
  DiscordAPIError,
  HTTPError,
  MessageFlags,
  RateLimitError,
  RESTJSONErrorCodes,
  type APIActionRowComponent,
  type APIComponentInActionRow,
  type APIEmbed,
  type MessageMentionOptions,
  type RepliableInteraction,
} from 'discord.js';
import type { Logger } from 'pino';
import type { BotContext } from './context.js';
import { COLORS, LIMITS, renderNotice, truncateWords } from './render.js';

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

export const APOLOGY = 'Sorry, something went wrong while I was looking that up. Please try again in a moment.';

/** Logs a failure, naming Discord's error kind when it is one, and never including the token. */
export function logFailure(logger: Logger, error: unknown, context: Record<string, unknown>, what: string): void {
  if (error instanceof DiscordAPIError) {
    const kind =
      error.code === RESTJSONErrorCodes.MissingPermissions
        ? 'missing permissions'
        : error.code === RESTJSONErrorCodes.MissingAccess
          ? 'missing access'
          : error.code === RESTJSONErrorCodes.UnknownInteraction
            ? 'interaction expired'
            : error.code === RESTJSONErrorCodes.UnknownMessage
              ? 'unknown message'
              : error.status >= 500
                ? 'Discord server error'
                : 'Discord API error';
    // Permission problems are the server admin's to fix, not a bug: warn.
    const level = error.status >= 500 ? 'error' : 'warn';
    logger[level]({ ...context, discord: { kind, code: error.code, status: error.status, method: error.method, route: routeOf(error.url) } }, `${what}: ${kind}`);
    return;
  }
  if (error instanceof HTTPError) {
    // 5xx after discord.js's retries. The error carries the request body (the answer); log none of it.
    const kind = error.status >= 500 ? 'Discord server error' : 'Discord HTTP error';
    logger.error({ ...context, discord: { kind, status: error.status, method: error.method, route: routeOf(error.url) } }, `${what}: ${kind}`);
    return;
  }
  if (error instanceof RateLimitError) {
    logger.warn({ ...context, discord: { kind: 'rate limited', route: error.route, retryAfterMs: error.retryAfter } }, `${what}: rate limited by Discord`);
    return;
  }
  logger.error({ ...context, err: describeError(error) }, what);
}

/** An error's type, message and stack, without any attached payloads (which may hold message content). */
export function describeError(error: unknown): { type: string; message: string; stack?: string } {
  if (error instanceof Error) return { type: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  return { type: typeof error, message: String(error) };
}

/**
 * The path of a Discord URL for logs, with interaction and webhook tokens
 * masked (they answer for the interaction for 15 minutes) and any other long
 * token-like segment too.
 */
export function routeOf(url: string): string {
  try {
    return new URL(url).pathname
      .replace(/\/(interactions|webhooks)\/(\d+)\/[^/]+/, '/$1/$2/:token')
      .replace(/\/[A-Za-z0-9_.-]{60,}/g, '/:token');
  } catch {
    return '';
  }
}

/** Context fields of an interaction for logs (no content). */
export function interactionContext(interaction: RepliableInteraction): Record<string, unknown> {
  return {
    interaction: interaction.id,
    ...(interaction.isChatInputCommand() ? { command: interaction.commandName } : {}),
    ...(interaction.isButton() ? { button: interaction.customId.split('|').slice(0, 2).join('|') } : {}),
    guild: interaction.guildId ?? 'dm',
    channel: interaction.channelId,
  };
}

/** Replies with a short ephemeral notice (rate limit, bad option, stale button…). */
export async function replyNotice(interaction: RepliableInteraction, text: string, color: number = COLORS.info): Promise<void> {
  const payload = safe({ embeds: [renderNotice(text, color)] });
  if (interaction.deferred || interaction.replied) await interaction.followUp({ ...payload, flags: MessageFlags.Ephemeral });
  else await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
}

/**
 * Answers an interaction with the payload `work` produces, within Discord's
 * 3-second window: if `work` is not done after `bot.deferAfterMs`, the
 * interaction is deferred ("thinking…") and the reply edited in when ready.
 * On failure the user gets a short apology, ephemeral even when the answer
 * would have been public.
 */
export async function respond(
  bot: BotContext,
  interaction: RepliableInteraction,
  options: { ephemeral: boolean },
  work: () => Promise<Payload>,
): Promise<void> {
  const flags = options.ephemeral ? MessageFlags.Ephemeral : undefined;
  let timer: NodeJS.Timeout | undefined;
  const job = work().then(
    (payload) => ({ ok: true as const, payload }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  // deferAfterMs <= 0 means "always defer" (no race: a cached answer could otherwise win it).
  const slow = new Promise<'slow'>((resolve) => {
    if (bot.deferAfterMs <= 0) resolve('slow');
    else timer = setTimeout(() => resolve('slow'), bot.deferAfterMs);
  });
  const first = await Promise.race([slow, job]);
  clearTimeout(timer);
  if (first === 'slow') {
    try {
      await interaction.deferReply(flags ? { flags } : {});
    } catch (error) {
      // Without an acknowledged interaction nothing more can be sent; log and stop.
      logFailure(bot.logger, error, interactionContext(interaction), 'could not defer the reply');
      await job;
      return;
    }
  }
  const result = first === 'slow' ? await job : first;
  try {
    if (result.ok) {
      const payload = safe(result.payload);
      if (interaction.deferred) await interaction.editReply(payload);
      else await interaction.reply({ ...payload, ...(flags ? { flags } : {}) });
      return;
    }
    logFailure(bot.logger, result.error, interactionContext(interaction), 'answering failed');
    await apologise(interaction, options.ephemeral);
  } catch (error) {
    logFailure(bot.logger, error, interactionContext(interaction), 'could not send the reply');
    if (result.ok) await apologise(interaction, options.ephemeral).catch(() => undefined);
  }
}

/** Sends the short apology, ephemerally: a public "thinking…" placeholder is removed first. */
export async function apologise(interaction: RepliableInteraction, ephemeral: boolean): Promise<void> {
  const payload = safe({ embeds: [renderNotice(APOLOGY, COLORS.error)] });
  if (interaction.deferred && !interaction.replied) {
    if (ephemeral) {
      await interaction.editReply(payload);
      return;
    }
    await interaction.deleteReply().catch(() => undefined);
    await interaction.followUp({ ...payload, flags: MessageFlags.Ephemeral });
    return;
  }
  if (interaction.replied || interaction.deferred) {
    await interaction.followUp({ ...payload, flags: MessageFlags.Ephemeral });
    return;
  }
  await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
}

/**
 * Logging failures: Discord's own errors by kind (permissions, expired
 * interaction, server error, rate limit), never with tokens or message content.
 */
import { DiscordAPIError, HTTPError, RateLimitError, RESTJSONErrorCodes, type RepliableInteraction } from 'discord.js';
import type { Logger } from 'pino';

/** Logs a failure, naming Discord's error kind when it is one, and never including the token. */
export function logFailure(logger: Logger, error: unknown, fields: Record<string, unknown>, what: string): void {
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
    logger[level](
      {
        ...fields,
        discord: { kind, code: error.code, status: error.status, method: error.method, route: routeOf(error.url) },
      },
      `${what}: ${kind}`,
    );
    return;
  }
  if (error instanceof HTTPError) {
    // 5xx after discord.js's retries. The error carries the request body (the answer); log none of it.
    const kind = error.status >= 500 ? 'Discord server error' : 'Discord HTTP error';
    logger.error(
      { ...fields, discord: { kind, status: error.status, method: error.method, route: routeOf(error.url) } },
      `${what}: ${kind}`,
    );
    return;
  }
  if (error instanceof RateLimitError) {
    logger.warn(
      { ...fields, discord: { kind: 'rate limited', route: error.route, retryAfterMs: error.retryAfter } },
      `${what}: rate limited by Discord`,
    );
    return;
  }
  logger.error({ ...fields, err: describeError(error) }, what);
}

/** An error's type, message and stack, without any attached payloads (which may hold message content). */
export function describeError(error: unknown): { type: string; message: string; stack?: string } {
  if (error instanceof Error)
    return { type: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
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

/** Fields that locate an interaction in the logs (no content). */
export function interactionLogFields(interaction: RepliableInteraction): Record<string, unknown> {
  return {
    interaction: interaction.id,
    ...(interaction.isChatInputCommand() ? { command: interaction.commandName } : {}),
    ...(interaction.isButton() ? { button: interaction.customId.split('|').slice(0, 2).join('|') } : {}),
    guild: interaction.guildId ?? 'dm',
    channel: interaction.channelId,
  };
}

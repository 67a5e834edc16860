/**
 * The discord.js client: its options (intents, partials, the no-ping policy,
 * REST logging) and logging in, with one clear line for what can go wrong.
 */
import { Client, DefaultRestOptions, Events, GatewayIntentBits, Partials, type ClientOptions } from 'discord.js';
import type { Logger } from 'pino';
import { LecternError } from '../errors.js';
import type { DiscordConfig } from './config.js';
import { routeOf } from './log-failure.js';
import { NO_MENTIONS } from './payload.js';

/**
 * The gateway intents the bot needs, and no more. Guilds for channels and
 * commands; guild and direct messages only in chat mode; the privileged
 * Message Content intent only with ask channels, because Discord delivers the
 * content of DMs and of messages that mention the bot without it.
 */
export function intentsFor(config: Pick<DiscordConfig, 'chatMode' | 'askChannelIds'>): GatewayIntentBits[] {
  const intents = [GatewayIntentBits.Guilds];
  if (config.chatMode) {
    intents.push(GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages);
    if (config.askChannelIds.size > 0) intents.push(GatewayIntentBits.MessageContent);
  }
  return intents;
}

/** The client's options: intents for `config`, DMs let through, nobody pinged, Discord's 429s and 5xxs logged. */
export function clientOptionsFor(config: DiscordConfig, logger: Logger): ClientOptions {
  return {
    intents: intentsFor(config),
    // DMs arrive on channels the client has not cached; Partials.Channel lets them through.
    partials: [Partials.Channel, Partials.Message],
    allowedMentions: NO_MENTIONS,
    rest: {
      ...(config.apiUrl ? { api: config.apiUrl } : {}),
      // discord.js retries a 5xx answer (up to 3 times) without any event, and
      // waits out a 429 on an interaction reply without one either: note each
      // here so a flaky or throttling Discord leaves a trace. Only the route
      // (tokens masked) and status are logged, never the request.
      makeRequest: async (url, init) => {
        const response = await DefaultRestOptions.makeRequest(url, init);
        if (response.status === 429 || response.status >= 500) {
          const { headers } = response;
          logger.warn(
            {
              discord: {
                kind: response.status === 429 ? 'rate limited' : 'Discord server error',
                status: response.status,
                method: init.method ?? 'GET',
                route: routeOf(url),
                ...(response.status === 429
                  ? {
                      retryAfterMs: Math.round(Number(headers.get('retry-after') ?? 0) * 1000),
                      global: headers.has('x-ratelimit-global'),
                      scope: headers.get('x-ratelimit-scope') ?? 'user',
                    }
                  : {}),
              },
            },
            response.status === 429
              ? 'Discord answered 429 (rate limited); discord.js waits and retries'
              : `Discord answered ${response.status}; discord.js retries up to 3 times`,
          );
        }
        return response;
      },
    },
  };
}

/** A client for `config`, with discord.js's own rate-limit waits logged (debug: routine under a burst). */
export function createClient(config: DiscordConfig, logger: Logger): Client {
  const client = new Client(clientOptionsFor(config, logger));
  // discord.js holding a request back to stay within a limit (its own 50 requests/s, or a bucket Discord announced):
  // routine under a burst, so debug; an actual 429 from Discord is a warning, above.
  client.rest.on('rateLimited', (info) =>
    logger.debug(
      {
        discord: {
          kind: 'rate limited',
          route: info.route,
          method: info.method,
          retryAfterMs: info.retryAfter,
          global: info.global,
          scope: info.scope,
        },
      },
      'Discord rate limit hit; waiting',
    ),
  );
  return client;
}

/** Logs in and waits until the gateway reports the client ready; destroys the client and throws a LecternError on failure. */
export async function logIn(client: Client, token: string, readyTimeoutMs: number): Promise<void> {
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await client.login(token);
    await withTimeout(ready, readyTimeoutMs, 'Discord did not report the bot ready in time');
  } catch (error) {
    await client.destroy().catch(() => undefined);
    throw loginError(error);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new LecternError(message)), ms);
    }),
  ]);
}

/** One clear line for the failures a newcomer can fix; the token itself is never included. */
function loginError(error: unknown): Error {
  if (error instanceof LecternError) return error;
  const code = (error as { code?: string | number } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'TokenInvalid' || /401|invalid token/i.test(message)) {
    return new LecternError(
      'Discord rejected DISCORD_TOKEN. Copy a fresh token from the Developer Portal (Bot → Reset Token) into .env.',
    );
  }
  if (code === 'DisallowedIntents' || /disallowed intent|4014/i.test(message)) {
    return new LecternError(
      'Discord refused the Message Content intent, which ASK_CHANNEL_IDS needs. Enable it in the Developer Portal (Bot → Privileged Gateway Intents), or leave ASK_CHANNEL_IDS empty.',
    );
  }
  return new LecternError(
    `Could not connect to Discord: ${message.replace(/[\w-]{24,}\.[\w-]{6,}\.[\w-]{27,}/g, '[token]')}`,
  );
}

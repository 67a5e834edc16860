/**
 * Starts Lectern's Discord bot: a discord.js client wired to the engine.
 *
 * @example
 * const lectern = await Lectern.open();
 * const bot = await startBot(lectern, { logger });
 * // … later
 * await bot.stop();
 */
import {
  Client,
  DefaultRestOptions,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Partials,
  type ClientOptions,
  type Interaction,
} from 'discord.js';
import pino, { type Logger } from 'pino';
import { LecternError } from '../errors.js';
import { handleButton } from './button-handlers.js';
import { handleMessage } from './chat.js';
import { commandsByName } from './commands/index.js';
import { loadDiscordConfig, type DiscordConfig } from './config.js';
import { BotContext } from './context.js';
import type { BotEngine } from './engine.js';
import { apologise, interactionContext, logFailure, NO_MENTIONS, routeOf } from './respond.js';

export interface StartBotOptions {
  /** Where settings are read from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /**
   * Defer an interaction when its answer takes longer than this (default
   * 1,200 ms), leaving room in Discord's 3-second window for the network.
   */
  deferAfterMs?: number;
  /** Stop on SIGINT/SIGTERM, close the engine and exit (default true; tests turn it off). */
  handleSignals?: boolean;
  /** Give up if the gateway is not ready after this long (default 60 s). */
  readyTimeoutMs?: number;
}

export interface RunningBot {
  client: Client;
  config: DiscordConfig;
  /** Stops taking new questions, waits (bounded by SHUTDOWN_TIMEOUT_SECONDS) for answers in progress, disconnects. Idempotent. */
  stop(): Promise<void>;
}

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

/**
 * Logs in and starts answering. Resolves once the bot is connected and ready.
 * Throws a LecternError with one line for bad settings, a rejected token, or
 * intents not enabled in the Developer Portal.
 */
export async function startBot(lectern: BotEngine, options: StartBotOptions = {}): Promise<RunningBot> {
  const config = loadDiscordConfig(options.env ?? process.env);
  const logger = (options.logger ?? pino({ name: 'lectern' })).child({ component: 'discord' });
  const bot = new BotContext(lectern, config, logger, options.deferAfterMs ?? 1200);

  const clientOptions: ClientOptions = {
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
                  ? { retryAfterMs: Math.round(Number(headers.get('retry-after') ?? 0) * 1000), global: headers.has('x-ratelimit-global'), scope: headers.get('x-ratelimit-scope') ?? 'user' }
                  : {}),
              },
            },
            response.status === 429 ? 'Discord answered 429 (rate limited); discord.js waits and retries' : `Discord answered ${response.status}; discord.js retries up to 3 times`,
          );
        }
        return response;
      },
    },
  };
  const client = new Client(clientOptions);

  client.on(Events.InteractionCreate, (interaction) => {
    void bot.track(() => onInteraction(interaction, bot));
  });
  client.on(Events.MessageCreate, (message) => {
    void bot.track(() => handleMessage(message, bot));
  });
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ discord: message }, 'discord client warning'));
  client.on(Events.ShardError, (error, shard) => logger.warn({ err: error, shard }, 'gateway connection error'));
  // client.destroy() at shutdown also emits these; only a live bot's connection trouble is news.
  client.on(Events.ShardDisconnect, (event, shard) => {
    if (!bot.closing) logger.warn({ code: event.code, shard }, 'gateway disconnected');
  });
  client.on(Events.ShardReconnecting, (shard) => {
    if (!bot.closing) logger.info({ shard }, 'gateway reconnecting');
  });
  client.on(Events.ShardResume, (shard, replayed) => logger.info({ shard, replayed }, 'gateway resumed'));
  // discord.js holding a request back to stay within a limit (its own 50 requests/s, or a bucket Discord announced):
  // routine under a burst, so debug; an actual 429 from Discord is a warning, above.
  client.rest.on('rateLimited', (info) =>
    logger.debug({ discord: { kind: 'rate limited', route: info.route, method: info.method, retryAfterMs: info.retryAfter, global: info.global, scope: info.scope } }, 'Discord rate limit hit; waiting'),
  );

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await client.login(config.token);
    await withTimeout(ready, options.readyTimeoutMs ?? 60_000, 'Discord did not report the bot ready in time');
  } catch (error) {
    await client.destroy().catch(() => undefined);
    throw loginError(error);
  }
  logger.info(
    {
      user: client.user?.tag,
      application: client.application?.id,
      guilds: client.guilds.cache.size,
      chatMode: config.chatMode,
      askChannels: config.askChannelIds.size,
      intents: clientOptions.intents,
    },
    'Lectern is online on Discord',
  );

  let stopping: Promise<void> | undefined;
  const signals: Array<[NodeJS.Signals, () => void]> = [];
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      bot.closing = true;
      const left = await bot.drain(config.shutdownTimeoutMs);
      if (left > 0) logger.warn({ inFlight: left }, 'shutting down with answers still in progress');
      await client.destroy();
      // Only now: a signal during the drain must find a handler (see below).
      for (const [signal, handler] of signals) process.off(signal, handler);
      logger.info('disconnected from Discord');
    })());

  if (options.handleSignals ?? true) {
    let exiting = false;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      // Listening with `on`, not `once`: signals often come twice. Ctrl-C on
      // `npm start` sends SIGINT to the whole process group and npm forwards
      // its own copy; process managers repeat SIGTERM. With no listener left,
      // the second one killed the process mid-drain and dropped the answers
      // in flight. The drain is bounded by SHUTDOWN_TIMEOUT_SECONDS anyway;
      // SIGKILL remains for the impatient.
      const handler = (): void => {
        if (exiting) {
          logger.info({ signal, waitMs: config.shutdownTimeoutMs }, 'already shutting down; finishing the answers in progress first');
          return;
        }
        exiting = true;
        logger.info({ signal }, 'shutting down');
        void stop()
          .then(() => lectern.close())
          .catch((error: unknown) => logger.error({ err: error }, 'error during shutdown'))
          .finally(() => process.exit(0));
      };
      process.on(signal, handler);
      signals.push([signal, handler]);
    }
  }
  return { client, config, stop };
}

/** Dispatches an interaction to its command or button handler; failures become an apology and a log line. */
async function onInteraction(interaction: Interaction, bot: BotContext): Promise<void> {
  try {
    if (interaction.isChatInputCommand()) {
      const command = commandsByName.get(interaction.commandName);
      if (!command) {
        bot.logger.warn({ command: interaction.commandName }, 'unknown command (run npm run deploy-commands?)');
        await interaction.reply({ content: 'I don’t know that command any more.', flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
        return;
      }
      await command.execute(interaction, bot);
    } else if (interaction.isAutocomplete()) {
      await commandsByName.get(interaction.commandName)?.autocomplete?.(interaction, bot);
    } else if (interaction.isButton()) {
      await handleButton(interaction, bot);
    }
  } catch (error) {
    if (interaction.isAutocomplete()) {
      logFailure(bot.logger, error, { interaction: interaction.id, command: interaction.commandName }, 'autocomplete failed');
      return;
    }
    if (!interaction.isRepliable()) return;
    logFailure(bot.logger, error, interactionContext(interaction), 'interaction failed');
    await apologise(interaction, true).catch((again: unknown) => logFailure(bot.logger, again, interactionContext(interaction), 'could not apologise'));
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
    return new LecternError('Discord rejected DISCORD_TOKEN. Copy a fresh token from the Developer Portal (Bot → Reset Token) into .env.');
  }
  if (code === 'DisallowedIntents' || /disallowed intent|4014/i.test(message)) {
    return new LecternError(
      'Discord refused the Message Content intent, which ASK_CHANNEL_IDS needs. Enable it in the Developer Portal (Bot → Privileged Gateway Intents), or leave ASK_CHANNEL_IDS empty.',
    );
  }
  return new LecternError(`Could not connect to Discord: ${message.replace(/[\w-]{24,}\.[\w-]{6,}\.[\w-]{27,}/g, '[token]')}`);
}

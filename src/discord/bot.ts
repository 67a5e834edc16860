/**
 * Starts Lectern's Discord bot: a discord.js client wired to the engine.
 * The client is made in client.ts, the handlers are the modules in events/,
 * and everything they share is the BotRuntime (runtime.ts).
 *
 * @example
 * const lectern = await Lectern.open();
 * const bot = await startBot(lectern, { logger });
 * // … later
 * await bot.stop();
 */
import type { Client } from 'discord.js';
import pino, { type Logger } from 'pino';
import { systemClock, type Clock } from '../club/clock.js';
import { ReminderScheduler } from '../club/reminders.js';
import { loadStoreConfig } from '../store/config.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/types.js';
import { createClient, intentsFor, logIn } from './client.js';
import { loadDiscordConfig, type DiscordConfig } from './config.js';
import { loadLibrariesConfig, ServerLibraries, type BotLibraries, type ServingEngine } from './engine.js';
import { listenToEvents } from './events/index.js';
import { describeError } from './log-failure.js';
import { keepServingThroughErrors } from './process-errors.js';
import { resumeLibraryBuilds } from './library-builds.js';
import { postReminder } from './reminders.js';
import { BotRuntime } from './runtime.js';
import { stopOnSignals } from './shutdown.js';

export { intentsFor } from './client.js';

/** Every default of {@link startBot}, with the reason for it. */
export const BOT_DEFAULTS = {
  /**
   * Defer an interaction ("thinking…") when its answer is not ready after this long: Discord allows 3 s
   * in all, and the rest is left for the network.
   * @default 1200
   */
  deferAfterMs: 1200,
  /**
   * Stop cleanly on SIGINT/SIGTERM; tests turn it off, since they share one process.
   * @default true
   */
  handleSignals: true,
  /**
   * Give up when the gateway has not reported the bot ready after this long: a healthy login takes a second or two.
   * @default 60000
   */
  readyTimeoutMs: 60_000,
} as const;

export interface StartBotOptions {
  /** Where settings are read from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** See {@link BOT_DEFAULTS}. */
  deferAfterMs?: number;
  /** See {@link BOT_DEFAULTS}. */
  handleSignals?: boolean;
  /**
   * Log unhandled rejections and uncaught exceptions anywhere in the process and keep serving (process-errors.ts).
   * Default: the value of `handleSignals`, i.e. when the bot owns the process (tests share theirs with the runner).
   */
  handleProcessErrors?: boolean;
  /** See {@link BOT_DEFAULTS}. */
  readyTimeoutMs?: number;
  /**
   * Clubs and bookmarks. Default: the store `env` names (`DATABASE_URL`, else SQLite under
   * `LECTERN_DATA_DIR`), opened here and closed by stop(); a store passed in is left open.
   */
  store?: Store;
  /** The time clubs and reminders run on. Default: the system clock; tests pass a FakeClock. */
  clock?: Clock;
  /**
   * Per-server libraries. Default: made here over `lectern` and the store, with the settings `env`
   * names (src/libraries/config.ts), and closed by stop().
   */
  libraries?: BotLibraries;
}

export interface RunningBot {
  client: Client;
  config: DiscordConfig;
  store: Store;
  clock: Clock;
  libraries: BotLibraries;
  /** Stops taking new questions, waits (bounded by SHUTDOWN_TIMEOUT_SECONDS) for answers in progress, disconnects. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Logs in and starts answering. Resolves once the bot is connected and ready.
 * Throws a LecternError with one line for bad settings, a rejected token, or
 * intents not enabled in the Developer Portal.
 */
export async function startBot(lectern: ServingEngine, options: StartBotOptions = {}): Promise<RunningBot> {
  const env = options.env ?? process.env;
  const config = loadDiscordConfig(env);
  const logger = (options.logger ?? pino({ name: 'lectern' })).child({ component: 'discord' });
  const store = options.store ?? (await openStore(loadStoreConfig(env)));
  const closeStore = options.store ? async () => undefined : () => store.close();
  const clock = options.clock ?? systemClock;
  const libraries =
    options.libraries ??
    new ServerLibraries(lectern, store, loadLibrariesConfig(env), (event, fields) => {
      const { error, ...rest } = fields;
      logger.info({ event, ...rest, ...(error ? { err: describeError(error) } : {}) }, event.replaceAll('_', ' '));
    });
  let client: Client | undefined;
  const reminders = new ReminderScheduler({
    store,
    clock,
    post: async (club, week) => {
      const place = await bot.in(club.guildId);
      try {
        await postReminder(client!, place.library, club, week);
      } finally {
        place.release();
      }
    },
    onError: (error, club) =>
      logger.warn(
        {
          event: 'reminder_failed',
          ...(club ? { guild: club.guildId, channel: club.channelId } : {}),
          err: describeError(error),
        },
        'a club reminder could not be posted',
      ),
  });
  const bot = new BotRuntime(
    lectern,
    config,
    logger,
    options.deferAfterMs ?? BOT_DEFAULTS.deferAfterMs,
    store,
    clock,
    libraries,
    () => reminders.wake(),
  );
  const ownsProcess = options.handleSignals ?? BOT_DEFAULTS.handleSignals;
  // Installed before login: a malformed frame can arrive with the very first events.
  const removeErrorHandlers =
    (options.handleProcessErrors ?? ownsProcess) ? keepServingThroughErrors(logger) : () => undefined;
  client = createClient(config, logger);
  listenToEvents(client, bot);
  try {
    await logIn(client, config.token, options.readyTimeoutMs ?? BOT_DEFAULTS.readyTimeoutMs);
  } catch (error) {
    removeErrorHandlers();
    await closeStore();
    throw error;
  }
  // After login: a reminder that fell due while the bot was down is posted now, once.
  reminders.start();
  // Books a restart interrupted are built again, and their progress messages say so.
  void resumeLibraryBuilds(client, bot).catch((error: unknown) =>
    logger.error({ event: 'library_resume_failed', err: describeError(error) }, 'could not resume library builds'),
  );
  logger.info(
    {
      user: client.user?.tag,
      application: client.application?.id,
      guilds: client.guilds.cache.size,
      chatMode: config.chatMode,
      askChannels: config.askChannelIds.size,
      intents: intentsFor(config),
    },
    'Lectern is online on Discord',
  );

  let stopping: Promise<void> | undefined;
  let removeSignalHandlers = (): void => undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      bot.closing = true;
      await reminders.stop();
      // A build under way stops and stays queued (the next start builds it again); its progress message
      // says so, and that edit is waited for with the answers in progress.
      if (!options.libraries) await libraries.close();
      const left = await bot.drain(config.shutdownTimeoutMs);
      if (left > 0) logger.warn({ inFlight: left }, 'shutting down with answers still in progress');
      await client!.destroy();
      await closeStore();
      // Only now: a signal during the drain must find a handler (see shutdown.ts).
      removeSignalHandlers();
      removeErrorHandlers();
      logger.info('disconnected from Discord');
    })());
  if (ownsProcess) {
    removeSignalHandlers = stopOnSignals({
      logger,
      waitMs: config.shutdownTimeoutMs,
      stop,
      close: () => lectern.close(),
    });
  }
  return { client, config, store, clock, libraries, stop };
}

/**
 * Errors nothing else caught, anywhere in the process. A malformed gateway
 * payload makes discord.js reject inside its own event handling (measured
 * against the fake Discord: a MESSAGE_CREATE, INTERACTION_CREATE or
 * CHANNEL_CREATE whose data is null), and Node's default for an unhandled
 * rejection or exception is to exit: one bad frame took the bot down. Here
 * each one is logged and the bot keeps serving; it exits (code 1, for the
 * process manager to restart it) only on what cannot be recovered: running
 * out of memory, or a burst of uncaught exceptions that says the process is
 * no longer in a state worth trusting.
 */
import type { Logger } from 'pino';
import { describeError } from './log-failure.js';

/** Every default of {@link keepServingThroughErrors}, with the reason for it. */
export const PROCESS_ERROR_DEFAULTS = {
  /**
   * Uncaught exceptions tolerated within `burstWindowMs` before exiting: a few stray ones are bad input, a steady
   * stream is a broken process that a restart fixes.
   * @default 10
   */
  maxUncaughtInBurst: 10,
  /**
   * The window over which uncaught exceptions are counted.
   * @default 60000
   */
  burstWindowMs: 60_000,
} as const;

/** Error codes after which the process cannot be trusted to go on. */
const FATAL_CODES = new Set(['ENOMEM', 'ERR_WORKER_OUT_OF_MEMORY']);

/**
 * Installs process-wide handlers for unhandled rejections and uncaught
 * exceptions. Returns a function that removes them.
 */
export function keepServingThroughErrors(
  logger: Logger,
  options: { exit?: (code: number) => void } & Partial<typeof PROCESS_ERROR_DEFAULTS> = {},
): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const maxInBurst = options.maxUncaughtInBurst ?? PROCESS_ERROR_DEFAULTS.maxUncaughtInBurst;
  const windowMs = options.burstWindowMs ?? PROCESS_ERROR_DEFAULTS.burstWindowMs;
  let recent: number[] = [];

  const onRejection = (reason: unknown): void => {
    logger.error(
      { event: 'unhandled_rejection', err: describeError(reason) },
      'unhandled promise rejection; still serving',
    );
  };
  const onException = (error: Error, origin: string): void => {
    const now = Date.now();
    recent = [...recent.filter((t) => now - t < windowMs), now];
    const code = (error as { code?: unknown }).code;
    const fatal = (typeof code === 'string' && FATAL_CODES.has(code)) || recent.length > maxInBurst;
    if (!fatal) {
      logger.error(
        { event: 'uncaught_exception', origin, err: describeError(error) },
        'uncaught exception; still serving',
      );
      return;
    }
    logger.fatal(
      { event: 'uncaught_exception', origin, err: describeError(error), inLastMinute: recent.length },
      'unrecoverable error; exiting so the process manager can restart the bot',
    );
    exit(1);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}

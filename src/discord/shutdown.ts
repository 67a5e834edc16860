/**
 * Stopping on SIGINT/SIGTERM: finish the answers in progress (bounded by
 * SHUTDOWN_TIMEOUT_SECONDS), disconnect, close the engine, exit.
 */
import type { Logger } from 'pino';

/**
 * Calls `stop` then `close` on the first SIGINT or SIGTERM, then exits.
 * Returns a function that removes the handlers.
 */
export function stopOnSignals(options: {
  logger: Logger;
  waitMs: number;
  stop: () => Promise<void>;
  close: () => Promise<void>;
}): () => void {
  const { logger, waitMs, stop, close } = options;
  const signals: Array<[NodeJS.Signals, () => void]> = [];
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
        logger.info({ signal, waitMs }, 'already shutting down; finishing the answers in progress first');
        return;
      }
      exiting = true;
      logger.info({ signal }, 'shutting down');
      void stop()
        .then(close)
        .catch((error: unknown) => logger.error({ err: error }, 'error during shutdown'))
        .finally(() => process.exit(0));
    };
    process.on(signal, handler);
    signals.push([signal, handler]);
  }
  return () => {
    for (const [signal, handler] of signals) process.off(signal, handler);
  };
}

/**
 * A gateway event module, shaped like the discord.js guide's: the event's
 * name and what to do. {@link listen} is the one place handlers are
 * attached, and the one error boundary: every handler runs through
 * `bot.track`, which counts it as in flight (shutdown waits for it) and logs
 * anything it throws instead of letting it reach the process.
 */
import type { Client, ClientEvents } from 'discord.js';
import type { BotRuntime } from '../runtime.js';

export interface BotEvent {
  readonly name: keyof ClientEvents;
  /** Attaches the handler to `client`. */
  listen(client: Client, bot: BotRuntime): void;
}

/** Defines an event module: `name` and its handler, attached with the error boundary. */
export function defineEvent<E extends keyof ClientEvents>(
  name: E,
  execute: (bot: BotRuntime, ...args: ClientEvents[E]) => void | Promise<void>,
): BotEvent {
  return {
    name,
    listen(client, bot) {
      client.on(name, (...args: ClientEvents[E]) => {
        void bot.track(async () => execute(bot, ...args));
      });
    },
  };
}

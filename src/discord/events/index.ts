/**
 * Every gateway event the bot listens to, one module each.
 */
import type { Client } from 'discord.js';
import type { BotRuntime } from '../runtime.js';
import { error } from './error.js';
import type { BotEvent } from './event.js';
import { interactionCreate } from './interaction-create.js';
import { messageCreate } from './message-create.js';
import { shardDisconnect } from './shard-disconnect.js';
import { shardError } from './shard-error.js';
import { shardReconnecting } from './shard-reconnecting.js';
import { shardResume } from './shard-resume.js';
import { warn } from './warn.js';

export const events: readonly BotEvent[] = [
  interactionCreate,
  messageCreate,
  error,
  warn,
  shardError,
  shardDisconnect,
  shardReconnecting,
  shardResume,
];

/** Attaches every event handler to `client`. */
export function listenToEvents(client: Client, bot: BotRuntime): void {
  for (const event of events) event.listen(client, bot);
}

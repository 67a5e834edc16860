import { Events } from 'discord.js';
import { defineEvent } from './event.js';

/** The gateway connection failed; discord.js reconnects. */
export const shardError = defineEvent(Events.ShardError, (bot, err, shard) =>
  bot.logger.warn({ err, shard }, 'gateway connection error'),
);

import { Events } from 'discord.js';
import { defineEvent } from './event.js';

/** discord.js is reconnecting to the gateway (not news while shutting down). */
export const shardReconnecting = defineEvent(Events.ShardReconnecting, (bot, shard) => {
  if (!bot.closing) bot.logger.info({ shard }, 'gateway reconnecting');
});

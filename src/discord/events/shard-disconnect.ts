import { Events } from 'discord.js';
import { defineEvent } from './event.js';

/** The gateway closed. client.destroy() at shutdown also emits this; only a live bot's connection trouble is news. */
export const shardDisconnect = defineEvent(Events.ShardDisconnect, (bot, event, shard) => {
  if (!bot.closing) bot.logger.warn({ code: event.code, shard }, 'gateway disconnected');
});

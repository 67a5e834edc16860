import { Events } from 'discord.js';
import { defineEvent } from './event.js';

/** The gateway session resumed, replaying the events missed meanwhile. */
export const shardResume = defineEvent(Events.ShardResume, (bot, shard, replayed) =>
  bot.logger.info({ shard, replayed }, 'gateway resumed'),
);

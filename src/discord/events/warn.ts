import { Events } from 'discord.js';
import { defineEvent } from './event.js';

/** A warning from discord.js. */
export const warn = defineEvent(Events.Warn, (bot, message) =>
  bot.logger.warn({ discord: message }, 'discord client warning'),
);

import { Events } from 'discord.js';
import { defineEvent } from './event.js';

/** An error discord.js reports (e.g. from the WebSocket); the client carries on. */
export const error = defineEvent(Events.Error, (bot, err) => bot.logger.error({ err }, 'discord client error'));

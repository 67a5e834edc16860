/**
 * `npm start`: the Discord bot when DISCORD_TOKEN is set; otherwise, in a
 * terminal, an interactive chat over the same engine.
 */
import { pino } from 'pino';
import { loadCoreConfig } from '../config.js';
import { LecternError } from '../errors.js';
import { Lectern } from '../lectern.js';
import { runTerminalChat } from './chat.js';
import { runMain } from './run.js';

runMain(async () => {
  const config = loadCoreConfig();
  const token = process.env.DISCORD_TOKEN?.trim();
  const interactive = process.stdin.isTTY && process.stdout.isTTY;
  if (!token && !interactive) {
    throw new LecternError('No DISCORD_TOKEN is set and there is no terminal to chat in. Set DISCORD_TOKEN in .env to run the Discord bot (see README), or run `npm start` in a terminal for the chat.');
  }
  // JSON logs are for the bot (log collectors read them); a person at the terminal gets a sentence.
  const logger = token ? pino({ level: config.logLevel, redact: ['token', '*.token', 'headers.authorization'] }, pino.destination(2)) : undefined;
  const lectern = await Lectern.open({
    onStale: 'rebuild',
    onRebuild: (reasons) => {
      if (logger) logger.warn({ reasons }, 'index out of date; rebuilding it');
      else process.stderr.write(`lectern: rebuilding the index (${reasons.join('; ')})…\n`);
    },
  });
  if (token && logger) {
    const { startBot } = await import('../discord/bot.js');
    await startBot(lectern, { env: process.env, logger });
    return; // the bot keeps the process alive and handles its own shutdown
  }
  await runTerminalChat(lectern);
  await lectern.close();
  return 0;
});

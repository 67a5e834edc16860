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
    throw new LecternError(
      'No DISCORD_TOKEN is set and there is no terminal to chat in. Set DISCORD_TOKEN in .env to run the Discord bot (see README), or run `npm start` in a terminal for the chat.',
    );
  }
  // JSON logs are for the bot (log collectors read them); a person at the terminal gets a sentence.
  const logger = token
    ? pino({ level: config.logLevel, redact: ['token', '*.token', 'headers.authorization'] }, pino.destination(2))
    : undefined;
  const say = (line: string) => process.stderr.write(`lectern: ${line}\n`);
  // A stale index that still loads is served at once while a worker thread rebuilds it; the new one is swapped in when ready.
  const lectern = await Lectern.open({
    onStale: 'background',
    onRebuild: (reasons) => {
      if (logger)
        logger.warn(
          { reasons },
          'index out of date; rebuilding it (answers come from the current index until the new one is ready)',
        );
      else say(`rebuilding the index (${reasons.join('; ')})…`);
    },
    onSwap: (outcome) => {
      if ('manifest' in outcome) {
        if (logger)
          logger.warn(
            { buildId: outcome.manifest.buildId, units: outcome.manifest.counts.units },
            'rebuilt index now in use',
          );
        else say(`the rebuilt index is now in use (${outcome.manifest.counts.units} units).`);
      } else if (logger)
        logger.error({ reason: outcome.error }, 'rebuilding the index failed; still answering from the previous one');
      else say(`rebuilding the index failed (${outcome.error}); still answering from the previous one.`);
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

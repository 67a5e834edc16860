/**
 * `npm start`: the Discord bot when DISCORD_TOKEN is set; otherwise, in a
 * terminal, an interactive chat over the same engine.
 */
import { pino } from 'pino';
import { loadCoreConfig } from '../config.js';
import { LecternError } from '../errors.js';
import { Lectern } from '../lectern.js';
import { buildProgress, type BuildProgress } from './build-progress.js';
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
  // With nothing loadable, the build comes first, shown as `npm run embed` shows it (a bar on a terminal, log lines for the bot).
  let progress: BuildProgress | undefined;
  const lectern = await Lectern.open({
    onStale: 'background',
    onRebuild: (reasons, mode) => {
      if (mode === 'before-serving') {
        progress = buildProgress(logger ? { line: (text) => logger.info(text) } : {});
        if (logger)
          logger.warn({ reasons }, 'no usable index; building it first (the bot connects when the build is done)');
        else say(`building the index (${reasons.join('; ')}). The chat will start when the build is done.`);
      } else if (logger)
        logger.warn(
          { reasons },
          'index out of date; rebuilding it (answers come from the current index until the new one is ready)',
        );
      else say(`rebuilding the index (${reasons.join('; ')})…`);
    },
    // Only a build that answers wait for is shown: a bar under the chat's prompt would garble it.
    onBuildEvent: (event) => progress?.onEvent(event),
    onSwap: (outcome) => {
      if ('manifest' in outcome) {
        if (logger)
          logger.warn(
            { buildId: outcome.manifest.buildId, units: outcome.manifest.counts.units },
            'rebuilt index now in use',
          );
        else say(`a new build of the index is now in use (${outcome.manifest.counts.units} units).`);
      } else if (logger)
        logger.error({ reason: outcome.error }, 'rebuilding the index failed; still answering from the previous one');
      else say(`rebuilding the index failed (${outcome.error}); still answering from the previous one.`);
    },
  });
  progress?.stop();
  progress = undefined;
  if (token && logger) {
    const { startBot } = await import('../discord/bot.js');
    await startBot(lectern, { env: process.env, logger });
    return; // the bot keeps the process alive and handles its own shutdown
  }
  await runTerminalChat(lectern);
  await lectern.close();
  return 0;
});

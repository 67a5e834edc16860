/** `npm run deploy-commands`: registers Lectern's slash commands (to DISCORD_GUILD_ID if set, else globally). */
import { runMain } from '../src/cli/run.js';
import { deployCommands } from '../src/discord/deploy.js';

runMain(async () => {
  const result = await deployCommands();
  const where =
    result.scope === 'guild'
      ? `to server ${result.guildId} (available now)`
      : 'globally (Discord can take up to an hour to show them everywhere)';
  process.stdout.write(
    `Registered ${result.commands.length} commands ${where}: ${result.commands.map((c) => `/${c}`).join(', ')}\n`,
  );
});

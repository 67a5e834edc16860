/** `npm run deploy-commands`: registers Lectern's slash commands (to DISCORD_GUILD_ID if set, else globally). */
import { DiscordAPIError } from 'discord.js';
import { runMain } from '../src/cli/run.js';
import { deployCommands } from '../src/discord/deploy.js';
import { LecternError } from '../src/errors.js';

runMain(async () => {
  try {
    const result = await deployCommands();
    const where =
      result.scope === 'guild'
        ? `to server ${result.guildId} (available now)`
        : 'globally (Discord can take up to an hour to show them everywhere)';
    process.stdout.write(
      `Registered ${result.commands.length} commands ${where}: ${result.commands.map((c) => `/${c}`).join(', ')}\n`,
    );
  } catch (error) {
    if (error instanceof DiscordAPIError) {
      const hint =
        error.status === 401
          ? 'Discord rejected DISCORD_TOKEN; copy a fresh one from the Developer Portal.'
          : error.status === 403 || error.code === 50001
            ? 'The bot is not in that server, or DISCORD_CLIENT_ID is not this bot’s application id. Invite it first (see docs/discord.md).'
            : `Discord said: ${error.message}`;
      throw new LecternError(`Could not register the commands. ${hint}`);
    }
    throw error;
  }
});

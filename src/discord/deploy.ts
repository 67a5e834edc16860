/**
 * Registers the slash commands with Discord: to one guild when
 * DISCORD_GUILD_ID is set (changes show up at once, good for trying things),
 * else globally (every server the bot is in; Discord may take a while to
 * show changes).
 */
import { REST, Routes } from 'discord.js';
import { commandDefinitions } from './commands/index.js';
import { loadDiscordConfig } from './config.js';

export interface DeployResult {
  scope: 'guild' | 'global';
  guildId?: string;
  /** Names of the commands Discord now has. */
  commands: string[];
}

/** Replaces the application's commands (in the guild, or globally) with Lectern's. */
export async function deployCommands(env: NodeJS.ProcessEnv = process.env): Promise<DeployResult> {
  const config = loadDiscordConfig(env, { requireClientId: true });
  const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
  const body = commandDefinitions();
  const clientId = config.clientId!;
  const route = config.guildId
    ? Routes.applicationGuildCommands(clientId, config.guildId)
    : Routes.applicationCommands(clientId);
  // PUT replaces the whole set, so commands removed from Lectern disappear from Discord too.
  const registered = (await rest.put(route, { body })) as Array<{ name: string }>;
  return {
    scope: config.guildId ? 'guild' : 'global',
    ...(config.guildId ? { guildId: config.guildId } : {}),
    commands: registered.map((c) => c.name),
  };
}

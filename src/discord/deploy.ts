/**
 * Registers the slash commands with Discord: to one guild when
 * DISCORD_GUILD_ID is set (changes show up at once, good for trying things),
 * else globally (every server the bot is in; Discord may take a while to
 * show changes).
 */
import { DiscordAPIError, REST, Routes } from 'discord.js';
import { LecternError } from '../errors.js';
import { commandDefinitions } from './commands/index.js';
import { loadDiscordConfig } from './config.js';

/**
 * How long registering may take before it is given up. Discord answers in well under a second; a
 * connection the network drops after the request was sent (measured: a server that closes every
 * connection) left discord.js's request pending with nothing keeping Node alive, so the command exited
 * 0 after ~17 s without a word. A pending timer keeps the process alive until the failure is said.
 */
const DEPLOY_DEADLINE_MS = 20_000;

export interface DeployResult {
  scope: 'guild' | 'global';
  guildId?: string;
  /** Names of the commands Discord now has. */
  commands: string[];
}

/**
 * Replaces the application's commands (in the guild, or globally) with Lectern's. Every failure Discord
 * or the network can cause is a LecternError with one line naming the fix, as `npm start` gives for the
 * same failure; the token is never in it.
 */
export async function deployCommands(env: NodeJS.ProcessEnv = process.env): Promise<DeployResult> {
  const config = loadDiscordConfig(env, { requireClientId: true });
  const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
  const body = commandDefinitions();
  const clientId = config.clientId!;
  const route = config.guildId
    ? Routes.applicationGuildCommands(clientId, config.guildId)
    : Routes.applicationCommands(clientId);
  // PUT replaces the whole set, so commands removed from Lectern disappear from Discord too.
  let registered: Array<{ name: string }>;
  try {
    registered = (await withDeadline(rest.put(route, { body }), DEPLOY_DEADLINE_MS)) as Array<{ name: string }>;
  } catch (error) {
    throw deployError(error, config.token);
  }
  return {
    scope: config.guildId ? 'guild' : 'global',
    ...(config.guildId ? { guildId: config.guildId } : {}),
    commands: registered.map((c) => c.name),
  };
}

function deployError(error: unknown, token: string): LecternError {
  if (error instanceof LecternError) return error;
  if (error instanceof DiscordAPIError) {
    const hint =
      error.status === 401
        ? 'Discord rejected DISCORD_TOKEN; copy a fresh one from the Developer Portal.'
        : error.status === 403 || error.code === 50001
          ? 'The bot is not in that server, or DISCORD_CLIENT_ID is not this bot’s application id. Invite it first (see docs/discord.md).'
          : `Discord said: ${error.message}`;
    return new LecternError(`Could not register the commands. ${hint}`);
  }
  // Not an answer from Discord: no network, DNS, a dropped connection, a 5xx page. Said as npm start says it.
  const cause = (error as { cause?: unknown } | null)?.cause;
  const message = [error, cause]
    .filter((e): e is Error => e instanceof Error)
    .map((e) => e.message)
    .filter((m, i, all) => m && all.indexOf(m) === i)
    .join(': ');
  return new LecternError(`Could not connect to Discord: ${(message || String(error)).split(token).join('[token]')}`);
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(
        () => reject(new LecternError(`Could not connect to Discord: no answer within ${ms / 1000} s.`)),
        ms,
      );
    }),
  ]);
}

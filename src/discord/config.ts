import { z } from 'zod';
import { envBoolean, envInteger, parseEnv } from '../env.js';
import { LecternError } from '../errors.js';

/** A Discord id: 17–20 digits. */
const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17–20 digits)');

/** Every default of the Discord settings, with the reason for it. */
export const DISCORD_DEFAULTS = {
  /**
   * Answer mentions, DMs, replies and ask-channel messages: what members of a reading group try first. `CHAT_MODE`.
   * @default true
   */
  chatMode: true,
  /**
   * At most this many questions per user per window: enough for a conversation, not for flooding the engine,
   * which answers one question at a time. `RATE_LIMIT_COUNT`.
   * @default 5
   */
  rateLimitCount: 5,
  /**
   * The window of the rate limit, in seconds. `RATE_LIMIT_WINDOW_SECONDS`.
   * @default 30
   */
  rateLimitWindowSeconds: 30,
  /**
   * Question text stays out of the logs: reading groups may discuss private matters. `LOG_QUESTIONS`.
   * @default false
   */
  logQuestions: false,
  /**
   * Long enough for the answers in progress (a question takes well under a second, bench/README.md),
   * short enough for a process manager's stop timeout. `SHUTDOWN_TIMEOUT_SECONDS`.
   * @default 10
   */
  shutdownTimeoutSeconds: 10,
} as const;

const DiscordEnv = z.object({
  DISCORD_TOKEN: z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? 'is required: copy the bot token from the Developer Portal (Bot → Reset Token)'
          : undefined,
    })
    .trim()
    .min(1, 'is required: copy the bot token from the Developer Portal (Bot → Reset Token)')
    .regex(/^[\w.-]+$/, 'does not look like a bot token (letters, digits, "." "_" "-" only)'),
  DISCORD_CLIENT_ID: snowflake.optional(),
  DISCORD_GUILD_ID: snowflake.optional(),
  DISCORD_API_URL: z
    .string()
    .trim()
    .url('must be a URL such as https://discord.com/api')
    .refine((u) => /^https?:\/\//.test(u), 'must start with http:// or https://')
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  ASK_CHANNEL_IDS: z
    .string()
    .transform((s) => s.split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(snowflake))
    .default([]),
  CHAT_MODE: envBoolean.default(DISCORD_DEFAULTS.chatMode),
  RATE_LIMIT_COUNT: envInteger(1, 1000).default(DISCORD_DEFAULTS.rateLimitCount),
  RATE_LIMIT_WINDOW_SECONDS: envInteger(1, 86_400).default(DISCORD_DEFAULTS.rateLimitWindowSeconds),
  LOG_QUESTIONS: envBoolean.default(DISCORD_DEFAULTS.logQuestions),
  SHUTDOWN_TIMEOUT_SECONDS: envInteger(1, 600).default(DISCORD_DEFAULTS.shutdownTimeoutSeconds),
  LIBRARY_ROLE_ID: snowflake.optional(),
});

/** The Discord bot's settings, validated. */
export interface DiscordConfig {
  token: string;
  /** Application id; the bot learns it at login, so only deploy-commands needs it up front. */
  clientId?: string;
  /** Register commands to this guild only (instant) instead of globally. */
  guildId?: string;
  /** REST base URL (without version), for proxies and the test fake. */
  apiUrl?: string;
  /** Channels where every message is a question. */
  askChannelIds: ReadonlySet<string>;
  /** Answer mentions, DMs, replies and ask-channel messages. */
  chatMode: boolean;
  rateLimit: { count: number; windowMs: number };
  /** Log question text (off by default: reading groups may discuss private matters). */
  logQuestions: boolean;
  /** How long shutdown waits for answers in progress. */
  shutdownTimeoutMs: number;
  /**
   * Members with this role may add and remove the server's books, besides those with Manage Server
   * (`LIBRARY_ROLE_ID`; a role of the same id in another server grants nothing there, ids are global).
   */
  libraryRoleId?: string;
}

/** Names of the variables this module reads, for docs and error messages. */
export const DISCORD_ENV_VARIABLES = Object.keys(DiscordEnv.shape);

/**
 * Reads and validates the Discord settings from `env` (blank means unset, see src/env.ts).
 * Throws a {@link LecternError} with one line naming the variable and the fix;
 * the message never contains the token's value.
 */
export function loadDiscordConfig(
  env: NodeJS.ProcessEnv = process.env,
  { requireClientId = false } = {},
): DiscordConfig {
  const e = parseEnv(DiscordEnv, env, 'Invalid Discord configuration');
  if (requireClientId && !e.DISCORD_CLIENT_ID) {
    throw new LecternError(
      'Invalid Discord configuration: DISCORD_CLIENT_ID is required: copy the Application ID from the Developer Portal (General Information).',
    );
  }
  return {
    token: e.DISCORD_TOKEN,
    ...(e.DISCORD_CLIENT_ID ? { clientId: e.DISCORD_CLIENT_ID } : {}),
    ...(e.DISCORD_GUILD_ID ? { guildId: e.DISCORD_GUILD_ID } : {}),
    ...(e.DISCORD_API_URL ? { apiUrl: e.DISCORD_API_URL } : {}),
    askChannelIds: new Set(e.ASK_CHANNEL_IDS),
    chatMode: e.CHAT_MODE,
    rateLimit: { count: e.RATE_LIMIT_COUNT, windowMs: e.RATE_LIMIT_WINDOW_SECONDS * 1000 },
    logQuestions: e.LOG_QUESTIONS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    ...(e.LIBRARY_ROLE_ID ? { libraryRoleId: e.LIBRARY_ROLE_ID } : {}),
  };
}

import { z } from 'zod';
import { LecternError } from '../errors.js';

/** A Discord id: 17–20 digits. */
const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17–20 digits)');

const bool = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']))
  .transform((v) => v === 'true' || v === '1' || v === 'yes' || v === 'on');

const positiveInt = (max: number) => z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(max, `must be at most ${max}`);

/** Blank values in .env ("FOO=") mean "not set", as most people expect. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const DiscordEnv = z.object({
  DISCORD_TOKEN: z
    .string()
    .trim()
    .min(1, 'is required: copy the bot token from the Developer Portal (Bot → Reset Token)')
    .regex(/^[\w.-]+$/, 'does not look like a bot token (letters, digits, "." "_" "-" only)'),
  DISCORD_CLIENT_ID: optional(snowflake),
  DISCORD_GUILD_ID: optional(snowflake),
  DISCORD_API_URL: optional(
    z
      .string()
      .trim()
      .url('must be a URL such as https://discord.com/api')
      .refine((u) => /^https?:\/\//.test(u), 'must start with http:// or https://')
      .transform((u) => u.replace(/\/+$/, '')),
  ),
  ASK_CHANNEL_IDS: optional(
    z
      .string()
      .transform((s) => s.split(/[\s,]+/).filter(Boolean))
      .pipe(z.array(snowflake)),
  ),
  CHAT_MODE: optional(bool),
  RATE_LIMIT_COUNT: optional(positiveInt(1000)),
  RATE_LIMIT_WINDOW_SECONDS: optional(positiveInt(86_400)),
  LOG_QUESTIONS: optional(bool),
  SHUTDOWN_TIMEOUT_SECONDS: optional(positiveInt(600)),
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
}

/** Names of the variables this module reads, for docs and error messages. */
export const DISCORD_ENV_VARIABLES = Object.keys(DiscordEnv.shape);

/**
 * Reads and validates the Discord settings from `env`.
 * Throws a {@link LecternError} with one line naming the variable and the fix;
 * the message never contains the token's value.
 */
export function loadDiscordConfig(env: NodeJS.ProcessEnv = process.env, { requireClientId = false } = {}): DiscordConfig {
  const parsed = DiscordEnv.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'configuration');
    const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
    throw new LecternError(`Invalid Discord configuration: ${name} ${message}. Fix it in .env (see .env.example).`);
  }
  const e = parsed.data;
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
    askChannelIds: new Set(e.ASK_CHANNEL_IDS ?? []),
    chatMode: e.CHAT_MODE ?? true,
    rateLimit: { count: e.RATE_LIMIT_COUNT ?? 5, windowMs: (e.RATE_LIMIT_WINDOW_SECONDS ?? 30) * 1000 },
    logQuestions: e.LOG_QUESTIONS ?? false,
    shutdownTimeoutMs: (e.SHUTDOWN_TIMEOUT_SECONDS ?? 10) * 1000,
  };
}

/**
 * The one admission step every request passes before the bot does any work,
 * shaped like Sapphire's preconditions: small named checks, run in order, the
 * first refusal wins. Slash commands, buttons and chat messages all go
 * through {@link admit}; only how a refusal is delivered differs (an
 * ephemeral notice for interactions, a reply in chat).
 */
import { PermissionFlagsBits, type PermissionsBitField, type RepliableInteraction } from 'discord.js';
import { MAX_QUESTION_LENGTH } from './engine.js';
import { replyNotice } from './reply.js';
import type { BotRuntime } from './runtime.js';

/** Who asks what, and where (for the log line of a refusal). */
export interface Candidate {
  userId: string;
  /** The question, for checks that look at it; absent for buttons that only browse. */
  question?: string;
  /** Fields locating the request in the logs (guild, channel, interaction or message id). */
  logFields: Record<string, unknown>;
  /**
   * Tell the user only once per rate-limit window (chat: repeated notices would be the bot flooding
   * the channel itself). Ephemeral notices reach only the user, so interactions are always told.
   */
  notifyOnce?: boolean;
  /** The server the request comes from; null in DMs. */
  guildId?: string | null;
  /** The member's permissions in the channel (interactions carry them); null in DMs. */
  memberPermissions?: Readonly<PermissionsBitField> | null;
  /** The member's roles in the server (interactions carry them). */
  memberRoles?: readonly string[];
}

/** Why a request was refused, and what to tell the user (`notify` false: say nothing). */
export interface Refusal {
  reason: 'restarting' | 'too-long' | 'rate-limited' | 'not-in-server' | 'forbidden' | 'no-texts';
  message: string;
  notify: boolean;
}

/** One check; returns a refusal, or undefined to let the request through. */
export type Precondition = (bot: BotRuntime, candidate: Candidate) => Refusal | undefined;

export const RESTARTING = 'Lectern is restarting. Please try again in a moment.';

/** Polite words for a wait. */
export function waitWords(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds === 1) return 'a second';
  if (seconds < 90) return `${seconds} seconds`;
  const minutes = Math.round(seconds / 60);
  return minutes === 1 ? 'a minute' : `${minutes} minutes`;
}

export function rateLimitMessage(bot: BotRuntime, retryAfterMs: number): string {
  const { count, windowMs } = bot.config.rateLimit;
  return `You're asking faster than I can keep up with (${count} questions per ${waitWords(windowMs)}). Please try again in ${waitWords(retryAfterMs)}.`;
}

export function tooLongMessage(length: number): string {
  return `That question is ${length.toLocaleString('en-US')} characters long; please keep it under ${MAX_QUESTION_LENGTH.toLocaleString('en-US')} and ask again.`;
}

/** Refuses new work while shutting down. */
export const notRestarting: Precondition = (bot) =>
  bot.closing ? { reason: 'restarting', message: RESTARTING, notify: true } : undefined;

/** Refuses questions over {@link MAX_QUESTION_LENGTH} characters (the engine would cut them). */
export const questionFits: Precondition = (_bot, { question }) =>
  question !== undefined && question.length > MAX_QUESTION_LENGTH
    ? { reason: 'too-long', message: tooLongMessage(question.length), notify: true }
    : undefined;

/** Counts the question against the user's rate limit; refuses (and logs) when over it. Browsing (no question) is not counted. */
export const withinRateLimit: Precondition = (bot, candidate) => {
  if (candidate.question === undefined) return undefined;
  const allowed = bot.limiter.take(candidate.userId);
  if (allowed.ok) return undefined;
  const notify = candidate.notifyOnce ? bot.limiter.shouldNotify(candidate.userId) : true;
  // Every refused question is in the log (with its message or interaction id), not lost.
  bot.logger.info(
    { event: 'rate_limited', ...candidate.logFields, notified: notify, retryAfterMs: allowed.retryAfterMs },
    'rate limited a user',
  );
  return { reason: 'rate-limited', message: rateLimitMessage(bot, allowed.retryAfterMs), notify };
};

/** Refuses outside a server: reading groups and bookmarks belong to a server's channels. */
export const inServer: Precondition = (_bot, { guildId }) =>
  guildId
    ? undefined
    : {
        reason: 'not-in-server',
        message: 'Reading groups live in server channels: use this command in one.',
        notify: true,
      };

/**
 * Only members who may manage the channel (Manage Channels) start, move, pause or end its club: the same
 * people who could delete the channel, so the bot grants nobody a power the server did not.
 */
export const canManageChannels: Precondition = (bot, candidate) => {
  if (candidate.memberPermissions?.has(PermissionFlagsBits.ManageChannels)) return undefined;
  bot.logger.info({ event: 'forbidden', ...candidate.logFields }, 'refused a club command without Manage Channels');
  return {
    reason: 'forbidden',
    message:
      'Only members with the Manage Channels permission can do that. Ask a moderator, or use /club to see where the club is.',
    notify: true,
  };
};

/** What a place that can see no text is told (a server without books when LECTERN_SHARED_TEXTS=false, or a DM then). */
export function noTextsMessage(guildId: string | null | undefined): string {
  return guildId
    ? 'This server has no books yet: someone with Manage Server can add one with /library add.'
    : 'I have no shared texts to quote in DMs: ask me in a server that has added books.';
}

/** Refuses reading the library where no text can be seen (runtime.ts `seesTexts`). */
export const seesTexts: Precondition = (bot, { guildId }) =>
  bot.seesTexts ? undefined : { reason: 'no-texts', message: noTextsMessage(guildId), notify: true };

/**
 * Only members with Manage Server, or the role LIBRARY_ROLE_ID names, add and remove the server's books:
 * what a server's library holds is the server's business, as its settings are.
 */
export const canManageLibrary: Precondition = (bot, candidate) => {
  if (candidate.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return undefined;
  const role = bot.config.libraryRoleId;
  if (role && candidate.memberRoles?.includes(role)) return undefined;
  bot.logger.info({ event: 'forbidden', ...candidate.logFields }, 'refused a library change without Manage Server');
  return {
    reason: 'forbidden',
    message: `Only members with the Manage Server permission${role ? ' or the library role' : ''} can change this server’s library.`,
    notify: true,
  };
};

/** The checks before a question reaches the engine: shutdown, length, rate limit (in that order: a refused question costs no quota). */
export const QUESTION_PRECONDITIONS: readonly Precondition[] = [
  notRestarting,
  seesTexts,
  questionFits,
  withinRateLimit,
];
/** The checks before reading the library without a question (◀ ▶, Context, Post, Discuss, /passage). */
export const BROWSE_PRECONDITIONS: readonly Precondition[] = [notRestarting, seesTexts];
/** A club command anyone may use (/club status, schedule, discuss; /bookmark). */
export const CLUB_PRECONDITIONS: readonly Precondition[] = [notRestarting, inServer, seesTexts];
/** A club command that changes the club (/club start, position, pause, resume, end). */
export const CLUB_MANAGER_PRECONDITIONS: readonly Precondition[] = [
  notRestarting,
  inServer,
  seesTexts,
  canManageChannels,
];
/** /library list and info: anyone, in a server. */
export const LIBRARY_PRECONDITIONS: readonly Precondition[] = [notRestarting, inServer];
/** /library add and remove, and their buttons. */
export const LIBRARY_MANAGER_PRECONDITIONS: readonly Precondition[] = [notRestarting, inServer, canManageLibrary];

/** Runs `preconditions` in order; the first refusal, or undefined when all pass. */
export function admit(
  bot: BotRuntime,
  candidate: Candidate,
  preconditions: readonly Precondition[],
): Refusal | undefined {
  for (const check of preconditions) {
    const refusal = check(bot, candidate);
    if (refusal) return refusal;
  }
  return undefined;
}

/** {@link admit} for an interaction: a refusal is answered with an ephemeral notice. Returns whether to go on. */
export async function admitInteraction(
  bot: BotRuntime,
  interaction: RepliableInteraction,
  preconditions: readonly Precondition[],
  question?: string,
): Promise<boolean> {
  const refusal = admit(
    bot,
    {
      userId: interaction.user.id,
      ...(question !== undefined ? { question } : {}),
      logFields: { guild: interaction.guildId ?? 'dm', channel: interaction.channelId, interaction: interaction.id },
      guildId: interaction.guildId,
      memberPermissions: interaction.memberPermissions,
      memberRoles: rolesOf(interaction.member),
    },
    preconditions,
  );
  if (!refusal) return true;
  if (refusal.notify) await replyNotice(interaction, refusal.message);
  return false;
}

/** A member's role ids, whether discord.js cached the member or gave the raw API object. */
function rolesOf(member: RepliableInteraction['member']): string[] {
  if (!member) return [];
  return Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()];
}

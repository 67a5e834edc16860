/**
 * Answering interactions: within Discord's 3-second window (deferring when
 * the answer is slow), with short notices for refusals, and a short apology
 * instead of any error.
 */
import { MessageFlags, type RepliableInteraction } from 'discord.js';
import type { Logger } from 'pino';
import { interactionLogFields, logFailure } from './log-failure.js';
import { safe, type Payload } from './payload.js';
import { COLORS, noticeEmbed } from './views/notice.js';

export const APOLOGY = 'Sorry, something went wrong while I was looking that up. Please try again in a moment.';

/** What {@link respond} needs from the bot. */
export interface Responder {
  logger: Logger;
  /** Defer an interaction when the answer is not ready after this long (Discord allows 3 s in all). */
  deferAfterMs: number;
}

/** Replies with a short ephemeral notice (rate limit, bad option, stale button…). */
export async function replyNotice(
  interaction: RepliableInteraction,
  text: string,
  color: number = COLORS.info,
): Promise<void> {
  const payload = safe({ embeds: [noticeEmbed(text, color)] });
  if (interaction.deferred || interaction.replied)
    await interaction.followUp({ ...payload, flags: MessageFlags.Ephemeral });
  else await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
}

/**
 * Answers an interaction with the payload `work` produces, within Discord's
 * 3-second window: if `work` is not done after `bot.deferAfterMs`, the
 * interaction is deferred ("thinking…") and the reply edited in when ready.
 * On failure the user gets a short apology, ephemeral even when the answer
 * would have been public.
 */
export async function respond(
  bot: Responder,
  interaction: RepliableInteraction,
  options: { ephemeral: boolean },
  work: () => Promise<Payload>,
): Promise<void> {
  const flags = options.ephemeral ? MessageFlags.Ephemeral : undefined;
  let timer: NodeJS.Timeout | undefined;
  const job = work().then(
    (payload) => ({ ok: true as const, payload }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  // deferAfterMs <= 0 means "always defer" (no race: a cached answer could otherwise win it).
  const slow = new Promise<'slow'>((resolve) => {
    if (bot.deferAfterMs <= 0) resolve('slow');
    else timer = setTimeout(() => resolve('slow'), bot.deferAfterMs);
  });
  const first = await Promise.race([slow, job]);
  clearTimeout(timer);
  if (first === 'slow') {
    try {
      await interaction.deferReply(flags ? { flags } : {});
    } catch (error) {
      // Without an acknowledged interaction nothing more can be sent; log and stop.
      logFailure(bot.logger, error, interactionLogFields(interaction), 'could not defer the reply');
      await job;
      return;
    }
  }
  const result = first === 'slow' ? await job : first;
  try {
    if (result.ok) {
      const payload = safe(result.payload);
      if (interaction.deferred) await interaction.editReply(payload);
      else await interaction.reply({ ...payload, ...(flags ? { flags } : {}) });
      return;
    }
    logFailure(bot.logger, result.error, interactionLogFields(interaction), 'answering failed');
    await apologise(interaction, options.ephemeral);
  } catch (error) {
    logFailure(bot.logger, error, interactionLogFields(interaction), 'could not send the reply');
    if (result.ok) await apologise(interaction, options.ephemeral).catch(() => undefined);
  }
}

/** Sends the short apology, ephemerally: a public "thinking…" placeholder is removed first. */
export async function apologise(interaction: RepliableInteraction, ephemeral: boolean): Promise<void> {
  const payload = safe({ embeds: [noticeEmbed(APOLOGY, COLORS.error)] });
  if (interaction.deferred && !interaction.replied) {
    if (ephemeral) {
      await interaction.editReply(payload);
      return;
    }
    await interaction.deleteReply().catch(() => undefined);
    await interaction.followUp({ ...payload, flags: MessageFlags.Ephemeral });
    return;
  }
  if (interaction.replied || interaction.deferred) {
    await interaction.followUp({ ...payload, flags: MessageFlags.Ephemeral });
    return;
  }
  await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
}

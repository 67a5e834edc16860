/**
 * Every button, and the route a click takes: decode the custom id, admit
 * (not while restarting), refuse a stale index where it matters, then the
 * button's own parse and run steps.
 */
import type { ButtonInteraction } from 'discord.js';
import { admitInteraction } from '../admission.js';
import { decodeButton, isCurrent } from '../custom-id.js';
import { interactionLogFields } from '../log-failure.js';
import { replyNotice } from '../reply.js';
import type { BotRuntime } from '../runtime.js';
import { cancelBuild } from './cancel-build.js';
import { context } from './context.js';
import { discuss } from './discuss.js';
import { endClub } from './end-club.js';
import { STALE_BUTTON, UNKNOWN_BUTTON, type ActionOf, type ButtonHandler, type ButtonKind } from './handler.js';
import { more } from './more.js';
import { page } from './page.js';
import { post } from './post.js';
import { removeText } from './remove-text.js';

export { STALE_BUTTON, UNKNOWN_BUTTON } from './handler.js';

/** Routes a button click. */
export async function handleButton(interaction: ButtonInteraction, bot: BotRuntime): Promise<void> {
  const state = decodeButton(interaction.customId);
  if (!state) return replyNotice(interaction, UNKNOWN_BUTTON);
  const { action } = state;
  const stale = !isCurrent(state, bot.library.indexId);
  switch (action.kind) {
    case 'more':
      return click(more, action, interaction, bot, stale);
    case 'context':
      return click(context, action, interaction, bot, stale);
    case 'page':
      return click(page, action, interaction, bot, stale);
    case 'post':
      return click(post, action, interaction, bot, stale);
    case 'discuss':
      return click(discuss, action, interaction, bot, stale);
    case 'end-club':
      return click(endClub, action, interaction, bot, stale);
    case 'cancel-build':
      return click(cancelBuild, action, interaction, bot, stale);
    case 'remove-text':
      return click(removeText, action, interaction, bot, stale);
  }
}

async function click<K extends ButtonKind, T>(
  handler: ButtonHandler<K, T>,
  action: ActionOf<K>,
  interaction: ButtonInteraction,
  bot: BotRuntime,
  stale: boolean,
): Promise<void> {
  if (stale && handler.needsCurrentIndex) {
    bot.logger.info({ event: 'stale_button', ...interactionLogFields(interaction) }, 'button from an older index');
    return replyNotice(interaction, STALE_BUTTON);
  }
  const input = await handler.parse(interaction, action, bot);
  if (!input.ok) return replyNotice(interaction, input.notice);
  if (!(await admitInteraction(bot, interaction, handler.preconditions, handler.question?.(input.value)))) return;
  await handler.run(interaction, input.value, bot);
}

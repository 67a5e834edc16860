/**
 * ◀ ▶ under /passage: replaces the paragraph in place.
 */
import { safe } from '../payload.js';
import { canStartThreadIn } from '../threads.js';
import { passageMessage } from '../views/passage.js';
import { isEphemeral, parsePassageTarget, type ButtonHandler, type PassageTarget } from './handler.js';

export const page: ButtonHandler<'page', PassageTarget> = {
  kind: 'page',
  needsCurrentIndex: true,

  parse: (_interaction, action, bot) => parsePassageTarget(action, bot),

  async run(interaction, { doc, paragraph }, bot) {
    const placement = { ephemeral: isEphemeral(interaction.message), canThread: canStartThreadIn(interaction.channel) };
    await interaction.update(safe(passageMessage(bot.library, doc, paragraph, placement)));
  },
};

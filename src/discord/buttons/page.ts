/**
 * ◀ ▶ under /passage: replaces the paragraph in place.
 */
import { BROWSE_PRECONDITIONS } from '../admission.js';
import { safe } from '../payload.js';
import { canStartThreadIn } from '../threads.js';
import { passageMessage } from '../views/passage.js';
import { limitedView } from '../reader-scope.js';
import { isEphemeral, parsePassageTarget, type ButtonHandler, type ScopedPassageTarget } from './handler.js';

export const page: ButtonHandler<'page', ScopedPassageTarget> = {
  kind: 'page',
  preconditions: BROWSE_PRECONDITIONS,
  needsCurrentIndex: true,

  parse: (interaction, action, bot) => parsePassageTarget(interaction, action, bot),

  async run(interaction, { doc, paragraph, scope }, bot) {
    const placement = { ephemeral: isEphemeral(interaction.message), canThread: canStartThreadIn(interaction.channel) };
    // ▶ stops at the clicker's limit: the limited view ends the text there.
    await interaction.update(safe(passageMessage(limitedView(bot.library, scope), doc, paragraph, placement)));
  },
};

/**
 * "Context": the paragraphs before and after the quoted one, just for the clicker.
 */
import { BROWSE_PRECONDITIONS } from '../admission.js';
import { MessageFlags } from 'discord.js';
import { safe } from '../payload.js';
import { surroundingParagraphsMessage } from '../views/context.js';
import { limitedView } from '../reader-scope.js';
import { parsePassageTarget, type ButtonHandler, type ScopedPassageTarget } from './handler.js';

export const context: ButtonHandler<'context', ScopedPassageTarget> = {
  kind: 'context',
  preconditions: BROWSE_PRECONDITIONS,
  needsCurrentIndex: true,

  parse: (interaction, action, bot) => parsePassageTarget(interaction, action, bot),

  async run(interaction, { doc, paragraph, scope }, bot) {
    await interaction.reply({
      // The paragraph after the quoted one may lie past the clicker's limit: the limited view leaves it out.
      ...safe(surroundingParagraphsMessage(limitedView(bot.library, scope), doc, paragraph)),
      flags: MessageFlags.Ephemeral,
    });
  },
};

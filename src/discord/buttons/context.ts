/**
 * "Context": the paragraphs before and after the quoted one, just for the clicker.
 */
import { MessageFlags } from 'discord.js';
import { safe } from '../payload.js';
import { surroundingParagraphsMessage } from '../views/context.js';
import { parsePassageTarget, type ButtonHandler, type PassageTarget } from './handler.js';

export const context: ButtonHandler<'context', PassageTarget> = {
  kind: 'context',
  needsCurrentIndex: true,

  parse: (_interaction, action, bot) => parsePassageTarget(action, bot),

  async run(interaction, { doc, paragraph }, bot) {
    await interaction.reply({
      ...safe(surroundingParagraphsMessage(bot.library, doc, paragraph)),
      flags: MessageFlags.Ephemeral,
    });
  },
};

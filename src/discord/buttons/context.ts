/**
 * "Context": the paragraphs before and after the quoted one, just for the clicker.
 */
import { MessageFlags } from 'discord.js';
import type { LibraryDocument } from '../../types.js';
import { safe } from '../payload.js';
import { surroundingParagraphsMessage } from '../views/context.js';
import { parsed, refused, STALE_BUTTON, type ButtonHandler } from './handler.js';

export const context: ButtonHandler<'context', { doc: LibraryDocument; paragraph: number }> = {
  kind: 'context',
  needsCurrentIndex: true,

  parse(_interaction, action, bot) {
    const doc = bot.library.docAt(action.doc);
    if (!doc || !bot.library.getPassage(doc.id, action.paragraph)) return refused(STALE_BUTTON);
    return parsed({ doc, paragraph: action.paragraph });
  },

  async run(interaction, { doc, paragraph }, bot) {
    await interaction.reply({
      ...safe(surroundingParagraphsMessage(bot.library, doc, paragraph)),
      flags: MessageFlags.Ephemeral,
    });
  },
};

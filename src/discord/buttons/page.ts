/**
 * ◀ ▶ under /passage: replaces the paragraph in place.
 */
import type { LibraryDocument } from '../../types.js';
import { safe } from '../payload.js';
import { canStartThreadIn } from '../threads.js';
import { passageMessage } from '../views/passage.js';
import { isEphemeral, parsed, refused, STALE_BUTTON, type ButtonHandler } from './handler.js';

export const page: ButtonHandler<'page', { doc: LibraryDocument; paragraph: number }> = {
  kind: 'page',
  needsCurrentIndex: true,

  parse(_interaction, action, bot) {
    const doc = bot.library.docAt(action.doc);
    if (!doc || !bot.library.getPassage(doc.id, action.paragraph)) return refused(STALE_BUTTON);
    return parsed({ doc, paragraph: action.paragraph });
  },

  async run(interaction, { doc, paragraph }, bot) {
    const placement = { ephemeral: isEphemeral(interaction.message), canThread: canStartThreadIn(interaction.channel) };
    await interaction.update(safe(passageMessage(bot.library, doc, paragraph, placement)));
  },
};

/**
 * "Cancel" on a book's progress message: stops its build (queued or running). The clicker must be
 * allowed to change the library (declared: a custom id can be forged, and permissions change); the
 * progress message then says it was cancelled, and the library is as it was.
 */
import { LIBRARY_MANAGER_PRECONDITIONS } from '../admission.js';
import { ownTextByKey } from '../commands/library/choices.js';
import { replyNotice } from '../reply.js';
import type { LibraryTextRecord } from '../../store/types.js';
import { parsed, refused, type ButtonHandler } from './handler.js';

export const cancelBuild: ButtonHandler<'cancel-build', LibraryTextRecord> = {
  kind: 'cancel-build',
  preconditions: LIBRARY_MANAGER_PRECONDITIONS,
  // It acts on the build queue, not the index.
  needsCurrentIndex: false,

  async parse(interaction, action, bot) {
    const text = interaction.guildId ? await ownTextByKey(bot, interaction.guildId, action.text) : undefined;
    if (!text || text.state !== 'queued') return refused('That book is no longer being added.');
    return parsed(text);
  },

  async run(interaction, text, bot) {
    if (!bot.libraries.cancel(text.guildId, text.file))
      return replyNotice(interaction, 'That book is no longer being added.');
    bot.logger.info({ event: 'library_cancel', guild: text.guildId, file: text.file }, 'a book build was cancelled');
    // The progress message itself says "Cancelled" once the build has stopped (library-builds.ts).
    await interaction.deferUpdate();
  },
};

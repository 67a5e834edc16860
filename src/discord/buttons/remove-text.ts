/**
 * "Remove": the confirmation of `/library remove`. The clicker must still be allowed to change the
 * library, and the text must still be the server's; the confirmation then shows the removal's progress
 * and its end (the library is rebuilt without the text, nothing is embedded again).
 */
import { LecternError } from '../../errors.js';
import type { LibraryTextRecord } from '../../store/types.js';
import { LIBRARY_MANAGER_PRECONDITIONS } from '../admission.js';
import { ownTextByKey } from '../commands/library/choices.js';
import { progressReporter } from '../library-builds.js';
import { safe } from '../payload.js';
import { progressMessage } from '../views/library.js';
import { COLORS, noticeEmbed } from '../views/notice.js';
import { parsed, refused, type ButtonHandler } from './handler.js';

export const removeText: ButtonHandler<'remove-text', LibraryTextRecord> = {
  kind: 'remove-text',
  preconditions: LIBRARY_MANAGER_PRECONDITIONS,
  needsCurrentIndex: false,

  async parse(interaction, action, bot) {
    const text = interaction.guildId ? await ownTextByKey(bot, interaction.guildId, action.text) : undefined;
    if (!text) return refused('That book is no longer in this server’s library.');
    return parsed(text);
  },

  async run(interaction, text, bot) {
    await interaction.update(safe(progressMessage(bot.library.indexId, text, { stage: 'reading' }, 'Removing')));
    const reporter = progressReporter(
      bot,
      text,
      (payload) => interaction.editReply(safe(payload)).then(() => undefined),
      'Removing',
    );
    try {
      await bot.libraries.remove(text.guildId, text.file, reporter);
    } catch (error) {
      if (!(error instanceof LecternError)) throw error;
      await interaction.editReply(safe({ embeds: [noticeEmbed(error.message, COLORS.error)], components: [] }));
    }
  },
};

/**
 * "End the reading group": the confirmation of `/club end`. The clicker must
 * still have Manage Channels here (declared: a custom id can be forged, and
 * permissions change), and the club must still be this channel's open club.
 */
import { CLUB_MANAGER_PRECONDITIONS } from '../admission.js';
import { safe } from '../payload.js';
import { clubOf } from '../reader-scope.js';
import { COLORS, noticeEmbed } from '../views/notice.js';
import { interactionLogFields, logFailure } from '../log-failure.js';
import { parsed, refused, type ButtonHandler } from './handler.js';
import type { ClubRecord } from '../../store/types.js';

export const endClub: ButtonHandler<'end-club', ClubRecord> = {
  kind: 'end-club',
  preconditions: CLUB_MANAGER_PRECONDITIONS,
  // It acts on the store, not the index.
  needsCurrentIndex: false,

  async parse(interaction, action, bot) {
    const club = await clubOf(bot, {
      guildId: interaction.guildId,
      channelId: interaction.channelId,
      userId: interaction.user.id,
      client: interaction.client,
      channel: interaction.channel,
    });
    if (!club || club.id !== action.club) return refused('That reading group has already ended.');
    return parsed(club);
  },

  async run(interaction, club, bot) {
    const ended = await bot.store.endClub(club.guildId, club.id, bot.clock.now());
    if (!ended) {
      await interaction.update(
        safe({ embeds: [noticeEmbed('That reading group has already ended.')], components: [] }),
      );
      return;
    }
    bot.logger.info(
      { event: 'club_ended', guild: club.guildId, channel: club.channelId, club: club.id },
      'a club ended',
    );
    await interaction.update(safe({ embeds: [noticeEmbed('The reading group has ended.')], components: [] }));
    const title = bot.library.getDocument(club.textId)?.meta.title ?? 'the book';
    await interaction
      .followUp(
        safe({
          embeds: [
            noticeEmbed(
              `The reading group of ${title} has ended. Thank you for reading together! Answers here now quote the whole library again.`,
              COLORS.abstained,
            ),
          ],
        }),
      )
      .catch((error: unknown) =>
        logFailure(bot.logger, error, interactionLogFields(interaction), 'could not announce the end of a club'),
      );
  },
};

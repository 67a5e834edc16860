/**
 * `/club position chapter:` — moves the club's position by hand, until the next week starts.
 */
import { manualPosition } from '../../../club/timeline.js';
import { CLUB_MANAGER_PRECONDITIONS } from '../../admission.js';
import { safe } from '../../payload.js';
import { replyNotice } from '../../reply.js';
import { chapterText } from '../../views/club.js';
import { COLORS, noticeEmbed } from '../../views/notice.js';
import { channelClub, chapterOrdinal, clubChapterOption, respondWithChapters } from './shared.js';
import type { Subcommand } from '../subcommand.js';

export const position: Subcommand = {
  name: 'position',
  define: (s) =>
    s
      .setDescription('Move the club’s position by hand, until next week starts (Manage Channels).')
      .addStringOption(clubChapterOption('The last chapter everyone has read: 12, Letter 3, … (0: none yet)')),
  preconditions: CLUB_MANAGER_PRECONDITIONS,

  async autocomplete(interaction, bot) {
    const found = await channelClub(bot, interaction);
    if ('error' in found) return interaction.respond([]);
    await respondWithChapters(interaction, bot, found.doc, found.doc.chapters.length);
  },

  async execute(interaction, bot) {
    const found = await channelClub(bot, interaction);
    if ('error' in found) return replyNotice(interaction, found.error);
    const { club, doc } = found;
    const ordinal = chapterOrdinal(bot, doc, interaction.options.getString('chapter', true));
    if (typeof ordinal !== 'number') return replyNotice(interaction, ordinal.error);
    const { chapter, week } = manualPosition(club, ordinal, bot.clock.now());
    if (!(await bot.store.setPosition(club.guildId, club.id, chapter, week)))
      return replyNotice(interaction, 'This club has just ended or changed; see /club status.');
    bot.logger.info(
      { event: 'club_position', guild: club.guildId, channel: club.channelId, club: club.id, chapter },
      'a club position was set by hand',
    );
    await interaction.reply(
      safe({
        embeds: [
          noticeEmbed(
            `The club is now at **${chapterText(doc, chapter)}**: answers here quote nothing past it. The schedule takes over again when the next week starts.`,
            COLORS.info,
          ),
        ],
      }),
    );
  },
};

/**
 * `/bookmark set chapter:`, `/bookmark clear`, `/bookmark show` — a member's own place in the club's
 * book. Answers to them in the club's channel stop there. Replies are ephemeral.
 */
import { MessageFlags } from 'discord.js';
import { clubState } from '../../club/timeline.js';
import { CLUB_PRECONDITIONS } from '../admission.js';
import { safe } from '../payload.js';
import { replyNotice } from '../reply.js';
import { chapterText } from '../views/club.js';
import { noticeEmbed } from '../views/notice.js';
import { channelClub, chapterOrdinal, clubChapterOption, respondWithChapters } from './club/shared.js';
import { commandOf, type Subcommand } from './subcommand.js';

const set: Subcommand = {
  name: 'set',
  define: (s) =>
    s
      .setDescription('The last chapter you have read: answers to you here stop there.')
      .addStringOption(clubChapterOption('12, Letter 3, … (0: not started)')),
  preconditions: CLUB_PRECONDITIONS,

  async autocomplete(interaction, bot) {
    const found = await channelClub(bot, interaction);
    if ('error' in found) return interaction.respond([]);
    // Only chapters up to the club's position: a bookmark holds a member back, never ahead (reader-scope.ts).
    await respondWithChapters(interaction, bot, found.doc, clubState(found.club, bot.clock.now()).position);
  },

  async execute(interaction, bot) {
    const found = await channelClub(bot, interaction);
    if ('error' in found) return replyNotice(interaction, found.error);
    const { club, doc } = found;
    const ordinal = chapterOrdinal(bot, doc, interaction.options.getString('chapter', true));
    if (typeof ordinal !== 'number') return replyNotice(interaction, ordinal.error);
    if (!(await bot.store.setBookmark(club.guildId, club.id, interaction.user.id, ordinal, bot.clock.now())))
      return replyNotice(interaction, 'This club has just ended; see /club status.');
    const position = clubState(club, bot.clock.now()).position;
    const note =
      ordinal < position
        ? `Answers to you here now stop at **${chapterText(doc, ordinal)}** (the club is at ${chapterText(doc, position)}).`
        : `The club is at ${chapterText(doc, position)}, so answers here stop there; your bookmark holds you back only when it is behind the club.`;
    await reply(interaction, `Bookmark saved: ${chapterText(doc, ordinal)}. ${note}`);
  },
};

const clear: Subcommand = {
  name: 'clear',
  define: (s) => s.setDescription('Remove your bookmark: answers follow the club’s position again.'),
  preconditions: CLUB_PRECONDITIONS,

  async execute(interaction, bot) {
    const found = await channelClub(bot, interaction);
    if ('error' in found) return replyNotice(interaction, found.error);
    const { club, doc } = found;
    const had = await bot.store.clearBookmark(club.guildId, club.id, interaction.user.id);
    const position = chapterText(doc, clubState(club, bot.clock.now()).position);
    await reply(
      interaction,
      had
        ? `Bookmark removed. Answers to you here follow the club, now at ${position}.`
        : `You had no bookmark. Answers here follow the club, now at ${position}.`,
    );
  },
};

const show: Subcommand = {
  name: 'show',
  define: (s) => s.setDescription('Your bookmark, and where answers to you here stop.'),
  preconditions: CLUB_PRECONDITIONS,

  async execute(interaction, bot) {
    const found = await channelClub(bot, interaction);
    if ('error' in found) return replyNotice(interaction, found.error);
    const { club, doc } = found;
    const mark = await bot.store.bookmark(club.guildId, club.id, interaction.user.id);
    const position = clubState(club, bot.clock.now()).position;
    const limit = Math.min(mark ?? position, position);
    await reply(
      interaction,
      `${mark === undefined ? 'You have no bookmark.' : `Your bookmark: ${chapterText(doc, mark)}.`} The club is at ${chapterText(doc, position)}; answers to you here stop at **${chapterText(doc, limit)}**.`,
    );
  },
};

async function reply(interaction: Parameters<Subcommand['execute']>[0], text: string): Promise<void> {
  await interaction.reply({ ...safe({ embeds: [noticeEmbed(text)] }), flags: MessageFlags.Ephemeral });
}

export const { data, preconditions, execute, autocomplete } = commandOf(
  'bookmark',
  'Your place in this channel’s reading group: answers to you stop there.',
  [set, clear, show],
);

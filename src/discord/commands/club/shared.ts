/**
 * What the club subcommands share: finding the channel's club, reading a
 * chapter a member typed, and the replies for the usual mistakes.
 */
import {
  MessageFlags,
  type APIEmbed,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type SlashCommandStringOption,
} from 'discord.js';
import { clubState, type ClubState } from '../../../club/timeline.js';
import type { ClubRecord } from '../../../store/types.js';
import type { LibraryDocument } from '../../../types.js';
import { escapedLine, plain } from '../../excerpt.js';
import { LIMITS } from '../../limits.js';
import { postButton, rows } from '../../buttons/components.js';
import { safe } from '../../payload.js';
import { clubOf, placeOf } from '../../reader-scope.js';
import { replyNotice } from '../../reply.js';

export { placeOf } from '../../reader-scope.js';
import type { BotRuntime } from '../../runtime.js';
import { chapterChoiceName, chapterValue, MAX_CHAPTER_LENGTH } from '../chapter-option.js';

export const NO_CLUB =
  'This channel has no reading group. A moderator can start one with `/club start`; in a thread, use its channel.';

/** The channel's open club and its text, or the message to reply with. */
export async function channelClub(
  bot: BotRuntime,
  interaction: ChatInputCommandInteraction | AutocompleteInteraction,
): Promise<{ club: ClubRecord; doc: LibraryDocument } | { error: string }> {
  const club = await clubOf(bot, placeOf(interaction));
  if (!club) return { error: NO_CLUB };
  const doc = bot.library.getDocument(club.textId);
  if (!doc)
    return {
      error: `This club reads a text that is no longer in the library (${escapedLine(club.textId, 80)}). A moderator can end it with \`/club end\`.`,
    };
  return { club, doc };
}

/**
 * The chapter ordinal a member typed or picked: a reference as citations print it
 * ("12", "ch. 12", "Letter 3", "Vol. 2, ch. 3", a title) or 0 for "nothing read yet".
 */
export function chapterOrdinal(bot: BotRuntime, doc: LibraryDocument, typed: string): number | { error: string } {
  const value = typed.trim();
  if (/^0+$/.test(value) || /^(none|start|nothing)$/i.test(value)) return 0;
  const chapter = bot.library.getChapter(doc.id, value);
  if (chapter) return chapter.ordinal;
  return {
    error: `“${escapedLine(value, 60)}” is not a chapter of ${escapedLine(doc.meta.title, 100)}: give a chapter as it is cited (12, Letter 3, Vol. 2, ch. 3), pick one from the list, or 0 for none yet.`,
  };
}

/** Chapter choices up to `through` (ordinal), matching what is typed: bookmarks never offer what lies past the club. */
export async function respondWithChapters(
  interaction: AutocompleteInteraction,
  bot: BotRuntime,
  doc: LibraryDocument,
  through: number,
): Promise<void> {
  const typed = String(interaction.options.getFocused() ?? '').trim();
  const chapters = bot.library
    .searchChapters(doc.id, typed.replace(/^(?:ch(?:apter)?\.?)\s*/i, ''))
    .filter((c) => c.ordinal <= through)
    .slice(0, LIMITS.choices);
  await interaction.respond(
    chapters.map((c) => ({ name: plain(chapterChoiceName(doc, c), LIMITS.choiceName), value: chapterValue(doc, c) })),
  );
}

/** `/club status` and `/club schedule`: the club's view, just for the asker, with "Post to channel". */
export async function replyWithClubView(
  interaction: ChatInputCommandInteraction,
  bot: BotRuntime,
  view: (doc: LibraryDocument, club: ClubRecord, state: ClubState) => APIEmbed,
): Promise<void> {
  const found = await channelClub(bot, interaction);
  if ('error' in found) return replyNotice(interaction, found.error);
  const { club, doc } = found;
  await interaction.reply({
    ...safe({
      embeds: [view(doc, club, clubState(club, bot.clock.now()))],
      components: rows([postButton(bot.library.indexId)]),
    }),
    flags: MessageFlags.Ephemeral,
  });
}

/** The `chapter:` option of /club position and /bookmark set: a chapter as citations name it, or 0. */
export function clubChapterOption(description: string) {
  return (option: SlashCommandStringOption): SlashCommandStringOption =>
    option
      .setName('chapter')
      .setDescription(description)
      .setRequired(true)
      .setAutocomplete(true)
      .setMaxLength(MAX_CHAPTER_LENGTH);
}

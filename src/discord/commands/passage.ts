import { SlashCommandBuilder, MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import type { LibraryDocument } from '../../types.js';
import { BROWSE_PRECONDITIONS } from '../admission.js';
import { escapedLine } from '../excerpt.js';
import { resolveText } from '../library-view.js';
import { canSee, limitedView, pastLimitNotice, placeOf, readerScope } from '../reader-scope.js';
import { safe } from '../payload.js';
import { replyNotice } from '../reply.js';
import type { BotRuntime } from '../runtime.js';
import { canStartThreadIn } from '../threads.js';
import { passageMessage } from '../views/passage.js';
import { autocompleteTextOrChapter, MAX_CHAPTER_LENGTH } from './chapter-option.js';

/**
 * `/passage [reference:] [chapter:] [paragraph:] [text:] [public:]` — read a paragraph, with ◀ ▶
 * to turn the page (across chapters). `chapter:34 paragraph:5`, `reference:34.5` and
 * `paragraph:612` (a ¶ number counted through the whole text) all work.
 */
export const data = new SlashCommandBuilder()
  .setName('passage')
  .setDescription('Read a paragraph by chapter and ¶ (or 34.5, or a ¶ number), with buttons to turn the page.')
  .addStringOption((o) =>
    o
      .setName('chapter')
      .setDescription('Chapter: 34, Letter 2, Vol. 2, ch. 3, or a title (pick from the list)')
      .setAutocomplete(true)
      .setMaxLength(MAX_CHAPTER_LENGTH),
  )
  .addIntegerOption((o) =>
    o
      .setName('paragraph')
      .setDescription('¶ within the chapter; without a chapter, ¶ through the whole text (0: title and source)')
      .setMinValue(0),
  )
  .addStringOption((o) =>
    o
      .setName('reference')
      .setDescription('A place as citations print it: ch. 34 ¶5 (or 34.5), Letter 2 ¶3, or ¶612')
      .setMaxLength(MAX_CHAPTER_LENGTH + 10),
  )
  .addStringOption((o) => o.setName('text').setDescription('Which text (default: the first)').setAutocomplete(true))
  .addBooleanOption((o) => o.setName('public').setDescription('Show to everyone in the channel (default: only you)'));

export const preconditions = BROWSE_PRECONDITIONS;

export async function execute(interaction: ChatInputCommandInteraction, bot: BotRuntime): Promise<void> {
  const ephemeral = !(interaction.options.getBoolean('public') ?? false);
  const { doc: named, error } = resolveText(bot.library, interaction.options.getString('text'));
  if (error) return replyNotice(interaction, error);
  const scope = await readerScope(bot, placeOf(interaction));
  const doc = named ?? scope?.doc ?? bot.library.defaultDocument;
  const found = findParagraph(bot, doc, {
    reference: interaction.options.getString('reference')?.trim() || undefined,
    chapter: interaction.options.getString('chapter')?.trim() || undefined,
    paragraph: interaction.options.getInteger('paragraph') ?? undefined,
  });
  if (typeof found === 'string') return replyNotice(interaction, found);
  // Past the limit, refused rather than revealed behind spoiler tags: one rule on every path
  // (nothing past it is shown in a club channel) is one a club can trust, and a reader who has
  // read further can open the book, or ask in a DM.
  if (scope && !canSee(scope, doc.id, found)) return replyNotice(interaction, pastLimitNotice(scope));
  const payload = passageMessage(limitedView(bot.library, scope), doc, found, {
    ephemeral,
    canThread: canStartThreadIn(interaction.channel),
  });
  await interaction.reply({ ...safe(payload), ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
}

export const autocomplete = autocompleteTextOrChapter;

/** What the reader asked for. */
export interface PassageRequest {
  reference?: string;
  chapter?: string;
  paragraph?: number;
}

/** The global ¶ a /passage request points to, or a one-line message saying what exists. */
export function findParagraph(bot: BotRuntime, doc: LibraryDocument, request: PassageRequest): number | string {
  const library = bot.library;
  const count = library.paragraphCount(doc.id);
  const title = `“${escapedLine(doc.meta.title, 200)}”`;
  const chapters = library.chapterCount(doc.id);
  const shape =
    chapters > 0
      ? `${title} has ${chapters} chapters and ¶1–¶${count} in all: try \`chapter:1 paragraph:2\` or \`reference:1.2\`.`
      : `${title} has paragraphs ¶1–¶${count} (¶0 is its title and source).`;
  if (request.reference) {
    const resolved = library.resolveReference(doc.id, request.reference);
    if (!resolved) return `I found no “${escapedLine(request.reference, 60)}”. ${shape}`;
    return resolved.passage.paragraph;
  }
  if (request.chapter) {
    const chapter = library.getChapter(doc.id, request.chapter);
    if (!chapter) {
      return chapters > 0
        ? `${title} has no chapter “${escapedLine(request.chapter, 60)}” (it has ${chapters} chapters; pick one from the list).`
        : `${title} has no chapters. ${shape}`;
    }
    const within = chapter.lastParagraph - chapter.firstParagraph + 1;
    const n = request.paragraph ?? 1;
    if (n < 1 || n > within) {
      return `That chapter of ${title} has ¶1–¶${within}. There is no ¶${n} in it.`;
    }
    return chapter.firstParagraph + n - 1;
  }
  const n = request.paragraph ?? (count > 0 ? 1 : 0);
  if (n < 0 || n > count || !library.getPassage(doc.id, n)) return `${shape} There is no ¶${n}.`;
  return n;
}

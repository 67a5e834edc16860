/**
 * The `chapter:` option of /ask, /quote and /passage, and the autocompletion
 * of the `text:` and `chapter:` options of those commands.
 */
import type { AutocompleteInteraction, SlashCommandStringOption } from 'discord.js';
import { chapterLabel } from '../../answer/citation.js';
import { chapterReference } from '../engine.js';
import type { Chapter, LibraryDocument } from '../../types.js';
import { plain } from '../excerpt.js';
import { resolveText } from '../library-view.js';
import { placeOf, readerScope } from '../reader-scope.js';
import { LIMITS } from '../limits.js';
import type { BotRuntime } from '../runtime.js';
import { autocompleteText } from './text-option.js';

/** Longest chapter restriction accepted from a reader: "30-35" or a title prefix. */
export const MAX_CHAPTER_LENGTH = 40;

/** The `chapter:` option that restricts a search (/ask, /quote): `.addStringOption(searchChapterOption)`. */
export function searchChapterOption(option: SlashCommandStringOption): SlashCommandStringOption {
  return option
    .setName('chapter')
    .setDescription('Only this chapter or range, e.g. 34, 30-35 or Letter 2 (of the text, or the first text)')
    .setAutocomplete(true)
    .setMaxLength(MAX_CHAPTER_LENGTH);
}

/** The value autocomplete sends for a chapter: what `Library.getChapter` reads back ("34", "Letter 2", "Vol. 2, ch. 3", a title). */
export function chapterValue(doc: LibraryDocument, chapter: Chapter): string {
  return chapterReference(doc, chapter).slice(0, Math.min(LIMITS.choiceValue, MAX_CHAPTER_LENGTH));
}

/** How a chapter is offered: `ch. 1 "Loomings"`, `Epilogue`. */
export function chapterChoiceName(doc: LibraryDocument, chapter: Chapter): string {
  const label = chapterLabel(doc, chapter);
  const title = chapter.number && chapter.title ? ` “${chapter.title}”` : '';
  return plain(`${label}${title}`, LIMITS.choiceName);
}

/**
 * Suggests texts for `text:` and, for `chapter:`, the chapters of the chosen
 * text (or the first one) whose number or title matches what is typed.
 */
export async function autocompleteTextOrChapter(interaction: AutocompleteInteraction, bot: BotRuntime): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name !== 'chapter') return autocompleteText(interaction, bot);
  const { doc: named } = resolveText(bot.library, interaction.options.getString('text'));
  const scope = await readerScope(bot, placeOf(interaction));
  const doc = named ?? scope?.doc ?? bot.library.defaultDocument;
  // In a club channel, only chapters up to the member's limit are offered: titles give things away too.
  const through = scope && scope.doc.id === doc.id ? scope.limit.through : Infinity;
  const typed = String(focused.value ?? '').trim();
  // A range ("30-35", "Letter 1-4") is typed, not picked: offer it back as it is when it reads as one.
  const read = /\S\s*(?:-|–|—|\.\.|\bto\b)\s*\S/i.test(typed)
    ? bot.library.parseChapterRange(doc.id, typed)
    : undefined;
  const range =
    typeof read === 'object' && read.from < read.to && read.to <= through
      ? [{ name: plain(typed, LIMITS.choiceName), value: typed.slice(0, MAX_CHAPTER_LENGTH) }]
      : [];
  const chapters = bot.library
    .searchChapters(doc.id, typed.replace(/^(?:ch(?:apter)?\.?)\s*/i, ''))
    .filter((c) => c.ordinal <= through);
  const choices = chapters
    .slice(0, LIMITS.choices - range.length)
    .map((c) => ({ name: chapterChoiceName(doc, c), value: chapterValue(doc, c) }));
  await interaction.respond([...range, ...choices]);
}

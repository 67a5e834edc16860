/**
 * /sources: the library's texts with their metadata and paragraph counts.
 */
import type { APIEmbed } from 'discord.js';
import { formatSource } from '../../answer/citation.js';
import type { LibraryDocument } from '../../types.js';
import { ELLIPSIS, escapedLine, truncateWords } from '../excerpt.js';
import type { LibraryView } from '../library-view.js';
import { fitEmbeds, LIMITS } from '../limits.js';
import { escapeMarkdown } from '../markdown.js';
import { COLORS } from './notice.js';

/** "135 chapters · 212,000 words · 2,400 paragraphs", or without chapters "653 words · 10 paragraphs". */
export function sizeOf(doc: LibraryDocument, library: LibraryView): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  const chapters = doc.chapters.length;
  return [
    chapters ? `${n(chapters)} chapter${chapters === 1 ? '' : 's'}` : '',
    `${n(doc.wordCount)} words`,
    `${n(library.paragraphCount(doc.id))} paragraphs`,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The library's texts with metadata, chapter, word and paragraph counts, for /sources. */
export function sourcesEmbed(documents: readonly LibraryDocument[], library: LibraryView): APIEmbed {
  const describe = (doc: LibraryDocument): string => {
    const m = doc.meta;
    const lines = [
      `by ${escapeMarkdown(m.author)}${m.dateLine ? ` (${escapeMarkdown(m.dateLine)})` : ''}`,
      m.subtitle ? `*${escapeMarkdown(m.subtitle)}*` : '',
      // Where it appeared, as citations give it (src/answer/citation.ts), else the source line of its header.
      escapeMarkdown(formatSource(m) ?? m.source ?? ''),
      `${sizeOf(doc, library)} · id \`${doc.id.replace(/`/g, '')}\``,
    ].filter(Boolean);
    return truncateWords(lines.join('\n'), LIMITS.fieldValue);
  };
  const title = `Texts in the library (${documents.length})`;
  if (documents.length <= LIMITS.fields) {
    return fitEmbeds([
      {
        title,
        description:
          'Pick one with the `text:` option of /ask, /quote and /passage; narrow a search with `chapter:` (34, or 30-35).',
        color: COLORS.info,
        fields: documents.map((doc) => ({ name: escapedLine(doc.meta.title, LIMITS.fieldName), value: describe(doc) })),
      },
    ])[0]!;
  }
  // Too many for fields: a compact list, cut whole lines at the limit.
  const lines: string[] = [];
  let length = 0;
  for (const [i, doc] of documents.entries()) {
    const line = `**${escapeMarkdown(doc.meta.title)}**, ${escapeMarkdown(doc.meta.author)}: ${sizeOf(doc, library)}`;
    const more = `\n${ELLIPSIS} and ${documents.length - i} more`;
    if (length + line.length + 1 + more.length > LIMITS.embedDescription) {
      lines.push(more.trim());
      break;
    }
    lines.push(line);
    length += line.length + 1;
  }
  return { title, description: lines.join('\n'), color: COLORS.info };
}

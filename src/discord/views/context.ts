/**
 * The "Context" button's reply: the paragraphs before and after a quoted one.
 */
import type { APIEmbed } from 'discord.js';
import { shortLocation } from '../../answer/citation.js';
import type { LibraryDocument, Passage } from '../../types.js';
import { postButton, rows } from '../buttons/components.js';
import { escapedLine, plain, renderExcerpt } from '../excerpt.js';
import type { LibraryView } from '../library-view.js';
import { LIMITS } from '../limits.js';
import type { Payload } from '../payload.js';
import { COLORS } from './notice.js';

/** The paragraphs before and after ¶`paragraph`, the middle one in bold outline: for the "Context" button. */
export function surroundingParagraphsEmbed(doc: LibraryDocument, paragraph: number, library: LibraryView): APIEmbed {
  const around = [paragraph - 1, paragraph, paragraph + 1]
    .map((n) => library.getPassage(doc.id, n))
    .filter((p): p is Passage => p !== undefined && (p.paragraph > 0 || paragraph === 0));
  const budget = LIMITS.embedDescription - 200;
  // The quoted paragraph gets half the room, its neighbours a quarter each.
  const parts = around.map((p) => {
    const share = p.paragraph === paragraph ? budget / 2 : budget / 4;
    const where = escapedLine(shortLocation(doc, p), 100);
    const label = p.paragraph === paragraph ? `**${where} (quoted)**` : `**${where}**`;
    return `${label}\n${renderExcerpt(p.text, Math.floor(share), { sentences: p.sentences })}`;
  });
  return {
    title: escapedLine(`Context of ${shortLocation(doc, paragraph)}: ${doc.meta.title}`, LIMITS.embedTitle),
    description: parts.join('\n\n') || 'That paragraph is no longer in the library.',
    color: COLORS.info,
    footer: { text: plain(library.cite(doc, paragraph), LIMITS.footerText) },
  };
}

/** The Context reply as a message, with "Post to channel" (it is shown only to the clicker). */
export function surroundingParagraphsMessage(library: LibraryView, doc: LibraryDocument, paragraph: number): Payload {
  return {
    embeds: [surroundingParagraphsEmbed(doc, paragraph, library)],
    components: rows([postButton(library.indexId)]),
  };
}

/**
 * One paragraph per message, with ◀ ▶ to turn the page: for /passage and its buttons.
 */
import type { APIEmbed } from 'discord.js';
import { passageLocation, shortLocation } from '../../answer/citation.js';
import type { LibraryDocument, Passage } from '../../types.js';
import { button, postButton, rows } from '../buttons/components.js';
import { encodeButton } from '../custom-id.js';
import { ELLIPSIS, escapedLine, plain, renderExcerpt } from '../excerpt.js';
import type { LibraryView } from '../library-view.js';
import { LIMITS } from '../limits.js';
import type { Payload } from '../payload.js';
import type { Placement } from './answer-buttons.js';
import { COLORS } from './notice.js';

/**
 * Where a passage is, for the title: `ch. 1 "Loomings", ¶2 of 12` in a book
 * (¶ of the chapter), `¶4 of 17` in an article, `Header (¶0)`.
 */
export function passagePosition(doc: LibraryDocument, passage: Passage, library: LibraryView): string {
  if (passage.paragraph === 0) return 'Header (¶0)';
  const chapter = passage.chapter ? doc.chapters[passage.chapter - 1] : undefined;
  if (chapter && passage.paragraphInChapter) {
    return `${passageLocation(doc, passage)} of ${chapter.lastParagraph - chapter.firstParagraph + 1}`;
  }
  return `¶${passage.paragraph} of ${library.paragraphCount(doc.id)}`;
}

/** One paragraph in full (or shortened at a sentence), with its citation: for /passage and ◀ ▶. */
export function passageEmbed(doc: LibraryDocument, passage: Passage, library: LibraryView): APIEmbed {
  const where = passagePosition(doc, passage, library);
  const body = renderExcerpt(passage.text, LIMITS.embedDescription - 40, { sentences: passage.sentences });
  const shortened =
    body.includes(ELLIPSIS) && !passage.text.includes(ELLIPSIS) ? '\n\n*(shortened to fit Discord)*' : '';
  return {
    title: escapedLine(`${doc.meta.title}: ${where}`, LIMITS.embedTitle),
    description: body + shortened,
    color: COLORS.info,
    footer: { text: plain(library.cite(doc, passage.paragraph), LIMITS.footerText) },
  };
}

/** ¶`paragraph` of `doc` with ◀ ▶ (disabled at the ends) and, when ephemeral, "Post to channel". */
export function passageMessage(
  library: LibraryView,
  doc: LibraryDocument,
  paragraph: number,
  placement: Placement,
): Payload {
  const passage = library.getPassage(doc.id, paragraph);
  if (!passage) throw new Error(`no ¶${paragraph} in ${doc.id}`);
  const count = library.paragraphCount(doc.id);
  const indexId = library.indexId;
  const docIndex = library.docNumber(doc.id);
  // ◀ ▶ step through the global ¶ numbering, so they cross chapter boundaries; labels say where they go.
  const label = (n: number): string => plain(n === 0 ? '¶0' : shortLocation(doc, n), LIMITS.buttonLabel);
  const list = [
    button(
      encodeButton(indexId, { kind: 'page', doc: docIndex, paragraph: Math.max(0, paragraph - 1), direction: 'prev' }),
      label(Math.max(0, paragraph - 1)),
      {
        emoji: '◀️',
        disabled: paragraph <= 0,
      },
    ),
    button(
      encodeButton(indexId, {
        kind: 'page',
        doc: docIndex,
        paragraph: Math.min(count, paragraph + 1),
        direction: 'next',
      }),
      label(Math.min(count, paragraph + 1)),
      {
        emoji: '▶️',
        disabled: paragraph >= count,
      },
    ),
  ];
  if (placement.ephemeral) list.push(postButton(indexId));
  return { embeds: [passageEmbed(doc, passage, library)], components: rows(list) };
}

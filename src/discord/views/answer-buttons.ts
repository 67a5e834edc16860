/**
 * The buttons under an answer or a list of passages, and where they make sense.
 */
import type { Answer } from '../../types.js';
import { button, discussButton, postButton, rows } from '../buttons/components.js';
import { encodeButton, isChapterTag } from '../custom-id.js';
import { parsePassageId, type LibraryView } from '../library-view.js';
import type { Payload } from '../payload.js';

/** Passages per "page" of results. */
export const PAGE_SIZE = 5;

/** Where a message will be shown: decides which buttons make sense. */
export interface Placement {
  /** Only the asker sees it: offer "Post to channel". */
  ephemeral: boolean;
  /** A guild text channel where a thread can be started: offer "Discuss". */
  canThread: boolean;
}

/** The ¶ the answer quotes (or its closest passage): what "Context" opens. */
function quotedParagraph(answer: Answer): { docId: string; paragraph: number } | undefined {
  const id = answer.quote?.passageId ?? answer.passages[0]?.passage.id;
  return id ? parsePassageId(id) : undefined;
}

/** What "More passages" asks for next. */
export interface MoreRequest {
  docId?: string;
  /** The chapter restriction of the question ("30-35"), carried in the button's id. */
  chapter?: string;
  nextOffset: number;
  limit: number;
  /** How many passages this message shows: a full page suggests there are more; a short one means the ranking ran out. */
  shown: number;
}

/** Buttons under an answer (`withContextButton`) or passage list: More passages, Context, Discuss or Post to channel. */
export function answerButtons(
  targets: Pick<LibraryView, 'indexId' | 'docNumber'>,
  answer: Answer,
  placement: Placement,
  more: MoreRequest,
  withContextButton: boolean,
): Payload['components'] {
  const indexId = targets.indexId;
  const list = [];
  // A restriction too long for a custom id gets no button rather than one that pages the whole text.
  if (more.shown >= more.limit && (!more.chapter || isChapterTag(more.chapter))) {
    const doc = more.docId ? targets.docNumber(more.docId) : -1;
    const action = {
      kind: 'more',
      doc: doc >= 0 ? doc : null,
      offset: more.nextOffset,
      limit: more.limit,
      ...(more.chapter ? { chapter: more.chapter } : {}),
    } as const;
    list.push(button(encodeButton(indexId, action), 'More passages', { emoji: '📚' }));
  }
  const quoted = quotedParagraph(answer);
  if (withContextButton && quoted) {
    const doc = targets.docNumber(quoted.docId);
    if (doc >= 0)
      list.push(
        button(encodeButton(indexId, { kind: 'context', doc, paragraph: quoted.paragraph }), 'Context', {
          emoji: '📖',
        }),
      );
  }
  if (placement.canThread && !placement.ephemeral) list.push(discussButton(indexId));
  if (placement.ephemeral) list.push(postButton(indexId));
  return list.length ? rows(list) : [];
}

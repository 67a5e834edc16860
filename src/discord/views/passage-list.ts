/**
 * Ranked passages, one embed each: for /quote and "More passages".
 */
import type { APIEmbed } from 'discord.js';
import { citedText } from '../../answer/citation.js';
import { answerView, cited } from '../../answer/view.js';
import type { Answer, RankedPassage } from '../../types.js';
import { escapedLine, plain, renderExcerpt } from '../excerpt.js';
import type { LibraryView } from '../library-view.js';
import { fitEmbeds, LIMITS } from '../limits.js';
import { escapeMarkdown } from '../markdown.js';
import type { Payload } from '../payload.js';
import { followUpAuthor, type RecordedQuestion } from '../recorded-question.js';
import { answerButtons, type Placement } from './answer-buttons.js';
import { answerMessage } from './answer.js';
import { COLORS } from './notice.js';

export interface PassageListOptions {
  /** Title of the first embed, e.g. the query. */
  title: string;
  /** A line above the first passage, e.g. an abstention note. */
  intro?: string;
  /** ¶ numbers start counting results from here (for "More passages"). */
  offset?: number;
}

/**
 * One embed per ranked passage (for /quote and "More passages"): the passage
 * quoted, the quote's best sentence in bold where the answer chose it, the
 * citation in the footer. Descriptions share the 6,000-character budget.
 */
export function passageListEmbeds(
  answer: Answer,
  passages: readonly RankedPassage[],
  library: LibraryView,
  options: PassageListOptions,
): APIEmbed[] {
  const list = passages.slice(0, LIMITS.embeds);
  if (list.length === 0) {
    return [
      { title: escapedLine(options.title, LIMITS.embedTitle), description: 'No more passages.', color: COLORS.info },
    ];
  }
  const title = escapedLine(options.title, LIMITS.embedTitle);
  const intro = options.intro ? `*${escapeMarkdown(options.intro)}*\n\n` : '';
  const footers = list.map((p) => plain(citedText(cited(p.passage, library)), LIMITS.footerText));
  const fixed = title.length + intro.length + footers.reduce((n, f) => n + f.length, 0);
  // Share what is left evenly; a little slack absorbs rounding.
  const each = Math.min(LIMITS.embedDescription, Math.floor((LIMITS.embedsTotal - fixed - 16) / list.length));
  const abstained = answer.status === 'abstained';
  // Only the quote matters here: every ranked passage is listed, related or not.
  const quote = answerView(answer, library, { related: 0 }).quote;
  const embeds = list.map((ranked, i): APIEmbed => {
    const focus = quote?.quoted && quote.passage.id === ranked.passage.id ? quote.highlight : undefined;
    const body = renderExcerpt(ranked.passage.text, each - (i === 0 ? intro.length : 0), {
      sentences: ranked.passage.sentences,
      ...(focus ? { focus } : {}),
    });
    return {
      ...(i === 0 ? { title } : {}),
      description: (i === 0 ? intro : '') + body,
      color: abstained ? COLORS.abstained : COLORS.answered,
      footer: { text: footers[i]! },
    };
  });
  return fitEmbeds(embeds);
}

/** Ranked passages as a message (for /quote and "More passages"). */
export function passageListMessage(
  library: LibraryView,
  answer: Answer,
  options: {
    title: string;
    offset: number;
    limit: number;
    docId?: string;
    chapter?: string;
    placement: Placement;
    recorded?: RecordedQuestion;
  },
): Payload {
  if (answer.status === 'help') return answerMessage(library, answer, { placement: options.placement });
  const intro =
    answer.passages.length === 0
      ? undefined
      : answer.status === 'abstained'
        ? 'The text does not seem to address this directly; these are the closest passages.'
        : options.offset > 0
          ? `Passages ${options.offset + 1}–${options.offset + answer.passages.length}.`
          : undefined;
  const embeds = passageListEmbeds(answer, answer.passages, library, {
    title: options.title,
    ...(intro ? { intro } : {}),
  });
  // "More passages" re-reads the question from the first embed; a follow-up keeps its context there too.
  if (options.recorded?.followUpOf && embeds[0])
    embeds[0] = { ...embeds[0], author: followUpAuthor(options.recorded.followUpOf) };
  return {
    embeds,
    components: answerButtons(
      library,
      answer,
      options.placement,
      {
        ...(options.docId ? { docId: options.docId } : {}),
        ...(options.chapter ? { chapter: options.chapter } : {}),
        nextOffset: options.offset + answer.passages.length,
        limit: options.limit,
        shown: answer.passages.length,
      },
      false,
    ),
  };
}

/**
 * An answer: the question as title, the quote as a block quote with its best
 * sentence in bold, the citation in the footer, further passages as fields.
 * Used by /ask and chat mode.
 */
import type { APIEmbed, APIEmbedField } from 'discord.js';
import { passageCitation } from '../../answer/citation.js';
import type { Answer, Passage, Span } from '../../types.js';
import { cutsOf, escapedLine, plain, renderExcerpt, sentencesWithin, truncateWords } from '../excerpt.js';
import { parsePassageId, type ButtonTargets, type LibraryView } from '../library-view.js';
import { fitEmbeds, LIMITS } from '../limits.js';
import { escapeMarkdown } from '../markdown.js';
import type { Payload } from '../payload.js';
import { questionParts } from '../recorded-question.js';
import { answerButtons, PAGE_SIZE, type Placement } from './answer-buttons.js';
import { passageLabel } from './labels.js';
import { COLORS } from './notice.js';

/** The passage a quote comes from, with the quote's spans relative to the quoted text. */
function quotedExcerpt(
  answer: Answer,
  library: LibraryView,
):
  | { passage: Passage; text: string; sentences: Span[]; focus?: Span; cutBefore?: boolean; cutAfter?: boolean }
  | undefined {
  const quote = answer.quote;
  const top = answer.passages[0]?.passage;
  if (quote) {
    const { docId, paragraph } = parsePassageId(quote.passageId);
    const passage =
      library.getPassage(docId, paragraph) ?? answer.passages.find((p) => p.passage.id === quote.passageId)?.passage;
    if (passage) {
      return {
        passage,
        text: quote.text,
        sentences: sentencesWithin(passage.sentences, quote.start, quote.end),
        focus: quote.highlight,
        // A quote from inside its paragraph is marked "…" where the paragraph goes on (issue 8 §5).
        ...cutsOf(passage.text, quote.start, quote.end),
      };
    }
  }
  if (top) return { passage: top, text: top.text, sentences: top.sentences };
  return undefined;
}

/** Every default of {@link answerEmbed}, with the reason for it. */
export const ANSWER_VIEW_DEFAULTS = {
  /**
   * Further passages under the quote: with the quote, a page of five (PAGE_SIZE), which "More passages" continues.
   * @default 4
   */
  morePassages: 4,
  /**
   * Characters per further passage: about two sentences, enough to judge whether to open it.
   * @default 300
   */
  excerptLength: 300,
} as const;

export interface AnswerEmbedOptions {
  /** The question shown and recorded (default `answer.question`). */
  question?: string;
  /** The question this one follows up, shown above the title and recorded for the next follow-up. */
  followUpOf?: string;
  /** Max further passages listed under the quote (see {@link ANSWER_VIEW_DEFAULTS}). */
  morePassages?: number;
  /** Characters per further passage (see {@link ANSWER_VIEW_DEFAULTS}). */
  excerptLength?: number;
}

/**
 * One embed for an answer: the question as title, the quote as a block quote
 * with its best sentence in bold, the citation in the footer, and further
 * passages as shortened fields with their ¶ numbers. An abstention says the
 * text does not seem to address the question and shows the closest passage,
 * labelled as such. A help answer shows its usage text.
 */
export function answerEmbed(answer: Answer, library: LibraryView, options: AnswerEmbedOptions = {}): APIEmbed {
  const question = options.question ?? answer.question;
  const q = questionParts(question || 'Lectern', options.followUpOf);
  const notice = answer.notice ? `*${escapeMarkdown(answer.notice)}*\n\n` : '';
  if (answer.status === 'help' || (!answer.quote && answer.passages.length === 0)) {
    const message =
      answer.message ??
      'Nothing in the library matched that question. Try other words, or /sources to see what I can quote.';
    return {
      ...(question ? { title: q.title } : {}),
      description: truncateWords(notice + escapeMarkdown(message), LIMITS.embedDescription),
      color: COLORS.info,
    };
  }
  const excerpt = quotedExcerpt(answer, library)!;
  const abstained = answer.status === 'abstained';
  const intro = abstained
    ? `${escapeMarkdown(answer.message ?? 'The text does not seem to address this question.')}\n\n**Closest passage** (${passageLabel(excerpt.passage, library)}; it may not answer your question):\n`
    : '';
  const head = notice + intro;
  const description =
    head +
    renderExcerpt(excerpt.text, LIMITS.embedDescription - head.length, {
      sentences: excerpt.sentences,
      ...(excerpt.focus ? { focus: excerpt.focus } : {}),
      ...(excerpt.cutBefore ? { cutBefore: true } : {}),
      ...(excerpt.cutAfter ? { cutAfter: true } : {}),
    });
  const fields: APIEmbedField[] = [];
  if (q.field) fields.push(q.field);
  const others = answer.passages
    .filter((p) => p.passage.id !== excerpt.passage.id)
    .slice(0, options.morePassages ?? ANSWER_VIEW_DEFAULTS.morePassages);
  for (const other of others) {
    fields.push({
      name: plainFieldName(`${abstained ? 'Also close' : 'Also relevant'}: ${passageLabel(other.passage, library)}`),
      value: renderExcerpt(
        other.passage.text,
        Math.min(options.excerptLength ?? ANSWER_VIEW_DEFAULTS.excerptLength, LIMITS.fieldValue),
        { sentences: other.passage.sentences },
      ),
    });
  }
  const embed: APIEmbed = {
    title: q.title!,
    ...(q.author ? { author: q.author } : {}),
    description,
    color: abstained ? COLORS.abstained : COLORS.answered,
    footer: {
      text: plain(
        `${abstained ? 'Closest passage: ' : ''}${passageCitation(library, excerpt.passage)}`,
        LIMITS.footerText,
      ),
    },
    ...(fields.length ? { fields } : {}),
  };
  return fitEmbeds([embed])[0]!;
}

/** Field names render Markdown; ours are built from titles, so escape them. */
function plainFieldName(text: string): string {
  return escapedLine(text, LIMITS.fieldName);
}

/** An answer as a message: the embed and its buttons (for /ask and chat mode). */
export function answerMessage(
  library: LibraryView & ButtonTargets,
  answer: Answer,
  options: { question?: string; followUpOf?: string; docId?: string; chapter?: string; placement: Placement },
): Payload {
  const embed = answerEmbed(answer, library, {
    ...(options.question !== undefined ? { question: options.question } : {}),
    ...(options.followUpOf ? { followUpOf: options.followUpOf } : {}),
  });
  if (answer.status === 'help') return { embeds: [embed], components: [] };
  const more = {
    ...(options.docId ? { docId: options.docId } : {}),
    ...(options.chapter ? { chapter: options.chapter } : {}),
    nextOffset: answer.passages.length,
    limit: PAGE_SIZE,
    shown: answer.passages.length,
  };
  return { embeds: [embed], components: answerButtons(library, answer, options.placement, more, true) };
}

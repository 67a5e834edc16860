/**
 * An answer: the question as title, the quote as a block quote with its best
 * sentence in bold, the citation in the footer, further passages as fields.
 * Used by /ask and chat mode.
 */
import type { APIEmbed, APIEmbedField } from 'discord.js';
import { citedText } from '../../answer/citation.js';
import { answerView } from '../../answer/view.js';
import type { Answer } from '../../types.js';
import { escapedLine, plain, renderExcerpt, truncateWords } from '../excerpt.js';
import type { LibraryView } from '../library-view.js';
import { fitEmbeds, LIMITS } from '../limits.js';
import { escapeMarkdown } from '../markdown.js';
import type { Payload } from '../payload.js';
import { questionParts } from '../recorded-question.js';
import { answerButtons, PAGE_SIZE, type Placement } from './answer-buttons.js';
import { passageLabel } from './labels.js';
import { COLORS } from './notice.js';

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
  const view = answerView(answer, library, { related: options.morePassages ?? ANSWER_VIEW_DEFAULTS.morePassages });
  const question = options.question ?? view.question;
  const q = questionParts(question || 'Lectern', options.followUpOf);
  const notice = view.notice ? `*${escapeMarkdown(view.notice)}*\n\n` : '';
  const shown = view.quote;
  if (view.status === 'help' || !shown) {
    const message =
      view.message ??
      'Nothing in the library matched that question. Try other words, or /sources to see what I can quote.';
    return {
      ...(question ? { title: q.title } : {}),
      description: truncateWords(notice + escapeMarkdown(message), LIMITS.embedDescription),
      color: COLORS.info,
    };
  }
  const abstained = view.status === 'abstained';
  const intro = abstained
    ? `${escapeMarkdown(view.message ?? 'The text does not seem to address this question.')}\n\n**Closest passage** (${passageLabel(shown.passage, library)}; it may not answer your question):\n`
    : '';
  const head = notice + intro;
  const description =
    head +
    renderExcerpt(shown.passage.text, LIMITS.embedDescription - head.length, {
      sentences: shown.passage.sentences,
      // A quote from inside its paragraph is marked "…" where the paragraph goes on (issue 8 §5).
      within: shown.span,
      ...(shown.highlight ? { focus: shown.highlight } : {}),
    });
  const fields: APIEmbedField[] = [];
  if (q.field) fields.push(q.field);
  for (const other of view.related) {
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
    footer: { text: plain(`${abstained ? 'Closest passage: ' : ''}${citedText(shown)}`, LIMITS.footerText) },
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
  library: LibraryView,
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
    // "More passages" goes on after the last passage the embed shows: one the related rule left out comes next.
    nextOffset: shownThrough(answer, library),
    limit: PAGE_SIZE,
    shown: answer.passages.length,
  };
  return { embeds: [embed], components: answerButtons(library, answer, options.placement, more, true) };
}

/** How many of the answer's ranked passages its embed shows or passes over: the quote's and the related ones. */
function shownThrough(answer: Answer, library: LibraryView): number {
  const view = answerView(answer, library, { related: ANSWER_VIEW_DEFAULTS.morePassages });
  const shown = new Set([view.quote?.passage.id, ...view.related.map((r) => r.passage.id)]);
  const last = answer.passages.findLastIndex((p) => shown.has(p.passage.id));
  return last + 1;
}

/**
 * The answer stage's output: an {@link AnswerView} built from an engine
 * `Answer`, the one place that decides what an answer shows. The terminal
 * (format.ts), JSON (json.ts) and Discord (src/discord/views/answer.ts) only
 * lay it out, so they quote, cite and list the same passages.
 */
import { relatedPassages } from '../search/ask.js';
import type { Answer, AnswerView, CitedPassage, LibraryDocument, Passage, QuoteView, RelatedView } from '../types.js';
import { citationParts } from './citation.js';

/** The library as the view reads it: the `Library` of src/corpus/library.ts and Discord's `LibraryView` both fit. */
export interface PassageLookup {
  getDocument(id: string): LibraryDocument | undefined;
  getPassage(docId: string, paragraph: number): Passage | undefined;
}

export interface AnswerViewOptions {
  /**
   * Most further passages listed: a layout's choice (the terminal's "See also" lists 2, Discord's
   * "Also relevant" 4, a page of five with the quote). Which passages qualify is one rule for all:
   * `relatedPassages` (RELATED_SHARE in src/search/ask.ts).
   */
  related: number;
}

/** A passage with its citation parts (none when its text is gone from the library). */
export function cited(passage: Passage, library: PassageLookup): CitedPassage {
  const doc = library.getDocument(passage.docId);
  return doc ? { passage, citation: citationParts(doc, passage) } : { passage };
}

/** The passage an answer quotes: from the library, else from the answer's own passages. */
function quotedPassage(answer: Answer, library: PassageLookup): Passage | undefined {
  const id = answer.quote?.passageId;
  if (!id) return undefined;
  const hash = id.lastIndexOf('#');
  return (
    library.getPassage(id.slice(0, hash), Number(id.slice(hash + 1))) ??
    answer.passages.find((p) => p.passage.id === id)?.passage
  );
}

/**
 * What an answer shows: its quote (with the best sentence's span and its
 * citation), or without one its best passage whole; the further passages
 * related to the question by the one rule (`relatedPassages`: score at least
 * RELATED_SHARE of the best), the quoted passage left out; and its notices.
 * A help answer, or one that found nothing, has neither quote nor passages.
 *
 * @example
 * const view = answerView(await lectern.ask('Who signed the communiqué?'), lectern.library, { related: 2 });
 * view.quote?.citation?.location // "¶2"
 */
export function answerView(answer: Answer, library: PassageLookup, options: AnswerViewOptions): AnswerView {
  const view: AnswerView = {
    question: answer.question,
    status: answer.status,
    related: [],
    ...(answer.notice ? { notice: answer.notice } : {}),
    ...(answer.message !== undefined ? { message: answer.message } : {}),
    ...(answer.followUp ? { followUpOf: answer.followUp.of } : {}),
  };
  if (answer.status === 'help') return view;
  const quoted = quotedPassage(answer, library);
  const top = answer.passages[0]?.passage;
  let quote: QuoteView | undefined;
  if (answer.quote && quoted) {
    const { start, end, highlight } = answer.quote;
    quote = {
      ...cited(quoted, library),
      span: { start, end },
      highlight: { start: start + highlight.start, end: start + highlight.end },
      quoted: true,
    };
  } else if (top) {
    quote = { ...cited(top, library), span: { start: 0, end: top.text.length }, quoted: false };
  }
  if (quote) view.quote = quote;
  view.related = relatedPassages(answer, options.related)
    .filter((r) => r.passage.id !== quote?.passage.id)
    .map((r): RelatedView => ({ ...cited(r.passage, library), score: r.score }));
  return view;
}

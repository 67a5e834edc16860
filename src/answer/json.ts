import type { Library } from '../corpus/library.js';
import type { Answer } from '../types.js';
import { formatCitation } from './citation.js';

/** The machine-readable form of an answer printed by `npm run ask -- --json`. */
export interface AnswerJson {
  question: string;
  answered: boolean;
  /** The quote (for abstentions: the best span of the closest passage); "" when there is none. */
  quote: string;
  /** Citation of the quote's passage; "" when there is none. */
  citation: string;
  passages: { doc: string; title: string; paragraph: number; text: string; score: number }[];
  /** Usage text or the abstention message, when not answered. */
  message?: string;
  /** E.g. that the question was truncated. */
  notice?: string;
}

/** Converts an answer to its JSON form; `text` is always the full verbatim paragraph. */
export function answerToJson(answer: Answer, library: Library): AnswerJson {
  const quotePassage = answer.quote ? library.getPassageById(answer.quote.passageId) : undefined;
  const quoteDoc = quotePassage ? library.getDocument(quotePassage.docId) : undefined;
  const json: AnswerJson = {
    question: answer.question,
    answered: answer.answered,
    quote: answer.quote?.text ?? '',
    citation: quotePassage && quoteDoc ? formatCitation(quoteDoc, quotePassage.paragraph) : '',
    passages: answer.passages.map((r) => ({
      doc: r.passage.docId,
      title: library.getDocument(r.passage.docId)?.meta.title ?? r.passage.docId,
      paragraph: r.passage.paragraph,
      text: r.passage.text,
      score: Math.round(r.score * 1e4) / 1e4,
    })),
  };
  if (answer.message) json.message = answer.message;
  if (answer.notice) json.notice = answer.notice;
  return json;
}

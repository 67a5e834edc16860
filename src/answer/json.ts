import type { Library } from '../corpus/library.js';
import type { Answer, Passage } from '../types.js';
import { formatCitation, shortLocation } from './citation.js';

/** Where a passage sits in its book, in JSON. */
export interface ChapterJson {
  /** 1-based position among the document's chapters. */
  ordinal: number;
  /** Printed number in arabic digits, when the chapter has one. */
  number?: string;
  title?: string;
  part?: string;
  /** ¶ number within the chapter. */
  paragraph: number;
}

/** The machine-readable form of an answer printed by `npm run ask -- --json`. */
export interface AnswerJson {
  question: string;
  answered: boolean;
  /** The quote (for abstentions: the best span of the closest passage); "" when there is none. */
  quote: string;
  /** Citation of the quote's passage; "" when there is none. */
  citation: string;
  /** Chapter of the quote's passage, when its text has chapters. */
  chapter?: ChapterJson;
  /** `paragraph` is the global ¶ number; `location` the short form readers use ("ch. 1 ¶2"). */
  passages: {
    doc: string;
    title: string;
    paragraph: number;
    location: string;
    chapter?: ChapterJson;
    text: string;
    score: number;
  }[];
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
    citation: quotePassage && quoteDoc ? formatCitation(quoteDoc, quotePassage) : '',
    passages: answer.passages.map((r) => {
      const doc = library.getDocument(r.passage.docId);
      const chapter = chapterJson(library, r.passage);
      return {
        doc: r.passage.docId,
        title: doc?.meta.title ?? r.passage.docId,
        paragraph: r.passage.paragraph,
        location: doc ? shortLocation(doc, r.passage) : `¶${r.passage.paragraph}`,
        ...(chapter ? { chapter } : {}),
        text: r.passage.text,
        score: Math.round(r.score * 1e4) / 1e4,
      };
    }),
  };
  const quoteChapter = quotePassage ? chapterJson(library, quotePassage) : undefined;
  if (quoteChapter) json.chapter = quoteChapter;
  if (answer.message) json.message = answer.message;
  if (answer.notice) json.notice = answer.notice;
  return json;
}

function chapterJson(library: Library, passage: Passage): ChapterJson | undefined {
  const chapter = library.chapterOf(passage);
  if (!chapter || !passage.paragraphInChapter) return undefined;
  return {
    ordinal: chapter.ordinal,
    ...(chapter.number ? { number: chapter.number } : {}),
    ...(chapter.title ? { title: chapter.title } : {}),
    ...(chapter.part ? { part: chapter.part } : {}),
    paragraph: passage.paragraphInChapter,
  };
}

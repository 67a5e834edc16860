import type { Library } from '../corpus/library.js';
import type { Answer, Passage } from '../types.js';
import { citationText } from './citation.js';
import { answerView, cited } from './view.js';

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
  // Every ranked passage is listed (not only the related ones): the JSON is for programs and evaluations.
  const view = answerView(answer, library, { related: 0 });
  const quote = view.quote?.quoted ? view.quote : undefined;
  const json: AnswerJson = {
    question: view.question,
    answered: answer.answered,
    quote: quote ? quote.passage.text.slice(quote.span.start, quote.span.end) : '',
    citation: quote?.citation ? citationText(quote.citation) : '',
    passages: answer.passages.map((r) => {
      const { citation } = cited(r.passage, library);
      const chapter = chapterJson(library, r.passage);
      return {
        doc: r.passage.docId,
        title: citation?.title ?? r.passage.docId,
        paragraph: r.passage.paragraph,
        location: citation?.shortLocation ?? `¶${r.passage.paragraph}`,
        ...(chapter ? { chapter } : {}),
        text: r.passage.text,
        score: Math.round(r.score * 1e4) / 1e4,
      };
    }),
  };
  const quoteChapter = quote ? chapterJson(library, quote.passage) : undefined;
  if (quoteChapter) json.chapter = quoteChapter;
  if (view.message) json.message = view.message;
  if (view.notice) json.notice = view.notice;
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

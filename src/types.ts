/**
 * The data that crosses Lectern's stages, in one place:
 * corpus → embed → index → search → answer → discord/cli.
 *
 * Every `text` here is verbatim from the source file: curly quotes, dashes,
 * ellipses and non-breaking spaces are never normalised in stored text.
 * Normalisation happens only inside matching functions, on copies.
 *
 * What "verbatim" means per format (the rule quotes are checked against):
 * - Plain text and Markdown: a passage's `text` is a slice of the decoded file
 *   (UTF-8, BOM dropped, CRLF read as LF), hard line breaks included.
 * - HTML, XHTML and EPUB: a passage's `text` is the text content of one block
 *   element (entities decoded) with runs of white space folded to one space,
 *   as a browser shows it; page-number markers and footnote references inside
 *   the element are left out (they are not part of the sentence).
 * - A header passage (¶0) built from several lines or elements is those lines,
 *   each verbatim, joined by "\n".
 * Everywhere, quotes are compared with white space folded (see
 * `src/answer/excerpt.ts`): line breaks inside a paragraph are display-only.
 */

/** A character range `[start, end)` inside some text. */
export interface Span {
  start: number;
  end: number;
}

/** Bibliographic metadata parsed from a text's header. */
export interface DocumentMetadata {
  author: string;
  title: string;
  subtitle?: string;
  /** The date line as printed, without parentheses, e.g. "August 1938". */
  dateLine?: string;
  /** The source line verbatim, e.g. "From Socialist Appeal, Vol. 1 No. 3, 28 August 1937, p. 9." */
  source?: string;
  /** Parsed from the source line: "Socialist Appeal". */
  publication?: string;
  /** Parsed from the source line: "Vol. 1 No. 3". */
  issue?: string;
  /** Parsed from the source line: "28 August 1937". */
  date?: string;
  /** Parsed from the source line: "p. 9" (verbatim, may hold a non-breaking space). */
  page?: string;
  /** Transcription credit verbatim. */
  transcription?: string;
  /** "27 July 2018" from a trailing "Last updated on …" line. */
  lastUpdated?: string;
}

/** The file formats Lectern reads (see `src/corpus/formats/`). */
export type TextFormatName = 'plain-text' | 'gutenberg' | 'markdown' | 'html' | 'epub';

/**
 * What a chapter is, as the book names it: a numbered unit of a series ("Chapter 3", "Letter 2",
 * "Stave 1"), or a named section ("Preface", "Epilogue"); `section` is any other titled unit.
 */
export type ChapterKind =
  | 'chapter'
  | 'letter'
  | 'stave'
  | 'preface'
  | 'prologue'
  | 'introduction'
  | 'foreword'
  | 'epilogue'
  | 'afterword'
  | 'appendix'
  | 'section';

/** What encloses chapters: "VOLUME II", "BOOK ONE: 1805", "Part One: Spring"; `section` is any other (an EPUB's "SECTION IV …"). */
export type PartKind = 'volume' | 'book' | 'part' | 'section';

/**
 * A chapter (or a named section such as "Preface" or "Epilogue") of a book,
 * from the format's table of contents or from headings like `CHAPTER I.`.
 * `ordinal` is the only internal key (search filters, passages' `chapter`); readers name a chapter
 * by its kind, number and part, as citations print them (src/corpus/reference.ts reads them back).
 */
export interface Chapter {
  /** 1-based position among the document's chapters, in reading order. */
  ordinal: number;
  /** Which series or section it is: Frankenstein's "Letter 1" and "Chapter 1" are two units, not one. */
  kind: ChapterKind;
  /** The number as printed, converted to arabic ("34" for "XXXIV"); absent for "Epilogue", "Preface"…. */
  number?: string;
  /** "Loomings"; for an unnumbered section its name ("Epilogue"). */
  title?: string;
  /** The heading verbatim, e.g. "CHAPTER 1. Loomings.". */
  heading: string;
  /** The part or book it belongs to, verbatim, e.g. "BOOK ONE: 1805". */
  part?: string;
  /** What the part is, when it has a heading. */
  partKind?: PartKind;
  /** The part's number in arabic ("2" for "VOLUME II"), when it has one. */
  partNumber?: string;
  /** Global ¶ numbers of its first and last body paragraphs. */
  firstParagraph: number;
  lastParagraph: number;
}

/**
 * One paragraph of a document, the unit Lectern quotes and cites.
 * `paragraph` is the ¶ number: 1…N for the body in reading order, 0 for the
 * document's header (title, source, credits), which is searchable so that
 * questions such as "Where was this published?" can be answered by quoting it.
 */
export interface Passage {
  /** `${docId}#${paragraph}` */
  id: string;
  docId: string;
  paragraph: number;
  text: string;
  /** Sentence boundaries inside `text`, in order, covering all of its words. */
  sentences: Span[];
  /** Ordinal of the chapter it belongs to (see {@link LibraryDocument.chapters}); absent outside chapters. */
  chapter?: number;
  /** 1-based paragraph number within its chapter (what a reader finds in a printed copy). */
  paragraphInChapter?: number;
}

/** One text of the library. */
export interface LibraryDocument {
  /** Stable id derived from the file name, e.g. "serge-the-end-of-henry-yagoda-1937". */
  id: string;
  /** File name relative to the texts directory. */
  file: string;
  /** sha256 of the file's bytes. */
  hash: string;
  meta: DocumentMetadata;
  /** Which reader parsed it. */
  format: TextFormatName;
  /** Chapters in reading order; empty for a text without chapters (an article). */
  chapters: Chapter[];
  /** Words in the body paragraphs. */
  wordCount: number;
  /** The header passage (¶0) followed by the body paragraphs ¶1…¶N. */
  passages: Passage[];
}

/**
 * How far a reader has read one text (a reading group's position, or a member's bookmark):
 * nothing after chapter `through` of `docId` is quoted, cited, listed or offered
 * (src/corpus/reading-limit.ts holds the rule).
 */
export interface ReadingLimit {
  docId: string;
  /** Ordinal of the last chapter read; 0 when none has been (only what precedes chapter 1 is open). */
  through: number;
  /** This week's assignment (chapter ordinals, inclusive): favoured in ranking. */
  week?: { from: number; to: number };
}

/** A passage with the scores that ranked it. Higher is better. */
export interface RankedPassage {
  passage: Passage;
  /** Fused score in [0, 1]. */
  score: number;
  /** Best cosine similarity of the question to the passage or one of its sentences. */
  dense: number;
  /** BM25 score normalised to the best lexical hit of this query, in [0, 1]. */
  lexical: number;
}

/** The verbatim span of a passage that best answers a question. */
export interface Quote {
  passageId: string;
  /** Verbatim: `passage.text.slice(start, end)`. */
  text: string;
  start: number;
  end: number;
  /** The single best sentence, relative to `text`: for bold highlighting. */
  highlight: Span;
}

export type AnswerStatus =
  /** The library addresses the question; `quote` is set. */
  | 'answered'
  /** Nothing in the library seems to address it; `passages` still holds the closest ones. */
  | 'abstained'
  /** A greeting or a request for help: `message` holds usage text. */
  | 'help';

/** What Lectern says to a question. */
export interface Answer {
  /**
   * Names the state this answer leaves for follow-ups (the engine's conversation store keeps it
   * for a while): set on answers of a conversation and on replies that follow one up.
   */
  id?: string;
  question: string;
  answered: boolean;
  status: AnswerStatus;
  /** Short text for the reader when not answered (abstention or usage). */
  message?: string;
  /** A notice about the question itself, e.g. that it was truncated. */
  notice?: string;
  /** Set when answered; for abstentions, the best span of the closest passage. */
  quote?: Quote;
  /** Best first. */
  passages: RankedPassage[];
  /** Set when the message followed up an earlier question instead of asking a new one. */
  followUp?: FollowUp;
}

/**
 * How a message continued the conversation: "why" looks for the reason near the
 * previous answer, "more" gives passages not yet shown, "context" shows the text
 * around the last quote.
 */
export interface FollowUp {
  kind: 'why' | 'more' | 'context';
  /** The question that was searched: the last new question of the conversation. */
  of: string;
}

/** A citation's parts (src/answer/citation.ts), for views that lay them out themselves (e.g. an embed footer). */
export interface Citation {
  author: string;
  title: string;
  /** True for a book (a text with chapters): its title is not put in quotation marks. */
  book: boolean;
  /** "Socialist Appeal, Vol. 1 No. 3, 28 August 1937, p. 9", or what of it is known. */
  source?: string;
  /** `ch. 1 "Loomings", ¶2` or `Letter 2 ¶3` in a book, `¶4` in an article, `¶0` for a header. */
  location: string;
  /** The short form for lists: `ch. 1 ¶2`, `¶4`. */
  shortLocation: string;
}

/** A passage an answer shows, with its citation (absent when its text is no longer in the library). */
export interface CitedPassage {
  passage: Passage;
  citation?: Citation;
}

/** What an answer shows first: its quote, a span of a passage with the best sentence inside it. */
export interface QuoteView extends CitedPassage {
  /** The part of `passage.text` shown: the quote's span; the whole passage when the answer has no quote. */
  span: Span;
  /** The best sentence, in `passage.text` offsets, inside `span`; absent without a quote. */
  highlight?: Span;
  /** False when the answer has no quote and its best passage is shown whole instead. */
  quoted: boolean;
}

/** A further passage listed under the quote ("See also", "Also relevant", "Also close"). */
export interface RelatedView extends CitedPassage {
  score: number;
}

/**
 * An answer as every view shows it (src/answer/view.ts builds it): the terminal,
 * JSON and Discord only lay it out, so they agree on what is quoted, cited and listed.
 */
export interface AnswerView {
  question: string;
  status: AnswerStatus;
  /** A notice about the question itself, e.g. that it was truncated. */
  notice?: string;
  /** The usage text (help) or why the answer was declined (abstained). */
  message?: string;
  /** The question this answer followed up ("why?", "more", "tell me more"). */
  followUpOf?: string;
  /** The quote; for an abstention, the closest passage's best span. Absent for help, or when nothing was found. */
  quote?: QuoteView;
  /** Further passages related to the question, best first: one rule for every view (`relatedPassages`). */
  related: RelatedView[];
}

/**
 * Where a library's texts are read from: every text file of a folder, or only the files named. A server's
 * library (src/libraries) is the host's shared folder and the server's own files; a file name is unique
 * across the sources of one library (the manifest records texts by file name).
 */
export interface TextSource {
  dir: string;
  /** Only these files of `dir` (by name); default every file {@link listTextFiles} lists. */
  files?: readonly string[];
}

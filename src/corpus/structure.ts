import type {
  Chapter,
  ChapterKind,
  DocumentMetadata,
  LibraryDocument,
  PartKind,
  Passage,
  Span,
  TextFormatName,
} from '../types.js';
import { NUMBER_TEENS, NUMBER_TENS, NUMBER_UNITS, ORDINAL_WORDS } from '../text/words.js';
import { splitSentences } from './sentences.js';

/**
 * What every format reader produces: metadata, an optional header (¶0) and
 * the body in reading order, with the places where parts and chapters begin.
 * `assembleDocument` turns it into a {@link LibraryDocument}, so numbering,
 * sentences and chapters work the same for every format.
 */
export interface ParsedText {
  format: TextFormatName;
  meta: DocumentMetadata;
  header?: { text: string; sentences: Span[] };
  items: BodyItem[];
}

export type BodyItem =
  | { kind: 'paragraph'; text: string }
  | { kind: 'part'; heading: string }
  | { kind: 'chapter'; heading: string; number?: string; title?: string };

/** Number words used in headings such as "BOOK ONE" or "Chapter the Twelfth" (src/text/words.ts). */
const NUMBER_WORDS = [...NUMBER_UNITS, ...NUMBER_TEENS, NUMBER_TENS[0]!];
const NUMBER_TOKEN = `\\d{1,4}|[IVXLCDM]{1,8}|${[...NUMBER_WORDS, ...ORDINAL_WORDS].join('|')}`;

/** "CHAPTER I.", "Chapter 1", "CHAPTER 1. Loomings.", "Chapter XII: The Ball", "Chapter the First". */
const CHAPTER_HEADING = new RegExp(
  `^(?:chapter|chap\\.|letter|stave)\\s+(?:the\\s+)?(${NUMBER_TOKEN})\\b\\.?(?:\\s*[.:—–-]\\s*|\\s+)?(.*)$`,
  'i',
);
/** "BOOK ONE: 1805", "PART II", "Volume 1", "FIRST EPILOGUE" is a chapter, not a part. */
const PART_HEADING = new RegExp(
  `^(?:book|part|volume|vol\\.)\\s+(?:the\\s+)?(${NUMBER_TOKEN})\\b\\.?(?:\\s*[.:—–-]\\s*|\\s+)?(.*)$`,
  'i',
);
/** Named sections that read as chapters of their own. */
const NAMED_SECTION =
  /^(?:(?:first|second|third|the)\s+)?(preface|prologue|epilogue|introduction|foreword|afterword|prelude|conclusion|appendix|postscript|etymology|extracts|author'?s note)\b[\s.:—–-]*([^\n]*)$/i;
/** Headings of navigation, not of text: what follows them is not read. */
const CONTENTS_HEADING = /^(?:(?:table of )?contents|index|list of illustrations|illustrations)\.?$/i;
/** A TOC entry or numbered heading: "190 A FOUR-LEAVED CLOVER", "IV. An Eastern Garden", "3: The Wolf". */
const NUMBERED_TITLE = /^(\d{1,4}|[IVXLCDM]{1,8}(?=[.:]))[.:)]?\s+(.+)$/;

export type HeadingKind = { kind: 'part' | 'chapter'; number?: string; title?: string } | { kind: 'contents' };

/** Converts a printed number ("XXXIV", "twelfth", "7") to arabic digits; undefined if it is none of these. */
export function toArabic(token: string): string | undefined {
  if (/^\d+$/.test(token)) return String(Number(token));
  const word = token.toLowerCase();
  const n = NUMBER_WORDS.indexOf(word);
  if (n >= 0) return String(n + 1);
  const o = ORDINAL_WORDS.indexOf(word);
  if (o >= 0) return String(o + 1);
  if (!/^[IVXLCDM]+$/i.test(token)) return undefined;
  const values: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };
  const digits = token
    .toUpperCase()
    .split('')
    .map((c) => values[c]!);
  let total = 0;
  digits.forEach((v, i) => (total += v < (digits[i + 1] ?? 0) ? -v : v));
  return total > 0 ? String(total) : undefined;
}

const cleanTitle = (title: string | undefined): string | undefined => {
  const t = title
    ?.replace(/\s+/g, ' ')
    .replace(/^[\s.:—–-]+/, '')
    .replace(/\.$/, '')
    .trim();
  return t ? t : undefined;
};

/**
 * The heading level that holds chapters, in formats with levels (Markdown `#`, HTML `<h1>`…): the level
 * of the first numbered chapter heading, else the shallowest level used at least twice (a single
 * heading is the title). Shallower levels are parts; deeper ones are sections inside a chapter.
 */
export function chapterHeadingLevel(headings: readonly { level: number; text: string }[]): number | undefined {
  const numbered = headings.find((h) => classifyHeading(h.text)?.kind === 'chapter');
  if (numbered) return numbered.level;
  const counts = new Map<number, number>();
  for (const h of headings) counts.set(h.level, (counts.get(h.level) ?? 0) + 1);
  return [...counts.entries()]
    .filter(([, n]) => n >= 2)
    .map(([level]) => level)
    .sort((a, b) => a - b)[0];
}

/**
 * Reads a heading's text as a part, a chapter or a table of contents; null
 * for any other text. Works on the words alone, so it serves plain text
 * (where headings are lines) and markup (where they are `<h2>` or `##`).
 *
 * @example
 * classifyHeading('CHAPTER 1. Loomings.') // { kind: 'chapter', number: '1', title: 'Loomings' }
 * classifyHeading('BOOK ONE: 1805')       // { kind: 'part', number: '1', title: '1805' }
 */
export function classifyHeading(raw: string): HeadingKind | null {
  const text = raw.replace(/\s+/g, ' ').trim();
  if (!text || text.length > 120) return null;
  if (CONTENTS_HEADING.test(text)) return { kind: 'contents' };
  const chapter = CHAPTER_HEADING.exec(text);
  if (chapter) {
    const number = toArabic(chapter[1]!);
    // "Chapter 5 of the treaty says…" is prose, not a heading.
    if (number && !/^\p{Ll}/u.test(chapter[2] ?? '')) return { kind: 'chapter', number, title: cleanTitle(chapter[2]) };
  }
  const part = PART_HEADING.exec(text);
  if (part) {
    const number = toArabic(part[1]!);
    if (number && !/^\p{Ll}/u.test(part[2] ?? '')) return { kind: 'part', number, title: cleanTitle(part[2]) };
  }
  const named = NAMED_SECTION.exec(text);
  if (named && text.split(' ').length <= 8) return { kind: 'chapter', title: cleanTitle(text) };
  return null;
}

/** The series word of a numbered heading ("Letter 2" → letter); "chapter" for a bare number ("190 A FOUR-LEAVED CLOVER"). */
const SERIES_WORD = /^(chapter|chap\.|letter|stave)\s/i;
/** The named sections that have a kind of their own; any other unnumbered heading is a `section`. */
const NAMED_KINDS: Record<string, ChapterKind> = {
  preface: 'preface',
  prologue: 'prologue',
  prelude: 'prologue',
  introduction: 'introduction',
  foreword: 'foreword',
  epilogue: 'epilogue',
  afterword: 'afterword',
  appendix: 'appendix',
};

/**
 * What a chapter heading names: "Letter 2" a letter, "CHAPTER 1. Loomings." or "190 A FOUR-LEAVED
 * CLOVER" a chapter, "PREFACE" or "Second Epilogue" a preface or an epilogue, anything else a section.
 */
export function chapterKindOf(heading: string, numbered: boolean): ChapterKind {
  const text = heading.replace(/\s+/g, ' ').trim();
  const series = SERIES_WORD.exec(text)?.[1]?.toLowerCase();
  if (numbered) return series === 'letter' ? 'letter' : series === 'stave' ? 'stave' : 'chapter';
  const named = NAMED_SECTION.exec(text)?.[1]?.toLowerCase();
  return (named && NAMED_KINDS[named]) || 'section';
}

/** What a part heading names, and its number: "VOLUME II" → volume 2; "SECTION IV …" (an EPUB part) → section. */
export function partKindOf(heading: string): { kind: PartKind; number?: string } {
  const text = heading.replace(/\s+/g, ' ').trim();
  const part = PART_HEADING.exec(text);
  const number = part ? toArabic(part[1]!) : undefined;
  if (!part || !number) return { kind: 'section' };
  const word = text.slice(0, 3).toLowerCase();
  return { kind: word === 'vol' ? 'volume' : word === 'boo' ? 'book' : 'part', number };
}

/** A TOC entry's title read as a chapter: "Chapter 3: The Wolf", "190 A FOUR-LEAVED CLOVER", or a title alone. */
export function chapterFromTitle(raw: string): { number?: string; title?: string } {
  const text = raw.replace(/\s+/g, ' ').trim();
  const heading = classifyHeading(text);
  if (heading && heading.kind !== 'contents')
    return { number: heading.number, title: heading.title ?? (heading.number ? undefined : text) };
  const numbered = NUMBERED_TITLE.exec(text);
  if (numbered) {
    const number = toArabic(numbered[1]!);
    if (number) return { number, title: cleanTitle(numbered[2]) };
  }
  return { title: cleanTitle(text) };
}

/**
 * Numbers the body paragraphs ¶1…¶N, splits them into sentences, and groups
 * them into chapters. Chapters without any paragraph (a plain-text table of
 * contents whose entries look like headings) are dropped.
 */
export function assembleDocument(
  base: { id: string; file: string; hash: string },
  parsed: ParsedText,
  sentences: (text: string) => Span[] = splitSentences,
): LibraryDocument {
  const { id } = base;
  const passages: Passage[] = [];
  if (parsed.header?.text)
    passages.push({
      id: `${id}#0`,
      docId: id,
      paragraph: 0,
      text: parsed.header.text,
      sentences: parsed.header.sentences,
    });
  const chapters: Chapter[] = [];
  type Enclosing = Pick<Chapter, 'part' | 'partKind' | 'partNumber'>;
  let part: Enclosing = {};
  let pending: Omit<Chapter, 'ordinal' | 'firstParagraph' | 'lastParagraph'> | null = null;
  let current: Chapter | null = null;
  let number = 0;
  let words = 0;
  for (const item of parsed.items) {
    if (item.kind === 'part') {
      const { kind, number: partNumber } = partKindOf(item.heading);
      part = { part: item.heading, partKind: kind, ...(partNumber ? { partNumber } : {}) };
      pending = null;
      current = null;
    } else if (item.kind === 'chapter') {
      // War and Peace's "FIRST EPILOGUE", then "CHAPTER I": a named heading with no text of its own,
      // followed by chapter numbering that starts again, encloses those chapters like a part.
      const previous = chapters[chapters.length - 1];
      if (
        pending &&
        !pending.number &&
        item.number === '1' &&
        previous?.number &&
        Number(previous.number) > 1 &&
        chapterKindOf(item.heading, true) === previous.kind
      ) {
        part = { part: pending.heading, partKind: 'section' };
      }
      pending = {
        kind: chapterKindOf(item.heading, item.number !== undefined),
        heading: item.heading,
        ...(item.number ? { number: item.number } : {}),
        ...(item.title ? { title: item.title } : {}),
        ...part,
      };
      current = null;
    } else {
      const text = item.text;
      // A scene break ("* * * * *") has no words: it is not a paragraph, in print or here.
      if (!/[\p{L}\p{N}]/u.test(text)) continue;
      number++;
      words += text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
      if (pending) {
        current = { ordinal: chapters.length + 1, ...pending, firstParagraph: number, lastParagraph: number };
        chapters.push(current);
        pending = null;
      }
      const passage: Passage = {
        id: `${id}#${number}`,
        docId: id,
        paragraph: number,
        text,
        sentences: sentences(text),
      };
      if (current) {
        current.lastParagraph = number;
        passage.chapter = current.ordinal;
        passage.paragraphInChapter = number - current.firstParagraph + 1;
      }
      passages.push(passage);
    }
  }
  return { ...base, meta: parsed.meta, format: parsed.format, chapters, wordCount: words, passages };
}

/**
 * How readers name the places of a book, both ways: the label a citation prints for a chapter
 * ("ch. 34", "Letter 2", "Vol. 2, ch. 3", "Epilogue") and the parser that reads every such label,
 * and the references built on it ("Letter 2 ¶3", "letter 2.3", "ch. 1 ¶10", "1.10", "2.3.4"), back
 * to a chapter. Kept in one file so that whatever a citation prints, `/passage`, `/chapter`,
 * `--chapter` and autocompletion accept.
 *
 * The syntax (docs/formats.md, "References"):
 * - a chapter: `34`, `XXXIV`, `ch. 34`, `chapter 34` (a bare number is the book's main series,
 *   "Chapter N", never a letter); `Letter 2`, `stave 1` (another series, by its name); `Preface`,
 *   `loom` (a title or its start); with a part when numbers restart: `Vol. 2, ch. 3`, `book 2 chapter 3`;
 *   a part alone (`Vol. 2`) is its first chapter;
 * - a passage: a chapter, then its ¶: `ch. 34 ¶5`, `34.5`, `34:5`, `Letter 2 ¶3`, `letter 2.3`,
 *   `Vol. 2, ch. 3 ¶4`, `2.3.4` (part, chapter, ¶), the long form `ch. 1 "Loomings", ¶2`; or a ¶
 *   counted through the whole text: `612`, `¶612`, `0` (the header);
 * - a range of chapters (search restrictions): two chapters joined by `-`, `–`, `..` or `to`: `30-35`,
 *   `Letter 1-4`, `Vol. 2, ch. 1-5` (the second end is read in the first one's part).
 */
import type { Chapter, ChapterKind, LibraryDocument, PartKind } from '../types.js';
import { toArabic } from './structure.js';

/** How a numbered unit is printed before its number: the chapter series is "ch.", the others by name. */
const SERIES_LABEL: Partial<Record<ChapterKind, string>> = { chapter: 'ch.', letter: 'Letter', stave: 'Stave' };
/** How a numbered part is printed before its number. */
const PART_LABEL: Record<PartKind, string> = { volume: 'Vol.', book: 'Book', part: 'Part', section: '' };
/** Words a reader may write before a unit's number, and the series each means. */
const SERIES_WORDS: Record<string, ChapterKind> = {
  ch: 'chapter',
  chap: 'chapter',
  chapter: 'chapter',
  letter: 'letter',
  stave: 'stave',
};
/** Words a reader may write before a part's number. */
const PART_WORDS: Record<string, PartKind> = {
  vol: 'volume',
  volume: 'volume',
  book: 'book',
  bk: 'book',
  part: 'part',
  pt: 'part',
};

/** What a reader's chapter reference asks for; every field given must match. */
interface ChapterSpec {
  part?: { kind?: PartKind; number?: string; heading?: string };
  kind?: ChapterKind;
  /** A number in arabic digits. */
  number?: string;
  /** A bare number: the main series, or the ordinal in a book that numbers no chapter. */
  bare?: boolean;
  /** A title or its start. */
  title?: string;
}

interface Structure {
  /** The numbered series a bare number means: chapters when there are any, never Frankenstein's letters. */
  main?: ChapterKind;
  /** True when a series repeats a number (chapters restart in each volume): labels must name the part. */
  repeats: boolean;
  /** True when some chapter has a number. */
  numbered: boolean;
}
const structures = new WeakMap<LibraryDocument, Structure>();

/** The main series of a book and whether its numbers repeat, computed once per document. */
export function documentStructure(doc: LibraryDocument): Structure {
  let known = structures.get(doc);
  if (known) return known;
  const counts = new Map<ChapterKind, number>();
  const seen = new Set<string>();
  let repeats = false;
  for (const c of doc.chapters) {
    if (!c.number) continue;
    counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
    const key = `${c.kind} ${c.number}`;
    if (seen.has(key)) repeats = true;
    seen.add(key);
  }
  // Chapters whenever the book has any (Frankenstein's 4 letters never take "1"); else its most used series (staves).
  const main = counts.has('chapter') ? 'chapter' : [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  known = { ...(main ? { main } : {}), repeats, numbered: counts.size > 0 };
  structures.set(doc, known);
  return known;
}

/** "Vol. 2", "Book 1", "Part 3"; a part without a number by its heading ("FIRST EPILOGUE"). */
export function partLabel(chapter: Chapter): string | undefined {
  if (!chapter.part) return undefined;
  const word = chapter.partKind ? PART_LABEL[chapter.partKind] : '';
  return word && chapter.partNumber ? `${word} ${chapter.partNumber}` : chapter.part;
}

/**
 * A chapter as a reader names it: "ch. 34", "Letter 2", "Epilogue"; with its part when numbers
 * restart in each one: "Vol. 2, ch. 3". {@link findChapter} reads every such label back.
 */
export function chapterName(doc: LibraryDocument, chapter: Chapter): string {
  const series = SERIES_LABEL[chapter.kind] ?? 'ch.';
  const own = chapter.number ? `${series} ${chapter.number}` : (chapter.title ?? chapter.heading);
  const part = partLabel(chapter);
  return part && chapter.number && documentStructure(doc).repeats ? `${part}, ${own}` : own;
}

/**
 * The shortest reference that {@link findChapter} reads back as this chapter, for commands and
 * autocompletion: `34` for the main series, `Letter 2`, `Vol. 2, ch. 3`, a title ("Epilogue"),
 * or the ordinal in a book that numbers no chapter.
 */
export function chapterReference(doc: LibraryDocument, chapter: Chapter): string {
  const { main, repeats, numbered } = documentStructure(doc);
  if (chapter.number) {
    return chapter.kind === main && !(repeats && chapter.part) ? chapter.number : chapterName(doc, chapter);
  }
  return numbered ? (chapter.title ?? chapter.heading) : String(chapter.ordinal);
}

function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** One line, a quoted title after a label dropped (`ch. 1 "Loomings", ¶2`), a lone quoted title unquoted. */
function clean(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/(\S)\s*["“][^"”]*["”]/g, '$1')
    .replace(/^["“]([^"”]*)["”]/, '$1')
    .replace(/\s+,/g, ',')
    .replace(/[\s,;:]+$/, '')
    .trim();
}

/** A printed number ("3", "III", "three") in arabic digits. */
function arabic(token: string): string | undefined {
  return toArabic(token.replace(/\.$/, ''));
}

const SERIES_UNIT = /^(ch|chap|chapter|letter|stave)\.?\s*([\p{L}\d]+)\.?$/iu;
const PART_PREFIX = /^(vol|volume|book|bk|part|pt)\.?\s*([\p{L}\d]+)(?:\s*[,:;]\s*|\s+|$)(.*)$/iu;
/** A unit or part word without its number: never read as a title ("letter" is not "Letter 1"). */
const BARE_WORD = /^(?:ch|chap|chapter|letter|stave|vol|volume|book|bk|part|pt)\.?$/i;

/** Reads a chapter reference; null when it cannot name a chapter at all (empty, or a bare "letter"). */
function parseSpec(doc: LibraryDocument, raw: string): ChapterSpec | null {
  let text = clean(raw);
  if (!text || BARE_WORD.test(text)) return null;
  const spec: ChapterSpec = {};
  const part = PART_PREFIX.exec(text);
  const partNumber = part ? arabic(part[2]!) : undefined;
  if (part && partNumber) {
    spec.part = { kind: PART_WORDS[part[1]!.toLowerCase()], number: partNumber };
    text = part[3]!.trim();
  } else if (text.includes(',')) {
    // A part printed by its heading: "FIRST EPILOGUE: 1813 - 20, ch. 1".
    const cut = text.lastIndexOf(',');
    const heading = fold(text.slice(0, cut).trim());
    if (doc.chapters.some((c) => c.part && fold(c.part).startsWith(heading))) {
      spec.part = { heading };
      text = text.slice(cut + 1).trim();
    }
  }
  if (!text) return spec.part ? spec : null;
  if (BARE_WORD.test(text)) return null;
  const unit = SERIES_UNIT.exec(text);
  const unitNumber = unit ? arabic(unit[2]!) : undefined;
  if (unit && unitNumber) return { ...spec, kind: SERIES_WORDS[unit[1]!.toLowerCase()], number: unitNumber };
  if (/^\d+$/.test(text)) return { ...spec, bare: true, number: String(Number(text)) };
  // A bare Roman numeral ("XII") is a number when a chapter has it, else the start of a title ("Ci…").
  const roman = /^[ivxlcdm]+$/i.test(text) ? arabic(text) : undefined;
  return roman ? { ...spec, bare: true, number: roman, title: text } : { ...spec, title: text };
}

function inPart(chapter: Chapter, part: NonNullable<ChapterSpec['part']>): boolean {
  if (part.heading !== undefined) return !!chapter.part && fold(chapter.part).startsWith(part.heading);
  return chapter.partNumber === part.number;
}

/** The chapters a spec names, in reading order (the first is the answer). */
function matching(doc: LibraryDocument, spec: ChapterSpec): Chapter[] {
  const { main, numbered } = documentStructure(doc);
  let chapters = doc.chapters;
  if (spec.part) {
    const part = spec.part;
    const inIt = chapters.filter((c) => inPart(c, part));
    // "Book 2" in a book of volumes: the number decides when no part is of the kind written.
    const ofKind = part.kind ? inIt.filter((c) => c.partKind === part.kind) : inIt;
    chapters = ofKind.length ? ofKind : inIt;
    if (!spec.number && spec.title === undefined) return chapters;
  }
  if (spec.number) {
    if (spec.bare && !numbered) {
      const byOrdinal = chapters[Number(spec.number) - 1];
      return byOrdinal ? [byOrdinal] : [];
    }
    const numberIs = (kind: ChapterKind | undefined) =>
      chapters.filter((c) => c.number === spec.number && c.kind === kind);
    let found = numberIs(spec.kind ?? main);
    // "chapter 2" in a book whose main series is staves: the main series.
    if (!found.length && spec.kind === 'chapter') found = numberIs(main);
    // A Roman numeral no chapter has ("Ci") may still start a title.
    if (found.length || spec.title === undefined) return found;
  }
  if (spec.title === undefined) return [];
  const wanted = fold(spec.title);
  const exact = chapters.filter((c) => fold(c.title ?? '') === wanted || fold(c.heading) === wanted);
  if (exact.length) return exact;
  return chapters.filter((c) => fold(c.title ?? '').startsWith(wanted) || fold(c.heading).startsWith(wanted));
}

/**
 * The chapter a reference names (see the syntax above), the first in reading order when several
 * match; with `near`, one in the same part as `near` is preferred (the second end of a range).
 *
 * @example
 * findChapter(frankenstein, '1')        // Chapter 1, not Letter 1
 * findChapter(frankenstein, 'Letter 1') // Letter 1
 * findChapter(twoVolumes, 'Vol. 2, ch. 3')
 */
export function findChapter(doc: LibraryDocument, reference: string, near?: Chapter): Chapter | undefined {
  const spec = parseSpec(doc, reference);
  if (!spec) return undefined;
  const found = matching(doc, spec);
  if (near && !spec.part) return found.find((c) => c.part === near.part) ?? found[0];
  return found[0];
}

/** Where a reference points: a global ¶ number, and the chapter when it was read as "chapter, ¶". */
export interface ParsedReference {
  paragraph: number;
  chapter?: Chapter;
}

/** "2.3.4": part 2, chapter 3 of the main series, ¶4. */
const PART_CHAPTER_PARAGRAPH = /^(\d+)[.:](\d+)[.:](\d+)$/;
/** A chapter reference, then a separator, then the ¶ within it: "34.5", "Letter 2 ¶3", "ch. 34 paragraph 5". */
const CHAPTER_PARAGRAPH = /^(.+?)\s*(?:[.:]|,?\s*(?:¶|p(?:ara(?:graph)?)?\.?)\s*|\s+)(\d+)$/i;
const GLOBAL_PARAGRAPH = /^(?:¶|p(?:ara(?:graph)?)?\.?\s*)?(\d+)$/i;

/**
 * Reads a passage reference (see the syntax above) as a global ¶ number; undefined when it names
 * no chapter or a ¶ the chapter does not have. A global ¶ is not checked against the text.
 */
export function parseReference(doc: LibraryDocument, reference: string): ParsedReference | undefined {
  const text = clean(reference);
  const global = GLOBAL_PARAGRAPH.exec(text);
  if (global) return { paragraph: Number(global[1]) };
  const within = (chapter: Chapter | undefined, n: number): ParsedReference | undefined => {
    if (!chapter || n < 1 || chapter.firstParagraph + n - 1 > chapter.lastParagraph) return undefined;
    return { paragraph: chapter.firstParagraph + n - 1, chapter };
  };
  const triple = PART_CHAPTER_PARAGRAPH.exec(text);
  if (triple) {
    const [part, number, paragraph] = triple.slice(1).map(Number) as [number, number, number];
    const chapter = matching(doc, { part: { number: String(part) }, bare: true, number: String(number) })[0];
    if (chapter) return within(chapter, paragraph);
  }
  // The whole reference as a chapter first: "Letter 1" is Letter 1, not ¶1 of a chapter titled "Letter".
  const whole = findChapter(doc, text);
  if (whole) return within(whole, 1);
  const split = CHAPTER_PARAGRAPH.exec(text);
  return split ? within(findChapter(doc, split[1]!), Number(split[2])) : undefined;
}

/** A chapter restriction read as ordinals, or why it cannot be. */
export type ParsedRange = { from: number; to: number } | { missing: string };

const RANGE = /^(.+?)\s*(?:-|–|—|\.\.)\s*(.+)$|^(.+?)\s+to\s+(.+)$/i;

/**
 * Reads a chapter restriction: one chapter, or two joined by `-`, `–`, `..` or `to` (`30-35`,
 * `Letter 1-4`, `Vol. 2, ch. 1-5`). A title with a hyphen ("The Chase-First Day") is one chapter.
 */
export function parseChapterRange(doc: LibraryDocument, value: string): ParsedRange {
  const label = value.trim();
  const single = findChapter(doc, label);
  if (single) return { from: single.ordinal, to: single.ordinal };
  const range = RANGE.exec(label);
  if (!range) return { missing: label };
  const [first, second] = range[1] !== undefined ? [range[1], range[2]!] : [range[3]!, range[4]!];
  const a = findChapter(doc, first);
  if (!a) return { missing: first };
  // "Letter 1-4": the second end is a number of the same series, in the same part.
  const b = /^\d+$/.test(second.trim())
    ? (findChapter(doc, `${partPrefix(doc, a)}${a.number ? seriesWord(a) : ''}${second.trim()}`, a) ??
      findChapter(doc, second, a))
    : findChapter(doc, second, a);
  if (!b) return { missing: second };
  return { from: Math.min(a.ordinal, b.ordinal), to: Math.max(a.ordinal, b.ordinal) };
}

function seriesWord(chapter: Chapter): string {
  return `${SERIES_LABEL[chapter.kind] ?? 'ch.'} `;
}

function partPrefix(doc: LibraryDocument, chapter: Chapter): string {
  const part = partLabel(chapter);
  return part && documentStructure(doc).repeats ? `${part}, ` : '';
}

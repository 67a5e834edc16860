/**
 * The plain-text reader: paragraphs, chapter headings and the Marxists Internet Archive header. One
 * format, one file; its length is the header rules, which must keep the bundled article exactly as before.
 */
import type { DocumentMetadata, Span } from '../../types.js';
import { definedOnly, plausibleName, titlePageByline, type MetaOverrides } from '../metadata.js';
import { decodeText } from '../decode.js';
import { parseSourceLine } from '../source-line.js';
import { chapterHeadingLevel, classifyHeading, type BodyItem, type ParsedText } from '../structure.js';
import { fallbackMeta, type FormatInput, type TextFormat } from './format.js';

/** A run of non-blank lines and where it sits in the file. */
export interface Block extends Span {
  text: string;
}

/** How many leading blocks may belong to a header. */
const MAX_HEADER_BLOCKS = 10;
/** A lead-in this short that ends with a colon belongs with the quotation after it. */
const MAX_LEAD_IN_LENGTH = 300;
/** A line this long or longer is prose, never a heading. */
const MAX_HEADING_LENGTH = 100;

const SOURCE_LINE = /^(From|Source:|First published|Published)\b/i;
const CREDIT_LINE =
  /^(Transcribed|Transcription|Marked up|Proofread|Translated|Translation|HTML|Copyleft|Public Domain)\b/i;
const DATE_LINE = /^\((.+)\)$/s;
const UPDATED_LINE = /^Last updated on (.+?)\.?$/;
const MARKDOWN_HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;

/** Runs of non-blank lines of `text` between `from` and `to`, trimmed, with their offsets. */
export function splitBlocks(text: string, from = 0, to = text.length): Block[] {
  const blocks: Block[] = [];
  // Reliability fix: `(?<![^\n])` lets a match start only at a line start. Without it every
  // position of a long white-space line re-scanned the line: 100 kB of spaces took ~7 s.
  const pattern = /(?<![^\n])[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*/g;
  pattern.lastIndex = from;
  for (const match of text.matchAll(pattern)) {
    if (match.index >= to) break;
    const start = match.index;
    const raw = match[0].slice(0, Math.max(0, to - start));
    // Trim surrounding white space but keep the block verbatim inside.
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (trimmed) blocks.push({ start: start + lead, end: start + lead + trimmed.length, text: trimmed });
  }
  return blocks.filter((b) => b.start >= from);
}

function lines(block: Block): string[] {
  return block.text.split('\n').map((line) => line.trim());
}

/** Simple `key: value` front matter between `---` lines, as many Markdown tools write it. */
export function parseFrontMatter(text: string): { meta: MetaOverrides; end: number } | null {
  const match = /^---\n([\s\S]*?)\n---(?:\n|$)/.exec(text);
  if (!match) return null;
  const meta: Record<string, string> = {};
  for (const line of match[1]!.split('\n')) {
    const kv = /^\s*([A-Za-z]+)\s*:\s*(.*?)\s*$/.exec(line);
    if (kv && kv[2]) meta[kv[1]!.toLowerCase()] = kv[2].replace(/^["']|["']$/g, '');
  }
  return { meta: metaFromFields(meta), end: match[0].length };
}

/**
 * Metadata from `key: value` fields (front matter or a sidecar file). A
 * `date:` is the date line; when a `source:` is given too, the date is also
 * the source's date unless the source line names one, so the citation shows it.
 */
export function metaFromFields(fields: Record<string, string | undefined>): MetaOverrides {
  const known: MetaOverrides = {
    author: fields.author,
    title: fields.title,
    subtitle: fields.subtitle,
    dateLine: fields.date ?? fields.dateline,
    source: fields.source,
    publication: fields.publication,
    issue: fields.issue,
    page: fields.page,
    transcription: fields.transcription,
  };
  if (fields.source) {
    const parsed = parseSourceLine(fields.source);
    Object.assign(known, { ...parsed, ...definedOnly(known) });
    known.date ??= parsed.date ?? fields.date;
  }
  return definedOnly(known);
}

const isShortLine = (block: Block): boolean =>
  !block.text.includes('\n') && block.text.length <= 120 && !/[.!?:;,]$/.test(block.text);

/**
 * Finds the header blocks of a Marxists-Internet-Archive-style text: author,
 * title, subtitle, "(date)", "From …" source line, transcription credits.
 * Returns how many leading blocks form the header and the metadata read from them.
 * A heading (`CHAPTER I.`, `BOOK ONE: 1805`) is never part of a header.
 */
function parseHeader(allBlocks: Block[], fallback: DocumentMetadata): { count: number; meta: DocumentMetadata } {
  const meta: DocumentMetadata = { ...fallback };
  const firstHeading = allBlocks.findIndex(
    (b) => !b.text.includes('\n') && classifyHeading(b.text.replace(/^#+\s*/, '')) !== null,
  );
  const blocks = firstHeading >= 0 ? allBlocks.slice(0, firstHeading + 1) : allBlocks;
  let last = -1;
  const limit = Math.min(blocks.length - 1, MAX_HEADER_BLOCKS);
  for (let i = 0; i < limit; i++) {
    const block = blocks[i]!;
    const blockLines = lines(block);
    if (blockLines.some((line) => SOURCE_LINE.test(line) || CREDIT_LINE.test(line)) || DATE_LINE.test(block.text)) {
      last = i;
    }
  }
  if (last < 0) {
    // No source or credit lines: accept "Author / Title" or "# Title" openings only.
    const first = blocks[0];
    if (!first || blocks.length < 2) return { count: 0, meta };
    if (first.text.startsWith('#') && !first.text.includes('\n')) {
      meta.title = first.text.replace(/^#+\s*/, '');
      return { count: 1, meta };
    }
    // "PRIDE AND PREJUDICE" / "By Jane Austen": a title page with a byline (the heading, if any, not included).
    const byline = titlePageByline(blocks.slice(0, Math.min(2, blocks.length - 1)).map(lines));
    if (byline) return { count: byline.count, meta: { ...meta, title: byline.title, author: byline.author } };
    const second = blocks[1];
    if (isShortLine(first) && plausibleName(first.text) && second && isShortLine(second) && blocks.length > 2) {
      meta.author = first.text;
      meta.title = second.text;
      return { count: 2, meta };
    }
    return { count: 0, meta };
  }

  const header = blocks.slice(0, last + 1);
  const plain: string[] = [];
  for (const block of header) {
    const blockLines = lines(block);
    const date = DATE_LINE.exec(block.text);
    if (date && blockLines.length <= 2) {
      meta.dateLine = date[1]!.replace(/\s+/g, ' ');
      continue;
    }
    const rest: string[] = [];
    for (const line of blockLines) {
      if (SOURCE_LINE.test(line) && !meta.source) {
        meta.source = line;
        Object.assign(meta, parseSourceLine(line));
      } else if (CREDIT_LINE.test(line)) {
        meta.transcription = meta.transcription ? `${meta.transcription} ${line}` : line;
      } else {
        rest.push(line.replace(/^#+\s*/, ''));
      }
    }
    if (rest.length) plain.push(rest.join(' '));
  }
  // Author, then title, then subtitle lines: the order these archives use.
  if (plain.length >= 2) {
    meta.author = plausibleName(plain[0]!) ? plain[0]! : fallback.author;
    meta.title = plain[1]!;
    if (plain.length > 2) meta.subtitle = plain.slice(2).join(' ');
  } else if (plain.length === 1) {
    meta.title = plain[0]!;
  }
  return { count: last + 1, meta };
}

/** Header passages are quoted line by line rather than by sentence. */
export function lineSpans(text: string): Span[] {
  const spans: Span[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const lead = line.length - line.trimStart().length;
    const trimmed = line.trim();
    if (trimmed) spans.push({ start: offset + lead, end: offset + lead + trimmed.length });
    offset += line.length + 1;
  }
  return spans;
}

/** Splits blocks so that each Markdown heading line stands alone ("# Title\nText" is two blocks). */
function splitMarkdownHeadings(blocks: Block[]): Block[] {
  const out: Block[] = [];
  for (const block of blocks) {
    let offset = block.start;
    let current: Block | null = null;
    for (const line of block.text.split('\n')) {
      const trimmed = line.trim();
      const start = offset + (line.length - line.trimStart().length);
      const span = { start, end: start + trimmed.length, text: trimmed };
      if (MARKDOWN_HEADING.test(trimmed)) {
        if (current) out.push(current);
        out.push(span);
        current = null;
      } else if (current) {
        current.end = span.end;
        current.text = block.text.slice(current.start - block.start, span.end - block.start);
      } else if (trimmed) {
        current = { ...span };
      }
      offset += line.length + 1;
    }
    if (current) out.push(current);
  }
  return out;
}

/** A heading found in the body: from `#` marks in Markdown, from its words in plain text. */
interface HeadingBlock {
  index: number;
  level?: number;
  text: string;
  /** Index of a following block that holds the chapter's title ("CHAPTER I." then "Down the Rabbit-Hole"). */
  titleBlock?: number;
}

/** A short Title-Case or capitalised line without sentence punctuation: a chapter title on its own line. */
function looksLikeTitleLine(text: string): boolean {
  if (text.includes('\n') || text.length > 60 || /^["'“‘(\[_*]/.test(text) || /[,;:!?]$/.test(text)) return false;
  // "Silence." is a one-word paragraph; "THE BEGINNING." in capitals is a title.
  if (text.endsWith('.') && text !== text.toUpperCase()) return false;
  const words = text.replace(/\.$/, '').split(/\s+/);
  return words.length <= 10 && words.every((w) => w.length <= 3 || /^[\p{Lu}\d]/u.test(w.replace(/^[^\p{L}\d]+/u, '')));
}

/**
 * Turns body blocks into paragraphs and section starts. Plain text gets
 * chapters only when at least two lines read as numbered chapter or part
 * headings, so an article's short lines are never taken for chapters.
 */
function bodyItems(text: string, blocks: Block[], markdown: boolean): BodyItem[] {
  const headings = new Map<number, HeadingBlock>();
  if (markdown) {
    const found = blocks.map((b, index) => ({ index, m: MARKDOWN_HEADING.exec(b.text) })).filter((x) => x.m);
    for (const { index, m } of found) headings.set(index, { index, level: m![1]!.length, text: m![2]! });
  } else {
    const numbered = blocks.filter((b) => {
      const h = classifyHeading(b.text.split('\n')[0]!);
      return (
        h && h.kind !== 'contents' && h.number !== undefined && b.text.split('\n')[0]!.length <= MAX_HEADING_LENGTH
      );
    }).length;
    if (numbered >= 2) {
      blocks.forEach((b, index) => {
        const first = b.text.split('\n')[0]!.trim();
        const kind = first.length <= MAX_HEADING_LENGTH ? classifyHeading(first) : null;
        if (!kind) return;
        const blockLines = lines(b);
        if (blockLines.length === 1) headings.set(index, { index, text: first });
        else if (
          blockLines.length === 2 &&
          kind.kind === 'chapter' &&
          blockLines[1]!.length <= MAX_HEADING_LENGTH &&
          (kind.title
            ? !/[.!?]["”’]?\s*$/.test(first) || /^\S+\s+\S+\.$/.test(first)
            : looksLikeTitleLine(blockLines[1]!))
        ) {
          // "CHAPTER I." over "Down the Rabbit-Hole", or a long title wrapped onto a second line.
          headings.set(index, { index, text: `${first} ${blockLines[1]}` });
        }
      });
      // "CHAPTER I." alone, then the title on a line of its own.
      for (const h of headings.values()) {
        const kind = classifyHeading(h.text);
        const next = blocks[h.index + 1];
        if (
          kind?.kind === 'chapter' &&
          kind.number &&
          !kind.title &&
          next &&
          !headings.has(h.index + 1) &&
          blocks[h.index + 2] &&
          looksLikeTitleLine(next.text)
        ) {
          h.titleBlock = h.index + 1;
        }
      }
    }
  }

  const levels = [...headings.values()].filter((h) => h.level !== undefined);
  const chapterLevel = chapterHeadingLevel(levels.map((h) => ({ level: h.level!, text: h.text })));

  const items: BodyItem[] = [];
  let inContents = false;
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    const heading = headings.get(i);
    if (heading) {
      inContents = false;
      const kind = classifyHeading(heading.text);
      if (kind?.kind === 'contents') {
        inContents = true;
        continue;
      }
      if (heading.level !== undefined && chapterLevel === undefined) continue;
      if (heading.level !== undefined && heading.level > chapterLevel!) continue; // a sub-heading inside a chapter
      const isPart = kind?.kind === 'part' || (heading.level !== undefined && heading.level < chapterLevel!);
      if (isPart) {
        items.push({ kind: 'part', heading: heading.text });
        continue;
      }
      const title =
        heading.titleBlock !== undefined
          ? blocks[heading.titleBlock]!.text.replace(/\.$/, '')
          : kind?.kind === 'chapter'
            ? kind.title
            : undefined;
      items.push({
        kind: 'chapter',
        heading:
          heading.titleBlock !== undefined ? `${heading.text} ${blocks[heading.titleBlock]!.text}` : heading.text,
        number: kind?.kind === 'chapter' ? kind.number : undefined,
        title: title ?? (kind ? undefined : heading.text),
      });
      if (heading.titleBlock !== undefined) i = heading.titleBlock;
      continue;
    }
    const blockLines = lines(block);
    // A table of contents: a list of heading-like lines.
    if (blockLines.length > 1 && blockLines.filter((l) => classifyHeading(l)).length >= blockLines.length / 2) continue;
    if (
      inContents &&
      blockLines.every((l) => (l.length <= MAX_HEADING_LENGTH && !/[.!?]["”’]?$/.test(l)) || classifyHeading(l))
    )
      continue;
    inContents = false;
    let end = block.end;
    const next = blocks[i + 1];
    if (next && !headings.has(i + 1) && block.text.endsWith(':') && block.text.length <= MAX_LEAD_IN_LENGTH) {
      end = next.end;
      i++;
    }
    items.push({ kind: 'paragraph', text: text.slice(block.start, end) });
  }
  return items;
}

/**
 * Reads plain text or Markdown: front matter (`---` … `---`), a Marxists
 * Internet Archive-style header (author, title, "(date)", "From …" source,
 * credits) as metadata and ¶0, a trailing "Last updated on …" line, then the
 * body. Blank lines separate paragraphs; hard-wrapped lines stay one paragraph.
 */
export function readPlainText(
  input: FormatInput,
  options: { markdown: boolean; text?: string; from?: number; to?: number; meta?: DocumentMetadata },
): ParsedText {
  const text = options.text ?? decodeText(input.bytes, input.file);
  const front = options.from === undefined ? parseFrontMatter(text) : null;
  let blocks = splitBlocks(text, options.from ?? front?.end ?? 0, options.to ?? text.length);
  if (options.markdown) blocks = splitMarkdownHeadings(blocks);

  let lastUpdated: string | undefined;
  const trailer = blocks.length > 1 ? UPDATED_LINE.exec(blocks[blocks.length - 1]!.text) : null;
  if (trailer) {
    lastUpdated = trailer[1];
    blocks = blocks.slice(0, -1);
  }

  const header = options.meta ? { count: 0, meta: options.meta } : parseHeader(blocks, fallbackMeta(input));
  const meta: DocumentMetadata = { ...header.meta, ...(front?.meta ?? {}) };
  if (lastUpdated) meta.lastUpdated = lastUpdated;

  const headerBlocks = blocks.slice(0, header.count);
  const headerText = headerBlocks.length
    ? text.slice(headerBlocks[0]!.start, headerBlocks[headerBlocks.length - 1]!.end)
    : '';
  return {
    format: options.markdown ? 'markdown' : 'plain-text',
    meta,
    ...(headerText ? { header: { text: headerText, sentences: lineSpans(headerText) } } : {}),
    items: bodyItems(text, blocks.slice(header.count), options.markdown),
  };
}

export const plainTextFormat: TextFormat = {
  name: 'plain-text',
  extensions: ['.txt', '.text'],
  read: (input) => readPlainText(input, { markdown: false }),
};

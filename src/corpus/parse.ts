import { createHash } from 'node:crypto';
import path from 'node:path';
import { LecternError } from '../errors.js';
import type { DocumentMetadata, LibraryDocument, Passage, Span } from '../types.js';
import { splitSentences } from './sentences.js';

/** A run of non-blank lines and where it sits in the file. */
interface Block extends Span {
  text: string;
}

/** How many leading blocks may belong to a header. */
const MAX_HEADER_BLOCKS = 10;
/** A lead-in this short that ends with a colon belongs with the quotation after it. */
const MAX_LEAD_IN_LENGTH = 300;

const SOURCE_LINE = /^(From|Source:|First published|Published)\b/i;
const CREDIT_LINE = /^(Transcribed|Transcription|Marked up|Proofread|Translated|Translation|HTML|Copyleft|Public Domain)\b/i;
const DATE_LINE = /^\((.+)\)$/s;
const UPDATED_LINE = /^Last updated on (.+?)\.?$/;
const DATE_TEXT = /^\d{1,2}[\s\u00a0]+\p{L}+[\s\u00a0]+\d{3,4}$|^\p{L}+[\s\u00a0]+\d{1,2},?[\s\u00a0]+\d{3,4}$|^\p{L}+[\s\u00a0]+\d{3,4}$|^\d{4}$/u;
const PAGE_TEXT = /^pp?\.[\s\u00a0]*\d/;
const ISSUE_TEXT = /^(Vol\.|Volume|No\.|Nr\.|Issue|Number)/i;

/** Parse failure for one file; the message names the file. */
export class CorpusError extends LecternError {
  override name = 'CorpusError';
}

/**
 * Decodes a text file's bytes as UTF-8, refusing anything else.
 * A leading byte-order mark is dropped and CRLF line ends become LF, so
 * offsets are the same on every platform; no other character is touched.
 */
export function decodeText(bytes: Uint8Array, file: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CorpusError(`${file} is not valid UTF-8; convert it to UTF-8 and try again.`);
  }
  if (text.includes('\u0000')) throw new CorpusError(`${file} looks like a binary file (it contains NUL bytes).`);
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/** The document id for a file: its base name, lower-cased, with unsafe characters replaced. */
export function documentId(file: string): string {
  const base = path.basename(file, path.extname(file));
  const id = base
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return id || 'document';
}

function splitBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  // Reliability fix: `(?<![^\n])` lets a match start only at a line start. Without it every
  // position of a long white-space line re-scanned the line: 100 kB of spaces took ~7 s.
  const pattern = /(?<![^\n])[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*/g;
  for (const match of text.matchAll(pattern)) {
    const start = match.index;
    const raw = match[0];
    // Trim surrounding white space but keep the block verbatim inside.
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    blocks.push({ start: start + lead, end: start + lead + trimmed.length, text: trimmed });
  }
  return blocks;
}

function lines(block: Block): string[] {
  return block.text.split('\n').map((line) => line.trim());
}

/** Reads "From Socialist Appeal, Vol. 1 No. 3, 28 August 1937, p. 9." into its parts. */
export function parseSourceLine(line: string): Pick<DocumentMetadata, 'publication' | 'issue' | 'date' | 'page'> {
  const body = line.replace(SOURCE_LINE, '').replace(/^[\s:]+/, '').replace(/\.$/, '');
  const parts = body.split(/,\s*/).map((part) => part.trim()).filter(Boolean);
  const result: Pick<DocumentMetadata, 'publication' | 'issue' | 'date' | 'page'> = {};
  parts.forEach((part, i) => {
    if (PAGE_TEXT.test(part)) result.page ??= part;
    else if (DATE_TEXT.test(part)) result.date ??= part;
    else if (ISSUE_TEXT.test(part)) result.issue ??= part;
    else if (i === 0) result.publication = part;
  });
  return result;
}

/** Simple `key: value` front matter between `---` lines, as many Markdown tools write it. */
function parseFrontMatter(text: string): { meta: Partial<DocumentMetadata>; end: number } | null {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!match) return null;
  const meta: Record<string, string> = {};
  for (const line of match[1]!.split('\n')) {
    const kv = /^\s*([A-Za-z]+)\s*:\s*(.*?)\s*$/.exec(line);
    if (kv && kv[2]) meta[kv[1]!.toLowerCase()] = kv[2].replace(/^["']|["']$/g, '');
  }
  const known: Partial<DocumentMetadata> = {
    author: meta.author,
    title: meta.title,
    subtitle: meta.subtitle,
    dateLine: meta.date ?? meta.dateline,
    source: meta.source,
    publication: meta.publication,
    issue: meta.issue,
    page: meta.page,
    transcription: meta.transcription,
  };
  if (meta.source) Object.assign(known, { ...parseSourceLine(meta.source), ...stripUndefined(known) });
  return { meta: stripUndefined(known), end: match[0].length };
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const isShortLine = (block: Block): boolean =>
  !block.text.includes('\n') && block.text.length <= 120 && !/[.!?:;,]$/.test(block.text);

/**
 * Finds the header blocks of a Marxists-Internet-Archive-style text: author,
 * title, subtitle, "(date)", "From …" source line, transcription credits.
 * Returns how many leading blocks form the header and the metadata read from them.
 */
function parseHeader(blocks: Block[], fallbackTitle: string): { count: number; meta: DocumentMetadata } {
  const meta: DocumentMetadata = { author: 'Unknown author', title: fallbackTitle };
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
    if (first.text.startsWith('#')) {
      meta.title = first.text.replace(/^#+\s*/, '');
      return { count: 1, meta };
    }
    const second = blocks[1];
    if (isShortLine(first) && second && isShortLine(second) && blocks.length > 2) {
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
    meta.author = plain[0]!;
    meta.title = plain[1]!;
    if (plain.length > 2) meta.subtitle = plain.slice(2).join(' ');
  } else if (plain.length === 1) {
    meta.title = plain[0]!;
  }
  return { count: last + 1, meta };
}

function makePassage(docId: string, paragraph: number, text: string, sentences: Span[]): Passage {
  return { id: `${docId}#${paragraph}`, docId, paragraph, text, sentences };
}

/** Header passages are quoted line by line rather than by sentence. */
function lineSpans(text: string): Span[] {
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

/**
 * Parses one text file into a document: metadata from its header, the header
 * itself as passage ¶0, and the body paragraphs as ¶1…¶N in reading order.
 *
 * @example
 * const doc = parseDocument('serge.txt', fs.readFileSync('texts/serge.txt'));
 * doc.meta.publication // "Socialist Appeal"
 * doc.passages[4].text  // ¶4, verbatim
 */
export function parseDocument(file: string, bytes: Uint8Array | string): LibraryDocument {
  const text = typeof bytes === 'string' ? bytes : decodeText(bytes, file);
  const hash = createHash('sha256').update(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes).digest('hex');
  const id = documentId(file);
  const fallbackTitle = path.basename(file, path.extname(file));

  const front = path.extname(file).toLowerCase() === '.md' ? parseFrontMatter(text) : null;
  let blocks = splitBlocks(text).filter((block) => !front || block.start >= front.end);

  let lastUpdated: string | undefined;
  const trailer = blocks.length > 1 ? UPDATED_LINE.exec(blocks[blocks.length - 1]!.text) : null;
  if (trailer) {
    lastUpdated = trailer[1];
    blocks = blocks.slice(0, -1);
  }

  const header = parseHeader(blocks, fallbackTitle);
  const meta: DocumentMetadata = { ...header.meta, ...(front?.meta ?? {}) };
  if (lastUpdated) meta.lastUpdated = lastUpdated;

  const passages: Passage[] = [];
  const headerBlocks = blocks.slice(0, header.count);
  if (headerBlocks.length) {
    const headerText = text.slice(headerBlocks[0]!.start, headerBlocks[headerBlocks.length - 1]!.end);
    passages.push(makePassage(id, 0, headerText, lineSpans(headerText)));
  }

  const body = blocks.slice(header.count).filter((block) => !/^#{1,6}\s/.test(block.text));
  if (body.length === 0) throw new CorpusError(`${file} has no paragraphs to index.`);
  let number = 0;
  for (let i = 0; i < body.length; i++) {
    const block = body[i]!;
    let end = block.end;
    const next = body[i + 1];
    if (next && block.text.endsWith(':') && block.text.length <= MAX_LEAD_IN_LENGTH) {
      end = next.end;
      i++;
    }
    const paragraphText = text.slice(block.start, end);
    passages.push(makePassage(id, ++number, paragraphText, splitSentences(paragraphText)));
  }
  return { id, file, hash, meta, passages };
}

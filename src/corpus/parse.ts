import { createHash } from 'node:crypto';
import path from 'node:path';
import type { LibraryDocument } from '../types.js';
import { CorpusError, decodeText, isZip, SUPPORTED_FORMATS, unsupportedMessage } from './decode.js';
import { epubFormat } from './formats/epub.js';
import type { FormatInput, TextFormat } from './formats/format.js';
import { gutenbergFormat, isGutenbergText } from './formats/gutenberg.js';
import { htmlFormat } from './formats/html.js';
import { markdownFormat } from './formats/markdown.js';
import { metaFromFields, plainTextFormat } from './formats/plain-text.js';
import { definedOnly, titleFromFileName, type MetaOverrides } from './metadata.js';
import { assembleDocument } from './structure.js';

export { CorpusError, decodeText, isZip, SUPPORTED_FORMATS, unsupportedMessage } from './decode.js';
export { parseSourceLine } from './source-line.js';

/** Every format reader, the plain-text family first. */
export const FORMATS: readonly TextFormat[] = [
  plainTextFormat,
  gutenbergFormat,
  markdownFormat,
  htmlFormat,
  epubFormat,
];

/** File extensions Lectern reads as texts. */
export const TEXT_EXTENSIONS: readonly string[] = [...new Set(FORMATS.flatMap((f) => f.extensions))];

/** Extensions of files that are certainly not texts Lectern reads, named in the message. */
export const KNOWN_OTHERS: Readonly<Record<string, string>> = {
  '.pdf': 'a PDF',
  '.docx': 'a Word document',
  '.doc': 'a Word document',
  '.odt': 'an OpenDocument text',
  '.rtf': 'an RTF document',
  '.mobi': 'a Kindle book',
  '.azw': 'a Kindle book',
  '.azw3': 'a Kindle book',
  '.zip': 'a zip archive',
  '.png': 'an image',
  '.jpg': 'an image',
  '.jpeg': 'an image',
  '.gif': 'an image',
  '.webp': 'an image',
};

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

/** The reader for a file, from its extension (and, for .txt, a Project Gutenberg START marker). */
export function formatFor(file: string, bytes: Uint8Array | string): TextFormat {
  const ext = path.extname(file).toLowerCase();
  if (KNOWN_OTHERS[ext]) throw new CorpusError(unsupportedMessage(file, KNOWN_OTHERS[ext]));
  const format = FORMATS.find((f) => f.extensions.includes(ext) && f !== gutenbergFormat);
  if (!format) throw new CorpusError(unsupportedMessage(file));
  if (format === epubFormat && !isZip(bytes))
    throw new CorpusError(`${file} is not an EPUB (an EPUB is a zip archive); Lectern reads ${SUPPORTED_FORMATS}.`);
  if (format === plainTextFormat && isGutenbergText(decodeText(bytes, file))) return gutenbergFormat;
  return format;
}

/**
 * Sidecar metadata for files a reader cannot edit: `<file>.meta.json` next
 * to the text, e.g. `moby-dick.txt.meta.json` holding
 * `{"author": "Herman Melville", "title": "Moby-Dick"}`. Keys are those of
 * front matter (author, title, subtitle, date, source, publication, issue,
 * page, transcription); they override what the file itself says.
 */
export const SIDECAR_SUFFIX = '.meta.json';

/** Reads a sidecar's JSON; a bad sidecar is an error naming it. */
export function parseSidecar(file: string, json: string): MetaOverrides {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new CorpusError(
      `${file} is not valid JSON; it should hold e.g. {"author": "Herman Melville", "title": "Moby-Dick"}.`,
    );
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new CorpusError(`${file} should hold a JSON object such as {"author": "…", "title": "…"}.`);
  const fields = Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => typeof v === 'string' && v.trim())
      .map(([k, v]) => [k.toLowerCase(), (v as string).trim()]),
  );
  return metaFromFields(fields);
}

/**
 * Parses one text file into a document with the reader for its format:
 * metadata (sidecar, else front matter, else what the format says, else the
 * file name as a title), the header as ¶0 when there is one, the body
 * paragraphs as ¶1…¶N in reading order, and its chapters.
 *
 * @example
 * const doc = parseDocument('serge.txt', fs.readFileSync('texts/serge.txt'));
 * doc.meta.publication // "Socialist Appeal"
 * doc.passages[4].text  // ¶4, verbatim
 */
export function parseDocument(file: string, bytes: Uint8Array | string, sidecar?: MetaOverrides): LibraryDocument {
  const hash = createHash('sha256')
    .update(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes)
    .digest('hex');
  const input: FormatInput = { file, bytes, fallbackTitle: titleFromFileName(file) };
  const format = formatFor(file, bytes);
  const parsed = format.read(input);
  if (sidecar) parsed.meta = { ...parsed.meta, ...definedOnly(sidecar) };
  if (!parsed.meta.title.trim()) parsed.meta.title = input.fallbackTitle;
  if (!parsed.meta.author.trim()) parsed.meta.author = 'Unknown author';
  const doc = assembleDocument({ id: documentId(file), file, hash }, parsed);
  if (!doc.passages.some((p) => p.paragraph > 0)) throw new CorpusError(`${file} has no paragraphs to index.`);
  return doc;
}

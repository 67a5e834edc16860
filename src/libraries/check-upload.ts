import { isPdf, isZip, SUPPORTED_FORMAT_NAMES } from '../corpus/decode.js';
import { FORMATS, KNOWN_OTHERS } from '../corpus/parse.js';
import { readZipEntry, zipEntries, type ZipEntry } from '../corpus/zip.js';
import { formatMegabytes, UploadRefused } from './download.js';

/**
 * What an uploaded file really is, judged by its bytes as well as its name, before anything is
 * stored or parsed: a PDF named .txt is refused as a PDF, an EPUB is vetted from its zip directory
 * alone (paths that climb out, sizes that would fill memory) without inflating a single chapter,
 * and text must be UTF-8. Every refusal is an {@link UploadRefused} with the one line the reader sees.
 */

/** The extension an accepted upload is stored under: one per format. */
export type UploadExtension = '.txt' | '.md' | '.html' | '.epub';

export interface CheckedUpload {
  /** A safe name to store the file under: letters, digits, '.', '_' and '-', with `extension`. */
  fileName: string;
  extension: UploadExtension;
}

export interface UploadLimits {
  /** Most an EPUB's entries may declare in total (src/corpus/zip.ts MAX_UNZIPPED_BYTES is the engine's own ceiling). */
  maxUnpackedBytes: number;
}

/**
 * Every extension a reader takes, to the first one its format lists, the one uploads are stored
 * under: ".htm" → ".html", ".markdown" → ".md", ".text" → ".txt". The readers' lists are the truth;
 * their first entries are exactly the four of {@link UploadExtension}.
 */
const STORED_EXTENSION = new Map(
  FORMATS.flatMap((format) => format.extensions.map((ext) => [ext, format.extensions[0] as UploadExtension])),
);

/** Longest stored name, extension included. */
const MAX_NAME_LENGTH = 80;
/** Past this unpacked size, an entry compressed more than RATIO_LIMIT to 1 is a zip bomb, not a book. */
const RATIO_CHECKED_BYTES = 10 * 1024 * 1024;
const RATIO_LIMIT = 200;
/** A real `mimetype` entry is one short line; a longer one is not read. */
const MAX_MIMETYPE_BYTES = 256;

const CONVERT = `Lectern reads ${SUPPORTED_FORMAT_NAMES}. Convert it to EPUB or text first.`;

/** The file's real kind and a safe name for it, or an {@link UploadRefused} saying why not. */
export function checkUpload(fileName: string, bytes: Uint8Array, limits: UploadLimits): CheckedUpload {
  const named = extensionOf(baseName(fileName));
  if (bytes.length === 0) throw new UploadRefused('That file is empty.');
  const kind = signatureKind(bytes);
  if (kind) throw new UploadRefused(`That is ${kind}; ${CONVERT}`);
  if (isZip(bytes)) {
    checkEpub(bytes, named, limits);
    return { fileName: storedName(fileName, '.epub'), extension: '.epub' };
  }
  if (named === '.epub') throw new UploadRefused('That file is named .epub but is not one (it is not a zip archive).');
  const text = utf8Text(bytes, named);
  if (!text.trim()) throw new UploadRefused('That file is empty.');
  const extension = STORED_EXTENSION.get(named) ?? (looksLikeHtml(text) ? '.html' : '.txt');
  return { fileName: storedName(fileName, extension), extension };
}

/** What the first bytes say a non-text, non-zip file is ("a PDF", "an image (PNG)"), if they say. */
function signatureKind(bytes: Uint8Array): string | undefined {
  const starts = (signature: readonly number[], at = 0) => signature.every((byte, i) => bytes[at + i] === byte);
  const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));
  if (isPdf(bytes)) return 'a PDF';
  // The OLE compound-file signature of .doc (and .xls, .ppt): almost always a Word document here.
  if (starts([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'a Word document';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'an image (PNG)';
  if (starts([0xff, 0xd8, 0xff])) return 'an image (JPEG)';
  if (starts(ascii('GIF87a')) || starts(ascii('GIF89a'))) return 'an image (GIF)';
  if (starts(ascii('RIFF')) && starts(ascii('WEBP'), 8)) return 'an image (WEBP)';
  if (starts(ascii('{\\rtf'))) return 'an RTF document';
  if (starts(ascii('BOOKMOBI'), 60)) return 'a Kindle book';
  return undefined;
}

/**
 * Refuses a zip that is not an EPUB, naming what it is, and an EPUB whose directory is hostile:
 * a path that climbs out of the book, or declared sizes that would fill memory. Only the directory
 * and the `mimetype` entry (a few bytes, inflated into at most its declared size) are read.
 */
function checkEpub(bytes: Uint8Array, named: string, limits: UploadLimits): void {
  let entries: ZipEntry[];
  let mimetype = '';
  try {
    entries = zipEntries(bytes);
    const entry = entries.find((e) => e.name === 'mimetype');
    if (entry && entry.declaredSize <= MAX_MIMETYPE_BYTES)
      mimetype = new TextDecoder('utf-8').decode(readZipEntry(bytes, entry)).trim();
  } catch {
    throw new UploadRefused(
      named === '.epub'
        ? 'That EPUB is damaged (its zip directory cannot be read); it is not read.'
        : 'That zip archive is damaged; it is not read.',
    );
  }
  // The EPUB's own marks first: a book with a "word/" folder inside is still a book.
  if (mimetype !== 'application/epub+zip' && !entries.some((e) => e.name === 'META-INF/container.xml'))
    throw notEpub(entries, mimetype, named);

  const climbing = entries.find((e) => climbsOut(e.name));
  if (climbing)
    throw new UploadRefused(
      `That EPUB has a file path that climbs out of the book (\`${shown(climbing.name)}\`); it is not read.`,
    );
  const total = entries.reduce((sum, e) => sum + e.declaredSize, 0);
  if (total > limits.maxUnpackedBytes)
    throw new UploadRefused(
      `That EPUB claims to unpack to ${formatMegabytes(total)}, past the ${formatMegabytes(limits.maxUnpackedBytes)} limit; it is not read.`,
    );
  const bomb = entries.find(
    (e) => e.declaredSize > RATIO_CHECKED_BYTES && e.declaredSize > RATIO_LIMIT * Math.max(1, e.compressedSize),
  );
  if (bomb)
    throw new UploadRefused(
      `That EPUB holds a file that claims to unpack from ${formatMegabytes(bomb.compressedSize)} to ${formatMegabytes(bomb.declaredSize)}, as zip bombs do; it is not read.`,
    );
}

/** The refusal for a zip that is not an EPUB, naming what it is when its entries say. */
function notEpub(entries: readonly ZipEntry[], mimetype: string, named: string): UploadRefused {
  const has = (prefix: string) => entries.some((e) => e.name.startsWith(prefix));
  if (mimetype.startsWith('application/vnd.oasis.opendocument'))
    return new UploadRefused(`That is an OpenDocument file; ${CONVERT}`);
  if (has('word/')) return new UploadRefused(`That is a Word document; ${CONVERT}`);
  if (has('xl/')) return new UploadRefused(`That is an Excel workbook; ${CONVERT}`);
  if (has('ppt/')) return new UploadRefused(`That is a PowerPoint presentation; ${CONVERT}`);
  if (named === '.epub')
    return new UploadRefused(
      "That file is named .epub but is not one (it is a zip archive without an EPUB's mimetype or META-INF/container.xml).",
    );
  return new UploadRefused(
    `That is a zip archive that is not an EPUB; Lectern reads ${SUPPORTED_FORMAT_NAMES}. Upload the book itself, not an archive.`,
  );
}

/** An entry path that would land outside the book if written out: "..", an absolute path, a backslash. */
function climbsOut(name: string): boolean {
  return name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.includes('\\') || name.split('/').includes('..');
}

/** An entry name as a message may show it: no control characters or backticks, at most 60 characters. */
function shown(name: string): string {
  const clean = name.replace(/[\u0000-\u001f\u007f`]/g, '');
  return clean.length > 60 ? `${clean.slice(0, 59)}…` : clean;
}

/** The text of a file that must be UTF-8: UTF-16 and Latin-1 are refused, and so is binary data. */
function utf8Text(bytes: Uint8Array, named: string): string {
  const notUtf8 = new UploadRefused('That file is not UTF-8 text; save it as UTF-8 and try again.');
  // UTF-16 and UTF-32 byte-order marks (FF FE also starts UTF-32 LE), and UTF-16 without one.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) throw notUtf8;
  if (looksLikeUtf16(bytes)) throw notUtf8;
  if (looksBinary(bytes)) throw binaryRefusal(named);
  try {
    // A UTF-8 byte-order mark is fine: TextDecoder drops it.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw notUtf8;
  }
}

/** Text in UTF-16 without a byte-order mark: in its first 1,000 bytes, NULs on one side of every pair only. */
function looksLikeUtf16(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 1000);
  let even = 0;
  let odd = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] !== 0) continue;
    if (i % 2) odd++;
    else even++;
  }
  const pairs = Math.floor(sample.length / 2);
  return pairs >= 4 && (even === 0) !== (odd === 0) && Math.max(even, odd) >= pairs * 0.3;
}

/**
 * Binary data rather than text in some encoding: a NUL byte anywhere, or more than 1% control
 * characters in the first 64 KB. Text uses only tab, line feed, vertical tab, form feed, carriage
 * return and escape of the C0 controls, in UTF-8 and Latin-1 alike.
 */
function looksBinary(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return true;
  const sample = bytes.subarray(0, 64 * 1024);
  let controls = 0;
  for (const byte of sample) if (byte < 0x20 && ![0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1b].includes(byte)) controls++;
  return controls > sample.length * 0.01;
}

/** The refusal for binary data, naming what the extension says it is when it says. */
function binaryRefusal(named: string): UploadRefused {
  const kind = KNOWN_OTHERS[named];
  if (kind) return new UploadRefused(`That is ${kind}; ${CONVERT}`);
  if (STORED_EXTENSION.has(named))
    return new UploadRefused(
      `That file is named ${named} but is not text (it holds binary data); Lectern reads ${SUPPORTED_FORMAT_NAMES}.`,
    );
  if (named) return new UploadRefused(`That ${named} file is not text; Lectern reads ${SUPPORTED_FORMAT_NAMES}.`);
  return new UploadRefused(`That file is not text (it holds binary data); Lectern reads ${SUPPORTED_FORMAT_NAMES}.`);
}

/** HTML by its opening: a doctype or an <html> tag in the first 1,024 characters. */
function looksLikeHtml(text: string): boolean {
  return /<!doctype\s+html|<html[\s>]/i.test(text.slice(0, 1024));
}

/** The last component of a path written with either separator. */
function baseName(fileName: string): string {
  return fileName.split(/[\\/]/).pop() ?? '';
}

/** ".txt" for "Moby Dick.TXT"; "" when there is none ("README", "Mr. Smith"). */
function extensionOf(name: string): string {
  return /\.[A-Za-z0-9]{1,10}$/.exec(name)?.[0].toLowerCase() ?? '';
}

/**
 * A name safe to store the file under: the base name without its extension, accents stripped
 * (NFKD), every run of other characters folded to '-', no leading dots, at most
 * {@link MAX_NAME_LENGTH} characters, then `extension`. "../Les Misérables (1862).TXT" → "Les-Miserables-1862.txt".
 */
function storedName(fileName: string, extension: UploadExtension): string {
  const base = baseName(fileName);
  const stem = base.slice(0, base.length - extensionOf(base).length);
  const safe = stem
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-{2,}/g, '-')
    .slice(0, MAX_NAME_LENGTH - extension.length)
    .replace(/^[.-]+|[.-]+$/g, '');
  return `${safe || 'book'}${extension}`;
}

import { LecternError } from '../errors.js';

/**
 * The leaves every format reader shares: the corpus error, the list of supported formats and
 * UTF-8 decoding. Kept apart from parse.ts, which imports every reader, so no reader imports back.
 */

/** Parse failure for one file; the message names the file. */
export class CorpusError extends LecternError {
  override name = 'CorpusError';
}

/** What readers are told when a file is not one of these. */
export const SUPPORTED_FORMATS =
  'plain text (.txt, including Project Gutenberg), Markdown (.md), HTML (.html, .htm, .xhtml) and EPUB (.epub)';

/** The same list in a few words, for messages that are already long. */
export const SUPPORTED_FORMAT_NAMES = 'plain text, Markdown, HTML and EPUB';

/** The one-line message for a file Lectern cannot read. */
export function unsupportedMessage(file: string, what?: string): string {
  return `${file} is ${what ?? `not a supported format`}; Lectern reads ${SUPPORTED_FORMATS}.`;
}

/** A zip archive's local-file signature "PK\x03\x04": an EPUB, or a .docx and the like. */
export function isZip(bytes: Uint8Array | string): boolean {
  return (
    typeof bytes !== 'string' &&
    bytes.length >= 4 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    bytes[2] === 0x03 &&
    bytes[3] === 0x04
  );
}

/** A PDF's signature "%PDF-" at the start. */
export function isPdf(bytes: Uint8Array | string): boolean {
  return typeof bytes !== 'string' && bytes.length >= 5 && String.fromCharCode(...bytes.subarray(0, 5)) === '%PDF-';
}

/**
 * Decodes a text file's bytes as UTF-8, refusing anything else.
 * A leading byte-order mark is dropped and CRLF line ends become LF, so
 * offsets are the same on every platform; no other character is touched.
 */
export function decodeText(bytes: Uint8Array | string, file: string): string {
  // A string is already text (tests and callers that decoded it themselves): taken as is.
  if (typeof bytes === 'string') return bytes;
  let text: string;
  {
    if (isPdf(bytes)) throw new CorpusError(unsupportedMessage(file, 'a PDF'));
    if (isZip(bytes)) throw new CorpusError(unsupportedMessage(file, 'a zip archive (a .docx or similar), not a text'));
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new CorpusError(`${file} is not valid UTF-8; convert it to UTF-8 and try again.`);
    }
  }
  if (text.includes('\u0000'))
    throw new CorpusError(
      `${file} looks like a binary file (it contains NUL bytes); Lectern reads ${SUPPORTED_FORMATS}.`,
    );
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

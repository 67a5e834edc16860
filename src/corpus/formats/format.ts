import type { DocumentMetadata, TextFormatName } from '../../types.js';
import type { ParsedText } from '../structure.js';

/** What a format reader is given: the file's name and bytes, and what is known about it from elsewhere. */
export interface FormatInput {
  /** File name relative to the texts directory, for messages. */
  file: string;
  bytes: Uint8Array | string;
  /** The file name as a title ("Pride and Prejudice"), the last fallback for `meta.title`. */
  fallbackTitle: string;
}

/**
 * One reader per format (src/corpus/formats/*.ts). `read` returns the
 * metadata and body in reading order; numbering, sentences and chapters are
 * assembled by `assembleDocument`, the same for every format. A reader throws
 * `CorpusError` (one line naming the file) for a file it cannot read.
 */
export interface TextFormat {
  name: TextFormatName;
  /** Lower-case extensions, with the dot. */
  extensions: readonly string[];
  read(input: FormatInput): ParsedText;
}

/** Metadata every reader starts from: the file name as title, an unknown author. */
export function fallbackMeta(input: FormatInput): DocumentMetadata {
  return { author: 'Unknown author', title: input.fallbackTitle };
}

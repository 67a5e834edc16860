import type { DocumentMetadata } from '../../types.js';
import { displayName } from '../metadata.js';
import { decodeText } from '../decode.js';
import type { ParsedText } from '../structure.js';
import { fallbackMeta, type FormatInput, type TextFormat } from './format.js';
import { readPlainText } from './plain-text.js';

/** `*** START OF THE PROJECT GUTENBERG EBOOK MOBY-DICK ***` (and the older "THIS" form). */
const START_MARKER = /^\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b.*$/im;
const END_MARKER = /^\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b.*$/im;
/** Older files: "End of the Project Gutenberg EBook of …" without asterisks. */
const OLD_END_MARKER = /^End of (?:the )?Project Gutenberg'?s? .*$/im;
const FIELD = /^(Title|Author|Release [Dd]ate|Translator|Editor):\s*(.*)$/;
/** Lines right after the START marker that credit the producers, not the author. */
const PRODUCER_LINE = /^(Produced by|E-?text prepared by|Transcribed from|Transcriber'?s? [Nn]ote)/;

/** True when the text has a Project Gutenberg START marker. */
export function isGutenbergText(text: string): boolean {
  return START_MARKER.test(text);
}

/**
 * Reads a Project Gutenberg plain-text book: `Title:`, `Author:` and
 * `Release date:` lines before the START marker become metadata (and ¶0,
 * those lines verbatim); the licence before the START marker and after the
 * END marker is not read; producer credits right after START are skipped.
 * The body is then read as plain text: blank lines separate paragraphs,
 * hard-wrapped lines make one, and `CHAPTER I.`-style lines start chapters.
 */
export function readGutenberg(input: FormatInput, text: string): ParsedText {
  const start = START_MARKER.exec(text)!;
  const bodyFrom = start.index + start[0].length + 1;
  const end = END_MARKER.exec(text.slice(bodyFrom)) ?? OLD_END_MARKER.exec(text.slice(bodyFrom));
  const bodyTo = end ? bodyFrom + end.index : text.length;

  const meta: DocumentMetadata = fallbackMeta(input);
  const headerLines: string[] = [];
  let field: string | null = null;
  for (const line of text.slice(0, start.index).split('\n')) {
    const m = FIELD.exec(line.trim());
    if (m) {
      field = m[1]!.toLowerCase();
      headerLines.push(line.trim());
      if (field === 'title' && m[2]) meta.title = m[2].trim();
      else if (field === 'author' && m[2]) meta.author = displayName(m[2]);
      else if (field.startsWith('release') && m[2]) meta.dateLine = m[2].replace(/\s*\[.*?\]\s*/g, ' ').trim();
    } else if (field && /^\s+\S/.test(line)) {
      // A field continued on an indented line ("Title: Moby-Dick;\n       or, The Whale").
      headerLines.push(line.trim());
      if (field === 'title') meta.title = `${meta.title} ${line.trim()}`;
    } else {
      field = null;
    }
  }
  let from = bodyFrom;
  // Skip producer credits right after the marker.
  for (const m of text.slice(bodyFrom, bodyTo).matchAll(/(?<![^\n])[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*/g)) {
    if (!PRODUCER_LINE.test(m[0].trim())) break;
    from = bodyFrom + m.index + m[0].length;
  }
  const parsed = readPlainText(input, { markdown: false, text, from, to: bodyTo, meta });
  // The title page before the first chapter ("MOBY-DICK;", "By Herman Melville"): short lines, not prose.
  const firstSection = parsed.items.findIndex((i) => i.kind !== 'paragraph');
  if (firstSection > 0) {
    parsed.items = parsed.items.filter(
      (item, i) => i >= firstSection || item.kind !== 'paragraph' || !isTitlePageLine(item.text),
    );
  }
  const headerText = headerLines.join('\n');
  return {
    ...parsed,
    format: 'gutenberg',
    ...(headerText
      ? { header: { text: headerText, sentences: headerLines.map((_, i) => lineSpan(headerLines, i)) } }
      : {}),
  };
}

function isTitlePageLine(text: string): boolean {
  return text.split('\n').length <= 3 && text.length <= 120 && !/[.!?]["”’]?$/.test(text.replace(/\b\p{Lu}\.$/u, ''));
}

function lineSpan(lines: string[], i: number): { start: number; end: number } {
  const start = lines.slice(0, i).reduce((n, l) => n + l.length + 1, 0);
  return { start, end: start + lines[i]!.length };
}

export const gutenbergFormat: TextFormat = {
  name: 'gutenberg',
  extensions: ['.txt'],
  read: (input) => readGutenberg(input, decodeText(input.bytes, input.file)),
};

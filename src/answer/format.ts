import type { Library } from '../corpus/library.js';
import type { Answer, Passage, Quote, Span } from '../types.js';
import { formatCitation, shortLocation } from './citation.js';
import { displayQuoteParts, excerpt } from './excerpt.js';

/** Options of {@link formatAnswer}. */
export interface FormatOptions {
  /** Further passages listed after the quote. Default 2. */
  further: number;
  /** Longest excerpt of a further passage, in characters. Default 200. */
  excerptLength: number;
  /** How to mark the best sentence inside the quote. Default: none (plain text). */
  emphasis: (text: string) => string;
  /** Line width for wrapping the quote; 0 leaves lines as they are. Default 0. */
  width: number;
}

export const DEFAULT_FORMAT_OPTIONS: FormatOptions = { further: 2, excerptLength: 200, emphasis: (t) => t, width: 0 };

/**
 * Cuts text to at most `max` characters on a sentence boundary, else a word
 * boundary, adding "…". Never cuts inside a word.
 *
 * @example
 * shorten('One. Two three four.', 10) // 'One. …'
 */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, Math.max(0, max - 1));
  const sentence = Math.max(...['. ', '! ', '? ', '.” ', '?” ', '!” '].map((end) => {
    const at = room.lastIndexOf(end);
    return at < 0 ? -1 : at + end.length - 1;
  }));
  if (sentence > max / 3) return `${room.slice(0, sentence).trimEnd()} …`;
  const word = room.search(/\s+\S*$/);
  return `${(word > 0 ? room.slice(0, word) : room).trimEnd()}…`;
}

/** Applies `emphasis` to the highlighted sentence of a quote. */
export function emphasiseQuote(quote: Quote, emphasis: (text: string) => string, escape: (text: string) => string = (t) => t): string {
  const { start, end }: Span = quote.highlight;
  return escape(quote.text.slice(0, start)) + emphasis(escape(quote.text.slice(start, end))) + escape(quote.text.slice(end));
}

function passageCitation(library: Library, passage: Passage): string {
  const doc = library.getDocument(passage.docId);
  return doc ? formatCitation(doc, passage) : passage.id;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => (line.trim() ? prefix + line : prefix.trimEnd()))
    .join('\n');
}

/**
 * Formats an answer as plain text for the terminal: the quote with its
 * citation, then further passages, shortened, with their ¶ numbers.
 * Abstentions say so and label the closest passage as such.
 *
 * @example
 * console.log(formatAnswer(await lectern.ask('Who signed the communiqué?'), lectern.library));
 */
export function formatAnswer(answer: Answer, library: Library, options: Partial<FormatOptions> = {}): string {
  const opts = { ...DEFAULT_FORMAT_OPTIONS, ...options };
  const out: string[] = [];
  if (answer.notice) out.push(`(${answer.notice})`, '');
  if (answer.status === 'help') {
    out.push(answer.message ?? '');
    return out.join('\n');
  }
  const top = answer.passages[0];
  if (answer.status === 'abstained') {
    out.push(answer.message ?? '');
    if (top) {
      out.push('', 'Closest passage:', indent(excerpt(top.passage, 400), '  '), `  — ${passageCitation(library, top.passage)}`);
    }
    return out.join('\n');
  }
  if (answer.quote && top) {
    const parts = displayQuoteParts(top.passage, answer.quote);
    const shown = parts.before + opts.emphasis(parts.highlight) + parts.after;
    out.push(indent(shown, '  > '), '', `  — ${passageCitation(library, top.passage)}`);
  }
  const further = answer.passages.slice(1, 1 + opts.further);
  if (further.length) {
    out.push('', 'See also:');
    for (const r of further) {
      // Within the quoted document the ¶ number is enough; other documents get a full citation.
      const doc = library.getDocument(r.passage.docId);
      const where = top && doc && r.passage.docId === top.passage.docId ? shortLocation(doc, r.passage) : passageCitation(library, r.passage);
      out.push(`  ${where}: ${excerpt(r.passage, opts.excerptLength)}`);
    }
  }
  return out.join('\n');
}

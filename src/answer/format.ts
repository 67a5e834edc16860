import wrapAnsi from 'wrap-ansi';
import type { Library } from '../corpus/library.js';
import { relatedPassages } from '../search/ask.js';
import type { Answer, Passage, Quote, Span } from '../types.js';
import { passageCitation, shortLocation } from './citation.js';
import { displayQuoteParts, excerpt } from './excerpt.js';

/** Options of {@link formatAnswer}. */
export interface FormatOptions {
  /** Most further passages listed after the quote ("See also"); only related ones are listed (RELATED_SHARE in search/ask.ts). Default 2. */
  further: number;
  /** Longest excerpt of a further passage, in characters. Default 200. */
  excerptLength: number;
  /** How to mark the best sentence inside the quote. Default: none (plain text). */
  emphasis: (text: string) => string;
  /** Line width to wrap at word boundaries (the terminal's columns); 0 leaves lines as they are. Default 0. */
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
  const sentence = Math.max(
    ...['. ', '! ', '? ', '.” ', '?” ', '!” '].map((end) => {
      const at = room.lastIndexOf(end);
      return at < 0 ? -1 : at + end.length - 1;
    }),
  );
  // The text's own ellipsis already marks a cut ("… his functions ..."): one mark, never "... …".
  const marked = (kept: string, mark: string) => (/(?:\.\.\.|…)$/.test(kept) ? kept : `${kept}${mark}`);
  if (sentence > max / 3) return marked(room.slice(0, sentence).trimEnd(), ' …');
  const word = room.search(/\s+\S*$/);
  return marked((word > 0 ? room.slice(0, word) : room).trimEnd(), '…');
}

/** Applies `emphasis` to the highlighted sentence of a quote. */
export function emphasiseQuote(
  quote: Quote,
  emphasis: (text: string) => string,
  escape: (text: string) => string = (t) => t,
): string {
  const { start, end }: Span = quote.highlight;
  return (
    escape(quote.text.slice(0, start)) + emphasis(escape(quote.text.slice(start, end))) + escape(quote.text.slice(end))
  );
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
  if (answer.followUp) out.push(`Following up on: ${answer.followUp.of}`, '');
  const done = () => wrapLines(out.join('\n'), opts.width);
  if (answer.status === 'help') {
    out.push(answer.message ?? '');
    return done();
  }
  const top = answer.passages[0];
  if (answer.status === 'abstained') {
    out.push(answer.message ?? '');
    if (top) {
      out.push(
        '',
        'Closest passage:',
        indent(excerpt(top.passage, 400), '  '),
        `  — ${passageCitation(library, top.passage)}`,
      );
    }
    return done();
  }
  const quoted = answer.quote ? (library.getPassageById(answer.quote.passageId) ?? top?.passage) : undefined;
  if (answer.quote && quoted) {
    const parts = displayQuoteParts(quoted, answer.quote);
    const shown = parts.before + opts.emphasis(parts.highlight) + parts.after;
    out.push(indent(shown, '  > '), '', `  — ${passageCitation(library, quoted)}`);
  }
  const further = relatedPassages(answer, opts.further).filter((r) => r.passage.id !== quoted?.id);
  if (further.length) {
    out.push('', 'See also:');
    for (const r of further)
      out.push(`  ${shortCitation(library, r.passage)}: ${excerpt(r.passage, opts.excerptLength)}`);
  }
  return done();
}

/**
 * The citation of a "See also" entry: the same short form for every text, so entries compare at a
 * glance (title and place; the quote above carries the full citation).
 */
function shortCitation(library: Library, passage: Passage): string {
  const doc = library.getDocument(passage.docId);
  if (!doc) return passage.id;
  return `"${doc.meta.title}", ${shortLocation(doc, passage)}`;
}

/**
 * Wraps every line at word boundaries to `width` columns (0: no wrapping). A wrapped line keeps its
 * marker: quote lines continue with "  > ", other lines with their indentation; citations
 * ("  — ") and "See also" entries hang by two more spaces. ANSI emphasis is carried over the break.
 */
export function wrapLines(text: string, width: number): string {
  if (!width || width < 20) return text;
  return text
    .split('\n')
    .map((line) => {
      const quote = /^(\s*> )/.exec(line);
      const lead = quote ? quote[1]! : /^\s*/.exec(line)![0];
      const body = line.slice(lead.length);
      // Citations ("— …") and "See also" entries ('"Title", ¶3: …') hang; quoted and plain text keep their margin.
      const hangs = !quote && lead.length > 0 && /^(?:— |")/.test(body);
      const continuation = hangs ? `${lead}  ` : lead;
      const [first, ...rest] = wrapAnsi(body, width - continuation.length, { hard: true, trim: true }).split('\n');
      return [lead + (first ?? ''), ...rest.map((l) => continuation + l)].join('\n');
    })
    .join('\n');
}

import wrapAnsi from 'wrap-ansi';
import { splitSentences } from '../corpus/sentences.js';
import type { Answer, QuoteView, Span } from '../types.js';
import { citedText, shortCitationText } from './citation.js';
import { cutExcerpt, displayQuoteParts, ELLIPSIS, excerpt, type Cut } from './excerpt.js';
import { answerView, type PassageLookup } from './view.js';

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
 * Cuts plain text to at most `max` characters: whole sentences, else whole
 * words, marked "…" (" …" after a sentence); a text already ending in an
 * ellipsis carries its own mark. The one excerpt cutter (excerpt.ts) decides
 * where; the one sentence splitter (src/corpus/sentences.ts) finds the sentences.
 *
 * @example
 * shorten('One. Two three four.', 10) // 'One. …'
 */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const sentences = splitSentences(text);
  const shown = (cut: Cut): string => {
    const kept = text.slice(0, cut.end).trimEnd();
    // The text's own ellipsis already marks a cut ("… his functions ..."): one mark, never "... …".
    if (!cut.cutAfter || /(?:\.\.\.|…)$/.test(kept)) return kept;
    return sentences.some((s) => s.end === cut.end) ? `${kept} ${ELLIPSIS}` : `${kept}${ELLIPSIS}`;
  };
  const cut = cutExcerpt(text, sentences, (c) => shown(c).length <= max);
  return cut ? shown(cut) : ELLIPSIS.slice(0, Math.max(0, max));
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
 * Abstentions say so and label the closest passage as such. Lays out the
 * answer's view (view.ts), as JSON and Discord do.
 *
 * @example
 * console.log(formatAnswer(await lectern.ask('Who signed the communiqué?'), lectern.library));
 */
export function formatAnswer(answer: Answer, library: PassageLookup, options: Partial<FormatOptions> = {}): string {
  const opts = { ...DEFAULT_FORMAT_OPTIONS, ...options };
  const view = answerView(answer, library, { related: opts.further });
  const out: string[] = [];
  if (view.notice) out.push(`(${view.notice})`, '');
  if (view.followUpOf) out.push(`Following up on: ${view.followUpOf}`, '');
  const done = () => wrapLines(out.join('\n'), opts.width);
  if (view.status === 'help') {
    out.push(view.message ?? '');
    return done();
  }
  const shown = view.quote;
  if (view.status === 'abstained') {
    out.push(view.message ?? '');
    if (shown) out.push('', 'Closest passage:', indent(excerpt(shown.passage, 400), '  '), `  — ${citedText(shown)}`);
    return done();
  }
  if (shown?.quoted) {
    const parts = displayQuoteParts(shown.passage, { ...shown.span, highlight: relative(shown) });
    const quote = parts.before + opts.emphasis(parts.highlight) + parts.after;
    out.push(indent(quote, '  > '), '', `  — ${citedText(shown)}`);
  }
  if (view.related.length) {
    out.push('', 'See also:');
    for (const r of view.related)
      out.push(
        `  ${r.citation ? shortCitationText(r.citation) : r.passage.id}: ${excerpt(r.passage, opts.excerptLength)}`,
      );
  }
  return done();
}

/** The highlight relative to the quote's span. */
function relative(quote: QuoteView): Span {
  const h = quote.highlight ?? quote.span;
  return { start: h.start - quote.span.start, end: h.end - quote.span.start };
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

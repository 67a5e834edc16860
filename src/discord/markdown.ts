/**
 * Discord Markdown: escaping so quoted text renders literally. Discord
 * consumes the backslashes, so the reader sees exactly the source's
 * characters; quotes stay verbatim.
 */

/**
 * Escapes text so Discord renders it literally. Covers inline Markdown
 * (`* _ ~ \` |`, and `[ ]` of masked links), the backslash itself (so the
 * escaping is reversible), `<` (mentions, channels, timestamps, `<url>`),
 * `:name:` emoji, and line-start syntax: headings, lists, block quotes, `-#`
 * subtext and numbered lists. Parentheses are left alone: without `[` they
 * cannot form a link.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\*_~`|[\]<]/g, '\\$&')
    .replace(/:(?=[\w+-]+:)/g, '\\:')
    .replace(/^([ \t]*)([#>+-])/gm, '$1\\$2')
    .replace(/^([ \t]*\d+)([.)])/gm, '$1\\$2');
}

/** Inverse of {@link escapeMarkdown} (and of any backslash escape of punctuation). */
export function unescapeMarkdown(text: string): string {
  return text.replace(/\\([^0-9A-Za-z\s])/g, '$1');
}

/** Prefixes every line with "> " so the whole text is one block quote. */
export function blockQuote(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) => (line.trim() === '' ? '>' : `> ${line}`))
    .join('\n');
}

/** Wraps escaped text in bold, keeping white space and line breaks outside the markers (Discord ignores `** x**`). */
export function bold(raw: string): string {
  return raw
    .split('\n')
    .map((line) => {
      const match = /^(\s*)(.*?)(\s*)$/s.exec(line)!;
      return match[2] ? `${match[1]}**${escapeMarkdown(match[2])}**${match[3]}` : line;
    })
    .join('\n');
}

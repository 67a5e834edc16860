/**
 * Chat markup in a question: Discord's mentions, emoji, timestamps and links
 * name no word of the question. The engine does not strip it (it knows nothing
 * of Discord); the bot removes it on its inbound side (src/discord/inbound.ts),
 * and the evaluation reads its questions the same way (src/eval), since its
 * robustness set asks them as a Discord member would.
 */

/**
 * Discord markup that names no word of the question, as documented in
 * Discord's message formatting reference: user, role and channel mentions,
 * custom and animated emoji, timestamps, slash-command mentions, guild
 * navigation, `@everyone`/`@here`, `:shortcodes:` and links. A masked link
 * keeps its text. Markdown emphasis stays: the tokenizer ignores it, and the
 * reader's words are echoed as written (renderers escape them).
 */
const MARKUP: readonly [RegExp, string][] = [
  [/\[([^\]\n]*)\]\(\s*<?(?:https?:\/\/|www\.)[^)\s]*>?\s*\)/giu, ' $1 '], // [text](url) → text
  [/<a?:\w{1,32}:\d+>/gu, ' '], // custom emoji
  [/<(?:@[!&]?|#)\d+>/gu, ' '], // user, role and channel mentions
  [/<t:-?\d{1,13}(?::[tTdDfFR])?>/gu, ' '], // timestamps
  [/<\/[\p{L}\p{N}_ -]{1,100}:\d+>/gu, ' '], // slash-command mentions
  [/<id:(?:customize|browse|guide|linked-roles)(?::\d+)?>/gu, ' '], // guild navigation
  [/<(?:https?:\/\/|www\.)[^>\s]*>/giu, ' '], // <url>, links without embeds
  [/(?:https?:\/\/|www\.)[^\s<>]+/giu, ' '], // bare links
  [/(?<![\p{L}\p{N}])@(?:everyone|here)\b/giu, ' '],
  [/(?<![\p{L}\p{N}]):[a-z0-9_+-]{2,32}:(?![\p{L}\p{N}])/giu, ' '], // :emoji_shortcode:
];

/** Removes Discord markup, keeping the text of masked links; white space folded. */
export function stripDiscordMarkup(text: string): string {
  let out = text;
  for (const [pattern, replacement] of MARKUP) out = out.replace(pattern, replacement);
  return out === text ? text.replace(/\s+/gu, ' ').trim() : foldRemovalGaps(out);
}

/** Folds the gaps a removal leaves: white space, a space before punctuation, punctuation left at the start. */
export function foldRemovalGaps(text: string): string {
  return text
    .replace(/\s+([?!.,;:])/gu, '$1')
    .replace(/\s+/gu, ' ')
    .replace(/^[\s:;,.–—-]+/u, '')
    .trim();
}

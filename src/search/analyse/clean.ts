/**
 * Stage 1, analyse (first step): the reader's message made safe to search and
 * to echo — control characters removed, white space folded, a long question cut.
 */

/** Longest question searched; longer ones are cut, with a notice. */
export const MAX_QUESTION_LENGTH = 1000;

/** Removes control and zero-width characters and folds white space; the reader's words are otherwise kept. */
export function cleanQuestion(raw: string): string {
  // Reliability fix: the bidi isolates U+2066–U+2069 and the Arabic letter mark U+061C
  // join the overrides U+202A–U+202E, so no bidi control is echoed back ("Trojan Source");
  // and vertical tab, form feed and CR (U+000B–U+000D) are white space, folded to a space
  // below rather than deleted, which glued "please\rnow" into "pleasenow".
  return raw
    .replace(/[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The notice for a cut question: it states the limit the README documents, not the length of the cut. */
export function longQuestionNotice(max = MAX_QUESTION_LENGTH): string {
  const limit = max.toLocaleString('en-US');
  return `Your question was longer than ${limit} characters, so only the first ${limit} were read.`;
}

/** Cuts a long question at a word boundary. */
export function truncateQuestion(question: string, max = MAX_QUESTION_LENGTH): { text: string; truncated: boolean } {
  if (question.length <= max) return { text: question, truncated: false };
  // Reliability fix: never cut between the two halves of a surrogate pair (emoji), which left a lone surrogate.
  const cut = question.slice(0, /[\ud800-\udbff]/.test(question[max - 1]!) ? max - 1 : max);
  const space = cut.lastIndexOf(' ');
  return { text: (space > max / 2 ? cut.slice(0, space) : cut).trim(), truncated: true };
}

/**
 * Recognises messages that are not questions about a text: greetings,
 * thanks and requests for help. These get usage text instead of a search.
 */
const SMALL_TALK = new RegExp(
  '^(?:' +
    [
      'h(?:i|ello|ey|owdy|iya)(?: there)?',
      'yo',
      'greetings',
      'good (?:morning|afternoon|evening|day)',
      'thanks?(?: you)?(?: (?:so|very) much)?',
      'thx|ty|cheers',
      'help(?: me)?',
      '(?:can you )?help(?: please)?',
      'usage',
      'commands',
      'what can (?:you|i) do(?: here)?',
      'what do you do',
      'how (?:do|does) (?:this|it|you|lectern) work',
      'how do i use (?:this|you|it|lectern)',
      'who are you',
      'what are you',
      'are you there',
      'ping',
    ].join('|') +
    ')(?: lectern)?$',
  'i',
);

/** True for greetings, thanks and help requests ("hi", "help", "what can you do?"). */
export function isSmallTalk(question: string): boolean {
  const cleaned = question
    .normalize('NFKC')
    .replace(/<@!?&?\d+>/g, ' ')
    .replace(/[!?.,;:~*_`'"“”‘’()\[\]\p{Extended_Pictographic}\u200d\ufe0f]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned === '' || SMALL_TALK.test(cleaned);
}

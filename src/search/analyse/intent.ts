import { alternation, REASON_CONNECTIVES } from '../../text/words.js';

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

/** What a follow-up asks of the previous answer. */
export type FollowUpCue = 'why' | 'more' | 'context';

/**
 * Openings that ask about the previous answer rather than something new,
 * matched on the start of the message. What is left after the cue must hold
 * no content word the previous question lacks, or the message is a new question
 * (see `classifyMessage` in follow-up.ts): "why?" follows up, "why was Yagoda
 * arrested?" after "Who signed the communiqué?" does not.
 */
const FOLLOW_UP_CUES: readonly [FollowUpCue, RegExp][] = [
  [
    'context',
    /^(?:(?:ok(?:ay)?|and|so|please) )?(?:tell me more|say more|tell me about it|go on|keep going|continue|read on|and then|what (?:comes|came|happens|happened) (?:next|after(?:wards)?|before)|what next|(?:show|give) me (?:the |more )?context|more context|context|elaborate|expand(?: on (?:that|this|it))?)\b/,
  ],
  [
    'why',
    /^(?:(?:and|but|so|ok(?:ay)?) )?(?:why|how so|how come|for what reason|what (?:is|was|were) the reasons?|on what grounds|because of what|what for)\b/,
  ],
  [
    'more',
    /^(?:(?:and|ok(?:ay)?|so) )?(?:who else|what else|where else|anyone else|anybody else|anything else|more|any more|others?|any others?|other (?:passages|ones|examples)|next|(?:show|give) me more|(?:show|give) me others?|and)\b/,
  ],
];

/**
 * The follow-up cue a message opens with, and the words after it; undefined
 * when it opens with none. Only the cue is recognised here; whether the rest
 * is new content is for the caller to decide against the previous question.
 *
 * @example
 * followUpCue('Why?') // { cue: 'why', rest: '' }
 * followUpCue('Tell me more about Rolland') // { cue: 'context', rest: 'about Rolland' }
 */
export function followUpCue(message: string): { cue: FollowUpCue; rest: string } | undefined {
  const text = message
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[!?.,;:~*_`'"“”‘’()\[\]\p{Extended_Pictographic}\u200d\ufe0f…]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  for (const [cue, pattern] of FOLLOW_UP_CUES) {
    const match = pattern.exec(text);
    if (match) return { cue, rest: text.slice(match[0].length).trim() };
  }
  return undefined;
}

/**
 * Sentences that state a reason or a purpose. "for" counts only as a conjunction, after a pause
 * ("– for this could only be done by accusing others"); a sentence-initial "For" is nearly always
 * the preposition ("For many years…").
 */
const CAUSAL = new RegExp(
  `\\b(?:${alternation([...REASON_CONNECTIVES, 'the reasons?', 'why'])})\\b|[,;:–—]\\s*for\\b`,
  'i',
);

/** True when a sentence gives a reason ("… because he had become an intolerably disturbing witness"). */
export function statesReason(sentence: string): boolean {
  return CAUSAL.test(sentence);
}

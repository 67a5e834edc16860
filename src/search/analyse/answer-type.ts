/**
 * Answer types: a question asks for a kind of thing (who → a person, when → a
 * date, how many → a number, why → a reason), and the sentence that answers
 * holds one that the question does not already name. The sentence that merely
 * repeats the question's words ("The arrest of Yagoda is the sensation…" for
 * "Why was Yagoda arrested?") holds none.
 */
import { indexTerm, tokenize } from '../../text/analyser.js';
import {
  alternation,
  MONTHS,
  NUMBER_TEENS,
  NUMBER_TENS,
  NUMBER_UNITS,
  REASON_CONNECTIVES,
  WEEKDAYS,
} from '../../text/words.js';
import { DEFAULT_RANKING_CONFIG } from '../config.js';
import type { AnswerType } from './question.js';

const MONTH = alternation(MONTHS);
const WEEKDAY = alternation(WEEKDAYS);
/** Number words an answer to "how many" may hold: the cardinals, their multiples and a few ordinals. */
const NUMBER_WORDS = alternation([
  ...NUMBER_UNITS,
  ...NUMBER_TEENS,
  ...NUMBER_TENS,
  ...'hundreds? thousands? millions? billions? dozens? half twice thrice once first second third fourth fifth tenth'.split(
    ' ',
  ),
]);

const DATE = new RegExp(
  `\\b(?:1[0-9]{3}|20[0-9]{2})s?\\b|\\b(?:${MONTH}|${WEEKDAY})\\b|\\b(?:last|next|this|that|every) (?:week|month|year|day|night|morning|evening|spring|summer|autumn|fall|winter|${MONTH})\\b|\\b\\d{1,2}(?:st|nd|rd|th)\\b|\\b(?:century|centuries|decade|ago|yesterday|today|tomorrow|o['’]clock|noon|midnight|dawn|dusk)\\b`,
  'iu',
);
const NUMBER = new RegExp(`\\d|\\b(?:${NUMBER_WORDS})\\b`, 'iu');
/** A causal or purposive phrase: the connectives (text/words.ts) and the words of need and purpose ("had to", "to avoid"). */
const REASON = new RegExp(
  `\\b(?:${alternation([
    ...REASON_CONNECTIVES,
    ...'on account of|for fear|reasons?|causes?|caused|required|requires|necessary|needed|needs to|had to|has to|must|purpose|aim(?:ed)?|motive|to avoid|to prevent'.split(
      '|',
    ),
  ])})\\b`,
  'iu',
);

/**
 * Whether a sentence holds an answer of the type that is not among the
 * question's own words: a name for who/where, a date for when, a number for
 * how many, a causal or purposive phrase for why. Undefined for types with no
 * surface form (how, what).
 */
export function holdsAnswerOfType(
  sentence: string,
  type: AnswerType,
  questionTerms: ReadonlySet<string>,
): boolean | undefined {
  const novel = (pattern: RegExp): boolean => {
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    for (const match of sentence.matchAll(global)) {
      const terms = tokenize(match[0])
        .map(indexTerm)
        .filter((t): t is string => t !== null);
      if (terms.length === 0 || terms.some((t) => !questionTerms.has(t))) return true;
    }
    return false;
  };
  switch (type) {
    case 'person':
    case 'place': {
      const tokens = tokenize(sentence);
      return tokens.some((token, i) => {
        const bare = token.replace(/[.'’‘]/g, '');
        const capitalised = /^\p{Lu}{2,}$/u.test(bare) || (i > 0 && /^\p{Lu}\p{Ll}/u.test(bare));
        if (!capitalised || DATE.test(token)) return false;
        const term = indexTerm(token);
        return term !== null && !questionTerms.has(term);
      });
    }
    case 'date':
      return novel(DATE);
    case 'number':
      return novel(NUMBER);
    case 'reason':
      return REASON.test(sentence);
    default:
      return undefined;
  }
}

/** Raises the score of each sentence that holds an answer of the question's type. */
export function typedSentenceScores(
  sentences: readonly string[],
  scores: readonly number[],
  type: AnswerType,
  questionTerms: ReadonlySet<string>,
  bonus: number = DEFAULT_RANKING_CONFIG.quote.typeBonus,
): number[] {
  return scores.map((score, i) => (holdsAnswerOfType(sentences[i] ?? '', type, questionTerms) ? score + bonus : score));
}

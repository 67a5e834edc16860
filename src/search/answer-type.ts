/**
 * Answer types: a question asks for a kind of thing (who → a person, when → a
 * date, how many → a number, why → a reason), and the sentence that answers
 * holds one that the question does not already name. The sentence that merely
 * repeats the question's words ("The arrest of Yagoda is the sensation…" for
 * "Why was Yagoda arrested?") holds none.
 */
import { indexTerm, tokenize } from '../text/analyser.js';
import {
  alternation,
  MONTHS,
  NUMBER_TEENS,
  NUMBER_TENS,
  NUMBER_UNITS,
  REASON_CONNECTIVES,
  WEEKDAYS,
} from '../text/words.js';
import type { AnswerType } from './question.js';

/** Options of answer-type scoring; every default and its reason (docs/evaluation.md). */
export interface AnswerTypeOptions {
  /**
   * Added to the score of a quote candidate sentence that holds an answer of
   * the question's type. 0.1 lifts SQuAD quote@1 from 72.0% to 72.8% and
   * changes nothing on the article's sets; 0.05 gives 72.5%, 0.2 gives 72.7%.
   */
  quoteBonus: number;
  /**
   * Share of a passage's ranking score taken from its best sentence that holds
   * an answer of the type. Measured: 0.15 is the only weight tried (0.1, 0.15,
   * 0.2, 0.25, 0.4) that loses on no set: Moby-Dick hit@1 28% → 36%, SQuAD
   * hit@3 95.4% → 96.5%, the article's sets unchanged; 0.1 and 0.2 each lose
   * one or two SQuAD questions at hit@1, 0.4 loses on the article.
   */
  rankWeight: number;
  /** How many of the best passages are re-ranked: the rest are too far behind for the blend to lift them. */
  rankDepth: number;
}

export const DEFAULT_ANSWER_TYPE_OPTIONS: AnswerTypeOptions = { quoteBonus: 0.1, rankWeight: 0.15, rankDepth: 10 };

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
  options: Partial<AnswerTypeOptions> = {},
): number[] {
  const { quoteBonus } = { ...DEFAULT_ANSWER_TYPE_OPTIONS, ...options };
  return scores.map((score, i) =>
    holdsAnswerOfType(sentences[i] ?? '', type, questionTerms) ? score + quoteBonus : score,
  );
}

/**
 * Re-ranks the best passages by the sentence that could answer: each
 * passage's score is blended with the best score among its sentences that
 * hold an answer of the question's type (0 when none does). `sentenceScores`
 * gives every sentence's score for a passage.
 */
export function rerankByAnswerType<
  P extends { passage: { text: string; sentences: readonly { start: number; end: number }[] }; score: number },
>(
  ranked: readonly P[],
  sentenceScores: (candidate: P) => readonly number[],
  type: AnswerType,
  questionTerms: ReadonlySet<string>,
  weight: number,
  depth: number,
): P[] {
  if (weight <= 0 || holdsAnswerOfType('', type, questionTerms) === undefined) return [...ranked];
  const head = ranked.slice(0, depth).map((candidate) => {
    const scores = sentenceScores(candidate);
    let typedBest = 0;
    candidate.passage.sentences.forEach((span, i) => {
      if (holdsAnswerOfType(candidate.passage.text.slice(span.start, span.end), type, questionTerms))
        typedBest = Math.max(typedBest, scores[i] ?? 0);
    });
    return { ...candidate, score: (1 - weight) * candidate.score + weight * typedBest };
  });
  head.sort((a, b) => b.score - a.score);
  return [...head, ...ranked.slice(depth)];
}

/**
 * The answer-type reranker: the best passages are blended with their best
 * sentence that holds an answer of the kind the question asks for (a name
 * for "who", a number for "how many"…: analyse/answer-type.ts). Settings and
 * measurements: config.ts `rerank.answerType`.
 */
import { holdsAnswerOfType } from '../analyse/answer-type.js';
import type { AnswerType } from '../analyse/question.js';
import type { Reranker } from './reranker.js';

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

/** {@link rerankByAnswerType} with the sentence scores the quote stage reads too. */
export const answerTypeFit: Reranker = {
  name: 'answer-type',
  rerank: (candidates, context) =>
    rerankByAnswerType(
      candidates,
      context.sentenceScores,
      context.answerType,
      context.questionTerms,
      context.config.answerType.weight,
      context.config.answerType.depth,
    ),
};

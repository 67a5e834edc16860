import { describe, expect, it } from 'vitest';
import { contentTerms } from '../src/index/lexical.js';
import { holdsAnswerOfType, typedSentenceScores } from '../src/search/answer-type.js';
import type { AnswerType } from '../src/search/question.js';

const terms = (question: string) => new Set(contentTerms(question));

describe('holdsAnswerOfType', () => {
  it.each<[string, AnswerType, string, boolean | undefined]>([
    ['Who signed the communiqué?', 'person', 'A Government communiqué, signed by Kalinin, announced the accusation.', true],
    ['Who signed the communiqué?', 'person', 'The communiqué was signed yesterday.', false],
    ['Who arrested Yagoda?', 'person', 'The arrest of Yagoda is the sensation of the last few days.', false],
    ['When did his disgrace become known?', 'date', 'In 1928 he sympathized with the Right Opposition.', true],
    ['When did his disgrace become known?', 'date', 'Already last September I wrote:', true],
    ['When did his disgrace become known?', 'date', 'His disgrace became known.', false],
    ['What happened in 1928?', 'date', 'In 1928 he sympathized with the Right Opposition.', false],
    ['How many death warrants did Yagoda sign?', 'number', 'Thousands of death warrants received his signature.', true],
    ['How many death warrants did Yagoda sign?', 'number', 'Death warrants received his signature.', false],
    ['Why was Yagoda arrested?', 'reason', 'It was necessary to suppress Yagoda because he had become a witness.', true],
    ['Why was Yagoda arrested?', 'reason', 'The arrest of Yagoda is the sensation of the last few days.', false],
    ['How does Serge imagine Yagoda?', 'manner', 'I picture him to myself in one of those cells.', undefined],
  ])('%s / %s: %s → %s', (question, type, sentence, holds) => {
    expect(holdsAnswerOfType(sentence, type, terms(question))).toBe(holds);
  });
});

describe('typedSentenceScores', () => {
  it('raises only the sentences that hold an answer of the type', () => {
    const sentences = ['The arrest of Yagoda is the sensation of the last few days.', 'A scapegoat was required to shoulder the responsibility.'];
    expect(typedSentenceScores(sentences, [0.5, 0.45], 'reason', terms('Why was Yagoda arrested?'), { quoteBonus: 0.1 })).toEqual([0.5, 0.55]);
    expect(typedSentenceScores(sentences, [0.5, 0.45], 'other', terms('What was Yagoda?'))).toEqual([0.5, 0.45]);
  });
});

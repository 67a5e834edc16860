import { describe, expect, it } from 'vitest';
import { contentTerms } from '../src/text/analyser.js';
import { holdsAnswerOfType, typedSentenceScores } from '../src/search/analyse/answer-type.js';
import { rerankByAnswerType } from '../src/search/rerank/answer-type.js';
import type { AnswerType } from '../src/search/analyse/question.js';

const terms = (question: string) => new Set(contentTerms(question));

describe('holdsAnswerOfType', () => {
  it.each<[string, AnswerType, string, boolean | undefined]>([
    [
      'Who signed the communiqué?',
      'person',
      'A Government communiqué, signed by Kalinin, announced the accusation.',
      true,
    ],
    ['Who signed the communiqué?', 'person', 'The communiqué was signed yesterday.', false],
    ['Who arrested Yagoda?', 'person', 'The arrest of Yagoda is the sensation of the last few days.', false],
    ['When did his disgrace become known?', 'date', 'In 1928 he sympathized with the Right Opposition.', true],
    ['When did his disgrace become known?', 'date', 'Already last September I wrote:', true],
    ['When did his disgrace become known?', 'date', 'His disgrace became known.', false],
    ['What happened in 1928?', 'date', 'In 1928 he sympathized with the Right Opposition.', false],
    ['How many death warrants did Yagoda sign?', 'number', 'Thousands of death warrants received his signature.', true],
    ['How many death warrants did Yagoda sign?', 'number', 'Death warrants received his signature.', false],
    [
      'Why was Yagoda arrested?',
      'reason',
      'It was necessary to suppress Yagoda because he had become a witness.',
      true,
    ],
    ['Why was Yagoda arrested?', 'reason', 'The arrest of Yagoda is the sensation of the last few days.', false],
    ['How does Serge imagine Yagoda?', 'manner', 'I picture him to myself in one of those cells.', undefined],
  ])('%s / %s: %s → %s', (question, type, sentence, holds) => {
    expect(holdsAnswerOfType(sentence, type, terms(question))).toBe(holds);
  });
});

describe('typedSentenceScores', () => {
  it('raises only the sentences that hold an answer of the type', () => {
    const sentences = [
      'The arrest of Yagoda is the sensation of the last few days.',
      'A scapegoat was required to shoulder the responsibility.',
    ];
    expect(typedSentenceScores(sentences, [0.5, 0.45], 'reason', terms('Why was Yagoda arrested?'), 0.1)).toEqual([
      0.5, 0.55,
    ]);
    expect(typedSentenceScores(sentences, [0.5, 0.45], 'other', terms('What was Yagoda?'))).toEqual([0.5, 0.45]);
  });
});

describe('rerankByAnswerType', () => {
  const passage = (text: string) => ({
    text,
    sentences: text.split(/(?<=\.) /).reduce<{ start: number; end: number }[]>((spans, s) => {
      const start = spans.length ? spans[spans.length - 1]!.end + 1 : 0;
      return [...spans, { start, end: start + s.length }];
    }, []),
  });
  it('lifts a passage whose well-scoring sentence holds an answer of the type above one that only repeats the question', () => {
    const echo = {
      passage: passage('The arrest of Yagoda is the sensation. It casts others into the shade.'),
      score: 0.5,
    };
    const reason = {
      passage: passage('It was necessary to suppress Yagoda because he knew too much. He is lost.'),
      score: 0.45,
    };
    const scores = new Map([
      [echo, [0.6, 0.2]],
      [reason, [0.55, 0.1]],
    ]);
    const ranked = rerankByAnswerType(
      [echo, reason],
      (c) => scores.get(c)!,
      'reason',
      terms('Why was Yagoda arrested?'),
      0.15,
      10,
    );
    expect(ranked[0]).toMatchObject({ passage: reason.passage });
    expect(
      rerankByAnswerType([echo, reason], (c) => scores.get(c)!, 'other', terms('What of Yagoda?'), 0.15, 10)[0],
    ).toBe(echo);
  });
});

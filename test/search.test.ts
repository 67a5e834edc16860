import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCitation } from '../src/answer/citation.js';
import { formatAnswer, shorten } from '../src/answer/format.js';
import { answerToJson } from '../src/answer/json.js';
import { quoteIsVerbatim } from '../src/eval/evaluate.js';
import { Lectern } from '../src/lectern.js';
import { isSmallTalk } from '../src/search/analyse/intent.js';
import type { Answer } from '../src/types.js';

let lectern: Lectern;
beforeAll(async () => {
  lectern = await Lectern.open({ config: {} });
});
afterAll(() => lectern?.close());

const CASES: [question: string, paragraph: number, inQuote: string][] = [
  ['Who signed the communiqué?', 2, 'signed by Kalinin'],
  ['How many death warrants did Yagoda sign?', 3, 'Thousands of death warrants'],
  ['What did Serge write last September?', 10, 'The whole generation of October is condemned'],
  ['Whose arrest has been confirmed?', 1, 'Christian Rakowsky'],
  ['In which newspaper was this article published?', 0, 'Socialist Appeal'],
  ['Who transcribed this text?', 0, 'Einde O’Callaghan'],
];

function expectVerbatimQuote(answer: Answer): void {
  expect(answer.quote).toBeDefined();
  expect(quoteIsVerbatim(answer)).toBe(true);
  expect(answer.quote!.text.length).toBeLessThanOrEqual(500);
  const { start, end } = answer.quote!.highlight;
  expect(answer.quote!.text.slice(start, end).length).toBeGreaterThan(0);
}

describe('answering questions', () => {
  it.each(CASES)('%s → ¶%i', async (question, paragraph, inQuote) => {
    const answer = await lectern.ask(question);
    expect(answer.answered).toBe(true);
    expect(answer.status).toBe('answered');
    expect(answer.passages[0]!.passage.paragraph).toBe(paragraph);
    expectVerbatimQuote(answer);
    expect(answer.quote!.text).toContain(inQuote);
  });

  it('finds a name spelt another way ("Rakovsky" for "Rakowsky")', async () => {
    const answer = await lectern.ask('What happened to Rakovsky?');
    expect(answer.passages[0]!.passage.text).toContain('Christian Rakowsky');
  });

  it('returns at least three ranked passages, best first, with scores in [0, 1]', async () => {
    const answer = await lectern.ask('Why was a scapegoat needed?');
    expect(answer.passages.length).toBeGreaterThanOrEqual(3);
    const scores = answer.passages.map((p) => p.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const s of scores) expect(s).toBeGreaterThanOrEqual(0);
    for (const s of scores) expect(s).toBeLessThanOrEqual(1);
  });

  it('pages through passages with offset', async () => {
    const first = await lectern.ask('Yagoda and the G.P.U.', { limit: 2 });
    const next = await lectern.ask('Yagoda and the G.P.U.', { limit: 2, offset: 2 });
    expect(next.passages.map((p) => p.passage.id)).not.toContain(first.passages[0]!.passage.id);
    expect(next.passages.map((p) => p.passage.id)).not.toContain(first.passages[1]!.passage.id);
  });

  it('answers a follow-up from the question it follows, and a new question alone', async () => {
    const followUp = await lectern.ask('who else?', {
      followUpOf: 'Which old Bolshevik survivors are also condemned?',
    });
    expect(followUp.followUp).toEqual({ kind: 'more', of: 'Which old Bolshevik survivors are also condemned?' });
    // "who else?" moves past the passage that answered the question (¶10, the Krestinskys).
    expect(followUp.quote?.passageId.endsWith('#10')).toBe(false);
    const fresh = await lectern.ask('How do I bake sourdough bread?', { followUpOf: 'Who signed the communiqué?' });
    expect(fresh.status).toBe('abstained');
    expect(fresh.followUp).toBeUndefined();
  });
});

describe('abstaining', () => {
  it.each([
    'How do I bake sourdough bread?',
    'What is the best programming language for web servers?',
    'Recommend a good pizza place in Chicago',
    'Who won the football world cup?',
  ])('abstains on an off-topic question: %s', async (question) => {
    const answer = await lectern.ask(question);
    expect(answer.answered).toBe(false);
    expect(answer.status).toBe('abstained');
    expect(answer.message).toMatch(/does not seem to address/);
    expect(answer.passages.length).toBeGreaterThan(0);
  });

  it.each(['Who replaced Yagoda as head of the NKVD?', 'What did Trotsky think of Yagoda?', 'What happened in 1939?'])(
    'abstains on a question about a name or year the text never mentions: %s',
    async (question) => {
      const answer = await lectern.ask(question);
      expect(answer.answered).toBe(false);
    },
  );

  it('still answers questions about names and years the text does mention', async () => {
    for (const question of ['What did Yagoda do in 1928?', 'What does Serge say about Rakovsky?', 'Who is Kalinin?']) {
      expect((await lectern.ask(question)).answered).toBe(true);
    }
  });

  it.each(['hi', 'Hello!', 'help', 'thanks', 'what can you do?', ''])(
    'answers "%s" with usage text',
    async (greeting) => {
      const answer = await lectern.ask(greeting);
      expect(answer).toMatchObject({ answered: false, status: 'help', passages: [] });
      expect(answer.message).toMatch(/quoting/);
    },
  );
});

describe('odd input', () => {
  it('truncates a 100 kB question with a notice', async () => {
    const answer = await lectern.ask('Who signed the communiqué? '.repeat(4000));
    expect(answer.notice).toMatch(/longer than 1,000 characters, so only the first 1,000 were read/);
    expect(answer.question.length).toBeLessThanOrEqual(1000);
    expect(answer.passages.length).toBeGreaterThan(0);
  });

  it('survives control characters, lone surrogates and zero-width characters', async () => {
    const answer = await lectern.ask('Who\u0000 signed\u200b the \ud800communiqué\u0007?');
    expect(answer.question).toBe('Who signed the communiqué?');
    expect(answer.passages[0]!.passage.paragraph).toBe(2);
  });

  it('recognises small talk without searching', () => {
    expect(isSmallTalk('Hey there!')).toBe(true);
    expect(isSmallTalk('<@123> help')).toBe(true);
    expect(isSmallTalk('Who helped Yagoda?')).toBe(false);
  });
});

describe('formatting', () => {
  it('cites a passage from the metadata', () => {
    const doc = lectern.library.defaultDocument;
    expect(formatCitation(doc, 4)).toBe(
      'Victor Serge, "The End of Henry Yagoda", Socialist Appeal, Vol. 1 No. 3, 28 August 1937, p.\u00a09, ¶4',
    );
    // The header is "¶0" everywhere: readers open it with /passage 0 (issue 10 §4).
    expect(formatCitation(doc, 0)).toMatch(/, ¶0$/);
  });

  it('prints the quote, its citation and further passages', async () => {
    const answer = await lectern.ask('Who signed the communiqué?');
    const text = formatAnswer(answer, lectern.library, { emphasis: (t) => `**${t}**` });
    expect(text).toContain('**A Government communiqué, signed by Kalinin,');
    expect(text).toContain(
      '— Victor Serge, "The End of Henry Yagoda", Socialist Appeal, Vol. 1 No. 3, 28 August 1937, p.\u00a09, ¶2',
    );
    expect(text).toContain('See also:');
  });

  it('labels the closest passage of an abstention', async () => {
    const text = formatAnswer(await lectern.ask('How do I bake sourdough bread?'), lectern.library);
    expect(text).toMatch(/^The text does not seem to address this question/);
    expect(text).toContain('Closest passage:');
  });

  it('shortens on sentence or word boundaries, never mid-word', () => {
    expect(shorten('One two. Three four five six.', 20)).toBe('One two. …');
    expect(shorten('Alpha beta gamma delta', 12)).toBe('Alpha beta…');
    expect(shorten('short', 10)).toBe('short');
  });

  it('produces the JSON shape of npm run ask -- --json', async () => {
    const json = answerToJson(await lectern.ask('Who signed the communiqué?'), lectern.library);
    expect(Object.keys(json)).toEqual(['question', 'answered', 'quote', 'citation', 'passages']);
    expect(json.citation).toMatch(/¶2$/);
    // `location` is the short form readers see in lists; an article has no chapters, so no `chapter`.
    expect(json.passages[0]).toEqual({
      doc: 'serge-the-end-of-henry-yagoda-1937',
      title: 'The End of Henry Yagoda',
      paragraph: 2,
      location: '¶2',
      text: lectern.library.getPassage('serge-the-end-of-henry-yagoda-1937', 2)!.text,
      score: expect.any(Number),
    });
  });
});

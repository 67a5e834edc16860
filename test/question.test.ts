import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lectern } from '../src/lectern.js';
import { inboundQuestion, stripDiscordMarkup } from '../src/discord/inbound.js';
import { analyseQuestion, answerTypeOf, scriptsOf } from '../src/search/analyse/question.js';

const LATIN = new Set(['Latin']);

describe('stripDiscordMarkup', () => {
  it.each([
    ['<@&123456789012345678> who is Yagoda', 'who is Yagoda'],
    ['<@123456789012345678> <@!123456789012345678> who is Yagoda?', 'who is Yagoda?'],
    ['<#123456789012345678> who is Yagoda', 'who is Yagoda'],
    ['<:pepe:123456789012345678> <a:dance:123456789012345678> who is Yagoda', 'who is Yagoda'],
    ['who is Yagoda <t:1700000000:R>', 'who is Yagoda'],
    ['</ask:123456789012345678> who is Yagoda', 'who is Yagoda'],
    ['</lectern ask:123456789012345678> who is Yagoda', 'who is Yagoda'],
    ['who is [Yagoda](https://en.wikipedia.org/wiki/Genrikh_Yagoda)?', 'who is Yagoda?'],
    ['who is [Yagoda](<https://example.com/a>)?', 'who is Yagoda?'],
    ['who is Yagoda https://example.com/yagoda?x=1', 'who is Yagoda'],
    ['who is Yagoda <https://example.com>', 'who is Yagoda'],
    ['@everyone who is **Yagoda** :thinking:', 'who is **Yagoda**'],
    ['<@&123> who is Yagoda', 'who is Yagoda'],
  ])('%s → %s', (raw, searched) => {
    expect(stripDiscordMarkup(raw)).toBe(searched);
  });

  it('keeps the words, quotes and punctuation of plain questions', () => {
    const q = 'What does “genial Leader” mean — and who wrote it: Serge?';
    expect(stripDiscordMarkup(q)).toBe(q);
    expect(stripDiscordMarkup('Who is <Yagoda>? 3 < 4')).toBe('Who is <Yagoda>? 3 < 4');
  });
});

describe('scripts', () => {
  it('names the scripts of a text, ignoring digits and punctuation', () => {
    expect([...scriptsOf('Who signed the communiqué? 1937')]).toEqual(['Latin']);
    expect([...scriptsOf('سؤال שאלה Привет 請問')].sort()).toEqual(['Arabic', 'Cyrillic', 'Han', 'Hebrew']);
  });

  it('sets aside words in scripts the library does not use', () => {
    const arabic = analyseQuestion('سؤال صغير: Who signed the communiqué?', LATIN);
    expect(arabic.searched).toBe('Who signed the communiqué?');
    expect(arabic.setAside).toEqual(['سؤال', 'صغير:']);
    expect(arabic.setAsideScripts).toEqual(['Arabic']);
    expect(analyseQuestion('שאלה קטנה — Who signed the communiqué?', LATIN).searched).toBe(
      'Who signed the communiqué?',
    );
  });

  it('keeps words in scripts the library uses, and a question wholly in another script', () => {
    expect(analyseQuestion('Who wrote Война и мир?', new Set(['Latin', 'Cyrillic'])).searched).toBe(
      'Who wrote Война и мир?',
    );
    const all = analyseQuestion('من وقع البيان؟', LATIN);
    expect(all.searched).toBe('من وقع البيان؟');
    expect(all.setAside).toEqual([]);
  });
});

describe('answerTypeOf', () => {
  it.each([
    ['Who signed the communiqué?', 'person'],
    ['Whom did Lenin make his mouthpiece?', 'person'],
    ['Which famous writer wrote a flattering article?', 'person'],
    ['When did his disgrace become known?', 'date'],
    ['In which year did Yagoda sympathize with the Right?', 'date'],
    ['How many death warrants did Yagoda sign?', 'number'],
    ['How long has the period lasted?', 'number'],
    ['Where did Romain Rolland meet Yagoda?', 'place'],
    ['Why was Yagoda arrested?', 'reason'],
    ['How does Serge imagine Yagoda in his cell?', 'manner'],
    ['What was Yagoda accused of?', 'other'],
  ])('%s → %s', (question, type) => {
    expect(answerTypeOf(question)).toBe(type);
  });
});

// Discord markup is removed on the bot's inbound side (src/discord/inbound.ts) before the engine reads the question.
describe('questions with Discord markup or foreign script, on the bundled article', () => {
  let lectern: Lectern;
  beforeAll(async () => {
    lectern = await Lectern.open({ config: {} });
  });
  afterAll(() => lectern?.close());

  it.each([
    ['<@&123456789012345678> who is Yagoda', 'who is Yagoda'],
    [
      '<#123456789012345678> [Yagoda](https://en.wikipedia.org/wiki/Genrikh_Yagoda): what was he accused of? <t:1700000000:R>',
      'Yagoda: what was he accused of?',
    ],
    ['سؤال صغير جدا: Who signed the communiqué?', 'Who signed the communiqué?'],
    ['שאלה קטנה — Who signed the communiqué?', 'Who signed the communiqué?'],
  ])('%s is answered like "%s"', async (raw, plain) => {
    const [marked, clean] = await Promise.all([lectern.ask(inboundQuestion(raw)), lectern.ask(plain)]);
    expect(clean.answered).toBe(true);
    expect(marked.answered).toBe(true);
    expect(marked.question).toBe(plain);
    expect(marked.passages[0]!.passage.id).toBe(clean.passages[0]!.passage.id);
    expect(marked.quote!.text).toBe(clean.quote!.text);
  });

  it('tells the reader which words were not searched', async () => {
    const answer = await lectern.ask('سؤال: Who signed the communiqué?');
    expect(answer.notice).toMatch(/Arabic/);
    expect(answer.quote!.text).toContain('signed by Kalinin');
  });

  it('answers questions that name things in other words than the text, and declines those naming what it never mentions', async () => {
    const soviet = await lectern.ask('Who was the most dreaded man in the Soviet Union?');
    expect(soviet.answered).toBe(true);
    expect(soviet.quote!.text).toContain('the most dreaded man in the U.S.S.R.');
    expect((await lectern.ask('Which French novelist wrote about Yagoda?')).answered).toBe(true);
    expect((await lectern.ask('Who replaced Yagoda as head of the NKVD?')).answered).toBe(false);
    expect((await lectern.ask('is it going to rain in seattle this weekend')).answered).toBe(false);
  });

  it('answers a message that is only markup with usage text', async () => {
    const answer = await lectern.ask(inboundQuestion('<@&123456789012345678> <:pepe:123456789012345678>'));
    expect(answer.status).toBe('help');
  });
});

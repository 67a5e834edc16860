import { describe, expect, it } from 'vitest';
import { LexicalIndex } from '../src/index/lexical.js';
import { questionNames, unknownNames } from '../src/search/analyse/names.js';
import { aliasesOf, isOnlyProperNoun } from '../src/search/analyse/wordnet.js';

const TEXT = [
  'He was in truth the most dreaded man in the U.S.S.R., Chief of Police to the genial Leader.',
  'And I think also of Romain Rolland, who met him at Moscow.',
  'Mr. Darcy bowed to Miss Bennet in 1811.',
  'They waited thirty days, and on Christmas morning the tree was hauled out.',
];
const lexical = LexicalIndex.build(TEXT.map((text, id) => ({ id, passageId: `doc#${id + 1}`, kind: 'passage', text })));

describe('questionNames', () => {
  it.each([
    ['Who was the most dreaded man in the Soviet Union?', ['Soviet Union']],
    ['Which French novelist wrote about Yagoda?', ['French', 'Yagoda']],
    ['Is Mr. Darcy proud? Who is Miss Bennet?', ['Mr. Darcy', 'Miss Bennet']],
    [
      "Why did the U.S.S.R. arrest Romain Rolland, Yagoda's friend, in 1938?",
      ['U.S.S.R.', 'Romain Rolland', 'Yagoda', '1938'],
    ],
    ['Who signed the communiqué?', []],
  ])('%s → %j', (question, names) => {
    expect(questionNames(question)).toEqual(names);
  });
});

describe('WordNet aliases', () => {
  it('finds other names of a country and the nouns a demonym pertains to', async () => {
    expect((await aliasesOf('Soviet Union')).aliases).toContain('USSR');
    const french = await aliasesOf('French');
    expect(french.adjective).toBe(true);
    expect(french.aliases).toContain('France');
    expect((await aliasesOf('Russian')).aliases).toContain('USSR');
    expect(await aliasesOf('Yagoda')).toEqual({ aliases: [], adjective: false });
  });

  it('tells lower-case names from common words', async () => {
    expect(await isOnlyProperNoun('seattle')).toBe(true);
    expect(await isOnlyProperNoun('python')).toBe(false);
    expect(await isOnlyProperNoun('whale')).toBe(false);
  });
});

describe('unknownNames', () => {
  it.each([
    ['Who was the most dreaded man in the Soviet Union?', []],
    ['Who was the most dreaded man in the USSR?', []],
    ['Which French novelist met him?', []],
    ['Where did Romain Rolland meet him?', []],
    ['Did Mr Darcy bow to Miss Bennet?', []],
    ['What did Leon Trotsky think of Rolland?', ['Leon', 'Trotsky']],
    ['Who replaced him as head of the NKVD?', ['NKVD']],
    ['What happened in 1938?', ['1938']],
    ['What happened in 1811?', []],
    ['is it going to rain in seattle this weekend', ['seattle']],
    ['did mr darcy bow in moscow?', []],
    ['what was th elast thing he said?', []],
    ['why did they wait the 30 days?', []],
    ['what happened to the tree after xmas?', []],
    ['what happened after 45 days?', ['45']],
  ])('%s → %j', async (question, unknown) => {
    expect(await unknownNames(question, lexical)).toEqual(unknown);
  });
});

import { describe, expect, it } from 'vitest';
import { Library } from '../src/corpus/library.js';
import { parseDocument } from '../src/corpus/parse.js';
import { libraryNames, slotOf, statesSlot } from '../src/search/analyse/slot.js';
import { contentTerms } from '../src/text/analyser.js';

const TEXT = `Such dreary streets! At last I came to the Spouter Inn, kept by Peter Coffin. It was a poor inn.

Captain Ahab stood upon his quarter-deck. Ahab had a young wife at home, and a child.

Fedallah first descried the jet. Queequeg was a native of Rokovoko. His father was a King, and very old.

The boy was but twelve years old when the ship sailed, and Starbuck watched him.
`;

const doc = parseDocument('voyage.txt', TEXT);
const library = new Library([doc]);
const names = libraryNames(library);
const passages = doc.passages.filter((p) => p.paragraph > 0);
const stated = (question: string): boolean | undefined => {
  const slot = slotOf(question, names);
  return slot && statesSlot(slot, passages, names, new Set(contentTerms(question)));
};

describe('libraryNames', () => {
  it('knows words the text capitalises mid-sentence, also where they start a sentence', () => {
    expect(names.has('fedallah')).toBe(false); // only ever at the start of a sentence
    expect(names.has('ahab')).toBe(true);
    expect(names.has('coffin')).toBe(true);
    expect(names.has('ship')).toBe(false);
  });
});

describe('slotOf', () => {
  it.each([
    ["What is the name of Ahab's wife?", { kind: 'name', focus: ['wife'], owners: ['ahab'] }],
    ['whats the name of the inn ishmael ends up staying at', { kind: 'name', focus: ['inn'], owners: [] }],
    ["what's the name of starbucks little boy", { kind: 'name', focus: ['boi'], owners: ['starbuck'] }],
    ["What is Starbuck's first name?", { kind: 'name', focus: ['starbuck'], owners: [], part: true }],
    ['How old was the boy when the ship sailed?', { kind: 'age', focus: ['boi'], owners: [] }],
    ['How old is Ishmael during the voyage?', { kind: 'age', focus: ['ishmael'], owners: [] }],
    ['Who signed the communiqué?', undefined],
    ['Why does Ahab hate the whale?', undefined],
  ])('%s', (question, slot) => {
    expect(slotOf(question, new Set(['ahab', 'starbuck', 'ishmael']))).toEqual(slot);
  });
});

describe('statesSlot', () => {
  it('finds a name next to what is asked about', () => {
    expect(stated('What was the name of the inn?')).toBe(true);
    expect(stated('How old was the boy?')).toBe(true);
  });

  it('finds no name where the text gives none', () => {
    expect(stated("What is the name of Ahab's wife?")).toBe(false);
    expect(stated("What is Starbuck's first name?")).toBe(false);
    expect(stated("What was the name of Queequeg's father?")).toBe(false);
    expect(stated('How old is Ahab?')).toBe(false);
    // An age stated of the boy, in a sentence about the ship sailing, is not Ahab's.
    expect(stated('How old was Ahab when the ship sailed?')).toBe(false);
  });

  it('rules nothing out when no passage holds the word asked about', () => {
    expect(stated('What was the name of the hotel?')).toBe(true);
  });
});

describe('ages given as bare numbers', () => {
  const game = parseDocument(
    'game.txt',
    `Manning and Newton set the record for the largest age difference between opposing quarterbacks (Manning was 39, Newton was 26).

Newton, the youngest starter, was 26 yards short of the record.

Manning turned 39 in the 2015 off-season.
`,
  );
  const gameNames = libraryNames(new Library([game]));
  const stateIn = (question: string, paragraphs: number[]) =>
    statesSlot(
      slotOf(question, gameNames)!,
      game.passages.filter((p) => paragraphs.includes(p.paragraph)),
      gameNames,
      new Set(contentTerms(question)),
    );

  it('counts "was 26" in a sentence about ages', () => {
    expect(stateIn('How old was Newton during Super Bowl 50?', [1])).toBe(true);
  });

  it('counts "turned 39"', () => {
    expect(stateIn('How old was Manning in 2015?', [3])).toBe(true);
  });

  it('does not count a number of yards', () => {
    expect(stateIn('How old was Newton?', [2])).toBe(false);
  });
});

describe('ages as novels of the period write them', () => {
  const novel = parseDocument(
    'novel.txt',
    `Mr. Collins was a tall, heavy-looking young man of five-and-twenty. His air was grave and stately.

Lydia was a stout, well-grown girl of fifteen, with a fine complexion.
`,
  );
  const novelNames = libraryNames(new Library([novel]));
  const stated = (question: string) =>
    statesSlot(
      slotOf(question, novelNames)!,
      novel.passages.filter((p) => p.paragraph > 0),
      novelNames,
      new Set(contentTerms(question)),
    );

  it.each(['How old is Mr. Collins?', 'how old was lydia'])('%s', (question) => {
    expect(stated(question)).toBe(true);
  });
});

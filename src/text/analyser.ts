/**
 * The text analyser: how Lectern turns text into words and words into index
 * terms. The lexical index (index/lexical.ts) indexes with it and every
 * search stage reads questions and passages with it, so a question's terms
 * and a passage's terms are always the same function of their words.
 */
import { stemmer } from 'stemmer';
import { eng } from 'stopword';

/** English stop words, plus question words and the verbs of asking, which say nothing about what is asked. */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  ...eng,
  ...[
    'why',
    'whom',
    'whose',
    'when',
    'whether',
    'did',
    'does',
    'do',
    'done',
    'according',
    'say',
    'says',
    'said',
    'tell',
    'mean',
    'means',
    'text',
  ],
]);

/** Words, keeping inner dots and apostrophes so "G.P.U." and "d’etat" stay one token. */
const WORD = /[\p{L}\p{N}]+(?:[.'’‘][\p{L}\p{N}]+)*\.?/gu;

/** Lower case, accents folded, "G.P.U." → "gpu", "Yagoda's" → "yagoda". */
export function normaliseWord(word: string): string {
  return word
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’‘]s$/u, '')
    .replace(/[.'’‘]/gu, '');
}

/** Splits text into raw word tokens. */
export function tokenize(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** A token's index term, or null for stop words and noise. */
export function indexTerm(token: string): string | null {
  const word = normaliseWord(token);
  if (!word || STOP_WORDS.has(word)) return null;
  if (word.length < 2 && !/\d/.test(word)) return null;
  return stemmer(word);
}

/** The index terms of a text's tokens, in order, stop words dropped (duplicates kept). */
export function termsOf(text: string): string[] {
  return tokenize(text)
    .map(indexTerm)
    .filter((t): t is string => t !== null);
}

/** The content terms of a question, in order, without duplicates. */
export function contentTerms(text: string): string[] {
  return [...new Set(termsOf(text))];
}

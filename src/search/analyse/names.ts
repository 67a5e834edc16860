/**
 * Names in a question, and whether the library mentions them under any name.
 *
 * A question that names someone or something the texts never mention cannot
 * be answered from them ("Who replaced Yagoda as head of the NKVD?"). But a
 * reader names things in their own words: "the Soviet Union" for the text's
 * "U.S.S.R.", "French novelist" for Rolland. Each name is therefore looked up
 * as the reader wrote it (with the lexical index's spelling tolerance, and
 * dots in acronyms folded: "U.S.S.R." = "USSR"), then under its WordNet
 * aliases; a capitalised adjective ("French", "Russian") describes rather
 * than names, and is left to coverage.
 */
import numberToWords from 'number-to-words';
import { contentTerms, indexTerm, normaliseWord, tokenize } from '../../text/analyser.js';
import type { Vocabulary } from '../retrieve/lexical.js';
import { ABBREVIATED_TITLES, alternation } from '../../text/words.js';
import { aliasesOf, isOnlyProperNoun } from './wordnet.js';

/**
 * Below this, a number in a question may be written out in the text ("the 30
 * days" for "thirty days"): the Children's Literature EPUB was declined for
 * it. Larger numbers are years and figures, which books print as digits, and
 * whose written forms ("two thousand sixteen") are common words any novel has.
 */
const SPELLED_OUT_BELOW = 1000;

/** Whether the library writes a number out in words: "30" as "thirty" or "thirtieth". */
function knowsNumberInWords(number: string, lexical: Vocabulary): boolean {
  const value = Number(number);
  if (!Number.isSafeInteger(value) || value >= SPELLED_OUT_BELOW) return false;
  return [numberToWords.toWords(value), numberToWords.toWordsOrdinal(value)].some((words) =>
    libraryKnows(words.replace(/-/g, ' '), lexical),
  );
}

/** Abbreviated titles whose dot does not end a sentence. */
const TITLES = new RegExp(`^(?:${alternation(ABBREVIATED_TITLES)})\\.$`, 'u');

/** A word that looks like part of a name: capitalised (not first), an acronym, or a number such as a year. */
function nameLike(token: string, position: number): boolean {
  const bare = token.replace(/[.'’‘]/g, '');
  if (bare.length < 2) return false;
  if (/^\p{Lu}{2,}$/u.test(bare) || /^\d+$/.test(bare)) return true;
  return position > 0 && /^\p{Lu}\p{Ll}/u.test(bare);
}

/**
 * The names of a question: runs of adjacent name-like words ("Soviet Union",
 * "Romain Rolland"), acronyms ("U.S.S.R.") and numbers, in order.
 */
export function questionNames(question: string): string[] {
  const names: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length) names.push(run.join(' '));
    run = [];
  };
  // Positions count words from the start of each sentence, so "? Who" is not a name.
  let position = 0;
  for (const match of question.matchAll(/\S+/gu)) {
    const word = match[0];
    const tokens = tokenize(word);
    const token = tokens[0];
    const isName = token !== undefined && tokens.length === 1 && nameLike(token, position);
    if (isName && /^\d+$/.test(token.replace(/[.'’‘]/g, ''))) {
      flush();
      names.push(token);
    } else if (isName) run.push(token.replace(/['’‘]s$/u, ''));
    else flush();
    // Punctuation after a word ends a name ("Rolland, Yagoda") and "?" or "." a sentence;
    // not the dots of an acronym ("U.S.S.R.") or of a title ("Mr. Darcy", "St. Petersburg").
    const dotted = /^(?:\p{Lu}\.)+$/u.test(word) || TITLES.test(word);
    if (/[,;:!?()"“”]$|[^.]\.$/u.test(word) && !dotted) flush();
    position = /[?!]$/u.test(word) || (/\.$/u.test(word) && !dotted) ? 0 : position + 1;
  }
  flush();
  return names;
}

/** Whether the library knows every content word of a phrase. */
function libraryKnows(phrase: string, lexical: Vocabulary): boolean {
  const terms = contentTerms(phrase);
  return terms.length > 0 && terms.every((t) => lexical.knows(t));
}

/**
 * The question's names the library never mentions under any alias. For a
 * multi-word name no alias of which is known, the words the library lacks are
 * returned ("Leon Trotsky" → "Trotsky").
 */
export async function unknownNames(question: string, lexical: Vocabulary): Promise<string[]> {
  const unknown: string[] = [];
  for (const name of questionNames(question)) {
    if (contentTerms(name).length === 0 || libraryKnows(name, lexical)) continue;
    if (/^\d+$/.test(name)) {
      if (!knowsNumberInWords(name, lexical)) unknown.push(name);
      continue;
    }
    const { aliases, adjective } = await aliasesOf(name);
    if (aliases.some((alias) => libraryKnows(alias, lexical))) continue;
    const words = name.split(' ');
    const missing: string[] = [];
    for (const word of words) {
      if (contentTerms(word).length === 0 || libraryKnows(word, lexical)) continue;
      const own = words.length === 1 ? { aliases, adjective } : await aliasesOf(word);
      // An adjective ("French novelist") describes; whether the text says so is for coverage to weigh.
      if (own.adjective || own.aliases.some((alias) => libraryKnows(alias, lexical))) continue;
      missing.push(word);
    }
    // A known alias of the whole name, or of every missing part, is enough; otherwise report what is missing.
    if (adjective && words.length === 1) continue;
    unknown.push(...missing);
  }
  // Names typed in lower case ("is it going to rain in seattle"): words WordNet knows only as proper nouns.
  for (const token of tokenize(question)) {
    // Short lower-case words are more often typos ("th elast") or abbreviations than names.
    if (!/^\p{Ll}{4,}$/u.test(token)) continue;
    const term = indexTerm(token);
    if (term === null || lexical.knowsExactly(term) || lexical.knowsExactly(normaliseWord(token))) continue;
    if (!(await isOnlyProperNoun(token))) continue;
    // "xmas" is the text's "Christmas"; aliases are matched exactly too, and the word itself is not one.
    const { aliases } = await aliasesOf(token);
    const knownAlias = aliases.some((alias) => {
      const terms = contentTerms(alias);
      return (
        normaliseWord(alias) !== normaliseWord(token) && terms.length > 0 && terms.every((t) => lexical.knowsExactly(t))
      );
    });
    if (!knownAlias) unknown.push(token);
  }
  return unknown;
}

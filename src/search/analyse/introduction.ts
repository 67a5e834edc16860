/**
 * "Who is Fedallah?" asks to be introduced. A novel introduces a character
 * where it first mentions them ("…the white-turbaned old man at their head"),
 * and later passages that merely name them ("How old do you suppose Fedallah
 * is, Stubb?") match the question's words as well or better. So for a
 * question of the form "who is X" (or "who's X", "who are X and Y", "who was
 * Captain X…") where X is a name of the library, the first passages that
 * mention X get a bonus in the ranking. Everything else the question says
 * still counts: "who's captain Mayhew and why won't he come aboard?" is
 * ranked on all its words, with Mayhew's first passages favoured.
 */
import type { Library } from '../../corpus/library.js';
import { indexTerm, normaliseWord, tokenize } from '../../text/analyser.js';
import { TITLE_WORDS } from '../../text/words.js';
import { DEFAULT_RANKING_CONFIG, type RerankConfig } from '../config.js';
import type { PassageScope } from '../retrieve/filter.js';
import type { Vocabulary } from '../retrieve/lexical.js';
import { libraryNames } from './slot.js';

/** Words before a name that are not part of it: "Father Mapple", "the Parsee", "Captain Ahab". */
const LEAD_WORDS: ReadonlySet<string> = new Set([
  ...'the a an old young little doctor captian cap'.split(' '),
  ...TITLE_WORDS,
]);

/** Words after a name that leave the question a who-is question: "who is Fedallah exactly?", "who is Robin in Fairyfoot". */
const TRAILING_WORDS = new Set('exactly really again anyway actually then now in from of on supposed meant'.split(' '));

/** Whether a question could be a who-is question at all: checked before the library's names are read. */
export function mayAskWhoIs(question: string): boolean {
  return /\bwho(?:['’]s|\s+(?:is|was|are|were))\s/iu.test(question);
}

/**
 * The names a who-is question asks about, each as its index terms
 * (`[["fedallah"]]`, `[["robin", "goodfellow"]]`, `[["steelkilt"], ["radney"]]`),
 * or none when the question is not of that form: "who is the quarterback",
 * "who was Ahab's father", "who is rumored to have been shot".
 */
export function introducedNames(question: string, names: ReadonlySet<string>): string[][] {
  const match = question.match(/\bwho(?:['’]s|\s+(?:is|was|are|were))\s+(.+)/iu);
  if (!match) return [];
  const found: string[][] = [];
  let current: string[] = [];
  // Words and the punctuation between them: a comma or question mark ends the subject.
  for (const [word] of match[1]!.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*|[^\s\p{L}\p{N}]/gu)) {
    if (!/^[\p{L}\p{N}]/u.test(word)) break;
    if (/['’]s$/iu.test(word)) return []; // "who was Ahab's father": someone else is asked about
    const bare = normaliseWord(word);
    if (current.length === 0 && LEAD_WORDS.has(bare)) continue;
    if (names.has(bare)) {
      const term = indexTerm(tokenize(word)[0] ?? '');
      if (term) current.push(term);
      continue;
    }
    // "who is the quarterback…", "who is rumored…": no name where the subject starts.
    if (current.length === 0) return found;
    found.push(current);
    current = [];
    if (bare === 'and') continue;
    // "who is Ahab talking to": the question asks about someone else.
    return TRAILING_WORDS.has(bare) ? found : [];
  }
  if (current.length) found.push(current);
  return found;
}

/**
 * Bonuses by passage id for a who-is question: the first `mentions` passages
 * of each document that hold every term of a name the question asks about.
 * Empty for any other question.
 */
export function introductionBonuses(
  question: string,
  library: Library,
  lexical: Vocabulary,
  options: Partial<RerankConfig['introduction']> = {},
  /** A reading limit: the names are those met within it (`lexical` is then limited to it too). */
  scope?: PassageScope,
): Map<string, number> {
  const opts = { ...DEFAULT_RANKING_CONFIG.rerank.introduction, ...options };
  const bonuses = new Map<string, number>();
  if (opts.bonus <= 0 || opts.mentions <= 0 || !mayAskWhoIs(question)) return bonuses;
  for (const terms of introducedNames(question, libraryNames(library, opts.nameShare, scope))) {
    const byDocument = new Map<string, number[]>();
    for (const passageId of lexical.passagesWithAll(terms)) {
      const passage = library.getPassageById(passageId);
      if (!passage || passage.paragraph === 0) continue;
      const list = byDocument.get(passage.docId) ?? [];
      list.push(passage.paragraph);
      byDocument.set(passage.docId, list);
    }
    for (const [docId, paragraphs] of byDocument) {
      paragraphs.sort((a, b) => a - b);
      paragraphs.slice(0, opts.mentions).forEach((paragraph, k) => {
        const id = `${docId}#${paragraph}`;
        const bonus = opts.bonus * (1 - k / opts.mentions);
        bonuses.set(id, Math.max(bonuses.get(id) ?? 0, bonus));
      });
    }
  }
  return bonuses;
}

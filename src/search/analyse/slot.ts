/**
 * Slot questions: questions that ask for one attribute of someone or
 * something — a name ("What is the name of Ahab's wife?", "What's Starbuck's
 * first name?") or an age ("How old is Queequeg?"). Reading groups ask them
 * often, and novels often leave the attribute out: the passages about Ahab's
 * wife are found, and they look like an answer to every other signal, but
 * none of them names her. Such a question is answered only when one of the
 * best passages states an attribute of that kind next to what the question
 * asks about; otherwise Lectern says the text does not answer it.
 */
import type { Library } from '../../corpus/library.js';
import { indexTerm, normaliseWord, tokenize } from '../../text/analyser.js';
import type { Passage } from '../../types.js';
import type { PassageScope } from '../retrieve/filter.js';
import { DEFAULT_RANKING_CONFIG, type DecideConfig } from '../config.js';
import { alternation, NUMBER_TEENS, NUMBER_TENS, NUMBER_UNITS, TITLE_WORDS } from '../../text/words.js';

/** What a slot question asks for. */
export interface SlotQuestion {
  kind: 'name' | 'age';
  /** Index terms of what the question asks about ("wife" in "the name of Ahab's wife"). */
  focus: string[];
  /** Names the question gives as the owner ("Ahab" in "Ahab's wife"): a passage must mention one of them. */
  owners: string[];
  /** For "first name", "last name": a name that runs on from the focus ("Peter Coffin"). */
  part?: boolean;
}

/** Words that end the noun phrase a question asks about: prepositions, relative words, verbs. */
const PHRASE_WORDS = new Set(
  'of in at on from with for to by about who whom which that when where during after before and or did does do is was were has had'.split(
    ' ',
  ),
);

/** Title words: "Captain Bildad" names Bildad, and "Captain" alone names nobody. */
const TITLES: ReadonlySet<string> = new Set(TITLE_WORDS);

/**
 * The head of the noun phrase a question asks about, as an index term: its
 * last word before a preposition, a relative word, punctuation or a name of
 * the library ("the inn Ishmael ends up staying at" → inn, "Starbuck's little
 * boy" → boy), and the library's names in the phrase, which say whose it is.
 */
function headOf(phrase: string, names: ReadonlySet<string>): { head?: string; owners: string[] } {
  const owners: string[] = [];
  let head: string | undefined;
  let open = true;
  for (const word of phrase.split(/\s+|(?=[,;:?!])/u)) {
    if (/^[,;:?!]/u.test(word) || PHRASE_WORDS.has(word.toLowerCase())) open = false;
    const token = tokenize(word)[0];
    if (!token) continue;
    const term = indexTerm(token);
    if (!term) continue;
    const bare = normaliseWord(token);
    // "starbucks little boy": a reader's possessive without its apostrophe.
    if (names.has(bare) || (bare.endsWith('s') && names.has(bare.slice(0, -1)))) {
      // A name after the head starts a clause of its own ("the inn Ishmael ends up…").
      if (head) open = false;
      if (open) owners.push(term);
      continue;
    }
    if (open) head = term;
  }
  return { head, owners };
}

/** A name slot for the phrase, or undefined when it has no head to look for. */
function nameSlot(phrase: string, names: ReadonlySet<string>): SlotQuestion | undefined {
  // "Ahab's wife": what is possessed is the head, the possessor its owner.
  const parts = phrase.split(/['’]s?\s+/u);
  const { head, owners } = headOf(parts.at(-1)!, names);
  const before = parts
    .slice(0, -1)
    .flatMap((part) => headOf(part, names).owners.concat(headOf(part, names).head ?? []));
  return head ? { kind: 'name', focus: [head], owners: [...owners, ...before] } : undefined;
}

/**
 * The slot a question asks for, if it is a slot question. Reads the
 * question's own words; the library only says which of them are names.
 */
export function slotOf(question: string, names: ReadonlySet<string>): SlotQuestion | undefined {
  const q = question.replace(/[’‘]/g, "'").toLowerCase();
  const nameOf = q.match(
    /^(?:what|whats|what's|which|tell me|do you know|does|did|is|was)\b.*?\bname of (?:the |a |an |his |her |their )?(.+)/,
  );
  if (nameOf) return nameSlot(nameOf[1]!, names);
  const possessive = q.match(
    /\b(?:what|whats|what's)(?: is| was| were)? (?:the )?(.+?)(?:'s|s'|s) ((?:first|last|full|christian|maiden|sur|family|given) ?)?names?\b/,
  );
  if (possessive) {
    if (possessive[2]) {
      // "What is Starbuck's first name?": the other half of a name that runs on from Starbuck.
      const focus = tokenize(possessive[1]!)
        .map(indexTerm)
        .filter((t): t is string => t !== null);
      return focus.length ? { kind: 'name', focus, owners: [], part: true } : undefined;
    }
    return nameSlot(possessive[1]!, names);
  }
  const called = q.match(/^what (?:is|was|are|were) (?:the )?(.+?) (?:called|named)\b/);
  if (called) return nameSlot(called[1]!, names);
  const age = q.match(/\bhow old (?:is|was|are|were|would|will) (.+)/);
  if (age) {
    // Whose age: the words before a preposition or clause ("Ishmael" in "How old is Ishmael during the voyage?"),
    // so that an age stated in a passage about the voyage does not answer for Ishmael.
    const words = age[1]!.split(/\s+|(?=[,;:?!])/u);
    const end = words.findIndex((word, i) => i > 0 && (/^[,;:?!]/u.test(word) || PHRASE_WORDS.has(word)));
    const subject = (end < 0 ? words : words.slice(0, end)).join(' ');
    const focus = tokenize(subject.replace(/\b(?:supposed|meant|be|actually|really|now|then)\b/g, ' '))
      .map(indexTerm)
      .filter((t): t is string => t !== null);
    return focus.length ? { kind: 'age', focus, owners: [] } : undefined;
  }
  return undefined;
}

/** A number up to ninety-nine, in digits or words ("five-and-twenty"), or "hundred". */
const NUMBER_WORD = `(?:\\d+|${alternation([...NUMBER_UNITS, ...NUMBER_TEENS, ...NUMBER_TENS, 'hundred'])})(?:[- ](?:and[- ])?(?:${alternation([...NUMBER_UNITS, ...NUMBER_TENS])}))?`;
/** An age: "twelve years old", "at the age of eighteen", "aged 40", "turned 39", "a young man of five-and-twenty", "thirty arid summers". */
const AGE = new RegExp(
  `\\b${NUMBER_WORD}[- ]years?[- ](?:old|of age)\\b|\\bage (?:of )?${NUMBER_WORD}\\b|\\b(?:aged|turned|turns|turning) ${NUMBER_WORD}\\b|\\b(?:man|woman|men|women|girl|boy|lad|lass|child|fellow|youth|gentleman|lady|maid|person) of (?:about |nearly |near |almost |some |only |barely |not |full )?${NUMBER_WORD}\\b|\\b${NUMBER_WORD}(?: \\w+)? (?:summers|winters|birthdays)\\b|\\bin (?:his|her|their) (?:teens|twenties|thirties|forties|fifties|sixties|seventies|eighties)\\b`,
  'iu',
);

/** An age given as a bare number, in a sentence about ages: "(Manning was 39, Newton was 26)" after "the largest age difference". */
const BARE_AGE = new RegExp(
  `\\b(?:was|is|were|are) ${NUMBER_WORD}\\b(?![- ](?:yards?|points?|percent|per cent|times|feet|miles|days|weeks|months))`,
  'iu',
);
const ABOUT_AGES = /\b(?:ages?|older|oldest|younger|youngest)\b/iu;

/** Whether a passage states an age: in so many words, or as a bare number in a sentence about ages. */
function statesAge(passage: Passage): boolean {
  if (AGE.test(passage.text)) return true;
  return passage.sentences.some((span) => {
    const sentence = passage.text.slice(span.start, span.end);
    return ABOUT_AGES.test(sentence) && BARE_AGE.test(sentence);
  });
}

/** How often each word is capitalised mid-sentence and written in lower case, per loaded library (it never changes). */
interface CaseCounts {
  capitalised: Map<string, number>;
  lower: Map<string, number>;
  names: Map<number, ReadonlySet<string>>;
}
const caseCountCache = new WeakMap<Library, Map<string, CaseCounts>>();

/** The whole library's key in the cache; a reading limit's scope has its own. */
const WHOLE_LIBRARY = '';

/** Scopes whose counts are kept per library: one per reading limit in use (a club's week, a few bookmarks). */
const SCOPES_KEPT = 16;

function caseCounts(library: Library, scope?: PassageScope): CaseCounts {
  let byScope = caseCountCache.get(library);
  if (!byScope) caseCountCache.set(library, (byScope = new Map()));
  const key = scope?.key ?? WHOLE_LIBRARY;
  let cached = byScope.get(key);
  if (!cached) {
    const capitalised = new Map<string, number>();
    const lower = new Map<string, number>();
    for (const passage of library.passages()) {
      if (scope && !scope.allows(passage)) continue;
      for (const span of passage.sentences) {
        let first = true;
        for (const [word] of passage.text.slice(span.start, span.end).matchAll(/\p{L}[\p{L}'’]*/gu)) {
          if (/^\p{Lu}/u.test(word)) {
            if (!first) capitalised.set(word, (capitalised.get(word) ?? 0) + 1);
          } else lower.set(word, (lower.get(word) ?? 0) + 1);
          first = false;
        }
      }
    }
    // Counted as written, normalised once per distinct word.
    const normalised = (written: Map<string, number>) => {
      const byWord = new Map<string, number>();
      for (const [word, count] of written) {
        const key = normaliseWord(word);
        byWord.set(key, (byWord.get(key) ?? 0) + count);
      }
      return byWord;
    };
    cached = { capitalised: normalised(capitalised), lower: normalised(lower), names: new Map() };
    if (byScope.size > SCOPES_KEPT) byScope.delete([...byScope.keys()].find((k) => k !== WHOLE_LIBRARY)!);
    byScope.set(key, cached);
  }
  return cached;
}

/**
 * The library's names: words it capitalises in the middle of a sentence (at
 * least `nameShare` of the time), so "Fedallah" at the start of a sentence is
 * still known as a name. The words are counted once per loaded library, on
 * the first question that needs them (a 3 MB library takes ~150 ms); each
 * share's set is then kept. With a `scope` (a reading limit), only the
 * passages it allows are counted: a name first met past the limit is not one.
 */
export function libraryNames(
  library: Library,
  nameShare = DEFAULT_RANKING_CONFIG.decide.slot.nameShare,
  scope?: PassageScope,
): ReadonlySet<string> {
  const counts = caseCounts(library, scope);
  let names = counts.names.get(nameShare);
  if (!names) {
    const found = new Set<string>();
    for (const [word, count] of counts.capitalised) {
      if (word.length > 1 && count >= nameShare * (count + (counts.lower.get(word) ?? 0))) found.add(word);
    }
    names = found;
    counts.names.set(nameShare, names);
  }
  return names;
}

/** Whether a question could be a slot question at all: checked before the library's names are read. */
export function mayBeSlotQuestion(question: string): boolean {
  return /\bnames?\b|\bcalled\b|\bnamed\b|\bhow old\b/iu.test(question);
}

/**
 * Whether the passages state the slot. For a name: a name of the library (not
 * one the question holds, not a title) within `window` words of the head
 * word, in a passage that mentions the owner when the question names one; a
 * first or last name must run on from the name asked about. When no passage
 * holds the head word at all, the text may name the thing without its kind
 * ("stayed at the San Jose Marriott" for "the name of the hotel"), so nothing
 * is ruled out. For an age: an age in a passage that mentions the focus.
 */
export function statesSlot(
  slot: SlotQuestion,
  passages: readonly Passage[],
  names: ReadonlySet<string>,
  questionTerms: ReadonlySet<string>,
  options: Partial<DecideConfig['slot']> = {},
): boolean {
  const opts = { ...DEFAULT_RANKING_CONFIG.decide.slot, ...options };
  const focus = new Set(slot.focus);
  let headSeen = false;
  for (const passage of passages.slice(0, opts.passages)) {
    const terms = new Set(tokenize(passage.text).map(indexTerm));
    if (slot.kind === 'age') {
      if (statesAge(passage) && slot.focus.some((t) => terms.has(t))) return true;
      continue;
    }
    if (slot.owners.length && !slot.owners.some((t) => terms.has(t))) continue;
    for (const span of passage.sentences) {
      // Words and punctuation in order: punctuation between two words ends a name.
      const words = [
        ...passage.text.slice(span.start, span.end).matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*|[,;:()"“”—–]/gu),
      ].map((m) => m[0]);
      const focusAt: number[] = [];
      const nameAt: number[] = [];
      words.forEach((word, i) => {
        const token = tokenize(word)[0];
        if (!token) return;
        const term = indexTerm(token);
        if (term && focus.has(term)) focusAt.push(i);
        const bare = normaliseWord(token);
        const isName = (names.has(bare) || (i > 0 && /^\p{Lu}\p{Ll}/u.test(token))) && !TITLES.has(bare);
        if (isName && term && !questionTerms.has(term)) nameAt.push(i);
      });
      if (focusAt.length) headSeen = true;
      const reach = slot.part ? 1 : opts.window;
      if (nameAt.some((n) => focusAt.some((f) => Math.abs(n - f) <= reach))) return true;
    }
  }
  return slot.kind === 'name' && !slot.part && !headSeen;
}

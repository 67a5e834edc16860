/**
 * Question analysis: what of a reader's message is searched, and what kind of
 * answer it asks for. Runs before search, on the cleaned question. (Discord
 * markup is removed by the bot before a message reaches the engine:
 * src/discord/inbound.ts.)
 *
 * - Words in a script the library never uses (an Arabic or Hebrew greeting
 *   before "Who signed the communiqué?") cannot match any passage; counted as
 *   content words they lowered the question's coverage below the abstention
 *   threshold. They are set aside from what is searched and embedded, and the
 *   reader is told so.
 */
import type { Library } from '../../corpus/library.js';
import { foldRemovalGaps } from '../../text/markup.js';
import { DEFAULT_RANKING_CONFIG, type AnalyseConfig } from '../config.js';

/** The scripts a letter may be written in, checked in order; the first that matches names it. */
const SCRIPTS = [
  'Latin',
  'Greek',
  'Cyrillic',
  'Arabic',
  'Hebrew',
  'Han',
  'Hiragana',
  'Katakana',
  'Hangul',
  'Devanagari',
  'Bengali',
  'Thai',
  'Armenian',
  'Georgian',
  'Ethiopic',
  'Tamil',
  'Syriac',
  'Thaana',
] as const;
const SCRIPT_PATTERNS = SCRIPTS.map((name) => [name, new RegExp(`\\p{Script=${name}}`, 'u')] as const);

/** The script of one letter, "Other" for a script not in {@link SCRIPTS}, undefined for a non-letter. */
export function scriptOf(char: string): string | undefined {
  if (!/\p{L}/u.test(char)) return undefined;
  for (const [name, pattern] of SCRIPT_PATTERNS) if (pattern.test(char)) return name;
  return 'Other';
}

/** The scripts whose letters occur in a text. */
export function scriptsOf(text: string): Set<string> {
  const found = new Set<string>();
  // ASCII letters are Latin; every other letter is classified once, however often it occurs:
  // a 3 MB library is read in ~20 ms instead of the ~400 ms of classifying letter by letter.
  if (/[A-Za-z]/.test(text)) found.add('Latin');
  const seen = new Set<string>();
  for (const [char] of text.matchAll(/[^\u0000-\u007f]/gu)) {
    if (seen.has(char)) continue;
    seen.add(char);
    const script = scriptOf(char);
    if (script) found.add(script);
  }
  return found;
}

const libraryScriptCache = new WeakMap<Library, ReadonlySet<string>>();

/** The scripts a library's texts use, computed once per loaded library (a 3 MB library takes ~20 ms). */
export function libraryScripts(library: Library): ReadonlySet<string> {
  let scripts = libraryScriptCache.get(library);
  if (!scripts) {
    const found = new Set<string>();
    for (const document of library.documents) {
      for (const script of scriptsOf(document.passages.map((p) => p.text).join('\n'))) found.add(script);
    }
    scripts = found;
    libraryScriptCache.set(library, scripts);
  }
  return scripts;
}

/** The kind of answer a question asks for, from its question word. */
export type AnswerType = 'person' | 'date' | 'number' | 'place' | 'reason' | 'manner' | 'other';

/**
 * The answer type of a question: who → a person, when → a date, how many →
 * a number, where → a place, why → a reason, how → a manner. Looks at the
 * first question word, anywhere in the question ("And who signed it?",
 * "In which year…").
 */
export function answerTypeOf(question: string): AnswerType {
  const q = question.toLowerCase().replace(/[’‘]/g, "'");
  const patterns: [AnswerType, RegExp][] = [
    ['number', /\bhow (?:many|much|old|long|far|often)\b|\bwhat (?:number|percentage|amount|age)\b|\bnumber of\b/],
    [
      'date',
      /\bwhen\b|\b(?:what|which|in what|in which) (?:year|years|month|day|date|century|decade|season|time)\b|\bwhat time\b/,
    ],
    [
      'person',
      /\bwho(?:m|se|'s)?\b|\b(?:what|which) (?:[a-z-]+ )?(?:person|people|man|woman|men|women|writer|novelist|author|team|player|leader|official|king|queen|captain)s?\b/,
    ],
    [
      'place',
      /\bwhere\b|\b(?:what|which|in what|in which) (?:city|country|place|town|state|region|stadium|newspaper|prison)\b/,
    ],
    ['reason', /\bwhy\b|\bwhat (?:was|is|were) the (?:reason|cause|purpose)\b|\bfor what reason\b|\bhow come\b/],
    ['manner', /\bhow\b/],
  ];
  let best: { type: AnswerType; at: number } | undefined;
  for (const [type, pattern] of patterns) {
    const at = q.search(pattern);
    if (at >= 0 && (!best || at < best.at)) best = { type, at };
  }
  return best?.type ?? 'other';
}

/** What {@link analyseQuestion} found. */
export interface QuestionAnalysis {
  /** The text that is searched and embedded, shown to the reader as their question. */
  searched: string;
  /** Words set aside because the library does not use their script, in order. */
  setAside: string[];
  /** Scripts of the words set aside, for the notice shown to the reader. */
  setAsideScripts: string[];
  answerType: AnswerType;
}

/**
 * Analyses a cleaned question (control characters already removed): sets
 * aside words in scripts the library does not use, and
 * reads the answer type. When every word is in a foreign script, nothing is
 * set aside: the question is searched as written and abstention decides.
 *
 * @example
 * analyseQuestion('سؤال: Who signed the communiqué?', new Set(['Latin'])).searched // "Who signed the communiqué?"
 */
export function analyseQuestion(
  question: string,
  libraryScriptSet: ReadonlySet<string>,
  options: Partial<AnalyseConfig> = {},
): QuestionAnalysis {
  const opts = { ...DEFAULT_RANKING_CONFIG.analyse, ...options };
  const stripped = question.replace(/\s+/gu, ' ').trim();
  const searchedScripts = new Set([...libraryScriptSet, ...opts.alwaysSearched]);
  const setAside: string[] = [];
  const setAsideScripts = new Set<string>();
  const kept: string[] = [];
  for (const word of stripped.split(' ')) {
    const scripts = scriptsOf(word);
    const foreign = scripts.size > 0 && [...scripts].every((s) => !searchedScripts.has(s));
    if (foreign) {
      setAside.push(word);
      for (const s of scripts) setAsideScripts.add(s);
    } else kept.push(word);
  }
  const rest = setAside.length ? foldRemovalGaps(kept.join(' ')) : stripped;
  // Nothing left in the library's scripts (or nothing with a letter): search the question as written.
  if (setAside.length > 0 && !/[\p{L}\p{N}]/u.test(rest)) {
    return { searched: stripped, setAside: [], setAsideScripts: [], answerType: answerTypeOf(stripped) };
  }
  return { searched: rest, setAside, setAsideScripts: [...setAsideScripts], answerType: answerTypeOf(rest) };
}

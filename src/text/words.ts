/**
 * Word lists that more than one stage reads, each written once. A stage that
 * needs a wider or narrower list builds it from these and says why.
 */

/** Connectives that state a cause or a purpose ("because", "in order to"): both the answer-type check and the "why?" follow-up look for them. */
export const REASON_CONNECTIVES: readonly string[] = [
  'because',
  'since',
  'therefore',
  'hence',
  'thus',
  'consequently',
  'in order to',
  'so as to',
  'so that',
  'due to',
  'owing to',
  'as a result',
];

/**
 * Title words before a name: "Captain Bildad" names Bildad, and "Captain"
 * alone names nobody (slot.ts); "who is Captain Mayhew" asks about Mayhew
 * (introduction.ts).
 */
export const TITLE_WORDS: readonly string[] = [
  'mr',
  'mrs',
  'ms',
  'miss',
  'dr',
  'sir',
  'lady',
  'lord',
  'captain',
  'capt',
  'aunt',
  'uncle',
  'father',
  'mother',
  'brother',
  'sister',
  'king',
  'queen',
  'prince',
  'princess',
  'saint',
  'st',
];

/** Abbreviated titles whose dot does not end a sentence ("Mr. Darcy", "St. Petersburg"), as written. */
export const ABBREVIATED_TITLES: readonly string[] = [
  'Mr',
  'Mrs',
  'Ms',
  'Messrs',
  'Dr',
  'St',
  'Sr',
  'Jr',
  'Capt',
  'Col',
  'Gen',
  'Lt',
  'Rev',
  'Prof',
  'Hon',
  'Gov',
  'Sen',
  'Rep',
];

/** Number words one to nine. */
export const NUMBER_UNITS: readonly string[] = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
/** Number words ten to nineteen. */
export const NUMBER_TEENS: readonly string[] = [
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
/** Number words twenty to ninety, by tens. */
export const NUMBER_TENS: readonly string[] = [
  'twenty',
  'thirty',
  'forty',
  'fifty',
  'sixty',
  'seventy',
  'eighty',
  'ninety',
];

/** Ordinal words first to twentieth ("Chapter the Twelfth", "the First Day"). */
export const ORDINAL_WORDS: readonly string[] = [
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
  'eleventh',
  'twelfth',
  'thirteenth',
  'fourteenth',
  'fifteenth',
  'sixteenth',
  'seventeenth',
  'eighteenth',
  'nineteenth',
  'twentieth',
];

/** Month names, lower case. */
export const MONTHS: readonly string[] = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
/** Weekday names, lower case. */
export const WEEKDAYS: readonly string[] = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
];

/** A regular-expression alternation of words or phrases (they hold no special characters but `?`, `(`, `)`, `:` of a group). */
export function alternation(words: readonly string[]): string {
  return words.join('|');
}

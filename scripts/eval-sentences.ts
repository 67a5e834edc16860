/**
 * `npm run eval:sentences`: boundary precision, recall and F1 of each candidate
 * sentence segmenter on eval/sentences/gold.jsonl (see its README).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sbd from 'sbd';
import { ROOT_DIR } from '../src/config.js';
import { splitSentences, splitSentencesIcu } from '../src/corpus/sentences.js';
import type { Span } from '../src/types.js';

interface GoldParagraph {
  source: string;
  text: string;
  sentences: string[];
}

/** sbd returns strings; their offsets are found in order in the text. */
function sbdSpans(text: string): Span[] {
  const spans: Span[] = [];
  let at = 0;
  for (const raw of sbd.sentences(text, {
    preserve_whitespace: true,
    newline_boundaries: false,
    html_boundaries: false,
    sanitize: false,
  })) {
    const sentence = raw.trim();
    const start = text.indexOf(sentence, at);
    if (start < 0) continue;
    spans.push({ start, end: start + sentence.length });
    at = start + sentence.length;
  }
  return spans;
}

const CANDIDATES: Record<string, (text: string) => Span[]> = {
  'Intl.Segmenter (ICU) alone': splitSentencesIcu,
  'sbd 1.0.19': sbdSpans,
  'Intl.Segmenter + repairs (used)': splitSentences,
};

const boundaries = (text: string, spans: Span[]) =>
  new Set(spans.map((s) => s.end).filter((end) => text.slice(end).trim() !== ''));

const gold: GoldParagraph[] = readFileSync(path.join(ROOT_DIR, 'eval', 'sentences', 'gold.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as GoldParagraph);

const goldSpans = gold.map((p) => {
  let at = 0;
  return p.sentences.map((s) => {
    const start = p.text.indexOf(s, at);
    if (start < 0) throw new Error(`gold sentence not in its paragraph (${p.source}): ${s}`);
    at = start + s.length;
    return { start, end: at };
  });
});

const sentences = gold.reduce((n, p) => n + p.sentences.length, 0);
console.log(
  `Gold: ${gold.length} paragraphs, ${sentences} sentences, ${goldSpans.reduce((n, s, i) => n + boundaries(gold[i]!.text, s).size, 0)} boundaries.\n`,
);
console.log('| Segmenter | Precision | Recall | F1 | Paragraphs exactly right |');
console.log('|---|---|---|---|---|');
for (const [name, split] of Object.entries(CANDIDATES)) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let exact = 0;
  gold.forEach((p, i) => {
    const want = boundaries(p.text, goldSpans[i]!);
    const got = boundaries(p.text, split(p.text));
    for (const b of got) {
      if (want.has(b)) tp++;
      else fp++;
    }
    for (const b of want) if (!got.has(b)) fn++;
    if (got.size === want.size && [...got].every((b) => want.has(b))) exact++;
  });
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  const f1 = (2 * precision * recall) / (precision + recall);
  console.log(
    `| ${name} | ${precision.toFixed(3)} | ${recall.toFixed(3)} | ${f1.toFixed(3)} | ${exact}/${gold.length} |`,
  );
}

import { createHash } from 'node:crypto';
import type { LibraryDocument, Passage } from '../types.js';
import type { Library } from '../corpus/library.js';
import type { SegmentedText } from '../embed/embedder.js';
import type { UnitKind } from './lexical.js';

/**
 * Bump when the way passages are cut into units or analysed for BM25 changes
 * (stop words, stemming), so that an index
 * built the old way is seen as stale.
 */
export const CHUNKING_VERSION = 5;

/**
 * What is embedded and searched: every passage whole, and each of its
 * sentences on its own when it has several. Measured on the dev set, adding
 * sentences lifts dense hit@1 well above paragraphs alone: a question usually
 * matches one sentence, and a long paragraph's mean-pooled vector blurs it.
 */
export interface IndexUnit {
  /** HNSW label and lexical id: the unit's position in the unit list. */
  label: number;
  passageId: string;
  kind: UnitKind;
  /** Span inside the passage's text (the whole text for kind "passage"). */
  start: number;
  end: number;
  /** sha256 of what determines the unit's vector (its text; for a sentence, also its paragraph), to reuse vectors across builds. */
  hash: string;
}

/** A unit with the text that is embedded and indexed for it. */
export interface UnitWithText extends IndexUnit {
  /** What is embedded. */
  text: string;
  /** What BM25 indexes, when it differs from `text`. */
  lexicalText?: string;
}

function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}

/**
 * The searchable text of a header passage: the header itself plus a sentence
 * built from its metadata ("… published in Socialist Appeal …"), so questions
 * about publication, author, date or transcription find it. The text quoted
 * to readers is always the header verbatim, never this description.
 *
 * Without `names`, the author and title are left out: they name the whole
 * document, and indexed lexically they would make the header the best match
 * for every question that mentions the author ("What does Serge say…").
 */
export function headerSearchText(doc: LibraryDocument, header: Passage, options: { names: boolean }): string {
  const m = doc.meta;
  const parts = [
    options.names ? `"${m.title}", an article ${m.author} wrote` : 'an article the author wrote',
    m.subtitle ? `subtitled ${m.subtitle}` : '',
    m.dateLine ? `dated ${m.dateLine}` : '',
    m.publication
      ? `published in the newspaper ${m.publication}${m.issue ? `, ${m.issue}` : ''}${m.date ? `, on ${m.date}` : ''}${m.page ? `, ${m.page}` : ''}`
      : '',
    m.transcription ? `transcribed by ${m.transcription.replace(/^Transcribed (& marked up )?by /i, '')}` : '',
  ].filter(Boolean);
  const description = `${parts.join(', ')}.`;
  return options.names ? `${header.text}\n\n${description}` : description;
}

/**
 * A title longer than this is not a title but a misread header (a whole
 * paragraph taken for one); prefixed to every unit it multiplied the work:
 * measured on a Moby-Dick whose first paragraph was read as its title, it
 * made the median sentence 267 word pieces instead of ~35.
 */
const MAX_CONTEXT_CHARS = 200;

/**
 * Read before each body unit: the document's title. Passages often refer
 * to the text's subject only as "he"; with the title in front, a question that
 * names the subject no longer favours the few sentences that spell the name
 * out, and the rest of the question decides.
 */
function titlePrefix(doc: LibraryDocument): string {
  const title = doc.meta.title.trim();
  return title && title.length <= MAX_CONTEXT_CHARS ? `${title}. ` : '';
}

/**
 * How a sentence unit of a body paragraph gets its vector:
 * - "separate": the sentence is read alone (title in front), one more
 *   forward pass per sentence;
 * - "pooled": the paragraph is read once and each sentence takes the mean of
 *   its own tokens' states from that pass (~2.5× fewer word pieces in all).
 */
export type SentenceVectors = 'separate' | 'pooled';

/**
 * "separate", measured: "pooled" reads ~45 % fewer word pieces on Moby-Dick
 * and did as well or better on the Super Bowl 50 set (hybrid hit@1 84.9 %
 * against 84.4 %), but lost on the dev set (hit@1 85.7 % against 90.5 %,
 * quote@1 81.0 % against 90.5 %: one and two questions of 21): a sentence read
 * in its paragraph looks like its neighbours, and choosing which sentence to
 * highlight gets harder. Eval tables in bench/README.md.
 */
export const SENTENCE_VECTORS: SentenceVectors = 'separate';

/**
 * One forward pass's worth of work for the model: a text (a body paragraph
 * with its sentences as segments, or one header line) and the units that take
 * its vectors: `labels[0]` the whole, `labels[1 + k]` segment k's.
 */
export interface EmbeddingJob {
  input: SegmentedText;
  labels: number[];
  /** Index of the passage (in library order) this job belongs to. */
  passage: number;
}

/** Units and the embedding jobs that produce their vectors. */
export interface EmbeddingPlan {
  units: UnitWithText[];
  jobs: EmbeddingJob[];
  passages: number;
}

/**
 * Cuts the library into index units, labelled 0…n-1 in a stable order, and
 * plans how they are embedded: one job per body paragraph (title in front),
 * plus one per sentence unless sentences are pooled from the paragraph's pass
 * (see {@link SENTENCE_VECTORS}). The header, whose search text is a
 * description rather than the text, is embedded line by line.
 */
export function planEmbedding(
  library: Library,
  options: { sentenceVectors: SentenceVectors } = { sentenceVectors: SENTENCE_VECTORS },
): EmbeddingPlan {
  const units: UnitWithText[] = [];
  const jobs: EmbeddingJob[] = [];
  let passageIndex = 0;
  const push = (
    passage: Passage,
    kind: UnitKind,
    start: number,
    end: number,
    hash: string,
    text: string,
    lexicalText?: string,
  ) => {
    units.push({ label: units.length, passageId: passage.id, kind, start, end, hash, text, lexicalText });
    return units.length - 1;
  };
  for (const doc of library.documents) {
    for (const passage of doc.passages) {
      const split = passage.sentences.length > 1;
      if (passage.paragraph === 0) {
        const text = headerSearchText(doc, passage, { names: true });
        jobs.push({
          input: { prefix: '', segments: [text], segmentVectors: false },
          labels: [
            push(
              passage,
              'passage',
              0,
              passage.text.length,
              hashText(text),
              text,
              headerSearchText(doc, passage, { names: false }),
            ),
          ],
          passage: passageIndex,
        });
        if (split) {
          for (const s of passage.sentences) {
            const sentence = passage.text.slice(s.start, s.end);
            jobs.push({
              input: { prefix: '', segments: [sentence], segmentVectors: false },
              labels: [push(passage, 'sentence', s.start, s.end, hashText(sentence), sentence)],
              passage: passageIndex,
            });
          }
        }
      } else if (options.sentenceVectors === 'pooled') {
        const prefix = titlePrefix(doc);
        const whole = prefix + passage.text;
        const passageHash = hashText(whole);
        // Segments cover the whole text (each sentence with the gap after it), so the pass reads exactly `whole`.
        const starts = passage.sentences.map((s, i) => (i === 0 ? 0 : s.start));
        const segments = split
          ? starts.map((start, i) => passage.text.slice(start, starts[i + 1] ?? passage.text.length))
          : [passage.text];
        const labels = [push(passage, 'passage', 0, passage.text.length, passageHash, whole, passage.text)];
        if (split) {
          for (const s of passage.sentences) {
            const sentence = passage.text.slice(s.start, s.end);
            // A sentence's vector depends on its paragraph: the hash says both.
            labels.push(
              push(
                passage,
                'sentence',
                s.start,
                s.end,
                hashText(`${whole}\u0000${s.start}:${s.end}`),
                prefix + sentence,
                sentence,
              ),
            );
          }
        }
        jobs.push({ input: { prefix, segments, segmentVectors: split }, labels, passage: passageIndex });
      } else {
        const prefix = titlePrefix(doc);
        const whole = prefix + passage.text;
        jobs.push({
          input: { prefix, segments: [passage.text], segmentVectors: false },
          labels: [push(passage, 'passage', 0, passage.text.length, hashText(whole), whole, passage.text)],
          passage: passageIndex,
        });
        if (split) {
          for (const s of passage.sentences) {
            const sentence = passage.text.slice(s.start, s.end);
            jobs.push({
              input: { prefix, segments: [sentence], segmentVectors: false },
              labels: [
                push(passage, 'sentence', s.start, s.end, hashText(prefix + sentence), prefix + sentence, sentence),
              ],
              passage: passageIndex,
            });
          }
        }
      }
      passageIndex++;
    }
  }
  return { units, jobs, passages: passageIndex };
}

/** Cuts the library into index units, labelled 0…n-1 in a stable order. */
export function buildUnits(library: Library): UnitWithText[] {
  return planEmbedding(library).units;
}

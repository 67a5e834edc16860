import { createHash } from 'node:crypto';
import type { LibraryDocument, Passage } from '../types.js';
import type { Library } from '../corpus/library.js';
import type { UnitKind } from './lexical.js';

/**
 * Bump when the way passages are cut into units or analysed for BM25 changes
 * (stop words, stemming), so that an index
 * built the old way is seen as stale.
 */
export const CHUNKING_VERSION = 4;

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
  /** sha256 of the text that was embedded, to reuse vectors across builds. */
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
    m.publication ? `published in the newspaper ${m.publication}${m.issue ? `, ${m.issue}` : ''}${m.date ? `, on ${m.date}` : ''}${m.page ? `, ${m.page}` : ''}` : '',
    m.transcription ? `transcribed by ${m.transcription.replace(/^Transcribed (& marked up )?by /i, '')}` : '',
  ].filter(Boolean);
  const description = `${parts.join(', ')}.`;
  return options.names ? `${header.text}\n\n${description}` : description;
}

/**
 * Embedded before each body unit: the document's title. Passages often refer
 * to the text's subject only as "he"; with the title in front, a question that
 * names the subject no longer favours the few sentences that spell the name
 * out, and the rest of the question decides.
 */
function titlePrefix(doc: LibraryDocument): string {
  return `${doc.meta.title}. `;
}

/** Cuts the library into index units, labelled 0…n-1 in a stable order. */
export function buildUnits(library: Library): UnitWithText[] {
  const units: UnitWithText[] = [];
  const push = (passage: Passage, kind: UnitKind, start: number, end: number, text: string, lexicalText?: string) =>
    units.push({ label: units.length, passageId: passage.id, kind, start, end, hash: hashText(text), text, lexicalText });
  for (const doc of library.documents) {
    for (const passage of doc.passages) {
      if (passage.paragraph === 0) {
        push(passage, 'passage', 0, passage.text.length, headerSearchText(doc, passage, { names: true }), headerSearchText(doc, passage, { names: false }));
      } else {
        push(passage, 'passage', 0, passage.text.length, titlePrefix(doc) + passage.text, passage.text);
      }
      if (passage.sentences.length > 1) {
        for (const s of passage.sentences) {
          const sentence = passage.text.slice(s.start, s.end);
          push(passage, 'sentence', s.start, s.end, passage.paragraph === 0 ? sentence : titlePrefix(doc) + sentence, sentence);
        }
      }
    }
  }
  return units;
}

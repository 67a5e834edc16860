/**
 * The answer view (src/answer/view.ts) and the one excerpt cutter (src/answer/excerpt.ts), without the
 * model: the related-passages rule every view follows, citation parts, and excerpts that stay verbatim.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { citationText, citedText } from '../src/answer/citation.js';
import { excerpt, foldRuns, foldWhitespace, ELLIPSIS } from '../src/answer/excerpt.js';
import { formatAnswer } from '../src/answer/format.js';
import { answerView } from '../src/answer/view.js';
import { splitSentences } from '../src/corpus/sentences.js';
import { decodeButton } from '../src/discord/custom-id.js';
import { renderExcerpt } from '../src/discord/excerpt.js';
import type { LibraryView } from '../src/discord/library-view.js';
import { unescapeMarkdown } from '../src/discord/markdown.js';
import { answerEmbed, answerMessage } from '../src/discord/views/answer.js';
import { RELATED_SHARE } from '../src/search/ask.js';
import type { Answer, LibraryDocument, Passage } from '../src/types.js';

function passage(docId: string, paragraph: number, text: string, chapter?: number, inChapter?: number): Passage {
  return {
    id: `${docId}#${paragraph}`,
    docId,
    paragraph,
    text,
    sentences: splitSentences(text),
    ...(chapter ? { chapter, paragraphInChapter: inChapter } : {}),
  };
}

const article: LibraryDocument = {
  id: 'a',
  file: 'a.txt',
  hash: '',
  meta: { author: 'Victor Serge', title: 'The End', publication: 'Socialist Appeal', page: 'p.\u00a09' },
  format: 'plain-text',
  chapters: [],
  wordCount: 0,
  passages: [0, 1, 2, 3, 4, 5, 6].map((n) =>
    passage('a', n, `Passage ${n} opens here. It says “something” – at p.\u00a0${n} – and goes on.`),
  ),
};
const book: LibraryDocument = {
  id: 'b',
  file: 'b.txt',
  hash: '',
  meta: { author: 'Herman Melville', title: 'Moby-Dick' },
  format: 'gutenberg',
  chapters: [
    {
      ordinal: 1,
      kind: 'chapter',
      number: '1',
      title: 'Loomings',
      heading: 'CHAPTER 1. Loomings.',
      firstParagraph: 1,
      lastParagraph: 2,
    },
  ],
  wordCount: 0,
  passages: [
    passage('b', 0, 'MOBY-DICK'),
    passage('b', 1, 'Call me Ishmael.', 1, 1),
    passage('b', 2, 'Some years ago. Never mind how long.', 1, 2),
  ],
};
const docs = [article, book];
const library = {
  getDocument: (id) => docs.find((d) => d.id === id),
  getPassage: (docId, n) => docs.find((d) => d.id === docId)?.passages.find((p) => p.paragraph === n),
  paragraphCount: (docId) => docs.find((d) => d.id === docId)?.passages.length ?? 0,
  cite: (doc, n) => citationText({ ...citedOf(doc, n) }),
  multipleDocuments: false,
  indexId: 'test-index',
  docNumber: (docId) => docs.findIndex((d) => d.id === docId),
  docAt: (n) => docs[n],
} satisfies Partial<LibraryView> as LibraryView;
function citedOf(doc: LibraryDocument, n: number) {
  return answerView(answerFor([n], [1], doc.id), library, { related: 0 }).quote!.citation!;
}

/** An answer quoting the first sentence of the first passage, with `scores` for the ranked paragraphs. */
function answerFor(paragraphs: number[], scores: number[], docId = 'a', status: Answer['status'] = 'answered'): Answer {
  const ranked = paragraphs.map((n, i) => {
    const p = docs.find((d) => d.id === docId)!.passages.find((q) => q.paragraph === n)!;
    return { passage: p, score: scores[i]!, dense: scores[i]!, lexical: scores[i]! };
  });
  const top = ranked[0]!.passage;
  const first = top.sentences[0]!;
  return {
    question: 'What does it say?',
    answered: status === 'answered',
    status,
    ...(status === 'abstained' ? { message: 'The text does not seem to address this question.' } : {}),
    quote: {
      passageId: top.id,
      text: top.text.slice(first.start, first.end),
      start: first.start,
      end: first.end,
      highlight: { start: 0, end: first.end - first.start },
    },
    passages: ranked,
  };
}

/** ¶ numbers of the terminal's "See also" entries and of Discord's "Also relevant" / "Also close" fields. */
const seeAlso = (text: string) =>
  [...(text.split('See also:\n')[1] ?? '').matchAll(/¶(\d+):/g)].map((m) => Number(m[1]));
const alsoFields = (answer: Answer) =>
  (answerEmbed(answer, library).fields ?? []).map((f) => Number(/¶(\d+)/.exec(f.name)![1]));

describe('the related-passages rule', () => {
  it('lists the passages after the quote scoring at least RELATED_SHARE of the best, in every view', () => {
    const answer = answerFor([1, 2, 3, 4, 5], [0.8, 0.5, 0.2, 0.33, 0.31]);
    // 0.4 × 0.8 = 0.32: ¶2 and ¶4 are related, ¶3 and ¶5 are not.
    expect(RELATED_SHARE).toBe(0.4);
    expect(answerView(answer, library, { related: 4 }).related.map((r) => r.passage.paragraph)).toEqual([2, 4]);
    expect(seeAlso(formatAnswer(answer, library, { further: 4 }))).toEqual([2, 4]);
    expect(alsoFields(answer)).toEqual([2, 4]);
    // The terminal lists 2 at most, Discord 4: the count is the layout's, the rule is shared.
    expect(seeAlso(formatAnswer(answer, library))).toEqual([2, 4]);
    expect(answerView(answer, library, { related: 1 }).related.map((r) => r.passage.paragraph)).toEqual([2]);
  });

  it('holds for any scores: the terminal and Discord list the same passages, all related, none quoted', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 }),
        fc.constantFrom('answered' as const, 'abstained' as const),
        (paragraphs, raw, status) => {
          const scores = [...raw].sort((x, y) => y - x);
          const answer = answerFor(paragraphs, scores, 'a', status);
          const view = answerView(answer, library, { related: 4 });
          for (const r of view.related) {
            expect(r.score).toBeGreaterThanOrEqual(RELATED_SHARE * scores[0]!);
            expect(r.passage.id).not.toBe(view.quote!.passage.id);
          }
          const listed = view.related.map((r) => r.passage.paragraph);
          expect(alsoFields(answer)).toEqual(listed);
          if (status === 'answered') expect(seeAlso(formatAnswer(answer, library, { further: 4 }))).toEqual(listed);
          // "More passages" goes on after the last passage shown: none is skipped.
          const more = answerMessage(library, answer, { placement: { ephemeral: false, canThread: false } });
          const button = more.components?.[0]?.components.find((c) => 'label' in c && c.label === 'More passages');
          const action = button && 'custom_id' in button ? decodeButton(button.custom_id)?.action : undefined;
          if (action?.kind === 'more') expect(action.offset).toBe(1 + listed.length);
        },
      ),
      { numRuns: 200, seed: 20261205 },
    );
  });
});

describe('citation parts', () => {
  it('name the chapter in a book, the source in an article, and the ¶ alone when the text is gone', () => {
    const inBook = answerView(answerFor([2], [1], 'b'), library, { related: 0 }).quote!;
    expect(inBook.citation).toEqual({
      author: 'Herman Melville',
      title: 'Moby-Dick',
      book: true,
      location: 'ch. 1 "Loomings", ¶2',
      shortLocation: 'ch. 1 ¶2',
    });
    expect(citedText(inBook)).toBe('Herman Melville, Moby-Dick, ch. 1 "Loomings", ¶2');
    const inArticle = answerView(answerFor([3], [1]), library, { related: 0 }).quote!;
    expect(citedText(inArticle)).toBe('Victor Serge, "The End", Socialist Appeal, p.\u00a09, ¶3');
    const gone = { passage: passage('gone', 3, 'Lost text.') };
    expect(citedText(gone)).toBe('¶3');
  });

  it('give the quote its span and the best sentence in passage offsets', () => {
    const answer = answerFor([2], [1], 'b');
    const quote = answerView(answer, library, { related: 0 }).quote!;
    expect(quote.quoted).toBe(true);
    expect(quote.passage.text.slice(quote.highlight!.start, quote.highlight!.end)).toBe('Some years ago.');
    expect(quote.span).toEqual({ start: answer.quote!.start, end: answer.quote!.end });
  });

  it('show no quote for a help answer, and the best passage whole when an answer has none', () => {
    expect(answerView({ ...answerFor([1], [1]), status: 'help', message: 'Ask me.' }, library, { related: 2 })).toEqual(
      {
        question: 'What does it say?',
        status: 'help',
        message: 'Ask me.',
        related: [],
      },
    );
    const { quote: _none, ...unquoted } = answerFor([1, 2], [1, 0.9]);
    const view = answerView(unquoted, library, { related: 2 });
    expect(view.quote).toMatchObject({ quoted: false, span: { start: 0, end: view.quote!.passage.text.length } });
    expect(view.related.map((r) => r.passage.paragraph)).toEqual([2]);
  });
});

/** Words with the characters quotes must keep: curly quotes, dashes, accents, no-break spaces inside words. */
const word = fc.oneof(
  fc.constantFrom(
    'Yagoda',
    'G.P.U.',
    '“q”',
    '‘s’',
    '—',
    '–',
    'café',
    'p.\u00a09',
    'No.\u00a03',
    'end.',
    'so!',
    'why?',
    'Mr.',
    '(x)',
  ),
  fc.stringMatching(/^[A-Za-zé’]{1,10}$/),
);
const passageText = fc
  .array(fc.tuple(word, fc.constantFrom(' ', ' ', ' ', '\n', '  ', '\n\n')), { minLength: 1, maxLength: 80 })
  .map((parts) =>
    parts
      .map(([w, gap]) => w + gap)
      .join('')
      .trim(),
  );

const longestWord = (text: string) => Math.max(...text.split(/\s+/).map((w) => w.length));

/** The pieces of an excerpt between its "…" marks: each must be the passage's text, verbatim up to folded white space. */
function expectVerbatim(shown: string, text: string, wordsFit: boolean): void {
  const folded = foldRuns(text);
  for (const piece of shown
    .split(ELLIPSIS)
    .map((p) => p.trim())
    .filter(Boolean)) {
    expect(folded, `not verbatim: ${JSON.stringify(piece)}`).toContain(piece);
    const at = folded.indexOf(piece);
    // Cut at white space, never inside a word (one occurrence at least sits between word boundaries).
    const bounded = [...folded.matchAll(new RegExp(piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g'))].some(
      (m) => !/\S/.test(folded[m.index - 1] ?? ' ') && !/\S/.test(folded[m.index + piece.length] ?? ' '),
    );
    expect(at).toBeGreaterThanOrEqual(0);
    if (wordsFit)
      expect(bounded, `cut inside a word: ${JSON.stringify(piece)} in ${JSON.stringify(folded)}`).toBe(true);
  }
}

describe('the one excerpt cutter', () => {
  it('keeps text verbatim (no-break spaces, curly quotes, dashes), marks each cut, and fits', () => {
    fc.assert(
      fc.property(passageText, fc.integer({ min: 1, max: 400 }), (text, max) => {
        const p = passage('r', 1, text);
        const shown = excerpt(p, max);
        expect(shown.length).toBeLessThanOrEqual(max);
        if (!shown.includes(ELLIPSIS)) expect(shown).toBe(foldWhitespace(text));
        else expectVerbatim(shown, text, longestWord(text) + 4 <= max);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300), seed: Number(process.env.FC_SEED ?? 20261205) },
    );
  });

  it('keeps a no-break space on Discord too, in a quote from inside its passage', () => {
    fc.assert(
      fc.property(passageText, fc.integer({ min: 30, max: 600 }), fc.nat(), (text, max, k) => {
        const p = passage('r', 1, text);
        const s = p.sentences[k % p.sentences.length]!;
        const out = renderExcerpt(text, max, { sentences: p.sentences, within: s, focus: s });
        expect(out.length).toBeLessThanOrEqual(max);
        const visible = unescapeMarkdown(out.replace(/^> ?/gm, '').replace(/\*\*/g, ''));
        expectVerbatim(visible, text.slice(s.start, s.end), longestWord(text) * 2 + 8 <= max);
        // Text before or after the quote in its passage is a cut, and says so.
        if (/\S/.test(text.slice(0, s.start))) expect(visible.startsWith(ELLIPSIS)).toBe(true);
        if (/\S/.test(text.slice(s.end))) expect(visible.endsWith(ELLIPSIS)).toBe(true);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300), seed: Number(process.env.FC_SEED ?? 20261205) },
    );
  });

  it('shows the quote of an answer with its no-break spaces in the terminal and on Discord', () => {
    const answer = answerFor([3], [1]);
    const whole = {
      ...answer.quote!,
      start: 0,
      end: article.passages[3]!.text.length,
      text: article.passages[3]!.text,
    };
    const shown = { ...answer, quote: { ...whole, highlight: { start: 0, end: 24 } } };
    expect(formatAnswer(shown, library)).toContain('at p.\u00a03 –');
    expect(answerEmbed(shown, library).description).toContain('at p.\u00a03 –');
  });
});

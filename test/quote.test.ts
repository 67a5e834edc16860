import { describe, expect, it } from 'vitest';
import { selectQuote } from '../src/search/quote/select.js';
import type { Passage } from '../src/types.js';

/** A passage made of sentences joined by one space, with their spans. */
function passage(sentences: string[], paragraph = 3): Passage {
  const text = sentences.join(' ');
  let at = 0;
  const spans = sentences.map((s) => {
    const span = { start: at, end: at + s.length };
    at += s.length + 1;
    return span;
  });
  return { id: `doc#${paragraph}`, docId: 'doc', paragraph, text, sentences: spans };
}

const HAPPY_PRINCE = passage([
  'The swallow flew over the city all day.',
  'High above the city, on a tall column, stood the statue of the Happy Prince.',
  'He was gilded all over with thin leaves of fine gold, for eyes he had two bright sapphires, and a large red ruby glowed on his sword-hilt.',
  'He was very much admired indeed.',
  'At night the swallow came back to the column and rested there, at the feet of the statue.',
]);

describe('selectQuote', () => {
  it('quotes the best sentence with a sentence of context on each side, and highlights the best', () => {
    const quote = selectQuote(HAPPY_PRINCE, [0.1, 0.9, 0.4, 0.1, 0.2]);
    expect(quote.text).toBe(HAPPY_PRINCE.text.slice(HAPPY_PRINCE.sentences[0]!.start, HAPPY_PRINCE.sentences[2]!.end));
    expect(quote.text.slice(quote.highlight.start, quote.highlight.end)).toBe(
      'High above the city, on a tall column, stood the statue of the Happy Prince.',
    );
  });

  it('takes no context that would pass the length limit', () => {
    const quote = selectQuote(HAPPY_PRINCE, [0.1, 0.9, 0.4, 0.1, 0.2], { maxLength: 100 });
    expect(quote.text).toBe('High above the city, on a tall column, stood the statue of the Happy Prince.');
  });

  it('quotes the best sentence alone with context 0', () => {
    const quote = selectQuote(HAPPY_PRINCE, [0.1, 0.9, 0.4, 0.1, 0.2], { context: 0 });
    expect(quote.text).toBe('High above the city, on a tall column, stood the statue of the Happy Prince.');
  });

  it('is always a verbatim slice of the passage', () => {
    for (let best = 0; best < 5; best++) {
      const scores = [0, 0, 0, 0, 0].map((_, i) => (i === best ? 1 : 0.1));
      const quote = selectQuote(HAPPY_PRINCE, scores);
      expect(HAPPY_PRINCE.text.slice(quote.start, quote.end)).toBe(quote.text);
      expect(quote.text.length).toBeLessThanOrEqual(500);
    }
  });
});

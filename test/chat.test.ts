import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAnswer, shorten, wrapLines } from '../src/answer/format.js';
import { runTerminalChat } from '../src/cli/chat.js';
import { makeFixtureWorkspace, type Workspace } from './support/workspace.js';
import { Lectern } from '../src/lectern.js';

let lectern: Lectern;
beforeAll(async () => {
  lectern = await Lectern.open({ config: {} });
});
afterAll(() => lectern?.close());

const strip = (s: string) => s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');

describe('wrapping', () => {
  it('never splits a word and never exceeds the width', () => {
    const word = fc.stringMatching(/^[A-Za-zé’.]{1,12}$/);
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 30, max: 120 }),
        (words, width) => {
          const wrapped = wrapLines(`  > ${words.join(' ')}`, width);
          const lines = wrapped.split('\n');
          for (const line of lines) {
            expect(line.length).toBeLessThanOrEqual(width);
            expect(line.startsWith('  > ')).toBe(true);
          }
          expect(lines.flatMap((l) => l.slice(4).split(' ')).filter(Boolean)).toEqual(words);
        },
      ),
    );
  });

  it('keeps the quote marker on every wrapped line of a real answer, with bold carried over', async () => {
    const answer = await lectern.ask('How many death warrants did Yagoda sign?');
    const text = formatAnswer(answer, lectern.library, { width: 40, emphasis: (t) => `\u001b[1m${t}\u001b[22m` });
    const quoteLines = text.split('\n').filter((l) => l.startsWith('  >'));
    expect(quoteLines.length).toBeGreaterThan(3);
    for (const line of text.split('\n')) expect(strip(line).length).toBeLessThanOrEqual(40);
    expect(strip(quoteLines.map((l) => l.slice(3)).join(' ')).replace(/\s+/g, ' ')).toContain(
      'Thousands of death warrants received his signature.',
    );
  });
});

describe('See also', () => {
  it('lists only related passages, each with the same citation form', async () => {
    const answer = await lectern.ask('Who signed the communiqué?');
    const text = formatAnswer(answer, lectern.library);
    const entries = text.split('See also:\n')[1]?.split('\n') ?? [];
    // ¶7 shares "signed"; passages sharing none of the question's words (score ≤ 0.15 of 0.79) are not listed.
    expect(entries.length).toBeLessThanOrEqual(1);
    for (const e of entries) expect(e).toMatch(/^ {2}"The End of Henry Yagoda", (¶\d+|header): /);
  });

  it('lists nothing when no other passage is related', async () => {
    const answer = await lectern.ask('What decoration did Yagoda receive for the White Sea Baltic Canal?');
    const related = answer.passages.slice(1).filter((r) => r.score >= 0.4 * answer.passages[0]!.score);
    expect(formatAnswer(answer, lectern.library).includes('See also:')).toBe(related.length > 0);
  });

  it('never doubles an ellipsis the text already has', () => {
    const text =
      'Malfeasance in office, crimes committed in the course of the fulfilment of his functions ... What functions? Yagoda is an old Bolshevik';
    const cut = shorten(text, text.indexOf('...') + 6);
    expect(cut).toMatch(/functions \.\.\.$/);
    expect(cut).not.toMatch(/\.\.\. …/);
  });
});

/**
 * Runs the chat on a fake terminal; returns what it printed once it has ended. A key ending in "\r" after
 * the first is typed once the prompt is up again (after the previous answer), as a person would: the
 * helper waits for the chat's output, never for a length of time. `end` ends the input after the last key.
 */
async function chat(keys: string[], engine: Lectern = lectern, { end = false } = {}): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  const listeners = new Set<() => void>();
  output.on('data', (chunk: Buffer) => {
    printed += chunk.toString('utf8');
    for (const listener of listeners) listener();
  });
  const prompts = () => printed.split('lectern> ').length - 1;
  const promptCount = (n: number) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (prompts() < n) return;
        listeners.delete(check);
        resolve();
      };
      listeners.add(check);
      check();
    });
  const done = runTerminalChat(engine, input, output);
  let typedLines = 0;
  for (const [i, k] of keys.entries()) {
    if (i === 0 || k.endsWith('\r')) await Promise.race([promptCount(typedLines + 1), done]);
    input.write(k);
    if (k.endsWith('\r')) typedLines++;
  }
  if (end) input.end();
  await done;
  return strip(printed);
}

describe('terminal chat', () => {
  it('ends the prompt line when the reader leaves with Ctrl-D', async () => {
    const printed = await chat(['\u0004']);
    expect(printed).toMatch(/lectern> \n$/);
  });

  it('leaves on "quit" or "exit" typed without the slash', async () => {
    for (const word of ['quit', 'Exit']) {
      const printed = await chat([`${word}\r`]);
      expect(printed).not.toMatch(/does not seem to address/);
      expect(printed).toMatch(new RegExp(`lectern> ${word}\\r?\\n$`));
    }
  });

  it('ends the prompt line when the reader leaves with Ctrl-C', async () => {
    const printed = await chat(['Who', '\u0003']);
    expect(printed).toMatch(/lectern> Who\n$/);
  });

  it('says which question a follow-up searched, and declines a new off-topic question', async () => {
    const printed = await chat(['Who transcribed it?\r', 'why?\r', 'How do I bake bread?\r', '/quit\r']);
    expect(printed).toContain('Following up on: Who transcribed it?');
    const last = printed.split('lectern> How do I bake bread?')[1] ?? '';
    expect(last).toContain('The text does not seem to address this question.');
    expect(last).not.toContain('Following up on');
  });

  it('answers every line of a paste, in order, one at a time', async () => {
    // Three questions arrive in one chunk while the first is being answered; rl.question() in a loop dropped the other two.
    const questions = [
      'Who signed the communiqué?',
      'How many death warrants did Yagoda sign?',
      'How do I bake bread?',
    ];
    const printed = await chat([questions.map((q) => `${q}\r`).join('')], lectern, { end: true });
    const [, first = '', second = '', third = ''] = printed.split(/^lectern> .*$/m);
    expect(first).toContain('signed by Kalinin');
    expect(printed).toMatch(/^lectern> How many death warrants did Yagoda sign\?$/m);
    expect(second).toContain('Thousands of death warrants received his signature.');
    expect(printed).toMatch(/^lectern> How do I bake bread\?$/m);
    expect(third).toContain('The text does not seem to address this question.');
  });
});

describe('terminal chat with chapters and several texts', () => {
  let books: Lectern;
  let ws: Workspace;
  beforeAll(async () => {
    ws = await makeFixtureWorkspace(['formats/book-with-headings.md', 'formats/lighthouse-epub2.epub']);
    books = await Lectern.open({ config: ws.config });
  }, 120_000);
  afterAll(async () => {
    await books?.close();
    await ws?.cleanup();
  });

  it('names every loaded text in the banner and which one is current', async () => {
    const printed = await chat(['/quit\r'], books);
    expect(printed).toContain('2 texts loaded');
    expect(printed).toContain('book-with-headings: Mark Down, A Markdown Book  [current for /passage and /chapter]');
    expect(printed).toMatch(/lighthouse-epub2: /);
  });

  it('answers a greeting with an example question about the loaded texts, not the bundled article', async () => {
    const printed = await chat(['hello\r', '/quit\r'], books);
    expect(printed).toMatch(/For example: "What does the text say about [^"]+\?"/);
    expect(printed).not.toContain('communiqué');
    expect(printed).not.toContain('Yagoda');
  });

  it('reads /passage 1.1 (line breaks folded), /passage TEXT REF, /chapter N and /sources', async () => {
    const printed = await chat(
      [
        '/passage 1.1\r',
        '/chapter 1\r',
        '/passage lighthouse-epub2 2.1\r',
        '/text lighthouse-epub2\r',
        '/chapter 9\r',
        '/sources\r',
        '/quit\r',
      ],
      books,
    );
    expect(printed).toContain('The first paragraph of the first chapter. It is hard-wrapped.');
    expect(printed).toContain('— Mark Down, A Markdown Book, ch. 1 "Beginnings", ¶1');
    expect(printed).toContain('ch. 1 "Beginnings": 3 paragraphs.');
    expect(printed).toContain('/passage 1.3 reads on; /chapter 2 is the next chapter');
    expect(printed).toMatch(/ch\. 2 "The Storm", ¶1/);
    expect(printed).toContain('Now reading');
    expect(printed).toMatch(/has no chapter "9" \(it has 2\)/);
    expect(printed).toMatch(/Mark Down, A Markdown Book — 2 chapters, \d+ words, 4 paragraphs/);
  });
});

describe('terminal chat: /bookmark (issue 19)', () => {
  let books: Lectern;
  let ws: Workspace;
  beforeAll(async () => {
    ws = await makeFixtureWorkspace(['books/two-winters.txt']);
    books = await Lectern.open({ config: ws.config });
  }, 120_000);
  afterAll(async () => {
    await books?.close();
    await ws?.cleanup();
  });

  /** What the chat printed for each command, in order (the banner dropped). */
  const replies = (printed: string) => printed.split('lectern> ').slice(1);

  it('sets, shows and clears a bookmark; answers, follow-ups, /passage and /chapter stay within it', async () => {
    const printed = await chat(
      [
        '/bookmark\r',
        '/bookmark Vol. 1, ch. 3\r',
        '/bookmark\r',
        'Who did Captain Reed marry?\r',
        'What happened to the green ledger?\r',
        'more\r',
        '/passage 1.2\r',
        '/passage Vol. 2, ch. 1 ¶2\r',
        '/passage 5\r',
        '/chapter Vol. 2, ch. 2\r',
        '/chapter 3\r',
        '/bookmark 9\r',
        '/bookmark clear\r',
        'Who did Captain Reed marry?\r',
        '/help\r',
        '/quit\r',
      ],
      books,
    );
    const [
      none,
      set,
      show,
      reed,
      ledger,
      more,
      early,
      late,
      last,
      lateChapter,
      chapter3,
      bad,
      cleared,
      reedAgain,
      help,
    ] = replies(printed);
    expect(none).toContain('No bookmark');
    expect(set).toContain('Bookmark set: Vol. 1, ch. 3 of The Two Winters.');
    expect(show).toContain('Bookmark: Vol. 1, ch. 3 of The Two Winters.');
    expect(reed).toContain('Nothing up to Vol. 1, ch. 3 answers this.');
    for (const reply of [reed, ledger, more, early, last, chapter3])
      expect(reply).not.toMatch(/Portsmouth|married|sold the green ledger|second winter|organ was finally/);
    expect(ledger).toContain('green ledger');
    expect(early).toContain('Miss Clara Hale kept the household accounts');
    expect(late).toMatch(
      /^\/passage Vol\. 2, ch\. 1 ¶2\r?\nVol\. 2, ch\. 1 ¶2 is past your bookmark \(Vol\. 1, ch\. 3\)\.\n/,
    );
    expect(last).toContain('In March the river rose');
    expect(last).not.toContain('/passage 6'); // no "next" link past the bookmark
    expect(lateChapter).toContain('is past your bookmark (Vol. 1, ch. 3).');
    expect(chapter3).not.toContain('is the next chapter');
    expect(bad).toContain('"The Two Winters" has no chapter "9" (it has 6).');
    expect(cleared).toContain('Bookmark cleared');
    expect(reedAgain).toContain('The captain married Clara Hale');
    expect(help).toContain('/bookmark 12');
  });
});

describe('terminal chat: letters before chapter 1, volumes that restart chapter numbers (issue 17)', () => {
  let books: Lectern;
  let ws: Workspace;
  beforeAll(async () => {
    ws = await makeFixtureWorkspace(['books/northern-letters.txt', 'books/two-winters.txt']);
    books = await Lectern.open({ config: ws.config });
  }, 120_000);
  afterAll(async () => {
    await books?.close();
    await ws?.cleanup();
  });

  it('opens what citations print: 1.4 is Chapter 1, Letter 1 ¶4 a letter, and chapters follow the letters', async () => {
    const printed = await chat(
      [
        '/passage 1.4\r',
        '/passage Letter 1 ¶4\r',
        '/chapter 1\r',
        '/chapter Chapter 1\r',
        '/chapter Letter 4\r',
        '/passage Letter 4.3\r',
        '/quit\r',
      ],
      books,
    );
    const [chapterOne, letterOne, chapter1, chapterChapter1, letterFour, letterFourThird] = printed
      .split('lectern> ')
      .slice(1);
    expect(chapterOne).toContain('Elinor Marsh is the orphan my mother adopted');
    expect(chapterOne).toContain('— Margaret Example, The Northern Letters, ch. 1 ¶4');
    expect(letterOne).toContain('I am already far north of London');
    expect(letterOne).toContain('— Margaret Example, The Northern Letters, Letter 1 ¶4');
    for (const shown of [chapter1, chapterChapter1]) {
      expect(shown).toContain('ch. 1: 5 paragraphs.');
      expect(shown).toContain('I am by birth a Genevese');
      expect(shown).toContain('/passage 1.3 reads on; /chapter 2 is the next chapter');
    }
    expect(letterFour).toContain('Letter 4: 5 paragraphs.');
    expect(letterFour).toContain('/passage Letter 4.3 reads on; /chapter 1 is the next chapter');
    expect(letterFourThird).toContain('So strange an accident has happened');
    expect(letterFourThird).toContain('Letter 4 ¶3');
  });

  it('names the volume, and reads it back', async () => {
    const printed = await chat(
      ['/text two-winters\r', '/chapter Vol. 1, ch. 3\r', '/chapter Vol. 2, ch. 1\r', '/passage 2.3.3\r', '/quit\r'],
      books,
    );
    const [, volumeOne, volumeTwo, passage] = printed.split('lectern> ').slice(1);
    expect(volumeOne).toContain('Vol. 1, ch. 3: 1 paragraph.');
    expect(volumeOne).toContain('/chapter Vol. 2, ch. 1 is the next chapter');
    expect(volumeTwo).toContain('The second winter was mild');
    expect(passage).toContain('The captain married Clara Hale in June');
    expect(passage).toContain('— Jane Example, The Two Winters, Vol. 2, ch. 3 ¶3');
  });
});

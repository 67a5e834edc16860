import { createInterface, type Interface } from 'node:readline';
import { chapterLabel, formatCitation, formatWork, passageLocation } from '../answer/citation.js';
import { foldWhitespace } from '../answer/excerpt.js';
import { chapterReference } from '../corpus/reference.js';
import { formatAnswer, wrapLines } from '../answer/format.js';
import { isReadable, limitLabel } from '../corpus/reading-limit.js';
import type { Lectern } from '../lectern.js';
import type { LibraryDocument, ReadingLimit } from '../types.js';
import { describeLimit, readingLimitOf } from './reading-limit.js';

const BOLD = (t: string) => `\u001b[1m${t}\u001b[22m`;
/** The terminal is one reader: one conversation. */
const CONVERSATION_KEY = 'terminal';

const HELP = `Ask a question about the text and Lectern answers by quoting it.
  /passage 34.5         chapter 34, ¶5 (also: /passage 612 for ¶612 of the whole text, /passage 0 the header)
  /passage moby-dick 1.2   the same in a named text
  /passage letter 2.3   ¶3 of Letter 2 (as citations print it: Letter 2 ¶3, Vol. 2, ch. 3 ¶4 or 2.3.4 work too)
  /chapter 34           the start of chapter 34 and how many paragraphs it has (Letter 2, Vol. 2, ch. 3,
                        or a title work too; a bare number is always a chapter, never a letter)
  /text moby-dick       read and ask about that text (/text alone lists them; /text all searches all)
  /bookmark 12          you have read up to chapter 12 of the current text: answers, follow-ups,
                        /passage and /chapter show nothing past it (Letter 3 or Vol. 2, ch. 3 work too;
                        /bookmark alone shows it, /bookmark clear removes it)
  /sources              the texts, with chapter and word counts
  /help                 this help                /quit   leave (or quit, Ctrl-D)
Follow-ups continue the last question: "why?" looks for the reason near the answer,
"who else?" or "more" quotes the next passages, "tell me more" shows the text around the quote.
A message with new words is a new question.
¶ numbers count the paragraphs of the text, except that a short one ending in ":" ("He said:") is joined to the next.`;

const PROMPT = 'lectern> ';

/**
 * The reader's lines, each handed out once and in the order they came. A line that arrives while an
 * answer is being looked up (typed ahead, or the second of three pasted questions) waits its turn:
 * rl.question() in a loop dropped it, since a line with no question pending is discarded (issue 17).
 */
class LineQueue {
  private readonly waiting: { text: string; typedAhead: boolean }[] = [];
  private wake: (() => void) | undefined;
  /** Input ended (Ctrl-D, end of a pipe): the lines already received are still answered. */
  private ended = false;
  /** Ctrl-C: leave after the answer in progress, dropping what is queued. */
  private interrupted = false;
  /** The prompt is shown and nothing typed at it has been taken yet. */
  private atPrompt = false;

  constructor(
    private readonly rl: Interface,
    private readonly output: NodeJS.WritableStream,
  ) {
    rl.on('line', (text: string) => {
      this.waiting.push({ text, typedAhead: !this.atPrompt });
      this.atPrompt = false;
      this.wake?.();
    });
    rl.on('SIGINT', () => {
      this.interrupted = true;
      rl.close();
    });
    rl.on('close', () => {
      // Ctrl-C and Ctrl-D leave from the prompt line: end it, so the shell's prompt starts on a line of its own.
      if (this.atPrompt) output.write('\n');
      this.atPrompt = false;
      this.ended = true;
      this.wake?.();
    });
  }

  /** The next line, once there is one (showing the prompt while there is none); undefined when the chat ends. */
  async next(): Promise<string | undefined> {
    while (!this.interrupted) {
      const line = this.waiting.shift();
      if (line) {
        // Its echo scrolled by during the previous answer: say which question this answer is for.
        if (line.typedAhead && line.text.trim()) this.output.write(`${PROMPT}${line.text}\n`);
        return line.text;
      }
      if (this.ended) return undefined;
      this.atPrompt = true;
      this.rl.prompt(true);
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
    return undefined;
  }
}

/**
 * The interactive terminal chat of `npm start` without a Discord token:
 * the same engine and formatting as the bot, one question per line.
 */
export async function runTerminalChat(
  lectern: Lectern,
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const rl = createInterface({ input, output, terminal: true, prompt: PROMPT });
  const library = lectern.library;
  // The text /passage and /chapter read; questions search every text until the reader picks one with /text.
  let doc = library.defaultDocument;
  let chosen = false;
  /** How far the reader has read (/bookmark): nothing past it is shown. */
  let bookmark: ReadingLimit | undefined;
  const color = 'isTTY' in output && (output as NodeJS.WriteStream).isTTY && !process.env.NO_COLOR;
  const widthOf = (): number => ('columns' in output ? ((output as NodeJS.WriteStream).columns ?? 0) : 0);
  output.write(banner(lectern) + '\n\n');
  const lines = new LineQueue(rl, output);
  lectern.conversations.delete(CONVERSATION_KEY);
  try {
    for (;;) {
      const line = await lines.next();
      if (line === undefined) break; // Ctrl-C, Ctrl-D or end of input
      const text = line.trim();
      if (!text) continue;
      // "quit" and "exit" without the slash too: what a terminal user types to leave, and never a question.
      if (/^\/?(?:quit|exit)$/iu.test(text)) break;
      if (text === '/help') {
        output.write(HELP + '\n\n');
        continue;
      }
      if (text === '/sources') {
        for (const d of library.documents)
          output.write(`  ${formatWork(d)} — ${sizeLine(lectern, d)} (${d.id})${d === doc ? ' [current]' : ''}\n`);
        output.write('\n');
        continue;
      }
      const marked = /^\/bookmark\b\s*(.*)$/.exec(text);
      if (marked) {
        const rest = marked[1]!.trim();
        if (!rest) {
          output.write(
            bookmark
              ? `Bookmark: ${describeLimit(library, bookmark)}. /bookmark clear removes it.\n\n`
              : 'No bookmark: answers may come from anywhere in the texts. /bookmark 12 sets one.\n\n',
          );
          continue;
        }
        if (/^(?:clear|off|none)$/iu.test(rest)) {
          bookmark = undefined;
          output.write('Bookmark cleared: answers may come from anywhere in the texts.\n\n');
          continue;
        }
        const limit = readingLimitOf(library, doc.id, rest);
        if (typeof limit === 'string') {
          output.write(`${limit}\n\n`);
          continue;
        }
        bookmark = limit;
        output.write(
          `Bookmark set: ${describeLimit(library, limit)}. Questions search that text up to there, and nothing past it is shown.\n\n`,
        );
        continue;
      }
      const command = /^\/(text|passage|chapter)\b\s*(.*)$/.exec(text);
      if (command) {
        const [, name, rest] = command as unknown as [string, string, string];
        if (name === 'text') {
          if (!rest) {
            output.write(`${textList(lectern, doc)}\n\n`);
            continue;
          }
          if (rest === 'all') {
            chosen = false;
            output.write(
              `Questions now search all ${library.documents.length} texts; /passage and /chapter read "${doc.meta.title}".\n\n`,
            );
            continue;
          }
          const picked = pickText(lectern, rest);
          if (!picked) {
            output.write(`No text matches "${rest}". ${textList(lectern, doc)}\n\n`);
            continue;
          }
          doc = picked;
          chosen = true;
          output.write(`Now reading ${formatWork(doc)} (${sizeLine(lectern, doc)}).\n\n`);
          continue;
        }
        // "/passage moby-dick 1.2": a leading word naming a text picks it for this command.
        const words = rest.split(/\s+/);
        const named = words.length > 1 ? library.getDocument(words[0]!) : undefined;
        const target = named ?? doc;
        const reference = named ? words.slice(1).join(' ') : rest;
        if (!reference) {
          output.write(
            name === 'chapter'
              ? 'Which chapter? For example /chapter 34 or /chapter loomings.\n\n'
              : 'Which passage? For example /passage 34.5 (chapter 34, ¶5) or /passage 12.\n\n',
          );
          continue;
        }
        output.write(
          `${name === 'chapter' ? showChapter(lectern, target, reference, widthOf(), bookmark) : showPassage(lectern, target, reference, widthOf(), bookmark)}\n\n`,
        );
        continue;
      }
      if (text.startsWith('/')) {
        output.write('Unknown command. /help lists them.\n\n');
        continue;
      }
      try {
        const { answer } = await lectern.converse(CONVERSATION_KEY, text, {
          ...(chosen ? { docId: doc.id } : {}),
          ...(bookmark ? { until: bookmark } : {}),
        });
        // Read the width for every answer: the terminal may have been resized.
        output.write(formatAnswer(answer, library, { emphasis: color ? BOLD : (t) => t, width: widthOf() }) + '\n\n');
      } catch (error) {
        output.write(`Sorry, that question failed: ${error instanceof Error ? error.message : String(error)}\n\n`);
      }
    }
  } finally {
    rl.close();
  }
}

/** The first line: which texts are loaded and which one /passage and /chapter read. */
export function banner(lectern: Lectern): string {
  const docs = lectern.library.documents;
  const first = lectern.library.defaultDocument;
  if (docs.length === 1) return `Lectern: ask about ${formatWork(first)}. /help for commands, Ctrl-D to leave.`;
  return [
    `Lectern: ${docs.length} texts loaded; questions search all of them.`,
    ...docs.map((d) => `  ${d.id}: ${formatWork(d)}${d === first ? '  [current for /passage and /chapter]' : ''}`),
    'Pick one with /text ID (e.g. /text ' + docs[docs.length - 1]!.id + '). /help for commands, Ctrl-D to leave.',
  ].join('\n');
}

/** "135 chapters, 212,000 words, 2,400 paragraphs". */
function sizeLine(lectern: Lectern, doc: LibraryDocument): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  const chapters = lectern.library.chapterCount(doc.id);
  return [
    chapters ? `${n(chapters)} chapters` : '',
    `${n(lectern.library.wordCount(doc.id))} words`,
    `${n(lectern.library.paragraphCount(doc.id))} paragraphs`,
  ]
    .filter(Boolean)
    .join(', ');
}

function textList(lectern: Lectern, current: LibraryDocument): string {
  return [
    'Texts:',
    ...lectern.library.documents.map((d) => `  ${d.id}: ${formatWork(d)}${d === current ? ' [current]' : ''}`),
  ].join('\n');
}

/** A text by id, or the only one whose title, author or id matches. */
function pickText(lectern: Lectern, query: string): LibraryDocument | undefined {
  const exact = lectern.library.getDocument(query);
  if (exact) return exact;
  const found = lectern.library.searchTitles(query);
  return found.length >= 1 ? found[0] : undefined;
}

function navigationHint(
  lectern: Lectern,
  doc: LibraryDocument,
  paragraph: number,
  bookmark: ReadingLimit | undefined,
): string {
  const hints: string[] = [];
  if (paragraph > 0)
    hints.push(
      `/passage ${paragraph - 1} (${paragraph - 1 === 0 ? '¶0' : passageLocation(doc, paragraph - 1, 'short')})`,
    );
  if (lectern.library.getPassage(doc.id, paragraph + 1) && isReadable(doc, bookmark, paragraph + 1))
    hints.push(`/passage ${paragraph + 1} (${passageLocation(doc, paragraph + 1, 'short')})`);
  const prefix = lectern.library.documents.length > 1 ? ` [in ${doc.id}]` : '';
  return hints.length ? `  Previous/next: ${hints.join(' · ')}${prefix}` : '';
}

/** /passage REF: the paragraph a reference points to ("34.5", "612", "ch. 3"), with its citation. */
function showPassage(
  lectern: Lectern,
  doc: LibraryDocument,
  reference: string,
  width: number,
  bookmark: ReadingLimit | undefined,
): string {
  const found = lectern.library.resolveReference(doc.id, reference);
  if (!found) {
    const chapters = lectern.library.chapterCount(doc.id);
    const count = lectern.library.paragraphCount(doc.id);
    return `There is no "${reference}" in "${doc.meta.title}": it has ${chapters ? `${chapters} chapters (try /passage 1.2 for chapter 1, ¶2) and ` : ''}¶1–¶${count} in all.`;
  }
  const p = found.passage;
  // Refused rather than shown: the reader asked for it, but a terminal has no spoiler tags to hide it behind.
  if (!isReadable(doc, bookmark, p.paragraph))
    return `${passageLocation(doc, p, 'short')} is past your bookmark (${limitLabel(doc, bookmark!.through)}).`;
  return `${wrapLines(`${foldWhitespace(p.text)}\n\n  — ${formatCitation(doc, p)}`, width)}\n${navigationHint(lectern, doc, p.paragraph, bookmark)}`;
}

/** Paragraphs /chapter shows before saying how many more there are. */
const CHAPTER_PREVIEW = 2;

/** /chapter N: the chapter's first paragraphs, how many it has, and how to read on. */
function showChapter(
  lectern: Lectern,
  doc: LibraryDocument,
  reference: string,
  width: number,
  bookmark: ReadingLimit | undefined,
): string {
  const chapter = lectern.library.getChapter(doc.id, reference);
  const chapters = lectern.library.chapterCount(doc.id);
  if (!chapter)
    return chapters
      ? `"${doc.meta.title}" has no chapter "${reference}" (it has ${chapters}).`
      : `"${doc.meta.title}" has no chapters: use /passage N.`;
  const label = chapterLabel(doc, chapter);
  if (!isReadable(doc, bookmark, chapter.firstParagraph))
    return `${label} is past your bookmark (${limitLabel(doc, bookmark!.through)}).`;
  const passages = lectern.library.chapterPassages(doc.id, chapter);
  const title = chapter.number && chapter.title ? `${label} "${chapter.title}"` : label;
  const shown = passages
    .slice(0, CHAPTER_PREVIEW)
    .map((p) => `${wrapLines(foldWhitespace(p.text), width)}\n  — ${passageLocation(doc, p)}`);
  // What getChapter reads back: "34" (the main series), "Letter 2", "Vol. 2, ch. 3", a title.
  const n = chapterReference(doc, chapter);
  const next = passages.length > CHAPTER_PREVIEW ? `/passage ${n}.${CHAPTER_PREVIEW + 1} reads on` : '';
  const following = lectern.library.listChapters(doc.id)[chapter.ordinal];
  const nextChapter =
    following && isReadable(doc, bookmark, following.firstParagraph)
      ? `/chapter ${chapterReference(doc, following)} is the next chapter`
      : '';
  return [
    `${title}: ${passages.length} paragraph${passages.length === 1 ? '' : 's'}.`,
    '',
    ...shown,
    '',
    [next, nextChapter].filter(Boolean).join('; '),
  ]
    .join('\n')
    .trimEnd();
}

import { createInterface } from 'node:readline/promises';
import { citationParts, formatCitation } from '../answer/citation.js';
import { formatAnswer, wrapLines } from '../answer/format.js';
import type { Lectern } from '../lectern.js';
import type { LibraryDocument } from '../types.js';

const BOLD = (t: string) => `\u001b[1m${t}\u001b[22m`;
/** The terminal is one reader: one conversation. */
const CONVERSATION_KEY = 'terminal';

const HELP = `Ask a question about the text and Lectern answers by quoting it.
  /passage N   show paragraph N (¶N)        /sources   list the texts
  /help        this help                    /quit      leave (or Ctrl-D)
Follow-ups continue the last question: "why?" looks for the reason near the answer,
"who else?" or "more" quotes the next passages, "tell me more" shows the text around the quote.
A message with new words is a new question.`;

/**
 * The interactive terminal chat of `npm start` without a Discord token:
 * the same engine and formatting as the bot, one question per line.
 */
export async function runTerminalChat(lectern: Lectern, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Promise<void> {
  const rl = createInterface({ input, output, terminal: true });
  const doc = lectern.library.defaultDocument;
  const color = 'isTTY' in output && (output as NodeJS.WriteStream).isTTY && !process.env.NO_COLOR;
  output.write(`Lectern: ask about ${doc.meta.author}, "${doc.meta.title}"${lectern.library.documents.length > 1 ? ` and ${lectern.library.documents.length - 1} more text(s)` : ''}. /help for commands, Ctrl-D to leave.\n\n`);
  // Ctrl-C and Ctrl-D leave from the prompt line: end it, so the shell's prompt starts on a line of its own.
  let atPrompt = false;
  rl.on('SIGINT', () => rl.close());
  rl.on('close', () => {
    if (atPrompt) output.write('\n');
    atPrompt = false;
  });
  // Node 20's readline/promises leaves a pending question unsettled when the interface closes: race it.
  const closed = new Promise<never>((_, reject) => rl.once('close', () => reject(new Error('closed'))));
  closed.catch(() => undefined);
  lectern.conversations.delete(CONVERSATION_KEY);
  try {
    for (;;) {
      let line: string;
      try {
        atPrompt = true;
        line = await Promise.race([rl.question('lectern> '), closed]);
        atPrompt = false;
      } catch {
        break; // closed (Ctrl-C, Ctrl-D or end of input)
      }
      const text = line.trim();
      if (!text) continue;
      if (text === '/quit' || text === '/exit') break;
      if (text === '/help') {
        output.write(HELP + '\n\n');
        continue;
      }
      if (text === '/sources') {
        for (const d of lectern.library.documents) output.write(`  ${sourceLine(d)} — ${lectern.library.paragraphCount(d.id)} paragraphs (${d.id})\n`);
        output.write('\n');
        continue;
      }
      const passage = /^\/passage\s+(\d+)$/.exec(text);
      if (passage) {
        const n = Number(passage[1]);
        const p = lectern.library.getPassage(doc.id, n);
        const width = 'columns' in output ? ((output as NodeJS.WriteStream).columns ?? 0) : 0;
        output.write(p ? `${wrapLines(`${p.text}\n\n  — ${formatCitation(doc, n)}`, width)}\n\n` : `There is no ¶${n}: the text has ¶1–¶${lectern.library.paragraphCount(doc.id)}.\n\n`);
        continue;
      }
      if (text.startsWith('/')) {
        output.write('Unknown command. /help lists them.\n\n');
        continue;
      }
      try {
        const { answer } = await lectern.converse(CONVERSATION_KEY, text);
        // Read the width for every answer: the terminal may have been resized.
        const width = 'columns' in output ? ((output as NodeJS.WriteStream).columns ?? 0) : 0;
        output.write(formatAnswer(answer, lectern.library, { emphasis: color ? BOLD : (t) => t, width }) + '\n\n');
      } catch (error) {
        output.write(`Sorry, that question failed: ${error instanceof Error ? error.message : String(error)}\n\n`);
      }
    }
  } finally {
    rl.close();
  }
}

/** A text's citation without a location, for /sources. */
function sourceLine(doc: LibraryDocument): string {
  const c = citationParts(doc, 0);
  return [c.author, `"${c.title}"`, c.source].filter(Boolean).join(', ');
}

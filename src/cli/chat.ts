import { createInterface } from 'node:readline/promises';
import { formatCitation } from '../answer/citation.js';
import { formatAnswer } from '../answer/format.js';
import { contentTerms } from '../index/lexical.js';
import type { Lectern } from '../lectern.js';

const BOLD = (t: string) => `\u001b[1m${t}\u001b[22m`;
/** Words that open a follow-up ("why?", "and Rykov?", "tell me more"). */
const FOLLOW_UP = /^(why|how so|how|and|what else|who else|tell me more|more|really|such as|what about|meaning)\b/i;

const HELP = `Ask a question about the text and Lectern answers by quoting it.
  /passage N   show paragraph N (¶N)        /sources   list the texts
  /help        this help                    /quit      leave (or Ctrl-D)
Short follow-ups such as "why?" or "who else?" continue the previous question.`;

/**
 * The interactive terminal chat of `npm start` without a Discord token:
 * the same engine and formatting as the bot, one question per line.
 */
export async function runTerminalChat(lectern: Lectern, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Promise<void> {
  const rl = createInterface({ input, output, terminal: true });
  const doc = lectern.library.defaultDocument;
  const color = 'isTTY' in output && (output as NodeJS.WriteStream).isTTY && !process.env.NO_COLOR;
  output.write(`Lectern: ask about ${doc.meta.author}, "${doc.meta.title}"${lectern.library.documents.length > 1 ? ` and ${lectern.library.documents.length - 1} more text(s)` : ''}. /help for commands, Ctrl-D to leave.\n\n`);
  let previous: string | undefined;
  try {
    for (;;) {
      let line: string;
      try {
        line = await rl.question('lectern> ');
      } catch {
        break; // closed (Ctrl-D / end of input)
      }
      const text = line.trim();
      if (!text) continue;
      if (text === '/quit' || text === '/exit') break;
      if (text === '/help') {
        output.write(HELP + '\n\n');
        continue;
      }
      if (text === '/sources') {
        for (const d of lectern.library.documents) output.write(`  ${formatCitation(d, 0).replace(/, header$/, '')} — ${lectern.library.paragraphCount(d.id)} paragraphs (${d.id})\n`);
        output.write('\n');
        continue;
      }
      const passage = /^\/passage\s+(\d+)$/.exec(text);
      if (passage) {
        const n = Number(passage[1]);
        const p = lectern.library.getPassage(doc.id, n);
        output.write(p ? `${p.text}\n\n  — ${formatCitation(doc, n)}\n\n` : `There is no ¶${n}: the text has ¶1–¶${lectern.library.paragraphCount(doc.id)}.\n\n`);
        continue;
      }
      if (text.startsWith('/')) {
        output.write('Unknown command. /help lists them.\n\n');
        continue;
      }
      const followUp = previous && FOLLOW_UP.test(text) && contentTerms(text).length <= 2 ? previous : undefined;
      try {
        const answer = await lectern.ask(text, { followUpOf: followUp });
        output.write(formatAnswer(answer, lectern.library, { emphasis: color ? BOLD : (t) => t }) + '\n\n');
        if (answer.status !== 'help') previous = followUp ? `${followUp} ${text}` : text;
      } catch (error) {
        output.write(`Sorry, that question failed: ${error instanceof Error ? error.message : String(error)}\n\n`);
      }
    }
  } finally {
    rl.close();
  }
}

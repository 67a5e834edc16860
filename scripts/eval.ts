/** `npm run eval [-- FILE.jsonl] [--json] [--verbose]`: retrieval, quote and abstention metrics. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { runMain } from '../src/cli/run.js';
import { ROOT_DIR } from '../src/config.js';
import { LecternError } from '../src/errors.js';
import { evaluateConversations, formatConversationMisses, formatConversationTable, isConversationLine, parseConversationFile } from '../src/eval/conversation.js';
import { evaluate, formatMetricsTable, parseEvalFile } from '../src/eval/evaluate.js';
import { Lectern } from '../src/lectern.js';
import type { RetrievalMode } from '../src/search/search.js';

const USAGE = `Usage: npm run eval [-- FILE.jsonl] [--json] [--verbose]

Lines of FILE: {"q": "question", "expect": ["substring", ...], "kind": "..."}.
expect: [] means the texts do not answer it (the right answer is to abstain).
Default FILE: eval/dev-questions.jsonl.`;

runMain(async () => {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const json = args.includes('--json');
  const verbose = args.includes('--verbose');
  const files = args.filter((a) => !a.startsWith('--'));
  const file = path.resolve(files[0] ?? path.join(ROOT_DIR, 'eval', 'dev-questions.jsonl'));
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new LecternError(`Cannot read ${file}.`, 2);
  }
  // --- Conversation sets (lines with "turns", e.g. eval/conversations.jsonl): scored per turn kind. ---
  if (isConversationLine(text.split('\n').find((l) => l.trim()) ?? '')) {
    let cases;
    try {
      cases = parseConversationFile(text);
    } catch (error) {
      throw new LecternError(`${file}: ${(error as Error).message}.`, 2);
    }
    const lectern = await Lectern.open();
    const { results, metrics } = await evaluateConversations(lectern, cases);
    await lectern.close();
    if (json) {
      console.log(JSON.stringify({ file, conversations: cases.length, metrics, results }));
      return 0;
    }
    console.log(`Conversations in ${path.relative(process.cwd(), file) || file}: ${cases.length} conversations, ${results.length} turns\n`);
    console.log(formatConversationTable(metrics));
    const misses = formatConversationMisses(results);
    if (misses.length) console.log(`\nMisses (${misses.length}):\n${misses.join('\n')}`);
    return 0;
  }
  // --- end of conversation sets ---
  let questions;
  try {
    questions = parseEvalFile(text);
  } catch (error) {
    throw new LecternError(`${file}: ${(error as Error).message}.`, 2);
  }
  const lectern = await Lectern.open();
  const modes: RetrievalMode[] = ['hybrid', 'dense', 'lexical'];
  const runs = [];
  for (const mode of modes) runs.push(await evaluate(lectern, questions, mode));
  await lectern.close();
  if (json) {
    console.log(JSON.stringify({ file, questions: questions.length, metrics: runs.map((r) => r.metrics), results: runs[0]!.results }));
    return 0;
  }
  console.log(`Evaluation of ${path.relative(process.cwd(), file) || file}\n`);
  console.log(formatMetricsTable(runs.map((r) => r.metrics)));
  const misses = runs[0]!.results.filter((r) => (r.answerable ? !r.hit1 || !r.quote1 || !r.answered : r.answered));
  if (misses.length) {
    console.log(`\nHybrid misses (${misses.length}):`);
    for (const r of misses) {
      const what = r.answerable ? [!r.answered && 'abstained', !r.hit1 && `top=${r.top}`, !r.quote1 && 'quote missed'].filter(Boolean).join(', ') : 'answered an unanswerable question';
      console.log(`- ${r.q} — ${what}${verbose && r.quote ? `\n    quote: ${r.quote}` : ''}`);
    }
  }
  return 0;
});

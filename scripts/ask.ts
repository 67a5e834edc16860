/** `npx lectern ask [--json] [--explain] [--doc ID] "question"` (or `npm run --silent ask -- …`), or questions on stdin, one per line. */
import { createInterface } from 'node:readline';
import { formatAnswer } from '../src/answer/format.js';
import { formatExplanation } from '../src/answer/explain.js';
import { answerToJson } from '../src/answer/json.js';
import { runMain } from '../src/cli/run.js';
import { loadCoreConfig } from '../src/config.js';
import { loadLibrary } from '../src/corpus/library.js';
import { LecternError } from '../src/errors.js';
import { Lectern } from '../src/lectern.js';
import { readingLimitOf } from '../src/cli/reading-limit.js';
import type { ReadingLimit } from '../src/types.js';

const USAGE = `Usage: npx lectern ask [--json] [--explain] [--doc ID] [--chapter N|N-M] [--until N] [--limit N] "Your question"
       npx lectern ask [--json] < questions.txt     (one question per line)
       (or npm run --silent ask -- …; without --silent npm prints a banner before the output)

Answers a question about the texts by quoting them, with citations.
  --json      print one JSON object per question (per line), or the --sources list as JSON
  --explain   after the answer, what each stage did: the best candidates' scores after
              fusion, each reranker's moves, the abstention rule that decided, the quote's
              sentence scores (with --json: an "explain" field holding the evidence)
  --doc ID    only search the document with this id (see \`npx lectern ask --sources\`)
  --chapter C only search chapter C of that text: a chapter (34), a range (30-35), Letter 2,
              Vol. 2, ch. 3 or a title (docs/formats.md, References)
  --until C   answer as a reader who has read up to chapter C and no further (12, Letter 3,
              Vol. 2, ch. 3; 0 for nothing yet): nothing past it is quoted, listed or used to
              decide, and a question it does not answer gets "Nothing up to chapter C answers this."
  --limit N   passages to return (default 5)
  --sources   list the texts in the library`;

/** Shown when questions are expected on stdin but stdin is a terminal, so the wait is not silent. */
const terminalHint = (example: string): string =>
  `lectern: type a question and press Enter (Ctrl-D to finish), or pass one: npx lectern ask "${example}". For a conversation, run npm start.\n`;

interface Args {
  json: boolean;
  explain: boolean;
  sources: boolean;
  docId?: string;
  chapter?: string;
  until?: string;
  limit: number;
  question?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { json: false, explain: false, sources: false, limit: 5 };
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') args.json = true;
    else if (arg === '--explain') args.explain = true;
    else if (arg === '--sources') args.sources = true;
    else if (arg === '--doc') args.docId = argv[++i];
    else if (arg === '--chapter') args.chapter = argv[++i];
    else if (arg === '--until') {
      const value = argv[++i];
      if (value === undefined || !value.trim())
        throw new LecternError('--until takes a chapter, e.g. --until 12 or --until "Letter 3".', 2);
      args.until = value;
    } else if (arg === '--limit') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1 || n > 50)
        throw new LecternError('--limit takes a whole number from 1 to 50.', 2);
      args.limit = n;
    } else if (arg === '--') continue;
    else if (arg.startsWith('--')) throw new LecternError(`Unknown option ${arg}. See \`npx lectern ask --help\`.`, 2);
    else words.push(arg);
  }
  if (words.length) args.question = words.join(' ');
  return args;
}

runMain(async () => {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const args = parseArgs(argv);
  if (args.question !== undefined && !args.question.trim()) {
    // The example is about the texts in the library (parsed, not the model and index loaded); none if they cannot be read.
    const example = await loadLibrary(loadCoreConfig().textsDir).then(
      (library) => `, e.g. npx lectern ask "${library.exampleQuestion()}"`,
      () => '',
    );
    throw new LecternError(`The question is empty: ask something about the text${example}`, 2);
  }
  const lectern = await Lectern.open();
  try {
    if (args.docId && !lectern.library.getDocument(args.docId)) {
      throw new LecternError(
        `No text with id "${args.docId}". Known ids: ${lectern.library.documents.map((d) => d.id).join(', ')}.`,
        2,
      );
    }
    if (args.sources) {
      const sources = lectern.library.documents.map((doc) => ({
        id: doc.id,
        author: doc.meta.author,
        title: doc.meta.title,
        file: doc.file,
        format: doc.format,
        chapters: doc.chapters.length,
        paragraphs: lectern.library.paragraphCount(doc.id),
        words: doc.wordCount,
      }));
      if (args.json) process.stdout.write(JSON.stringify(sources) + '\n');
      else {
        for (const s of sources) {
          const chapters = s.chapters ? `${s.chapters} chapters, ` : '';
          console.log(`${s.id}\t${s.author}, "${s.title}"\t${chapters}${s.paragraphs} paragraphs, ${s.words} words`);
        }
      }
      return 0;
    }
    let until: ReadingLimit | undefined;
    if (args.until !== undefined) {
      const limit = readingLimitOf(lectern.library, args.docId ?? lectern.library.defaultDocument.id, args.until);
      if (typeof limit === 'string') throw new LecternError(`--until: ${limit}`, 2);
      until = limit;
    }
    const answerOne = async (question: string) => {
      const { answer, evidence } = await lectern.askWithEvidence(question, {
        docId: args.docId,
        chapter: args.chapter,
        limit: args.limit,
        ...(until ? { until } : {}),
      });
      if (answer.notice && !args.json) process.stderr.write(`lectern: ${answer.notice}\n`);
      if (args.json) {
        const json = answerToJson(answer, lectern.library);
        process.stdout.write(JSON.stringify(args.explain ? { ...json, explain: evidence ?? null } : json) + '\n');
      } else {
        process.stdout.write(formatAnswer(answer, lectern.library) + '\n');
        if (args.explain) process.stdout.write('\n' + formatExplanation(answer, evidence, lectern.library) + '\n');
      }
    };
    if (args.question !== undefined) {
      await answerOne(args.question);
      return 0;
    }
    if (process.stdin.isTTY) process.stderr.write(terminalHint(lectern.library.exampleQuestion()));
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    let first = true;
    for await (const line of lines) {
      if (!line.trim()) continue;
      if (!args.json && !first) process.stdout.write('\n');
      first = false;
      await answerOne(line);
    }
    return 0;
  } finally {
    await lectern.close();
  }
});

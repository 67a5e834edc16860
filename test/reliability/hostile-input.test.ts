/**
 * Every hostile or odd input of test/support/hostile-inputs.ts, fed to the
 * engine (`lectern.ask`) and to the CLI (`npm run ask -- --json`): a sane
 * answer or a clear refusal, never a throw, a crash, a stack trace, a quote
 * that is not verbatim, or a control character echoed back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerJson } from '../../src/answer/json.js';
import { Lectern } from '../../src/lectern.js';
import { cleanQuestion, truncateQuestion } from '../../src/search/ask.js';
import { inboundQuestion } from '../../src/discord/inbound.js';
import { analyseQuestion, libraryScripts } from '../../src/search/analyse/question.js';
import { HOSTILE_INPUTS } from '../support/hostile-inputs.js';
import { makeWorkspace, type Workspace } from '../support/workspace.js';
import { BIDI, CONTROL, expectSaneAnswer, LONE_SURROGATE, QUESTION, runScript, STACK_LINE } from './helpers.js';

let ws: Workspace;
let lectern: Lectern;
let env: Record<string, string>;

beforeAll(async () => {
  ws = await makeWorkspace({ copyIndex: true });
  lectern = await Lectern.open({ config: ws.config });
  env = { LECTERN_TEXTS_DIR: ws.config.textsDir, LECTERN_INDEX_DIR: ws.config.indexDir };
});
afterAll(async () => {
  await lectern?.close();
  await ws?.cleanup();
});

/** What the engine reads of a question: cleaned, then cut to 1,000 characters. */
const readQuestion = (input: string) => truncateQuestion(cleanQuestion(input)).text;
/** What it searches and echoes (issue 9): Discord markup and words in scripts the texts do not use set aside. */
const analysed = (input: string) => analyseQuestion(readQuestion(input), libraryScripts(lectern.library));
const expectedQuestion = (input: string) => analysed(input).searched || readQuestion(input);
const NOTICE =
  /^(?:Your question was longer than 1,000 characters, so only the first 1,000 were read\.)?(?: ?Words in [\w ]+ script, which the texts do not use, were not searched\.)?$/;
/** What a UTF-8 pipe or argv makes of a string: lone surrogates become U+FFFD. */
const throughUtf8 = (input: string) => Buffer.from(input, 'utf8').toString('utf8');

describe('the table of hostile inputs', () => {
  it('has unique names and covers every category of the issue', () => {
    const names = HOSTILE_INPUTS.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of [
      'empty',
      'whitespace only',
      '100 kB question',
      'control chars and NUL',
      'right-to-left scripts',
      'zero-width characters',
      'emoji',
      'combining marks (Zalgo)',
      'lone high surrogate',
      'Markdown injection',
      'code fence injection',
      '@everyone',
      '@here',
      'role mention',
      'user mention',
      'channel mention',
      'fake citation',
      'backticks',
      'links',
      'SQL',
      'shell',
      'prompt injection',
    ]) {
      expect(names).toContain(name);
    }
  });
});

describe('the engine: lectern.ask', () => {
  it.each(HOSTILE_INPUTS)('$name: a sane answer, no throw', async ({ input }) => {
    const answer = await lectern.ask(input);
    expectSaneAnswer(answer, lectern.library);
    // Only the cleaned reader's words come back: no control, bidi or lone surrogate characters.
    expect(answer.question).toBe(expectedQuestion(input));
    if (cleanQuestion(input).length > 1000)
      expect(answer.notice).toMatch(/longer than 1,000 characters, so only the first 1,000 were read/);
    if (analysed(input).setAside.length > 0) expect(answer.notice).toMatch(/were not searched/);
    if (cleanQuestion(input).length <= 1000 && analysed(input).setAside.length === 0)
      expect(answer.notice).toBeUndefined();
    else expect(answer.notice).toMatch(NOTICE);
    if (cleanQuestion(input) === '') expect(answer.status).toBe('help');
    // Quotes and passages are the library's text: never ¶99, never the question's words.
    const maxParagraph = lectern.library.paragraphCount(lectern.library.defaultDocument.id);
    for (const ranked of answer.passages) expect(ranked.passage.paragraph).toBeLessThanOrEqual(maxParagraph);
    if (answer.quote)
      expect(answer.quote.text).not.toMatch(/Stalin signed it|Stalin signed the communiqué|DROP TABLE|\$\(rm/);
  });

  it('finds the answer through control, zero-width, bidi and emoji noise', async () => {
    for (const name of ['control chars and NUL', 'zero-width characters', 'lone high surrogate']) {
      const { input } = HOSTILE_INPUTS.find((e) => e.name === name)!;
      expect(cleanQuestion(input), name).toBe(QUESTION);
      const answer = await lectern.ask(input);
      expect(answer.status, name).toBe('answered');
      expect(answer.passages[0]!.passage.paragraph, name).toBe(2);
    }
  });

  it('folds CR, vertical tab and form feed to spaces instead of gluing words together', async () => {
    expect((await lectern.ask(HOSTILE_INPUTS.find((e) => e.name === 'tabs, CR and newlines')!.input)).question).toBe(
      'Who signed the communiqué? please now',
    );
    expect((await lectern.ask('Yagoda\u000barrested\u000cwhy\rnow')).question).toBe('Yagoda arrested why now');
  });

  it('truncation never splits an emoji into a lone surrogate', async () => {
    const answer = await lectern.ask(
      HOSTILE_INPUTS.find((e) => e.name === '100 kB emoji, no spaces, odd offset')!.input,
    );
    expect(answer.question).not.toMatch(LONE_SURROGATE);
    expect(answer.question.endsWith('😀')).toBe(true);
  });

  it('strips bidi overrides and isolates (Trojan Source)', async () => {
    const answer = await lectern.ask(
      HOSTILE_INPUTS.find((e) => e.name === 'bidi overrides and isolates (Trojan Source)')!.input,
    );
    expect(answer.question).not.toMatch(BIDI);
  });

  // For the Discord side: the engine echoes what it searched, without mentions (issue 9), but a
  // message that is only mentions is echoed as read, and removing zero-width characters turns a
  // defused "@\u200beveryone" back into "@everyone". Whoever renders `question` must neutralise
  // mentions (escape them, allowedMentions: { parse: [] }).
  it('echoes a question without its mentions, and a mentions-only message as read, re-forming @everyone from @\\u200beveryone', async () => {
    // Markup is removed on the bot's inbound side (src/discord/inbound.ts), which cleans first: the engine gets nothing.
    const mentionsOnly = await lectern.ask(inboundQuestion('@\u200beveryone @\u200bhere'));
    expect(inboundQuestion('@\u200beveryone @\u200bhere')).toBe('');
    expect(mentionsOnly.status).toBe('help');
    expect((await lectern.ask(inboundQuestion('<@&123> who was Yagoda?'))).question).toBe('who was Yagoda?');
  });
});

describe('the CLI: npm run ask -- --json', () => {
  // A line-based reader splits on newlines and argv refuses NUL: multi-line and blank inputs go as
  // an argument, the rest (NUL included) through stdin, one per line, in one process.
  const asArgument = (input: string) => !input.includes('\u0000') && (/[\r\n]/.test(input) || input.trim() === '');
  const viaStdin = HOSTILE_INPUTS.filter((e) => !asArgument(e.input));
  const viaArgs = HOSTILE_INPUTS.filter((e) => asArgument(e.input));
  const stdinLines = viaStdin.flatMap((e) => e.input.split(/\r\n|\r|\n/)).filter((line) => line.trim() !== '');

  /** One JSON answer as printed by the CLI, checked against the library and the question sent. */
  function expectSaneJson(raw: string, sent: string): void {
    // JSON escapes C0 controls; nothing else unescaped may reach a terminal either.
    expect(raw).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    const json = JSON.parse(raw) as AnswerJson;
    expect(
      Object.keys(json).every((k) =>
        ['question', 'answered', 'quote', 'citation', 'passages', 'message', 'notice'].includes(k),
      ),
    ).toBe(true);
    expect(json.question).toBe(expectedQuestion(throughUtf8(sent)));
    expect(json.question).not.toMatch(CONTROL);
    expect(typeof json.answered).toBe('boolean');
    expect(json.passages.length).toBeLessThanOrEqual(5);
    for (const p of json.passages) expect(lectern.library.getPassage(p.doc, p.paragraph)?.text).toBe(p.text);
    if (json.quote) {
      expect(json.passages[0]!.text).toContain(json.quote);
      const paragraph = json.passages[0]!.paragraph;
      expect(json.citation).toMatch(new RegExp(`¶${paragraph}$`)); // the header is cited as ¶0, like /passage 0
    } else {
      expect(json.answered).toBe(false);
    }
    expect(json.citation).not.toContain('¶99');
    if (json.notice !== undefined) expect(json.notice).toMatch(NOTICE);
  }

  it(`answers ${stdinLines.length} single-line inputs from stdin: one JSON line each, in order, exit 0`, () => {
    const run = runScript('scripts/ask.ts', ['--json'], { input: stdinLines.join('\n') + '\n', env });
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.stderr).toBe(''); // with --json, notices go into the JSON
    expect(run.code).toBe(0);
    const out = run.stdout.split('\n');
    expect(out.pop()).toBe('');
    expect(out).toHaveLength(stdinLines.length);
    out.forEach((raw, i) => expectSaneJson(raw, stdinLines[i]!));
  });

  it('answers the same inputs as plain text: exit 0, no control characters, notices on stderr', () => {
    const run = runScript('scripts/ask.ts', [], { input: stdinLines.join('\n') + '\n', env });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    const notices = run.stderr.split('\n').filter(Boolean);
    const noticed = (line: string) =>
      cleanQuestion(throughUtf8(line)).length > 1000 || analysed(throughUtf8(line)).setAside.length > 0;
    expect(notices.length).toBe(stdinLines.filter(noticed).length);
    for (const line of notices) expect(line.replace(/^lectern: /, '')).toMatch(NOTICE);
  });

  it.each(viaArgs)('$name, as an argument: one JSON line and exit 0, or a one-line refusal and exit 2', ({ input }) => {
    const run = runScript('scripts/ask.ts', ['--json', input], { env });
    expect(run.stderr).not.toMatch(STACK_LINE);
    if (input.trim() === '') {
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^lectern: The question is empty: ask something about the text, e\.g\. .*\n$/);
    } else {
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      const out = run.stdout.split('\n');
      expect(out.pop()).toBe('');
      expect(out).toHaveLength(1);
      expectSaneJson(out[0]!, input);
    }
  });
});

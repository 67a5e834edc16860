/**
 * Every hostile or odd input of test/support/hostile-inputs.ts, sent to the
 * Discord bot (fake Discord, real discord.js client, real engine) as `/ask`,
 * as a chat mention, and as the `text:` option of `/quote`: each gets a sane
 * answer or a clear refusal, the bot does not crash, every message blocks
 * every ping, nothing of the input comes back with live Markdown, mention
 * syntax, control or bidi characters, no message holds a stack trace, and
 * every message stays within Discord's limits.
 */
import { inboundQuestion } from '../../src/discord/inbound.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unescapeMarkdown } from '../../src/discord/markdown.js';
import { Lectern } from '../../src/lectern.js';
import { cleanQuestion, truncateQuestion } from '../../src/search/ask.js';
import { analyseQuestion } from '../../src/search/analyse/question.js';
import { slashCommand, userMessage, type JsonObject, type RecordedRequest } from '../../tools/fake-discord/index.js';
import {
  closeBot,
  expectNoPings,
  expectWithinLimits,
  messageBody,
  openBot,
  type Embed,
  type Harness,
} from '../discord/harness.js';
import { HOSTILE_INPUTS } from '../support/hostile-inputs.js';
import { BIDI, LONE_SURROGATE, STACK_LINE } from './helpers.js';

let lectern: Lectern;
let h: Harness;

beforeAll(async () => {
  ({ lectern, h } = await openBot());
}, 120_000);
afterAll(() => closeBot(h, lectern));

/** Characters that make Markdown or mentions live in an embed, unless preceded by a backslash. */
const ACTIVE = /[*_~`|[\]<]/;
/** Control characters other than the line breaks the bot itself puts in descriptions. */
const CONTROL_NOT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

/** Active characters left unescaped in `text` (a backslash escapes the next character, itself included). */
function unescapedActive(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i += 1;
    else if (ACTIVE.test(text[i]!)) found.push(text.slice(Math.max(0, i - 10), i + 10));
  }
  return found;
}

/**
 * Pieces of the input that would be live in Discord if echoed verbatim:
 * mention and channel syntax, Markdown markers, links, fences. (`@everyone`
 * and `@here` are left out: they are plain text in an embed, and
 * `allowed_mentions` already stops them pinging.)
 */
function liveTokens(input: string): string[] {
  const tokens =
    input.match(
      /<[@#][!&]?\d+>|\*\*[^*\s][^*]*\*\*|__[^_]+__|~~[^~]+~~|\|\|[^|]+\|\||```|`[^`\s][^`]*`|\[[^\]]+\]\([^)]+\)|<https?:[^>]+>|<t:\d+>/g,
    ) ?? [];
  return [...new Set(tokens)];
}

/** Whether `token` occurs in `text` other than right after a backslash (which makes its first character literal). */
function liveAt(text: string, token: string): boolean {
  for (let i = text.indexOf(token); i >= 0; i = text.indexOf(token, i + 1)) if (text[i - 1] !== '\\') return true;
  return false;
}

/**
 * Checks one message the bot sent in answer to `input`: pings nobody, within
 * limits, no stack trace, no user text in `content`, and wherever the input
 * is echoed (title, the Question field, descriptions of notices) its Markdown
 * and mentions are escaped and its control, bidi and lone surrogate
 * characters are gone.
 */
function checkReply(
  request: RecordedRequest,
  input: string,
): { kind: 'answer' | 'help' | 'too long' | 'no such text' | 'other'; embeds: Embed[] } {
  expect(request.status, `${request.method} ${request.path}`).toBeLessThan(300);
  expectNoPings(request);
  const payload = messageBody(request);
  expectWithinLimits(payload);
  const embeds = (payload.embeds ?? []) as Embed[];
  expect(embeds.length).toBeGreaterThan(0);
  // The bot puts none of the reader's words in content (it is where pings and Markdown would be live).
  expect(payload.content ?? '').toBe('');

  const texts = embeds
    .flatMap((e) => [
      e.title,
      e.description,
      e.author?.name,
      e.footer?.text,
      ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
    ])
    .filter((t): t is string => typeof t === 'string');
  for (const text of texts) {
    expect(text).not.toMatch(STACK_LINE);
    expect(text).not.toMatch(/\b(TypeError|ReferenceError|RangeError|SyntaxError|LecternError)\b/);
    expect(text, 'bidi controls echoed').not.toMatch(BIDI);
    expect(text, 'lone surrogate echoed').not.toMatch(LONE_SURROGATE);
    expect(text, 'control characters echoed').not.toMatch(CONTROL_NOT_NEWLINE);
    for (const token of liveTokens(input))
      expect(liveAt(text, token), `"${token}" echoed live in: ${text.slice(0, 200)}`).toBe(false);
  }
  // Titles and field names are one line each: no line breaks either.
  for (const e of embeds) {
    if (e.title !== undefined) {
      expect(e.title).not.toMatch(/[\n\r]/);
      expect(unescapedActive(e.title), `unescaped in title ${e.title.slice(0, 120)}`).toEqual([]);
      expect(e.title).not.toMatch(/^[#>-]/);
    }
    for (const f of e.fields ?? []) if (f.name === 'Question') expect(unescapedActive(f.value)).toEqual([]);
  }

  const first = embeds[0]!.description ?? '';
  if (/^That question is [\d,]+ characters long/.test(first)) return { kind: 'too long', embeds };
  if (/^I have no text matching/.test(first)) return { kind: 'no such text', embeds };
  expect(first, 'an apology means the question crashed something').not.toMatch(/^Sorry, something went wrong/);
  if (/quoting/.test(first) && !embeds[0]!.footer) return { kind: 'help', embeds };
  if (embeds[0]!.footer?.text.includes('Serge')) return { kind: 'answer', embeds };
  return { kind: 'other', embeds };
}

/** The bundled article is written in Latin script only: words in other scripts are set aside (issue 9). */
const ARTICLE_SCRIPTS = new Set(['Latin']);

/** What the bot may show as the question: the input as the bot reads it (markup removed) and the engine searches it (issue 9), possibly shortened with "…". */
function expectTitleEchoesCleaned(embeds: Embed[], input: string): void {
  const title = embeds[0]!.title;
  const read = truncateQuestion(cleanQuestion(inboundQuestion(input))).text;
  const cleaned = analyseQuestion(read, ARTICLE_SCRIPTS).searched || read;
  if (title === undefined || cleaned === '') return;
  const shown = unescapeMarkdown(title).replace(/…$/, '').trim();
  expect(
    cleaned.startsWith(shown) || shown === 'Lectern',
    `title "${shown.slice(0, 80)}" is not the cleaned question`,
  ).toBe(true);
}

const isTooLong = (input: string) => input.length > 1000;

describe('hostile input as /ask question:', () => {
  it.each(HOSTILE_INPUTS)('$name', async ({ input }) => {
    const reply = await h.interact(slashCommand(h.fake, 'ask', { question: input })).final();
    const request = reply.edit ?? reply.callback;
    const { kind, embeds } = checkReply(request, input);
    if (isTooLong(input)) expect(kind).toBe('too long');
    else if (cleanQuestion(input) === '') expect(kind).toBe('help');
    else expect(['answer', 'help']).toContain(kind);
    expectTitleEchoesCleaned(embeds, input);
  });
});

describe('hostile input as a chat mention', () => {
  it.each(HOSTILE_INPUTS)('$name', async ({ input }) => {
    const message = userMessage(h.fake, {
      content: `<@${h.fake.world.bot.id}> ${input}`,
      channel: h.fake.world.general,
    });
    const since = h.fake.mark();
    h.fake.sendMessage(message);
    const request = await h.fake.waitForRequest(
      (r) =>
        r.method === 'POST' &&
        (r.body as { message_reference?: { message_id?: string } } | undefined)?.message_reference?.message_id ===
          message.id,
      { since },
    );
    const { kind, embeds } = checkReply(request, input);
    const question = `${input}`.replace(/\s+/g, ' ').trim();
    if (question.length > 1000) expect(kind).toBe('too long');
    else if (cleanQuestion(input) === '') expect(kind).toBe('help');
    else expect(['answer', 'help']).toContain(kind);
    expectTitleEchoesCleaned(embeds, input);
    // The reply quotes the question's message and pings no one, its author included.
    expect((request.body as JsonObject).message_reference).toMatchObject({ message_id: message.id });
  });
});

describe('hostile input as the text: option of /quote', () => {
  it.each(HOSTILE_INPUTS)('$name', async ({ input }) => {
    const reply = await h
      .interact(slashCommand(h.fake, 'quote', { query: 'Who signed the communiqué?', text: input }))
      .final();
    const { kind, embeds } = checkReply(reply.edit ?? reply.callback, input);
    // Either some text's title matched (or the option was blank): passages citing it; or a clear "no such text" naming /sources.
    if (kind === 'no such text') expect(embeds[0]!.description).toMatch(/See \/sources/);
    else expect(kind).toBe('answer');
    expect(reply.flags & 64).toBe(64);
  });
});

describe('after all that', () => {
  it('the bot is still connected, answers normally, and logged no unexpected error', async () => {
    expect(h.fake.connected).toBe(true);
    expect(h.fake.connections).toBe(1);
    const reply = await h.interact(slashCommand(h.fake, 'ask', { question: 'Who signed the communiqué?' })).final();
    expect(JSON.stringify(reply.payload.embeds)).toContain('Kalinin');
    expect(h.logs.filter((l) => l.level >= 50)).toEqual([]);
    expect(
      h.logs.filter((l) => l.msg === 'interaction failed' || l.msg === 'unhandled error in a Discord handler'),
    ).toEqual([]);
  });
});

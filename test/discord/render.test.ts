/**
 * Unit and property tests for the Discord formatting rules (markdown, excerpt, limits, views), the
 * custom-id codec (buttons.ts), the rate limiter and the settings.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeButton, encodeButton, isCurrent, type ButtonAction } from '../../src/discord/custom-id.js';
import { intentsFor } from '../../src/discord/bot.js';
import { loadDiscordConfig } from '../../src/discord/config.js';
import { RateLimiter } from '../../src/discord/rate-limit.js';
import { splitSentences } from '../../src/corpus/sentences.js';
import { ELLIPSIS, escapedLine, renderExcerpt, truncateWords } from '../../src/discord/excerpt.js';
import type { LibraryView } from '../../src/discord/library-view.js';
import { embedLength, embedViolations, fitEmbeds, LIMITS } from '../../src/discord/limits.js';
import { blockQuote, escapeMarkdown, unescapeMarkdown } from '../../src/discord/markdown.js';
import { readQuestion } from '../../src/discord/recorded-question.js';
import { answerEmbed } from '../../src/discord/views/answer.js';
import { threadName } from '../../src/discord/views/discussion.js';
import type { Answer, LibraryDocument, Passage } from '../../src/types.js';

/** What a reader sees: block-quote markers, bold markers and escapes removed. */
const visible = (markdown: string): string =>
  unescapeMarkdown(
    markdown
      .split('\n')
      .map((l) => l.replace(/^> ?/, ''))
      .join('\n')
      .replace(/\*\*/g, ''),
  );

const wordy = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'the',
        'Yagoda',
        'G.P.U.',
        '*x*',
        '_y_',
        '<@&1>',
        '@everyone',
        '# h',
        '- l',
        '1.',
        '`c`',
        '\\',
        '|',
        '~',
        '>',
        ':a:',
        'word.',
        'end!',
        '“q”',
        '—',
      ),
      fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/\s/.test(s)),
    ),
    { minLength: 1, maxLength: 120 },
  )
  .chain((words) =>
    fc
      .array(fc.constantFrom(' ', ' ', ' ', '\n', '  '), { minLength: words.length - 1, maxLength: words.length - 1 })
      .map((gaps) => words.map((w, i) => w + (gaps[i] ?? '')).join('')),
  );

describe('escapeMarkdown', () => {
  it('neutralises Markdown, mentions and line-start syntax', () => {
    expect(escapeMarkdown('**bold** _it_ `c` ~~s~~ ||sp|| [l](u)')).toBe(
      '\\*\\*bold\\*\\* \\_it\\_ \\`c\\` \\~\\~s\\~\\~ \\|\\|sp\\|\\| \\[l\\](u)',
    );
    expect(escapeMarkdown('<@&123> <@456> <#789> <t:1:R>')).toBe('\\<@&123> \\<@456> \\<#789> \\<t\\:1:R>');
    expect(escapeMarkdown('# Title\n- item\n> quote\n-# small\n3. third')).toBe(
      '\\# Title\n\\- item\n\\> quote\n\\-# small\n3\\. third',
    );
    expect(escapeMarkdown(':smile: at 10:30')).toBe('\\:smile: at 10:30');
  });

  it('leaves ordinary prose alone', () => {
    expect(escapeMarkdown('He ruled the vastest camps – by order (for years).')).toBe(
      'He ruled the vastest camps – by order (for years).',
    );
  });

  it('round-trips: unescape(escape(x)) === x', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => unescapeMarkdown(escapeMarkdown(s)) === s));
  });
});

describe('truncateWords', () => {
  it('cuts at a word boundary and marks the cut', () => {
    expect(truncateWords('one two three four', 12)).toBe('one two…');
    expect(truncateWords('short', 12)).toBe('short');
  });

  it('never exceeds the limit and never ends inside a word (unless one word is longer than the limit)', () => {
    fc.assert(
      fc.property(wordy, fc.integer({ min: 2, max: 300 }), (text, max) => {
        const out = truncateWords(text, max);
        expect(out.length).toBeLessThanOrEqual(max);
        if (out === text) return;
        expect(out.endsWith(ELLIPSIS)).toBe(true);
        const head = out.slice(0, -1);
        const firstWord = text.split(/\s/)[0]!;
        if (firstWord.length < max)
          expect(text.startsWith(head) && (text.length === head.length || /\s/.test(text[head.length]!))).toBe(true);
      }),
    );
  });
});

describe('renderExcerpt', () => {
  const text = 'First sentence here. Second one is the best one. Third sentence follows. Fourth ends it.';
  const sentences = splitSentences(text);
  const focus = { start: text.indexOf('Second'), end: text.indexOf('Third') - 1 };

  it('renders the whole text as a block quote with the focus in bold when it fits', () => {
    expect(renderExcerpt(text, 1000, { sentences, focus })).toBe(
      '> First sentence here. **Second one is the best one.** Third sentence follows. Fourth ends it.',
    );
  });

  it('drops whole sentences around the focus, marking each cut with …', () => {
    // Reading order first: the sentence after the focus is tried before the one before it.
    expect(renderExcerpt(text, 64, { sentences, focus })).toBe(
      '> … **Second one is the best one.** Third sentence follows. …',
    );
    expect(renderExcerpt(text, 60, { sentences, focus })).toBe(
      '> First sentence here. **Second one is the best one.** …',
    );
    expect(renderExcerpt(text, 40, { sentences, focus })).toBe('> … **Second one is the best one.** …');
  });

  it('keeps the focus even when it is the last sentence', () => {
    const last = { start: text.indexOf('Fourth'), end: text.length };
    expect(renderExcerpt(text, 50, { sentences, focus: last })).toBe('> … Third sentence follows. **Fourth ends it.**');
  });

  it('cuts a sentence too long for the space at a word', () => {
    expect(renderExcerpt('alpha beta gamma delta epsilon', 20, {})).toBe('> alpha beta gamma …');
  });

  it('shows line breaks inside a passage as spaces (verbatim up to white space)', () => {
    const wrapped = 'First line\nof a hard-wrapped\n\nparagraph.';
    expect(renderExcerpt(wrapped, 100, { focus: { start: 0, end: wrapped.length } })).toBe(
      '> **First line of a hard-wrapped paragraph.**',
    );
  });

  it('for any text and budget: fits, is verbatim between cuts, never splits a word', () => {
    fc.assert(
      fc.property(wordy, fc.integer({ min: 30, max: 2000 }), fc.nat(), (raw, max, f) => {
        const text = raw.trim();
        if (!text) return;
        const spans = splitSentences(text);
        const focusSpan = spans.length ? spans[f % spans.length] : undefined;
        const out = renderExcerpt(text, max, { sentences: spans, ...(focusSpan ? { focus: focusSpan } : {}) });
        expect(out.length).toBeLessThanOrEqual(max);
        // Verbatim up to white space: line breaks and runs of spaces show as one space.
        const folded = text.replace(/\s+/g, ' ');
        for (const piece of visible(out)
          .split(ELLIPSIS)
          .map((p) => p.trim().replace(/\s+/g, ' '))
          .filter(Boolean)) {
          const at = folded.indexOf(piece);
          expect(at, `not verbatim: ${JSON.stringify(piece)} in ${JSON.stringify(text)}`).toBeGreaterThanOrEqual(0);
          const firstWord = text.split(/\s/)[0]!;
          if (escapeMarkdown(firstWord).length + 10 < max) {
            // The piece may occur more than once (">" inside "<@&1>"): one occurrence must sit between word boundaries.
            const bounded = [...folded.matchAll(new RegExp(piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g'))].some(
              (m) => {
                const before = folded[m.index - 1];
                const after = folded[m.index + piece.length];
                return (before === undefined || /\s/.test(before)) && (after === undefined || /\s/.test(after));
              },
            );
            expect(bounded, `cut mid-word: ${JSON.stringify(piece)} in ${JSON.stringify(text)}`).toBe(true);
          }
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300), seed: Number(process.env.FC_SEED ?? 20261124) },
    );
  });
});

describe('embed limits', () => {
  it('reports every violation', () => {
    expect(
      embedViolations([
        { title: 'x'.repeat(257), description: 'd'.repeat(4097), fields: [{ name: 'n', value: 'v'.repeat(1025) }] },
      ]),
    ).toEqual(['embed 0 title 257 > 256', 'embed 0 description 4097 > 4096', 'embed 0 field 0 value 1025 > 1024']);
    expect(embedViolations([{ description: 'a'.repeat(4000) }, { description: 'b'.repeat(2001) }])).toEqual([
      'embeds total 6001 > 6000',
    ]);
    expect(embedViolations([{ fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }])).toEqual([
      'embed 0 has 26 fields > 25',
    ]);
    expect(embedViolations([{ title: '' }])).toEqual(['embed 0 title is empty']);
  });

  it('fitEmbeds drops trailing fields, then trailing embeds, to fit 6,000', () => {
    const field = { name: 'n', value: 'v'.repeat(1000) };
    const fitted = fitEmbeds([{ description: 'd'.repeat(3000), fields: [field, field, field, field] }]);
    expect(embedLength(fitted[0]!)).toBeLessThanOrEqual(LIMITS.embedsTotal);
    expect(fitted[0]!.fields).toHaveLength(2);
    const many = fitEmbeds(Array.from({ length: 12 }, () => ({ description: 'd'.repeat(1000) })));
    expect(many).toHaveLength(6);
  });

  it('escapedLine fits titles after escaping, cut at a word', () => {
    const title = escapedLine('*'.repeat(300), LIMITS.embedTitle);
    expect(title.length).toBeLessThanOrEqual(LIMITS.embedTitle);
    const words = escapedLine('why '.repeat(100), 30);
    expect(words).toBe('why why why why why why why…');
  });

  it('threadName is 1–100 characters, cut at a word', () => {
    expect(threadName('a '.repeat(80) + 'tail')).toHaveLength(100);
    expect(threadName('   ')).toBe('Discussion');
    fc.assert(
      fc.property(fc.string({ maxLength: 1000 }), (q) => threadName(q).length >= 1 && threadName(q).length <= 100),
    );
  });

  it('blockQuote marks blank lines too, so the quote does not break', () => {
    expect(blockQuote('a\n\nb')).toBe('> a\n>\n> b');
  });
});

describe('answerEmbed', () => {
  const doc: LibraryDocument = {
    id: 'd',
    file: 'd.txt',
    hash: '',
    meta: { author: 'A', title: 'T' },
    format: 'plain-text',
    chapters: [],
    wordCount: 0,
    passages: [],
  };
  const passage = (paragraph: number, text: string): Passage => ({
    id: `d#${paragraph}`,
    docId: 'd',
    paragraph,
    text,
    sentences: splitSentences(text),
  });
  const p1 = passage(1, 'Intro sentence. The **answer** is <@&1> here. After.');
  const p2 = passage(2, 'Another passage. '.repeat(100));
  doc.passages.push(p1, p2);
  // Only what the answer view reads; the rest of the library is not needed here.
  const ctx = {
    getDocument: () => doc,
    getPassage: (_, n) => doc.passages.find((p) => p.paragraph === n),
    paragraphCount: () => 2,
    cite: (_d, n) => `A, "T", ¶${n}`,
    multipleDocuments: false,
  } satisfies Partial<LibraryView> as unknown as LibraryView;
  const quoteStart = p1.text.indexOf('The');
  const quoteText = 'The **answer** is <@&1> here.';
  const answer: Answer = {
    question: 'What is *it*?',
    answered: true,
    status: 'answered',
    quote: {
      passageId: 'd#1',
      text: quoteText,
      start: quoteStart,
      end: quoteStart + quoteText.length,
      highlight: { start: 0, end: quoteText.length },
    },
    passages: [
      { passage: p1, score: 1, dense: 1, lexical: 1 },
      { passage: p2, score: 0.5, dense: 0.5, lexical: 0.5 },
    ],
  };

  it('title records the question (escaped), quote bold and escaped, citation in footer, further passages shortened', () => {
    const embed = answerEmbed(answer, ctx);
    expect(embed.title).toBe('What is \\*it\\*?');
    // The quote starts and ends inside its paragraph: both cuts are marked.
    expect(embed.description).toBe('> … **The \\*\\*answer\\*\\* is \\<@&1> here.** …');
    expect(embed.footer?.text).toBe('A, "T", ¶1');
    expect(embed.fields?.[0]?.name).toBe('Also relevant: ¶2');
    expect(embed.fields?.[0]?.value.length).toBeLessThanOrEqual(300);
    expect(readQuestion(embed)).toEqual({ question: 'What is *it*?' });
  });

  it('records a follow-up and a long question so they can be read back', () => {
    const long = 'why '.repeat(200).trim();
    const embed = answerEmbed({ ...answer, question: long }, ctx, { followUpOf: 'Who signed it?' });
    expect(embed.author?.name).toBe('Following up on: Who signed it?');
    expect(readQuestion(embed)).toEqual({ question: long, followUpOf: 'Who signed it?' });
    expect(embedViolations([embed])).toEqual([]);
  });

  it('labels an abstention and its closest passage', () => {
    const embed = answerEmbed(
      { ...answer, answered: false, status: 'abstained', message: 'The text does not seem to address this question.' },
      ctx,
    );
    expect(embed.description).toMatch(
      /^The text does not seem to address this question\.\n\n\*\*Closest passage\*\* \(¶1; it may not answer your question\):\n> /,
    );
    expect(embed.footer?.text).toBe('Closest passage: A, "T", ¶1');
  });
});

describe('button custom ids', () => {
  const actions = fc.oneof(
    fc.record({
      kind: fc.constant('more' as const),
      doc: fc.option(fc.nat({ max: 50_000 }), { nil: null }),
      offset: fc.nat({ max: 1_000_000 }),
      limit: fc.integer({ min: 1, max: 25 }),
    }),
    fc.record({
      kind: fc.constant('context' as const),
      doc: fc.nat({ max: 50_000 }),
      paragraph: fc.nat({ max: 1_000_000 }),
    }),
    fc.record({
      kind: fc.constant('page' as const),
      doc: fc.nat({ max: 50_000 }),
      paragraph: fc.nat({ max: 1_000_000 }),
      direction: fc.constantFrom('prev' as const, 'next' as const),
    }),
    fc.constant({ kind: 'post' as const }),
    fc.constant({ kind: 'discuss' as const }),
  );

  it('round-trip, stay within 100 characters, and carry the index id', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64 }), actions, (indexId, action: ButtonAction) => {
        const id = encodeButton(indexId, action);
        expect(id.length).toBeLessThanOrEqual(LIMITS.customId);
        const state = decodeButton(id);
        expect(state?.action).toEqual(action);
        expect(isCurrent(state!, indexId)).toBe(true);
      }),
    );
  });

  it('tell an older index apart', () => {
    const state = decodeButton(encodeButton('build-one', { kind: 'context', doc: 0, paragraph: 3 }))!;
    expect(isCurrent(state, 'build-two')).toBe(false);
  });

  it('reject foreign or damaged ids', () => {
    for (const id of [
      '',
      'hello',
      'L|m|abc|!|1|5',
      'L|c|abc|0',
      'L|p|abc|0|3|x',
      'L|z|abc',
      'L|d|abc|extra',
      'L|m|abc||5|0',
    ])
      expect(decodeButton(id)).toBeUndefined();
  });
});

describe('RateLimiter', () => {
  it('allows `count` per window per user, then reports when to retry, and notifies once', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 30_000, () => now);
    expect(limiter.take('a')).toEqual({ ok: true });
    now = 10_000;
    expect(limiter.take('a')).toEqual({ ok: true });
    expect(limiter.take('b')).toEqual({ ok: true });
    now = 20_000;
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterMs: 10_000 });
    expect(limiter.shouldNotify('a')).toBe(true);
    expect(limiter.shouldNotify('a')).toBe(false);
    now = 30_000;
    expect(limiter.take('a')).toEqual({ ok: true });
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterMs: 10_000 });
    expect(limiter.shouldNotify('a')).toBe(true);
  });
});

describe('settings', () => {
  const base = { DISCORD_TOKEN: 'MTIz.abc.def-ghi_jkl' };

  it('has sensible defaults', () => {
    const config = loadDiscordConfig(base);
    expect(config).toMatchObject({
      chatMode: true,
      logQuestions: false,
      rateLimit: { count: 5, windowMs: 30_000 },
      shutdownTimeoutMs: 10_000,
    });
    expect([...config.askChannelIds]).toEqual([]);
  });

  it('parses lists, booleans and numbers; blank means unset', () => {
    const config = loadDiscordConfig({
      ...base,
      ASK_CHANNEL_IDS: '123456789012345678, 223456789012345678',
      CHAT_MODE: 'off',
      LOG_QUESTIONS: 'yes',
      RATE_LIMIT_COUNT: '3',
      RATE_LIMIT_WINDOW_SECONDS: '60',
      DISCORD_API_URL: 'http://127.0.0.1:1234/api/',
      DISCORD_GUILD_ID: '',
    });
    expect([...config.askChannelIds]).toEqual(['123456789012345678', '223456789012345678']);
    expect(config).toMatchObject({
      chatMode: false,
      logQuestions: true,
      rateLimit: { count: 3, windowMs: 60_000 },
      apiUrl: 'http://127.0.0.1:1234/api',
    });
    expect(config.guildId).toBeUndefined();
  });

  it.each([
    [{}, /^Invalid Discord configuration: DISCORD_TOKEN is required/],
    [{ ...base, RATE_LIMIT_COUNT: 'five' }, /^Invalid Discord configuration: RATE_LIMIT_COUNT /],
    [{ ...base, RATE_LIMIT_COUNT: '0' }, /RATE_LIMIT_COUNT must be at least 1/],
    [{ ...base, LOG_QUESTIONS: 'maybe' }, /^Invalid Discord configuration: LOG_QUESTIONS /],
    [{ ...base, DISCORD_GUILD_ID: 'my-server' }, /DISCORD_GUILD_ID must be a Discord id/],
    [{ ...base, DISCORD_API_URL: 'discord.com' }, /DISCORD_API_URL must be a URL/],
  ])('explains a bad value in one line: %o', (env, message) => {
    expect(() => loadDiscordConfig(env)).toThrow(message);
    try {
      loadDiscordConfig(env);
    } catch (error) {
      expect((error as Error).message.split('\n')).toHaveLength(1);
    }
  });

  it('never puts the token in an error message', () => {
    const token = 'secret token with spaces';
    expect(() => loadDiscordConfig({ DISCORD_TOKEN: token })).toThrow(/DISCORD_TOKEN does not look like a bot token/);
    try {
      loadDiscordConfig({ DISCORD_TOKEN: token });
    } catch (error) {
      expect((error as Error).message).not.toContain('secret');
    }
  });

  it('requests the privileged intent only for ask channels', () => {
    expect(intentsFor({ chatMode: true, askChannelIds: new Set() })).toEqual([1, 512, 4096]);
    expect(intentsFor({ chatMode: true, askChannelIds: new Set(['1']) })).toEqual([1, 512, 4096, 32768]);
    expect(intentsFor({ chatMode: false, askChannelIds: new Set(['1']) })).toEqual([1]);
  });
});

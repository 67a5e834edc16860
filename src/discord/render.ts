/**
 * Turns Lectern's answers into Discord embeds that respect every Discord limit.
 *
 * Three rules run through this file:
 * - Quoted text stays verbatim. Markdown is neutralised by backslash escapes,
 *   which Discord consumes, so the reader sees exactly the source's characters.
 * - Nothing is cut mid-word. Long material is shortened at sentence boundaries
 *   (falling back to word boundaries only for a single over-long sentence),
 *   and every cut is marked with "…".
 * - Lengths are measured after escaping and formatting, because that is what
 *   Discord counts.
 */
import type { APIEmbed, APIEmbedField } from 'discord.js';
import type { Answer, LibraryDocument, Passage, RankedPassage, Span } from '../types.js';

/** Discord's documented limits (characters unless noted). */
export const LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  /** Sum of title, description, field names and values, footer and author over all embeds of a message. */
  embedsTotal: 6000,
  fields: 25,
  embeds: 10,
  actionRows: 5,
  buttonsPerRow: 5,
  customId: 100,
  buttonLabel: 80,
  threadName: 100,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

export const ELLIPSIS = '…';

/** Embed colours: answered, abstained (grey: a closest passage, not an answer), neutral. */
export const COLORS = { answered: 0x5865f2, abstained: 0x99aab5, info: 0x3ba55c, error: 0xed4245 } as const;

/** What rendering needs from the engine: documents and a citation formatter. */
export interface RenderContext {
  getDocument(id: string): LibraryDocument | undefined;
  getPassage(docId: string, paragraph: number): Passage | undefined;
  paragraphCount(docId: string): number;
  /** e.g. `Victor Serge, "The End of Henry Yagoda", Socialist Appeal, …, ¶4`. */
  cite(doc: LibraryDocument, paragraph: number): string;
  /** Whether the library holds more than one text (then passages name their text). */
  multipleDocuments: boolean;
}

// ───────────────────────────── Markdown ─────────────────────────────

/**
 * Escapes text so Discord renders it literally. Covers inline Markdown
 * (`* _ ~ \` |`, and `[ ]` of masked links), the backslash itself (so the
 * escaping is reversible), `<` (mentions, channels, timestamps, `<url>`),
 * `:name:` emoji, and line-start syntax: headings, lists, block quotes, `-#`
 * subtext and numbered lists. Parentheses are left alone: without `[` they
 * cannot form a link.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\*_~`|[\]<]/g, '\\$&')
    .replace(/:(?=[\w+-]+:)/g, '\\:')
    .replace(/^([ \t]*)([#>+-])/gm, '$1\\$2')
    .replace(/^([ \t]*\d+)([.)])/gm, '$1\\$2');
}

/** Inverse of {@link escapeMarkdown} (and of any backslash escape of punctuation). */
export function unescapeMarkdown(text: string): string {
  return text.replace(/\\([^0-9A-Za-z\s])/g, '$1');
}

/** Prefixes every line with "> " so the whole text is one block quote. */
export function blockQuote(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) => (line.trim() === '' ? '>' : `> ${line}`))
    .join('\n');
}

/** Wraps escaped text in bold, keeping white space and line breaks outside the markers (Discord ignores `** x**`). */
function bold(raw: string): string {
  return raw
    .split('\n')
    .map((line) => {
      const match = /^(\s*)(.*?)(\s*)$/s.exec(line)!;
      return match[2] ? `${match[1]}**${escapeMarkdown(match[2])}**${match[3]}` : line;
    })
    .join('\n');
}

// ───────────────────────────── cutting ─────────────────────────────

/** Sentence spans for text that came without them: ends at . ! ? … followed by space. */
export function roughSentences(text: string): Span[] {
  const spans: Span[] = [];
  const re = /[^\s][\s\S]*?(?:[.!?…]+["”’')\]]*(?=\s|$)|$)/g;
  for (let m = re.exec(text); m && m[0].length > 0; m = re.exec(text)) {
    spans.push({ start: m.index, end: m.index + m[0].length });
    if (re.lastIndex >= text.length) break;
  }
  return spans;
}

/** Sentence spans of `passage` that overlap `[start, end)`, clipped and shifted to be relative to `start`. */
export function sentencesWithin(sentences: readonly Span[], start: number, end: number): Span[] {
  return sentences
    .filter((s) => s.end > start && s.start < end)
    .map((s) => ({ start: Math.max(s.start, start) - start, end: Math.min(s.end, end) - start }));
}

/**
 * Cuts `text` to at most `max` characters at a word boundary, adding "…".
 * Only a single word longer than `max` is cut inside (there is nothing else to do).
 */
export function truncateWords(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, max);
  const room = max - ELLIPSIS.length;
  const cut = text.slice(0, room + 1);
  const space = cut.search(/\s\S*$/);
  const head = space > 0 ? cut.slice(0, space) : text.slice(0, room);
  return `${head.trimEnd()}${ELLIPSIS}`;
}

export interface ExcerptOptions {
  /** Sentence spans relative to `text`; derived roughly when absent. */
  sentences?: readonly Span[];
  /** Part to keep and show in bold (relative to `text`), e.g. the best sentence. */
  focus?: Span;
  /** Bold the focus. Default true when a focus is given. */
  boldFocus?: boolean;
  /** Render as a block quote. Default true. */
  quote?: boolean;
}

/**
 * Renders `text` escaped (focus in bold, as a block quote by default) in at
 * most `max` characters. When it does not fit, whole sentences are dropped,
 * keeping the focus sentence and as much around it as fits, marking each cut
 * with "…"; a single sentence too long to fit is cut at a word boundary.
 * Returns "" only when `max` cannot hold even "…".
 */
export function renderExcerpt(text: string, max: number, options: ExcerptOptions = {}): string {
  const quote = options.quote ?? true;
  const focus = options.focus && options.focus.end > options.focus.start ? options.focus : undefined;
  const boldFocus = options.boldFocus ?? Boolean(focus);
  const render = (start: number, end: number, cutBefore: boolean, cutAfter: boolean): string => {
    let body: string;
    if (focus && boldFocus && focus.end > start && focus.start < end) {
      const fs = Math.max(focus.start, start);
      const fe = Math.min(focus.end, end);
      body = escapeMarkdown(text.slice(start, fs)) + bold(text.slice(fs, fe)) + escapeMarkdown(text.slice(fe, end));
    } else {
      body = escapeMarkdown(text.slice(start, end));
    }
    body = body.trim();
    if (cutBefore) body = `${ELLIPSIS} ${body}`;
    if (cutAfter) body = `${body} ${ELLIPSIS}`;
    return quote ? blockQuote(body) : body;
  };
  const trimmed = { start: text.length - text.trimStart().length, end: text.trimEnd().length };
  const whole = render(trimmed.start, trimmed.end, false, false);
  if (whole.length <= max) return whole;

  const sentences = (options.sentences?.length ? options.sentences : roughSentences(text)).filter((s) => s.end > s.start);
  if (sentences.length === 0) return fitWords(text, trimmed, max, render);
  // The window grows from the focus sentence, first forwards (reading order), then backwards.
  let first = focus ? sentences.findIndex((s) => s.end > focus.start) : 0;
  if (first < 0) first = 0;
  let last = first;
  const windowText = (a: number, b: number): string =>
    render(sentences[a]!.start, sentences[b]!.end, a > 0, b < sentences.length - 1);
  if (windowText(first, last).length > max) {
    const s = sentences[first]!;
    return fitWords(text, s, max, (a, b, before, after) => render(a, b, before || first > 0, after || first < sentences.length - 1));
  }
  for (let grew = true; grew; ) {
    grew = false;
    if (last + 1 < sentences.length && windowText(first, last + 1).length <= max) {
      last += 1;
      grew = true;
    } else if (first > 0 && windowText(first - 1, last).length <= max) {
      first -= 1;
      grew = true;
    }
  }
  return windowText(first, last);
}

/** Longest word-boundary prefix of `span` whose rendering fits in `max`; "" if not even one word fits. */
function fitWords(
  text: string,
  span: Span,
  max: number,
  render: (start: number, end: number, cutBefore: boolean, cutAfter: boolean) => string,
): string {
  // Word ends inside the span, longest first.
  const ends: number[] = [];
  const re = /\S+/g;
  const slice = text.slice(span.start, span.end);
  for (let m = re.exec(slice); m; m = re.exec(slice)) ends.push(span.start + m.index + m[0].length);
  // Binary search: rendered length grows with the end position.
  let lo = 0;
  let hi = ends.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (render(span.start, ends[mid]!, false, true).length <= max) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (best >= 0) return render(span.start, ends[best]!, false, ends[best]! < span.end);
  // One enormous "word" (e.g. a URL): cutting inside it is the only option left.
  let end = span.start + Math.max(0, max - 4);
  while (end > span.start && render(span.start, end, false, true).length > max) end -= Math.max(1, Math.ceil((end - span.start) / 8));
  return end > span.start ? render(span.start, end, false, true) : ELLIPSIS.slice(0, Math.max(0, max));
}

/** Plain text (footers, author names, thread names: no Markdown there) cut at a word boundary. */
export function plain(text: string, max: number): string {
  return truncateWords(text.replace(/\s+/g, ' ').trim(), max);
}

/** Escaped text for titles and field names, cut at a word boundary *before* escaping so no escape is split. */
export function escapedLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  let room = max;
  for (;;) {
    const out = escapeMarkdown(truncateWords(flat, room));
    if (out.length <= max || room <= 1) return out.length <= max ? out : ELLIPSIS;
    room -= Math.max(1, out.length - max);
  }
}

// ───────────────────────────── embed budget ─────────────────────────────

/** Characters Discord counts towards the 6,000 total for one embed. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/** Checks one message's embeds against every Discord limit; returns the violations (empty when valid). */
export function embedViolations(embeds: readonly APIEmbed[]): string[] {
  const problems: string[] = [];
  if (embeds.length > LIMITS.embeds) problems.push(`${embeds.length} embeds > ${LIMITS.embeds}`);
  const total = embeds.reduce((n, e) => n + embedLength(e), 0);
  if (total > LIMITS.embedsTotal) problems.push(`embeds total ${total} > ${LIMITS.embedsTotal}`);
  embeds.forEach((e, i) => {
    const check = (what: string, value: string | undefined, max: number): void => {
      if (value !== undefined && value.length > max) problems.push(`embed ${i} ${what} ${value.length} > ${max}`);
      if (value !== undefined && value.length === 0) problems.push(`embed ${i} ${what} is empty`);
    };
    check('title', e.title, LIMITS.embedTitle);
    check('description', e.description, LIMITS.embedDescription);
    check('footer', e.footer?.text, LIMITS.footerText);
    check('author', e.author?.name, LIMITS.authorName);
    if ((e.fields?.length ?? 0) > LIMITS.fields) problems.push(`embed ${i} has ${e.fields!.length} fields > ${LIMITS.fields}`);
    e.fields?.forEach((f, j) => {
      check(`field ${j} name`, f.name, LIMITS.fieldName);
      check(`field ${j} value`, f.value, LIMITS.fieldValue);
    });
  });
  return problems;
}

/**
 * Makes a message's embeds fit the 6,000-character total: drops trailing
 * fields of the last embeds first (they are the least relevant passages),
 * then trailing embeds beyond the first. Descriptions are sized by the
 * builders, which know where sentences end.
 */
export function fitEmbeds(embeds: APIEmbed[]): APIEmbed[] {
  const out = embeds.slice(0, LIMITS.embeds).map((e) => ({ ...e, ...(e.fields ? { fields: e.fields.slice(0, LIMITS.fields) } : {}) }));
  const total = (): number => out.reduce((n, e) => n + embedLength(e), 0);
  for (let i = out.length - 1; i >= 0 && total() > LIMITS.embedsTotal; i--) {
    const fields = out[i]!.fields;
    while (fields && fields.length > 0 && total() > LIMITS.embedsTotal) fields.pop();
    if (fields && fields.length === 0) delete out[i]!.fields;
  }
  while (out.length > 1 && total() > LIMITS.embedsTotal) out.pop();
  return out;
}

// ───────────────────────────── answers ─────────────────────────────

/** How an answer embed records its question, so buttons and replies can recover it. */
export const QUESTION_FIELD = 'Question';
const FOLLOW_UP_PREFIX = 'Following up on: ';

/** The question an answer embed was for, and what it followed up on, as recorded by {@link renderAnswer}. */
export interface RecordedQuestion {
  question: string;
  followUpOf?: string;
}

/** Reads back the question from an answer embed (title, or the Question field when the title was shortened). */
export function readQuestion(embed: Pick<APIEmbed, 'title' | 'fields' | 'author'> | undefined): RecordedQuestion | undefined {
  if (!embed) return undefined;
  const field = embed.fields?.find((f) => f.name === QUESTION_FIELD);
  const raw = field ? field.value : embed.title;
  if (!raw) return undefined;
  const question = unescapeMarkdown(raw).trim();
  const author = embed.author?.name;
  const followUpOf = author?.startsWith(FOLLOW_UP_PREFIX) ? author.slice(FOLLOW_UP_PREFIX.length).trim() : undefined;
  return { question, ...(followUpOf ? { followUpOf } : {}) };
}

/** Title (and, for long questions, a field) recording `question`. */
function questionParts(question: string, followUpOf?: string): Pick<APIEmbed, 'title' | 'author'> & { field?: APIEmbedField } {
  const title = escapedLine(question, LIMITS.embedTitle);
  const shortened = unescapeMarkdown(title) !== question.replace(/\s+/g, ' ').trim();
  return {
    title,
    ...(followUpOf ? { author: { name: plain(`${FOLLOW_UP_PREFIX}${followUpOf}`, LIMITS.authorName) } } : {}),
    ...(shortened ? { field: { name: QUESTION_FIELD, value: escapedLine(question, LIMITS.fieldValue) } } : {}),
  };
}

/** The passage a quote comes from, with the quote's spans relative to the quoted text. */
function quotedExcerpt(answer: Answer, ctx: RenderContext): { passage: Passage; text: string; sentences: Span[]; focus?: Span } | undefined {
  const quote = answer.quote;
  const top = answer.passages[0]?.passage;
  if (quote) {
    const [docId, para] = splitPassageId(quote.passageId);
    const passage = ctx.getPassage(docId, para) ?? answer.passages.find((p) => p.passage.id === quote.passageId)?.passage;
    if (passage) {
      return {
        passage,
        text: quote.text,
        sentences: sentencesWithin(passage.sentences, quote.start, quote.end),
        focus: quote.highlight,
      };
    }
  }
  if (top) return { passage: top, text: top.text, sentences: top.sentences };
  return undefined;
}

function splitPassageId(id: string): [string, number] {
  const hash = id.lastIndexOf('#');
  return [id.slice(0, hash), Number(id.slice(hash + 1))];
}

/** "¶4" or, with several texts, "¶4 · The End of Henry Yagoda". */
function passageLabel(passage: Passage, ctx: RenderContext): string {
  const doc = ctx.getDocument(passage.docId);
  const label = passage.paragraph === 0 ? 'Header (¶0)' : `¶${passage.paragraph}`;
  return ctx.multipleDocuments && doc ? `${label} · ${doc.meta.title}` : label;
}

function citation(passage: Passage, ctx: RenderContext): string {
  const doc = ctx.getDocument(passage.docId);
  return doc ? ctx.cite(doc, passage.paragraph) : `¶${passage.paragraph}`;
}

export interface AnswerRenderOptions {
  /** The question shown and recorded (default `answer.question`). */
  question?: string;
  /** The question this one follows up, shown above the title and recorded for the next follow-up. */
  followUpOf?: string;
  /** Max further passages listed under the quote. Default 4. */
  morePassages?: number;
  /** Characters per further passage. Default 300. */
  excerptLength?: number;
}

/**
 * One embed for an answer: the question as title, the quote as a block quote
 * with its best sentence in bold, the citation in the footer, and further
 * passages as shortened fields with their ¶ numbers. An abstention says the
 * text does not seem to address the question and shows the closest passage,
 * labelled as such. A help answer shows its usage text.
 */
export function renderAnswer(answer: Answer, ctx: RenderContext, options: AnswerRenderOptions = {}): APIEmbed {
  const question = options.question ?? answer.question;
  const q = questionParts(question || 'Lectern', options.followUpOf);
  const notice = answer.notice ? `*${escapeMarkdown(answer.notice)}*\n\n` : '';
  if (answer.status === 'help' || (!answer.quote && answer.passages.length === 0)) {
    const message = answer.message ?? 'Nothing in the library matched that question. Try other words, or /sources to see what I can quote.';
    return {
      ...(question ? { title: q.title } : {}),
      description: truncateWords(notice + escapeMarkdown(message), LIMITS.embedDescription),
      color: COLORS.info,
    };
  }
  const excerpt = quotedExcerpt(answer, ctx)!;
  const abstained = answer.status === 'abstained';
  const intro = abstained
    ? `${escapeMarkdown(answer.message ?? 'The text does not seem to address this question.')}\n\n**Closest passage** (${passageLabel(excerpt.passage, ctx)}; it may not answer your question):\n`
    : '';
  const head = notice + intro;
  const description =
    head + renderExcerpt(excerpt.text, LIMITS.embedDescription - head.length, { sentences: excerpt.sentences, ...(excerpt.focus ? { focus: excerpt.focus } : {}) });
  const fields: APIEmbedField[] = [];
  if (q.field) fields.push(q.field);
  const others = answer.passages.filter((p) => p.passage.id !== excerpt.passage.id).slice(0, options.morePassages ?? 4);
  for (const other of others) {
    fields.push({
      name: plainFieldName(`${abstained ? 'Also close' : 'Also relevant'}: ${passageLabel(other.passage, ctx)}`),
      value: renderExcerpt(other.passage.text, Math.min(options.excerptLength ?? 300, LIMITS.fieldValue), { sentences: other.passage.sentences }),
    });
  }
  const embed: APIEmbed = {
    title: q.title!,
    ...(q.author ? { author: q.author } : {}),
    description,
    color: abstained ? COLORS.abstained : COLORS.answered,
    footer: { text: plain(`${abstained ? 'Closest passage: ' : ''}${citation(excerpt.passage, ctx)}`, LIMITS.footerText) },
    ...(fields.length ? { fields } : {}),
  };
  return fitEmbeds([embed])[0]!;
}

/** Field names render Markdown; ours are built from titles, so escape them. */
function plainFieldName(text: string): string {
  return escapedLine(text, LIMITS.fieldName);
}

export interface PassageListOptions {
  /** Title of the first embed, e.g. the query. */
  title: string;
  /** A line above the first passage, e.g. an abstention note. */
  intro?: string;
  /** ¶ numbers start counting results from here (for "More passages"). */
  offset?: number;
}

/**
 * One embed per ranked passage (for /quote and "More passages"): the passage
 * quoted, the quote's best sentence in bold where the answer chose it, the
 * citation in the footer. Descriptions share the 6,000-character budget.
 */
export function renderPassageList(answer: Answer, passages: readonly RankedPassage[], ctx: RenderContext, options: PassageListOptions): APIEmbed[] {
  const list = passages.slice(0, LIMITS.embeds);
  if (list.length === 0) {
    return [{ title: escapedLine(options.title, LIMITS.embedTitle), description: 'No more passages.', color: COLORS.info }];
  }
  const title = escapedLine(options.title, LIMITS.embedTitle);
  const intro = options.intro ? `*${escapeMarkdown(options.intro)}*\n\n` : '';
  const footers = list.map((p) => plain(citation(p.passage, ctx), LIMITS.footerText));
  const fixed = title.length + intro.length + footers.reduce((n, f) => n + f.length, 0);
  // Share what is left evenly; a little slack absorbs rounding.
  const each = Math.min(LIMITS.embedDescription, Math.floor((LIMITS.embedsTotal - fixed - 16) / list.length));
  const abstained = answer.status === 'abstained';
  const embeds = list.map((ranked, i): APIEmbed => {
    const quote = answer.quote?.passageId === ranked.passage.id ? answer.quote : undefined;
    const text = ranked.passage.text;
    const body = renderExcerpt(text, each - (i === 0 ? intro.length : 0), {
      sentences: ranked.passage.sentences,
      ...(quote ? { focus: { start: quote.start + quote.highlight.start, end: quote.start + quote.highlight.end } } : {}),
    });
    return {
      ...(i === 0 ? { title } : {}),
      description: (i === 0 ? intro : '') + body,
      color: abstained ? COLORS.abstained : COLORS.answered,
      footer: { text: footers[i]! },
    };
  });
  return fitEmbeds(embeds);
}

/** One paragraph in full (or shortened at a sentence), with its citation: for /passage and ◀ ▶. */
export function renderPassage(doc: LibraryDocument, passage: Passage, ctx: RenderContext): APIEmbed {
  const count = ctx.paragraphCount(doc.id);
  const where = passage.paragraph === 0 ? 'Header (¶0)' : `¶${passage.paragraph} of ${count}`;
  const body = renderExcerpt(passage.text, LIMITS.embedDescription - 40, { sentences: passage.sentences });
  const shortened = body.includes(ELLIPSIS) && !passage.text.includes(ELLIPSIS) ? '\n\n*(shortened to fit Discord)*' : '';
  return {
    title: escapedLine(`${doc.meta.title}: ${where}`, LIMITS.embedTitle),
    description: body + shortened,
    color: COLORS.info,
    footer: { text: plain(ctx.cite(doc, passage.paragraph), LIMITS.footerText) },
  };
}

/** The paragraphs before and after ¶`paragraph`, the middle one in bold outline: for the "Context" button. */
export function renderContext(doc: LibraryDocument, paragraph: number, ctx: RenderContext): APIEmbed {
  const around = [paragraph - 1, paragraph, paragraph + 1]
    .map((n) => ctx.getPassage(doc.id, n))
    .filter((p): p is Passage => p !== undefined && (p.paragraph > 0 || paragraph === 0));
  const budget = LIMITS.embedDescription - 200;
  // The quoted paragraph gets half the room, its neighbours a quarter each.
  const parts = around.map((p) => {
    const share = p.paragraph === paragraph ? budget / 2 : budget / 4;
    const label = p.paragraph === paragraph ? `**¶${p.paragraph} (quoted)**` : `**¶${p.paragraph}**`;
    return `${label}\n${renderExcerpt(p.text, Math.floor(share), { sentences: p.sentences })}`;
  });
  return {
    title: escapedLine(`Context of ¶${paragraph}: ${doc.meta.title}`, LIMITS.embedTitle),
    description: parts.join('\n\n') || 'That paragraph is no longer in the library.',
    color: COLORS.info,
    footer: { text: plain(ctx.cite(doc, paragraph), LIMITS.footerText) },
  };
}

/** The library's texts with metadata and paragraph counts, for /sources. */
export function renderSources(documents: readonly LibraryDocument[], ctx: RenderContext): APIEmbed {
  const describe = (doc: LibraryDocument): string => {
    const m = doc.meta;
    const lines = [
      `by ${escapeMarkdown(m.author)}${m.dateLine ? ` (${escapeMarkdown(m.dateLine)})` : ''}`,
      m.subtitle ? `*${escapeMarkdown(m.subtitle)}*` : '',
      [m.publication, m.issue, m.date, m.page].filter(Boolean).length
        ? escapeMarkdown([m.publication, m.issue, m.date, m.page].filter(Boolean).join(', '))
        : m.source
          ? escapeMarkdown(m.source)
          : '',
      `${ctx.paragraphCount(doc.id)} paragraphs · id \`${doc.id.replace(/`/g, '')}\``,
    ].filter(Boolean);
    return truncateWords(lines.join('\n'), LIMITS.fieldValue);
  };
  const title = `Texts in the library (${documents.length})`;
  if (documents.length <= LIMITS.fields) {
    return fitEmbeds([
      {
        title,
        description: 'Pick one with the `text:` option of /ask, /quote and /passage.',
        color: COLORS.info,
        fields: documents.map((doc) => ({ name: escapedLine(doc.meta.title, LIMITS.fieldName), value: describe(doc) })),
      },
    ])[0]!;
  }
  // Too many for fields: a compact list, cut whole lines at the limit.
  const lines: string[] = [];
  let length = 0;
  for (const [i, doc] of documents.entries()) {
    const line = `**${escapeMarkdown(doc.meta.title)}**, ${escapeMarkdown(doc.meta.author)}: ${ctx.paragraphCount(doc.id)} ¶`;
    const more = `\n${ELLIPSIS} and ${documents.length - i} more`;
    if (length + line.length + 1 + more.length > LIMITS.embedDescription) {
      lines.push(more.trim());
      break;
    }
    lines.push(line);
    length += line.length + 1;
  }
  return { title, description: lines.join('\n'), color: COLORS.info };
}

/** /help: what Lectern does and how to talk to it. */
export function renderHelp(options: { chatMode: boolean; askChannelIds: readonly string[] }): APIEmbed {
  const chat = options.chatMode
    ? [
        '**Chat:** mention me with a question, or send me a DM' +
          (options.askChannelIds.length ? `, or just ask in ${options.askChannelIds.map((id) => `<#${id}>`).join(', ')}` : '') +
          '. Reply to one of my answers to follow up ("why?", "who else?").',
      ]
    : [];
  return {
    title: 'Lectern: answers quoted from the text',
    description: [
      'I answer questions about the texts in this library by quoting them word for word, with the paragraph (¶) so you can find the place.',
      '',
      ...chat,
      '**/ask** `question` — an answer for everyone in the channel.',
      '**/quote** `query` `count` — the top passages, just for you (or `public: True`); **Post to channel** shares them.',
      '**/passage** `number` — read a paragraph; ◀ ▶ turn the page.',
      '**/sources** — the texts I can quote.',
      '',
      '**Buttons:** *More passages* shows the next results, *Context* the paragraphs around a quote, *Discuss* opens a thread on an answer.',
      'When the text does not seem to address a question I say so and show the closest passage, labelled as such.',
    ].join('\n'),
    color: COLORS.info,
  };
}

/** A short ephemeral-style notice as an embed. */
export function renderNotice(text: string, color: number = COLORS.info): APIEmbed {
  return { description: truncateWords(text, LIMITS.embedDescription), color };
}

/** A thread name from a question: ≤100 characters, cut at a word, never empty. */
export function threadName(question: string): string {
  const name = plain(question, LIMITS.threadName);
  return name || 'Discussion';
}

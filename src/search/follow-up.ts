/**
 * Conversations: a message either asks a new question or follows up the last
 * one ("why?", "who else?", "tell me more"). Follow-ups are answered from the
 * previous answer's place in the text, never by gluing the messages together:
 * a message with a content word of its own is always a new question.
 *
 * The state of a conversation is small and serialisable ({@link Conversation});
 * {@link ConversationStore} keeps one per key (the terminal uses one key, the
 * Discord bot one per channel and user), bounded in number and in time.
 */
import { contentTerms } from '../index/lexical.js';
import type { Answer, FollowUp, Passage, Quote, RankedPassage } from '../types.js';
import { decideAnswerable, gatherEvidence } from './abstain.js';
import { answerQuestion, cleanQuestion, truncateQuestion, type AnswerWithEvidence, type AskOptions } from './ask.js';
import { followUpCue, isSmallTalk, statesReason, type FollowUpCue } from './intent.js';
import { cutToLength, DEFAULT_QUOTE_OPTIONS, scoreSentences, selectQuote } from './quote.js';
import { dot, searchPassages, type SearchIndex } from './search.js';
import { RELATED_SHARE } from './ask.js';

/** Options of follow-ups, with every default and its reason. */
export interface FollowUpOptions {
  /**
   * Paragraphs on each side of the last quote searched for a reason ("why?").
   * 4: on the bundled article the reason for an act is stated up to four
   * paragraphs after it (the communiqué in ¶2, the scapegoat in ¶6).
   */
  whyWindow: number;
  /**
   * Weight of a sentence's closeness in meaning to what is being explained: the mean of its
   * similarity to the question and to the sentences of the last quote ("why?" asks why the answer
   * holds, e.g. why Yagoda was accused, not why a communiqué is signed).
   */
  whyDenseWeight: number;
  /**
   * Weight of the content words a sentence shares with the question and the last quote, counted up
   * to four (a sentence naming the quote's subject and act, "accused"… "Yagoda", is about it).
   */
  whyLexicalWeight: number;
  /** Bonus of a sentence that states a reason (because, since, therefore, in order to…). */
  whyCauseBonus: number;
  /** Penalty per paragraph of distance from the last quote, so the nearest reason wins a tie. */
  whyDistancePenalty: number;
  /** Penalty of a sentence already quoted: 1 puts it below any other, since "why?" should add something, not repeat the answer. */
  whyShownPenalty: number;
  /**
   * Bonus of the sentence right after the last quote: a claim is often explained by the next
   * sentence without a cue word ("… are also condemned. […] Their existence has become incompatible
   * with that of the regime."): as strong a sign as a cue word. A question ("What functions?") never
   * explains, so it gets no bonus.
   */
  whyNextSentenceBonus: number;
  /** The topic's best passages searched for a reason besides the neighbours of the last quote. */
  whyTopPassages: number;
  /**
   * "more" stops when the next unquoted passage scores below this share of the question's best
   * passage. On the bundled article a passage sharing one of a question's two content words scores
   * 0.45–0.5 of the best (¶9 for "Who is Romain Rolland?": 0.47) and one sharing none at most 0.15;
   * 0.4 keeps the first and drops the second. The same cut as "See also" (RELATED_SHARE in ask.ts).
   */
  relatedShare: number;
  /** Longest context shown for "tell me more", in characters: a long paragraph is shown around the last quote. */
  contextLength: number;
}

export const DEFAULT_FOLLOW_UP_OPTIONS: FollowUpOptions = {
  whyWindow: 4,
  whyDenseWeight: 1,
  whyLexicalWeight: 0.3,
  whyCauseBonus: 0.3,
  whyDistancePenalty: 0.03,
  whyShownPenalty: 1,
  whyNextSentenceBonus: 0.3,
  whyTopPassages: 3,
  relatedShare: RELATED_SHARE,
  contextLength: 1200,
};

/** What a conversation remembers between messages. Plain data, so a store may keep it anywhere. */
export interface Conversation {
  /** The last new question: what follow-ups are about. */
  topic: string;
  /** Whether the text addressed the topic; follow-ups of an unanswered question have nothing to follow. */
  answered: boolean;
  /** The document the conversation is limited to, if any. */
  docId?: string;
  /**
   * Ids of passages already quoted, oldest first, so "more" moves on. Only quotes count: a
   * "See also" line is a teaser of 200 characters, and "more" is how a reader asks to read it.
   */
  shown: string[];
  /** The last quote's place, for "why?" and "tell me more". */
  last?: { passageId: string; start: number; end: number };
}

/** How a message relates to a conversation. */
export type MessageKind = 'new' | FollowUpCue;

/**
 * Classifies a message against the conversation before it: a follow-up cue
 * ("why?", "who else?", "tell me more") whose remaining words are all in the
 * topic follows up; anything else, including a cue followed by new content
 * words ("Why was Yagoda arrested?"), is a new question.
 *
 * @example
 * classifyMessage('why?', { topic: 'Who signed the communiqué?', … }) // 'why'
 * classifyMessage('How do I bake bread?', { topic: 'Who transcribed it?', … }) // 'new'
 */
export function classifyMessage(message: string, conversation: Conversation | undefined): MessageKind {
  if (!conversation) return 'new';
  const cue = followUpCue(message);
  if (!cue) return 'new';
  const topicTerms = new Set(contentTerms(conversation.topic));
  const fresh = contentTerms(cue.rest).filter((t) => !topicTerms.has(t) && !FOLLOW_UP_FILLER.has(t));
  return fresh.length ? 'new' : cue.cue;
}

/** Words that can trail a follow-up cue without asking anything new ("why is that so?", "tell me more please"). */
const FOLLOW_UP_FILLER = new Set(
  contentTerms(
    'please again then exactly really precisely happen happened passage passages about thing things one ones',
  ),
);

/** The result of one message in a conversation. */
export interface ConversationTurn extends AnswerWithEvidence {
  kind: MessageKind;
  /** The conversation after this message. */
  conversation: Conversation | undefined;
}

/** Options of one message in a conversation. */
export type ConverseOptions = Omit<AskOptions, 'followUpOf'> & { followUp?: Partial<FollowUpOptions> };

/**
 * Answers one message of a conversation: a new question is searched alone; a
 * follow-up is answered from the conversation's last answer.
 *
 * @example
 * let c = (await converse(index, embed, 'Who signed the communiqué?', undefined)).conversation;
 * const turn = await converse(index, embed, 'why?', c); // turn.answer.followUp → { kind: 'why', of: 'Who signed the communiqué?' }
 */
export async function converse(
  index: SearchIndex,
  embedQuery: (text: string) => Promise<Float32Array>,
  message: string,
  conversation: Conversation | undefined,
  options: ConverseOptions = {},
): Promise<ConversationTurn> {
  const opts = { ...DEFAULT_FOLLOW_UP_OPTIONS, ...options.followUp };
  const kind = classifyMessage(cleanQuestion(message), conversation);
  if (kind === 'new' || !conversation) {
    const result = await answerQuestion(index, embedQuery, message, options);
    // Greetings and help leave the conversation as it was, so "hi" does not end it.
    const next =
      result.answer.status === 'help'
        ? conversation
        : conversationAfter(result.answer, {
            topic: result.answer.question,
            answered: result.answer.answered,
            ...(options.docId ? { docId: options.docId } : {}),
            shown: [],
          });
    return { ...result, kind: 'new', conversation: next };
  }
  const question = truncateQuestion(cleanQuestion(message)).text;
  const followUp: FollowUp = { kind, of: conversation.topic };
  if (!conversation.answered) {
    const answer: Answer = {
      question,
      answered: false,
      status: 'abstained',
      message: `The text did not seem to address “${conversation.topic}”, so there is nothing to follow up. Ask another question.`,
      passages: [],
      followUp,
    };
    return { answer, kind, conversation, searched: conversation.topic };
  }
  const answer =
    kind === 'why'
      ? await answerWhy(index, embedQuery, question, conversation, opts)
      : kind === 'more'
        ? await answerMore(index, embedQuery, question, conversation, opts, options)
        : answerContext(index, question, conversation, opts);
  answer.followUp = followUp;
  return { answer, kind, conversation: conversationAfter(answer, conversation), searched: conversation.topic };
}

/** Records what an answer showed. */
function conversationAfter(answer: Answer, conversation: Conversation): Conversation {
  const shown = [...conversation.shown];
  if (answer.quote && !shown.includes(answer.quote.passageId)) shown.push(answer.quote.passageId);
  const last = answer.quote
    ? { passageId: answer.quote.passageId, start: answer.quote.start, end: answer.quote.end }
    : conversation.last;
  return { ...conversation, shown, ...(last ? { last } : {}) };
}

/** The passage of the last quote, or the first passage shown. */
function lastPassage(index: SearchIndex, conversation: Conversation): Passage | undefined {
  const id = conversation.last?.passageId ?? conversation.shown[0];
  return id ? index.library.getPassageById(id) : undefined;
}

/**
 * "why?": the sentence that best gives the reason, among the last quote's
 * paragraph, its neighbours and the topic's best passages: close in meaning
 * to the topic, using its words, stating a cause, near the last quote and not
 * already quoted.
 */
async function answerWhy(
  index: SearchIndex,
  embedQuery: (text: string) => Promise<Float32Array>,
  question: string,
  conversation: Conversation,
  opts: FollowUpOptions,
): Promise<Answer> {
  const anchor = lastPassage(index, conversation);
  const vector = await embedQuery(conversation.topic);
  const candidates = new Map<string, Passage>();
  if (anchor) {
    for (let p = anchor.paragraph - opts.whyWindow; p <= anchor.paragraph + opts.whyWindow; p++) {
      const passage = index.library.getPassage(anchor.docId, p);
      if (passage) candidates.set(passage.id, passage);
    }
  }
  const search = searchPassages(index, vector, conversation.topic, { docId: conversation.docId });
  for (const r of search.ranked.slice(0, opts.whyTopPassages)) candidates.set(r.passage.id, r.passage);

  const lastText =
    anchor && conversation.last?.passageId === anchor.id
      ? anchor.text.slice(conversation.last.start, conversation.last.end)
      : '';
  const topicTerms = [...new Set([...contentTerms(conversation.topic), ...contentTerms(lastText)])];
  const answerVectors = anchor && conversation.last ? sentenceVectors(index, anchor, conversation.last) : [];
  const closeness = (point: number[]): number => {
    const toTopic = dot(point, vector);
    if (!answerVectors.length) return toTopic;
    const toAnswer = answerVectors.reduce((sum, v) => sum + dot(point, v), 0) / answerVectors.length;
    return (toTopic + toAnswer) / 2;
  };
  const scored: { passage: Passage; scores: number[]; best: number; reason: boolean }[] = [];
  for (const passage of candidates.values()) {
    const units = index.unitsByPassage.get(passage.id) ?? [];
    const distance =
      anchor && anchor.docId === passage.docId ? Math.abs(anchor.paragraph - passage.paragraph) : opts.whyWindow;
    const last = conversation.last?.passageId === passage.id ? conversation.last : undefined;
    const reasons: boolean[] = [];
    const scores = passage.sentences.map((span) => {
      const text = passage.text.slice(span.start, span.end);
      const unit =
        units.find((u) => u.kind === 'sentence' && u.start === span.start) ?? units.find((u) => u.kind === 'passage');
      const dense = unit ? closeness(index.dense.getPoint(unit.label)) : 0;
      const terms = new Set(contentTerms(text));
      const overlap = topicTerms.length
        ? Math.min(4, topicTerms.filter((t) => terms.has(t)).length) / Math.min(4, topicTerms.length)
        : 0;
      const causal = statesReason(text);
      const shown = last !== undefined && span.start >= last.start && span.end <= last.end;
      // The sentence that starts where the last quote ended (after white space).
      const next =
        last !== undefined &&
        span.start >= last.end &&
        !/\S/.test(passage.text.slice(last.end, span.start)) &&
        !/\?[”’"']?\s*$/.test(text);
      reasons.push(causal || next);
      return (
        opts.whyDenseWeight * dense +
        opts.whyLexicalWeight * overlap +
        (causal ? opts.whyCauseBonus : 0) +
        (next ? opts.whyNextSentenceBonus : 0) -
        opts.whyDistancePenalty * distance -
        (shown ? opts.whyShownPenalty : 0)
      );
    });
    const best = Math.max(...scores);
    scored.push({ passage, scores, best, reason: reasons[scores.indexOf(best)] ?? false });
  }
  scored.sort((a, b) => b.best - a.best || a.passage.paragraph - b.passage.paragraph);
  const top = scored[0];
  if (!top)
    return {
      question,
      answered: false,
      status: 'abstained',
      message: 'There is no earlier answer to explain.',
      passages: [],
    };
  const quote = selectQuote(top.passage, top.scores);
  const passages = scored.map((s) => ranked(s.passage, Math.max(0, Math.min(1, s.best))));
  return top.reason
    ? { question, answered: true, status: 'answered', quote, passages }
    : {
        question,
        answered: false,
        status: 'abstained',
        message:
          'The text does not seem to give a reason near that answer. The closest passage is shown, in case it helps.',
        quote,
        passages,
      };
}

/** The index vectors of the sentences of `passage` inside `span`. */
function sentenceVectors(index: SearchIndex, passage: Passage, span: { start: number; end: number }): number[][] {
  const units = index.unitsByPassage.get(passage.id) ?? [];
  const inside = units.filter((u) => u.kind === 'sentence' && u.start >= span.start && u.end <= span.end);
  const chosen = inside.length ? inside : units.filter((u) => u.kind === 'passage');
  return chosen.map((u) => index.dense.getPoint(u.label));
}

/** "who else?", "more": the topic's next passages that have not been shown, while they stay related. */
async function answerMore(
  index: SearchIndex,
  embedQuery: (text: string) => Promise<Float32Array>,
  question: string,
  conversation: Conversation,
  opts: FollowUpOptions,
  options: ConverseOptions,
): Promise<Answer> {
  const vector = await embedQuery(conversation.topic);
  const search = searchPassages(index, vector, conversation.topic, {
    ...options.search,
    docId: conversation.docId ?? options.docId,
  });
  const best = search.ranked[0]?.score ?? 0;
  const shown = new Set(conversation.shown);
  const unseen = search.ranked.filter((r) => !shown.has(r.passage.id));
  const related = unseen.filter((r) => r.score >= opts.relatedShare * best);
  const limit = Math.max(1, options.limit ?? 5);
  const offset = Math.max(0, options.offset ?? 0);
  const top = related[offset];
  if (!top) {
    return {
      question,
      answered: false,
      status: 'abstained',
      message: `No other passage seems to address “${conversation.topic}”. The closest one not yet shown is below.`,
      passages: unseen.slice(offset, offset + 1).map(clamp),
      ...(unseen[offset] ? { quote: quoteOf(index, search.unitScores, unseen[offset]!.passage, vector) } : {}),
    };
  }
  const answered = decideAnswerable(await gatherEvidence(conversation.topic, search.topDense, index.lexical));
  return {
    question,
    answered,
    status: answered ? 'answered' : 'abstained',
    ...(answered
      ? {}
      : {
          message: 'The text does not seem to address this question. The closest passage is shown, in case it helps.',
        }),
    quote: quoteOf(index, search.unitScores, top.passage, vector),
    passages: related.slice(offset, offset + limit).map(clamp),
  };
}

/**
 * "tell me more": the paragraph around the last quote, with the quote in bold;
 * when the whole paragraph was already quoted, the next one (reading on).
 */
function answerContext(
  index: SearchIndex,
  question: string,
  conversation: Conversation,
  opts: FollowUpOptions,
): Answer {
  const passage = lastPassage(index, conversation);
  if (!passage)
    return {
      question,
      answered: false,
      status: 'abstained',
      message: 'There is no earlier quote to show more of.',
      passages: [],
    };
  const last = conversation.last?.passageId === passage.id ? conversation.last : { start: 0, end: passage.text.length };
  const wholeShown = last.start <= 0 && last.end >= passage.text.trimEnd().length;
  if (!wholeShown) {
    const span = around(passage, last, opts.contextLength);
    const quote: Quote = {
      passageId: passage.id,
      text: passage.text.slice(span.start, span.end),
      start: span.start,
      end: span.end,
      highlight: { start: last.start - span.start, end: last.end - span.start },
    };
    return { question, answered: true, status: 'answered', quote, passages: [ranked(passage, 0)] };
  }
  const next = index.library.getPassage(passage.docId, passage.paragraph + 1);
  if (!next)
    return {
      question,
      answered: false,
      status: 'abstained',
      message: `That was the end of the text: ${passage.paragraph > 0 ? `¶${passage.paragraph}` : 'the header'} is its last paragraph.`,
      passages: [ranked(passage, 0)],
    };
  const span = cutToLength(next.text, { start: 0, end: next.text.length }, opts.contextLength);
  const first = next.sentences[0] ?? { start: 0, end: span.end };
  const quote: Quote = {
    passageId: next.id,
    text: next.text.slice(span.start, span.end),
    start: span.start,
    end: span.end,
    highlight: { start: 0, end: Math.min(first.end, span.end) },
  };
  return { question, answered: true, status: 'answered', quote, passages: [ranked(next, 0)] };
}

/** Whole sentences around `span`, growing on both sides while they fit in `max` characters. */
function around(passage: Passage, span: { start: number; end: number }, max: number): { start: number; end: number } {
  const sentences = passage.sentences.length ? passage.sentences : [{ start: 0, end: passage.text.length }];
  let from = sentences.findIndex((s) => s.end > span.start);
  let to = sentences.length - 1 - [...sentences].reverse().findIndex((s) => s.start < span.end);
  if (from < 0) from = 0;
  if (to < from) to = from;
  const length = (f: number, t: number) => sentences[t]!.end - sentences[f]!.start;
  let grew = true;
  while (grew) {
    grew = false;
    if (to + 1 < sentences.length && length(from, to + 1) <= max) {
      to++;
      grew = true;
    }
    if (from > 0 && length(from - 1, to) <= max) {
      from--;
      grew = true;
    }
  }
  return { start: Math.min(sentences[from]!.start, span.start), end: Math.max(sentences[to]!.end, span.end) };
}

function quoteOf(
  index: SearchIndex,
  unitScores: ReturnType<typeof searchPassages>['unitScores'],
  passage: Passage,
  vector: Float32Array,
): Quote {
  return selectQuote(
    passage,
    scoreSentences(index, passage, unitScores.get(passage.id) ?? [], vector, DEFAULT_QUOTE_OPTIONS.denseWeight),
  );
}

/** A passage in a follow-up's answer. Context answers pass 0: they are chosen by place in the text, not by a score. */
function ranked(passage: Passage, score: number): RankedPassage {
  return { passage, score, dense: 0, lexical: 0 };
}

function clamp(r: RankedPassage): RankedPassage {
  return { ...r, score: Math.max(0, Math.min(1, r.score)) };
}

/**
 * The `followUpOf` path of {@link AskOptions}, for callers that know the
 * previous question but keep no conversation (a Discord reply to an earlier
 * answer): the previous question is answered again to find its place, then
 * the message is classified and answered as in {@link converse}.
 */
export async function answerMessage(
  index: SearchIndex,
  embedQuery: (text: string) => Promise<Float32Array>,
  message: string,
  options: AskOptions = {},
): Promise<AnswerWithEvidence> {
  const { followUpOf, ...rest } = options;
  const previous = followUpOf ? cleanQuestion(followUpOf) : '';
  if (!previous || isSmallTalk(previous)) return answerQuestion(index, embedQuery, message, rest);
  const probe: Conversation = { topic: previous, answered: true, shown: [] };
  if (classifyMessage(cleanQuestion(message), probe) === 'new') return answerQuestion(index, embedQuery, message, rest);
  const first = await converse(index, embedQuery, previous, undefined, { docId: rest.docId });
  const turn = await converse(index, embedQuery, message, first.conversation, rest);
  return {
    answer: turn.answer,
    ...(turn.evidence ? { evidence: turn.evidence } : {}),
    ...(turn.searched ? { searched: turn.searched } : {}),
  };
}

/** Options of {@link ConversationStore}, with every default and its reason. */
export interface ConversationStoreOptions {
  /**
   * Conversations kept; the least recently used is forgotten first. 10,000:
   * a conversation is a few hundred bytes, so the store stays under a few MB
   * for a bot in many busy servers.
   */
  maxConversations: number;
  /** A conversation idle this long is forgotten: 30 minutes, after which "why?" would be about a question the reader has moved on from. */
  ttlMs: number;
  /** Clock, for tests. */
  now: () => number;
}

export const DEFAULT_CONVERSATION_STORE_OPTIONS: ConversationStoreOptions = {
  maxConversations: 10_000,
  ttlMs: 30 * 60_000,
  now: () => Date.now(),
};

/**
 * Conversations by key ("terminal", or a Discord channel and user), bounded
 * in number (least recently used first out) and in time (idle ones expire).
 *
 * @example
 * const store = new ConversationStore();
 * store.set('terminal', turn.conversation);
 * store.get('terminal');
 */
export class ConversationStore {
  readonly options: ConversationStoreOptions;
  private readonly entries = new Map<string, { conversation: Conversation; at: number }>();

  constructor(options: Partial<ConversationStoreOptions> = {}) {
    this.options = { ...DEFAULT_CONVERSATION_STORE_OPTIONS, ...options };
  }

  get size(): number {
    return this.entries.size;
  }

  /** The conversation under `key`, unless it has expired. Reading it marks it as recently used. */
  get(key: string): Conversation | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (this.options.now() - entry.at > this.options.ttlMs) return undefined;
    this.entries.set(key, entry);
    return entry.conversation;
  }

  /** Stores (or, with undefined, forgets) the conversation under `key`. */
  set(key: string, conversation: Conversation | undefined): void {
    this.entries.delete(key);
    if (!conversation) return;
    const now = this.options.now();
    // Oldest first: idle conversations are dropped as new ones arrive, not only when read.
    for (const [oldKey, entry] of this.entries) {
      if (now - entry.at <= this.options.ttlMs) break;
      this.entries.delete(oldKey);
    }
    this.entries.set(key, { conversation, at: now });
    while (this.entries.size > this.options.maxConversations) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}

/**
 * What a conversation remembers between messages, the options of follow-ups,
 * and {@link ConversationStore}: the one store of conversation state, keyed by
 * the answer each state follows, with the last answer of each key (the
 * terminal uses one key, the Discord bot one per channel and user) as a
 * pointer into it. Bounded in number and in time. Data and no search, so any
 * stage can hold it.
 *
 * Why ~320 lines: the one conversation store (issue 18), its bounds and their
 * measured sizes, and the options of follow-ups, which it carries.
 */
import { randomUUID } from 'node:crypto';
import type { ReadingLimit } from '../types.js';
import { RELATED_SHARE, type AskOptions } from './ask.js';
import type { SearchResult } from './search.js';

/**
 * What follow-ups read of a topic's search, and all that is kept of it: the ranking, the best
 * dense similarity (the decision reads it) and the sentence scores (the quote reads them).
 */
export type KeptSearch = Pick<SearchResult, 'ranked' | 'topDense' | 'sentenceScores'>;

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

/**
 * What a conversation remembers after one answer. Plain data (the vector is a
 * typed array), so a store may keep it anywhere. Each answer that can be
 * followed up leaves one, under the answer's id ({@link Answer.id}); the state
 * of an answer is never changed afterwards, so a reply to an older answer
 * continues from that answer, whatever came after it.
 */
export interface Conversation {
  /** The id of the answer this state follows ({@link Answer.id}); absent for a state made by hand. */
  id?: string;
  /** The last new question: what follow-ups are about. */
  topic: string;
  /** The id of the answer to the topic (the first answer of this conversation): its follow-ups share its searches. */
  topicId?: string;
  /**
   * The topic's query vector, as the topic's answer embedded it: "why?" and "more" search with it
   * instead of embedding the topic again. Absent when the topic was never embedded (a state made by hand).
   */
  vector?: Float32Array;
  /**
   * Under what the topic was answered ({@link askedKey}), when a reply to it may reuse this state:
   * a question asked with a chapter, ranking overrides or filters is asked again instead.
   */
  askedUnder?: string;
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

/** Names what a topic was answered under: the document and the reading limit (the week included: it moves the ranking). */
export function askedKey(docId: string | undefined, until: ReadingLimit | undefined): string {
  return JSON.stringify([docId ?? null, until?.docId ?? null, until?.through ?? null, until?.week ?? null]);
}

/**
 * What answering a message reads and writes besides the conversation it continues
 * ({@link ConversationStore} is one): the follow-up searches of a topic, kept so that
 * "why?" then "more" search once, and the answers to topics, for replies (`followUpOf`).
 */
export interface ConversationMemory {
  /** A follow-up search kept under `key` (topic, index, document, limit, ranking). */
  ranking(key: string): KeptSearch | undefined;
  keepRanking(key: string, result: KeptSearch): void;
  /** The state right after the answer to `topic`, asked under `asked` ({@link askedKey}), if still kept. */
  topicAnswer(topic: string, asked: string): Conversation | undefined;
  /** Keeps the state of an answer under its id (and, for a topic's answer, under its topic). */
  remember(conversation: Conversation): void;
}

/** Options of {@link ConversationStore}, with every default and its reason. */
export interface ConversationStoreOptions {
  /**
   * Conversations kept (one per key: "terminal", a Discord channel and user); the least
   * recently used is forgotten first. 10,000: a conversation is a few hundred bytes, so the
   * store stays under a few MB for a bot in many busy servers.
   */
  maxConversations: number;
  /**
   * Answers whose state is kept, for replies to older answers: 2 per conversation. A new
   * question's state holds its vector (1.5 KB for 384 dimensions; follow-ups share it): 2.7 KB
   * a conversation measured on Moby-Dick (heap after GC; 2.4 KB before the vector was kept), so
   * at most about 55 MB at the bound, and far less in practice, as idle ones expire.
   */
  maxAnswers: number;
  /**
   * Follow-up searches kept (the first follow-up of a topic searches; the next ones reuse it).
   * A kept search holds every unit score it retrieved (up to 64 dense and 128 lexical units):
   * 43 KB each on Moby-Dick (66 questions followed by "why?", heap after GC; the state alone is
   * under 3 KB), so 500 is about 22 MB. Past the bound a follow-up searches again with the stored
   * vector: no embedding, one search.
   */
  maxRankings: number;
  /** A conversation idle this long is forgotten: 30 minutes, after which "why?" would be about a question the reader has moved on from. */
  ttlMs: number;
  /** Clock, for tests. */
  now: () => number;
}

export const DEFAULT_CONVERSATION_STORE_OPTIONS: ConversationStoreOptions = {
  maxConversations: 10_000,
  maxAnswers: 20_000,
  maxRankings: 500,
  ttlMs: 30 * 60_000,
  now: () => Date.now(),
};

/** A map bounded in number (least recently used first out) and in time (idle entries expire). */
class BoundedMap<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();

  constructor(
    private readonly max: number,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The value under `key`, unless it has expired. Reading it marks it as recently used. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    const now = this.now();
    if (now - entry.at > this.ttlMs) return undefined;
    entry.at = now;
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    const now = this.now();
    // Oldest first: idle entries are dropped as new ones arrive, not only when read.
    for (const [oldKey, entry] of this.entries) {
      if (now - entry.at <= this.ttlMs) break;
      this.entries.delete(oldKey);
    }
    this.entries.set(key, { value, at: now });
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * The one store of conversation state: each answer's state under the answer's
 * id, "the last answer" of each key ("terminal", or a Discord channel and
 * user) as a pointer into it, the answers to topics for replies to them
 * (`followUpOf`), and the follow-up searches of each topic. Bounded in number
 * (least recently used first out) and in time (idle ones expire); what it has
 * forgotten (a restart, an eviction) is asked again from the question's text.
 *
 * @example
 * const store = new ConversationStore();
 * store.set('terminal', turn.conversation);
 * store.get('terminal');
 */
export class ConversationStore implements ConversationMemory {
  readonly options: ConversationStoreOptions;
  private readonly answers: BoundedMap<Conversation>;
  private readonly latest: BoundedMap<string>;
  private readonly topics: BoundedMap<string>;
  private readonly rankings: BoundedMap<KeptSearch>;

  constructor(options: Partial<ConversationStoreOptions> = {}) {
    this.options = { ...DEFAULT_CONVERSATION_STORE_OPTIONS, ...options };
    const { maxConversations, maxAnswers, maxRankings, ttlMs, now } = this.options;
    this.answers = new BoundedMap(maxAnswers, ttlMs, now);
    this.latest = new BoundedMap(maxConversations, ttlMs, now);
    this.topics = new BoundedMap(maxAnswers, ttlMs, now);
    this.rankings = new BoundedMap(maxRankings, ttlMs, now);
  }

  /** Conversations (keys) kept. */
  get size(): number {
    return this.latest.size;
  }

  /** The state of the last answer of the conversation under `key`, unless it has expired. */
  get(key: string): Conversation | undefined {
    const id = this.latest.get(key);
    return id === undefined ? undefined : this.answers.get(id);
  }

  /** Makes `conversation` the last answer under `key` (or, with undefined, forgets the key). */
  set(key: string, conversation: Conversation | undefined): void {
    if (!conversation) {
      this.latest.delete(key);
      return;
    }
    const id = conversation.id ?? `${key}\u0000${newAnswerId()}`;
    this.answers.set(id, conversation);
    if (conversation.id !== undefined && conversation.id === conversation.topicId) this.rememberTopic(conversation);
    this.latest.set(key, id);
  }

  delete(key: string): void {
    this.latest.delete(key);
  }

  /** The state an answer left, by the answer's id ({@link Answer.id}). */
  answer(id: string): Conversation | undefined {
    return this.answers.get(id);
  }

  remember(conversation: Conversation): void {
    if (conversation.id === undefined) return;
    this.answers.set(conversation.id, conversation);
    if (conversation.id === conversation.topicId) this.rememberTopic(conversation);
  }

  topicAnswer(topic: string, asked: string): Conversation | undefined {
    const id = this.topics.get(topicKey(topic, asked));
    return id === undefined ? undefined : this.answers.get(id);
  }

  ranking(key: string): KeptSearch | undefined {
    return this.rankings.get(key);
  }

  keepRanking(key: string, result: KeptSearch): void {
    this.rankings.set(key, result);
  }

  /** Forgets everything, as a restart does. */
  clear(): void {
    for (const map of [this.answers, this.latest, this.topics, this.rankings]) map.clear();
  }

  private rememberTopic(conversation: Conversation): void {
    if (conversation.askedUnder !== undefined && conversation.id !== undefined)
      this.topics.set(topicKey(conversation.topic, conversation.askedUnder), conversation.id);
  }
}

/** Topics are matched with white space folded: a reply's `followUpOf` is read back from a message. */
function topicKey(topic: string, asked: string): string {
  return `${topic.replace(/\s+/g, ' ').trim()}\u0000${asked}`;
}

/** A new answer id: unique within the process, which is as long as the store keeps anything. */
export function newAnswerId(): string {
  return randomUUID();
}

/** Options of one message in a conversation. */
export type ConverseOptions = Omit<AskOptions, 'followUpOf'> & { followUp?: Partial<FollowUpOptions> };

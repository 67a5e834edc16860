/**
 * What a conversation remembers between messages, the options of follow-ups,
 * and {@link ConversationStore}, which keeps one conversation per key (the
 * terminal uses one key, the Discord bot one per channel and user), bounded in
 * number and in time. Plain data and no search, so any stage can hold it.
 */
import { RELATED_SHARE, type AskOptions } from './ask.js';

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

/** Options of one message in a conversation. */
export type ConverseOptions = Omit<AskOptions, 'followUpOf'> & { followUp?: Partial<FollowUpOptions> };

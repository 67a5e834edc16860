/**
 * The three kinds of follow-up answer: "why?" (the reason near the last
 * answer), "who else?" / "more" (the topic's next related passages not yet
 * shown) and "tell me more" (the context around the last quote). Each is
 * answered from the previous answer's place in the text and from the topic's
 * stored search ({@link TopicSearch}): its vector and its ranking are reused,
 * never recomputed per follow-up.
 *
 * Why one file of ~390 lines: the three kinds share the topic's stored search
 * and the limit clamping; split apart, each would import the other two's
 * helpers back.
 */
import { limitLabel } from '../corpus/reading-limit.js';
import { contentTerms } from '../text/analyser.js';
import type { Answer, Passage, Quote, RankedPassage } from '../types.js';
import { statesReason } from './analyse/intent.js';
import type { RankingOverrides } from './config.js';
import { gatherEvidence } from './decide/evidence.js';
import { decideAnswerable } from './decide/rules.js';
import type { Conversation, ConversationMemory, ConverseOptions, FollowUpOptions, KeptSearch } from './conversation.js';
import { cutToLength, selectQuote } from './quote/select.js';
import type { Reader } from './ask.js';
import { readingFilter, type PassageFilter } from './retrieve/filter.js';
import { dot, searchPassages, withinScope, type SearchIndex } from './search.js';

/**
 * The conversation as a reader at `reader`'s limit may follow it up: the last quote and the
 * passages shown that are past the limit are forgotten (another member may have asked the
 * question, or this one may have moved their bookmark back).
 */
export function clampConversation(index: SearchIndex, conversation: Conversation, reader?: Reader): Conversation {
  if (!reader) return conversation;
  const readable = (id: string) => {
    const passage = index.library.getPassageById(id);
    return passage !== undefined && reader.scope.allows(passage);
  };
  const { last, ...rest } = conversation;
  return {
    ...rest,
    docId: reader.doc.id,
    shown: conversation.shown.filter(readable),
    ...(last && readable(last.passageId) ? { last } : {}),
  };
}

/** The index and the filters a follow-up searches with: the conversation's text, within the reader's limit. */
function searchScope(
  index: SearchIndex,
  docId: string | undefined,
  reader: Reader | undefined,
): { seen: SearchIndex; filters: PassageFilter[] } {
  return {
    seen: reader ? withinScope(index, reader.scope) : index,
    filters: [...(docId ? [{ docId }] : []), ...(reader ? [readingFilter(reader.scope)] : [])],
  };
}

/**
 * The topic of a conversation as follow-ups search it: its vector, and its
 * ranking by the follow-up rankers within a document and a reader's limit.
 *
 * Measured (issue 18; embedder and retriever calls counted, 23 article and 30 Moby-Dick topics,
 * answers identical before and after; embeddings · searches, p50 ms article / Moby-Dick):
 * - Lectern.converse "why?": 1 · 1, 4.0 / 11.1 → 0 · 1, 1.3 / 9.1; "more" after it: 1 · 1,
 *   3.0 / 11.3 → 0 · 0, 0.1 / 0.3; "tell me more": 0 · 0 before and after.
 * - A reply (`followUpOf`) "why?": 2 · 2, 7.3 / 22.2 → 0 · 1, 1.4 / 7.1 while the topic's answer
 *   is kept, 1 · 2, 7.0 / 23.9 → 5.4 / 18.5 after a restart; "tell me more": 1 · 1 → 0 · 0.
 * A first follow-up still searches once: its ranking (place rerankers only, no seeds) is not the
 * answer's.
 */
export class TopicSearch {
  private pending?: Promise<Float32Array>;
  /** The vector this topic search had to embed, if any: the next state keeps it. */
  embedded?: Float32Array;

  constructor(
    private readonly index: SearchIndex,
    private readonly embedQuery: (text: string) => Promise<Float32Array>,
    private readonly conversation: Conversation,
    private readonly memory?: Pick<ConversationMemory, 'ranking' | 'keepRanking'>,
  ) {}

  /** The topic's vector: the one its answer embedded when the conversation kept it, else embedded once. */
  vector(): Promise<Float32Array> {
    if (this.conversation.vector) return Promise.resolve(this.conversation.vector);
    this.pending ??= this.embedQuery(this.conversation.topic).then((v) => (this.embedded = v));
    return this.pending;
  }

  /**
   * The topic ranked within `docId` and the reader's limit: searched once per topic, index, scope and
   * ranking, then kept in memory, so "why?" then "more" (or two replies to one answer) search once.
   */
  async search(
    docId: string | undefined,
    reader: Reader | undefined,
    ranking?: RankingOverrides,
  ): Promise<{ seen: SearchIndex; result: KeptSearch }> {
    const { seen, filters } = searchScope(this.index, docId, reader);
    const { topicId, topic } = this.conversation;
    const key =
      topicId === undefined
        ? undefined
        : JSON.stringify([topicId, indexKey(this.index), docId ?? null, reader?.scope.key ?? null, ranking ?? null]);
    const kept = key === undefined ? undefined : this.memory?.ranking(key);
    if (kept) return { seen, result: kept };
    const { ranked, topDense, sentenceScores } = searchPassages(seen, await this.vector(), topic, { ranking, filters });
    const result: KeptSearch = { ranked, topDense, sentenceScores };
    if (key !== undefined) this.memory?.keepRanking(key, result);
    return { seen, result };
  }
}

/** A name for each index served, so a search kept from a build that was swapped out is never reused. */
const indexKeys = new WeakMap<SearchIndex, number>();
let indexCount = 0;
function indexKey(index: SearchIndex): number {
  let key = indexKeys.get(index);
  if (key === undefined) indexKeys.set(index, (key = ++indexCount));
  return key;
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
export async function answerWhy(
  index: SearchIndex,
  topic: TopicSearch,
  question: string,
  conversation: Conversation,
  opts: FollowUpOptions,
  reader?: Reader,
): Promise<Answer> {
  const anchor = lastPassage(index, conversation);
  const vector = await topic.vector();
  const candidates = new Map<string, Passage>();
  if (anchor) {
    for (let p = anchor.paragraph - opts.whyWindow; p <= anchor.paragraph + opts.whyWindow; p++) {
      const passage = index.library.getPassage(anchor.docId, p);
      if (passage && (!reader || reader.scope.allows(passage))) candidates.set(passage.id, passage);
    }
  }
  const { result: search } = await topic.search(conversation.docId, reader);
  for (const r of search.ranked.slice(0, opts.whyTopPassages)) candidates.set(r.passage.id, r.passage);

  const lastText =
    anchor && conversation.last?.passageId === anchor.id
      ? anchor.text.slice(conversation.last.start, conversation.last.end)
      : '';
  const topicTerms = [...new Set([...contentTerms(conversation.topic), ...contentTerms(lastText)])];
  const answerVectors = anchor && conversation.last ? sentenceVectors(index, anchor, conversation.last) : [];
  const closeness = (point: ArrayLike<number>): number => {
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
    const sentenceUnits = passage.sentences.map(
      (span) =>
        units.find((u) => u.kind === 'sentence' && u.start === span.start) ?? units.find((u) => u.kind === 'passage'),
    );
    // One read of the index file for the passage's vectors, not one per sentence.
    const labels = sentenceUnits.filter((u) => u !== undefined).map((u) => u.label);
    const vectors = new Map(index.vectors(labels).map((v, i) => [labels[i]!, v]));
    const scores = passage.sentences.map((span, k) => {
      const text = passage.text.slice(span.start, span.end);
      const unit = sentenceUnits[k];
      const dense = unit ? closeness(vectors.get(unit.label)!) : 0;
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
      message: reader?.declined ?? 'There is no earlier answer to explain.',
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
function sentenceVectors(
  index: SearchIndex,
  passage: Passage,
  span: { start: number; end: number },
): ArrayLike<number>[] {
  const units = index.unitsByPassage.get(passage.id) ?? [];
  const inside = units.filter((u) => u.kind === 'sentence' && u.start >= span.start && u.end <= span.end);
  const chosen = inside.length ? inside : units.filter((u) => u.kind === 'passage');
  return index.vectors(chosen.map((u) => u.label));
}

/** "who else?", "more": the topic's next passages that have not been shown, while they stay related. */
export async function answerMore(
  topic: TopicSearch,
  question: string,
  conversation: Conversation,
  opts: FollowUpOptions,
  options: ConverseOptions,
  reader?: Reader,
): Promise<Answer> {
  const { seen, result: search } = await topic.search(conversation.docId ?? options.docId, reader, options.ranking);
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
      ...(unseen[offset] ? { quote: quoteOf(search, unseen[offset]!.passage) } : {}),
    };
  }
  const answered = decideAnswerable(
    await gatherEvidence({ question: conversation.topic, topDense: search.topDense, vocabulary: seen.lexical }),
  );
  return {
    question,
    answered,
    status: answered ? 'answered' : 'abstained',
    ...(answered
      ? {}
      : {
          message:
            reader?.declined ??
            'The text does not seem to address this question. The closest passage is shown, in case it helps.',
        }),
    quote: quoteOf(search, top.passage),
    passages: related.slice(offset, offset + limit).map(clamp),
  };
}

/**
 * "tell me more": the paragraph around the last quote, with the quote in bold;
 * when the whole paragraph was already quoted, the next one (reading on).
 */
export function answerContext(
  index: SearchIndex,
  question: string,
  conversation: Conversation,
  opts: FollowUpOptions,
  reader?: Reader,
): Answer {
  const passage = lastPassage(index, conversation);
  if (!passage)
    return {
      question,
      answered: false,
      status: 'abstained',
      message: reader?.declined ?? 'There is no earlier quote to show more of.',
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
  if (next && reader && !reader.scope.allows(next))
    return {
      question,
      answered: false,
      status: 'abstained',
      message: `Reading on would go past ${limitLabel(reader.doc, reader.limit.through)}.`,
      passages: [ranked(passage, 0)],
    };
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

function quoteOf(search: KeptSearch, passage: Passage): Quote {
  return selectQuote(passage, search.sentenceScores(passage));
}

/** A passage in a follow-up's answer. Context answers pass 0: they are chosen by place in the text, not by a score. */
function ranked(passage: Passage, score: number): RankedPassage {
  return { passage, score, dense: 0, lexical: 0 };
}

function clamp(r: RankedPassage): RankedPassage {
  return { ...r, score: Math.max(0, Math.min(1, r.score)) };
}

/**
 * Conversations: a message either asks a new question or follows up the last
 * one ("why?", "who else?", "tell me more"). Follow-ups are answered from the
 * previous answer's place in the text, never by gluing the messages together:
 * a message with a content word of its own is always a new question.
 *
 * Each answer leaves a small state ({@link Conversation}) under its id: the
 * topic, its vector and what was shown. {@link ConversationStore} keeps them,
 * with the last answer of each key (the terminal uses one key, the Discord bot
 * one per channel and user) as a pointer, and the topic's follow-up searches,
 * so a follow-up embeds nothing and searches at most once.
 */
import { contentTerms } from '../text/analyser.js';
import type { Answer, FollowUp } from '../types.js';
import {
  answerQuestion,
  cleanQuestion,
  readerOf,
  truncateQuestion,
  type AnswerWithEvidence,
  type AskOptions,
} from './ask.js';
import {
  askedKey,
  DEFAULT_FOLLOW_UP_OPTIONS,
  newAnswerId,
  type Conversation,
  type ConversationMemory,
  type ConverseOptions,
} from './conversation.js';
import { answerContext, answerMore, answerWhy, clampConversation, TopicSearch } from './follow-up-answers.js';
import { followUpCue, isSmallTalk, type FollowUpCue } from './analyse/intent.js';
import type { SearchIndex } from './search.js';

export {
  askedKey,
  ConversationStore,
  DEFAULT_CONVERSATION_STORE_OPTIONS,
  DEFAULT_FOLLOW_UP_OPTIONS,
  type Conversation,
  type ConversationMemory,
  type ConversationStoreOptions,
  type ConverseOptions,
  type FollowUpOptions,
} from './conversation.js';

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
  /** The conversation after this message: the state of `answer` (its `id` is `answer.id`). */
  conversation: Conversation | undefined;
}

/**
 * Answers one message of a conversation: a new question is searched alone; a
 * follow-up is answered from the conversation's last answer, with the topic's
 * stored vector and search (`memory` keeps the searches; without it a
 * follow-up searches once).
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
  memory?: Pick<ConversationMemory, 'ranking' | 'keepRanking'>,
): Promise<ConversationTurn> {
  const opts = { ...DEFAULT_FOLLOW_UP_OPTIONS, ...options.followUp };
  const kind = classifyMessage(cleanQuestion(message), conversation);
  if (kind === 'new' || !conversation) {
    // The question's vector is kept with the conversation: its follow-ups search with it.
    const embedded = new Map<string, Float32Array>();
    const keep = async (text: string): Promise<Float32Array> => {
      const vector = await embedQuery(text);
      embedded.set(text, vector);
      return vector;
    };
    const result = await answerQuestion(index, keep, message, options);
    // Greetings and help leave the conversation as it was, so "hi" does not end it.
    if (result.answer.status === 'help') return { ...result, kind: 'new', conversation };
    const id = newAnswerId();
    const topic = result.answer.question;
    const vector = embedded.get(topic);
    // A reply to this answer may reuse its state when asking the topic again would give the same one.
    const reusable = !options.chapter?.trim() && !options.ranking && !options.filters?.length;
    const next = conversationAfter(result.answer, {
      id,
      topic,
      topicId: id,
      ...(vector ? { vector } : {}),
      ...(reusable ? { askedUnder: askedKey(options.docId, options.until) } : {}),
      answered: result.answer.answered,
      ...(options.until ? { docId: options.until.docId } : options.docId ? { docId: options.docId } : {}),
      shown: [],
    });
    return { ...result, answer: { ...result.answer, id }, kind: 'new', conversation: next };
  }
  const question = truncateQuestion(cleanQuestion(message)).text;
  const followUp: FollowUp = { kind, of: conversation.topic };
  const same = (answer: Answer): Answer => (conversation.id ? { ...answer, id: conversation.id } : answer);
  // A follow-up is answered under this message's limit, whatever limit the question was asked under.
  const reader = options.until ? readerOf(index.library, options.until) : undefined;
  if (typeof reader === 'string')
    return {
      answer: same({ question, answered: false, status: 'help', message: reader, passages: [], followUp }),
      kind,
      conversation,
    };
  const within = clampConversation(index, conversation, reader);
  if (!conversation.answered) {
    const answer: Answer = {
      question,
      answered: false,
      status: 'abstained',
      message: `The text did not seem to address “${conversation.topic}”, so there is nothing to follow up. Ask another question.`,
      passages: [],
      followUp,
    };
    return { answer: same(answer), kind, conversation, searched: conversation.topic };
  }
  const topic = new TopicSearch(index, embedQuery, within, memory);
  const answer =
    kind === 'why'
      ? await answerWhy(index, topic, question, within, opts, reader)
      : kind === 'more'
        ? await answerMore(topic, question, within, opts, options, reader)
        : answerContext(index, question, within, opts, reader);
  answer.followUp = followUp;
  // What this reader was shown is recorded on the conversation as it was (a later, wider limit keeps its place).
  const next = conversationAfter(answer, {
    ...conversation,
    id: newAnswerId(),
    ...(topic.embedded ? { vector: topic.embedded } : {}),
  });
  answer.id = next.id;
  return { answer, kind, conversation: next, searched: conversation.topic };
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

/**
 * The `followUpOf` path of {@link AskOptions}, for callers that know the
 * previous question but keep no conversation (a Discord reply to an earlier
 * answer): the state the previous question's answer left is looked up in
 * `memory`; when it is not there (a restart, an eviction, another limit) the
 * previous question is answered again, once, to find its place. Then the
 * message is classified and answered as in {@link converse}.
 */
export async function answerMessage(
  index: SearchIndex,
  embedQuery: (text: string) => Promise<Float32Array>,
  message: string,
  options: AskOptions = {},
  memory?: ConversationMemory,
): Promise<AnswerWithEvidence> {
  const { followUpOf, ...rest } = options;
  const previous = followUpOf ? cleanQuestion(followUpOf) : '';
  if (!previous || isSmallTalk(previous)) return answerQuestion(index, embedQuery, message, rest);
  const probe: Conversation = { topic: previous, answered: true, shown: [] };
  if (classifyMessage(cleanQuestion(message), probe) === 'new') return answerQuestion(index, embedQuery, message, rest);
  // The earlier question as answered under this message's limit: a reader behind its asker gets nothing more.
  const asked = {
    ...(rest.docId ? { docId: rest.docId } : {}),
    ...(rest.until ? { until: rest.until } : {}),
  };
  let first = memory?.topicAnswer(previous, askedKey(asked.docId, asked.until));
  if (!first) {
    first = (await converse(index, embedQuery, previous, undefined, asked, memory)).conversation;
    if (first) memory?.remember(first);
  }
  const turn = await converse(index, embedQuery, message, first, rest, memory);
  if (turn.conversation && turn.conversation !== first) memory?.remember(turn.conversation);
  return {
    answer: turn.answer,
    ...(turn.evidence ? { evidence: turn.evidence } : {}),
    ...(turn.searched ? { searched: turn.searched } : {}),
  };
}

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
import { DEFAULT_FOLLOW_UP_OPTIONS, type Conversation, type ConverseOptions } from './conversation.js';
import { answerContext, answerMore, answerWhy, clampConversation } from './follow-up-answers.js';
import { followUpCue, isSmallTalk, type FollowUpCue } from './analyse/intent.js';
import type { SearchIndex } from './search.js';

export {
  ConversationStore,
  DEFAULT_CONVERSATION_STORE_OPTIONS,
  DEFAULT_FOLLOW_UP_OPTIONS,
  type Conversation,
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
  /** The conversation after this message. */
  conversation: Conversation | undefined;
}

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
            ...(options.until ? { docId: options.until.docId } : options.docId ? { docId: options.docId } : {}),
            shown: [],
          });
    return { ...result, kind: 'new', conversation: next };
  }
  const question = truncateQuestion(cleanQuestion(message)).text;
  const followUp: FollowUp = { kind, of: conversation.topic };
  // A follow-up is answered under this message's limit, whatever limit the question was asked under.
  const reader = options.until ? readerOf(index.library, options.until) : undefined;
  if (typeof reader === 'string')
    return {
      answer: { question, answered: false, status: 'help', message: reader, passages: [], followUp },
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
    return { answer, kind, conversation, searched: conversation.topic };
  }
  const answer =
    kind === 'why'
      ? await answerWhy(index, embedQuery, question, within, opts, reader)
      : kind === 'more'
        ? await answerMore(index, embedQuery, question, within, opts, options, reader)
        : answerContext(index, question, within, opts, reader);
  answer.followUp = followUp;
  // What this reader was shown is recorded on the conversation as it was (a later, wider limit keeps its place).
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
  // The earlier question is answered again under this message's limit: a reader behind its asker gets nothing more.
  const first = await converse(index, embedQuery, previous, undefined, {
    ...(rest.docId ? { docId: rest.docId } : {}),
    ...(rest.until ? { until: rest.until } : {}),
  });
  const turn = await converse(index, embedQuery, message, first.conversation, rest);
  return {
    answer: turn.answer,
    ...(turn.evidence ? { evidence: turn.evidence } : {}),
    ...(turn.searched ? { searched: turn.searched } : {}),
  };
}

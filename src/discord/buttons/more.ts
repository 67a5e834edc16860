/**
 * "More passages": the next page of results for the question on the message, just for the clicker.
 */
import { QUESTION_PRECONDITIONS } from '../admission.js';
import { placeOf, readerScope, untilFor } from '../reader-scope.js';
import { questionOf, type RecordedQuestion } from '../recorded-question.js';
import { respond } from '../reply.js';
import { canStartThreadIn } from '../threads.js';
import { passageListMessage } from '../views/passage-list.js';
import type { LibraryDocument } from '../../types.js';
import { parsed, refused, type ActionOf, type ButtonHandler } from './handler.js';

interface MoreInput {
  recorded: RecordedQuestion;
  doc?: LibraryDocument;
  offset: number;
  limit: number;
  chapter?: string;
}

export const more: ButtonHandler<'more', MoreInput> = {
  kind: 'more',
  needsCurrentIndex: true,
  preconditions: QUESTION_PRECONDITIONS,
  question: (input) => input.recorded.question,

  parse(interaction, action: ActionOf<'more'>, bot) {
    const recorded = questionOf(interaction.message);
    if (!recorded) return refused('I can no longer read the question on this message. Please ask again.');
    const doc = action.doc === null ? undefined : bot.library.docAt(action.doc);
    return parsed({
      recorded,
      ...(doc ? { doc } : {}),
      offset: action.offset,
      limit: action.limit,
      ...(action.chapter ? { chapter: action.chapter } : {}),
    });
  },

  async run(interaction, { recorded, doc, offset, limit, chapter }, bot) {
    const placement = { ephemeral: true, canThread: canStartThreadIn(interaction.channel) };
    // Under a follow-up ("why?", "who else?") the button pages the question that was searched, so the
    // list continues the original ranking; the follow-up's words were never a search of their own.
    const question = recorded.followUpOf ?? recorded.question;
    await respond(bot, interaction, { ephemeral: true }, async () => {
      // The clicker's own limit, not the asker's: a member behind gets nothing more through the button.
      const until = untilFor(await readerScope(bot, placeOf(interaction)), doc?.id);
      const answer = await bot.ask(
        question,
        {
          offset,
          limit,
          ...(doc ? { docId: doc.id } : {}),
          ...(chapter ? { chapter } : {}),
          ...(until ? { until } : {}),
        },
        { source: 'button:more', guildId: interaction.guildId, channelId: interaction.channelId },
      );
      return passageListMessage(bot.library, answer, {
        title: question,
        offset,
        limit,
        ...(doc ? { docId: doc.id } : {}),
        ...(chapter ? { chapter } : {}),
        placement,
        recorded: { question },
      });
    });
  },
};

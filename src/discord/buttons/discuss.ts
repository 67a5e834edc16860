/**
 * "Discuss": opens a thread on the answer, named after the question, whose
 * first message is the quote, pinned. Answers the clicker with a link.
 */
import { BROWSE_PRECONDITIONS } from '../admission.js';
import {
  DiscordAPIError,
  MessageFlags,
  RESTJSONErrorCodes,
  ThreadAutoArchiveDuration,
  type APIEmbed,
  type ButtonInteraction,
  type Message,
} from 'discord.js';
import { interactionLogFields, logFailure } from '../log-failure.js';
import { safe } from '../payload.js';
import { questionOf, type RecordedQuestion } from '../recorded-question.js';
import type { BotRuntime } from '../runtime.js';
import { canStartThreadIn } from '../threads.js';
import { discussionOpener, threadName } from '../views/discussion.js';
import { parsed, refused, type ButtonHandler } from './handler.js';

interface DiscussInput {
  message: Message<true>;
  recorded: RecordedQuestion;
  first: APIEmbed;
}

export const discuss: ButtonHandler<'discuss', DiscussInput> = {
  kind: 'discuss',
  preconditions: BROWSE_PRECONDITIONS,
  // It acts on the message as shown, so it works on any index.
  needsCurrentIndex: false,

  parse(interaction) {
    const message = interaction.message;
    if (!message.inGuild() || !canStartThreadIn(message.channel)) {
      return refused('Discussion threads can only be opened in a server text channel.');
    }
    if (message.hasThread && message.thread) {
      return refused(`There is already a discussion for this answer: <#${message.thread.id}>`);
    }
    const recorded = questionOf(message);
    const first = message.embeds[0]?.toJSON();
    if (!recorded || !first) return refused('I can no longer read this answer. Please ask again.');
    return parsed({ message, recorded, first });
  },

  run: openThread,
};

async function openThread(
  interaction: ButtonInteraction,
  { message, recorded, first }: DiscussInput,
  bot: BotRuntime,
): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const logFields = interactionLogFields(interaction);
  let threadId: string;
  try {
    const thread = await message.startThread({
      name: threadName(recorded.question),
      autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
      reason: 'Lectern: discussion of an answer',
    });
    threadId = thread.id;
    const opener = await thread.send(safe({ embeds: [discussionOpener(first)] }));
    try {
      await opener.pin('Lectern: the quote under discussion');
    } catch (error) {
      // Pinning needs the Pin Messages permission; the thread is useful without it.
      logFailure(bot.logger, error, { ...logFields, thread: thread.id }, 'could not pin the quote');
    }
  } catch (error) {
    if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage) {
      // Someone clicked first; a thread started from a message shares its id.
      await interaction.editReply(safe({ content: `There is already a discussion for this answer: <#${message.id}>` }));
      return;
    }
    logFailure(bot.logger, error, logFields, 'could not open a discussion thread');
    const missing =
      error instanceof DiscordAPIError &&
      (error.code === RESTJSONErrorCodes.MissingPermissions || error.code === RESTJSONErrorCodes.MissingAccess);
    await interaction.editReply(
      safe({
        content: missing
          ? 'I don’t have permission to create threads here. A server admin can give me “Create Public Threads” and “Send Messages in Threads”.'
          : 'Sorry, I could not open a discussion thread. Please try again in a moment.',
      }),
    );
    return;
  }
  bot.logger.info({ event: 'thread_opened', ...logFields, thread: threadId }, 'opened a discussion thread');
  await interaction.editReply(safe({ content: `Discussion opened: <#${threadId}>` }));
}

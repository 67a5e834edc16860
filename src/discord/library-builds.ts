/**
 * A book's progress message, kept current while its build runs (passages done, rate, time left), and
 * ended with the book's metadata or why it was not added; and the builds a restart interrupted,
 * resumed with their messages told so.
 */
import { ShardClientUtil, type Client, type RepliableInteraction } from 'discord.js';
import type { LibraryTextRecord } from '../store/types.js';
import type { BuildOutcome, BuildProgress, BuildReporter } from './engine.js';
import { describeError } from './log-failure.js';
import { safe, type Payload } from './payload.js';
import type { BotRuntime } from './runtime.js';
import { outcomeMessage, progressMessage } from './views/library.js';

/**
 * At most one progress edit per this long: Discord allows about five edits per five seconds in a
 * channel, and the members there are asking questions too. The last state is always sent.
 */
export const PROGRESS_EDIT_MS = 2500;

/**
 * An interaction's token lasts 15 minutes; past 14, a progress message is edited as the channel
 * message it is (a book may wait in the queue longer than that).
 */
const TOKEN_LIFETIME_MS = 14 * 60_000;

/** Sends one edit of a progress message. */
export type MessageEditor = (payload: Payload) => Promise<void>;

/** Edits an interaction's reply: through its token while it lasts, then as a channel message. */
export function replyEditor(interaction: RepliableInteraction, messageId: () => string | undefined): MessageEditor {
  const channelEdit = (id: string) => channelEditor(interaction.client, interaction.channelId, id);
  return async (payload) => {
    const id = messageId();
    if (Date.now() - interaction.createdTimestamp < TOKEN_LIFETIME_MS || !id)
      await interaction.editReply(safe(payload));
    else await channelEdit(id)(payload);
  };
}

/** Edits a message the bot sent, by channel and id (after a restart, only these are known). */
export function channelEditor(client: Client, channelId: string | null, messageId: string | null): MessageEditor {
  return async (payload) => {
    if (!channelId || !messageId) return;
    const channel = await client.channels.fetch(channelId);
    if (!channel?.isTextBased()) return;
    await channel.messages.edit(messageId, safe(payload));
  };
}

/**
 * A {@link BuildReporter} that edits one message: progress at most every {@link PROGRESS_EDIT_MS},
 * edits in order, and the outcome always last. A failed edit is logged; the build goes on.
 */
export class ProgressMessage implements BuildReporter {
  private latest: BuildProgress | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastEdit = 0;
  private edits: Promise<void> = Promise.resolve();
  private ended = false;
  private resolveSettled!: () => void;
  /** Resolves once the outcome's edit has been sent (or failed). */
  readonly settled = new Promise<void>((resolve) => (this.resolveSettled = resolve));

  constructor(
    private readonly edit: MessageEditor,
    private readonly render: (progress: BuildProgress) => Payload,
    private readonly finish: (outcome: BuildOutcome) => Payload,
    private readonly onError: (error: unknown) => void,
    private readonly onFinished: (outcome: BuildOutcome) => void = () => undefined,
  ) {}

  progress(progress: BuildProgress): void {
    if (this.ended) return;
    this.latest = progress;
    if (this.timer) return;
    const wait = Math.max(0, this.lastEdit + PROGRESS_EDIT_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const latest = this.latest;
      if (this.ended || !latest) return;
      this.latest = undefined;
      this.lastEdit = Date.now();
      this.send(this.render(latest));
    }, wait);
  }

  finished(outcome: BuildOutcome): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.timer);
    this.onFinished(outcome);
    this.send(this.finish(outcome));
    void this.edits.then(() => this.resolveSettled());
  }

  private send(payload: Payload): void {
    this.edits = this.edits.then(() => this.edit(payload)).catch((error: unknown) => this.onError(error));
  }
}

/**
 * A reporter handed to a build before its progress message can be drawn (the stored record it is drawn
 * from comes back with the build's place in the queue): it keeps the latest progress and the outcome
 * until {@link bind}, then passes everything on.
 */
export class PendingReporter implements BuildReporter {
  private target: BuildReporter | undefined;
  private latest: BuildProgress | undefined;
  private outcome: BuildOutcome | undefined;

  progress(progress: BuildProgress): void {
    if (this.target) this.target.progress(progress);
    else this.latest = progress;
  }

  finished(outcome: BuildOutcome): void {
    if (this.target) this.target.finished(outcome);
    else this.outcome = outcome;
  }

  /** Passes on what came so far (or `initial` when nothing did) and everything after. */
  bind(target: BuildReporter, initial: BuildProgress): void {
    this.target = target;
    target.progress(this.latest ?? initial);
    if (this.outcome) target.finished(this.outcome);
  }
}

/** A progress message for `text`, logged as the build of `verb`. */
export function progressReporter(
  bot: BotRuntime,
  text: LibraryTextRecord,
  edit: MessageEditor,
  verb: 'Adding' | 'Removing' = 'Adding',
): ProgressMessage {
  const fields = { guild: text.guildId, file: text.file };
  const message: ProgressMessage = new ProgressMessage(
    edit,
    (progress) => progressMessage(bot.library.indexId, text, progress, verb),
    (outcome) => outcomeMessage(text, outcome),
    (error) =>
      bot.logger.warn({ event: 'library_progress_edit_failed', ...fields, err: describeError(error) }, 'edit failed'),
    (outcome) => {
      // The last edit counts as work in flight: a shutdown waits for "restarting…" to reach the message.
      void bot.track(() => message.settled);
      bot.logger.info(
        {
          event: verb === 'Adding' ? 'library_add' : 'library_remove',
          ...fields,
          outcome: outcome.kind,
          ...(outcome.kind === 'failed' ? { reason: outcome.reason } : {}),
        },
        `library ${verb === 'Adding' ? 'add' : 'remove'} ${outcome.kind}`,
      );
    },
  );
  return message;
}

/**
 * Builds again the books a restart interrupted, in the servers this process serves (its shards'), and
 * edits each one's progress message: the build resumes from its checkpoint, then ends as usual.
 */
export async function resumeLibraryBuilds(client: Client, bot: BotRuntime): Promise<void> {
  const shards = client.options.shards;
  const shardCount = client.options.shardCount ?? 1;
  const serves = (guildId: string): boolean =>
    !Array.isArray(shards) || shards.includes(ShardClientUtil.shardIdForGuildId(guildId, shardCount));
  const resumed = await bot.libraries.resumeQueued(serves, (text) => {
    const edit = channelEditor(client, text.progressChannelId, text.progressMessageId);
    const reporter = progressReporter(bot, text, edit);
    reporter.progress({ stage: 'reading' });
    return reporter;
  });
  if (resumed > 0) bot.logger.info({ event: 'library_resumed', builds: resumed }, 'resumed interrupted library builds');
}

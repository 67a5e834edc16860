/**
 * `/library add file: [title] [author]` — adds a book to this server's library: the attachment is
 * downloaded (only from Discord's attachment hosts, and only up to the size limit), checked by its
 * content, stored, then parsed and embedded in the background while one progress message says how far
 * it has got, with a Cancel button.
 */
import type { ChatInputCommandInteraction } from 'discord.js';
import { LIBRARY_MANAGER_PRECONDITIONS } from '../../admission.js';
import { LecternError } from '../../../errors.js';
import { cleanQuestion, downloadAttachment } from '../../engine.js';
import { escapedLine } from '../../excerpt.js';
import { PendingReporter, progressReporter, replyEditor } from '../../library-builds.js';
import { safe } from '../../payload.js';
import { COLORS, noticeEmbed } from '../../views/notice.js';
import type { Subcommand } from '../subcommand.js';

/** Longest title or author accepted with the command: longer is a paste gone wrong. */
const MAX_META_LENGTH = 200;

export const add: Subcommand = {
  name: 'add',
  define: (s) =>
    s
      .setDescription('Add a book to this server’s library (Manage Server): EPUB, plain text, Markdown or HTML.')
      .addAttachmentOption((o) =>
        o
          .setName('file')
          .setDescription('The book: .epub, .txt (Project Gutenberg too), .md or .html')
          .setRequired(true),
      )
      .addStringOption((o) =>
        o
          .setName('title')
          .setDescription('Its title, if the file does not give it right')
          .setMaxLength(MAX_META_LENGTH),
      )
      .addStringOption((o) =>
        o
          .setName('author')
          .setDescription('Its author, if the file does not give it right')
          .setMaxLength(MAX_META_LENGTH),
      ),
  preconditions: LIBRARY_MANAGER_PRECONDITIONS,

  async execute(interaction, bot) {
    const attachment = interaction.options.getAttachment('file', true);
    const limits = bot.libraries.config;
    const name = escapedLine(attachment.name, 100);
    // Public: the progress message is the server's news, and a restart edits it as a channel message.
    await interaction.deferReply();
    const reply = await interaction.fetchReply().catch(() => undefined);
    const guildId = interaction.guildId!;
    // The build may report before add() returns the stored record its messages are made from.
    const reporter = new PendingReporter();
    try {
      if (reply)
        await bot.libraries.noteDownload({
          guildId,
          interactionId: interaction.id,
          fileName: attachment.name,
          declaredBytes: attachment.size,
          userId: interaction.user.id,
          now: bot.clock.now(),
          channelId: reply.channelId,
          messageId: reply.id,
        });
      const bytes = await downloadAttachment(attachment.url, {
        allowedHosts: limits.attachmentHosts,
        declaredSize: attachment.size,
        maxBytes: limits.maxFileBytes,
        stallMs: limits.downloadStallMs,
      });
      const { text, position } = await bot.libraries.add(
        {
          guildId,
          userId: interaction.user.id,
          fileName: attachment.name,
          bytes,
          title: option(interaction, 'title'),
          author: option(interaction, 'author'),
          now: bot.clock.now(),
        },
        reporter,
      );
      if (reply) await bot.store.setLibraryProgressMessage(text.guildId, text.file, reply.channelId, reply.id);
      await bot.libraries.forgetDownload(guildId, interaction.id);
      bot.logger.info(
        { event: 'library_queued', guild: text.guildId, file: text.file, bytes: text.bytes, position },
        'a book was queued',
      );
      reporter.bind(
        progressReporter(
          bot,
          text,
          replyEditor(interaction, () => reply?.id),
        ),
        position > 0 ? { stage: 'queued', position } : { stage: 'reading' },
      );
    } catch (error) {
      await bot.libraries.forgetDownload(guildId, interaction.id).catch(() => undefined);
      if (!(error instanceof LecternError)) throw error;
      bot.logger.info({ event: 'library_refused', guild: guildId, reason: error.message }, 'refused a book');
      await interaction.editReply(
        safe({ embeds: [noticeEmbed(`${name} was not added: ${error.message}`, COLORS.error)], components: [] }),
      );
    }
  },
};

function option(interaction: ChatInputCommandInteraction, name: string): string | undefined {
  // Control, bidi and invalid characters out (as from a question), white space folded.
  const value = cleanQuestion(interaction.options.getString(name) ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  return value ? value : undefined;
}

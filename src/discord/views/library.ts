/**
 * What /library looks like: a book's progress message (queued, reading, embedding with rate and time
 * left, done or why not), the list of a server's texts and the shared ones, and one text's details.
 */
import { ButtonStyle, type APIEmbed } from 'discord.js';
import type { LibraryTextRecord } from '../../store/types.js';
import type { LibraryDocument } from '../../types.js';
import { button, rows } from '../buttons/components.js';
import { encodeButton, libraryKey } from '../custom-id.js';
import type { BotLibrary, BuildOutcome, BuildProgress } from '../engine.js';
import { formatMegabytes } from '../engine.js';
import { ELLIPSIS, escapedLine, truncateWords } from '../excerpt.js';
import { LIMITS } from '../limits.js';
import { escapeMarkdown } from '../markdown.js';
import type { Payload } from '../payload.js';
import { timestamp } from './club.js';
import { COLORS } from './notice.js';

const n = (x: number): string => x.toLocaleString('en-US');

/** "2 min 5 s", "40 s". */
function duration(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
}

/** The book a progress message is about: the title given, else the file's name as uploaded. */
function bookName(text: Pick<LibraryTextRecord, 'requestedTitle' | 'title' | 'originalName'>): string {
  return escapedLine(text.title ?? text.requestedTitle ?? text.originalName, 120);
}

/** The progress line of a build under way. */
export function progressLine(progress: BuildProgress | { stage: 'downloading' }): string {
  switch (progress.stage) {
    case 'downloading':
      return 'Downloading…';
    case 'queued':
      // Position p waits for p builds: the one running and the p − 1 queued before it.
      return `Queued: ${n(progress.position)} book${progress.position === 1 ? '' : 's'} ahead of it.`;
    case 'reading':
      return 'Reading the book…';
    case 'embedding': {
      const share = progress.total > 0 ? Math.floor((100 * progress.done) / progress.total) : 100;
      const rate = progress.perSecond ? ` · ${n(Math.round(progress.perSecond))} passages/s` : '';
      const left = progress.secondsLeft !== undefined ? ` · about ${duration(progress.secondsLeft)} left` : '';
      return `Embedding: ${n(progress.done)} of ${n(progress.total)} passages (${share}%)${rate}${left}`;
    }
    case 'indexing':
      return 'Building the index…';
  }
}

/** The progress message of a book being added (or removed), with Cancel while it can be cancelled. */
export function progressMessage(
  indexId: string,
  text: LibraryTextRecord,
  progress: BuildProgress | { stage: 'downloading' },
  verb: 'Adding' | 'Removing' = 'Adding',
): Payload {
  return {
    embeds: [
      {
        title: `${verb} ${bookName(text)}`.slice(0, LIMITS.embedTitle),
        description: progressLine(progress),
        color: COLORS.abstained,
      },
    ],
    components:
      verb === 'Adding'
        ? rows([
            button(encodeButton(indexId, { kind: 'cancel-build', text: libraryKey(text.hash) }), 'Cancel', {
              style: ButtonStyle.Secondary,
            }),
          ])
        : [],
  };
}

/** How the build ended: the book's metadata and chapter count, or why it was not added. */
export function outcomeMessage(text: LibraryTextRecord, outcome: BuildOutcome): Payload {
  const name = bookName(text);
  const embed = ((): APIEmbed => {
    switch (outcome.kind) {
      case 'added': {
        const t = outcome.text;
        const by = t.author ? ` by ${escapeMarkdown(t.author)}` : '';
        return {
          title: `Added ${bookName(t)}`.slice(0, LIMITS.embedTitle),
          description: `**${escapeMarkdown(t.title ?? t.originalName)}**${by}: ${n(t.chapters ?? 0)} chapters · ${n(t.words ?? 0)} words. Ask about it with /ask, or start a reading group with /club start.`,
          color: COLORS.info,
        };
      }
      case 'removed':
        return { description: `Removed ${name} from this server’s library.`, color: COLORS.info };
      case 'cancelled':
        return { description: `Cancelled: ${name} was not added; the library is as it was.`, color: COLORS.abstained };
      case 'interrupted':
        return {
          description: `The bot is restarting: ${name} will be built again when it is back.`,
          color: COLORS.abstained,
        };
      case 'failed':
        return {
          description: truncateWords(`${name} was not added: ${outcome.reason}`, LIMITS.embedDescription),
          color: COLORS.error,
        };
    }
  })();
  return { embeds: [embed], components: [] };
}

/** /library list: the server's texts (who added each, when) and the shared ones. */
export function libraryListEmbed(own: readonly LibraryTextRecord[], shared: BotLibrary | null): APIEmbed {
  const lines: string[] = [];
  lines.push(`**This server’s books (${own.length})**`);
  if (own.length === 0) lines.push('None yet: someone with Manage Server can add one with /library add.');
  for (const t of own) {
    if (t.state === 'queued') {
      lines.push(`• ${escapeMarkdown(t.requestedTitle ?? t.originalName)}: being added by <@${t.addedBy}>`);
      continue;
    }
    const by = t.author ? `, ${escapeMarkdown(t.author)}` : '';
    lines.push(
      `• **${escapeMarkdown(t.title ?? t.originalName)}**${by}: ${n(t.chapters ?? 0)} chapters · ${n(t.words ?? 0)} words · added by <@${t.addedBy}> ${timestamp(t.addedAt)}`,
    );
  }
  if (shared) {
    lines.push('', `**Shared texts (${shared.documents.length})**, in every server:`);
    for (const doc of shared.documents) lines.push(`• ${sharedLine(doc, shared)}`);
  }
  return { title: 'Library', description: fitLines(lines), color: COLORS.info };
}

function sharedLine(doc: LibraryDocument, library: BotLibrary): string {
  const chapters = library.chapterCount(doc.id);
  return `**${escapeMarkdown(doc.meta.title)}**, ${escapeMarkdown(doc.meta.author)}: ${chapters ? `${n(chapters)} chapters · ` : ''}${n(doc.wordCount)} words`;
}

/** Whole lines up to the embed's limit, then "… and N more". */
function fitLines(lines: readonly string[]): string {
  const out: string[] = [];
  let length = 0;
  for (const [i, line] of lines.entries()) {
    const more = `${ELLIPSIS} and ${lines.length - i} more`;
    if (length + line.length + 1 + more.length + 1 > LIMITS.embedDescription) {
      out.push(more);
      break;
    }
    out.push(line);
    length += line.length + 1;
  }
  return out.join('\n');
}

/** /library info for one of the server's texts. */
export function ownTextEmbed(text: LibraryTextRecord, doc: LibraryDocument | undefined): APIEmbed {
  const fields = [
    { name: 'Author', value: escapedLine(text.author ?? doc?.meta.author ?? 'unknown', 200), inline: true },
    { name: 'Chapters', value: n(text.chapters ?? doc?.chapters.length ?? 0), inline: true },
    { name: 'Words', value: n(text.words ?? doc?.wordCount ?? 0), inline: true },
    { name: 'File', value: `${escapedLine(text.originalName, 200)} (${formatMegabytes(text.bytes)})`, inline: false },
    { name: 'Added', value: `by <@${text.addedBy}> ${timestamp(text.addedAt)}`, inline: false },
    ...(text.state === 'queued' ? [{ name: 'State', value: 'Being added (its build is queued or running).' }] : []),
    ...(text.docId ? [{ name: 'Id', value: `\`${text.docId.replace(/`/g, '')}\``, inline: true }] : []),
  ];
  return {
    title: escapedLine(text.title ?? text.requestedTitle ?? text.originalName, LIMITS.embedTitle),
    description: 'A book of this server’s library: only this server sees it.',
    color: COLORS.info,
    fields,
  };
}

/** /library info for a shared text. */
export function sharedTextEmbed(doc: LibraryDocument, library: BotLibrary): APIEmbed {
  return {
    title: escapedLine(doc.meta.title, LIMITS.embedTitle),
    description: `A shared text: every server sees it. ${sharedLine(doc, library)}.`,
    color: COLORS.info,
    fields: [{ name: 'Id', value: `\`${doc.id.replace(/`/g, '')}\``, inline: true }],
  };
}

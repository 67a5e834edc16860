/**
 * The weekly reminder's post: the week's assignment and due date, in the club's
 * channel, pinging nobody. The scheduler (src/club/reminders.ts) decides when,
 * and has claimed the reminder before this runs, so a failure here loses one
 * post rather than doubling it.
 */
import type { Client } from 'discord.js';
import type { WeekAssignment } from '../club/timeline.js';
import type { ClubRecord } from '../store/types.js';
import type { LibraryView } from './library-view.js';
import { safe } from './payload.js';
import { reminderEmbed } from './views/club.js';

export async function postReminder(
  client: Client,
  library: LibraryView,
  club: ClubRecord,
  week: WeekAssignment,
): Promise<void> {
  const doc = library.getDocument(club.textId);
  if (!doc) throw new Error(`club ${club.id} reads ${club.textId}, which is no longer in the library`);
  const channel = await client.channels.fetch(club.channelId);
  if (!channel?.isSendable()) throw new Error(`cannot post in channel ${club.channelId}`);
  await channel.send(safe({ embeds: [reminderEmbed(doc, club, week)] }));
}

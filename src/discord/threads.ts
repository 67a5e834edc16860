/**
 * Where a "Discuss" thread can be started: a guild text or announcement
 * channel, not a thread, forum post or DM. The one check used by the views
 * (whether to offer "Discuss"), the Post button and the Discuss button.
 */
import { ChannelType } from 'discord.js';

export function canStartThreadIn(channel: { type: ChannelType } | null | undefined): boolean {
  return channel?.type === ChannelType.GuildText || channel?.type === ChannelType.GuildAnnouncement;
}

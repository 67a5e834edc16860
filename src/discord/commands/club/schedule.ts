/**
 * `/club schedule` — the whole plan, week by week: dates and chapter ranges.
 */
import { CLUB_PRECONDITIONS } from '../../admission.js';
import { clubScheduleEmbed } from '../../views/club.js';
import { replyWithClubView } from './shared.js';
import type { Subcommand } from '../subcommand.js';

export const schedule: Subcommand = {
  name: 'schedule',
  define: (s) => s.setDescription('The reading plan, week by week: dates and chapters.'),
  preconditions: CLUB_PRECONDITIONS,
  execute: (interaction, bot) => replyWithClubView(interaction, bot, clubScheduleEmbed),
};

/**
 * `/club status` — the book, this week's chapters with their titles, the due date and the club's position.
 * (Discord cannot run a bare `/club` beside its subcommands, so status is one of them.)
 */
import { CLUB_PRECONDITIONS } from '../../admission.js';
import { clubStatusEmbed } from '../../views/club.js';
import { replyWithClubView } from './shared.js';
import type { Subcommand } from '../subcommand.js';

export const status: Subcommand = {
  name: 'status',
  define: (s) => s.setDescription('Where the reading group is: the book, this week’s chapters, the due date.'),
  preconditions: CLUB_PRECONDITIONS,
  execute: (interaction, bot) => replyWithClubView(interaction, bot, clubStatusEmbed),
};

/**
 * `/club` — a reading group in this channel: start, status, schedule, position, pause, resume,
 * discuss, end. Threads and forum posts belong to their parent channel's club.
 */
import { discuss } from './discuss.js';
import { end } from './end.js';
import { pause, resume } from './pause.js';
import { position } from './position.js';
import { schedule } from './schedule.js';
import { start } from './start.js';
import { status } from './status.js';
import { commandOf } from '../subcommand.js';

const club = commandOf('club', 'A reading group in this channel: schedule, position, reminders, discussion.', [
  status,
  schedule,
  discuss,
  start,
  position,
  pause,
  resume,
  end,
]);

export const { data, preconditions, execute, autocomplete } = club;

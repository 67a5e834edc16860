/**
 * Runs {@link buildIndex} in a worker thread, so a process that is serving
 * answers keeps answering while its index is rebuilt (see Lectern.rebuild).
 * Messages to the parent: `{ type: 'event', event }` for each build event,
 * then `{ type: 'done', result }` or `{ type: 'error', message, userFacing }`.
 * The message 'abort' from the parent stops the build after the current batch.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CoreConfig } from '../config.js';
import { LecternError } from '../errors.js';
import { buildIndex } from './build.js';

const { config, force, strict } = workerData as { config: CoreConfig; force: boolean; strict: boolean };
const port = parentPort!;
const stop = new AbortController();
port.on('message', (message) => {
  if (message === 'abort') stop.abort();
});
try {
  const result = await buildIndex(config, {
    force,
    strict,
    signal: stop.signal,
    onEvent: (event) => port.postMessage({ type: 'event', event }),
  });
  port.postMessage({ type: 'done', result });
} catch (error) {
  const userFacing = error instanceof LecternError;
  port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error), userFacing });
}
port.close(); // lets the thread end: the 'message' listener would keep it alive

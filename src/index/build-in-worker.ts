import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CoreConfig } from '../config.js';
import { LecternError } from '../errors.js';
import type { BuildEvent, BuildResult } from './build.js';

type WorkerMessage =
  | { type: 'event'; event: BuildEvent }
  | { type: 'done'; result: BuildResult }
  | { type: 'error'; message: string; userFacing: boolean };

/**
 * Runs {@link buildIndex} in a worker thread (src/index/build-worker.ts), so
 * the calling thread stays free: a bot keeps answering, and Ctrl-C is handled
 * at once (onnxruntime holds the thread that runs it for a whole batch).
 * Aborting asks the worker to stop after its current batch (terminating it
 * inside onnxruntime's native code crashes the process); the index on disk is
 * left as it was, and the vectors of finished chunks are kept for the next
 * build to resume with.
 */
export function buildInWorker(
  config: CoreConfig,
  options: { force?: boolean; strict?: boolean; onEvent?: (event: BuildEvent) => void; signal?: AbortSignal } = {},
): Promise<BuildResult> {
  const module = new URL(`./build-worker${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url).href;
  const worker = new Worker(new URL('./build-worker-entry.mjs', import.meta.url), {
    workerData: { module, config, force: options.force ?? false, strict: options.strict ?? false },
  });
  return new Promise<BuildResult>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    let aborted = false;
    const stopped = () => new LecternError('The build was stopped; the previous index is unchanged.');
    const onAbort = () => {
      aborted = true;
      worker.postMessage('abort');
      // A worker that does not stop within a few batches' time is stopped the hard way.
      setTimeout(() => void worker.terminate(), 30_000).unref();
    };
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort);
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'event') options.onEvent?.(message.event);
      else if (message.type === 'done') settle(() => resolve(message.result));
      else
        settle(() =>
          reject(
            aborted ? stopped() : message.userFacing ? new LecternError(message.message) : new Error(message.message),
          ),
        );
    });
    worker.on('error', (error) => settle(() => reject(aborted ? stopped() : error)));
    worker.on('exit', (code) =>
      settle(() =>
        reject(
          aborted
            ? stopped()
            : new LecternError(`The build stopped unexpectedly (exit code ${code}); the previous index is unchanged.`),
        ),
      ),
    );
  });
}

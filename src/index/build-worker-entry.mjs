// Entry of the build worker thread (see Lectern.rebuild). Plain JavaScript, so
// it starts under any runner: when the worker module is TypeScript (running
// from source), tsx's loader is registered in this thread first.
import { workerData } from 'node:worker_threads';

if (workerData.module.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.module);

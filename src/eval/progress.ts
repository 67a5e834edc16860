import cliProgress from 'cli-progress';
import type { BuildEvent } from '../index/build.js';

/**
 * Progress of a long step, on stderr so stdout stays clean for `--json`:
 * a bar on a terminal, a plain line every tenth of the way otherwise (logs, CI).
 */
export interface Progress {
  start(label: string, total: number): void;
  update(done: number): void;
  stop(): void;
  /** A line of its own (stops any bar first). */
  log(line: string): void;
}

/** Without a terminal, a line at each tenth of the way, at most one per 5 s, and one at the end: a quick step logs one line. */
const PLAIN_STEPS = 10;
const PLAIN_INTERVAL_MS = 5000;

export function stderrProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  let bar: cliProgress.SingleBar | null = null;
  let label = '';
  let total = 0;
  let lastStep = -1;
  let lastLine = 0;
  const stop = () => {
    bar?.stop();
    bar = null;
  };
  return {
    start(nextLabel, nextTotal) {
      stop();
      label = nextLabel;
      total = nextTotal;
      lastStep = -1;
      lastLine = Date.now();
      if (stream.isTTY) {
        bar = new cliProgress.SingleBar({ format: `${label} [{bar}] {value}/{total} {eta_formatted}`, stream, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
        bar.start(total, 0);
      }
    },
    update(done) {
      if (bar) {
        bar.update(done);
        return;
      }
      const step = total ? Math.floor((done / total) * PLAIN_STEPS) : PLAIN_STEPS;
      const now = Date.now();
      if (done >= total || (step !== lastStep && now - lastLine >= PLAIN_INTERVAL_MS)) {
        stream.write(`${label}: ${done}/${total}\n`);
        lastStep = step;
        lastLine = now;
      }
    },
    stop,
    log(line) {
      stop();
      stream.write(`${line}\n`);
    },
  };
}

/** Shows the events of an index build: counts once parsed, a bar while embedding. */
export function buildEventReporter(progress: Progress): (event: BuildEvent) => void {
  let embedding = false;
  return (event) => {
    if (event.stage === 'embedding') {
      if (!embedding) progress.start('Embedding', event.total);
      embedding = true;
      progress.update(event.done);
      return;
    }
    embedding = false;
    if (event.stage === 'parsed') progress.log(`Read ${event.documents} text(s): ${event.passages} passages, ${event.units} search units.`);
    else if (event.stage === 'indexing') progress.log(`Indexing ${event.units} units…`);
    else if (event.stage === 'skipped') progress.log(`Skipped ${event.file}: ${event.reason}`);
    else progress.log(`Index written: ${event.manifest.counts.units} units in ${Math.round(event.manifest.buildMs / 1000)} s.`);
  };
}

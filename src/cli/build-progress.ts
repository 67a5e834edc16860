/**
 * How a command shows an index build: `npm run embed`, and `npm start` when it
 * must build before the chat or the bot can answer (issue 17: a single
 * "rebuilding the index…" line for 4 min 38 s looked like a hang).
 */
import cliProgress from 'cli-progress';
import type { BuildEvent } from '../index/build.js';

/** "1m 05s" */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export interface BuildProgressOptions {
  /** Where the bar is drawn, when it is a terminal. Default stderr. */
  stream?: NodeJS.WriteStream;
  /**
   * Writes a line: the counts, skipped files, and without a terminal the
   * progress at each tenth of the way (logs, CI, the bot's JSON log).
   * Default: a line on `stream`.
   */
  line?: (text: string) => void;
}

export interface BuildProgress {
  onEvent(event: BuildEvent): void;
  /** Stops the bar (a stopped or failed build); a finished build stops it itself. */
  stop(): void;
}

/**
 * A progress bar of the passages being embedded, with rate, word pieces,
 * elapsed time and ETA, on a terminal; a line each tenth of the way otherwise.
 */
export function buildProgress(options: BuildProgressOptions = {}): BuildProgress {
  const stream = options.stream ?? process.stderr;
  const line = options.line ?? ((text: string) => stream.write(`${text}\n`));
  // value/total count passages (paragraphs) to embed; rate and ETA come from them too.
  const bar = stream.isTTY
    ? new cliProgress.SingleBar(
        {
          format:
            'Embedding [{bar}] {value}/{total} passages | {rate} passages/s | {tokens} word pieces | {elapsed} elapsed, ETA {remaining}',
          stream,
          hideCursor: true,
          etaBuffer: 20,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let started = 0;
  let barRunning = false;
  let lastLogged = -1;
  const stop = () => {
    if (barRunning) bar?.stop();
    barRunning = false;
  };
  const onEmbedding = (event: Extract<BuildEvent, { stage: 'embedding' }>) => {
    if (event.done === 0 && started === 0) started = performance.now();
    const elapsed = (performance.now() - started) / 1000;
    const rate = elapsed > 0 ? event.done / elapsed : 0;
    const remaining = rate > 0 ? (event.total - event.done) / rate : Number.NaN;
    const payload = {
      rate: rate.toFixed(1),
      tokens: event.tokens.toLocaleString('en'),
      elapsed: duration(elapsed),
      remaining: duration(remaining),
    };
    if (bar) {
      if (!barRunning) bar.start(event.total, 0, payload);
      barRunning = true;
      bar.update(event.done, payload);
      if (event.done === event.total) stop();
    } else {
      const step = Math.floor((event.done / event.total) * 10);
      if (step !== lastLogged)
        line(
          `Embedding: ${event.done}/${event.total} passages, ${payload.rate} passages/s, ${payload.tokens} word pieces, ${payload.elapsed} elapsed, ETA ${payload.remaining}`,
        );
      lastLogged = step;
    }
  };
  return {
    onEvent(event) {
      if (event.stage === 'skipped') line(`Skipped: ${event.reason}`);
      else if (event.stage === 'parsed')
        line(`Read ${event.documents} text(s): ${event.passages} passages, ${event.units} search units.`);
      else if (event.stage === 'embedding') onEmbedding(event);
      else if (event.stage === 'indexing') {
        stop();
        line(`Indexing ${event.units} search units…`);
      }
    },
    stop,
  };
}

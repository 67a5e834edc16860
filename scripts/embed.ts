/** `npm run embed [-- --force]`: (re)build the index in embeddings/ from texts/. */
import cliProgress from 'cli-progress';
import { runMain } from '../src/cli/run.js';
import { loadCoreConfig } from '../src/config.js';
import type { BuildEvent } from '../src/index/build.js';
import { buildInWorker } from '../src/index/build-in-worker.js';

const USAGE = `Usage: npm run embed [-- --force] [-- --strict]

Reads the texts in texts/ (or LECTERN_TEXTS_DIR), embeds their passages with the
configured model and writes the search index to embeddings/ (or LECTERN_INDEX_DIR).
Only new or changed passages are embedded. --force rebuilds even when current.
A file that cannot be read is skipped with a warning naming it; --strict fails
the build instead (for CI), leaving the previous index in place.

Ctrl-C stops the build and leaves the previous index as it was; the next run
resumes with what was already embedded.`;

/** "1m 05s" */
function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

runMain(async () => {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const unknown = args.filter((a) => a !== '--force' && a !== '--strict');
  if (unknown.length) {
    console.error(`Unknown argument: ${unknown[0]}\n\n${USAGE}`);
    return 2;
  }
  const config = loadCoreConfig();
  const controller = new AbortController();
  process.on('SIGINT', () => {
    // One Ctrl-C can arrive twice (the terminal signals the process group, and tsx relays it too).
    if (!controller.signal.aborted) controller.abort();
  });
  const tty = process.stderr.isTTY;
  // value/total count passages (paragraphs) to embed; rate and ETA come from them too.
  const bar = tty
    ? new cliProgress.SingleBar(
        {
          format:
            'Embedding [{bar}] {value}/{total} passages | {rate} passages/s | {tokens} word pieces | {elapsed} elapsed, ETA {remaining}',
          stream: process.stderr,
          hideCursor: true,
          etaBuffer: 20,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let started = 0;
  let barStarted = false;
  let lastLogged = -1;
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
      if (!barStarted) bar.start(event.total, 0, payload);
      barStarted = true;
      bar.update(event.done, payload);
      if (event.done === event.total) bar.stop();
    } else {
      const step = Math.floor((event.done / event.total) * 10);
      if (step !== lastLogged)
        console.error(
          `Embedding: ${event.done}/${event.total} passages, ${payload.rate} passages/s, ${payload.tokens} word pieces, ${payload.elapsed} elapsed, ETA ${payload.remaining}`,
        );
      lastLogged = step;
    }
  };
  let result;
  try {
    // In a worker thread, so Ctrl-C is handled at once even while the model holds its thread for a batch.
    result = await buildInWorker(config, {
      force: args.includes('--force'),
      strict: args.includes('--strict'),
      signal: controller.signal,
      onEvent: (event) => {
        if (event.stage === 'skipped') {
          console.error(`Skipped: ${event.reason}`);
        } else if (event.stage === 'parsed') {
          console.error(`Read ${event.documents} text(s): ${event.passages} passages, ${event.units} search units.`);
        } else if (event.stage === 'embedding') onEmbedding(event);
      },
    });
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    bar?.stop();
    console.error(
      `Build stopped. The previous index in ${config.indexDir} is unchanged; a re-run resumes with the passages already embedded.`,
    );
    return 130;
  }
  if (result.upToDate) {
    console.log(
      `Index is up to date (${result.manifest.counts.units} units, build ${result.manifest.buildId}). Use --force to rebuild.`,
    );
  } else {
    const m = result.manifest;
    console.log(
      `Wrote ${config.indexDir}: ${m.counts.documents} text(s), ${m.counts.passages} passages, ${m.counts.units} units; embedded ${result.embedded}, reused ${result.reused}; ${result.tokens.toLocaleString('en')} word pieces; ${m.buildMs} ms.`,
    );
  }
  return 0;
});

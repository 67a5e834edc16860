/** `npm run embed [-- --force]`: (re)build the index in data/index/ from texts/. */
import { buildProgress } from '../src/cli/build-progress.js';
import { runMain } from '../src/cli/run.js';
import { loadCoreConfig } from '../src/config.js';
import { buildInWorker } from '../src/index/build-in-worker.js';

const USAGE = `Usage: npm run embed [-- --force] [-- --strict]

Reads the texts in texts/ (or LECTERN_TEXTS_DIR), embeds their passages with the
configured model and writes the search index to data/index/ (or LECTERN_DATA_DIR/index,
or LECTERN_INDEX_DIR), never to the bundled index in embeddings/, which is used as
it is while it fits the texts. Only new or changed passages are embedded (vectors
of unchanged ones are taken from the previous or the bundled index).
--force rebuilds even when current. A running chat or bot switches to the new
build by itself.
A file that cannot be read is skipped with a warning naming it; --strict fails
the build instead (for CI), leaving the previous index in place.

Ctrl-C stops the build and leaves the previous index as it was; the next run
resumes with what was already embedded.`;

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
  const progress = buildProgress();
  let result;
  try {
    // In a worker thread, so Ctrl-C is handled at once even while the model holds its thread for a batch.
    result = await buildInWorker(config, {
      force: args.includes('--force'),
      strict: args.includes('--strict'),
      signal: controller.signal,
      onEvent: progress.onEvent,
    });
  } catch (error) {
    progress.stop();
    if (!controller.signal.aborted) throw error;
    console.error(
      `Build stopped. The previous index in ${config.indexDir} is unchanged; a re-run resumes with the passages already embedded.`,
    );
    return 130;
  }
  if (result.upToDate) {
    const bundled =
      result.indexDir !== config.indexDir ? `; the bundled index in ${result.indexDir} fits the texts` : '';
    console.log(
      `Index is up to date (${result.manifest.counts.units} units, build ${result.manifest.buildId}${bundled}). Use --force to rebuild.`,
    );
  } else {
    const m = result.manifest;
    console.log(
      `Wrote ${config.indexDir}: ${m.counts.documents} text(s), ${m.counts.passages} passages, ${m.counts.units} units; embedded ${result.embedded}, reused ${result.reused}; ${result.tokens.toLocaleString('en')} word pieces; ${m.buildMs} ms.`,
    );
  }
  return 0;
});

/** `npm run embed [-- --force]`: (re)build the index in embeddings/ from texts/. */
import cliProgress from 'cli-progress';
import { runMain } from '../src/cli/run.js';
import { loadCoreConfig } from '../src/config.js';
import { buildIndex } from '../src/index/build.js';

const USAGE = `Usage: npm run embed [-- --force] [-- --strict]

Reads the texts in texts/ (or LECTERN_TEXTS_DIR), embeds their passages with the
configured model and writes the search index to embeddings/ (or LECTERN_INDEX_DIR).
Only new or changed passages are embedded. --force rebuilds even when current.
A file that cannot be read is skipped with a warning naming it; --strict fails
the build instead (for CI), leaving the previous index in place.`;

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
  const tty = process.stderr.isTTY;
  const bar = tty ? new cliProgress.SingleBar({ format: 'Embedding [{bar}] {value}/{total} passages', stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic) : null;
  let lastLogged = -1;
  const result = await buildIndex(config, {
    force: args.includes('--force'),
    strict: args.includes('--strict'),
    onEvent: (event) => {
      if (event.stage === 'skipped') {
        console.error(`Skipped: ${event.reason}`);
      } else if (event.stage === 'parsed') {
        console.error(`Read ${event.documents} text(s): ${event.passages} passages, ${event.units} search units.`);
      } else if (event.stage === 'embedding') {
        if (bar) {
          if (event.done <= 32 || !bar.getTotal()) bar.start(event.total, 0);
          bar.update(event.done);
          if (event.done === event.total) bar.stop();
        } else {
          const pct = Math.floor((event.done / event.total) * 10);
          if (pct !== lastLogged) console.error(`Embedding: ${event.done}/${event.total}`);
          lastLogged = pct;
        }
      }
    },
  });
  if (result.upToDate) {
    console.log(`Index is up to date (${result.manifest.counts.units} units, build ${result.manifest.buildId}). Use --force to rebuild.`);
  } else {
    const m = result.manifest;
    console.log(`Wrote ${config.indexDir}: ${m.counts.documents} text(s), ${m.counts.passages} passages, ${m.counts.units} units; embedded ${result.embedded}, reused ${result.reused}; ${m.buildMs} ms.`);
  }
  return 0;
});

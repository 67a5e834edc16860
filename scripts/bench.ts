/**
 * `npm run bench [-- options]`: Lectern's performance suite (bench/lib/suite.ts).
 * Prints tables, writes bench/results.json and the latest run into
 * bench/README.md; see that file for what each figure means.
 */
import { main } from '../bench/lib/suite.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);

import 'dotenv/config';
import { LecternError, userMessage } from '../errors.js';

/**
 * Runs a command-line entry point: expected failures print one line and set
 * the exit code; unexpected ones print a short line plus the error for bug reports.
 */
export function runMain(main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      if (typeof code === 'number') process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof LecternError) {
        process.stderr.write(`lectern: ${error.message}\n`);
        process.exitCode = error.exitCode;
      } else {
        process.stderr.write(`lectern: ${userMessage(error)}\n`);
        if (process.env.LECTERN_DEBUG) console.error(error);
        else
          process.stderr.write(
            `(set LECTERN_DEBUG=1 for details: ${error instanceof Error ? error.message : String(error)})\n`,
          );
        process.exitCode = 1;
      }
    },
  );
}

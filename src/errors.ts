/**
 * An expected failure with a one-line message for the reader that names the
 * fix (e.g. "run npm run embed"). Entry points print `message` alone, never a
 * stack trace; anything that is not a LecternError is a bug and is logged in full.
 * Every expected failure extends it (CorpusError for a text that cannot be read), so
 * `instanceof LecternError` is the one test; nothing is recognised by its name.
 */
export class LecternError extends Error {
  override name = 'LecternError';
  constructor(
    message: string,
    /** Process exit code for command-line tools. */
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** The message to show a reader for any error: ours verbatim, others summarised. */
export function userMessage(error: unknown): string {
  if (error instanceof LecternError) return error.message;
  return 'Something went wrong inside Lectern (details are in the log).';
}

/**
 * A set that cannot be run as written: a bad line, a kind it does not have, a gold
 * paragraph past the end of its text. The eval command prints the message after
 * the file's name; anything else thrown while evaluating is a bug.
 */
export class EvalSetError extends Error {
  override name = 'EvalSetError';
}

/**
 * Reading settings from the environment: the one parser behind the core
 * configuration (src/config.ts) and the Discord bot's (src/discord/config.ts),
 * so both read `.env` the same way.
 *
 * - A blank value (`LECTERN_MODEL_DIR=`, exactly as `.env.example` shows it) means
 *   "not set": the default applies.
 * - Booleans accept true/false, 1/0, yes/no and on/off, in any case.
 * - A bad value stops start-up with one line naming the variable and the fix,
 *   never with the value itself (it may be a token).
 */
import { z } from 'zod';
import { LecternError } from './errors.js';

/** true/false, 1/0, yes/no, on/off in any case (surrounding white space ignored). */
export const envBoolean = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(
    z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], {
      error: 'must be true or false (also 1/0, yes/no, on/off)',
    }),
  )
  .transform((v) => v === 'true' || v === '1' || v === 'yes' || v === 'on');

/** A whole number in `[min, max]`. */
export const envInteger = (min: number, max: number) =>
  z.coerce
    .number()
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

/** A copy of `env` without blank values, so a blank means "not set" for every variable. */
export function withoutBlanks(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && value.trim() !== '') out[name] = value;
  return out;
}

/**
 * Parses `env` with `schema` (blank values removed first). Throws a
 * {@link LecternError}: "`<what>`: NAME problem. Fix it in .env (see .env.example)."
 * A missing required variable reads "NAME is required" unless the schema says more.
 */
export function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv, what: string): z.infer<T> {
  const parsed = schema.safeParse(withoutBlanks(env));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const name = String(issue.path[0] ?? 'configuration');
  // zod's own "Invalid input: expected string, received undefined" becomes "is required"; a schema's own words stay.
  const missing =
    issue.code === 'invalid_type' && issue.input === undefined && issue.message.startsWith('Invalid input');
  const problem = missing ? 'is required' : issue.message;
  throw new LecternError(`${what}: ${name} ${problem}. Fix it in .env (see .env.example).`);
}

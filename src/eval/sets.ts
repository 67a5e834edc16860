import type { Lectern } from '../lectern.js';
import type { Progress } from './progress.js';
import type { ReadingAlongOptions } from './reading-along.js';

/** Which questions of a set to run. */
export interface SetFilters {
  /** Keep only these kinds (as written in the file's `kind` field). */
  kinds?: readonly string[];
  /** Keep only the first N lines (after the kind filter). */
  limit?: number;
}

/** What a set needs to run. */
export interface SetContext {
  lectern: Lectern;
  /** The folder the index was built from: sets that refer to files (gold paragraphs) read them there. */
  textsDir: string;
  progress: Progress;
  /** Longer human-readable reports (quotes of misses). */
  verbose: boolean;
  /** `--until`: ask each question with a chapter under a reader's limit instead (question sets only). */
  readingAlong?: Omit<ReadingAlongOptions, 'onProgress'>;
}

export interface SetReport {
  /** Human-readable report: details first, summary tables last (so `tail` shows them). */
  text: string;
  /** Everything measured, for `--json`. */
  json: Record<string, unknown>;
}

/** A set read from its file and filtered, ready to run. */
export interface ParsedSet {
  /** What will run, e.g. "66 questions". */
  summary: string;
  run(context: SetContext): Promise<SetReport>;
}

/**
 * A kind of evaluation set, recognised by the shape of its JSONL lines, so that
 * `npm run eval FILE` runs any of them: question sets today, conversations later.
 */
export interface EvalSetKind {
  name: string;
  /** One line for `--help`: what a line of such a set looks like. */
  lineShape: string;
  /** Whether a parsed line belongs to a set of this kind. */
  recognises(line: Record<string, unknown>): boolean;
  /** Parses and filters the file; throws an EvalSetError whose message names the bad line. */
  parse(text: string, filters: SetFilters): ParsedSet;
}

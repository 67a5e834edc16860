import { conversationSet } from './conversation-set.js';
import { questionSet } from './question-set.js';
import { EvalSetError } from './set-error.js';
import type { EvalSetKind } from './sets.js';

/** Every kind of set, tried in order against the file's first line. */
export const SET_KINDS: readonly EvalSetKind[] = [questionSet, conversationSet];

/** The kind of set a file holds, judged from its first non-blank line. Throws an EvalSetError. */
export function detectSetKind(text: string): EvalSetKind {
  const index = text.split('\n').findIndex((line) => line.trim());
  if (index < 0) throw new EvalSetError('the file is empty');
  let line: unknown;
  try {
    line = JSON.parse(text.split('\n')[index]!);
  } catch {
    throw new EvalSetError(`line ${index + 1} is not valid JSON`);
  }
  const kind = line && typeof line === 'object' && !Array.isArray(line) ? SET_KINDS.find((k) => k.recognises(line as Record<string, unknown>)) : undefined;
  if (!kind) throw new EvalSetError(`line ${index + 1} is not a line of any known set (${SET_KINDS.map((k) => k.lineShape).join('; ')})`);
  return kind;
}

import { evaluateConversations, formatConversationMisses, formatConversationTable, parseConversationFile } from './conversation.js';
import { EvalSetError } from './set-error.js';
import type { EvalSetKind } from './sets.js';

/** Sets of conversations (eval/conversations.jsonl): `{"id", "turns": [...]}` per line, scored per turn kind. */
export const conversationSet: EvalSetKind = {
  name: 'conversations',
  lineShape: '{"id": "...", "turns": [{"say": "...", "kind": "new|why|more|context", ...}, ...]}',
  recognises: (line) => Array.isArray(line.turns),
  parse(text, filters) {
    let cases;
    try {
      cases = parseConversationFile(text);
    } catch (error) {
      throw new EvalSetError((error as Error).message);
    }
    if (filters.limit !== undefined) cases = cases.slice(0, filters.limit);
    const turns = cases.reduce((n, c) => n + c.turns.length, 0);
    return {
      summary: `${cases.length} conversations, ${turns} turns`,
      async run({ lectern, readingAlong }) {
        if (readingAlong) throw new EvalSetError('--until applies to question sets with a "chapter", not to conversations');
        const { results, metrics } = await evaluateConversations(lectern, cases);
        const misses = formatConversationMisses(results);
        const text = [misses.length ? `Misses (${misses.length}):\n${misses.join('\n')}\n` : '', formatConversationTable(metrics)].filter(Boolean).join('\n');
        return { text, json: { set: 'conversations', conversations: cases.length, metrics, results } };
      },
    };
  },
};

/**
 * Evaluation of conversations (eval/conversations.jsonl): two- and three-turn
 * exchanges, each turn with the kind of message it is and the passage that
 * should answer it. Scores classification (new question or follow-up), the
 * decision to answer, and the quoted passage, per turn kind.
 */
import { z } from 'zod';
import type { Lectern } from '../lectern.js';
import type { MessageKind } from '../search/follow-up.js';
import type { Answer } from '../types.js';
import { normaliseForMatch } from './evaluate.js';

const KINDS = ['new', 'why', 'more', 'context'] as const;

export const ConversationTurnCase = z.object({
  /** What the reader types. */
  q: z.string().min(1),
  /** What the message is: a new question, or a follow-up ("why", "more", "context"). */
  kind: z.enum(KINDS),
  /** Expected: answered (default true). False: the right answer is to decline. */
  answered: z.boolean().optional(),
  /** Expected status when it is neither answered nor declined ("help" for small talk). */
  status: z.enum(['help']).optional(),
  /** ¶ numbers whose quote is right; any one of them. */
  paragraph: z.array(z.number().int().min(0)).optional(),
  /** A substring the quote must hold. */
  expect: z.string().optional(),
});
export type ConversationTurnCase = z.infer<typeof ConversationTurnCase>;

export const ConversationCase = z.object({ id: z.string().min(1), turns: z.array(ConversationTurnCase).min(2) });
export type ConversationCase = z.infer<typeof ConversationCase>;

/** True when a JSONL line holds a conversation (it has `turns`), so one eval command can read both kinds of set. */
export function isConversationLine(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && Array.isArray((value as { turns?: unknown }).turns);
  } catch {
    return false;
  }
}

/** Parses a conversations file, naming the line of the first bad case. */
export function parseConversationFile(text: string): ConversationCase[] {
  const cases: ConversationCase[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`line ${i + 1} is not JSON`);
    }
    const parsed = ConversationCase.safeParse(value);
    if (!parsed.success) throw new Error(`line ${i + 1}: ${parsed.error.issues[0]?.message ?? 'invalid conversation'}`);
    cases.push(parsed.data);
  });
  return cases;
}

/** The outcome of one turn. */
export interface TurnResult {
  conversation: string;
  turn: number;
  q: string;
  expectedKind: MessageKind;
  kind: MessageKind;
  /** Classified as expected. */
  kindOk: boolean;
  /** Answered (or declined, or gave help) as expected. */
  decisionOk: boolean;
  /** The quote's ¶ is one of the expected (true when none is given). */
  passageOk: boolean;
  /** The quote holds the expected substring (true when none is given). */
  expectOk: boolean;
  pass: boolean;
  /** ¶ of the quote, if any. */
  paragraph?: number;
  quote?: string;
  followUpOf?: string;
}

/** Counts per turn kind. */
export interface TurnKindMetrics {
  kind: MessageKind | 'all';
  turns: number;
  pass: number;
  kindOk: number;
  decisionOk: number;
  passageOk: number;
}

function scoreTurn(conversation: string, turn: number, expected: ConversationTurnCase, kind: MessageKind, answer: Answer, paragraphOf: (passageId: string) => number | undefined): TurnResult {
  const wantStatus = expected.status ?? (expected.answered === false ? 'abstained' : 'answered');
  const decisionOk = answer.status === wantStatus;
  const paragraph = answer.quote ? paragraphOf(answer.quote.passageId) : undefined;
  const answering = wantStatus === 'answered';
  const passageOk = !answering || !expected.paragraph || (paragraph !== undefined && expected.paragraph.includes(paragraph));
  const expectOk = !answering || !expected.expect || (answer.quote !== undefined && normaliseForMatch(answer.quote.text).includes(normaliseForMatch(expected.expect)));
  const kindOk = kind === expected.kind;
  return {
    conversation,
    turn,
    q: expected.q,
    expectedKind: expected.kind,
    kind,
    kindOk,
    decisionOk,
    passageOk,
    expectOk,
    pass: kindOk && decisionOk && passageOk && expectOk,
    ...(paragraph !== undefined ? { paragraph } : {}),
    ...(answer.quote ? { quote: answer.quote.text } : {}),
    ...(answer.followUp ? { followUpOf: answer.followUp.of } : {}),
  };
}

/**
 * Plays each conversation through {@link Lectern.converse}, one key per
 * conversation, and scores every turn.
 */
export async function evaluateConversations(lectern: Lectern, cases: readonly ConversationCase[]): Promise<{ results: TurnResult[]; metrics: TurnKindMetrics[] }> {
  const results: TurnResult[] = [];
  const paragraphOf = (id: string) => lectern.library.getPassageById(id)?.paragraph;
  for (const c of cases) {
    const key = `eval:${c.id}`;
    lectern.conversations.delete(key);
    for (const [i, turn] of c.turns.entries()) {
      const { answer, kind } = await lectern.converse(key, turn.q);
      results.push(scoreTurn(c.id, i + 1, turn, kind, answer, paragraphOf));
    }
    lectern.conversations.delete(key);
  }
  return { results, metrics: conversationMetrics(results) };
}

/** Pass counts per expected turn kind, then for all turns. */
export function conversationMetrics(results: readonly TurnResult[]): TurnKindMetrics[] {
  const row = (kind: TurnKindMetrics['kind'], rs: readonly TurnResult[]): TurnKindMetrics => ({
    kind,
    turns: rs.length,
    pass: rs.filter((r) => r.pass).length,
    kindOk: rs.filter((r) => r.kindOk).length,
    decisionOk: rs.filter((r) => r.decisionOk).length,
    passageOk: rs.filter((r) => r.passageOk && r.expectOk).length,
  });
  return [...KINDS.map((k) => row(k, results.filter((r) => r.expectedKind === k))).filter((m) => m.turns > 0), row('all', results)];
}

/** A plain-text table of {@link conversationMetrics}: counts and shares per turn kind. */
export function formatConversationTable(metrics: readonly TurnKindMetrics[]): string {
  const pct = (n: number, d: number) => (d ? `${n}/${d} (${Math.round((100 * n) / d)}%)` : '–');
  const header = ['turn kind', 'turns', 'pass', 'classified', 'decision', 'passage'];
  const rows = metrics.map((m) => [m.kind, String(m.turns), pct(m.pass, m.turns), pct(m.kindOk, m.turns), pct(m.decisionOk, m.turns), pct(m.passageOk, m.turns)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** One line per failed turn, saying which check failed. */
export function formatConversationMisses(results: readonly TurnResult[]): string[] {
  return results
    .filter((r) => !r.pass)
    .map((r) => {
      const what = [
        !r.kindOk && `classified ${r.kind}, expected ${r.expectedKind}`,
        !r.decisionOk && 'wrong decision',
        !r.passageOk && `quoted ${r.paragraph === undefined ? 'nothing' : `¶${r.paragraph}`}`,
        !r.expectOk && 'quote misses the expected words',
      ].filter(Boolean);
      return `- ${r.conversation} turn ${r.turn} "${r.q}": ${what.join(', ')}`;
    });
}

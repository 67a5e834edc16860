/**
 * `npx lectern ask --explain`: what each stage of the answer path did to the
 * best candidates (src/search/ask.ts records it in the answer's evidence),
 * for a curious reader and for the next maintainer tuning a stage.
 */
import type { Library } from '../corpus/library.js';
import type { AnswerEvidence } from '../search/ask.js';
import type { Answer } from '../types.js';

/** How many of the final candidates get a row. */
const ROWS = 5;

const num = (n: number | undefined, digits = 3): string => (n === undefined ? '—' : n.toFixed(digits));

/** "¶12" in a one-text library, "moby-dick#¶12" otherwise. */
function passageLabel(passageId: string, library: Library): string {
  const hash = passageId.lastIndexOf('#');
  const paragraph = `¶${passageId.slice(hash + 1)}`;
  return library.documents.length > 1 ? `${passageId.slice(0, hash)} ${paragraph}` : paragraph;
}

/** The explanation of one answer, as plain text lines. */
export function formatExplanation(answer: Answer, evidence: AnswerEvidence | undefined, library: Library): string {
  if (!evidence) return `explain: no search was made (${answer.status}: ${answer.message ?? ''}).`;
  const lines: string[] = [];
  const label = (id: string) => passageLabel(id, library);
  const { retrieval, analysis } = evidence;
  lines.push(`analyse   answer type ${analysis.answerType}; searched "${answer.question}"`);
  if (analysis.introduced.length)
    lines.push(
      `          first mentions favoured: ${analysis.introduced.map(([id, b]) => `${label(id)} +${num(b, 2)}`).join(', ')}`,
    );
  lines.push(
    `retrieve  ${retrieval.mode}${retrieval.filtered ? ', filtered' : ''}: ${retrieval.found.dense} dense units, ` +
      `${retrieval.found.lexical} BM25 units, ${retrieval.found.seeded} seeded; best similarity ${num(evidence.topDense)}, ` +
      `best BM25 ${num(retrieval.topLexical, 2)}`,
  );

  // One row per final candidate: its fused score, what each reranker added, its final score and rank path.
  const fusedRank = new Map(evidence.fused.map((f, i) => [f.passageId, { rank: i + 1, ...f }]));
  const rerankers = evidence.rerank.map((r) => r.reranker);
  const header = ['rank', 'passage', 'dense', 'bm25', 'fused', ...rerankers, 'final', 'path'];
  const rows: string[][] = [];
  const top = evidence.ranked.slice(0, ROWS);
  top.forEach((shown, i) => {
    const id = shown.passageId;
    const fused = fusedRank.get(id);
    const path = [fused ? String(fused.rank) : '>10'];
    const deltas = evidence.rerank.map((record) => {
      const move = record.moves.find((m) => m.passageId === id);
      if (!move) return '·';
      if (move.from !== move.to) path.push(String(move.to));
      const delta = move.after - move.before;
      return delta === 0 ? '±0' : `${delta > 0 ? '+' : ''}${num(delta)}`;
    });
    rows.push([
      String(i + 1),
      label(id),
      num(shown.dense),
      num(shown.lexical),
      fused ? num(fused.score) : '—',
      ...deltas,
      num(shown.score),
      path.join('→'),
    ]);
  });
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const row = (cells: string[]) =>
    cells
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  lines.push('rank      (scores before they are clamped to [0, 1] for display; "·": the reranker left it alone)');
  lines.push(`  ${row(header)}`);
  for (const r of rows) lines.push(`  ${row(r)}`);
  for (const record of evidence.rerank) {
    const others = record.moves.filter((m) => m.from !== m.to && !top.some((p) => p.passageId === m.passageId));
    if (others.length)
      lines.push(
        `  ${record.reranker} also moved: ${others.map((m) => `${label(m.passageId)} ${m.from}→${m.to}`).join(', ')}`,
      );
  }

  lines.push(
    `decide    ${answer.answered ? 'answered' : 'declined'} by rule "${evidence.rule}"; similarity ${num(evidence.topDense)}, ` +
      `off-topic z ${num(evidence.offTopicZ, 2)}, coverage ${num(evidence.coverage, 2)} (best passage ${num(evidence.topCoverage, 2)}), ` +
      `unknown names ${evidence.unknownNames.length ? evidence.unknownNames.join(', ') : 'none'}` +
      (evidence.slotStated === undefined ? '' : `, slot stated ${evidence.slotStated ? 'yes' : 'no'}`),
  );
  if (evidence.quote) {
    const scores = evidence.quote.sentenceScores;
    const best = scores.indexOf(Math.max(...scores));
    lines.push(
      `quote     ${label(evidence.quote.passageId)}, best sentence ${best + 1} of ${scores.length}; sentence scores ${scores.map((s) => num(s, 2)).join(' ')}`,
    );
  }
  return lines.join('\n');
}

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Library } from '../corpus/library.js';
import type { Passage } from '../types.js';
import { EvalSetError } from './set-error.js';

/** Folds runs of white space (line breaks of hard-wrapped text, CRLF, NBSP) to one space. */
export const foldSpace = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * The body paragraphs of a text file as SQuAD-style sets number them: blank-line
 * separated blocks after any `---` front matter, white space folded. Read from
 * the file itself rather than from Lectern's passages, so the gold paragraph
 * stays the same whatever Lectern makes of the file (headings as sections,
 * merged lead-ins, other ¶ numbering).
 */
export function bodyBlocks(fileText: string): string[] {
  const text = fileText.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const body = text.replace(/^---\n[\s\S]*?\n---\n/, '');
  return body
    .split(/\n\s*\n/)
    .map(foldSpace)
    .filter((block) => block.length > 0);
}

/**
 * Whether a passage is the gold paragraph: the same text once white space is
 * folded, or one contains the other and the shorter is at least half the longer
 * (a short lead-in merged with the paragraph, or a paragraph cut in two, still counts;
 * a whole chapter that happens to contain it does not).
 */
export function isSameParagraph(passageText: string, goldBlock: string): boolean {
  const passage = foldSpace(passageText);
  if (passage === goldBlock) return true;
  const [shorter, longer] = passage.length <= goldBlock.length ? [passage, goldBlock] : [goldBlock, passage];
  return shorter.length * 2 >= longer.length && longer.includes(shorter);
}

interface GoldFile {
  docId: string;
  blocks: string[];
}

/** A question that names a gold paragraph. */
export interface GoldQuestion {
  q: string;
  paragraph?: number;
  file?: string;
}

/** The gold paragraphs of the texts a SQuAD-style set refers to. */
export class GoldParagraphs {
  private constructor(
    private readonly files: ReadonlyMap<string, GoldFile>,
    /** The file questions without `file` refer to: the folder's only text. */
    private readonly defaultFile: string | undefined,
  ) {}

  /**
   * Reads the body blocks of every file the questions' gold paragraphs are in.
   * Throws an EvalSetError when a question's paragraph cannot be found.
   */
  static async read(textsDir: string, library: Library, questions: readonly GoldQuestion[]): Promise<GoldParagraphs> {
    const defaultFile = library.documents.length === 1 ? library.documents[0]!.file : undefined;
    const files = new Map<string, GoldFile>();
    for (const question of questions) {
      if (question.paragraph === undefined) continue;
      const file = question.file ?? defaultFile;
      if (!file) throw new EvalSetError(`"${question.q}" names paragraph ${question.paragraph} but not its text: add "file" to the line, or use a texts folder with one text`);
      let entry = files.get(file);
      if (!entry) {
        const doc = library.documents.find((d) => d.file === file);
        if (!doc) throw new EvalSetError(`"${question.q}" refers to ${file}, which is not among the indexed texts`);
        entry = { docId: doc.id, blocks: bodyBlocks(await readFile(path.join(textsDir, file), 'utf8')) };
        files.set(file, entry);
      }
      if (question.paragraph > entry.blocks.length) {
        throw new EvalSetError(`"${question.q}" names paragraph ${question.paragraph}, but ${file} has ${entry.blocks.length}`);
      }
    }
    return new GoldParagraphs(files, defaultFile);
  }

  /** Whether `passage` is the question's gold paragraph; false for questions without one. */
  isGold(question: GoldQuestion, passage: Passage): boolean {
    if (question.paragraph === undefined) return false;
    const entry = this.files.get(question.file ?? this.defaultFile ?? '');
    if (!entry || passage.docId !== entry.docId) return false;
    return isSameParagraph(passage.text, entry.blocks[question.paragraph - 1]!);
  }
}

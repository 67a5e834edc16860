/**
 * Which passages a search may return. Filters are applied inside retrieval
 * (hnswlib's filter callback, MiniSearch's `filter` option), so a filtered
 * search still returns k candidates rather than k filtered down to a few.
 * Several filters compose: a passage must pass every one (a reader's
 * "chapters 30–35" and a reading group's "never past chapter 40").
 */
import type { Library } from '../../corpus/library.js';
import { lastReadableParagraph } from '../../corpus/reading-limit.js';
import type { LibraryDocument, Passage, ReadingLimit } from '../../types.js';

/** One restriction on the passages searched; every field given must hold. */
export interface PassageFilter {
  /** Only this document's passages. */
  docId?: string;
  /** Only chapters `from`…`to` (ordinals) of document `docId`. */
  chapters?: { docId: string; from: number; to: number };
  /** Any other rule, e.g. "not past chapter N" for a reading group. */
  allows?: (passage: Passage) => boolean;
}

/** Filters as a retriever receives them: as given (for a store that filters by payload) and as a test of a unit. */
export interface RetrievalFilter {
  readonly filters: readonly PassageFilter[];
  /** Whether a unit (by label) may be returned: hnswlib's and MiniSearch's filter callbacks. */
  allowsUnit(label: number): boolean;
}

/** The ids of the passages in chapters `from`…`to` of a document. */
function chapterPassageIds(library: Library, range: { docId: string; from: number; to: number }): Set<string> {
  const ids = new Set<string>();
  for (const chapter of library.listChapters(range.docId)) {
    if (chapter.ordinal < range.from || chapter.ordinal > range.to) continue;
    for (let p = chapter.firstParagraph; p <= chapter.lastParagraph; p++) ids.add(`${range.docId}#${p}`);
  }
  return ids;
}

/** One filter as a test of a passage id. */
function passageTest(library: Library, filter: PassageFilter): (passageId: string) => boolean {
  const tests: ((passageId: string) => boolean)[] = [];
  if (filter.chapters) {
    const ids = chapterPassageIds(library, filter.chapters);
    tests.push((id) => ids.has(id));
  }
  if (filter.docId) {
    const prefix = `${filter.docId}#`;
    tests.push((id) => id.startsWith(prefix));
  }
  if (filter.allows) {
    const allows = filter.allows;
    tests.push((id) => {
      const passage = library.getPassageById(id);
      return passage !== undefined && allows(passage);
    });
  }
  return tests.length === 1 ? tests[0]! : (id) => tests.every((test) => test(id));
}

/**
 * The filters as one {@link RetrievalFilter} over a library's units, or
 * undefined when nothing is filtered (the retrievers then skip the callback).
 */
export function retrievalFilter(
  library: Library,
  passageIdOf: (label: number) => string,
  filters: readonly PassageFilter[],
): RetrievalFilter | undefined {
  const active = filters.filter((f) => f.docId !== undefined || f.chapters !== undefined || f.allows !== undefined);
  if (active.length === 0) return undefined;
  const tests = active.map((f) => passageTest(library, f));
  const allows = tests.length === 1 ? tests[0]! : (id: string) => tests.every((test) => test(id));
  return { filters: active, allowsUnit: (label) => allows(passageIdOf(label)) };
}

/**
 * The passages a reader may see, as the stages that read the text beyond
 * retrieval need it (the names of the library, what its vocabulary knows):
 * `key` names it for their caches.
 */
export interface PassageScope {
  key: string;
  allows(passage: Passage): boolean;
}

/** A reading limit (src/corpus/reading-limit.ts) as a scope: its text, up to the end of chapter `through`. */
export function readingScope(doc: LibraryDocument, limit: ReadingLimit): PassageScope {
  const last = lastReadableParagraph(doc, limit.through);
  return { key: `${doc.id}#${last}`, allows: (p) => p.docId === doc.id && p.paragraph <= last };
}

/** A reading limit as a filter inside retrieval, so a limited search still returns k candidates. */
export function readingFilter(scope: PassageScope): PassageFilter {
  return { allows: scope.allows };
}

import type { DocumentMetadata, LibraryDocument } from '../types.js';

/** A citation's parts, for renderers that lay them out themselves (e.g. an embed footer). */
export interface Citation {
  author: string;
  title: string;
  /** "Socialist Appeal, Vol. 1 No. 3, 28 August 1937, p. 9", or what of it is known. */
  source?: string;
  /** "¶4", or "header" for ¶0. */
  location: string;
}

/** Where a document appeared, from its metadata: publication, issue, date, page. */
export function formatSource(meta: DocumentMetadata): string | undefined {
  const parts = [meta.publication, meta.issue, meta.date ?? (meta.publication ? undefined : meta.dateLine), meta.page].filter(Boolean);
  return parts.length ? parts.join(', ') : undefined;
}

/** "¶4", or "header" for the header passage. */
export function formatLocation(paragraph: number): string {
  return paragraph === 0 ? 'header' : `¶${paragraph}`;
}

export function citationParts(doc: LibraryDocument, paragraph: number): Citation {
  return { author: doc.meta.author, title: doc.meta.title, source: formatSource(doc.meta), location: formatLocation(paragraph) };
}

/**
 * The citation of one passage, built from the document's metadata.
 *
 * @example
 * formatCitation(doc, 4)
 * // 'Victor Serge, "The End of Henry Yagoda", Socialist Appeal, Vol. 1 No. 3, 28 August 1937, p. 9, ¶4'
 */
export function formatCitation(doc: LibraryDocument, paragraph: number): string {
  const c = citationParts(doc, paragraph);
  return [c.author, `"${c.title}"`, c.source, c.location].filter(Boolean).join(', ');
}

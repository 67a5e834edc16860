import path from 'node:path/posix';
import type { Element } from 'domhandler';
import { findAll, findOne, getAttributeValue } from 'domutils';
import type { DocumentMetadata } from '../../types.js';
import { displayName, plausibleName } from '../metadata.js';
import { CorpusError, SUPPORTED_FORMATS } from '../decode.js';
import { MAX_UNZIPPED_BYTES, readZipEntry, zipEntries } from '../zip.js';
import { chapterFromTitle, classifyHeading, type BodyItem, type ParsedText } from '../structure.js';
import { fallbackMeta, type FormatInput, type TextFormat } from './format.js';
import { htmlBlocks, parseHtml, structureBlocks, visibleText } from './html.js';

/** Spine documents of these kinds are not text: covers, title pages, tables of contents, copyright pages. */
const FRONT_MATTER_TYPES =
  /\b(cover|titlepage|title-page|halftitlepage|toc|copyright-page|copyright|colophon|imprint|loi|lot|landmarks|index)\b/i;

interface TocEntry {
  title: string;
  /** Path inside the zip. */
  file: string;
  fragment?: string;
  depth: number;
  children: TocEntry[];
}

/** Local name of a tag: "dc:title" → "title", "opf:item" → "item". */
const local = (el: Element) => el.name.replace(/^.*:/, '');
const byLocal = (name: string) => (el: Element) => local(el) === name;

function resolveHref(base: string, href: string): { file: string; fragment?: string } {
  const [rawPath, fragment] = href.split('#') as [string, string | undefined];
  let decoded = rawPath;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    // A malformed escape: use the href as written.
  }
  return {
    file: decoded ? path.normalize(path.join(path.dirname(base), decoded)) : base,
    fragment: fragment || undefined,
  };
}

/**
 * Reads an EPUB 2 or 3 book: `META-INF/container.xml` names the package
 * (OPF) file; its `dc:title`, `dc:creator` and `dc:date` are the metadata;
 * the spine gives the reading order; the EPUB 3 navigation document (else the
 * EPUB 2 NCX) gives chapter titles and where chapters start. Top-level TOC
 * entries that group others are parts; the entries under them are chapters;
 * deeper entries are sections inside a chapter.
 *
 * Left out, by choice: spine items marked `linear="no"`; covers, title pages,
 * tables of contents, copyright pages and indexes (by `epub:type`, the EPUB 2
 * `<guide>` or the navigation document itself); footnotes and endnotes
 * (`epub:type`/`role` footnote, endnote, note, or `<aside>`), and the
 * note-reference and page-number markers inside paragraphs. Notes would cut
 * into the text and shift every ¶ number against a printed copy; front matter
 * such as a preface or an introduction is text and is read.
 */
export function readEpub(input: FormatInput): ParsedText {
  const bytes = typeof input.bytes === 'string' ? new TextEncoder().encode(input.bytes) : input.bytes;
  const files: Record<string, Uint8Array> = {};
  try {
    let total = 0;
    for (const entry of zipEntries(bytes)) {
      total += entry.declaredSize;
      if (total > MAX_UNZIPPED_BYTES)
        throw new CorpusError(
          `${input.file} unpacks to more than ${MAX_UNZIPPED_BYTES / 1024 / 1024} MB; it is not read.`,
        );
      if (!/\.(png|jpe?g|gif|svg|webp|ttf|otf|woff2?|mp3|mp4|css)$/i.test(entry.name))
        files[entry.name] = readZipEntry(bytes, entry);
    }
  } catch (error) {
    if (error instanceof CorpusError) throw error;
    throw new CorpusError(
      `${input.file} is not a readable EPUB (the zip archive is damaged); Lectern reads ${SUPPORTED_FORMATS}.`,
    );
  }
  const text = (name: string): string | undefined => {
    const data = files[name];
    return data ? new TextDecoder('utf-8').decode(data).replace(/^\uFEFF/, '') : undefined;
  };
  const container = text('META-INF/container.xml');
  const rootfile = container
    ? findOne(byLocal('rootfile'), parseHtml(container).children)?.attribs['full-path']
    : undefined;
  const opfPath =
    rootfile && files[rootfile] ? rootfile : Object.keys(files).find((f) => f.toLowerCase().endsWith('.opf'));
  if (!opfPath) {
    if (!container && !files.mimetype)
      throw new CorpusError(
        `${input.file} is a zip archive but not an EPUB (it has no META-INF/container.xml); Lectern reads ${SUPPORTED_FORMATS}.`,
      );
    throw new CorpusError(
      `${input.file} is an EPUB without a package (.opf) file, so its text cannot be found; Lectern reads ${SUPPORTED_FORMATS}.`,
    );
  }
  const opf = parseHtml(text(opfPath)!);

  const meta: DocumentMetadata = fallbackMeta(input);
  const metadata = findOne(byLocal('metadata'), opf.children);
  const dc = (name: string) =>
    metadata
      ? findAll(byLocal(name), metadata.children)
          .map((e) => visibleText(e))
          .filter(Boolean)
      : [];
  // EPUB 3 may give several titles, refined as main/subtitle; the first is the main title by convention.
  const titles = dc('title');
  if (titles[0]) meta.title = titles[0];
  if (titles[1]) meta.subtitle = titles[1];
  const creators = dc('creator').map(displayName).filter(plausibleName);
  if (creators.length) meta.author = creators.length > 2 ? `${creators[0]} et al.` : creators.join(' and ');
  const date = dc('date')[0];
  if (date) meta.dateLine = date;

  const manifest = new Map<string, { href: string; type: string; properties: string }>();
  for (const item of findAll(byLocal('item'), opf.children)) {
    const id = item.attribs.id;
    if (id && item.attribs.href)
      manifest.set(id, {
        href: resolveHref(opfPath, item.attribs.href).file,
        type: item.attribs['media-type'] ?? '',
        properties: item.attribs.properties ?? '',
      });
  }
  const spineEl = findOne(byLocal('spine'), opf.children);
  const navItem = [...manifest.values()].find((m) => /\bnav\b/.test(m.properties));
  const ncxItem =
    (spineEl?.attribs.toc ? manifest.get(spineEl.attribs.toc) : undefined) ??
    [...manifest.values()].find((m) => m.type === 'application/x-dtbncx+xml');
  const skipFiles = new Set<string>(navItem ? [navItem.href] : []);
  for (const ref of findAll(byLocal('reference'), opf.children)) {
    if (FRONT_MATTER_TYPES.test(ref.attribs.type ?? '') && ref.attribs.href)
      skipFiles.add(resolveHref(opfPath, ref.attribs.href).file);
  }
  const spine = (spineEl ? findAll(byLocal('itemref'), spineEl.children) : [])
    .filter((ref) => ref.attribs.linear !== 'no')
    .map((ref) => manifest.get(ref.attribs.idref ?? ''))
    .filter((m): m is NonNullable<typeof m> => !!m && /html|xml/.test(m.type) && !skipFiles.has(m.href));

  const toc =
    navItem && text(navItem.href)
      ? navToc(navItem.href, text(navItem.href)!)
      : ncxItem && text(ncxItem.href)
        ? ncxToc(ncxItem.href, text(ncxItem.href)!)
        : [];
  // Parts: top-level entries with children; chapters: the entries under them (or top-level leaves).
  const starts = new Map<string, { kind: 'part' | 'chapter'; title: string }[]>();
  const addStart = (entry: TocEntry, kind: 'part' | 'chapter') => {
    const key = `${entry.file}#${entry.fragment ?? ''}`;
    const list = starts.get(key) ?? [];
    list.push({ kind, title: entry.title });
    starts.set(key, list);
  };
  // A top-level entry with entries under it is a part ("SECTION IV", "Book One"), unless it is itself a
  // numbered chapter ("Chapter 3" with its sections listed under it): then it is the chapter, its children sections.
  const isPart = (e: TocEntry) => {
    if (!e.children.length) return false;
    const kind = classifyHeading(e.title);
    return kind?.kind === 'part' || chapterFromTitle(e.title).number === undefined;
  };
  for (const entry of toc) {
    if (isPart(entry)) {
      addStart(entry, 'part');
      const chapters = (e: TocEntry): TocEntry[] => e.children.flatMap((c) => (c.file ? [c] : chapters(c)));
      for (const child of chapters(entry)) addStart(child, 'chapter');
    } else if (entry.file) addStart(entry, 'chapter');
  }

  const items: BodyItem[] = [];
  for (const doc of spine) {
    const source = text(doc.href);
    if (!source) continue;
    const dom = parseHtml(source);
    const body = findOne((e) => e.name === 'body', dom.children);
    const bodyType = `${body ? (getAttributeValue(body, 'epub:type') ?? '') : ''} ${findOne((e) => e.name === 'section', dom.children)?.attribs['epub:type'] ?? ''}`;
    if (
      FRONT_MATTER_TYPES.test(bodyType) ||
      (findOne((e) => e.name === 'nav' && /\btoc\b/.test(e.attribs['epub:type'] ?? ''), dom.children) &&
        !findOne((e) => e.name === 'p', dom.children))
    )
      continue;
    const takeStarts = (key: string): BodyItem[] => {
      const found: BodyItem[] = [];
      for (const s of starts.get(key) ?? []) {
        if (s.kind === 'part') found.push({ kind: 'part', heading: s.title });
        else {
          const c = chapterFromTitle(s.title);
          found.push({
            kind: 'chapter',
            heading: s.title,
            ...(c.number ? { number: c.number } : {}),
            ...(c.title ? { title: c.title } : {}),
          });
        }
      }
      starts.delete(key);
      return found;
    };
    if (toc.length === 0) {
      items.push(...structureBlocks(htmlBlocks(dom)));
      continue;
    }
    items.push(...takeStarts(`${doc.href}#`));
    // Chapters that start at an anchor inside this file start where the walk meets the element with that id;
    // headings are left to the table of contents, which names the chapters.
    for (const block of htmlBlocks(dom, (el) =>
      el.attribs.id ? takeStarts(`${doc.href}#${el.attribs.id}`) : undefined,
    )) {
      if (block.kind === 'marker') items.push(...block.items);
      else if (block.kind === 'paragraph') items.push({ kind: 'paragraph', text: block.text });
    }
  }
  if (!items.some((i) => i.kind === 'paragraph'))
    throw new CorpusError(`${input.file} is an EPUB with no readable text in its spine.`);
  return { format: 'epub', meta, items };
}

/** The EPUB 3 navigation document's `<nav epub:type="toc">` as a tree. */
function navToc(navPath: string, source: string): TocEntry[] {
  const dom = parseHtml(source);
  const nav =
    findOne((e) => e.name === 'nav' && /\btoc\b/.test(e.attribs['epub:type'] ?? ''), dom.children) ??
    findOne((e) => e.name === 'nav', dom.children);
  const list = nav ? findOne((e) => e.name === 'ol' || e.name === 'ul', nav.children) : null;
  const read = (ol: Element, depth: number): TocEntry[] =>
    ol.children
      .filter((c): c is Element => c.type === 'tag' && (c as Element).name === 'li')
      .map((li) => {
        const a = li.children.find(
          (c): c is Element => c.type === 'tag' && ((c as Element).name === 'a' || (c as Element).name === 'span'),
        );
        const sub = li.children.find(
          (c): c is Element => c.type === 'tag' && ((c as Element).name === 'ol' || (c as Element).name === 'ul'),
        );
        const href = a?.name === 'a' ? a.attribs.href : undefined;
        const target = href ? resolveHref(navPath, href) : undefined;
        return {
          title: a ? visibleText(a) : '',
          file: target?.file ?? '',
          fragment: target?.fragment,
          depth,
          children: sub ? read(sub, depth + 1) : [],
        };
      });
  return list ? read(list, 1) : [];
}

/** The EPUB 2 NCX `<navMap>` as a tree. */
function ncxToc(ncxPath: string, source: string): TocEntry[] {
  const dom = parseHtml(source);
  const navMap = findOne(byLocal('navmap'), dom.children);
  const read = (parent: Element, depth: number): TocEntry[] =>
    parent.children
      .filter((c): c is Element => c.type === 'tag' && local(c as Element) === 'navpoint')
      .map((point) => {
        const label = findOne(
          byLocal('text'),
          point.children.filter((c): c is Element => c.type === 'tag' && local(c as Element) === 'navlabel'),
        );
        const content = point.children.find((c): c is Element => c.type === 'tag' && local(c as Element) === 'content');
        const target = content?.attribs.src ? resolveHref(ncxPath, content.attribs.src) : undefined;
        return {
          title: label ? visibleText(label) : '',
          file: target?.file ?? '',
          fragment: target?.fragment,
          depth,
          children: read(point, depth + 1),
        };
      });
  return navMap ? read(navMap, 1) : [];
}

/** True when the bytes are a zip archive (EPUB, .docx, …). */
export const epubFormat: TextFormat = {
  name: 'epub',
  extensions: ['.epub'],
  read: readEpub,
};

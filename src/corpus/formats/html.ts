/**
 * The HTML/XHTML reader: blocks to paragraphs, headings to chapters, metadata from <title>, <meta> and
 * the MIA header, boilerplate left out. One format, one file (EPUB reuses it for its chapters).
 */
import { parseDocument } from 'htmlparser2';
import type { ChildNode, Document, Element } from 'domhandler';
import { findAll, findOne, getAttributeValue, textContent } from 'domutils';
import type { DocumentMetadata } from '../../types.js';
import { displayName, plausibleName } from '../metadata.js';
import { CorpusError, SUPPORTED_FORMATS, decodeText } from '../decode.js';
import { parseSourceLine } from '../source-line.js';
import { chapterHeadingLevel, classifyHeading, type BodyItem, type ParsedText } from '../structure.js';
import { fallbackMeta, type FormatInput, type TextFormat } from './format.js';
import { lineSpans } from './plain-text.js';

/** Options of the HTML reader, each with the reason for its default. */
export const HTML_OPTIONS = {
  /** Never read: code, styling, navigation and page furniture. */
  skipTags: new Set([
    'script',
    'style',
    'noscript',
    'template',
    'nav',
    'footer',
    'form',
    'button',
    'select',
    'svg',
    'math',
    'head',
    'iframe',
    'object',
    'aside',
  ]),
  /** class or id words of boilerplate: tables of contents, navigation, footers, Project Gutenberg's licence. */
  skipClassOrId:
    /(?:^|[\s_-])(toc|contents|nav|navigation|navbar|menu|breadcrumbs?|footer|pg-boilerplate|pg-header|pg-footer|pgheader|pgfooter|license|footnotes?|endnotes?|sidebar|updat|fst|skip)(?:$|[\s_-])/i,
  /** Elements whose text is one paragraph. */
  blockTags: new Set([
    'p',
    'div',
    'blockquote',
    'li',
    'dd',
    'dt',
    'pre',
    'td',
    'th',
    'figcaption',
    'caption',
    'address',
    'section',
    'article',
    'main',
    'body',
    'center',
    'header',
    'table',
    'tbody',
    'thead',
    'tr',
    'ul',
    'ol',
    'dl',
    'figure',
    'hgroup',
  ]),
  headingTags: ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'] as const,
  /** Inline markers that are not part of a sentence: EPUB page breaks and footnote references. */
  dropInline: (el: Element): boolean => {
    const type = `${getAttributeValue(el, 'epub:type') ?? ''} ${getAttributeValue(el, 'role') ?? ''}`;
    // Project Gutenberg marks printed page numbers with class "pagenum" ("[Pg 7]").
    return (
      /\b(pagebreak|doc-pagebreak|noteref|doc-noteref)\b/.test(type) ||
      /\b(pagenum|pageno|page-number)\b/i.test(el.attribs.class ?? '') ||
      el.name === 'script' ||
      el.name === 'style'
    );
  },
  /** Notes are left out of the body: they interrupt the text and have no place in a printed chapter's ¶ count. */
  isNote: (el: Element): boolean =>
    /\b(footnotes?|endnotes?|rearnotes?|note|doc-footnote|doc-endnotes?|doc-note)\b/.test(
      `${getAttributeValue(el, 'epub:type') ?? ''} ${getAttributeValue(el, 'role') ?? ''}`,
    ),
};

/** One heading or paragraph found in the page, in reading order. */
export type HtmlBlock =
  | { kind: 'heading'; level: number; text: string; el: Element }
  | { kind: 'paragraph'; text: string; el: Element }
  /** Structure given from outside the page (an EPUB's table of contents), placed where its element starts. */
  | { kind: 'marker'; items: BodyItem[]; el: Element };

/** HTML white space (space, tab, LF, FF, CR) folded as a browser does; a non-breaking space inside the text stays (only the ends are trimmed). */
const fold = (text: string): string => text.replace(/[ \t\n\f\r]+/g, ' ').trim();

/** Parses HTML or XHTML leniently (both as browsers do); self-closing tags are honoured for XHTML. */
export function parseHtml(source: string): Document {
  return parseDocument(source, {
    decodeEntities: true,
    lowerCaseTags: true,
    lowerCaseAttributeNames: true,
    recognizeSelfClosing: true,
  });
}

function skipped(el: Element): boolean {
  if (HTML_OPTIONS.skipTags.has(el.name) || HTML_OPTIONS.isNote(el)) return true;
  if (el.attribs.hidden !== undefined || /display:\s*none/i.test(el.attribs.style ?? '')) return true;
  return HTML_OPTIONS.skipClassOrId.test(`${el.attribs.class ?? ''} ${el.attribs.id ?? ''}`);
}

/** Text of an element as a reader sees it: entities decoded, markers dropped, white space folded; `<br>` is a space. */
export function visibleText(node: ChildNode | Element): string {
  const parts: string[] = [];
  const walk = (n: ChildNode) => {
    if (n.type === 'text') parts.push((n as unknown as { data: string }).data);
    else if (n.type === 'tag' || n.type === 'script' || n.type === 'style') {
      const el = n as Element;
      if (HTML_OPTIONS.dropInline(el) || skipped(el)) return;
      if (el.name === 'br') parts.push(' ');
      el.children.forEach(walk);
    } else if (n.type === 'cdata') (n as unknown as { children: ChildNode[] }).children.forEach(walk);
  };
  walk(node as ChildNode);
  return fold(parts.join(''));
}

const isBlock = (n: ChildNode): boolean =>
  n.type === 'tag' &&
  (HTML_OPTIONS.blockTags.has((n as Element).name) ||
    /^h[1-6]$/.test((n as Element).name) ||
    (n as Element).name === 'hr');

/** True when every letter of the element is inside a link: a navigation line ("Next chapter", "Archive"). */
function onlyLinks(el: Element): boolean {
  const all = visibleText(el);
  if (!all) return true;
  const linked = findAll((e) => e.name === 'a' && e.attribs.href !== undefined, el.children)
    .map((a) => visibleText(a))
    .join('');
  return linked.replace(/\W/g, '').length >= all.replace(/\W/g, '').length;
}

/**
 * The headings and paragraphs of a page in reading order. A block element
 * whose children are all inline is one paragraph; text mixed with blocks
 * forms paragraphs of its own. Skipped: {@link HTML_OPTIONS}.skipTags and
 * boilerplate classes, notes, hidden elements, paragraphs that are only links.
 */
export function htmlBlocks(root: Document | Element, onElement?: (el: Element) => BodyItem[] | undefined): HtmlBlock[] {
  const out: HtmlBlock[] = [];
  const walk = (el: Element) => {
    const marker = onElement?.(el);
    if (marker?.length) out.push({ kind: 'marker', items: marker, el });
    if (skipped(el)) return;
    const heading = /^h([1-6])$/.exec(el.name);
    if (heading) {
      const text = visibleText(el);
      if (text) out.push({ kind: 'heading', level: Number(heading[1]), text, el });
      return;
    }
    const children = el.children;
    if (!children.some(isBlock)) {
      const text = visibleText(el);
      if (text && /[\p{L}\p{N}]/u.test(text) && !onlyLinks(el)) out.push({ kind: 'paragraph', text, el });
      return;
    }
    let run: ChildNode[] = [];
    const flush = () => {
      const text = fold(run.map((n) => visibleText(n)).join(' '));
      if (
        text &&
        /[\p{L}\p{N}]/u.test(text) &&
        !run.every((n) => n.type !== 'text' && n.type === 'tag' && onlyLinks(n as Element))
      )
        out.push({ kind: 'paragraph', text, el });
      run = [];
    };
    for (const child of children) {
      if (isBlock(child)) {
        flush();
        walk(child as Element);
      } else if (child.type === 'tag' && skipped(child as Element)) {
        continue;
      } else if (child.type === 'text' || child.type === 'tag') {
        run.push(child);
      }
    }
    flush();
  };
  const body = findOne((e) => e.name === 'body', root.children) ?? root;
  if (body.type === 'root') body.children.filter((c) => c.type === 'tag').forEach((c) => walk(c as Element));
  else walk(body as Element);
  return out;
}

/**
 * Turns headings into parts and chapters: the level of "Chapter N" headings
 * (else the shallowest level used more than once, the first `<h1>` being the
 * book's title) starts chapters; shallower levels start parts; deeper levels
 * are sub-headings, left out.
 */
export function structureBlocks(blocks: HtmlBlock[]): BodyItem[] {
  const headings = blocks.filter((b): b is Extract<HtmlBlock, { kind: 'heading' }> => b.kind === 'heading');
  const chapterLevel = chapterHeadingLevel(headings);
  const items: BodyItem[] = [];
  let inContents = false;
  for (const block of blocks) {
    if (block.kind === 'marker') {
      items.push(...block.items);
      continue;
    }
    if (block.kind === 'paragraph') {
      if (inContents && block.text.length <= 100 && !/[.!?]["”’]?$/.test(block.text)) continue;
      inContents = false;
      items.push({ kind: 'paragraph', text: block.text });
      continue;
    }
    const kind = classifyHeading(block.text);
    inContents = kind?.kind === 'contents';
    if (inContents || chapterLevel === undefined || block.level > chapterLevel) continue;
    if (kind?.kind === 'part' || block.level < chapterLevel) {
      const alone = headings.filter((h) => h.level === block.level).length === 1;
      if (alone && block === headings[0] && kind?.kind !== 'part') continue; // the book's title
      items.push({ kind: 'part', heading: block.text });
    } else {
      items.push({
        kind: 'chapter',
        heading: block.text,
        number: kind?.kind === 'chapter' ? kind.number : undefined,
        title: kind?.kind === 'chapter' ? (kind.title ?? (kind.number ? undefined : block.text)) : block.text,
      });
    }
  }
  return items;
}

const MIA_FIELD =
  /^(Source|First Published|Published|Written|Translated|Transcription\/Markup|Transcription|Transcribed|Markup|HTML Markup|Proofread|Public Domain|Copyleft)\s*:\s*(.*)$/i;

/**
 * Reads an HTML or XHTML page, e.g. one saved from the Marxists Internet
 * Archive or Project Gutenberg. Metadata: the MIA header block (an `<h2>`
 * author above the `<h1>` title, an `<h4>` or `(date)` line, and
 * `<p class="information">` with Source / Transcription lines, which also form
 * ¶0), else `<meta name="author|dc.creator|dc.title|dc.date">`, Project
 * Gutenberg's `Title:` / `Author:` lines, the `<title>`, the file name.
 * Body: paragraphs from block elements; headings are sections; scripts,
 * navigation, tables of contents, footers and licence blocks are left out.
 */
export function readHtml(input: FormatInput, source: string): ParsedText {
  const dom = parseHtml(source);
  const meta: DocumentMetadata = fallbackMeta(input);
  const metaTag = (...names: string[]) => {
    for (const name of names) {
      const el = findOne(
        (e) => e.name === 'meta' && (e.attribs.name ?? e.attribs.property ?? '').toLowerCase() === name,
        dom.children,
      );
      const content = el?.attribs.content?.trim();
      if (content) return content;
    }
    return undefined;
  };
  const titleEl = findOne((e) => e.name === 'title', dom.children);
  const pageTitle = titleEl ? fold(textContent(titleEl)) : '';
  // Project Gutenberg's machine-readable header: "Title: Moby Dick".
  const pgFields = new Map<string, string>();
  for (const el of findAll(
    (e) => /pg-header|pg-machine-header/i.test(e.attribs.id ?? e.attribs.class ?? ''),
    dom.children,
  )) {
    for (const p of findAll((e) => e.name === 'p' || e.name === 'tr', el.children)) {
      const m = /^(Title|Author|Release date)\s*:\s*(.+)$/i.exec(visibleText(p));
      if (m && !pgFields.has(m[1]!.toLowerCase())) pgFields.set(m[1]!.toLowerCase(), m[2]!);
    }
  }

  const blocks = htmlBlocks(dom);
  // The MIA header: headings before the first body paragraph, and the "information" paragraph.
  const infoEl = findOne((e) => /\binformation\b/.test(e.attribs.class ?? ''), dom.children);
  // An empty information block is no header.
  const info = infoEl && blocks.some((b) => b.el === infoEl || isInside(b.el, infoEl)) ? infoEl : null;
  const headerLines: string[] = [];
  let bodyStart = 0;
  if (info) {
    const inInfo = (b: HtmlBlock) => b.el === info || isInside(b.el, info);
    const infoAt = blocks.findIndex(inInfo);
    let afterInfo = infoAt;
    while (afterInfo < blocks.length && inInfo(blocks[afterInfo]!)) afterInfo++;
    // Before the information block: the header's headings (paragraphs there are breadcrumbs, left out).
    const lead = blocks.slice(0, infoAt);
    const firstBody = afterInfo;
    const h = (level: number) =>
      lead.find((b): b is Extract<HtmlBlock, { kind: 'heading' }> => b.kind === 'heading' && b.level === level)?.text;
    const author = h(2);
    const title = h(1);
    if (author && plausibleName(author)) meta.author = author;
    if (title) meta.title = title;
    const subtitle = h(3);
    if (subtitle) meta.subtitle = subtitle;
    const date = h(4) ?? h(5);
    if (date) meta.dateLine = date.replace(/^\(|\)$/g, '');
    for (const b of lead) if (b.kind === 'heading') headerLines.push(b.text);
    // Each <br>-separated line of the information block is a field.
    const infoLines = splitOnBreaks(info);
    for (const line of infoLines) {
      headerLines.push(line);
      const m = MIA_FIELD.exec(line);
      if (!m) continue;
      const field = m[1]!.toLowerCase();
      if (/source|published/.test(field) && !meta.source) {
        meta.source = m[2]!;
        Object.assign(meta, parseSourceLine(m[2]!));
      } else if (/transcri|markup|proofread/.test(field)) {
        meta.transcription = meta.transcription ? `${meta.transcription} ${line}` : line;
      }
    }
    bodyStart = firstBody < 0 ? blocks.length : firstBody;
  } else {
    const author = pgFields.get('author') ?? metaTag('author', 'dc.creator', 'dcterms.creator', 'citation_author');
    if (author && plausibleName(displayName(author))) meta.author = displayName(author);
    const title =
      pgFields.get('title') ??
      metaTag('dc.title', 'dcterms.title', 'citation_title', 'og:title') ??
      (pageTitle || undefined);
    if (title)
      meta.title =
        title
          .replace(/^The Project Gutenberg eBook of\s+/i, '')
          .replace(/,\s*by\s+.*$/i, '')
          .trim() || meta.title;
    const date = pgFields.get('release date') ?? metaTag('dc.date', 'dcterms.date', 'date', 'citation_date');
    if (date) meta.dateLine = date.replace(/\s*\[.*?\]\s*/g, ' ').trim();
  }
  const body = blocks.slice(bodyStart).filter((b) => !(info && (b.el === info || isInside(b.el, info))));
  const items = structureBlocks(body);
  if (!items.some((i) => i.kind === 'paragraph'))
    throw new CorpusError(
      `${input.file} has no paragraphs to index (an HTML page with no text in <p> or other block elements); Lectern reads ${SUPPORTED_FORMATS}.`,
    );
  const headerText = headerLines.join('\n');
  return {
    format: 'html',
    meta,
    ...(headerText ? { header: { text: headerText, sentences: lineSpans(headerText) } } : {}),
    items,
  };
}

function isInside(el: Element, ancestor: Element): boolean {
  for (let p = el.parent; p; p = p.parent) if (p === ancestor) return true;
  return false;
}

/** The lines of an element split at `<br>`, each as shown. */
function splitOnBreaks(el: Element): string[] {
  const lines: string[] = [''];
  const walk = (n: ChildNode) => {
    if (n.type === 'text') lines[lines.length - 1] += (n as unknown as { data: string }).data;
    else if (n.type === 'tag') {
      if ((n as Element).name === 'br') lines.push('');
      else (n as Element).children.forEach(walk);
    }
  };
  el.children.forEach(walk);
  return lines.map(fold).filter(Boolean);
}

export const htmlFormat: TextFormat = {
  name: 'html',
  extensions: ['.html', '.htm', '.xhtml'],
  read: (input) => readHtml(input, decodeText(input.bytes, input.file)),
};

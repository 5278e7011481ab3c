import { unzipSync } from 'fflate';
import { decodeEntities } from './entities';

/**
 * Office Open XML (DOCX, PPTX) text. Both are zip archives of XML parts; only the parts holding
 * body text are inflated (fflate's `filter`), each capped in size so a zip bomb cannot exhaust the
 * Worker's 128 MB. The XML is read with a linear tag scan, not a DOM (Workers have no DOMParser):
 * text lives in `w:t` / `a:t` elements and structure in a handful of others.
 */

export type OoxmlResult = { ok: true; text: string } | { ok: false; message: string };

/** Largest XML part we inflate. Text-only parts of even very long documents stay far below this. */
const MAX_PART_BYTES = 48 * 1024 * 1024;

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Lists an archive's entry names without inflating anything. */
export function zipEntryNames(bytes: Uint8Array): string[] | null {
  const names: string[] = [];
  try {
    unzipSync(bytes, {
      filter: (f) => {
        names.push(f.name);
        return false;
      },
    });
  } catch {
    return null;
  }
  return names;
}

function readParts(bytes: Uint8Array, wanted: (name: string) => boolean): Map<string, string> | string {
  let tooLarge: string | undefined;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (f) => {
        if (!wanted(f.name)) return false;
        if (f.originalSize > MAX_PART_BYTES) {
          tooLarge = f.name;
          return false;
        }
        return true;
      },
    });
  } catch (err) {
    return `File is not a valid Office document (corrupt zip archive: ${err instanceof Error ? err.message : String(err)}).`;
  }
  if (tooLarge) return `File is too large to process: ${tooLarge} exceeds ${MAX_PART_BYTES / 1024 / 1024} MB uncompressed.`;
  const decoder = new TextDecoder('utf-8');
  const parts = new Map<string, string>();
  for (const [name, data] of Object.entries(entries)) parts.set(name, decoder.decode(data));
  return parts;
}

// -------------------------------------------------------------------------------------------------
// DOCX

const DOCX_PARTS = ['word/document.xml', 'word/footnotes.xml', 'word/endnotes.xml'];

export function docxToText(bytes: Uint8Array): OoxmlResult {
  const parts = readParts(bytes, (name) => DOCX_PARTS.includes(name));
  if (typeof parts === 'string') return { ok: false, message: parts };
  const body = parts.get('word/document.xml');
  if (body === undefined) return { ok: false, message: 'File is not a valid Word document (no word/document.xml).' };
  const texts = DOCX_PARTS.map((name) => parts.get(name))
    .filter((xml): xml is string => xml !== undefined)
    .map((xml) => wordprocessingText(xml))
    .filter((t) => t !== '');
  return { ok: true, text: texts.join('\n\n') };
}

/** `<name attrs>`, `</name>` or `<name/>`; or a run of text between tags. */
const XML_TOKEN = /<(\/?)([A-Za-z_][\w.:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|<[!?][^>]*>|([^<]+)/g;

/**
 * WordprocessingML: paragraphs (`w:p`) end lines, `w:tab`/`w:br` are tabs and breaks, table rows
 * become lines with cells separated by " | ". Deleted revisions (`w:delText`) and field codes
 * (`w:instrText`) are skipped by reading text only inside `w:t`. `mc:Fallback` repeats the content
 * of `mc:Choice` (text boxes) for old readers, so it is skipped to avoid duplicated text.
 */
export function wordprocessingText(xml: string): string {
  return scanXml(xml, {
    text: 'w:t',
    paragraph: 'w:p',
    cell: 'w:tc',
    row: 'w:tr',
    tab: 'w:tab',
    breaks: ['w:br', 'w:cr'],
    hyphen: 'w:noBreakHyphen',
    skip: ['mc:Fallback', 'w:del'],
  });
}

// -------------------------------------------------------------------------------------------------
// PPTX

export function pptxToText(bytes: Uint8Array): OoxmlResult {
  const parts = readParts(
    bytes,
    (name) => name === 'ppt/presentation.xml' || name === 'ppt/_rels/presentation.xml.rels' || /^ppt\/slides\/slide\d+\.xml$/.test(name),
  );
  if (typeof parts === 'string') return { ok: false, message: parts };
  if (!parts.has('ppt/presentation.xml')) return { ok: false, message: 'File is not a valid PowerPoint presentation.' };
  const slides = slideOrder(parts).map((name) => drawingText(parts.get(name)!)).filter((t) => t !== '');
  return { ok: true, text: slides.join('\n\n') };
}

/**
 * Slides in presentation order: `p:sldIdLst` lists relationship ids, the part's rels map them to
 * slide files. Slides the list does not reach (or a package without rels) follow in file-number order.
 */
function slideOrder(parts: Map<string, string>): string[] {
  const files = [...parts.keys()]
    .filter((n) => n.startsWith('ppt/slides/'))
    .sort((a, b) => Number(/(\d+)\.xml$/.exec(a)![1]) - Number(/(\d+)\.xml$/.exec(b)![1]));
  const rels = parts.get('ppt/_rels/presentation.xml.rels') ?? '';
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = /\bId="([^"]*)"/.exec(m[0])?.[1];
    const target = /\bTarget="([^"]*)"/.exec(m[0])?.[1];
    if (id && target) targets.set(id, `ppt/${target.replace(/^\/?ppt\//, '').replace(/^\.\//, '')}`);
  }
  const ordered: string[] = [];
  for (const m of (parts.get('ppt/presentation.xml') ?? '').matchAll(/<p:sldId\b[^>]*\br:id="([^"]*)"/g)) {
    const file = targets.get(m[1]!);
    if (file && parts.has(file) && !ordered.includes(file)) ordered.push(file);
  }
  return [...ordered, ...files.filter((f) => !ordered.includes(f))];
}

/** DrawingML (slides): `a:p` paragraphs, `a:t` runs, `a:br` breaks, table cells `a:tc`. */
export function drawingText(xml: string): string {
  return scanXml(xml, {
    text: 'a:t',
    paragraph: 'a:p',
    cell: 'a:tc',
    row: 'a:tr',
    tab: 'a:tab',
    breaks: ['a:br'],
    skip: ['mc:Fallback'],
  });
}

// -------------------------------------------------------------------------------------------------

interface Vocabulary {
  text: string;
  paragraph: string;
  cell: string;
  row: string;
  tab: string;
  breaks: string[];
  hyphen?: string;
  skip: string[];
}

function scanXml(xml: string, v: Vocabulary): string {
  const out: string[] = [];
  let inText = 0;
  let skipping = 0;
  let cellDepth = 0;
  for (const m of xml.matchAll(XML_TOKEN)) {
    const [, slash, name, attrs, chars] = m;
    if (chars !== undefined) {
      if (inText > 0 && skipping === 0) {
        out.push(decodeEntities(chars));
      }
      continue;
    }
    if (name === undefined) continue; // comment, processing instruction
    const closing = slash === '/';
    const empty = !closing && attrs!.trimEnd().endsWith('/');
    if (v.skip.includes(name)) {
      if (!empty) skipping += closing ? -1 : 1;
      continue;
    }
    if (skipping > 0) continue;
    if (name === v.text) {
      if (!empty) inText += closing ? -1 : 1;
    } else if (name === v.paragraph && closing) {
      // Inside a table cell, paragraphs stay on the row's line.
      out.push(cellDepth > 0 ? ' ' : '\n');
    } else if (name === v.cell) {
      if (!closing && !empty) cellDepth++;
      else if (closing) {
        cellDepth = Math.max(0, cellDepth - 1);
        out.push(' | ');
      }
    } else if (name === v.row && closing) {
      trimCellSeparator(out);
      out.push('\n');
    } else if (!closing && name === v.tab) out.push('\t');
    else if (!closing && v.breaks.includes(name)) out.push(cellDepth > 0 ? ' ' : '\n');
    else if (!closing && name === v.hyphen) out.push('-');
  }
  return out
    .join('')
    .replace(/ +\| /g, ' | ')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A row ends with a " | " after its last cell; drop it (and spaces before it). */
function trimCellSeparator(out: string[]): void {
  while (out.length > 0 && /^\s*(\| )?$/.test(out[out.length - 1]!) && !out[out.length - 1]!.includes('\n')) out.pop();
}

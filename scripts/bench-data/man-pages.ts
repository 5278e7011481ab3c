/**
 * Manual pages as plain text: the real corpus of the retrieval and token benchmarks. They ship with
 * Debian packages (/usr/share/man, incl. translations under /usr/share/man/<lang>), so every machine
 * with those packages reads the same text, with no download. roff is reduced to text by stripping
 * requests and escapes: enough for counting tokens and for retrieval, deterministic, and independent
 * of the installed groff version.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const MAN_ROOT = '/usr/share/man';

export interface ManSection {
  page: string;
  heading: string;
  text: string;
}

/** roff source → text, keeping section headings (`.SH`) as lines starting with "## ". */
export function roffToText(roff: string): string {
  const out: string[] = [];
  for (const raw of roff.split(/\r?\n/)) {
    let line = raw;
    if (/^['.]\s*\\"/.test(line) || /^\.\s*$/.test(line)) continue; // comments, empty requests
    const request = /^[.']\s*([A-Za-z]{1,3})\b\s*(.*)$/.exec(line);
    if (request) {
      const [, name, rest] = request;
      if (name === 'SH' || name === 'SS') out.push(`\n## ${unquote(rest!)}`);
      else if (['B', 'I', 'BR', 'RB', 'BI', 'IB', 'IR', 'RI', 'TP', 'IP', 'It', 'Nm', 'Fl', 'Ar', 'Op', 'Pa', 'Nd', 'Dq', 'Sq', 'Ql', 'Em', 'Cm', 'Xr'].includes(name!)) {
        if (rest) out.push(unquote(rest));
      } else if (['PP', 'LP', 'P', 'Pp', 'sp', 'br'].includes(name!)) out.push('');
      continue;
    }
    line = line
      .replace(/\\f(\[[^\]]*\]|\(..|.)/g, '')
      .replace(/\\s[+-]?\d/g, '')
      .replace(/\\\(em|\\\(en/g, '—')
      .replace(/\\\((aq|cq|oq)/g, "'")
      .replace(/\\\((lq|rq|dq)/g, '"')
      .replace(/\\\(.{2}/g, '')
      .replace(/\\\[[^\]]*\]/g, '')
      .replace(/\\[&|^%:]/g, '')
      .replace(/\\e/g, '\\')
      .replace(/\\-/g, '-')
      .replace(/\\(.)/g, '$1');
    out.push(line);
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

function unquote(s: string): string {
  return s.replace(/\\f(\[[^\]]*\]|\(..|.)/g, '').replace(/\\-/g, '-').replace(/\\(.)/g, '$1').replace(/"/g, '').trim();
}

/** Text of a page file (gzipped or plain); pages that only `.so`-include another are skipped. */
export function readManPage(path: string): string | null {
  const bytes = readFileSync(path);
  const roff = (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  if (/^\.so\s/m.test(roff.slice(0, 200)) && roff.length < 300) return null;
  return roffToText(roff);
}

/** Page files of one directory (e.g. /usr/share/man/man1, /usr/share/man/ja/man1), sorted. */
export function pageFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.\w+(\.gz)?$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** A page's sections (`## heading` blocks), each with its page name. */
export function sectionsOf(page: string, text: string): ManSection[] {
  const out: ManSection[] = [];
  for (const block of text.split(/\n(?=## )/)) {
    const m = /^## (.*)\n([\s\S]*)$/.exec(block.trim());
    if (m) out.push({ page, heading: m[1]!.trim().toUpperCase(), text: m[2]!.trim() });
  }
  return out;
}

export const pageName = (path: string) => path.split('/').pop()!.replace(/\.gz$/, '').replace(/\.\w+$/, '');

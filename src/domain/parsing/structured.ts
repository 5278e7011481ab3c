/**
 * Structured text formats, rendered as text that retrieves well.
 * - JSON: pretty-printed (2-space indent), so keys and values sit on their own lines and chunking
 *   can cut between members. JSON Lines in a `.json` file is accepted too.
 * - CSV/TSV: one line per row. Each data row is written as `column: value` pairs, because a chunk
 *   cut from the middle of a table otherwise loses the header that says what the numbers mean; the
 *   header itself is the first line.
 */

export type StructuredResult = { ok: true; text: string } | { ok: false; message: string };

export function jsonToText(text: string): StructuredResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, text: '' };
  try {
    return { ok: true, text: JSON.stringify(JSON.parse(trimmed) as unknown, null, 2) };
  } catch (err) {
    const lines = trimmed.split('\n').filter((l) => l.trim() !== '');
    if (lines.length > 1) {
      const out: string[] = [];
      for (const line of lines) {
        try {
          out.push(JSON.stringify(JSON.parse(line) as unknown, null, 2));
        } catch {
          return { ok: false, message: `File is not valid JSON: ${(err as Error).message}` };
        }
      }
      return { ok: true, text: out.join('\n\n') };
    }
    return { ok: false, message: `File is not valid JSON: ${(err as Error).message}` };
  }
}

/** RFC 4180 parsing (quoted fields, doubled quotes, newlines inside quotes), one pass. */
export function parseDelimited(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        // Copy the run up to the next quote at once: fields can be long.
        const next = text.indexOf('"', i);
        const end = next === -1 ? n : next;
        field += text.slice(i, end);
        i = end;
        continue;
      }
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
    i++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** `;`-separated files (spreadsheets in comma-decimal locales) are detected from the first line. */
export function sniffDelimiter(text: string): string {
  const firstLine = text.slice(0, Math.max(0, text.indexOf('\n')) || text.length);
  const count = (ch: string) => firstLine.split(ch).length - 1;
  if (count(',') === 0 && count(';') > 0) return ';';
  if (count(',') === 0 && count('\t') > 0) return '\t';
  return ',';
}

export function delimitedToText(text: string, delimiter = sniffDelimiter(text)): string {
  const rows = parseDelimited(text, delimiter).filter((r) => r.some((f) => f.trim() !== ''));
  if (rows.length === 0) return '';
  const clean = (v: string) => v.replace(/\s+/g, ' ').trim();
  const header = rows[0]!.map((h, i) => clean(h) || `column ${i + 1}`);
  const lines = [header.join(', ')];
  for (let r = 1; r < rows.length; r++) {
    const pairs: string[] = [];
    rows[r]!.forEach((value, i) => {
      const v = clean(value);
      if (v !== '') pairs.push(`${header[i] ?? `column ${i + 1}`}: ${v}`);
    });
    lines.push(pairs.join('; '));
  }
  return lines.join('\n');
}

import { MultipartError } from './errors';

/** One part's header block (RFC 7578 §4.2: Content-Disposition form-data with a name, an optional filename). */
export interface PartInfo {
  /** The form field name (`file`, `purpose`, `expires_after[seconds]`). */
  name: string;
  /** Present for file parts (`filename="..."`, or `filename*` per RFC 5987), even when empty. */
  filename: string | undefined;
  contentType: string | undefined;
}

/** Parses one part's header block (lines without the final blank line). */
export function parsePartHeaders(block: string): PartInfo {
  let disposition: string | undefined;
  let contentType: string | undefined;
  for (const line of block.split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MultipartError(`Malformed header in a multipart part: '${line.slice(0, 100)}'.`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-disposition') disposition = value;
    else if (name === 'content-type') contentType = value;
  }
  if (disposition === undefined) throw new MultipartError('A multipart part has no Content-Disposition header.');
  const [type, ...params] = splitParams(disposition);
  if (type?.toLowerCase() !== 'form-data') throw new MultipartError(`A multipart part has Content-Disposition '${type}', expected 'form-data'.`);
  const get = (key: string) => params.find(([k]) => k === key)?.[1];
  const name = get('name');
  if (name === undefined) throw new MultipartError('A multipart part has no field name (Content-Disposition name="...").');
  const extended = get('filename*');
  const filename = extended !== undefined ? decodeExtended(extended) : get('filename');
  return { name: unescapeFormName(name), filename: filename === undefined ? undefined : unescapeFormName(filename), contentType };
}

/**
 * `type; key=value; key="quoted \" value"` → [type, [key, value]...]. Keys are lower-cased; quoted
 * strings keep everything but the backslash escapes (RFC 7230 quoted-string).
 */
export function splitParams(header: string): [string | undefined, ...[string, string][]] {
  const semi = header.indexOf(';');
  const type = (semi === -1 ? header : header.slice(0, semi)).trim();
  const out: [string, string][] = [];
  let i = semi === -1 ? header.length : semi + 1;
  while (i < header.length) {
    while (i < header.length && (header[i] === ' ' || header[i] === '\t' || header[i] === ';')) i++;
    const eq = header.indexOf('=', i);
    if (eq === -1) break;
    const key = header.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    let value = '';
    if (header[i] === '"') {
      for (i++; i < header.length && header[i] !== '"'; i++) {
        if (header[i] === '\\' && i + 1 < header.length) i++;
        value += header[i];
      }
      i++; // closing quote
      const next = header.indexOf(';', i);
      i = next === -1 ? header.length : next;
    } else {
      const next = header.indexOf(';', i);
      value = header.slice(i, next === -1 ? header.length : next).trim();
      i = next === -1 ? header.length : next;
    }
    out.push([key, value]);
  }
  return [type || undefined, ...out];
}

/** RFC 5987 `UTF-8''na%C3%AFve.txt`. */
function decodeExtended(value: string): string {
  const m = /^([\w!#$%&+^`{}~-]*)'[^']*'(.*)$/.exec(value);
  if (!m) return value;
  try {
    return decodeURIComponent(m[2]!);
  } catch {
    return m[2]!;
  }
}

/**
 * The HTML form encoding (used by undici's FormData in SDK v6 and form-data-encoder in v4) escapes
 * `"`, CR and LF in names and filenames as %22, %0D, %0A; undo exactly those.
 */
function unescapeFormName(value: string): string {
  return value.replace(/%(22|0D|0A)/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

import type { StoredItem } from './types';

/**
 * `input_file` parts (docs/responses.md "Input files"): OpenAI sends a file's content to the model; this
 * server sends the text the vector-store ingestion extracts (src/domain/parsing) as one text part. This
 * module is the pure part: finding the parts, decoding `file_data`, the caps and the text part's shape.
 */

/** Bytes of the files (`file_id` and `file_data`) one request reads in total. OpenAI's file-input guide
 * caps a request's files at 32 MB in total; ours is the same (and the vector-store indexing limit). */
export const MAX_INPUT_FILE_BYTES = 32 * 1024 * 1024;
/** Characters of a `file_data` data URL: the input item is stored in one D1 row (2 MB per value);
 * larger files are uploaded (`files.create`) and given by `file_id`. */
export const MAX_FILE_DATA_CHARS = 1_500_000;
/** Characters of extracted text sent to the model for all files of a request (about 100k tokens, within
 * the 128k-token window runs and responses assume). */
export const MAX_INPUT_FILE_TEXT_CHARS = 400_000;

export interface InputFilePart {
  type: 'input_file';
  file_id?: string | null;
  file_data?: string;
  file_url?: string;
  filename?: string;
}

/** An `input_file` part and where it is: item `item`, content part `part` (OpenAI's `input[i].content[j]`). */
export interface InputFileRef {
  file: InputFilePart;
  item: number;
  part: number;
}

/** The `input_file` parts of the items' messages, in order. */
export function inputFileRefs(items: readonly StoredItem[]): InputFileRef[] {
  const refs: InputFileRef[] = [];
  items.forEach((item, i) => {
    if (item.type !== 'message' || !Array.isArray(item.content)) return;
    (item.content as { type: string }[]).forEach((p, j) => { if (p.type === 'input_file') refs.push({ file: p as InputFilePart, item: i, part: j }); });
  });
  return refs;
}

/** The key a part's text is found under: its file id, else its data URL, else its URL. */
export const inputFileKey = (f: InputFilePart): string => f.file_id ?? f.file_data ?? f.file_url ?? '';

/** The name the model sees for a part. */
export const inputFileName = (f: InputFilePart, storedName?: string): string => f.filename ?? storedName ?? f.file_id ?? 'file';

export type DecodedDataUrl = { ok: true; mimeType: string; bytes: Uint8Array } | { ok: false; message: string };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** `data:[<mime type>][;charset=…][;base64],<data>` (RFC 2397) as bytes; base64 or percent-encoded data. */
export function decodeDataUrl(url: string): DecodedDataUrl {
  const match = /^data:([^,]*),(.*)$/s.exec(url);
  if (!match) return { ok: false, message: 'Expected a data URL (data:<mime type>;base64,<data>).' };
  const params = match[1]!.split(';');
  const base64 = params.at(-1)?.toLowerCase() === 'base64';
  if (base64) params.pop();
  const mimeType = (params[0] ?? '').trim().toLowerCase() || 'text/plain';
  const data = match[2]!;
  if (!base64) {
    try {
      return { ok: true, mimeType, bytes: new TextEncoder().encode(decodeURIComponent(data)) };
    } catch {
      return { ok: false, message: 'The data URL is not validly percent-encoded.' };
    }
  }
  const clean = data.replace(/\s+/g, '');
  if (!BASE64.test(clean) || clean.length % 4 === 1) return { ok: false, message: 'The data URL is not valid base64.' };
  const binary = atob(clean);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return { ok: true, mimeType, bytes };
}

/**
 * What a request's files may still use of the caps: `bytes` before reading a file, `text` before sending
 * its text. Each answers null when the file fits (and counts it), else the refusal's message.
 */
export class InputFileBudget {
  private bytesUsed = 0;
  private textUsed = 0;

  constructor(private readonly maxBytes = MAX_INPUT_FILE_BYTES, private readonly maxText = MAX_INPUT_FILE_TEXT_CHARS) {}

  bytes(n: number): string | null {
    if (this.bytesUsed + n > this.maxBytes) return `the request's files are too large (over ${this.maxBytes} bytes in total).`;
    this.bytesUsed += n;
    return null;
  }

  text(n: number): string | null {
    if (this.textUsed + n > this.maxText) return `the text of the request's files is too long (over ${this.maxText} characters in total).`;
    this.textUsed += n;
    return null;
  }
}

/** `file_data` over MAX_FILE_DATA_CHARS: the refusal's message, else null. */
export function fileDataTooLong(data: string, max = MAX_FILE_DATA_CHARS): string | null {
  return data.length > max
    ? `file_data is too long (${data.length} characters; the limit is ${max}). Upload larger files with the Files API and give their file_id.`
    : null;
}

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The text part a file becomes: its name and extracted text, delimited so the model sees where it ends. */
export function fileTextPart(name: string, text: string): string {
  return `<file name="${attr(name)}">\n${text}\n</file>`;
}

import type { Database } from '../db/client';
import { getFileRow, openFileStream } from '../db/files';
import { extractText } from '../domain/parsing';
import {
  InputFileBudget, decodeDataUrl, fileDataTooLong, fileTextPart, inputFileKey, inputFileName, inputFileRefs, type InputFileRef,
} from '../domain/responses/input-files';
import type { StoredItem } from '../domain/responses/types';

/** Why a part of this request's `input` cannot be sent: a 400 on `param` (docs/responses.md "Input files"). */
export interface InputFileRefusal {
  message: string;
  param: string;
  code: string;
}

type Loaded = { ok: true; name: string; mimeType: string; bytes: Uint8Array } | { ok: false; message: string; code: string; field: string };

/**
 * The text parts of the context's `input_file` parts, by key (input.ts `FileTexts`). This request's
 * parts (`items`) must all load: the first that cannot is refused. Earlier items (a conversation's, a
 * `previous_response_id` chain's) are sent when they load and named as not loaded otherwise (their file
 * may have been deleted since). Files are read from R2 (upstreams cannot fetch our bucket) and parsed
 * like vector-store ingestion; URLs are never fetched (no network requests from user input).
 */
export async function loadInputFileTexts(
  db: Database, bucket: R2Bucket, projectId: string, before: readonly StoredItem[], items: readonly StoredItem[],
): Promise<{ texts: Map<string, string> } | { refused: InputFileRefusal }> {
  const texts = new Map<string, string>();
  const budget = new InputFileBudget();
  const refs = [...inputFileRefs(before).map((r) => ({ r, strict: false })), ...inputFileRefs(items).map((r) => ({ r, strict: true }))];
  for (const { r, strict } of refs) {
    const key = inputFileKey(r.file);
    if (texts.has(key)) continue;
    const result = await textPartOf(db, bucket, projectId, r, budget);
    if ('field' in result) {
      const param = `input[${r.item}].content[${r.part}]${result.field}`;
      if (strict) return { refused: { message: `Invalid '${param}': ${result.message}`, param, code: result.code } };
      continue;
    }
    texts.set(key, result.part);
  }
  return { texts };
}

type Failure = Extract<Loaded, { ok: false }>;

/** A part's text part: read, parsed like ingestion, and within the request's text budget. */
async function textPartOf(db: Database, bucket: R2Bucket, projectId: string, r: InputFileRef, budget: InputFileBudget): Promise<{ part: string } | Failure> {
  const loaded = await load(db, bucket, projectId, r, budget);
  if (!loaded.ok) return loaded;
  const parsed = await extractText(loaded.bytes, loaded.name, loaded.mimeType);
  if (!parsed.ok) return { ok: false, field: '', message: parsed.message, code: parsed.code };
  const over = budget.text(parsed.text.length);
  if (over) return { ok: false, field: '', message: over, code: 'file_too_large' };
  return { part: fileTextPart(loaded.name, parsed.text) };
}

/** One part's bytes, name and type, counted against the request's byte budget. */
async function load(db: Database, bucket: R2Bucket, projectId: string, r: InputFileRef, budget: InputFileBudget): Promise<Loaded> {
  const f = r.file;
  const refuse = (field: string, message: string, code = 'invalid_value'): Loaded => ({ ok: false, field, message, code });
  if (f.file_id) {
    const row = await getFileRow(db, projectId, f.file_id);
    const object = row ? await openFileStream(bucket, row) : null;
    if (!row || !object) return refuse('.file_id', `file '${f.file_id}' not found.`);
    const over = budget.bytes(row.bytes);
    if (over) return refuse('.file_id', over, 'file_too_large');
    return { ok: true, name: inputFileName(f, row.filename), mimeType: row.mimeType, bytes: new Uint8Array(await object.arrayBuffer()) };
  }
  if (f.file_data !== undefined) {
    const tooLong = fileDataTooLong(f.file_data);
    if (tooLong) return refuse('.file_data', tooLong, 'file_too_large');
    const decoded = decodeDataUrl(f.file_data);
    if (!decoded.ok) return refuse('.file_data', decoded.message);
    const over = budget.bytes(decoded.bytes.length);
    if (over) return refuse('.file_data', over, 'file_too_large');
    return { ok: true, name: inputFileName(f), mimeType: decoded.mimeType, bytes: decoded.bytes };
  }
  if (f.file_url !== undefined) {
    return refuse('.file_url', 'file_url is not supported by this server: it does not fetch URLs given in input. Upload the file (file_id) or send it as file_data.');
  }
  return refuse('', 'an input_file needs one of file_id, file_data or file_url.', 'missing_required_parameter');
}

import { Hono } from 'hono';
import { deleteFile, purgeExpiredFiles } from '../../retrieval/stores';
import { z } from 'zod';
import { ObjectTooLargeError, R2StreamWriter } from '../../adapters/r2-writer';
import { discardFileBytes, draftFile, recordFile } from '../../db/files-service';
import {
  findFileRow,
  isExpired,
  listFiles,
  openFileStream,
  toFileObject,
  type FileRow,
} from '../../db/files';
import { resolveMimeType } from '../../domain/mime';
import { formFieldsToObject, MultipartError, openMultipart, discardBody, type MultipartReader } from '../../domain/multipart';
import { dbOf, projectOf, type AppContext, type AppEnv } from '../context';
import { ApiError, invalidRequest } from '../errors';
import { listEnvelope, ListQuery, queryInt } from '../pagination';
import { Int, parseWith, pathId } from '../validation';

/** `client.files`: create (multipart), list, retrieve, delete, content. */
export const filesRoutes = new Hono<AppEnv>();

/** OpenAI: "Individual files can be up to 512 MB". Cloudflare caps request bodies at 100 MB (Free/Pro) first. */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;
/** Text form fields (`purpose`, `expires_after[seconds]`) are a few bytes; more is not a real form. */
export const MAX_FORM_FIELD_BYTES = 4096;

/** OpenAI's wording for a missing file (docs/openai-behaviour.md §4), with `param: "id"`; another project's file looks the same. */
export const fileNotFound = (id: string) => new ApiError(404, `No such File object: ${id}`, 'invalid_request_error', 'id', null);

/**
 * Form values and query values are strings; `expires_after[seconds]=3600` and `limit=2` are integers.
 * Non-digits stay strings so the error says "expected an integer, but got a string".
 */

/** FileExpirationAfter: anchor `created_at`, 1 hour to 30 days (OpenAI's bounds). */
export const FileExpiresAfter = z.strictObject({
  anchor: z.enum(['created_at']),
  seconds: Int().min(3600).max(2592000),
});
export type FileExpiresAfter = z.infer<typeof FileExpiresAfter>;

/** CreateFileRequest's text fields (the `file` part is streamed separately). */
const FileCreateFields = z.strictObject({
  purpose: z.enum(['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals']),
  expires_after: z
    .strictObject({ anchor: z.enum(['created_at']), seconds: queryInt.pipe(Int().min(3600).max(2592000)) })
    .optional(),
});

/** `GET /files`: purpose filter, limit 1..10000 (default 10000), no `before` upstream (docs/openai-behaviour.md §3). */
const FileListQuery = ListQuery.omit({ before: true }).extend({
  limit: queryInt.pipe(Int().min(1).max(10000)).default(10000),
  purpose: z.string().min(1).optional(),
});

/** Turns failures of the streaming form/R2 layers into OpenAI-style 400s; anything else is rethrown. */
export function formError(err: unknown, param: string): unknown {
  if (err instanceof MultipartError) return invalidRequest(err.message, null, err.code);
  if (err instanceof ObjectTooLargeError) {
    const mb = Math.round(err.limit / (1024 * 1024));
    return invalidRequest(`'${param}' is too large: the maximum size is ${mb} MB.`, param, 'file_too_large');
  }
  return err;
}

filesRoutes.post('/files', async (c) => {
  const draft = draftFile(projectOf(c));
  let stored: { filename: string; contentType: string; bytes: number } | undefined;
  let writer: R2StreamWriter | undefined;
  let form: MultipartReader | undefined;
  try {
    form = openMultipart(c.req.raw);
    const fields: [string, string][] = [];
    // Parts come in any order (v4: purpose first, v6: file first): stream the file, validate at the end.
    for (let part; (part = await form.next()); ) {
      if (part.name !== 'file') {
        fields.push([part.name, await form.text(MAX_FORM_FIELD_BYTES)]);
        continue;
      }
      if (writer) throw invalidRequest("Duplicate parameter: 'file'. Send one file per request.", 'file', 'invalid_value');
      if (part.filename === undefined) {
        throw invalidRequest("Invalid type for 'file': expected a file, but got a string instead.", 'file', 'invalid_type');
      }
      const contentType = resolveMimeType(part.filename, part.contentType);
      writer = new R2StreamWriter(c.env.FILES, draft.key, { contentType, maxBytes: MAX_FILE_BYTES });
      await writer.writeAll(form.chunks());
      stored = { filename: part.filename, contentType, bytes: writer.bytes };
    }
    if (!stored) throw invalidRequest("Missing required parameter: 'file'.", 'file', 'missing_required_parameter');
    const params = parseWith(FileCreateFields, formFieldsToObject(fields));
    if (stored.bytes === 0) throw invalidRequest(`File '${stored.filename}' is empty.`, 'file', 'empty_file');
    const row = await recordFile(dbOf(c), draft, {
      bytes: stored.bytes,
      // Files without a name arrive as `unknown_file` from the SDK (docs/openai-behaviour.md §6.6); an empty one gets the same.
      filename: stored.filename || 'unknown_file',
      purpose: params.purpose,
      mimeType: stored.contentType,
      expiresAfterSeconds: params.expires_after ? params.expires_after.seconds : null,
    });
    return c.json(toFileObject(row));
  } catch (err) {
    // Never a half-written file: whatever reached R2 goes (the multipart upload was aborted by writeAll).
    if (stored) await discardFileBytes(c.env.FILES, draft).catch(() => undefined);
    await (form ? form.discardRest() : discardBody(c.req.raw));
    throw formError(err, 'file');
  }
});

filesRoutes.get('/files', async (c) => {
  const query = parseWith(FileListQuery, c.req.query());
  const db = dbOf(c);
  const page = await listFiles(db, projectOf(c), query);
  // Expired files are invisible already; deleting them (and their R2 objects) can wait for the response.
  c.executionCtx.waitUntil(purgeExpiredFiles(c.var.services.retrieval, c.env.FILES, projectOf(c)).catch(() => undefined));
  return c.json(listEnvelope(page));
});

/** The caller's live file or OpenAI's 404; an expired file is deleted on the way (lazy expiry). */
async function liveFile(c: AppContext, id: string): Promise<FileRow> {
  const db = dbOf(c);
  const row = await findFileRow(db, projectOf(c), id);
  if (!row) throw fileNotFound(id);
  if (isExpired(row)) {
    c.executionCtx.waitUntil(deleteFile(c.var.services.retrieval, c.env.FILES, row.projectId, row.id).catch(() => undefined));
    throw fileNotFound(id);
  }
  return row;
}

filesRoutes.get('/files/:file_id', async (c) => {
  const row = await liveFile(c, pathId(c, 'file_id', 'file-'));
  return c.json(toFileObject(row));
});

filesRoutes.delete('/files/:file_id', async (c) => {
  const row = await liveFile(c, pathId(c, 'file_id', 'file-'));
  if (!(await deleteFile(c.var.services.retrieval, c.env.FILES, row.projectId, row.id))) throw fileNotFound(row.id);
  return c.json({ id: row.id, object: 'file' as const, deleted: true });
});

filesRoutes.get('/files/:file_id/content', async (c) => {
  const row = await liveFile(c, pathId(c, 'file_id', 'file-'));
  const object = await openFileStream(c.env.FILES, row);
  if (!object) throw fileNotFound(row.id);
  return c.body(object.body, 200, {
    'content-type': row.mimeType,
    'content-length': String(object.size),
    'content-disposition': contentDisposition(row.filename),
  });
});

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / RFC 5987). */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const exact = encodeURIComponent(filename).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

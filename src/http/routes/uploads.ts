import { Hono } from 'hono';
import { z } from 'zod';
import { concatenateObjects, MissingObjectError, R2StreamWriter } from '../../adapters/r2-writer';
import type { FileRow } from '../../db/files';
import { discardFileBytes, draftFile, recordFile } from '../../db/files-service';
import {
  createUpload,
  deletePart,
  deleteParts,
  finishUpload,
  getUploadRow,
  insertPart,
  listParts,
  partKey,
  reopenUpload,
  toUploadObject,
  toUploadPartObject,
  type UploadPartRow,
  type UploadRow,
} from '../../db/uploads';
import { newId, unixSeconds } from '../../domain/ids';
import { openMultipart, discardBody, type MultipartReader } from '../../domain/multipart';
import { dbOf, projectOf, type AppContext, type AppEnv } from '../context';
import { invalidRequest, notFound } from '../errors';
import { Int, parseBody, pathId } from '../validation';
import { FileExpiresAfter, formError } from './files';

/**
 * `client.uploads`: create, parts.create, complete, cancel. The Uploads API is how files above the
 * 100 MB request-body cap reach us (docs/platform-limits.md §2): parts of up to 64 MB each land in their own R2
 * object, and `complete` concatenates them, in the order given, into the new file's object.
 */
export const uploadsRoutes = new Hono<AppEnv>();

/** OpenAI: "An Upload can accept at most 8 GB in total". */
export const MAX_UPLOAD_BYTES = 8 * 1024 * 1024 * 1024;
/** OpenAI: "Each Part can be at most 64 MB". */
export const MAX_PART_BYTES = 64 * 1024 * 1024;

const MIME_TYPE = /^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/;

/** CreateUploadRequest. */
const UploadCreateParams = z.strictObject({
  filename: z.string().min(1).max(1024),
  purpose: z.enum(['assistants', 'batch', 'fine-tune', 'vision']),
  bytes: Int().min(1).max(MAX_UPLOAD_BYTES),
  mime_type: z.string().refine((v) => MIME_TYPE.test(v), { message: "Invalid 'mime_type': expected a MIME type such as 'text/plain'." }),
  expires_after: FileExpiresAfter.optional(),
});

/** CompleteUploadRequest. `md5` as hex (what `md5sum` prints) or base64 (what Content-MD5 uses). */
const UploadCompleteParams = z.strictObject({
  part_ids: z.array(z.string()),
  md5: z
    .string()
    .refine((v) => /^[0-9a-f]{32}$/i.test(v) || /^[A-Za-z0-9+/]{22}==$/.test(v), {
      message: "Invalid 'md5': expected an MD5 checksum as 32 hexadecimal characters.",
    })
    .optional(),
});

uploadsRoutes.post('/uploads', async (c) => {
  const p = await parseBody(c, UploadCreateParams);
  const row = await createUpload(dbOf(c), projectOf(c), {
    filename: p.filename,
    bytes: p.bytes,
    purpose: p.purpose,
    mimeType: p.mime_type,
    fileExpiresAfter: p.expires_after ?? null,
  });
  return c.json(toUploadObject(row));
});

uploadsRoutes.post('/uploads/:upload_id/parts', async (c) => {
  // Refused before the form is read (unknown or finished upload): the body is still discarded.
  const upload = await pendingUpload(c, pathId(c, 'upload_id', 'upload_'), 'add parts to').catch(async (err: unknown) => {
    await discardBody(c.req.raw);
    throw err;
  });
  const db = dbOf(c);
  const now = Date.now();
  const partId = newId('part_', now);
  const key = partKey(upload.id, partId);
  let bytes: number | undefined;
  let form: MultipartReader | undefined;
  try {
    form = openMultipart(c.req.raw);
    for (let part; (part = await form.next()); ) {
      // AddUploadPartRequest has exactly one field.
      if (part.name !== 'data') throw invalidRequest(`Unknown parameter: '${part.name}'.`, part.name, 'unknown_parameter');
      if (bytes !== undefined) throw invalidRequest("Duplicate parameter: 'data'. Send one part per request.", 'data', 'invalid_value');
      const writer = new R2StreamWriter(c.env.FILES, key, { maxBytes: MAX_PART_BYTES });
      await writer.writeAll(form.chunks());
      bytes = writer.bytes;
    }
    if (bytes === undefined) throw invalidRequest("Missing required parameter: 'data'.", 'data', 'missing_required_parameter');
  } catch (err) {
    if (bytes !== undefined) await c.env.FILES.delete(key).catch(() => undefined);
    await (form ? form.discardRest() : discardBody(c.req.raw));
    throw formError(err, 'data');
  }
  const row: UploadPartRow = { id: partId, uploadId: upload.id, createdAt: unixSeconds(now), bytes, r2Key: key };
  await insertPart(db, row);
  // A complete or cancel may have won while the bytes were streaming: never leave a part behind it.
  const after = await getUploadRow(db, upload.projectId, upload.id);
  if (after?.status !== 'pending') {
    await deletePart(db, c.env.FILES, row);
    throw invalidRequest(`Cannot add parts to upload ${upload.id} with status '${after?.status ?? 'cancelled'}'.`);
  }
  return c.json(toUploadPartObject(row));
});

/**
 * Verifies the listed parts, then streams them (in the caller's order) into the new file's object. Every
 * byte passes through this request once (memory stays at one 8 MiB R2 part): a multi-GB upload costs
 * seconds of CPU, so production deployments taking uploads that large should raise `limits.cpu_ms`.
 */
uploadsRoutes.post('/uploads/:upload_id/complete', async (c) => {
  const upload = await pendingUpload(c, pathId(c, 'upload_id', 'upload_'), 'complete');
  const params = await parseBody(c, UploadCompleteParams);
  const db = dbOf(c);
  const ordered = orderedParts(upload, await listParts(db, upload.id), params.part_ids);
  const total = ordered.reduce((sum, p) => sum + p.bytes, 0);
  if (total !== upload.bytes) {
    throw invalidRequest(
      `The parts in 'part_ids' add up to ${total} bytes, but the upload was created with bytes=${upload.bytes}.`,
      'part_ids',
      'invalid_value',
    );
  }

  const now = Date.now();
  const draft = draftFile(upload.projectId, now);
  const bucket = c.env.FILES;
  const assembled = await concatenateObjects(bucket, ordered.map((p) => p.r2Key), draft.key, {
    contentType: upload.mimeType,
    md5: params.md5 !== undefined,
  }).catch((err: unknown) => {
    // Only a concurrent cancel/complete removes part objects; report that as a client error, not a 500.
    if (err instanceof MissingObjectError) throw invalidRequest(`Upload ${upload.id} was cancelled or completed while completing.`);
    throw err;
  });
  if (params.md5 !== undefined && !md5Matches(assembled.md5!, params.md5)) {
    await discardFileBytes(bucket, draft);
    throw invalidRequest(
      `The MD5 checksum of the uploaded bytes (${assembled.md5}) does not match the 'md5' provided (${params.md5}).`,
      'md5',
      'invalid_value',
    );
  }

  const finished = await finishUpload(db, upload.id, 'completed', draft.id);
  if (!finished) {
    await discardFileBytes(bucket, draft);
    const current = await getUploadRow(db, upload.projectId, upload.id);
    throw invalidRequest(`Cannot complete upload ${upload.id} with status '${current?.status ?? 'cancelled'}'.`);
  }
  let file: FileRow;
  try {
    file = await recordFile(
      db,
      draft,
      {
        bytes: assembled.bytes,
        filename: upload.filename,
        purpose: upload.purpose,
        mimeType: upload.mimeType,
        expiresAfterSeconds: upload.fileExpiresAfter ? upload.fileExpiresAfter.seconds : null,
      },
      now,
    );
  } catch (err) {
    await reopenUpload(db, upload.id);
    await discardFileBytes(bucket, draft).catch(() => undefined);
    throw err;
  }
  await deleteParts(db, bucket, upload.id);
  return c.json(toUploadObject(finished, file));
});

uploadsRoutes.post('/uploads/:upload_id/cancel', async (c) => {
  const upload = await pendingUpload(c, pathId(c, 'upload_id', 'upload_'), 'cancel');
  const db = dbOf(c);
  const cancelled = await finishUpload(db, upload.id, 'cancelled');
  if (!cancelled) {
    const current = await getUploadRow(db, upload.projectId, upload.id);
    throw invalidRequest(`Cannot cancel upload ${upload.id} with status '${current?.status ?? 'cancelled'}'.`);
  }
  await deleteParts(db, c.env.FILES, upload.id);
  return c.json(toUploadObject(cancelled));
});

/**
 * The caller's upload, which must still be pending. One past its `expires_at` (an hour after creation)
 * becomes `expired` here, lazily, and its parts are dropped. Unknown or another project's: OpenAI's 404.
 */
async function pendingUpload(c: AppContext, id: string, action: string): Promise<UploadRow> {
  const db = dbOf(c);
  let row = await getUploadRow(db, projectOf(c), id);
  if (!row) throw notFound('upload', id);
  if (row.status === 'pending' && row.expiresAt <= unixSeconds()) {
    const expired = await finishUpload(db, id, 'expired');
    if (expired) c.executionCtx.waitUntil(deleteParts(db, c.env.FILES, id).catch(() => undefined));
    row = expired ?? (await getUploadRow(db, projectOf(c), id)) ?? row;
  }
  if (row.status !== 'pending') throw invalidRequest(`Cannot ${action} upload ${id} with status '${row.status}'.`);
  return row;
}

/** `part_ids` as part rows, in the caller's order: each must be a part of this upload, listed once. */
function orderedParts(upload: UploadRow, parts: UploadPartRow[], ids: string[]): UploadPartRow[] {
  const byId = new Map(parts.map((p) => [p.id, p]));
  const seen = new Set<string>();
  return ids.map((id, i) => {
    const param = `part_ids[${i}]`;
    const part = byId.get(id);
    if (!part) throw invalidRequest(`Invalid '${param}': no part with id '${id}' was added to upload ${upload.id}.`, param, 'invalid_value');
    if (seen.has(id)) throw invalidRequest(`Invalid '${param}': part '${id}' is listed more than once.`, param, 'invalid_value');
    seen.add(id);
    return part;
  });
}

function md5Matches(hex: string, given: string): boolean {
  if (given.length === 32) return given.toLowerCase() === hex;
  const bytes = hex.match(/../g)!.map((h) => parseInt(h, 16));
  return btoa(String.fromCharCode(...bytes)) === given;
}

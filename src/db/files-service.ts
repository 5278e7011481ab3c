import { eq } from 'drizzle-orm';
import { newId, unixSeconds } from '../domain/ids';
import { resolveMimeType } from '../domain/mime';
import type { Database } from './client';
import { fileKey, findFileRow, insertFileRow, type FileRow } from './files';
import { inProject } from './project-scope';
import { files } from './schema';

/**
 * The one place a File is made and unmade: its D1 row (`files`) and its bytes in R2
 * (`files/<project>/<file>`, docs/storage.md §3). The bytes are written first and the row last, so a
 * row never points at missing bytes; bytes whose row is not written are removed. Callers: `POST
 * /files` (bytes streamed from the form), `POST /uploads/{id}/complete` (parts concatenated in R2),
 * code-interpreter outputs (bytes in hand, `createFileFromBytes`), and file deletion.
 */

/** A file being created: its id and R2 key are fixed before its bytes are written. */
export interface FileDraft {
  readonly id: string;
  readonly projectId: string;
  /** Where the bytes go (`fileKey`). */
  readonly key: string;
}

export function draftFile(projectId: string, now: number = Date.now()): FileDraft {
  const id = newId('file-', now);
  return { id, projectId, key: fileKey(projectId, id) };
}

/** What a file's row says besides its id and project. */
export interface FileFacts {
  bytes: number;
  filename: string;
  purpose: string;
  mimeType: string;
  /** `expires_after.seconds` (anchor `created_at`), or null for a file that does not expire. */
  expiresAfterSeconds: number | null;
}

/** Writes the row of a draft whose bytes are already in R2; `created_at` is `now`. */
export async function recordFile(db: Database, draft: FileDraft, facts: FileFacts, now: number = Date.now()): Promise<FileRow> {
  const createdAt = unixSeconds(now);
  return insertFileRow(db, {
    id: draft.id,
    projectId: draft.projectId,
    createdAt,
    bytes: facts.bytes,
    filename: facts.filename,
    purpose: facts.purpose,
    mimeType: facts.mimeType,
    r2Key: draft.key,
    expiresAt: facts.expiresAfterSeconds ? createdAt + facts.expiresAfterSeconds : null,
  });
}

/** Removes the bytes of a draft that will not be recorded. */
export function discardFileBytes(bucket: R2Bucket, draft: FileDraft): Promise<void> {
  return bucket.delete(draft.key);
}

/**
 * A file from bytes in hand (code-interpreter outputs, purpose `assistants_output`): R2, then the
 * row; if the row cannot be written the bytes are removed again. The MIME type comes from the name.
 */
export async function createFileFromBytes(
  db: Database,
  bucket: R2Bucket,
  projectId: string,
  p: { filename: string; purpose: string; bytes: Uint8Array; expiresAfterSeconds?: number | null },
): Promise<FileRow> {
  const now = Date.now();
  const draft = draftFile(projectId, now);
  const mimeType = resolveMimeType(p.filename);
  await bucket.put(draft.key, p.bytes, { httpMetadata: { contentType: mimeType } });
  try {
    return await recordFile(db, draft, { bytes: p.bytes.length, filename: p.filename, purpose: p.purpose, mimeType, expiresAfterSeconds: p.expiresAfterSeconds ?? null }, now);
  } catch (err) {
    await discardFileBytes(bucket, draft).catch(() => undefined);
    throw err;
  }
}

/**
 * Deletes a file's row, then its R2 object (a failure after the row is gone leaves an orphan
 * object, never a row pointing at missing bytes). Returns false if there was no such file. What
 * else goes with a file (its vector-store chunks) is removed first by src/retrieval/stores.ts.
 */
export async function deleteFileRecord(db: Database, bucket: R2Bucket, projectId: string, fileId: string): Promise<boolean> {
  const row = await findFileRow(db, projectId, fileId);
  if (!row) return false;
  const gone = await db
    .delete(files)
    .where(inProject(files, projectId, eq(files.id, fileId)))
    .returning({ r2Key: files.r2Key });
  if (gone.length === 0) return false; // deleted concurrently
  await bucket.delete(gone[0]!.r2Key);
  return true;
}

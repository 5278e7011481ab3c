import { and, eq } from 'drizzle-orm';
import { byKey, inProject } from './project-scope';
import { newId, unixSeconds } from '../domain/ids';
import type { Database } from './client';
import { toFileObject, type FileRow } from './files';
import { files, uploadParts, uploads } from './schema';

export type UploadRow = typeof uploads.$inferSelect;
export type UploadPartRow = typeof uploadParts.$inferSelect;
export type UploadStatus = UploadRow['status'];

/** OpenAI: "an Upload ... expires after an hour" (independent of the file's own expires_after). */
export const UPLOAD_TTL_SECONDS = 3600;

/** Where an upload part's bytes wait for `complete`. */
export const partKey = (uploadId: string, partId: string): string => `uploads/${uploadId}/${partId}`;

/** Upload (docs/openai-behaviour.md §2.8): `file` is the OpenAIFile once completed, `null` before. */
export function toUploadObject(row: UploadRow, file: FileRow | null = null) {
  return {
    id: row.id,
    object: 'upload' as const,
    created_at: row.createdAt,
    filename: row.filename,
    bytes: row.bytes,
    purpose: row.purpose,
    status: row.status,
    expires_at: row.expiresAt,
    file: file ? toFileObject(file) : null,
  };
}

export function toUploadPartObject(row: UploadPartRow) {
  return { id: row.id, object: 'upload.part' as const, created_at: row.createdAt, upload_id: row.uploadId };
}

export interface NewUpload {
  filename: string;
  bytes: number;
  purpose: string;
  mimeType: string;
  fileExpiresAfter: { anchor: 'created_at'; seconds: number } | null;
}

export async function createUpload(db: Database, projectId: string, p: NewUpload): Promise<UploadRow> {
  const now = Date.now();
  const row: UploadRow = {
    id: newId('upload_', now),
    projectId,
    createdAt: unixSeconds(now),
    ...p,
    status: 'pending',
    expiresAt: unixSeconds(now) + UPLOAD_TTL_SECONDS,
    fileId: null,
  };
  await db.insert(uploads).values(row);
  return row;
}

export async function getUploadRow(db: Database, projectId: string, id: string): Promise<UploadRow | undefined> {
  return db.query.uploads.findFirst({ where: inProject(uploads, projectId, eq(uploads.id, id)) });
}

/** The file a completed upload produced (null if it has been deleted since). */
export async function uploadFileRow(db: Database, row: UploadRow): Promise<FileRow | null> {
  if (!row.fileId) return null;
  const file = await db.query.files.findFirst({ where: inProject(files, row.projectId, eq(files.id, row.fileId)) });
  return file ?? null;
}

/**
 * Guarded transition out of `pending` (D1 has no interactive transactions, docs/platform-limits.md §1): exactly one
 * of two concurrent complete/cancel calls wins. Returns the updated row, or undefined if it lost.
 */
export async function finishUpload(
  db: Database,
  id: string,
  to: Exclude<UploadStatus, 'pending'>,
  fileId: string | null = null,
): Promise<UploadRow | undefined> {
  const rows = await db
    .update(uploads)
    .set({ status: to, fileId })
    .where(byKey(uploads, 'row found in project', eq(uploads.id, id), eq(uploads.status, 'pending')))
    .returning();
  return rows[0];
}

/** Undo of a `completed` transition whose file row could not be written. */
export async function reopenUpload(db: Database, id: string): Promise<void> {
  await db.update(uploads).set({ status: 'pending', fileId: null }).where(byKey(uploads, 'row found in project', eq(uploads.id, id)));
}

export async function insertPart(db: Database, row: UploadPartRow): Promise<void> {
  await db.insert(uploadParts).values(row);
}

/** Every part of an upload, oldest first (one bound parameter, whatever the number of parts). */
export async function listParts(db: Database, uploadId: string): Promise<UploadPartRow[]> {
  return db.select().from(uploadParts).where(eq(uploadParts.uploadId, uploadId)).orderBy(uploadParts.id);
}

/** R2's `delete` takes at most 1000 keys per call. */
const R2_DELETE_BATCH = 1000;

/**
 * Deletes every part's R2 object, then the rows. Lists afresh rather than trusting an earlier list: a part
 * added concurrently must not lose its row while keeping its object.
 */
export async function deleteParts(db: Database, bucket: R2Bucket, uploadId: string): Promise<void> {
  const keys = (await listParts(db, uploadId)).map((p) => p.r2Key);
  for (let i = 0; i < keys.length; i += R2_DELETE_BATCH) await bucket.delete(keys.slice(i, i + R2_DELETE_BATCH));
  await db.delete(uploadParts).where(eq(uploadParts.uploadId, uploadId));
}

/** Removes one part (a part that arrived after its upload stopped being pending). */
export async function deletePart(db: Database, bucket: R2Bucket, part: UploadPartRow): Promise<void> {
  await db.delete(uploadParts).where(eq(uploadParts.id, part.id));
  await bucket.delete(part.r2Key);
}

import { and, eq, gt, isNull, lte, or, type SQL } from 'drizzle-orm';
import { inProject } from './project-scope';
import { unixSeconds } from '../domain/ids';
import type { Database } from './client';
import { pageBy, type ListParams } from './pagination';
import { files } from './schema';

export type FileRow = typeof files.$inferSelect;

/** Where a file's bytes live in R2: one prefix per project, so a project's objects can be listed. */
export const fileKey = (projectId: string, fileId: string): string => `files/${projectId}/${fileId}`;

/**
 * OpenAIFile. `status` is deprecated but `files.waitForProcessing()` polls it, and nothing here is
 * processed asynchronously, so it is always `processed` (docs/openai-behaviour.md §2.8, §6.3). `expires_at` and
 * `status_details` are optional but not nullable in the schema: omitted when unset, never `null`.
 */
export function toFileObject(row: FileRow) {
  return {
    id: row.id,
    object: 'file' as const,
    bytes: row.bytes,
    created_at: row.createdAt,
    filename: row.filename,
    purpose: row.purpose,
    status: 'processed' as const,
    ...(row.expiresAt !== null ? { expires_at: row.expiresAt } : {}),
  };
}
export type FileObject = ReturnType<typeof toFileObject>;

export const isExpired = (row: FileRow, now = unixSeconds()): boolean => row.expiresAt !== null && row.expiresAt <= now;

export async function insertFileRow(db: Database, row: FileRow): Promise<FileRow> {
  await db.insert(files).values(row);
  return row;
}

/** The row whatever its expiry (the files routes use it to clean up an expired file they come across). */
export async function findFileRow(db: Database, projectId: string, id: string): Promise<FileRow | undefined> {
  return db.query.files.findFirst({ where: inProject(files, projectId, eq(files.id, id)) });
}

/**
 * A live file of the project: another project's file, a missing one and an expired one all come back
 * `undefined`, so callers answer all three with the same 404 (OpenAI deletes expired files).
 */
export async function getFileRow(db: Database, projectId: string, id: string): Promise<FileRow | undefined> {
  const row = await findFileRow(db, projectId, id);
  return row && !isExpired(row) ? row : undefined;
}

const live = (now: number): SQL => or(isNull(files.expiresAt), gt(files.expiresAt, now))!;

export async function listFiles(db: Database, projectId: string, params: ListParams & { purpose?: string }, now = unixSeconds()) {
  const where = inProject(files, projectId, params.purpose !== undefined ? eq(files.purpose, params.purpose) : undefined, live(now));
  const page = await pageBy(files.id, params, where, (w, orderBy, limit) =>
    db.select().from(files).where(w).orderBy(orderBy).limit(limit),
  );
  return { ...page, data: page.data.map(toFileObject) };
}

/** Files past their `expires_at`, a few at a time (lazy cleanup piggybacks on list calls). */
export async function expiredFileIds(db: Database, projectId: string, now = unixSeconds(), limit = 20): Promise<string[]> {
  const rows = await db
    .select({ id: files.id })
    .from(files)
    .where(inProject(files, projectId, lte(files.expiresAt, now)))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** The file's bytes as stored in R2, or null if the object is missing. */
export async function openFileStream(bucket: R2Bucket, row: FileRow): Promise<R2ObjectBody | null> {
  return bucket.get(row.r2Key);
}

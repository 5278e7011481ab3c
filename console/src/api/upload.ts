// Uploading a file with progress: one multipart POST /v1/files, or for big files the Uploads API
// (POST /v1/uploads, its parts, then complete), which keeps each request small.
import { post, postForm } from './client';
import type { FileObject } from './types';

/** Above this size the Uploads API is used (each /v1/files request body must fit a Worker request). */
export const PARTS_THRESHOLD = 20 * 1024 * 1024;
export const PART_SIZE = 8 * 1024 * 1024;

export type Progress = (sent: number, total: number) => void;

export async function uploadFile(file: File, purpose: string, inParts: boolean, onProgress: Progress): Promise<FileObject> {
  if (!inParts) {
    const form = new FormData();
    form.set('purpose', purpose);
    form.set('file', file, file.name);
    return postForm<FileObject>('files', form, onProgress);
  }
  const upload = await post<{ id: string }>('uploads', {
    filename: file.name,
    purpose,
    bytes: file.size,
    mime_type: file.type || 'application/octet-stream',
  });
  const partIds: string[] = [];
  for (let offset = 0; offset < file.size || partIds.length === 0; offset += PART_SIZE) {
    const form = new FormData();
    form.set('data', file.slice(offset, offset + PART_SIZE), file.name);
    const part = await postForm<{ id: string }>(`uploads/${upload.id}/parts`, form, (sent) => onProgress(Math.min(offset + sent, file.size), file.size));
    partIds.push(part.id);
  }
  const done = await post<{ file: FileObject }>(`uploads/${upload.id}/complete`, { part_ids: partIds });
  onProgress(file.size, file.size);
  return done.file;
}

import type { Database } from '../db/client';
import { getFileRow, openFileStream } from '../db/files';
import type { MessageContent } from '../domain/messages';

/** OpenAI's limit for an image given to a vision model. */
const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * `image_file` parts reach vision models as data URLs of the stored bytes (upstreams cannot fetch
 * our R2). Files that are missing, too large or not images stay unresolved, and context assembly
 * tells the model an image could not be loaded.
 */
export async function loadImageUrls(db: Database, bucket: R2Bucket, projectId: string, contents: MessageContent[][]): Promise<Map<string, string>> {
  const ids = new Set<string>();
  for (const content of contents) for (const c of content) if (c.type === 'image_file') ids.add(c.image_file.file_id);
  const urls = new Map<string, string>();
  for (const id of ids) {
    const row = await getFileRow(db, projectId, id);
    if (!row || row.bytes > MAX_IMAGE_BYTES || !row.mimeType.startsWith('image/')) continue;
    const object = await openFileStream(bucket, row);
    if (!object) continue;
    urls.set(id, `data:${row.mimeType};base64,${base64(new Uint8Array(await object.arrayBuffer()))}`);
  }
  return urls;
}

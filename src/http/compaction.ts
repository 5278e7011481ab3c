import { readConfig } from '../config';
import { compactionIndexes, compactionKey, openCompaction, type CompactionSigner } from '../domain/responses/compaction';
import type { StoredItem } from '../domain/responses/types';
import { projectOf, type AppContext } from './context';
import { ApiError, invalidRequest } from './errors';

/**
 * The signer of the caller's compaction items (docs/responses.md "Compaction"): a key derived from
 * ADMIN_API_KEY (required by wrangler.toml, so every deployment has one) and the caller's project.
 * Rotating ADMIN_API_KEY makes earlier compaction items invalid (refused with a 400, never misread).
 */
export async function compactionSigner(c: AppContext): Promise<CompactionSigner> {
  const secret = readConfig(c.env).adminApiKey;
  if (!secret) throw new ApiError(500, 'Compaction needs ADMIN_API_KEY to be set on this server (it keys the compaction items).', 'server_error', null, null);
  return { key: await compactionKey(secret), projectId: projectOf(c) };
}

/**
 * Every `compaction` item of a request's input must be one this server made for this project: anything
 * else (OpenAI's own encrypted items, an edited copy) is refused before the model is called.
 */
export async function requireOwnCompactions(c: AppContext, items: readonly StoredItem[]): Promise<void> {
  const indexes = compactionIndexes(items);
  if (indexes.length === 0) return;
  const signer = await compactionSigner(c);
  for (const i of indexes) {
    if ((await openCompaction(items[i]!.encrypted_content as string, signer)) === null) {
      throw invalidRequest(`The encrypted content of item input[${i}] (type 'compaction') could not be verified: it was not produced by this server's /v1/responses/compact for this project.`, 'input', 'invalid_encrypted_content');
    }
  }
}

/**
 * `context_management` (server-side compaction: OpenAI compacts in the middle of a response once the
 * context crosses `compact_threshold`) is not served yet: refused rather than ignored, so a client never
 * believes its context is being kept small. An empty or null list asks for nothing and passes.
 */
export function refuseContextManagement(entries: readonly unknown[] | null | undefined): void {
  if (!entries || entries.length === 0) return;
  throw invalidRequest(
    "Server-side compaction ('context_management') is not supported by this server yet: compact with POST /v1/responses/compact and pass its output as input.",
    'context_management',
    'unsupported_parameter',
  );
}

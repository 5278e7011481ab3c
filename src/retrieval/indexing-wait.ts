import { and, eq, inArray, sql } from 'drizzle-orm';
import { byKey } from '../db/project-scope';
import type { Database } from '../db/client';
import { vectorStoreFiles } from '../db/schema';

/** How long a run waits in all for its stores' files to finish indexing before searching anyway. */
export const INDEXING_WAIT_MS = 60_000;
/**
 * A file counts as making progress when it recorded some in this window. Ingestion records
 * progress when queued, when a consumer starts, and after every batch of chunks written or embedded
 * (src/retrieval/ingest.ts), so a live consumer writes well within it.
 */
export const PROGRESS_WINDOW_MS = 20_000;
const POLL_MS = 250;

export interface IndexingState {
  /** Files of the stores still `in_progress`. */
  pending: number;
  /** Of those, the ones that made progress within PROGRESS_WINDOW_MS of `now`. */
  progressing: number;
}

export async function indexingState(db: Database, storeIds: string[], now: number = Date.now()): Promise<IndexingState> {
  if (storeIds.length === 0) return { pending: 0, progressing: 0 };
  const [row] = await db
    .select({
      pending: sql<number>`count(*)`,
      progressing: sql<number>`coalesce(sum(${vectorStoreFiles.progressAt} >= ${now - PROGRESS_WINDOW_MS}), 0)`,
    })
    .from(vectorStoreFiles)
    .where(byKey(vectorStoreFiles, 'parent found in project', inArray(vectorStoreFiles.vectorStoreId, storeIds), eq(vectorStoreFiles.status, 'in_progress')));
  return { pending: Number(row?.pending ?? 0), progressing: Number(row?.progressing ?? 0) };
}

/**
 * A file_search run waits for its stores' files to finish indexing, so it does not search a
 * half-built store, but only while they are making progress (and at most INDEXING_WAIT_MS): files
 * stranded by a lost message or a dead consumer (the sweeper's business, src/retrieval/ingest-sweeper.ts)
 * are not waited for; the run searches what is indexed. Returns the state it stopped at.
 */
export async function waitWhileIndexing(
  db: Database,
  storeIds: string[],
  signal: AbortSignal,
  maxWaitMs: number = INDEXING_WAIT_MS,
): Promise<IndexingState> {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const state = await indexingState(db, storeIds);
    if (state.pending === 0 || state.progressing === 0 || signal.aborted || Date.now() >= deadline) {
      if (state.pending > 0) console.warn(`file_search: searching with ${state.pending} file(s) still being indexed`);
      return state;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

import { failStranded, strandedVectorStoreFiles, takeForRetry } from '../db/vector-store-files';
import type { Env } from '../env';
import { removeIndexed, type IngestJob } from './ingest';
import { enqueueIngest } from './ingest-jobs';
import type { RetrievalServices } from './search';
import { services } from '../services';

/**
 * The ingestion sweeper: the cron trigger (wrangler.toml `[triggers]`, every minute) finds
 * vector-store files `in_progress` that made no progress for `stallSeconds` (queue message lost,
 * consumer killed, queue send failed) and queues them again; a file already queued `maxAttempts`
 * times ends `failed` (`server_error`) instead. Batch `file_counts` and store status are counted
 * from the files' rows, so they follow. A stranded file therefore stays `in_progress` at most
 * maxAttempts × (stallSeconds + one sweep interval): 3 × (120 s + 60 s) = 9 minutes by default.
 */
export interface SweepOptions {
  stallSeconds: number;
  maxAttempts: number;
}

export interface SweepReport {
  requeued: number;
  failed: number;
  /** Re-sends that failed too: due again at the next sweep. */
  unsent: number;
}

/** Files handled per sweep; the rest wait for the next one (a minute later). */
const SWEEP_LIMIT = 500;

export async function sweepStrandedFiles(
  services: RetrievalServices,
  queue: Queue,
  options: SweepOptions,
  now: number = Date.now(),
): Promise<SweepReport> {
  const { db } = services;
  const stranded = await strandedVectorStoreFiles(db, now - options.stallSeconds * 1000, SWEEP_LIMIT);
  const jobs: IngestJob[] = [];
  let failed = 0;
  for (const row of stranded) {
    if (row.attempts >= options.maxAttempts) {
      const error = {
        code: 'server_error',
        message: `Indexing made no progress for ${options.stallSeconds} seconds after ${row.attempts} attempt(s); the file was not indexed.`,
      };
      if (await failStranded(db, row, error)) {
        await removeIndexed(services, row.vectorStoreId, row.id);
        failed += 1;
      }
      continue;
    }
    // Conditional on the row as read: a concurrent sweep or a consumer that just started wins.
    if (await takeForRetry(db, row, now)) jobs.push({ projectId: row.projectId, vectorStoreId: row.vectorStoreId, fileId: row.id });
  }
  const unsent = await enqueueIngest(db, queue, jobs);
  return { requeued: jobs.length - unsent, failed, unsent };
}

/** The sweep with this environment's bindings and settings (INGEST_STALL_SECONDS, INGEST_MAX_ATTEMPTS). */
export async function sweepIngestion(env: Env, now: number = Date.now()): Promise<SweepReport> {
  const { config, retrieval } = services(env);
  const report = await sweepStrandedFiles(
    retrieval,
    env.INGEST_QUEUE,
    { stallSeconds: config.ingestStallSeconds, maxAttempts: config.ingestMaxAttempts },
    now,
  );
  if (report.requeued + report.failed + report.unsent > 0) console.log('ingest sweep:', JSON.stringify(report));
  return report;
}

/** Sweep interval when driven by requests; the cron's is one minute too. */
const REQUEST_SWEEP_INTERVAL_MS = 60_000;
let lastRequestSweep = 0;

/**
 * Miniflare (`wrangler dev`, tests) never fires cron triggers on its own, only through
 * `/cdn-cgi/handler/scheduled` or `--test-scheduled`: outside production the sweep also runs in the
 * background of an incoming request, at most once a minute per isolate, so files stranded when a
 * dev server was killed finish after its restart. Production relies on the cron.
 */
export function sweepOnRequest(env: Env, ctx: ExecutionContext): void {
  const now = Date.now();
  if (now - lastRequestSweep < REQUEST_SWEEP_INTERVAL_MS) return;
  let config;
  try {
    config = services(env).config;
  } catch {
    return; // the request itself reports the misconfiguration
  }
  if (config.environment === 'production') return;
  lastRequestSweep = now;
  ctx.waitUntil(sweepIngestion(env, now).catch((err: unknown) => console.error('ingest sweep failed:', err)));
}

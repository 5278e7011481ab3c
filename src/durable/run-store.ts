import { and, asc, eq, inArray } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/durable-sqlite';
import { pageBy, type ListParams, type Page } from '../db/pagination';
import type { Run, RunStatus, RunStep } from '../domain/runs/types';
import { ACTIVE_RUN_STATUSES } from '../domain/runs/state';
import { hostedCalls, runs, steps, type RunInternal } from './schema';

export interface StoredRun {
  run: Run;
  internal: RunInternal;
}

/**
 * What the executor reads and writes of runs, steps and hosted calls: RunStore in the Durable Object,
 * an in-memory map in the executor's unit tests (test/unit/runs/).
 */
export interface RunRecords {
  get(id: string): StoredRun | undefined;
  save(run: Run, from: RunStatus, internal?: RunInternal): boolean;
  saveInternal(id: string, internal: RunInternal): void;
  insertStep(step: RunStep): void;
  saveStep(step: RunStep): void;
  removeStep(id: string): void;
  stepsOf(runId: string): RunStep[];
  insertHostedCall(call: typeof hostedCalls.$inferInsert): void;
  hostedCallsOf(runId: string): (typeof hostedCalls.$inferSelect)[];
}

/**
 * Runs and steps in the thread Durable Object's SQLite. Every status change is a guarded update
 * (`WHERE id = ? AND status = ?`, rows written checked), so a stale writer can never move a run
 * out of a state someone else already left (docs/run-lifecycle.md).
 */
export class RunStore implements RunRecords {
  private readonly db;
  private readonly sql: SqlStorage;

  constructor(storage: DurableObjectStorage) {
    this.db = drizzle(storage, { schema: { runs, steps, hostedCalls } });
    this.sql = storage.sql;
  }

  activeRuns(): StoredRun[] {
    return this.db
      .select()
      .from(runs)
      .where(inArray(runs.status, [...ACTIVE_RUN_STATUSES]))
      .all()
      .map((r) => ({ run: r.data, internal: r.internal }));
  }

  insert(run: Run, internal: RunInternal): void {
    this.db.insert(runs).values({ id: run.id, status: run.status, createdAt: run.created_at, data: run, internal }).run();
  }


  // get, save and stepsOf run several times per run and on every poll: plain SQL over the same
  // columns (JSON text, as drizzle's json mode writes it), without building a query each time
  // (`npm run bench:profile`, issue 13).

  get(id: string): StoredRun | undefined {
    const row = this.sql.exec<{ data: string; internal: string }>('SELECT data, internal FROM runs WHERE id = ?', id).toArray()[0];
    return row ? { run: JSON.parse(row.data) as Run, internal: JSON.parse(row.internal) as RunInternal } : undefined;
  }

  /** Writes `run` only if the stored status is still `from`; returns whether it did. */
  save(run: Run, from: RunStatus, internal?: RunInternal): boolean {
    const written = internal
      ? this.sql.exec('UPDATE runs SET status = ?, data = ?, internal = ? WHERE id = ? AND status = ? RETURNING id', run.status, JSON.stringify(run), JSON.stringify(internal), run.id, from)
      : this.sql.exec('UPDATE runs SET status = ?, data = ? WHERE id = ? AND status = ? RETURNING id', run.status, JSON.stringify(run), run.id, from);
    return written.toArray().length === 1;
  }

  saveInternal(id: string, internal: RunInternal): void {
    this.db.update(runs).set({ internal }).where(eq(runs.id, id)).run();
  }

  async list(params: ListParams): Promise<Page<Run>> {
    const page = await pageBy(runs.id, params, undefined, async (where, orderBy, limit) =>
      this.db.select().from(runs).where(where).orderBy(orderBy).limit(limit).all(),
    );
    return { ...page, data: page.data.map((r) => r.data) };
  }

  insertStep(step: RunStep): void {
    this.db.insert(steps).values({ id: step.id, runId: step.run_id, status: step.status, data: step }).run();
  }

  saveStep(step: RunStep): void {
    this.db.update(steps).set({ status: step.status, data: step }).where(eq(steps.id, step.id)).run();
  }

  removeStep(id: string): void {
    this.db.delete(steps).where(eq(steps.id, id)).run();
  }

  getStep(runId: string, id: string): RunStep | undefined {
    return this.db.select().from(steps).where(and(eq(steps.runId, runId), eq(steps.id, id))).get()?.data;
  }

  stepsOf(runId: string): RunStep[] {
    return this.sql
      .exec<{ data: string }>('SELECT data FROM steps WHERE run_id = ? ORDER BY id ASC', runId)
      .toArray()
      .map((s) => JSON.parse(s.data) as RunStep);
  }

  async listSteps(runId: string, params: ListParams): Promise<Page<RunStep>> {
    const page = await pageBy(steps.id, params, eq(steps.runId, runId), async (where, orderBy, limit) =>
      this.db.select().from(steps).where(where).orderBy(orderBy).limit(limit).all(),
    );
    return { ...page, data: page.data.map((s) => s.data) };
  }

  insertHostedCall(call: typeof hostedCalls.$inferInsert): void {
    this.db.insert(hostedCalls).values(call).onConflictDoNothing().run();
  }

  /** The run's hosted calls in call order (ids sort in creation order). */
  hostedCallsOf(runId: string): (typeof hostedCalls.$inferSelect)[] {
    return this.db.select().from(hostedCalls).where(eq(hostedCalls.runId, runId)).orderBy(asc(hostedCalls.callId)).all();
  }
}

import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { runBatch, type Database } from '../../db/client';
import { localVectors } from '../../db/schema';
import type { VectorIndex, VectorMatch, VectorMetadata } from '../../domain/ports';
import type { StageTimings } from '../../observability/stage-timings';
import { cosine, decodeHexVector, encodeVector, norm, TopK } from '../../domain/vectors';
import { quantizeInt8 } from '../../domain/vectors-int8';
import { approximateTop, packSigns, signBytes } from '../../domain/vectors-binary';
import { ID_BYTES, VectorCache, type CacheEntry } from './vector-cache';

export { VectorCache } from './vector-cache';

/**
 * The VectorIndex port over D1 (table `local_vectors`), for dev and tests: Vectorize has no local
 * emulation. The exact Float32 little-endian blobs in D1 are the source of truth. A query scans an
 * isolate-level cache of the namespace, int8-quantised (1 byte a dimension: 100k × 256 dims ≈ 26 MB,
 * within a Worker's 128 MB; a large one is first narrowed by 1-bit sign codes, vectors-binary.ts) and
 * answers the top k by int8 cosine with those approximate scores, as Vectorize does by default
 * (approximate scoring unless `returnValues`); each score is within the row's quantisation error
 * bound of the exact cosine (domain/vectors-int8.ts).
 *
 * Cache validity across isolates: every write bumps the namespace's random version in
 * `local_vector_versions` (created lazily here) in the same atomic batch as the data; a query reads
 * the version first (one tiny query) and reloads on a mismatch. Reading it before the rows means a
 * cache is never labelled newer than its data. A namespace too large for the budget is scanned
 * exactly from D1 in pages, as before.
 */
export interface LocalVectorIndexOptions {
  /** Bytes of vector data to fetch per page; default 2 MB. */
  pageBytes?: number;
  /** Default: the isolate's shared cache. */
  cache?: VectorCache;
  /** Records `vector-version`, `vector-load` and `vector-scan` (the request's Server-Timing). */
  timings?: StageTimings;
}

/** D1 allows 100 bound parameters per statement (docs/platform-limits.md §1); an upsert row binds 4. */
const ROWS_PER_INSERT = Math.floor(100 / 4);
const IDS_PER_STATEMENT = 99;
const VERSIONS = 'local_vector_versions';
/** Not in the migrations: this adapter creates it on first use (dev and tests only; Vectorize in production). */
const versions = sqliteTable(VERSIONS, { namespace: text('namespace').primaryKey(), version: integer('version').notNull() });
const newVersion = sql`(random() >> 11)`;
/** Vectors are read as hex text: D1 returns blobs as arrays of byte numbers, ~7× slower for a page. */
const hexValues = sql<string>`hex(${localVectors.values})`;
const isolateCache = new VectorCache();

export class LocalVectorIndex implements VectorIndex {
  private readonly pageBytes: number;
  private readonly cache: VectorCache;
  /** Version reads started by `prepare`, each taken by the next query of its namespace. */
  private readonly prepared = new Map<string, Promise<number | null>>();

  constructor(private readonly db: Database, private readonly options: LocalVectorIndexOptions = {}) {
    this.pageBytes = options.pageBytes ?? 2 * 1024 * 1024;
    this.cache = options.cache ?? isolateCache;
  }

  async upsert(namespace: string, vectors: { id: string; values: number[]; metadata?: VectorMetadata }[]): Promise<void> {
    if (vectors.length === 0) return;
    this.prepared.clear(); // versions read before a write are stale after it
    const statements: Parameters<typeof runBatch>[1] = [];
    // An id upserted from another namespace leaves it: that namespace changes too.
    for (let i = 0; i < vectors.length; i += IDS_PER_STATEMENT) {
      statements.push(this.bumpNamespacesOf(vectors.slice(i, i + IDS_PER_STATEMENT).map((v) => v.id)));
    }
    for (let i = 0; i < vectors.length; i += ROWS_PER_INSERT) {
      const rows = vectors.slice(i, i + ROWS_PER_INSERT).map((v) => ({
        id: v.id,
        namespace,
        values: encodeVector(v.values).buffer as ArrayBuffer,
        metadata: v.metadata ?? null,
      }));
      statements.push(
        this.db
          .insert(localVectors)
          .values(rows)
          .onConflictDoUpdate({
            target: localVectors.id,
            set: { namespace: sql`excluded.namespace`, values: sql`excluded."values"`, metadata: sql`excluded.metadata` },
          }),
      );
    }
    statements.push(
      this.db.insert(versions).values({ namespace, version: newVersion }).onConflictDoUpdate({ target: versions.namespace, set: { version: sql`excluded.version` } }),
    );
    // One atomic batch: a failed upsert leaves no half-written file, and the version moves with the data.
    await this.withVersions(() => runBatch(this.db, statements));
  }

  /**
   * Reads the namespace's version ahead of the query (one tiny D1 read), so that D1 answers it before
   * the search's keyword query and the scan can run while D1 works on that. Reading it earlier keeps
   * the cache rule: the version is read before the rows it labels.
   */
  prepare(namespace: string): void {
    const version = this.readVersion(namespace);
    version.catch(() => undefined); // awaited by the query; no unhandled rejection meanwhile
    this.prepared.set(namespace, version);
  }

  async query(namespace: string, vector: number[], topK: number): Promise<VectorMatch[]> {
    const prepared = this.prepared.get(namespace);
    this.prepared.delete(namespace);
    const k = Math.max(0, Math.floor(topK));
    if (k === 0 || vector.length === 0) return [];
    const timed = <T>(stage: string, f: () => Promise<T>) => (this.options.timings ? this.options.timings.time(stage, f) : f());
    const version = await timed('vector-version', () => prepared ?? this.readVersion(namespace));
    if (version === null) return [];
    const entry = await timed('vector-load', () => this.entry(namespace, version, vector.length));
    if (!entry) return this.scan(namespace, vector, k);
    const scanStart = performance.now();
    // Approximate scores, as Vectorize's default query (docs/storage.md "How the local vector index
    // answers a query"): the int8 cosine, within the row's error bound of the exact one.
    const matches = approximateTop(entry, vector, k, (row) => entry.ids[row]!);
    this.options.timings?.add('vector-scan', performance.now() - scanStart);
    return matches;
  }

  async deleteByIds(ids: string[]): Promise<void> {
    this.prepared.clear(); // versions read before a write are stale after it
    const statements: Parameters<typeof runBatch>[1] = [];
    for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) {
      const slice = ids.slice(i, i + IDS_PER_STATEMENT);
      // Versions first: the subquery needs the rows still there (the batch is one transaction).
      statements.push(this.bumpNamespacesOf(slice));
      statements.push(this.db.delete(localVectors).where(inArray(localVectors.id, slice)));
    }
    await this.withVersions(() => runBatch(this.db, statements));
  }

  private readVersion(namespace: string): Promise<number | null> {
    return this.withVersions(() => this.version(namespace));
  }

  /** Gives every namespace holding one of `ids` a new version. */
  private bumpNamespacesOf(ids: string[]) {
    const holders = this.db.select({ namespace: localVectors.namespace }).from(localVectors).where(inArray(localVectors.id, ids));
    return this.db.update(versions).set({ version: newVersion }).where(inArray(versions.namespace, holders));
  }

  /**
   * The namespace's version; null when it holds no vectors and never had a version (nothing is
   * written for it then). Vectors written before versions existed get one now.
   */
  private async version(namespace: string): Promise<number | null> {
    const [row] = await this.db.select({ version: versions.version }).from(versions).where(eq(versions.namespace, namespace));
    if (row) return row.version;
    const [any] = await this.db.select({ id: localVectors.id }).from(localVectors).where(eq(localVectors.namespace, namespace)).limit(1);
    if (!any) return null;
    const [created] = await this.db
      .insert(versions)
      .values({ namespace, version: newVersion })
      .onConflictDoUpdate({ target: versions.namespace, set: { version: sql`${versions.version}` } })
      .returning({ version: versions.version });
    return created!.version;
  }

  /** Runs `op`, creating the versions table first if it does not exist yet (then once more). */
  private async withVersions<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (!missingTable(err)) throw err;
      await this.db.run(sql.raw(`CREATE TABLE IF NOT EXISTS ${VERSIONS} (namespace TEXT PRIMARY KEY, version INTEGER NOT NULL)`));
      return op();
    }
  }

  /** The cached quantised namespace at `version`, loading it (once per isolate at a time) if needed. */
  private async entry(namespace: string, version: number, dims: number): Promise<CacheEntry | null> {
    const hit = this.cache.get(namespace, version, dims);
    if (hit) return hit;
    const key = `${namespace}\u0000${version}\u0000${dims}`;
    let pending = this.cache.loading.get(key);
    if (!pending) {
      pending = this.load(namespace, version, dims).finally(() => this.cache.loading.delete(key));
      this.cache.loading.set(key, pending);
    }
    return pending;
  }

  private async load(namespace: string, version: number, dims: number): Promise<CacheEntry | null> {
    const counted = await this.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM local_vectors WHERE namespace = ${namespace}`);
    let capacity = Math.max(16, counted?.n ?? 0);
    // Per row: int8 codes, sign bits, factor, id.
    const budget = (rows: number) => rows * (dims + signBytes(dims) + 4 + ID_BYTES);
    if (budget(capacity) > this.cache.budgetBytes) return null;
    let codes = new Int8Array(capacity * dims);
    let factors = new Float32Array(capacity);
    let signs = new Uint8Array(capacity * signBytes(dims));
    const ids: string[] = [];
    let count = 0;
    const complete = await this.pages(namespace, dims, (id, values) => {
      if (values.length !== dims) return true;
      if (count === capacity) {
        // Rows were added since the count: grow (the next version check reloads anyway).
        capacity *= 2;
        if (budget(capacity) > this.cache.budgetBytes) return false;
        const grown = new Int8Array(capacity * dims);
        grown.set(codes);
        codes = grown;
        const f = new Float32Array(capacity);
        f.set(factors);
        factors = f;
        const s = new Uint8Array(capacity * signBytes(dims));
        s.set(signs);
        signs = s;
      }
      factors[count] = quantizeInt8(values, codes, count * dims);
      packSigns(values, signs, count * signBytes(dims));
      ids.push(id);
      count++;
      return true;
    });
    if (!complete) return null;
    const entry: CacheEntry = { version, dims, count, ids, codes, factors, signs, bytes: budget(capacity) };
    this.cache.set(namespace, entry);
    return entry;
  }

  /** Pages through a namespace's vectors in rowid order; `visit` returning false stops (→ false). */
  private async pages(namespace: string, dims: number, visit: (id: string, values: Float32Array) => boolean): Promise<boolean> {
    const pageSize = Math.max(16, Math.min(4000, Math.floor(this.pageBytes / (dims * 4))));
    let after = 0;
    for (;;) {
      const rows = await this.db
        .select({ rowid: sql<number>`rowid`, id: localVectors.id, hex: hexValues })
        .from(localVectors)
        .where(and(eq(localVectors.namespace, namespace), gt(sql`rowid`, after)))
        .orderBy(sql`rowid`)
        .limit(pageSize);
      for (const row of rows) {
        if (!visit(row.id, decodeHexVector(row.hex))) return false;
      }
      if (rows.length < pageSize) return true;
      after = rows[rows.length - 1]!.rowid;
    }
  }

  /** Exact brute-force scan from D1 (a namespace over the cache budget): O(page + k) memory. */
  private async scan(namespace: string, vector: number[], k: number): Promise<VectorMatch[]> {
    const queryNorm = norm(vector);
    const top = new TopK<VectorMatch>(k);
    await this.pages(namespace, vector.length, (id, values) => {
      // A vector of another length came from another embedding model (the configuration changed):
      // it cannot be compared, so it is skipped rather than failing every search of the store.
      if (values.length === vector.length) top.offer({ id, score: cosine(vector, values, queryNorm) });
      return true;
    });
    return top.sorted();
  }
}

/** D1's "no such table" for the versions table, possibly wrapped by drizzle (DrizzleQueryError.cause). */
function missingTable(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (String((e as Error).message ?? e).includes(`no such table: ${VERSIONS}`)) return true;
  }
  return false;
}

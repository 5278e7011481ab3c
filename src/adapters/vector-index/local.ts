import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import { runBatch, type Database } from '../../db/client';
import { localVectors } from '../../db/schema';
import type { VectorIndex, VectorMatch, VectorMetadata } from '../../domain/ports';
import { cosine, decodeVector, encodeVector, norm, TopK } from '../../domain/vectors';

/**
 * The VectorIndex port over D1 (table `local_vectors`), for dev and tests: Vectorize has no local
 * emulation. Vectors are Float32 little-endian blobs; a query is an exact brute-force cosine scan
 * of the namespace, read in pages (keyset on rowid, which the `(namespace)` index carries) and
 * reduced through a bounded top-k heap, so memory stays at one page plus k matches however large
 * the store. Exact search is fine at dev/test sizes (tens of thousands of chunks).
 */
export interface LocalVectorIndexOptions {
  /** Bytes of vector data to fetch per page; default 2 MB (≈ 680 rows of 768 dims). */
  pageBytes?: number;
}

/** D1 allows 100 bound parameters per statement (architecture §4); an upsert row binds 4. */
const ROWS_PER_INSERT = Math.floor(100 / 4);
const IDS_PER_DELETE = 100;

export class LocalVectorIndex implements VectorIndex {
  private readonly pageBytes: number;

  constructor(private readonly db: Database, options: LocalVectorIndexOptions = {}) {
    this.pageBytes = options.pageBytes ?? 2 * 1024 * 1024;
  }

  async upsert(namespace: string, vectors: { id: string; values: number[]; metadata?: VectorMetadata }[]): Promise<void> {
    const statements = [];
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
    // One atomic batch: a failed upsert leaves no half-written file.
    await runBatch(this.db, statements);
  }

  async query(namespace: string, vector: number[], topK: number): Promise<VectorMatch[]> {
    const k = Math.max(0, Math.floor(topK));
    if (k === 0 || vector.length === 0) return [];
    const queryNorm = norm(vector);
    const top = new TopK<VectorMatch>(k);
    const pageSize = Math.max(16, Math.min(1000, Math.floor(this.pageBytes / (vector.length * 4))));
    let after = 0;
    for (;;) {
      const rows = await this.db
        .select({ rowid: sql<number>`rowid`, id: localVectors.id, values: localVectors.values })
        .from(localVectors)
        .where(and(eq(localVectors.namespace, namespace), gt(sql`rowid`, after)))
        .orderBy(sql`rowid`)
        .limit(pageSize);
      for (const row of rows) {
        const values = decodeVector(row.values as ArrayBuffer | ArrayBufferView | number[]);
        // A vector of another length came from another embedding model (the configuration changed):
        // it cannot be compared, so it is skipped rather than failing every search of the store.
        if (values.length !== vector.length) continue;
        top.offer({ id: row.id, score: cosine(vector, values, queryNorm) });
      }
      if (rows.length < pageSize) break;
      after = rows[rows.length - 1]!.rowid;
    }
    return top.sorted();
  }

  async deleteByIds(ids: string[]): Promise<void> {
    const statements = [];
    for (let i = 0; i < ids.length; i += IDS_PER_DELETE) {
      statements.push(this.db.delete(localVectors).where(inArray(localVectors.id, ids.slice(i, i + IDS_PER_DELETE))));
    }
    await runBatch(this.db, statements);
  }
}

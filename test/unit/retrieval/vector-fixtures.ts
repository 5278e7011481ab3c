// Shared fixtures of the vector tests (vectors, vectors-int8, vectors-binary, local-vector-index):
// seeded random vectors, brute-force top k, and a D1 stand-in over node:sqlite.
import { cosine, decodeVector, encodeVector, TopK } from '../../../src/domain/vectors';
import { quantizeInt8, type Int8Matrix } from '../../../src/domain/vectors-int8';

export function rng(seed: number) {
  let x = seed >>> 0;
  return () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

/** Dense rows, and sparse ones (few non-zero components, like hashed-feature embeddings). */
export function randomVectors(n: number, dims: number, seed: number, density = 1): number[][] {
  const rand = rng(seed);
  return Array.from({ length: n }, () => Array.from({ length: dims }, () => (rand() < density ? rand() * 2 - 1 : 0)));
}

export function quantizeAll(rows: number[][]): Int8Matrix {
  const dims = rows[0]!.length;
  const codes = new Int8Array(rows.length * dims);
  const factors = new Float32Array(rows.length);
  rows.forEach((r, i) => (factors[i] = quantizeInt8(r, codes, i * dims)));
  return { dims, count: rows.length, codes, factors };
}

export function exactTop(rows: number[][], q: number[], k: number): string[] {
  const top = new TopK<{ id: string; score: number }>(k);
  rows.forEach((r, i) => top.offer({ id: String(i), score: cosine(q, decodeVector(encodeVector(r))) }));
  return top.sorted().map((m) => m.id);
}

// node:sqlite (Node ≥ 22.5) is newer than the @types/node in use: typed by hand.
type Sqlite = { exec(sql: string): void; prepare(sql: string): { all(...p: unknown[]): object[]; run(...p: unknown[]): unknown } };
const SQLITE = 'node:sqlite';
const { DatabaseSync } = (await import(SQLITE)) as { DatabaseSync: new (path: string) => Sqlite };

/** The D1 binding's API (prepare/bind/all/raw/run, atomic batch) over an in-memory SQLite. */
export function sqliteD1(): D1Database {
  const db = new DatabaseSync(':memory:');
  db.exec('CREATE TABLE local_vectors (id text PRIMARY KEY NOT NULL, namespace text NOT NULL, "values" blob NOT NULL, metadata text)');
  db.exec('CREATE INDEX local_vectors_namespace ON local_vectors (namespace)');
  const param = (p: unknown) => (p instanceof ArrayBuffer ? new Uint8Array(p) : typeof p === 'boolean' ? Number(p) : (p ?? null));
  const statement = (query: string, params: unknown[] = []): any => ({
    bind: (...ps: unknown[]) => statement(query, ps.map(param)),
    all: async () => ({ results: db.prepare(query).all(...params), success: true, meta: {} }),
    raw: async () => db.prepare(query).all(...params).map((r) => Object.values(r)),
    run: async () => (db.prepare(query).run(...params), { results: [], success: true, meta: {} }),
  });
  const batch = async (statements: any[]) => {
    db.exec('BEGIN');
    try {
      const out = [];
      for (const s of statements) out.push(await s.all());
      db.exec('COMMIT');
      return out;
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  };
  return { prepare: (query: string) => statement(query), batch } as unknown as D1Database;
}

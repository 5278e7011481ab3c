import type { SignedMatrix } from '../../domain/vectors-binary';

/** Rough heap cost of an id string and its array slot. */
export const ID_BYTES = 48;

export interface CacheEntry extends SignedMatrix {
  version: number;
  ids: string[];
  bytes: number;
}

/** Quantised namespaces of one isolate, least recently used evicted first past a byte budget. */
export class VectorCache {
  private readonly entries = new Map<string, CacheEntry>();
  readonly loading = new Map<string, Promise<CacheEntry | null>>();
  private used = 0;

  /**
   * Default 64 MiB: 100k vectors of 512 dims (the local embedding model's: 628 bytes a row with sign
   * bits, factor and id, ~63 MB), or ~135k of 384; half of a Worker's 128 MB stays free. This index serves dev and tests only (Vectorize in
   * production); a namespace over budget is still searched, exactly but slowly, from D1.
   */
  constructor(readonly budgetBytes = 64 * 1024 * 1024) {}

  get bytes(): number {
    return this.used;
  }

  get(namespace: string, version: number, dims: number): CacheEntry | undefined {
    const e = this.entries.get(namespace);
    if (!e || e.version !== version || e.dims !== dims) return undefined;
    this.entries.delete(namespace);
    this.entries.set(namespace, e);
    return e;
  }

  set(namespace: string, entry: CacheEntry): void {
    this.drop(namespace);
    for (const [ns, e] of this.entries) {
      if (this.used + entry.bytes <= this.budgetBytes) break;
      this.entries.delete(ns);
      this.used -= e.bytes;
    }
    this.entries.set(namespace, entry);
    this.used += entry.bytes;
  }

  /** Cached namespaces, least recently used first. */
  namespaces(): string[] {
    return [...this.entries.keys()];
  }

  drop(namespace: string): void {
    const e = this.entries.get(namespace);
    if (e) this.used -= e.bytes;
    this.entries.delete(namespace);
  }
}

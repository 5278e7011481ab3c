/**
 * Where one request's time went, stage by stage, sent back as a `Server-Timing` header (W3C Server
 * Timing; clients that do not know it ignore it). `npm run bench:retrieval` reads it to break a
 * search's latency down. Deployed, a Worker's clock only advances on I/O (a Spectre mitigation,
 * docs/platform-limits.md §2), so CPU-only stages read 0 there and the I/O stages carry their time;
 * under the local runtime the clock runs freely and every stage is measured.
 *
 * Stages that run more than once in a request (one per query or store) add up; stages that overlap
 * each count their own wall time, so the entries can sum to more than the request.
 */
export class StageTimings {
  private readonly totals = new Map<string, number>();

  add(stage: string, ms: number): void {
    this.totals.set(stage, (this.totals.get(stage) ?? 0) + ms);
  }

  /** Runs `f`, adding its wall time (settled, whether it resolved or threw) to `stage`. */
  async time<T>(stage: string, f: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await f();
    } finally {
      this.add(stage, performance.now() - t0);
    }
  }

  /** Synchronous `time`. */
  timeSync<T>(stage: string, f: () => T): T {
    const t0 = performance.now();
    try {
      return f();
    } finally {
      this.add(stage, performance.now() - t0);
    }
  }

  /** The `Server-Timing` value: `stage;dur=ms` entries in the order first seen, 0.1 ms precision. */
  header(): string {
    return [...this.totals].map(([stage, ms]) => `${stage};dur=${ms.toFixed(1)}`).join(', ');
  }

  /** Parses a `Server-Timing` value made by `header()` (the benchmark's side). */
  static parse(value: string | null): Record<string, number> {
    const out: Record<string, number> = {};
    for (const part of (value ?? '').split(',')) {
      const m = /^\s*([\w-]+);dur=([\d.]+)\s*$/.exec(part);
      if (m) out[m[1]!] = Number(m[2]);
    }
    return out;
  }
}

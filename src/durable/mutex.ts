/**
 * Serialises critical sections of a Durable Object that span non-storage I/O. A DO interleaves other
 * requests while it awaits `fetch()` or D1 (docs/platform-limits.md §1), so "check the run lock, then write
 * the message to D1" needs a queue of its own to stay atomic with respect to run creation and
 * thread deletion on the same thread.
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  run<T>(section: () => Promise<T>): Promise<T> {
    const result = this.tail.then(section);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

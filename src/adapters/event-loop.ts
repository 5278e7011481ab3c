/**
 * One turn of the runtime's event loop: resolves after the I/O already started has been handed to
 * the runtime. Under the local runtime (workerd under wrangler dev, the tests, the benchmarks) D1's
 * SQLite runs on the worker's own thread, so an outgoing request made just before a D1 call left
 * only once that call had run (measured: a query's embeddings request held back 20 ms by the
 * keyword query of a 100k-chunk search; docs/platform-limits.md §2). Awaiting a turn between the
 * two sends the request first. Deployed, D1 is another machine and a turn costs nothing measurable.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

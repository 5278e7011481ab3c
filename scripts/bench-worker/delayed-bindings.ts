// Bench only (scripts/bench.ts latency mode): the worker's bindings behind proxies that wait a fixed time
// before every storage round trip (D1 query or batch, R2 call, queue send, Durable Object call), so the
// round trips on a run's hot path cost locally what they cost in production, and a log of every call (and
// every outgoing fetch, the model upstream's included) in the order they were made. Never imported by
// src/: it does not ship in the production bundle.

export interface CallEvent {
  /** `d1.raw`, `do.createRun`, `queue.send`, `r2.get`, `fetch /v1/chat/completions`, `request POST /v1/...`. */
  name: string;
  /** A storage call still in flight when a later fetch started (made, but not waited for, before it). */
  inFlightAtFetch?: boolean;
  done?: boolean;
}

export const log: { events: CallEvent[] } = { events: [] };

/** Logs a storage call and waits `ms` before it goes through. */
async function delayed<T>(name: string, ms: number, call: () => T): Promise<Awaited<T>> {
  const event: CallEvent = { name };
  log.events.push(event);
  try {
    await sleep(ms);
    return await call();
  } finally {
    event.done = true;
  }
}

const sleep = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

/** The real object behind a proxy (D1's batch() needs its own statements back). */
const TARGET = Symbol('bench-target');
const unwrap = <T>(x: T): T => ((x as any)?.[TARGET] ?? x) as T;

/**
 * A proxy of `target` whose methods named by `isDelayed` wait `ms`, log `${kind}.${name}`, then call through;
 * `wrapResult` wraps what other methods return (a prepared statement, a session, a stub).
 */
function delaying<T extends object>(
  target: T,
  kind: string,
  ms: number,
  isDelayed: (name: string) => boolean,
  wrapResult: (name: string, value: unknown) => unknown = (_n, v) => v,
): T {
  return new Proxy(target, {
    get(t, prop) {
      if (prop === TARGET) return t;
      const value = Reflect.get(t, prop, t);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      if (isDelayed(prop)) {
        return (...args: unknown[]) => delayed(`${kind}.${prop}`, ms, () => (value as (...a: unknown[]) => unknown).apply(t, args.map(unwrapArg)));
      }
      return (...args: unknown[]) => wrapResult(prop, (value as (...a: unknown[]) => unknown).apply(t, args.map(unwrapArg)));
    },
  });
}

const unwrapArg = (a: unknown) => (Array.isArray(a) ? a.map(unwrap) : unwrap(a));

function d1Statement(s: D1PreparedStatement, ms: number): D1PreparedStatement {
  return delaying(s, 'd1', ms, (n) => ['first', 'all', 'run', 'raw'].includes(n), (n, v) => (n === 'bind' ? d1Statement(v as D1PreparedStatement, ms) : v));
}

function d1(db: D1Database | D1DatabaseSession, ms: number): any {
  return delaying(db as object, 'd1', ms, (n) => ['batch', 'exec'].includes(n), (n, v) => {
    if (n === 'prepare') return d1Statement(v as D1PreparedStatement, ms);
    if (n === 'withSession') return d1(v as D1DatabaseSession, ms);
    return v;
  });
}

const R2_CALLS = ['head', 'get', 'put', 'delete', 'list', 'createMultipartUpload'];

function doNamespace(ns: DurableObjectNamespace, ms: number): DurableObjectNamespace {
  return delaying(ns, 'do', ms, () => false, (n, v) => (['get', 'getByName'].includes(n) ? doStub(v as object, ms) : v));
}

/** Every method of a stub is a call to the object (RPC or fetch). */
function doStub(stub: object, ms: number): any {
  return new Proxy(stub, {
    get(t, prop) {
      if (prop === TARGET) return t;
      if (typeof prop !== 'string' || ['id', 'name', 'then'].includes(prop)) return Reflect.get(t, prop);
      return (...args: unknown[]) => delayed(`do.${prop}`, ms, () => (t as any)[prop](...args));
    },
  });
}

/** `env` with its storage bindings delayed by `ms` per call (other values as they are). */
export function delayedEnv<E extends Record<string, unknown>>(env: E, ms: number): E {
  const out: Record<string, unknown> = { ...env };
  for (const [name, binding] of Object.entries(env)) {
    if (binding === null || typeof binding !== 'object') continue;
    const b = binding as any;
    if (typeof b.prepare === 'function' && typeof b.batch === 'function') out[name] = d1(b, ms);
    else if (typeof b.idFromName === 'function') out[name] = doNamespace(b, ms);
    else if (typeof b.send === 'function' && typeof b.sendBatch === 'function') out[name] = delaying(b, 'queue', ms, (n) => n === 'send' || n === 'sendBatch');
    else if (typeof b.head === 'function' && typeof b.createMultipartUpload === 'function') out[name] = delaying(b, 'r2', ms, (n) => R2_CALLS.includes(n));
  }
  return out as E;
}

/** Logs every outgoing fetch (the model upstream's request marks the end of a run's hot path). */
export function logFetches(): void {
  const real = globalThis.fetch;
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    for (const e of log.events) if (!e.done && !e.name.startsWith('request')) e.inFlightAtFetch = true;
    log.events.push({ name: `fetch ${new URL(url).pathname}`, done: true });
    return real(input, init);
  }) as typeof fetch;
}

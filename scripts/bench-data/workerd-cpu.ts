// Bench only: workerd's CPU time, from /proc (Linux): utime + stime of the workerd processes under this
// one. wrangler's dev runtime runs two: the worker's own runtime (the Worker, its Durable Objects and
// miniflare's local D1, R2 and queues) and the dev proxy in front of it (wrangler's ProxyWorker, which
// holds requests during a reload; a deployment has none). They are told apart by the socket the proxy
// listens on: the worker's URL.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

export const CPU_TICK_MS = 10; // USER_HZ is 100 on Linux.

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((t) => readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return [];
  }
}

function workerdPids(root: number): number[] {
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const c of childrenOf(pid)) {
      try {
        if (readFileSync(`/proc/${c}/comm`, 'utf8').trim() === 'workerd') out.push(c);
      } catch {}
      walk(c);
    }
  };
  walk(root);
  return out;
}

/** Inodes of the sockets listening on `port` (IPv4 and IPv6). */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let lines: string[] = [];
    try {
      lines = readFileSync(table, 'utf8').trim().split('\n').slice(1);
    } catch {}
    for (const line of lines) {
      const f = line.trim().split(/\s+/);
      // local_address is HEX_IP:HEX_PORT; state 0A is LISTEN; field 9 is the inode.
      if (parseInt(f[1]!.split(':')[1]!, 16) === port && f[3] === '0A') inodes.add(f[9]!);
    }
  }
  return inodes;
}

function ownsSocket(pid: number, inodes: Set<string>): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        return m !== null && inodes.has(m[1]!);
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

export interface WorkerdCpu {
  /** The worker's runtime's CPU so far (ms, user + system, all threads). */
  runtime(): number;
  /** The dev proxy's CPU so far (ms). */
  proxy(): number;
  processes: number;
}

/** The workerd processes under this one, split by whether they listen on the worker's URL (`proxyPort`). */
export function workerdCpu(proxyPort: number): WorkerdCpu {
  const pids = workerdPids(process.pid);
  const inodes = listeningInodes(proxyPort);
  const proxy = pids.filter((pid) => ownsSocket(pid, inodes));
  const runtime = pids.filter((pid) => !proxy.includes(pid));
  // Counting the proxy as the runtime would pass off its CPU as the worker's: refuse rather than guess.
  if (proxy.length !== 1 || runtime.length < 1) {
    throw new Error(`workerd CPU: expected one dev proxy (listening on port ${proxyPort}) and the runtime among ${pids.length} workerd processes; found ${proxy.length} proxy, ${runtime.length} other`);
  }
  const sum = (ps: number[]) =>
    ps.reduce((total, pid) => {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      // After "pid (comm) ": field 14 utime, 15 stime → indexes 11, 12 here.
      return total + (Number(fields[11]) + Number(fields[12])) * CPU_TICK_MS;
    }, 0);
  return { runtime: () => sum(runtime), proxy: () => sum(proxy), processes: pids.length };
}

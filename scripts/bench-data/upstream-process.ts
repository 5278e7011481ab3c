// The bench's scripted model upstream in a process of its own (`npm run bench`), as a real upstream is:
// its timing is not delayed by the benchmark's own SDK client, which shares the bench's event loop.
// (The larger local hop is elsewhere: wrangler's test harness sends every outbound fetch of the worker
// through its Node process (`outboundService`), 9-27 ms from the worker's fetch() to the upstream
// seeing the request, measured 2026-12-01; `wrangler dev` in a process of its own measured no
// better. README §Benchmarks.) Scripts and recorded requests go through the upstream's control API
// (/__scripts, /__requests: test/support/scripted-upstream.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startScriptedUpstream, type RecordedRequest, type Script } from '../../test/support/scripted-upstream';

export interface UpstreamProcess {
  url: string;
  push(script: Script): Promise<void>;
  /** The recorded request whose messages contain `match`. */
  recorded(match: string): Promise<RecordedRequest>;
  close(): Promise<void>;
}

export async function startUpstreamProcess(): Promise<UpstreamProcess> {
  const tsx = createRequire(import.meta.url).resolve('tsx/cli');
  const child: ChildProcess = spawn(process.execPath, [tsx, fileURLToPath(import.meta.url), '--serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
  // The bench may end by an error: the upstream goes with it.
  process.once('exit', () => child.kill());
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const line = out.split('\n').find((l) => l.startsWith('http://'));
      if (line) resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`the upstream process exited (${code})`)));
  });
  return {
    url,
    async push(script) {
      const res = await fetch(`${url.replace(/\/v1$/, '')}/__scripts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(script) });
      if (!res.ok) throw new Error(`scripting the upstream: HTTP ${res.status}`);
    },
    async recorded(match) {
      const res = await fetch(`${url.replace(/\/v1$/, '')}/__requests?match=${encodeURIComponent(match)}`);
      const seen = (await res.json()) as RecordedRequest[];
      if (!seen[0]) throw new Error(`the upstream saw no request for ${match}`);
      return seen[0];
    },
    close() {
      return new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill();
      });
    },
  };
}

if (process.argv.includes('--serve')) {
  const upstream = await startScriptedUpstream();
  process.stdout.write(`${upstream.url}\n`);
}

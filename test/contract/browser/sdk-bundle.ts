// The official `openai` SDK bundled for the browser at test time (esbuild, a dependency of vite and
// wrangler), and a tiny static server that serves it from an origin other than the worker's: what a
// web app calling assistants-edge with `dangerouslyAllowBrowser` looks like.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const TMP = `${REPO_ROOT}test/.tmp`;

/** Builds `window.OpenAI` as one IIFE script; returns its source. */
export async function bundleOpenAiSdk(): Promise<string> {
  mkdirSync(TMP, { recursive: true });
  const outfile = `${TMP}/openai-browser.js`;
  await build({
    stdin: { contents: "import OpenAI from 'openai'; window.OpenAI = OpenAI;", resolveDir: REPO_ROOT, loader: 'js' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    outfile,
    logLevel: 'silent',
  });
  return readFileSync(outfile, 'utf8');
}

export interface PageServer {
  origin: string;
  close(): Promise<void>;
}

/** Serves `/` (an empty page loading the SDK) and `/openai.js` on 127.0.0.1, any free port. */
export async function servePage(sdkSource: string): Promise<PageServer> {
  const html = '<!doctype html><html><head><meta charset="utf-8"><script src="/openai.js"></script></head><body>sdk page</body></html>';
  const server: Server = createServer((req, res) => {
    if (req.url === '/openai.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(sdkSource);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// Shared by the code executor tests: the local service (scripts/code-executor/server.mjs) started in
// this process with real Python.
import { findPython, startCodeExecutor, type CodeExecutorOptions, type CodeExecutorServer } from '../../../scripts/code-executor/server.mjs';

export interface WireResult {
  status: 'ok' | 'error' | 'timeout';
  logs: string;
  images: string[];
  files: { path: string; bytes: number }[];
}

export const PYTHON = findPython();

/**
 * Without Python the service tests are skipped on a developer machine, but CI (which installs
 * python3 with numpy, pandas and matplotlib: .ci/run) must run them.
 */
export function requirePython(): boolean {
  if (PYTHON) return true;
  if (process.env.CI) throw new Error('code executor tests need python3 (with numpy, pandas, matplotlib) in CI');
  return false;
}

export async function startExecutor(options: CodeExecutorOptions = {}): Promise<CodeExecutorServer> {
  return startCodeExecutor({ python: PYTHON ?? undefined, log: () => {}, ...options });
}

export function client(executor: CodeExecutorServer, token?: string) {
  const headers = (extra: Record<string, string> = {}) => ({ ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra });
  return {
    async execute(session: string, code: string, timeoutMs = 20_000): Promise<WireResult> {
      const res = await fetch(`${executor.url}/sessions/${session}/execute`, {
        method: 'POST',
        headers: headers({ 'content-type': 'application/json' }),
        body: JSON.stringify({ code, timeout_ms: timeoutMs }),
      });
      if (res.status !== 200) throw new Error(`execute: ${res.status} ${await res.text()}`);
      return (await res.json()) as WireResult;
    },
    async put(session: string, path: string, body: string | Uint8Array): Promise<Response> {
      return fetch(`${executor.url}/sessions/${session}/files/${path}`, { method: 'PUT', headers: headers(), body });
    },
    async get(session: string, path: string): Promise<Response> {
      return fetch(`${executor.url}/sessions/${session}/files/${path}`, { headers: headers() });
    },
    async remove(session: string): Promise<Response> {
      return fetch(`${executor.url}/sessions/${session}`, { method: 'DELETE', headers: headers() });
    },
  };
}

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

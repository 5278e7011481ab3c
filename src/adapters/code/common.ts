/** Helpers shared by the code executors (local service, Sandbox SDK). */

export const SANDBOX_DATA_DIR = '/mnt/data';

/** readFile of a path that does not exist in the session's /mnt/data. */
export class CodeFileNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodeFileNotFoundError';
  }
}

/**
 * A file path relative to /mnt/data, as the executors take it: `data.csv`, `out/plot.png`, or the
 * same with the `/mnt/data/` prefix. No empty, `.` or `..` segments (never outside /mnt/data).
 */
export function normalizeSandboxPath(path: string): string {
  let rel = path;
  if (rel.startsWith(`${SANDBOX_DATA_DIR}/`)) rel = rel.slice(SANDBOX_DATA_DIR.length + 1);
  const parts = rel.split('/');
  if (rel === '' || parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\0'))) {
    throw new Error(`Invalid sandbox file path ${JSON.stringify(path)}: it must be relative to ${SANDBOX_DATA_DIR}`);
  }
  return rel;
}

export function base64ToBytes(b64: string): Uint8Array {
  const binary = atob(b64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

import { randomBase62 } from './ids';

/** A new secret API key. Only its SHA-256 digest is stored; the value is shown once. */
export function newApiKeyValue(): string {
  return `sk-proj-${randomBase62(48)}`;
}

export async function sha256Hex(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** `sk-proj-ab***wxyz`: enough to recognise a key, never enough to use it (OpenAI's redaction). */
export function redactKey(value: string): string {
  if (value.length <= 12) return `${value.slice(0, 3)}***`;
  return `${value.slice(0, 10)}***${value.slice(-4)}`;
}

/** Constant-time equality of two secrets (compares their digests, so lengths may differ). */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const [da, db] = await Promise.all([sha256Hex(a), sha256Hex(b)]);
  let diff = 0;
  for (let i = 0; i < da.length; i++) diff |= da.charCodeAt(i) ^ db.charCodeAt(i);
  return diff === 0;
}

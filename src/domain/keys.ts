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

const digests = new Map<string, Promise<string>>();

/** The digest of a configured secret, computed once per isolate (it is hashed on every request). */
function configuredDigest(secret: string): Promise<string> {
  let d = digests.get(secret);
  if (!d) digests.set(secret, (d = sha256Hex(secret)));
  return d;
}

/**
 * Constant-time equality of a presented secret and a configured one (compares their digests, so
 * lengths may differ).
 */
export async function secretsEqual(presented: string, configured: string): Promise<boolean> {
  const [da, db] = await Promise.all([sha256Hex(presented), configuredDigest(configured)]);
  let diff = 0;
  for (let i = 0; i < da.length; i++) diff |= da.charCodeAt(i) ^ db.charCodeAt(i);
  return diff === 0;
}

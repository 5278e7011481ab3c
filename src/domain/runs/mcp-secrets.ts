/**
 * The secrets of an `mcp` tool entry (`headers`, `authorization`), sealed with AES-GCM (WebCrypto) under
 * the MCP_SECRETS_KEY setting before an assistant or a run is stored: an assistant is kept and its runs
 * happen later, so the secrets must be kept, but never in clear (docs/mcp-assistants.md "Secrets").
 * The additional data binds a sealed value to its project, server label and URL: a value copied onto
 * another project's or another server's entry does not open.
 */

export interface McpSecrets {
  headers?: Record<string, string> | null;
  authorization?: string;
}

/** A sealed value: `v1.<iv>.<ciphertext>` (base64url). */
const VERSION = 'v1';
const IV_BYTES = 12;

export class McpSecretsError extends Error {
  override readonly name = 'McpSecretsError';
}

const b64url = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const fromB64url = (s: string): Uint8Array<ArrayBuffer> => {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
};

/** The 32-byte key MCP_SECRETS_KEY encodes (standard or url-safe base64), or null when it is not one. */
export function secretsKeyBytes(raw: string): Uint8Array<ArrayBuffer> | null {
  try {
    const bytes = fromB64url(raw.trim());
    return bytes.length === 32 ? bytes : null;
  } catch {
    return null;
  }
}

export async function importSecretsKey(raw: string): Promise<CryptoKey> {
  const bytes = secretsKeyBytes(raw);
  if (!bytes) throw new McpSecretsError('MCP_SECRETS_KEY must be 32 bytes, base64-encoded');
  return crypto.subtle.importKey('raw', bytes, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

/** What a sealed value is bound to (AES-GCM additional data). */
export function secretsBinding(projectId: string, serverLabel: string, serverUrl: string): string {
  return JSON.stringify([projectId, serverLabel, serverUrl]);
}

export async function sealSecrets(key: CryptoKey, secrets: McpSecrets, binding: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const plain = new TextEncoder().encode(JSON.stringify(secrets));
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(binding) }, key, plain);
  return `${VERSION}.${b64url(iv)}.${b64url(new Uint8Array(sealed))}`;
}

/** Opens a sealed value; throws McpSecretsError when it is malformed, the key differs or the binding does not match. */
export async function openSecrets(key: CryptoKey, sealed: string, binding: string): Promise<McpSecrets> {
  const [version, iv, data] = sealed.split('.');
  if (version !== VERSION || !iv || !data) throw new McpSecretsError('The stored MCP secrets are not in a known format.');
  try {
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromB64url(iv), additionalData: new TextEncoder().encode(binding) }, key, fromB64url(data));
    return JSON.parse(new TextDecoder().decode(plain)) as McpSecrets;
  } catch {
    throw new McpSecretsError('The stored MCP secrets could not be opened (was MCP_SECRETS_KEY changed?).');
  }
}

/** The HTTP headers a call sends: the entry's `headers`, and `authorization` as a bearer token. */
export function requestHeaders(secrets: McpSecrets | null): Record<string, string> {
  const headers: Record<string, string> = { ...(secrets?.headers ?? {}) };
  if (secrets?.authorization) headers.Authorization = `Bearer ${secrets.authorization}`;
  return headers;
}

/**
 * The one id generator. OpenAI ids are a prefix plus 24 base62 characters
 * (`thread_VSLQYOG6Wot7l03QzJKIet2d`). Ours have the same shape, but the first 7 characters encode
 * the creation time in milliseconds and the next 3 a per-isolate counter, so ids sort (bytewise,
 * the alphabet is in ASCII order) in creation order. That gives list pagination a total, stable
 * order even for objects created in the same second, and a cursor that still works after the
 * object it names was deleted.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export type IdPrefix =
  | 'asst_' | 'thread_' | 'msg_' | 'run_' | 'step_' | 'call_' | 'vs_' | 'vsfb_' | 'file-'
  | 'upload_' | 'part_' | 'proj_' | 'svc_acct_' | 'key_' | 'req_'
  // Conversations (docs/conversations.md): the conversation (a thread) and its non-message items;
  // responses (docs/responses.md).
  | 'conv_' | 'fc_' | 'fco_' | 'rs_' | 'fs_' | 'ci_' | 'resp_' | 'cmp_'
  // Containers (docs/containers.md) and their files.
  | 'cntr_' | 'cfile_'
  // MCP items (docs/mcp.md), with OpenAI's prefixes: list, call, approval request, approval response.
  | 'mcpl_' | 'mcp_' | 'mcpr_' | 'mcpa_';

let lastMs = 0;
let counter = 0;

function encode(value: number, width: number): string {
  let out = '';
  let v = value;
  for (let i = 0; i < width; i++) {
    out = ALPHABET[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out;
}

export function randomBase62(length: number): string {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  let out = '';
  // 248 = 4 * 62: rejection-free mapping would bias; re-draw the rare bytes above it instead.
  for (let i = 0; i < length; i++) {
    let b = bytes[i]!;
    while (b >= 248) b = crypto.getRandomValues(new Uint8Array(1))[0]!;
    out += ALPHABET[b % 62];
  }
  return out;
}

export function newId(prefix: IdPrefix, now: number = Date.now()): string {
  // Workers freeze the clock between I/O, so many ids share a millisecond: the counter orders them.
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else {
    counter += 1;
    if (counter >= 62 ** 3) {
      lastMs += 1;
      counter = 0;
    }
  }
  return prefix + encode(lastMs, 7) + encode(counter, 3) + randomBase62(14);
}

/**
 * Characters of a response id that name its chain (docs/responses.md "Chains"): a response id is
 * `resp_` + the 24 characters of any id + this chain key, so every response of one
 * `previous_response_id` chain runs in the Durable Object the key names and finds the chain's context
 * in that object's own SQLite (issue 13: one round trip before the model request). OpenAI's own
 * response ids are longer than its other ids too (`resp_` + 48 hex digits); clients treat them as opaque.
 */
const CHAIN_KEY_LENGTH = 20;
const RESPONSE_ID_LENGTH = 'resp_'.length + 24 + CHAIN_KEY_LENGTH;

/** True for an id of the chain format (`resp_` + 44 base62 characters); older ids have 24. */
export function isChainResponseId(id: string): boolean {
  return id.length === RESPONSE_ID_LENGTH && id.startsWith('resp_') && /^[0-9A-Za-z]+$/.test(id.slice(5));
}

/**
 * A new response id: in the chain of `previousId` when that id has the chain format; a conversation's
 * turn in its conversation's chain (one object runs every turn of a conversation and keeps the history
 * it last saw, docs/responses.md "Conversation turns"); else in a new chain.
 */
export function newResponseId(previousId?: string | null, conversationId?: string | null): string {
  const key = previousId && isChainResponseId(previousId) ? previousId.slice(-CHAIN_KEY_LENGTH)
    : conversationId ? conversationChainKey(conversationId) : randomBase62(CHAIN_KEY_LENGTH);
  return newId('resp_') + key;
}

/**
 * A conversation's chain key: 20 base62 characters of three 53-bit string hashes (cyrb53) of its id.
 * Not a secret and not a security boundary: two conversations sharing a key would only share an
 * object, whose every record is keyed by response or conversation id and checked against the project.
 */
export function conversationChainKey(conversationId: string): string {
  return [1, 2, 3].map((seed) => encode(cyrb53(conversationId, seed) % 62 ** 7, 7)).join('').slice(0, CHAIN_KEY_LENGTH);
}

function cyrb53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * The name of the Durable Object that runs a response: its chain's for a chain-format id, the id
 * itself for ids made before chains (each of those objects holds one response).
 */
export function responseObjectName(id: string): string {
  return isChainResponseId(id) ? `chain_${id.slice(-CHAIN_KEY_LENGTH)}` : id;
}

/** The name of the object that runs a conversation's turns (its chain's: `responseObjectName` of any of them). */
export function conversationObjectName(conversationId: string): string {
  return `chain_${conversationChainKey(conversationId)}`;
}

/** Unix seconds, the unit of every `created_at` in the API. */
export function unixSeconds(now: number = Date.now()): number {
  return Math.floor(now / 1000);
}

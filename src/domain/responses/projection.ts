import type { ChatChunk } from '../ports';
import { hostedItemEvents, type HostedFunctionCall } from './hosted-calls';
import { NO_HOSTED, type HostedOptions, type ProjectionIds } from './projection-options';
import { restoreOutput, type OpenItem as Open } from './projection-resume';
import { usageOf } from './response-usage';
import type { FunctionCallItem, HostedCallItem, OutputMessageItem, ResponseObject, ResponseStreamEvent, ResponseUsage } from './types';

/**
 * One model turn projected onto a Response: the model port's chunks (text, tool-call fragments, usage,
 * finish) become output items and OpenAI's semantic stream events, numbered by `sequence_number` in
 * emission order (docs/responses.md "Events"). It only consumes the neutral text / tool call / usage /
 * finish reports, so it can sit on any turn that reports those.
 *
 * Order per item, as OpenAI sends it: output_item.added, (message) content_part.added, output_text.delta*,
 * output_text.done, content_part.done, output_item.done; (function call) function_call_arguments.delta*,
 * function_call_arguments.done, output_item.done. The response: created, in_progress, items, then one of
 * completed / incomplete / failed.
 */
export class ResponseProjection {
  private sequence = 0;
  private open: Open | undefined;
  private usage: ResponseUsage | null = null;
  private finishReason: Extract<ChatChunk, { type: 'finish' }>['reason'] | undefined;
  /** The current model call's hosted calls by their tool-call index. */
  private hosted = new Map<number, HostedFunctionCall>();
  /** The output index of the hosted call being answered, if any (ended `incomplete` by a failure or cancel). */
  private hostedOpen: number | undefined;

  constructor(
    readonly response: ResponseObject,
    private readonly ids: ProjectionIds,
    firstSequence = 0,
    private hostedOptions: HostedOptions = NO_HOSTED,
  ) {
    this.sequence = firstSequence;
  }

  /** The response's hosted tools, once prepared (after `start()`, so `response.created` is not delayed). */
  useHosted(options: HostedOptions): void {
    this.hostedOptions = options;
  }

  /**
   * The hosted calls of the model call just streamed, in call order; taking them starts the next model
   * call (its finish reason and hosted calls are its own). The open item is closed first.
   */
  takeHostedCalls(): { calls: HostedFunctionCall[]; events: ResponseStreamEvent[] } {
    const calls = [...this.hosted.values()];
    this.hosted = new Map();
    if (calls.length > 0) this.finishReason = undefined;
    return { calls, events: calls.length > 0 ? this.close('completed') : [] };
  }

  /** A hosted call starts: its item is added, then its tool's progress events (e.g. `searching`). */
  hostedCallStarted(item: HostedCallItem): { index: number; events: ResponseStreamEvent[] } {
    const events = this.close('completed');
    const index = this.response.output.push(clone(item)) - 1;
    const at = { output_index: index, item_id: item.id };
    const events_ = hostedItemEvents(item);
    events.push(this.event('response.output_item.added', { output_index: index, item: clone(events_.added) }));
    for (const e of events_.before) events.push(this.event(e.type, { ...at, ...e.fields }));
    this.hostedOpen = index;
    return { index, events };
  }

  /** A hosted call ended: the item as answered, its tool's `completed` event and `output_item.done`. */
  hostedCallEnded(index: number, item: HostedCallItem): ResponseStreamEvent[] {
    this.response.output[index] = clone(item);
    this.hostedOpen = undefined;
    const done = hostedItemEvents(item).done(item);
    return [
      ...(done ? [this.event(done, { output_index: index, item_id: item.id })] : []),
      this.event('response.output_item.done', { output_index: index, item: clone(item) }),
    ];
  }

  /**
   * `response.created` then `response.in_progress`, each with a snapshot of the response. Output items
   * decided before the model call (server-side compaction's `compaction` item) follow as added and done.
   */
  start(): ResponseStreamEvent[] {
    this.response.status = 'in_progress';
    const leading = this.response.output.splice(0);
    const events = [this.event('response.created', { response: this.snapshot() }), this.event('response.in_progress', { response: this.snapshot() })];
    for (const item of leading) {
      const index = this.response.output.push(clone(item)) - 1;
      events.push(this.event('response.output_item.added', { output_index: index, item: clone(item) }));
      events.push(this.event('response.output_item.done', { output_index: index, item: clone(item) }));
    }
    return events;
  }

  /** `response.queued` for a background response accepted before it runs. */
  queued(): ResponseStreamEvent[] {
    return [this.event('response.queued', { response: this.snapshot() })];
  }

  push(chunk: ChatChunk): ResponseStreamEvent[] {
    switch (chunk.type) {
      case 'text':
        return chunk.delta === '' ? [] : this.text(chunk.delta);
      case 'tool_call':
        return this.toolCall(chunk);
      case 'usage':
        // A response with hosted calls makes several model calls: its usage is their sum.
        this.usage = usageOf(
          (this.usage?.input_tokens ?? 0) + chunk.promptTokens,
          (this.usage?.output_tokens ?? 0) + chunk.completionTokens,
          {
            cachedTokens: (this.usage?.input_tokens_details.cached_tokens ?? 0) + (chunk.cachedTokens ?? 0),
            reasoningTokens: (this.usage?.output_tokens_details.reasoning_tokens ?? 0) + (chunk.reasoningTokens ?? 0),
          },
        );
        return [];
      case 'finish':
        this.finishReason = chunk.reason;
        return [];
    }
  }

  /** Closes the open item and ends the response: completed, or incomplete when the model was cut off. */
  finish(completedAt: number): ResponseStreamEvent[] {
    const incomplete = this.finishReason === 'length' ? 'max_output_tokens' : this.finishReason === 'content_filter' ? 'content_filter' : undefined;
    const events = this.close(incomplete ? 'incomplete' : 'completed');
    this.response.usage = this.usage ?? usageOf(0, 0);
    if (incomplete) {
      this.response.status = 'incomplete';
      this.response.incomplete_details = { reason: incomplete };
      events.push(this.event('response.incomplete', { response: this.snapshot() }));
    } else {
      this.response.status = 'completed';
      this.response.completed_at = completedAt;
      events.push(this.event('response.completed', { response: this.snapshot() }));
    }
    return events;
  }

  /** The model call failed: the open item ends incomplete and the response `failed` with the error. */
  fail(error: { code: string; message: string }): ResponseStreamEvent[] {
    const events = this.close('incomplete');
    this.response.status = 'failed';
    this.response.error = error;
    if (this.usage) this.response.usage = this.usage;
    events.push(this.event('response.failed', { response: this.snapshot() }));
    return events;
  }

  /** Cancelled (background): the open item ends incomplete; OpenAI sends no further event but the status. */
  cancel(): ResponseStreamEvent[] {
    const events = this.close('incomplete');
    this.response.status = 'cancelled';
    if (this.usage) this.response.usage = this.usage;
    return events;
  }

  /**
   * Picks up a response whose execution was lost (an evicted object) from its stored events: the output
   * they built is restored and the item left open is open again, so `fail()` closes it as OpenAI would.
   */
  resumeFrom(events: readonly ResponseStreamEvent[]): void {
    const restored = restoreOutput(this.response.output, events);
    if (restored.open) this.open = restored.open;
    if (restored.hostedOpen !== undefined) this.hostedOpen = restored.hostedOpen;
  }

  /** The number the next event gets. */
  get nextSequence(): number {
    return this.sequence;
  }

  private text(delta: string): ResponseStreamEvent[] {
    const events: ResponseStreamEvent[] = [];
    if (this.open?.kind !== 'message') {
      events.push(...this.close('completed'));
      const item: OutputMessageItem = { type: 'message', id: this.ids.message(), status: 'in_progress', role: 'assistant', content: [] };
      const index = this.response.output.push(item) - 1;
      this.open = { kind: 'message', index, item };
      events.push(this.event('response.output_item.added', { output_index: index, item: clone(item) }));
      item.content.push({ type: 'output_text', text: '', annotations: [], logprobs: [] });
      events.push(this.event('response.content_part.added', { item_id: item.id, output_index: index, content_index: 0, part: clone(item.content[0]) }));
    }
    const open = this.open as Extract<Open, { kind: 'message' }>;
    open.item.content[0]!.text += delta;
    events.push(this.event('response.output_text.delta', { item_id: open.item.id, output_index: open.index, content_index: 0, delta, logprobs: [] }));
    return events;
  }

  private toolCall(chunk: Extract<ChatChunk, { type: 'tool_call' }>): ResponseStreamEvent[] {
    const hosted = this.hosted.get(chunk.index);
    if (hosted || (chunk.name && this.hostedOptions.functions.has(chunk.name))) {
      const call = hosted ?? { callId: chunk.id ?? `call_${this.response.id}_h${this.hosted.size}`, name: chunk.name!, arguments: '' };
      call.arguments += chunk.argumentsDelta ?? '';
      this.hosted.set(chunk.index, call);
      return [];
    }
    const events: ResponseStreamEvent[] = [];
    if (this.open?.kind !== 'call' || this.open.toolIndex !== chunk.index) {
      events.push(...this.close('completed'));
      const item: FunctionCallItem = {
        type: 'function_call',
        id: this.ids.functionCall(),
        call_id: chunk.id ?? `call_${this.response.id}_${chunk.index}`,
        name: chunk.name ?? '',
        arguments: '',
        status: 'in_progress',
      };
      const index = this.response.output.push(item) - 1;
      this.open = { kind: 'call', index, item, toolIndex: chunk.index };
      events.push(this.event('response.output_item.added', { output_index: index, item: clone(item) }));
    }
    const open = this.open as Extract<Open, { kind: 'call' }>;
    if (chunk.name && !open.item.name) open.item.name = chunk.name;
    if (chunk.argumentsDelta) {
      open.item.arguments += chunk.argumentsDelta;
      events.push(this.event('response.function_call_arguments.delta', { item_id: open.item.id, output_index: open.index, delta: chunk.argumentsDelta }));
    }
    return events;
  }

  private close(status: 'completed' | 'incomplete'): ResponseStreamEvent[] {
    if (this.hostedOpen !== undefined) return this.closeHosted();
    const open = this.open;
    if (!open) return [];
    this.open = undefined;
    const events: ResponseStreamEvent[] = [];
    if (open.kind === 'message') {
      const part = open.item.content[0]!;
      if (status === 'completed') part.annotations = this.hostedOptions.annotate(part.text);
      const at = { item_id: open.item.id, output_index: open.index, content_index: 0 };
      events.push(this.event('response.output_text.done', { ...at, text: part.text, logprobs: [] }));
      events.push(this.event('response.content_part.done', { ...at, part: clone(part) }));
    } else {
      const { item } = open;
      events.push(this.event('response.function_call_arguments.done', { item_id: item.id, output_index: open.index, name: item.name, arguments: item.arguments }));
    }
    open.item.status = status;
    events.push(this.event('response.output_item.done', { output_index: open.index, item: clone(open.item) }));
    return events;
  }

  /** A hosted call cut off (the response failed or was cancelled while it ran) ends `incomplete`. */
  private closeHosted(): ResponseStreamEvent[] {
    const index = this.hostedOpen!;
    this.hostedOpen = undefined;
    const item = this.response.output[index]!;
    item.status = 'incomplete';
    return [this.event('response.output_item.done', { output_index: index, item: clone(item) })];
  }

  private snapshot(): ResponseObject {
    return clone(this.response);
  }

  private event(type: string, fields: Record<string, unknown>): ResponseStreamEvent {
    return { type, sequence_number: this.sequence++, ...fields };
  }
}

const clone = <T>(v: T): T => structuredClone(v);

import { toMessageObject, type MessageRow } from '../db/messages';
import { newId, unixSeconds } from '../domain/ids';
import type { MessageContent } from '../domain/messages';
import type { ChatChunk } from '../domain/ports';
import { endStep, messageCreationStep, toolCallsStep, withToolCalls } from '../domain/runs/steps';
import type { FunctionToolCall, Run, RunStep } from '../domain/runs/types';
import { codeOf, StreamingCodeField } from '../domain/code/python-tool';
import { MAX_MESSAGE_TEXT_BYTES, MAX_TOOL_ARGUMENTS_BYTES, storedLength, storedPrefix } from '../domain/runs/limits';

/** Which bound of src/domain/runs/limits.ts the model's output reached, if any. */
export type TurnOverflow = 'text' | 'arguments';

/** Where a turn's effects go: events to subscribers, steps to DO storage, messages to D1. */
export interface TurnSink {
  emit(event: string, data: unknown): void;
  insertStep(step: RunStep): void;
  saveStep(step: RunStep): void;
  insertMessage(row: MessageRow): Promise<void>;
  saveMessage(row: MessageRow): Promise<void>;
}

export type FinishReason = Extract<ChatChunk, { type: 'finish' }>['reason'];

export type HostedTool = 'file_search' | 'code_interpreter';

export interface TextFinish {
  /** Annotations of the text part, ordered by position (`file_citation`, `file_path`). */
  annotations: unknown[];
  /** Images to show with the message (`image_file` parts after the text). */
  imageFileIds: string[];
}

export interface TurnResult {
  finish: FinishReason | null;
  usage: { prompt_tokens: number; completion_tokens: number };
  /** The turn's tool step, holding every call in call order. */
  toolStep: RunStep | null;
  /** Function calls the model made (the tool step stays in progress for their outputs). */
  calls: FunctionToolCall[];
  /** Calls of hosted tools (file_search) the executor answers itself, in call order. */
  hostedCalls: { id: string; name: string; arguments: string }[];
  message: MessageRow | null;
}

interface OpenMessage {
  row: MessageRow;
  step: RunStep;
  text: string;
  inserted: Promise<void>;
}

/**
 * One model call of a run, turned into OpenAI's run steps, messages and stream events in OpenAI's
 * order (docs/openai-behaviour.md §5.3): message text becomes a `message_creation` step with its message and
 * `thread.message.delta`s; function calls become a `tool_calls` step with `thread.run.step.delta`s
 * carrying dense `index`es and our own unique `call_` ids.
 */
export class ModelTurn {
  private message: OpenMessage | null = null;
  private toolStep: RunStep | null = null;
  private readonly calls: { id: string; name: string; args: string; code?: StreamingCodeField }[] = [];
  private readonly byUpstreamIndex = new Map<number, number>();
  private finish: FinishReason | null = null;
  private usage = { prompt_tokens: 0, completion_tokens: 0 };
  private textBytes = 0;
  private argumentBytes = 0;
  private overflowed: TurnOverflow | null = null;

  constructor(
    private readonly run: Run,
    private readonly projectId: string,
    private readonly sink: TurnSink,
    /** Function names that stand for hosted tools: streamed as their own tool-call type. */
    private readonly hosted: ReadonlyMap<string, HostedTool> = new Map(),
    /** What a finished text gets: annotations (citations, file paths) and images the run's code made. */
    private readonly finishText: (text: string) => TextFinish = () => ({ annotations: [], imageFileIds: [] }),
  ) {}

  get finishReason(): FinishReason | null {
    return this.finish;
  }

  /** Set once the output reached a bound: the executor stops reading the model's stream. */
  get overflow(): TurnOverflow | null {
    return this.overflowed;
  }

  get producedOutput(): boolean {
    return this.message !== null || this.toolStep !== null;
  }

  async accept(chunk: ChatChunk): Promise<void> {
    if (this.overflowed) return;
    switch (chunk.type) {
      case 'text':
        // Text after the model started calling tools is not shown (OpenAI's steps never interleave).
        if (chunk.delta === '' || this.toolStep) return;
        this.appendBoundedText(chunk.delta);
        return;
      case 'tool_call':
        await this.acceptToolCall(chunk);
        return;
      case 'usage':
        this.usage = { prompt_tokens: chunk.promptTokens, completion_tokens: chunk.completionTokens };
        return;
      case 'finish':
        this.finish = chunk.reason;
        return;
    }
  }

  /** Appends text up to MAX_MESSAGE_TEXT_BYTES; the part beyond is dropped and the turn overflows. */
  private appendBoundedText(delta: string): void {
    const bytes = storedLength(delta);
    if (this.textBytes + bytes <= MAX_MESSAGE_TEXT_BYTES) {
      this.textBytes += bytes;
      return this.appendText(delta);
    }
    const fits = storedPrefix(delta, MAX_MESSAGE_TEXT_BYTES - this.textBytes);
    this.overflowed = 'text';
    if (fits !== '') {
      this.textBytes += storedLength(fits);
      this.appendText(fits);
    }
  }

  private appendText(delta: string): void {
    const first = this.message === null;
    const open = this.message ?? this.openMessage();
    open.text += delta;
    const text = first ? { value: delta, annotations: [] } : { value: delta };
    this.sink.emit('thread.message.delta', {
      id: open.row.id,
      object: 'thread.message.delta',
      delta: { content: [{ index: 0, type: 'text', text }] },
    });
  }

  private openMessage(): OpenMessage {
    const now = Date.now();
    const row: MessageRow = {
      id: newId('msg_', now),
      projectId: this.projectId,
      threadId: this.run.thread_id,
      createdAt: unixSeconds(now),
      role: 'assistant',
      content: [],
      status: 'in_progress',
      incompleteDetails: null,
      completedAt: null,
      incompleteAt: null,
      assistantId: this.run.assistant_id,
      runId: this.run.id,
      attachments: [],
      metadata: {},
    };
    const step = messageCreationStep(this.run, row.id, now);
    this.sink.insertStep(step);
    this.sink.emit('thread.run.step.created', step);
    this.sink.emit('thread.run.step.in_progress', step);
    this.sink.emit('thread.message.created', toMessageObject(row));
    this.sink.emit('thread.message.in_progress', toMessageObject(row));
    // The D1 insert runs while text streams; it is awaited before the message is finished.
    const open: OpenMessage = { row, step, text: '', inserted: this.sink.insertMessage(row) };
    this.message = open;
    return open;
  }

  private async acceptToolCall(chunk: Extract<ChatChunk, { type: 'tool_call' }>): Promise<void> {
    if (!this.toolStep) {
      // A message the model wrote before calling tools is finished first: one message at a time.
      if (this.message) await this.completeMessage();
      const step = toolCallsStep(this.run);
      this.sink.insertStep(step);
      this.sink.emit('thread.run.step.created', step);
      this.sink.emit('thread.run.step.in_progress', step);
      this.toolStep = step;
    }
    let index = this.byUpstreamIndex.get(chunk.index);
    if (index === undefined) {
      index = this.calls.length;
      this.byUpstreamIndex.set(chunk.index, index);
      this.calls.push({ id: newId('call_'), name: chunk.name ?? '', args: '' });
      const call = this.calls[index]!;
      const hosted = this.hosted.get(call.name);
      if (hosted === 'code_interpreter') {
        call.code = new StreamingCodeField();
        this.emitToolDelta({ index, id: call.id, type: hosted, code_interpreter: { input: '', outputs: [] } });
      } else if (hosted) this.emitToolDelta({ index, id: call.id, type: hosted, [hosted]: {} });
      else this.emitToolDelta({ index, id: call.id, type: 'function', function: { name: call.name, arguments: '', output: null } });
    } else if (chunk.name) {
      this.calls[index]!.name += chunk.name;
    }
    if (chunk.argumentsDelta) {
      // Cut arguments are useless to a function: past the bound the turn overflows, nothing is added.
      this.argumentBytes += storedLength(chunk.argumentsDelta);
      if (this.argumentBytes > MAX_TOOL_ARGUMENTS_BYTES) {
        this.overflowed = 'arguments';
        return;
      }
      const call = this.calls[index]!;
      call.args += chunk.argumentsDelta;
      if (call.code) {
        // The code streams as `code_interpreter.input` deltas, decoded from the JSON arguments.
        const input = call.code.push(chunk.argumentsDelta);
        if (input) this.emitToolDelta({ index, type: 'code_interpreter', code_interpreter: { input } });
      } else if (!this.hosted.has(call.name)) this.emitToolDelta({ index, type: 'function', function: { arguments: chunk.argumentsDelta } });
    }
  }

  private emitToolDelta(call: Record<string, unknown>): void {
    this.sink.emit('thread.run.step.delta', {
      id: this.toolStep!.id,
      object: 'thread.run.step.delta',
      delta: { step_details: { type: 'tool_calls', tool_calls: [call] } },
    });
  }

  private content(open: OpenMessage, finish: TextFinish = { annotations: [], imageFileIds: [] }): MessageContent[] {
    return [
      { type: 'text', text: { value: open.text, annotations: finish.annotations } },
      ...finish.imageFileIds.map((file_id): MessageContent => ({ type: 'image_file', image_file: { file_id, detail: 'auto' } })),
    ];
  }

  /** Finishes the open message as completed (or incomplete, e.g. `max_tokens`). */
  private async completeMessage(incomplete?: 'max_tokens' | 'run_cancelled' | 'run_failed' | 'run_expired'): Promise<MessageRow> {
    const open = this.message!;
    this.message = null;
    const at = unixSeconds();
    const finish = this.finishText(open.text);
    // Annotations and images stream as deltas too (indexed), so the accumulated message equals the
    // completed one (docs/openai-behaviour.md §5.4 rule 5).
    const parts: unknown[] = [];
    if (finish.annotations.length > 0) {
      parts.push({ index: 0, type: 'text', text: { value: '', annotations: finish.annotations.map((a, index) => ({ index, ...(a as object) })) } });
    }
    finish.imageFileIds.forEach((file_id, i) => parts.push({ index: i + 1, type: 'image_file', image_file: { file_id, detail: 'auto' } }));
    if (parts.length > 0) this.sink.emit('thread.message.delta', { id: open.row.id, object: 'thread.message.delta', delta: { content: parts } });
    const row: MessageRow = {
      ...open.row,
      content: this.content(open, finish),
      status: incomplete ? 'incomplete' : 'completed',
      completedAt: incomplete ? null : at,
      incompleteAt: incomplete ? at : null,
      incompleteDetails: incomplete ? { reason: incomplete } : null,
    };
    await open.inserted;
    await this.sink.saveMessage(row);
    this.sink.emit(incomplete ? 'thread.message.incomplete' : 'thread.message.completed', toMessageObject(row));
    const step = endStep(open.step, { status: 'completed', usage: this.toolStep ? null : this.stepUsage() }, Date.now());
    this.sink.saveStep(step);
    this.sink.emit('thread.run.step.completed', step);
    this.lastMessage = row;
    return row;
  }

  private lastMessage: MessageRow | null = null;

  private stepUsage() {
    return { ...this.usage, total_tokens: this.usage.prompt_tokens + this.usage.completion_tokens };
  }

  /** Ends the turn after the stream finished normally. */
  async end(opts: { truncated: boolean }): Promise<TurnResult> {
    // An empty answer is still a message; its one (empty) delta keeps the streamed content equal
    // to the completed message (docs/openai-behaviour.md §5.4 rule 5).
    if (!this.toolStep && !this.message) this.appendText('');
    if (this.message) await this.completeMessage(opts.truncated ? 'max_tokens' : undefined);
    let toolStep = this.toolStep;
    const functions = this.calls.filter((c) => !this.hosted.has(c.name));
    const calls: FunctionToolCall[] = functions.map((c) => ({
      id: c.id,
      type: 'function',
      function: { name: c.name, arguments: c.args, output: null },
    }));
    const hostedCalls = this.calls.filter((c) => this.hosted.has(c.name)).map((c) => ({ id: c.id, name: c.name, arguments: c.args }));
    if (toolStep) {
      // Step order is call order; hosted calls get their results from the executor.
      const all = this.calls.map((c) => {
        const fn = calls.find((f) => f.id === c.id);
        if (fn) return fn;
        const type = this.hosted.get(c.name)!;
        return type === 'code_interpreter'
          ? { id: c.id, type, code_interpreter: { input: codeOf(c.args), outputs: [] } }
          : { id: c.id, type, [type]: {} };
      });
      toolStep = { ...withToolCalls(toolStep, all as FunctionToolCall[]), usage: this.stepUsage() };
      this.sink.saveStep(toolStep);
    }
    return { finish: this.finish, usage: this.usage, toolStep, calls, hostedCalls, message: this.lastMessage };
  }

  /** Ends whatever is open when the run stops early (cancel, failure, expiry). */
  async abandon(end: { status: 'cancelled' } | { status: 'failed'; message: string } | { status: 'expired' }): Promise<void> {
    const reason = end.status === 'cancelled' ? 'run_cancelled' : end.status === 'failed' ? 'run_failed' : 'run_expired';
    if (this.message) {
      const open = this.message;
      this.message = null;
      const at = unixSeconds();
      const row: MessageRow = { ...open.row, content: this.content(open), status: 'incomplete', incompleteAt: at, incompleteDetails: { reason } };
      await open.inserted.catch(() => undefined);
      await this.sink.saveMessage(row);
      this.sink.emit('thread.message.incomplete', toMessageObject(row));
      this.endOpenStep(open.step, end);
    }
    if (this.toolStep) {
      const calls = this.calls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.args, output: null } }));
      this.endOpenStep(withToolCalls(this.toolStep, calls), end);
      this.toolStep = null;
    }
  }

  private endOpenStep(step: RunStep, end: { status: 'cancelled' } | { status: 'failed'; message: string } | { status: 'expired' }): void {
    const ended =
      end.status === 'failed'
        ? endStep(step, { status: 'failed', error: { code: 'server_error', message: end.message } })
        : endStep(step, { status: end.status });
    this.sink.saveStep(ended);
    this.sink.emit(`thread.run.step.${ended.status}`, ended);
  }
}

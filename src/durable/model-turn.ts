import { toMessageObject, type MessageRow } from '../db/messages';
import { newId, unixSeconds } from '../domain/ids';
import type { MessageContent } from '../domain/messages';
import type { ChatChunk } from '../domain/ports';
import { messageCreationStep, toolCallsStep, withToolCalls } from '../domain/runs/steps';
import type { FunctionToolCall, Run, RunStep, ToolCall } from '../domain/runs/types';
import { ChatTurn, type FinishReason, type TurnListener, type TurnOverflow, type TurnUsage } from '../domain/turn/chat-turn';
import type { ModelCallOutcome } from '../domain/usage/record';
import type { HostedCall, HostedTool, MessageOutputs } from '../tools/hosted-tool';
import { endStepAndPublish, incompleteReasonOf, type EarlyEnd } from './run-events';

export type { FinishReason, TurnOverflow } from '../domain/turn/chat-turn';

/** Where a turn's effects go: events to subscribers, steps to DO storage, messages to D1. */
export interface TurnSink {
  emit(event: string, data: unknown): void;
  insertStep(step: RunStep): void;
  saveStep(step: RunStep): void;
  insertMessage(row: MessageRow): Promise<void>;
  /** With `outcome` (the turn's last message), the model call's usage row is written with it. */
  saveMessage(row: MessageRow, outcome?: ModelCallOutcome): Promise<void>;
}

export interface TurnResult {
  finish: FinishReason | null;
  usage: TurnUsage;
  /** The turn's tool step, holding every call in call order. */
  toolStep: RunStep | null;
  /** Function calls the model made (the tool step stays in progress for their outputs). */
  calls: FunctionToolCall[];
  /** Calls of hosted tools the executor answers itself, in call order. */
  hostedCalls: HostedCall[];
  message: MessageRow | null;
  /** Whether the call's usage row was written with the final message (else the executor writes it). */
  usageRecorded: boolean;
}

interface OpenMessage {
  row: MessageRow;
  step: RunStep;
  text: string;
  inserted: Promise<void>;
}

/** Our side of a tool call: its `call_` id and, for hosted tools that stream them, its argument deltas. */
interface CallView {
  id: string;
  stream?: (fragment: string) => Record<string, unknown> | null;
}

const NO_OUTPUTS: MessageOutputs = { annotations: [], imageFileIds: [] };

/**
 * The Assistants projection of one model call (src/domain/turn/chat-turn.ts reads the stream): OpenAI's
 * run steps, messages and stream events in OpenAI's order (docs/openai-behaviour.md §5.3). Text becomes
 * a `message_creation` step with its message and `thread.message.delta`s; tool calls become a
 * `tool_calls` step with `thread.run.step.delta`s carrying dense `index`es and our own unique `call_`
 * ids, hosted tools shaped by their HostedTool (src/tools/).
 */
export class ModelTurn {
  private readonly listener: TurnListener = {
    text: (delta) => this.appendText(delta),
    toolCallStarted: (index, name) => this.startCall(index, name),
    toolArguments: (index, delta) => this.streamArguments(index, delta),
  };
  private readonly reader = new ChatTurn(this.listener, { dropTextAfterToolCalls: true });
  private message: OpenMessage | null = null;
  private toolStep: RunStep | null = null;
  private readonly views: CallView[] = [];
  private lastMessage: MessageRow | null = null;

  constructor(
    private readonly run: Run,
    private readonly projectId: string,
    private readonly sink: TurnSink,
    /** Hosted tools offered for this call, by function name: streamed as their own tool-call type. */
    private readonly hosted: ReadonlyMap<string, Pick<HostedTool, 'step'>> = new Map(),
    /** What a finished text gets: annotations (citations, file paths) and images the run's code made. */
    private readonly finishText: (text: string) => MessageOutputs = () => NO_OUTPUTS,
  ) {}

  get finishReason(): FinishReason | null {
    return this.reader.finish;
  }

  /** Set once the output reached a bound: the executor stops reading the model's stream. */
  get overflow(): TurnOverflow | null {
    return this.reader.overflow;
  }

  get producedOutput(): boolean {
    return this.message !== null || this.toolStep !== null;
  }

  accept(chunk: ChatChunk): Promise<void> {
    return this.reader.accept(chunk);
  }

  private appendText(delta: string): void {
    const first = this.message === null;
    const open = this.message ?? this.openMessage();
    open.text += delta;
    const text = first ? { value: delta, annotations: [] } : { value: delta };
    this.sink.emit('thread.message.delta', { id: open.row.id, object: 'thread.message.delta', delta: { content: [{ index: 0, type: 'text', text }] } });
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
    this.startStep(step);
    this.sink.emit('thread.message.created', toMessageObject(row));
    this.sink.emit('thread.message.in_progress', toMessageObject(row));
    // The D1 insert runs while text streams; it is awaited before the message is finished.
    const open: OpenMessage = { row, step, text: '', inserted: this.sink.insertMessage(row) };
    this.message = open;
    return open;
  }

  private startStep(step: RunStep): void {
    this.sink.insertStep(step);
    this.sink.emit('thread.run.step.created', step);
    this.sink.emit('thread.run.step.in_progress', step);
  }

  private async startCall(index: number, name: string): Promise<void> {
    if (!this.toolStep) {
      // A message the model wrote before calling tools is finished first: one message at a time.
      if (this.message) await this.completeMessage();
      const step = toolCallsStep(this.run);
      this.startStep(step);
      this.toolStep = step;
    }
    const view: CallView = { id: newId('call_') };
    this.views[index] = view;
    const tool = this.hosted.get(name);
    if (tool) view.stream = tool.step.argumentStream?.();
    this.emitToolDelta(tool ? { index, ...tool.step.start(view.id, name) } : { index, id: view.id, type: 'function', function: { name, arguments: '', output: null } });
  }

  private streamArguments(index: number, delta: string): void {
    const view = this.views[index]!;
    if (view.stream) {
      const shaped = view.stream(delta);
      if (shaped) this.emitToolDelta({ index, ...shaped });
    } else if (!this.hosted.has(this.reader.calls[index]!.name)) {
      this.emitToolDelta({ index, type: 'function', function: { arguments: delta } });
    }
  }

  private emitToolDelta(call: Record<string, unknown>): void {
    this.sink.emit('thread.run.step.delta', {
      id: this.toolStep!.id,
      object: 'thread.run.step.delta',
      delta: { step_details: { type: 'tool_calls', tool_calls: [call] } },
    });
  }

  private content(open: OpenMessage, finish: MessageOutputs = NO_OUTPUTS): MessageContent[] {
    return [
      { type: 'text', text: { value: open.text, annotations: finish.annotations } } as MessageContent,
      ...finish.imageFileIds.map((file_id): MessageContent => ({ type: 'image_file', image_file: { file_id, detail: 'auto' } })),
    ];
  }

  /** Finishes the open message as completed (or incomplete: `max_tokens`). */
  private async completeMessage(incomplete?: 'max_tokens', outcome?: ModelCallOutcome): Promise<void> {
    const open = this.message!;
    this.message = null;
    const at = unixSeconds();
    const finish = this.finishText(open.text);
    // Annotations and images stream as deltas too (indexed), so the accumulated message equals the
    // completed one (docs/openai-behaviour.md §5.4 rule 5).
    const parts: unknown[] = [];
    if (finish.annotations.length > 0) {
      parts.push({ index: 0, type: 'text', text: { value: '', annotations: finish.annotations.map((a, index) => ({ index, ...a })) } });
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
    await this.sink.saveMessage(row, outcome);
    this.sink.emit(incomplete ? 'thread.message.incomplete' : 'thread.message.completed', toMessageObject(row));
    endStepAndPublish(this.sink, open.step, { status: 'completed', usage: this.toolStep ? null : this.stepUsage() }, { now: Date.now() });
    this.lastMessage = row;
  }

  private stepUsage() {
    // The run step's usage object has no slot for cached tokens (OpenAPI RunStepCompletionUsage).
    const { prompt_tokens, completion_tokens } = this.reader.usage;
    return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
  }

  /** Ends the turn after the stream finished normally. */
  async end(opts: { truncated: boolean }): Promise<TurnResult> {
    // An empty answer is still a message; its one (empty) delta keeps the streamed content equal
    // to the completed message (docs/openai-behaviour.md §5.4 rule 5).
    if (!this.toolStep && !this.message) this.appendText('');
    const read = this.reader.calls.map((c, i) => ({ id: this.views[i]!.id, name: c.name, arguments: c.arguments }));
    const calls: FunctionToolCall[] = read
      .filter((c) => !this.hosted.has(c.name))
      .map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments, output: null } }));
    const hostedCalls = read.filter((c) => this.hosted.has(c.name));
    // The stream is over, so the call's usage is known: it is saved with the final message.
    const usageRecorded = this.message !== null;
    if (this.message) await this.completeMessage(opts.truncated ? 'max_tokens' : undefined, { usage: this.reader.usage, calls, hostedCalls });
    let toolStep = this.toolStep;
    if (toolStep) {
      // Step order is call order; hosted calls get their results from the executor.
      const all = read.map((c): ToolCall => calls.find((f) => f.id === c.id) ?? this.hosted.get(c.name)!.step.pending(c.id, c.arguments, c.name));
      toolStep = { ...withToolCalls(toolStep, all), usage: this.stepUsage() };
      this.sink.saveStep(toolStep);
    }
    return { finish: this.reader.finish, usage: this.reader.usage, toolStep, calls, hostedCalls, message: this.lastMessage, usageRecorded };
  }

  /** Ends whatever is open when the run stops early (cancel, failure, expiry). */
  async abandon(end: EarlyEnd): Promise<void> {
    if (this.message) {
      const open = this.message;
      this.message = null;
      const row: MessageRow = { ...open.row, content: this.content(open), status: 'incomplete', incompleteAt: unixSeconds(), incompleteDetails: { reason: incompleteReasonOf(end) } };
      await open.inserted.catch(() => undefined);
      await this.sink.saveMessage(row);
      this.sink.emit('thread.message.incomplete', toMessageObject(row));
      endStepAndPublish(this.sink, open.step, end);
    }
    if (this.toolStep) {
      const calls = this.reader.calls.map((c, i): FunctionToolCall => ({ id: this.views[i]!.id, type: 'function', function: { name: c.name, arguments: c.arguments, output: null } }));
      endStepAndPublish(this.sink, withToolCalls(this.toolStep, calls), end);
      this.toolStep = null;
    }
  }
}

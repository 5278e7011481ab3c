import type { ChatChunk } from '../ports';
import { MAX_MESSAGE_TEXT_BYTES, MAX_TOOL_ARGUMENTS_BYTES, storedLength, storedPrefix } from '../runs/limits';

/**
 * One model call's output, read from the model port's ChatChunk stream and reported to a listener
 * in order, with the byte bounds of src/domain/runs/limits.ts applied. It knows nothing of the API
 * that shows the output: each API projects the reports into its own objects and stream events
 * (the Assistants API's projection is src/durable/model-turn.ts).
 */

/** Which bound the model's output reached, if any. */
export type TurnOverflow = 'text' | 'arguments';

export type FinishReason = Extract<ChatChunk, { type: 'finish' }>['reason'];

export interface TurnUsage {
  prompt_tokens: number;
  completion_tokens: number;
  /** Prompt tokens the provider served from its cache, when it says (the usage API's `input_cached_tokens`). */
  cached_tokens?: number;
}

/** What the reader reports. Async handlers are awaited before the next report. */
export interface TurnListener {
  /** Visible text (never empty), cut at MAX_MESSAGE_TEXT_BYTES. */
  text(delta: string): void | Promise<void>;
  /** A new tool call: `index` is dense (0, 1, …) in call order, whatever indexes the upstream used. */
  toolCallStarted(index: number, name: string): void | Promise<void>;
  /** A fragment of a call's arguments (never past MAX_TOOL_ARGUMENTS_BYTES for the turn). */
  toolArguments(index: number, delta: string): void | Promise<void>;
}

/** A tool call as read so far: its name (may arrive in pieces) and its arguments. */
export interface ReadToolCall {
  name: string;
  arguments: string;
}

export interface ChatTurnOptions {
  /**
   * Drop text the model writes after it started calling tools, for an API whose output never puts
   * text after tool calls in one turn; dropped text counts toward no bound either.
   */
  dropTextAfterToolCalls?: boolean;
}

export class ChatTurn {
  private readonly toolCalls: ReadToolCall[] = [];
  private readonly byUpstreamIndex = new Map<number, number>();
  private finishReason: FinishReason | null = null;
  private usageSoFar: TurnUsage = { prompt_tokens: 0, completion_tokens: 0 };
  private textBytes = 0;
  private argumentBytes = 0;
  private overflowed: TurnOverflow | null = null;

  constructor(
    private readonly listener: TurnListener,
    private readonly options: ChatTurnOptions = {},
  ) {}

  /** The finish reason the model gave, if it gave one. */
  get finish(): FinishReason | null {
    return this.finishReason;
  }

  /** Token counts the model reported (zero until it reports them). */
  get usage(): TurnUsage {
    return this.usageSoFar;
  }

  /** Set once the output reached a bound: the caller stops reading the model's stream. */
  get overflow(): TurnOverflow | null {
    return this.overflowed;
  }

  /** The tool calls in call order. */
  get calls(): readonly ReadToolCall[] {
    return this.toolCalls;
  }

  async accept(chunk: ChatChunk): Promise<void> {
    if (this.overflowed) return;
    switch (chunk.type) {
      case 'text':
        if (chunk.delta === '' || (this.options.dropTextAfterToolCalls && this.toolCalls.length > 0)) return;
        await this.boundedText(chunk.delta);
        return;
      case 'tool_call':
        await this.toolCall(chunk);
        return;
      case 'usage':
        this.usageSoFar = { prompt_tokens: chunk.promptTokens, completion_tokens: chunk.completionTokens, ...(chunk.cachedTokens ? { cached_tokens: chunk.cachedTokens } : {}) };
        return;
      case 'finish':
        this.finishReason = chunk.reason;
        return;
    }
  }

  /** Text up to MAX_MESSAGE_TEXT_BYTES; the part beyond is dropped and the turn overflows. */
  private async boundedText(delta: string): Promise<void> {
    const bytes = storedLength(delta);
    if (this.textBytes + bytes <= MAX_MESSAGE_TEXT_BYTES) {
      this.textBytes += bytes;
      return this.listener.text(delta);
    }
    const fits = storedPrefix(delta, MAX_MESSAGE_TEXT_BYTES - this.textBytes);
    this.overflowed = 'text';
    if (fits !== '') {
      this.textBytes += storedLength(fits);
      await this.listener.text(fits);
    }
  }

  private async toolCall(chunk: Extract<ChatChunk, { type: 'tool_call' }>): Promise<void> {
    let index = this.byUpstreamIndex.get(chunk.index);
    if (index === undefined) {
      index = this.toolCalls.length;
      this.byUpstreamIndex.set(chunk.index, index);
      this.toolCalls.push({ name: chunk.name ?? '', arguments: '' });
      await this.listener.toolCallStarted(index, this.toolCalls[index]!.name);
    } else if (chunk.name) {
      this.toolCalls[index]!.name += chunk.name;
    }
    if (chunk.argumentsDelta) {
      // Cut arguments are useless to a function: past the bound the turn overflows, nothing is added.
      this.argumentBytes += storedLength(chunk.argumentsDelta);
      if (this.argumentBytes > MAX_TOOL_ARGUMENTS_BYTES) {
        this.overflowed = 'arguments';
        return;
      }
      this.toolCalls[index]!.arguments += chunk.argumentsDelta;
      await this.listener.toolArguments(index, chunk.argumentsDelta);
    }
  }
}

import type { MessageRow } from '../../../src/db/messages';
import type { ChatChunk, ChatModel, ChatRequest, ModelRouter } from '../../../src/domain/ports';
import { newRun } from '../../../src/domain/runs/create';
import { ZERO_USAGE } from '../../../src/domain/runs/steps';
import type { Run, RunStatus, RunStep } from '../../../src/domain/runs/types';
import { RunExecutor, type ExecutorHost } from '../../../src/durable/executor';
import type { RunData } from '../../../src/durable/run-data';
import type { RunRecords, StoredRun } from '../../../src/durable/run-store';
import type { RunInternal } from '../../../src/durable/schema';
import type { HostedCallRecord, HostedTool } from '../../../src/tools/hosted-tool';
import type { McpHost } from '../../../src/tools/mcp/host';

/**
 * The executor on in-memory ports (no workerd, no D1): runs, steps and hosted calls in maps, the
 * thread's messages in a map, and a scripted model port whose every call yields the next scripted
 * sequence of ChatChunks (or throws, or waits until the call is aborted).
 */

export type ModelScript = ChatChunk[] | { error: Error } | { chunks: ChatChunk[]; thenWaitForAbort: true };

class MemoryRecords implements RunRecords {
  readonly runs = new Map<string, StoredRun>();
  readonly steps = new Map<string, RunStep>();
  readonly hosted: HostedCallRecord[] = [];

  get(id: string) {
    const s = this.runs.get(id);
    return s && structuredClone(s);
  }
  save(run: Run, from: RunStatus, internal?: RunInternal) {
    const s = this.runs.get(run.id);
    if (!s || s.run.status !== from) return false;
    this.runs.set(run.id, { run: structuredClone(run), internal: structuredClone(internal ?? s.internal) });
    return true;
  }
  saveInternal(id: string, internal: RunInternal) {
    const s = this.runs.get(id)!;
    this.runs.set(id, { ...s, internal: structuredClone(internal) });
  }
  insertStep(step: RunStep) {
    this.steps.set(step.id, structuredClone(step));
  }
  saveStep(step: RunStep) {
    if (this.steps.has(step.id)) this.steps.set(step.id, structuredClone(step));
  }
  removeStep(id: string) {
    this.steps.delete(id);
  }
  stepsOf(runId: string) {
    return [...this.steps.values()].filter((s) => s.run_id === runId).sort((a, b) => (a.id < b.id ? -1 : 1));
  }
  insertHostedCall(call: HostedCallRecord) {
    if (!this.hosted.some((h) => h.callId === call.callId)) this.hosted.push(structuredClone(call));
  }
  hostedCallsOf(runId: string) {
    return this.hosted.filter((h) => h.runId === runId).sort((a, b) => (a.callId < b.callId ? -1 : 1));
  }
}

class MemoryData implements RunData {
  readonly messages = new Map<string, MessageRow>();
  readonly usage: unknown[] = [];
  /** How often the executor read the thread's messages (recentMessages). */
  historyReads = 0;
  async insertMessage(row: MessageRow) {
    this.messages.set(row.id, structuredClone(row));
  }
  async saveMessage(row: MessageRow) {
    this.messages.set(row.id, structuredClone(row));
  }
  async deleteMessage(id: string) {
    this.messages.delete(id);
  }
  async endUnfinishedMessage(id: string, reason: 'run_failed' | 'run_cancelled' | 'run_expired', at: number) {
    const m = this.messages.get(id);
    if (m?.status === 'in_progress') this.messages.set(id, { ...m, status: 'incomplete', incompleteAt: at, incompleteDetails: { reason } });
  }
  async recentMessages(projectId: string, threadId: string) {
    this.historyReads++;
    return [...this.messages.values()].filter((m) => m.projectId === projectId && m.threadId === threadId).sort((a, b) => (a.id < b.id ? -1 : 1));
  }
  async imageUrls() {
    return new Map<string, string>();
  }
  async recordModelCall(_projectId: string, _run: Run, outcome: unknown) {
    this.usage.push(outcome);
  }
  /** Final messages saved with their call's usage in one write (D1: one batch). */
  savedWithUsage = 0;
  async saveMessageAndRecordCall(row: MessageRow, projectId: string, run: Run, outcome: unknown) {
    this.savedWithUsage++;
    await this.saveMessage(row);
    await this.recordModelCall(projectId, run, outcome);
  }
}

/** Waits until the model call's signal aborts, then throws its reason (as the adapters do). */
function untilAborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

export function harness(opts: { tools?: HostedTool[]; run?: Partial<Run>; mcp?: McpHost; internal?: Partial<RunInternal> } = {}) {
  const records = new MemoryRecords();
  const data = new MemoryData();
  const events: { event: string; data: any }[] = [];
  const listeners: ((event: string) => void)[] = [];
  const requests: ChatRequest[] = [];
  const requeues: { attempt: number; delayMs: number }[] = [];
  const scripts: ModelScript[] = [];
  /** Resolves once the model call in progress has yielded its scripted chunks and waits for an abort. */
  let waiting: (() => void) | null = null;
  const waitingNow = new Promise<void>((resolve) => (waiting = resolve));

  const model: ChatModel = {
    async *stream(request, signal) {
      requests.push(structuredClone(request));
      const script = scripts.shift();
      if (!script) throw new Error('the model was called more often than scripted');
      if ('error' in script) throw script.error;
      const chunks = Array.isArray(script) ? script : script.chunks;
      for (const chunk of chunks) yield chunk;
      if (!Array.isArray(script)) {
        waiting?.();
        await untilAborted(signal);
      }
    },
  };
  const router: ModelRouter = { resolve: (name) => (name === 'test-model' ? model : undefined), list: async () => [] };
  const unavailable = () => {
    throw new Error('no binding in unit tests');
  };
  const host: ExecutorHost = {
    store: records,
    hub: {
      publish: (_runId, event, payload) => {
        events.push({ event, data: structuredClone(payload) });
        for (const l of listeners) l(event);
      },
    },
    db: unavailable,
    models: () => router,
    requeue: async (_run, attempt, delayMs) => void requeues.push({ attempt, delayMs }),
    armWatchdog: async () => undefined,
    onRunChanged: () => undefined,
    defaultPromptBudget: 120_000,
    retrieval: unavailable,
    files: {} as R2Bucket,
    code: () => null,
    sql: {} as SqlStorage,
    callTimeoutMs: () => 60_000,
    mcp: opts.mcp ?? { client: unavailable, secretsFor: async () => null, lists: { get: () => null, put: () => undefined } },
  };
  const executor = new RunExecutor(host, data, opts.tools ?? []);

  const assistant = { id: 'asst_test', model: 'test-model', instructions: 'Be brief.', tools: [], temperature: null, top_p: null, response_format: null, reasoning_effort: null, tool_resources: null };
  const run: Run = { ...newRun('thread_test', assistant as never, {} as never), ...opts.run };
  const internal: RunInternal = { projectId: 'proj_test', attempt: 0, retryAt: null, resumes: 0, usage: ZERO_USAGE, include: [], ...opts.internal };
  records.runs.set(run.id, { run, internal });
  const user: MessageRow = {
    id: 'msg_000user', projectId: 'proj_test', threadId: 'thread_test', createdAt: run.created_at, role: 'user',
    content: [{ type: 'text', text: { value: 'Hello?', annotations: [] } }], status: 'completed', incompleteDetails: null,
    completedAt: run.created_at, incompleteAt: null, assistantId: null, runId: null, attachments: [], metadata: {},
  };
  void data.insertMessage(user);
  /** A user message as the thread object's read returns it (MessageRow), for handing history over. */
  const userMessage = (id: string, text: string): MessageRow => ({ ...user, id, content: [{ type: 'text', text: { value: text, annotations: [] } }] });

  return {
    executor,
    records,
    data,
    events,
    requests,
    requeues,
    runId: run.id,
    userMessage,
    /** Scripts the next model calls, in order. */
    script: (...s: ModelScript[]) => void scripts.push(...s),
    stored: () => records.get(run.id)!,
    names: () => events.map((e) => e.event),
    /** Resolves when `event` is published. */
    published: (event: string) => new Promise<void>((resolve) => listeners.push((e) => e === event && resolve())),
    /** Resolves once a `thenWaitForAbort` script has yielded its chunks. */
    modelWaiting: () => waitingNow,
    assistantMessages: () => [...data.messages.values()].filter((m) => m.role === 'assistant'),
  };
}

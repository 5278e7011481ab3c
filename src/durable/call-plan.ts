import type { MessageRow } from '../db/messages';
import { assembleContext } from '../domain/context';
import type { ChatModel, ChatRequest, ModelRouter } from '../domain/ports';
import { chatRequestFor } from '../domain/runs/chat-request';
import { ZERO_USAGE } from '../domain/runs/steps';
import type { Run } from '../domain/runs/types';
import { logEvent } from '../observability/log';
import type { HostedTool, ToolPorts } from '../tools/hosted-tool';
import { offerTools, type OfferedTools } from './hosted-calls';
import { ModelPrefetch } from './model-prefetch';
import { loadRunContext } from './run-context';
import type { RunData } from './run-data';
import type { RunRecords, StoredRun } from './run-store';

/** A model call about to be made. */
export interface CallPlan {
  model: ChatModel;
  request: ChatRequest;
  maxTokens?: number;
  offered: OfferedTools;
}

/** Why a run has no next model call (the executor ends the run accordingly). */
export type NoCall = { stop: 'no_model' | 'prompt' | 'budget' };

export interface CallPlannerDeps {
  store: RunRecords;
  data: RunData;
  tools: readonly HostedTool[];
  ports: ToolPorts;
  models: () => ModelRouter;
  defaultPromptBudget: number;
}

/**
 * Builds a run's model requests (src/durable/executor.ts makes the calls). One code path for the
 * run's own calls and for a new run's first request sent ahead from a guess (model-prefetch.ts), so
 * the two requests are equal whenever their inputs are: that equality is what lets the run adopt it.
 */
export class CallPlanner {
  constructor(private readonly deps: CallPlannerDeps) {}

  /**
   * What the run's next model call sends: its provider and request, built from the run, its context
   * and its hosted tools' offers; or why there is no call. Offer errors (an MCP server that cannot be
   * listed) are thrown, as the tools throw them.
   */
  async plan(stored: StoredRun, signal: AbortSignal, history?: MessageRow[]): Promise<CallPlan | NoCall> {
    const { run, internal } = stored;
    const { store, data, tools, ports } = this.deps;
    const model = this.deps.models().resolve(run.model);
    if (!model) return { stop: 'no_model' };
    const context = assembleContext({
      run,
      ...(await loadRunContext({ store, data }, stored, history)),
      defaultPromptBudget: this.deps.defaultPromptBudget,
    });
    if (!context.ok) return { stop: 'prompt' };
    let maxTokens: number | undefined;
    if (run.max_completion_tokens !== null) {
      maxTokens = run.max_completion_tokens - internal.usage.completion_tokens;
      if (maxTokens <= 0) return { stop: 'budget' };
    }
    const offered = await offerTools(tools, run, internal.projectId, ports, signal);
    return { model, maxTokens, offered, request: chatRequestFor(run, context.messages, maxTokens, offered.request) };
  }

  /**
   * Sends a new run's first model request now, built from a guess of its inputs (RunStartCache),
   * while the thread object reads the real ones: the run's first call adopts it only if it builds the
   * same request (src/durable/model-prefetch.ts). `run` is the run as the guess would create it. Not
   * for tools whose offer does I/O (file_search waits for indexing, mcp lists its servers): null.
   */
  async prefetchFirstCall(run: Run, projectId: string, history: MessageRow[]): Promise<ModelPrefetch | null> {
    if (!run.tools.every((t) => t.type === 'function' || t.type === 'code_interpreter')) return null;
    const guessed: StoredRun = { run, internal: { projectId, attempt: 0, retryAt: null, resumes: 0, usage: ZERO_USAGE, include: [], mcpSealed: {} } };
    try {
      const plan = await this.plan(guessed, new AbortController().signal, history);
      if ('stop' in plan) return null;
      const discarded = () => logEvent('run.prefetch_discarded', { thread_id: run.thread_id, project_id: projectId, model: run.model });
      return new ModelPrefetch(plan.model, plan.request, discarded);
    } catch (err) {
      console.error(`prefetching the first model call of a run on ${run.thread_id}`, err);
      return null;
    }
  }
}

import { DurableObject } from 'cloudflare:workers';
import { nextTurn } from '../../adapters/event-loop';
import { services } from '../../services';
import { deleteResponse, insertResponse, saveResponse } from '../../db/responses';
import { unixSeconds } from '../../domain/ids';
import { ChatModelError } from '../../domain/ports';
import { ResponseProjection } from '../../domain/responses/projection';
import { newItemIds } from '../../domain/responses/projection-options';
import { choiceAfterHostedCalls } from '../../domain/responses/request';
import { ToolCallBudget, withoutFunctions } from '../../domain/responses/tool-call-budget';
import type { ResponseObject, ResponseStreamEvent } from '../../domain/responses/types';
import type { Env } from '../../env';
import { callLimit } from '../call-limit';
import { fail, ok, type Result } from '../result';
import { ConversationSync } from './conversation-sync';
import { errorOf, notFound } from './errors';
import { answerHosted } from './hosted-answers';
import { ResponseHostedTools, hostedTurnMessages, type McpStart } from './hosted-tools';
import { MAX_HOSTED_TURNS, MAX_RESPONSE_RESTARTS, RESPONSE_WATCHDOG_MS } from './limits';
import { runMcpPreamble } from './mcp-steps';
import { ResponseStreamHub } from './hub';
import type { StartResponse, Started } from './start';
import { ResponseStorage, type ResponseState } from './storage';
import { recordUsage } from './usage';

const ACTIVE: readonly string[] = ['queued', 'in_progress'];

/**
 * One Durable Object per response (named by its id) runs it: the model turn, its stream events (kept in
 * this object's SQLite for replay), cancellation, and an alarm as watchdog, so a response outlives the
 * request that created it and none is left `queued`/`in_progress` after an eviction (docs/responses.md
 * "Execution"). The D1 row (`store: true`) is written when the response is accepted and when it ends.
 */
export class ResponseRunner extends DurableObject<Env> {
  private readonly storage: ResponseStorage;
  private readonly hub = new ResponseStreamHub();
  private readonly conversation: ConversationSync;
  private running: { abort: AbortController; done: Promise<ResponseObject> } | undefined;
  /** The request's MCP headers and approvals: in memory only, never in storage (docs/mcp.md "Secrets"). */
  private mcp: McpStart | undefined;
  /** The D1 insert of this response's rows (start), settled; D1 updates and deletes wait for it. */
  private inserted: Promise<void> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.storage = new ResponseStorage(ctx.storage.sql);
    this.conversation = new ConversationSync(ctx.storage, env);
  }

  private get db() {
    return services(this.env).db;
  }

  async start(input: StartResponse): Promise<Result<Started>> {
    if (this.storage.exists()) return fail(409, `Response '${input.response.id}' already exists.`);
    const { response } = input;
    this.mcp = input.mcp;
    this.storage.create({ projectId: input.projectId, apiKeyId: input.apiKeyId, response, request: input.request, include: input.include ?? [], resumes: 0 });
    if (input.conversationItems) await this.conversation.remember(input.conversationItems);
    await this.ctx.storage.setAlarm(Date.now() + RESPONSE_WATCHDOG_MS);
    // Subscribed before the first event, so a streaming client sees `response.created`.
    const stream = input.mode === 'stream' ? this.hub.subscribe() : undefined;
    // The D1 rows are written while the model request leaves (issue 13: the object call is the one
    // storage round trip before the model call; docs/responses.md "Execution"). Nothing of the response
    // reaches the client before they are written (awaited below, before the stream or the background
    // response is returned), and finish() and remove() wait for them, so D1 never misses an update.
    // The insert is sent one event-loop turn after the model request: locally D1's SQLite runs on this
    // thread and would otherwise hold the request back (src/adapters/event-loop.ts).
    const inserted = response.store ? nextTurn().then(() => insertResponse(this.db, input.projectId, response, input.items)) : Promise.resolve();
    this.inserted = inserted.catch(() => undefined);
    const done = this.execute(input.projectId);
    try {
      await inserted;
    } catch (err) {
      // As when the rows were written first: the request fails and leaves nothing behind (the model
      // request already sent is aborted).
      this.running?.abort.abort();
      await done.catch(() => undefined);
      this.hub.end();
      await this.ctx.storage.deleteAlarm();
      await this.ctx.storage.deleteAll();
      throw err;
    }
    if (input.mode === 'background') return ok({ response });
    if (stream) return ok({ response, stream });
    return ok({ response: await done });
  }

  /** The stored events after `startingAfter`, then the live ones until the response ends. */
  async replay(projectId: string, id: string, startingAfter: number): Promise<Result<{ stream: ReadableStream<Uint8Array> }>> {
    const state = this.owned(projectId);
    if (!state) return notFound(id);
    const ended = !ACTIVE.includes(state.response.status) && !this.running;
    return ok({ stream: this.hub.subscribe(this.storage.eventsAfter(startingAfter), ended) });
  }

  /** OpenAI: only background responses can be cancelled; a finished one is returned as it is. */
  async cancel(projectId: string, id: string): Promise<Result<ResponseObject>> {
    const state = this.owned(projectId);
    if (!state) return notFound(id);
    if (!state.response.background) return fail(400, 'Cannot cancel a synchronous response.');
    if (!ACTIVE.includes(state.response.status)) return ok(state.response);
    if (this.running) {
      this.running.abort.abort();
      return ok(await this.running.done);
    }
    const response: ResponseObject = { ...state.response, status: 'cancelled' };
    await this.finish(state.projectId, response);
    return ok(response);
  }

  /** Deletes the response: its D1 rows and this object's storage (a running response is aborted first). */
  async remove(projectId: string, id: string): Promise<Result<{ deleted: boolean }>> {
    const state = this.owned(projectId);
    if (state) this.running?.abort.abort();
    await this.inserted;
    const deleted = await deleteResponse(this.db, projectId, id);
    if (state) {
      if (ACTIVE.includes(state.response.status)) await this.conversation.release(projectId, state.response);
      this.hub.end();
      await this.ctx.storage.deleteAlarm();
      await this.ctx.storage.deleteAll();
    }
    return deleted || state ? ok({ deleted: true }) : notFound(id);
  }

  /**
   * The watchdog: a response still active with no execution in this instance (the object was evicted or
   * redeployed) is started again if it had not begun (no event yet), and otherwise fails: its partial
   * output is gone with the instance, and OpenAI never leaves a response in progress.
   */
  override async alarm(): Promise<void> {
    const state = this.storage.state();
    if (!state) return;
    if (!ACTIVE.includes(state.response.status)) return this.finish(state.projectId, state.response);
    if (!this.running) {
      if (this.storage.nextSequence() === 0 && state.resumes < MAX_RESPONSE_RESTARTS) {
        this.storage.saveResumes(state.response.id, state.resumes + 1);
        void this.execute(state.projectId);
      } else {
        const projection = new ResponseProjection(state.response, newItemIds(), this.storage.nextSequence());
        projection.resumeFrom(this.storage.eventsAfter(-1));
        const events = projection.fail({ code: 'server_error', message: 'The response was interrupted and could not be completed.' });
        this.emit(events, state.response.store);
        await this.finish(state.projectId, projection.response);
        return;
      }
    }
    await this.ctx.storage.setAlarm(Date.now() + RESPONSE_WATCHDOG_MS);
  }

  private owned(projectId: string): ResponseState | undefined {
    const state = this.storage.state();
    return state && state.projectId === projectId ? state : undefined;
  }

  private execute(projectId: string): Promise<ResponseObject> {
    const abort = new AbortController();
    const done = this.runTurn(projectId, abort.signal).finally(() => {
      this.running = undefined;
    });
    this.running = { abort, done };
    return done;
  }

  private async runTurn(projectId: string, signal: AbortSignal): Promise<ResponseObject> {
    const state = this.storage.state()!;
    const store = state.response.store;
    const projection = new ResponseProjection(state.response, newItemIds(), this.storage.nextSequence());
    this.emit(projection.start(), store);
    this.storage.saveResponse(projection.response);
    // The call's overall limit (MODEL_CALL_TIMEOUT_SECONDS, as runs): an upstream trickling keep-alives
    // forever would otherwise hold the response in progress with its execution alive.
    const { config, models } = services(this.env);
    let limit = callLimit(signal, config.modelCallTimeoutSeconds * 1000);
    let ending: ResponseStreamEvent[] = [];
    try {
      const model = models.resolve(state.request.model);
      if (!model) throw new ChatModelError('invalid_prompt', `The model '${state.request.model}' does not exist or you do not have access to it.`, false);
      const hosted = await ResponseHostedTools.prepare(this.env, projectId, state.response, state.include ?? [], limit.signal, this.mcp);
      const approved = await runMcpPreamble(hosted, projection, this.mcp?.approvals ?? [], (events) => this.emit(events, store), limit.signal);
      let request = hosted.withMcpFunctions(state.request);
      if (approved.length > 0) request = { ...request, messages: [...request.messages, ...approved] };
      projection.useHosted(hosted.options);
      const budget = new ToolCallBudget(state.response.max_tool_calls);
      // The model is called again after each turn of hosted calls with their outputs, as runs do
      // (docs/responses.md "Hosted tools"), at most MAX_HOSTED_TURNS times.
      for (let turn = 0; ; turn++) {
        // Each model call has its own limit; hosted calls between them have theirs (e.g. a code execution's).
        if (turn > 0) {
          limit.dispose();
          limit = callLimit(signal, config.modelCallTimeoutSeconds * 1000);
        }
        const shown = projection.response.output.length;
        for await (const chunk of model.stream(request, limit.signal)) {
          if (limit.signal.aborted) break;
          this.emit(projection.push(chunk), store);
        }
        if (limit.signal.aborted) throw limit.signal.reason;
        const { calls, events } = projection.takeHostedCalls();
        this.emit(events, store);
        if (calls.length === 0) break;
        if (turn >= MAX_HOSTED_TURNS) throw new ChatModelError('server_error', `The model kept calling hosted tools after ${MAX_HOSTED_TURNS} turns.`, false);
        limit.dispose();
        // Past max_tool_calls the model's further calls are ignored: not run, not shown; it reads why.
        const processed = budget.take(calls.length);
        const outputs = [
          ...(await answerHosted(hosted, projection, calls.slice(0, processed), (events) => this.emit(events, store), signal)),
          ...calls.slice(processed).map(() => budget.ignoredOutput()),
        ];
        // A turn that also called the client's functions, or asked to approve an MCP call, ends the
        // response: the client answers those.
        if (projection.response.output.slice(shown).some((o) => o.type === 'function_call' || o.type === 'mcp_approval_request')) break;
        request = { ...request, messages: [...request.messages, ...hostedTurnMessages(calls, outputs)], toolChoice: choiceAfterHostedCalls(request.toolChoice) };
        if (budget.spent) request = withoutFunctions(request, hosted.options.functions);
      }
      ending = projection.finish(unixSeconds());
      await recordUsage(this.env, state, projection.response);
    } catch (err) {
      if (signal.aborted) {
        this.emit(projection.cancel(), store);
        this.hub.end();
      } else {
        ending = projection.fail(errorOf(limit.signal.aborted ? limit.signal.reason : err));
      }
    } finally {
      limit.dispose();
    }
    // The conversation gets the turn and is released before the stream's final event, so a client that
    // saw `response.completed` can continue the conversation at once (a failed write: `finish` retries).
    if (this.storage.exists()) await this.conversation.settle(projectId, projection.response).catch((err) => console.error(`response ${projection.response.id}: updating its conversation failed`, err));
    this.emit(ending, store);
    await this.finish(projectId, projection.response);
    return projection.response;
  }

  private emit(events: ResponseStreamEvent[], store: boolean): void {
    if (events.length === 0) return;
    if (store) this.storage.append(events);
    this.hub.publish(events);
  }

  /**
   * The end of a response: its conversation gets its items and is released, D1 gets its final state; with
   * `store: false` nothing is kept at all. If a write fails the alarm stays armed and the watchdog ends it
   * again (from the state saved here), so neither the row nor the conversation's lock stays in progress.
   */
  private async finish(projectId: string, response: ResponseObject): Promise<void> {
    if (!this.storage.exists()) return this.conversation.release(projectId, response); // deleted meanwhile
    this.storage.saveResponse(response);
    try {
      await this.conversation.settle(projectId, response);
      if (!response.store) {
        await this.ctx.storage.deleteAlarm();
        await this.ctx.storage.deleteAll();
        return;
      }
      await this.inserted;
      await saveResponse(this.db, response);
      await this.ctx.storage.deleteAlarm();
    } catch (err) {
      console.error(`response ${response.id} (${projectId}): ending it failed; the watchdog retries`, err);
      await this.ctx.storage.setAlarm(Date.now() + RESPONSE_WATCHDOG_MS);
    }
  }
}

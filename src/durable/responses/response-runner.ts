import { DurableObject } from 'cloudflare:workers';
import { nextTurn } from '../../adapters/event-loop';
import { services } from '../../services';
import { MAX_CHAIN, conversationBefore, deleteResponse, insertResponse, saveResponse } from '../../db/responses';
import { unixSeconds } from '../../domain/ids';
import { ResponseProjection } from '../../domain/responses/projection';
import { newItemIds } from '../../domain/responses/projection-options';
import type { ResponseObject, ResponseStreamEvent, StoredItem } from '../../domain/responses/types';
import type { Env } from '../../env';
import { fail, ok, refuse, type Result } from '../result';
import { ConversationSync } from './conversation-sync';
import { errorOf, notFound } from './errors';
import type { McpStart } from './hosted-tools';
import { CallLimits, runModelTurns } from './model-turns';
import { MAX_RESPONSE_RESTARTS, RESPONSE_WATCHDOG_MS } from './limits';
import { ResponseStreamHub } from './hub';
import type { ContinueResponse, ConversationTurn, StartResponse, Started } from './start';
import { sendGuessedTurn } from './conversation-turn';
import type { ModelPrefetch } from '../model-prefetch';
import { ResponseStorage, type ResponseState } from './storage';
import { hasOneResponseLayout, migrateOneResponseLayout } from './storage-migration';
import { conversationInput, startInObject, type ContextSources } from './model-context';
import { recordUsage } from './usage';

const ACTIVE: readonly string[] = ['queued', 'in_progress'];

/** What a response being run has in memory only: its subscribers, its execution, its MCP secrets. */
interface Live {
  hub: ResponseStreamHub;
  running?: { abort: AbortController; done: Promise<ResponseObject> };
  /** The request's MCP headers and approvals: in memory only, never in storage (docs/mcp.md "Secrets"). */
  mcp?: McpStart;
  /** The D1 insert of this response's rows (start), settled; D1 updates and deletes wait for it. */
  inserted: Promise<void>;
  /** The conversation it is a turn of, if any. */
  conversationId?: string;
}

/**
 * One Durable Object per `previous_response_id` chain (named by the chain key in its response ids,
 * src/domain/ids.ts) runs the chain's responses: each one's model turn, its stream events (kept in this
 * object's SQLite for replay), cancellation, and an alarm as watchdog, so a response outlives the
 * request that created it and none is left `queued`/`in_progress` after an eviction (docs/responses.md
 * "Execution"). A continuation's context is read from this object's own SQLite, so its model request
 * leaves after the one object call (docs/responses.md "Chains"). The D1 row (`store: true`) is written
 * when the response is accepted and when it ends.
 */
export class ResponseRunner extends DurableObject<Env> {
  private readonly storage: ResponseStorage;
  private readonly conversation: ConversationSync;
  private readonly live = new Map<string, Live>();
  /** Bumped when a conversation's known history is dropped, so a turn begun before does not write it back. */
  private readonly historyGeneration = new Map<string, number>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.storage = new ResponseStorage(ctx.storage.sql);
    this.conversation = new ConversationSync(ctx.storage, env, this.storage);
    // An object of the layout before chains (one response) moves to this one before it serves anything.
    if (hasOneResponseLayout(ctx.storage.sql)) void ctx.blockConcurrencyWhile(() => migrateOneResponseLayout(ctx.storage));
  }

  private get db() {
    return services(this.env).db;
  }

  /** Where a context built in this object reads the project's images and files. */
  private sourcesOf(projectId: string): ContextSources {
    return { db: this.db, files: this.env.FILES, projectId };
  }

  private liveOf(id: string): Live {
    let live = this.live.get(id);
    if (!live) {
      live = { hub: new ResponseStreamHub(), inserted: Promise.resolve() };
      this.live.set(id, live);
    }
    return live;
  }

  /**
   * A response continuing `previous_response_id` in this chain: the context is the chain as this object
   * holds it (the same items D1's `conversationBefore` would give), then the request is built and started
   * as the route would (src/http/routes/responses.ts). Refusals are OpenAI's, before anything is stored.
   */
  async continueChain(input: ContinueResponse): Promise<Result<Started>> {
    const previous = input.params.previous_response_id;
    const chain = this.storage.chainBefore(input.projectId, previous);
    if (!chain) return refuse(`Previous response with id '${previous}' not found.`, 'previous_response_id', 'previous_response_not_found');
    // A chain that began before chains existed continues in D1 (one more read, for those chains only).
    const older = chain.olderInD1 ? (await conversationBefore(this.db, input.projectId, chain.olderInD1, MAX_CHAIN - chain.links)) ?? [] : [];
    const sources = this.sourcesOf(input.projectId);
    const start = await startInObject(sources, services(this.env).config.codeExecutionTimeoutSeconds, input, [...older, ...chain.items]);
    return start.ok ? this.start(start.value) : start;
  }

  /**
   * A turn of a conversation (docs/responses.md "Conversation turns"): this object (the conversation's,
   * src/domain/ids.ts) asks the thread object for the lock and the history, and meanwhile sends the
   * model request it guesses from the history it last knew (conversation-turn.ts). The response starts
   * from the real history; refusals are the route's, in its order (the lock's, the context's, the
   * items the conversation cannot hold), and release the lock.
   */
  async startConversationTurn(input: ConversationTurn): Promise<Result<Started>> {
    const { projectId, conversationId, response } = input;
    const thread = this.conversation.stub(conversationId);
    const generation = this.historyGeneration.get(conversationId) ?? 0;
    const locking = thread.beginConversationResponse(projectId, conversationId, response.id);
    const sources = this.sourcesOf(projectId);
    const timeout = services(this.env).config.codeExecutionTimeoutSeconds;
    // Not sent ahead when this object already runs a turn of the conversation (the lock will refuse).
    const busy = [...this.live.values()].some((l) => l.running && l.conversationId === conversationId);
    const prefetch = busy ? undefined : await sendGuessedTurn(this.env, this.storage, sources, timeout, input).catch(() => undefined);
    let locked: { history: StoredItem[] } | undefined;
    try {
      const answer = (await locking) as Result<{ history: StoredItem[] }>;
      if (!answer.ok) {
        prefetch?.discard();
        return answer;
      }
      locked = answer.value;
      // What the conversation holds now, for the next turn's guess; not if it was dropped meanwhile.
      if ((this.historyGeneration.get(conversationId) ?? 0) === generation) this.storage.cacheHistory(projectId, conversationId, locked.history);
      const built = await startInObject(sources, timeout, input, locked.history);
      const items = built.ok ? conversationInput(built.value.items) : built;
      if (!built.ok || !items.ok) {
        prefetch?.discard();
        await thread.endConversationResponse(projectId, conversationId, response.id);
        return built.ok ? (items as Result<never>) : built;
      }
      const started = await this.begin({ ...built.value, conversationItems: items.value }, prefetch);
      if (!started.ok) {
        prefetch?.discard();
        await thread.endConversationResponse(projectId, conversationId, response.id);
      }
      return started;
    } catch (err) {
      prefetch?.discard();
      if (locked) await thread.endConversationResponse(projectId, conversationId, response.id);
      throw err;
    }
  }

  /**
   * Drops what this object knows of a conversation's history: its items or the conversation were
   * deleted, and deleted content must never be sent ahead to a model (the routes that delete call this).
   */
  async forgetConversation(_projectId: string, conversationId: string): Promise<void> {
    this.historyGeneration.set(conversationId, (this.historyGeneration.get(conversationId) ?? 0) + 1);
    this.storage.forgetHistory(conversationId);
    if (this.storage.empty()) await this.dropStorage();
  }

  /**
   * Learns a new conversation's history (its initial items, as the thread object answered its
   * creation), so its first turn's model request can be sent ahead too. A history this object already
   * knows is kept.
   */
  async learnConversation(projectId: string, conversationId: string, history: StoredItem[]): Promise<void> {
    if (!this.storage.cachedHistory(projectId, conversationId)) this.storage.cacheHistory(projectId, conversationId, history);
  }

  async start(input: StartResponse): Promise<Result<Started>> {
    // A conversation turn the route built (WebSocket, compaction): this object did not see its history.
    const conversationId = input.response.conversation?.id;
    if (conversationId) await this.forgetConversation(input.projectId, conversationId);
    return this.begin(input);
  }

  /** Starts a response; `prefetch`: its first model request, already sent (a conversation turn's guess). */
  private async begin(input: StartResponse, prefetch?: ModelPrefetch): Promise<Result<Started>> {
    const { response } = input;
    if (this.storage.has(response.id)) return fail(409, `Response '${response.id}' already exists.`);
    const live = this.liveOf(response.id);
    live.mcp = input.mcp;
    live.conversationId = response.conversation?.id;
    this.storage.create({ projectId: input.projectId, apiKeyId: input.apiKeyId, response, request: input.request, include: input.include ?? [], resumes: 0 }, input.items);
    if (input.conversationItems) await this.conversation.remember(response.id, input.conversationItems);
    await this.armWatchdog();
    // Subscribed before the first event, so a streaming client sees `response.created`.
    const stream = input.mode === 'stream' ? live.hub.subscribe() : undefined;
    // The D1 rows are written while the model request leaves (issue 13: the object call is the one
    // storage round trip before the model call; docs/responses.md "Execution"). Nothing of the response
    // reaches the client before they are written (awaited below, before the stream or the background
    // response is returned), and finish() and remove() wait for them, so D1 never misses an update.
    // The insert is sent one event-loop turn after the model request: locally D1's SQLite runs on this
    // thread and would otherwise hold the request back (src/adapters/event-loop.ts).
    const inserted = response.store ? nextTurn().then(() => insertResponse(this.db, input.projectId, response, input.items)) : Promise.resolve();
    live.inserted = inserted.catch(() => undefined);
    const done = this.execute(input.projectId, response.id, prefetch);
    try {
      await inserted;
    } catch (err) {
      // As when the rows were written first: the request fails and leaves nothing behind (the model
      // request already sent is aborted).
      live.running?.abort.abort();
      await done.catch(() => undefined);
      live.hub.end();
      await this.forget(response.id);
      throw err;
    }
    if (input.mode === 'background') return ok({ response });
    if (stream) return ok({ response, stream });
    return ok({ response: await done });
  }

  /** The stored events after `startingAfter`, then the live ones until the response ends. */
  async replay(projectId: string, id: string, startingAfter: number): Promise<Result<{ stream: ReadableStream<Uint8Array> }>> {
    const state = this.owned(projectId, id);
    if (!state) return notFound(id);
    const ended = !ACTIVE.includes(state.response.status) && !this.live.get(id)?.running;
    // A response still active follows through its live hub, also after an eviction: the watchdog's
    // restart or failure publishes there (liveOf).
    const hub = ended ? new ResponseStreamHub() : this.liveOf(id).hub;
    return ok({ stream: hub.subscribe(this.storage.eventsAfter(id, startingAfter), ended) });
  }

  /** OpenAI: only background responses can be cancelled; a finished one is returned as it is. */
  async cancel(projectId: string, id: string): Promise<Result<ResponseObject>> {
    const state = this.owned(projectId, id);
    if (!state) return notFound(id);
    if (!state.response.background) return fail(400, 'Cannot cancel a synchronous response.');
    if (!ACTIVE.includes(state.response.status)) return ok(state.response);
    const running = this.live.get(id)?.running;
    if (running) {
      running.abort.abort();
      return ok(await running.done);
    }
    const response: ResponseObject = { ...state.response, status: 'cancelled' };
    await this.finish(state.projectId, response);
    return ok(response);
  }

  /** Deletes the response: its D1 rows and what this object keeps of it (a running response is aborted first). */
  async remove(projectId: string, id: string): Promise<Result<{ deleted: boolean }>> {
    const state = this.owned(projectId, id);
    const live = this.live.get(id);
    if (state) live?.running?.abort.abort();
    await live?.inserted;
    const deleted = await deleteResponse(this.db, projectId, id);
    if (state) {
      if (ACTIVE.includes(state.response.status)) await this.conversation.release(projectId, state.response);
      live?.hub.end();
      await this.forget(id);
    }
    return deleted || state ? ok({ deleted: true }) : notFound(id);
  }

  /**
   * The watchdog, for every response whose end is not yet recorded: one still active with no execution
   * in this instance (the object was evicted or redeployed) is started again if it had not begun (no
   * event yet), and otherwise fails: its partial output is gone with the instance, and OpenAI never
   * leaves a response in progress. One that ended but whose final writes failed is ended again.
   */
  override async alarm(): Promise<void> {
    for (const id of this.storage.unsettled()) {
      const state = this.storage.state(id);
      if (!state) continue;
      if (!ACTIVE.includes(state.response.status)) {
        await this.finish(state.projectId, state.response);
      } else if (!this.live.get(id)?.running) {
        if (this.storage.nextSequence(id) === 0 && state.resumes < MAX_RESPONSE_RESTARTS) {
          this.storage.saveResumes(id, state.resumes + 1);
          void this.execute(state.projectId, id);
        } else {
          const projection = new ResponseProjection(state.response, newItemIds(), this.storage.nextSequence(id));
          projection.resumeFrom(this.storage.eventsAfter(id, -1));
          const events = projection.fail({ code: 'server_error', message: 'The response was interrupted and could not be completed.' });
          this.liveOf(id);
          this.emit(id, events, state.response.store);
          await this.finish(state.projectId, projection.response);
        }
      }
    }
    if (this.storage.unsettled().length > 0) await this.ctx.storage.setAlarm(Date.now() + RESPONSE_WATCHDOG_MS);
  }

  private owned(projectId: string, id: string): ResponseState | undefined {
    const state = this.storage.state(id);
    return state && state.projectId === projectId ? state : undefined;
  }

  /** The watchdog is armed while a response has not ended everywhere; an earlier alarm is kept. */
  private async armWatchdog(): Promise<void> {
    const at = await this.ctx.storage.getAlarm();
    if (at === null) await this.ctx.storage.setAlarm(Date.now() + RESPONSE_WATCHDOG_MS);
  }

  /** Forgets a response (deleted, `store: false` ended, refused at its start); an emptied object keeps nothing. */
  private async forget(id: string): Promise<void> {
    this.live.delete(id);
    this.storage.remove(id);
    await this.conversation.forget(id);
    if (this.storage.empty()) await this.dropStorage();
  }

  private async dropStorage(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.storage.dropped();
  }

  private execute(projectId: string, id: string, prefetch?: ModelPrefetch): Promise<ResponseObject> {
    const abort = new AbortController();
    const live = this.liveOf(id);
    const done = this.runTurn(projectId, id, live, abort.signal, prefetch).finally(() => {
      live.running = undefined;
      prefetch?.discard(); // not adopted (ended before its first model call): aborted
    });
    live.running = { abort, done };
    return done;
  }

  private async runTurn(projectId: string, id: string, live: Live, signal: AbortSignal, prefetch?: ModelPrefetch): Promise<ResponseObject> {
    const state = this.storage.state(id)!;
    const store = state.response.store;
    const projection = new ResponseProjection(state.response, newItemIds(), this.storage.nextSequence(id));
    this.emit(id, projection.start(), store);
    this.storage.saveResponse(projection.response);
    const limits = new CallLimits(signal, services(this.env).config.modelCallTimeoutSeconds * 1000);
    let ending: ResponseStreamEvent[] = [];
    try {
      const emit = (events: ResponseStreamEvent[]) => this.emit(id, events, store);
      await runModelTurns({ env: this.env, projectId, state, projection, mcp: live.mcp, prefetch, signal, limits, emit });
      ending = projection.finish(unixSeconds());
      await recordUsage(this.env, state, projection.response);
    } catch (err) {
      if (signal.aborted) {
        this.emit(id, projection.cancel(), store);
        live.hub.end();
      } else {
        ending = projection.fail(errorOf(limits.current.signal.aborted ? limits.current.signal.reason : err));
      }
    } finally {
      limits.dispose();
    }
    // The conversation gets the turn and is released before the stream's final event, so a client that
    // saw `response.completed` can continue the conversation at once (a failed write: `finish` retries).
    if (this.storage.has(id)) await this.conversation.settle(projectId, projection.response).catch((err) => console.error(`response ${projection.response.id}: updating its conversation failed`, err));
    this.emit(id, ending, store);
    await this.finish(projectId, projection.response);
    return projection.response;
  }

  /** Stores and publishes a live response's events; a response forgotten meanwhile (deleted) gets none. */
  private emit(id: string, events: ResponseStreamEvent[], store: boolean): void {
    const live = this.live.get(id);
    if (events.length === 0 || !live) return;
    if (store) this.storage.append(id, events);
    live.hub.publish(events);
  }

  /**
   * The end of a response: its conversation gets its items and is released, D1 gets its final state; with
   * `store: false` nothing is kept at all. If a write fails the response stays unsettled and the watchdog
   * ends it again (from the state saved here), so neither the row nor the conversation's lock stays in
   * progress. A settled stored response stays in this object: the context of the responses after it.
   */
  private async finish(projectId: string, response: ResponseObject): Promise<void> {
    const { id } = response;
    if (!this.storage.has(id)) return this.conversation.release(projectId, response); // deleted meanwhile
    this.storage.saveResponse(response);
    try {
      await this.conversation.settle(projectId, response);
      if (!response.store) return await this.forget(id);
      await this.live.get(id)?.inserted;
      await saveResponse(this.db, response);
      this.storage.markSettled(id);
      this.live.delete(id);
      await this.conversation.forget(id);
      if (this.storage.unsettled().length === 0) await this.ctx.storage.deleteAlarm();
    } catch (err) {
      console.error(`response ${id} (${projectId}): ending it failed; the watchdog retries`, err);
      await this.ctx.storage.setAlarm(Date.now() + RESPONSE_WATCHDOG_MS);
    }
  }
}

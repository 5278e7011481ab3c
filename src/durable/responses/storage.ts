import { MAX_CHAIN } from '../../db/responses';
import { isChainResponseId } from '../../domain/ids';
import { MAX_HISTORY_ITEMS } from '../conversations';
import type { ChatRequest } from '../../domain/ports';
import type { ResponseObject, ResponseStreamEvent, StoredItem } from '../../domain/responses/types';

/**
 * The response object's own SQLite (docs/storage.md §2 "Response object"). One object runs every
 * response of a `previous_response_id` chain (src/domain/ids.ts `responseObjectName`), so each table is
 * keyed by the response id: its state (owner project, the Response, whether it has ended for good),
 * its model request, its input items (a continuation's context is read here, not from D1) and its
 * stream events in sequence order, which `GET /responses/{id}?stream=true&starting_after=N` replays.
 */
export const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS chain_responses (
     id TEXT PRIMARY KEY,
     project_id TEXT NOT NULL,
     api_key_id TEXT,
     previous_id TEXT,
     stored INTEGER NOT NULL,
     response TEXT NOT NULL,
     resumes INTEGER NOT NULL DEFAULT 0,
     settled INTEGER NOT NULL DEFAULT 0 -- 1 once D1 and the conversation have its final state
   )`,
  // The model request in parts: with images as data URLs (up to 20 MB each) it outgrows one value.
  `CREATE TABLE IF NOT EXISTS chain_request_parts (
     response_id TEXT NOT NULL,
     part INTEGER NOT NULL,
     text TEXT NOT NULL,
     PRIMARY KEY (response_id, part)
   )`,
  // A response's own input items (as D1's response_items), for the context of the responses after it.
  `CREATE TABLE IF NOT EXISTS chain_items (
     response_id TEXT NOT NULL,
     position INTEGER NOT NULL,
     item TEXT NOT NULL,
     PRIMARY KEY (response_id, position)
   )`,
  `CREATE TABLE IF NOT EXISTS chain_events (
     response_id TEXT NOT NULL,
     seq INTEGER NOT NULL,
     type TEXT NOT NULL,
     data TEXT NOT NULL,
     PRIMARY KEY (response_id, seq)
   )`,
];

/**
 * The history of each conversation whose turns this object runs, as it last knew it (the thread
 * object's answer at the start of its latest turn, plus the items that turn added). A guess only: the
 * next turn's model request is sent ahead from it and adopted only if the thread object's answer
 * builds the same request (docs/responses.md "Conversation turns"). Created on first use.
 */
const HISTORY_SCHEMA = `CREATE TABLE IF NOT EXISTS chain_conversation_history (
  conversation_id TEXT NOT NULL,
  project_id TEXT NOT NULL,
  part INTEGER NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (conversation_id, part)
)`;

/**
 * Characters per stored part of a long text. A Durable Object's SQLite holds at most 2 MB in one string
 * or row (docs/platform-limits.md); a UTF-16 code unit is at most 3 bytes of UTF-8, so 600,000 of them
 * stay under it.
 */
export const MAX_PART_CHARS = 600_000;

/** `text` cut into parts of at most `max` characters, never inside a surrogate pair. */
export function splitIntoParts(text: string, max = MAX_PART_CHARS): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length;) {
    let end = Math.min(i + max, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    parts.push(text.slice(i, end));
    i = end;
  }
  return parts.length > 0 ? parts : [''];
}

export interface ResponseState {
  projectId: string;
  /** The API key that created the response (null: the admin key), for its usage row. */
  apiKeyId: string | null;
  response: ResponseObject;
  request: ChatRequest;
  /** The request's `include` (e.g. `file_search_call.results`): what hosted calls show. */
  include?: string[];
  resumes: number;
}

type StateRow = { project_id: string; api_key_id: string | null; response: string; resumes: number };

/** The model request with the response's `include`, as stored (in parts, `chain_request_parts`). */
const requestText = (state: ResponseState) => JSON.stringify({ ...state.request, include: state.include ?? [] });

export class ResponseStorage {
  private ready = false;

  constructor(private readonly sql: SqlStorage) {}

  /** True once this object holds a response (its tables exist); an object never written stays empty. */
  private tables(): boolean {
    if (!this.ready) this.ready = this.hasTable('chain_responses');
    return this.ready;
  }

  has(id: string): boolean {
    return this.tables() && this.sql.exec('SELECT 1 FROM chain_responses WHERE id = ?', id).toArray().length > 0;
  }

  /** Records a response and its request; its own input `items` too when it is stored (`store: true`). */
  create(state: ResponseState, items: readonly StoredItem[]): void {
    if (!this.tables()) {
      for (const statement of SCHEMA) this.sql.exec(statement);
      this.ready = true;
    }
    const { response } = state;
    this.sql.exec(
      'INSERT INTO chain_responses (id, project_id, api_key_id, previous_id, stored, response, resumes) VALUES (?, ?, ?, ?, ?, ?, ?)',
      response.id, state.projectId, state.apiKeyId, response.previous_response_id ?? null, response.store ? 1 : 0, JSON.stringify(response), state.resumes,
    );
    splitIntoParts(requestText(state)).forEach((text, part) => this.sql.exec('INSERT INTO chain_request_parts (response_id, part, text) VALUES (?, ?, ?)', response.id, part, text));
    if (response.store) items.forEach((item, position) => this.sql.exec('INSERT INTO chain_items (response_id, position, item) VALUES (?, ?, ?)', response.id, position, JSON.stringify(item)));
  }

  state(id: string): ResponseState | undefined {
    if (!this.tables()) return undefined;
    const row = this.sql.exec<StateRow>('SELECT project_id, api_key_id, response, resumes FROM chain_responses WHERE id = ?', id).toArray()[0];
    if (!row) return undefined;
    const text = this.sql.exec<{ text: string }>('SELECT text FROM chain_request_parts WHERE response_id = ? ORDER BY part', id).toArray().map((r) => r.text).join('');
    const { include, ...request } = JSON.parse(text) as ChatRequest & { include?: string[] };
    return { projectId: row.project_id, apiKeyId: row.api_key_id, response: JSON.parse(row.response) as ResponseObject, request, include: include ?? [], resumes: row.resumes };
  }

  /** The responses whose end is not yet recorded everywhere (running, evicted, or a failed final write). */
  unsettled(): string[] {
    if (!this.tables()) return [];
    return this.sql.exec<{ id: string }>('SELECT id FROM chain_responses WHERE settled = 0 ORDER BY id').toArray().map((r) => r.id);
  }

  /**
   * The context before a response that continues `previousId` (as D1's `conversationBefore`): each
   * stored link of the chain, oldest first, its input items then its output; the walk stops at a
   * missing link (deleted: the context starts after it), at another project's response, or after
   * MAX_CHAIN links in all. A link made before chains (`olderInD1`: its id is not of the chain format)
   * is in no chain object: the context before it is D1's, walked for the links that are left. Undefined when `previousId` itself is not a stored
   * response of the project.
   */
  chainBefore(projectId: string, previousId: string): { items: StoredItem[]; olderInD1: string | null; links: number } | undefined {
    if (!this.tables()) return undefined;
    const links: StoredItem[][] = [];
    let id: string | null = previousId;
    let olderInD1: string | null = null;
    for (let depth = 0; id !== null && depth < MAX_CHAIN; depth++) {
      if (depth > 0 && !isChainResponseId(id)) {
        olderInD1 = id;
        break;
      }
      const row: { response: string; previous_id: string | null } | undefined = this.sql
        .exec<{ response: string; previous_id: string | null }>('SELECT response, previous_id FROM chain_responses WHERE id = ? AND project_id = ? AND stored = 1', id, projectId)
        .toArray()[0];
      if (!row) break;
      const items = this.sql.exec<{ item: string }>('SELECT item FROM chain_items WHERE response_id = ? ORDER BY position', id).toArray().map((r) => JSON.parse(r.item) as StoredItem);
      links.push([...items, ...((JSON.parse(row.response) as ResponseObject).output as unknown as StoredItem[])]);
      id = row.previous_id;
    }
    return links.length === 0 ? undefined : { items: links.reverse().flat(), olderInD1, links: links.length };
  }

  /** The history this object last knew for a conversation of the project, or undefined. */
  cachedHistory(projectId: string, conversationId: string): StoredItem[] | undefined {
    if (!this.hasTable('chain_conversation_history')) return undefined;
    const parts = this.sql.exec<{ text: string }>('SELECT text FROM chain_conversation_history WHERE conversation_id = ? AND project_id = ? ORDER BY part', conversationId, projectId).toArray();
    return parts.length === 0 ? undefined : (JSON.parse(parts.map((p) => p.text).join('')) as StoredItem[]);
  }

  /** Keeps a conversation's history, its newest MAX_HISTORY_ITEMS as the thread object answers it. */
  cacheHistory(projectId: string, conversationId: string, items: readonly StoredItem[]): void {
    this.sql.exec(HISTORY_SCHEMA);
    this.sql.exec('DELETE FROM chain_conversation_history WHERE conversation_id = ?', conversationId);
    splitIntoParts(JSON.stringify(items.slice(-MAX_HISTORY_ITEMS))).forEach((text, part) => this.sql.exec('INSERT INTO chain_conversation_history (conversation_id, project_id, part, text) VALUES (?, ?, ?, ?)', conversationId, projectId, part, text));
  }

  /** Drops what this object knew of a conversation's history (items deleted, the conversation deleted). */
  forgetHistory(conversationId: string): void {
    if (this.hasTable('chain_conversation_history')) this.sql.exec('DELETE FROM chain_conversation_history WHERE conversation_id = ?', conversationId);
  }

  private hasTable(name: string): boolean {
    return this.sql.exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`, name).toArray().length > 0;
  }

  saveResponse(response: ResponseObject): void {
    this.sql.exec('UPDATE chain_responses SET response = ? WHERE id = ?', JSON.stringify(response), response.id);
  }

  saveResumes(id: string, resumes: number): void {
    this.sql.exec('UPDATE chain_responses SET resumes = ? WHERE id = ?', resumes, id);
  }

  markSettled(id: string): void {
    this.sql.exec('UPDATE chain_responses SET settled = 1 WHERE id = ?', id);
  }

  /** Forgets a response (deleted, `store: false` ended, or refused at its start). */
  remove(id: string): void {
    if (!this.tables()) return;
    for (const table of ['chain_request_parts', 'chain_items', 'chain_events']) this.sql.exec(`DELETE FROM ${table} WHERE response_id = ?`, id);
    this.sql.exec('DELETE FROM chain_responses WHERE id = ?', id);
  }

  /** Called after the object's storage was deleted (`deleteAll`): the tables are created again when needed. */
  dropped(): void {
    this.ready = false;
  }

  /** True when no response and no conversation's history is left (the object's storage can be dropped). */
  empty(): boolean {
    const responses = this.tables() && this.sql.exec('SELECT 1 FROM chain_responses LIMIT 1').toArray().length > 0;
    const histories = this.hasTable('chain_conversation_history') && this.sql.exec('SELECT 1 FROM chain_conversation_history LIMIT 1').toArray().length > 0;
    return !responses && !histories;
  }

  append(id: string, events: readonly ResponseStreamEvent[]): void {
    for (const e of events) this.sql.exec('INSERT INTO chain_events (response_id, seq, type, data) VALUES (?, ?, ?, ?)', id, e.sequence_number, e.type, JSON.stringify(e));
  }

  /** Stored events of a response after `seq` (all with -1), in order. */
  eventsAfter(id: string, seq: number): ResponseStreamEvent[] {
    return this.sql.exec<{ data: string }>('SELECT data FROM chain_events WHERE response_id = ? AND seq > ? ORDER BY seq', id, seq)
      .toArray()
      .map((r) => JSON.parse(r.data) as ResponseStreamEvent);
  }

  /** The number the next event of a response gets (0 before any). */
  nextSequence(id: string): number {
    const row = this.sql.exec<{ n: number | null }>('SELECT MAX(seq) AS n FROM chain_events WHERE response_id = ?', id).toArray()[0];
    return row?.n === null || row?.n === undefined ? 0 : row.n + 1;
  }
}

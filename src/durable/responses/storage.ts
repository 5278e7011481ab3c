import type { ChatRequest } from '../../domain/ports';
import type { ResponseObject, ResponseStreamEvent } from '../../domain/responses/types';

/**
 * The response Durable Object's own SQLite (docs/storage.md §2 "Response object"): the response's state
 * (owner project, the Response, the model request, how often it was resumed) and its stream events in
 * sequence order, which `GET /responses/{id}?stream=true&starting_after=N` replays.
 */
const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS response_state (
     id TEXT PRIMARY KEY,
     project_id TEXT NOT NULL,
     api_key_id TEXT,
     response TEXT NOT NULL,
     request TEXT NOT NULL, -- unused: the request is in response_request
     resumes INTEGER NOT NULL DEFAULT 0
   )`,
  // The model request in parts: with images as data URLs (up to 20 MB each) it outgrows one value.
  `CREATE TABLE IF NOT EXISTS response_request (
     part INTEGER PRIMARY KEY,
     text TEXT NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS response_events (
     seq INTEGER PRIMARY KEY,
     type TEXT NOT NULL,
     data TEXT NOT NULL
   )`,
];

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

/**
 * The `request` column holds the model request and the request's `include` beside it (one JSON object, so
 * a response object created before `include` was kept reads as `include: []`).
 */
/** The model request with the response's `include`, as stored (in parts, `response_request`). */
const requestColumn = (state: ResponseState) => JSON.stringify({ ...state.request, include: state.include ?? [] });

export class ResponseStorage {
  constructor(private readonly sql: SqlStorage) {}

  /** True once this object holds a response (its tables exist). */
  exists(): boolean {
    return this.sql.exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'response_state'`).toArray().length > 0;
  }

  create(state: ResponseState): void {
    for (const statement of SCHEMA) this.sql.exec(statement);
    this.sql.exec(
      'INSERT INTO response_state (id, project_id, api_key_id, response, request, resumes) VALUES (?, ?, ?, ?, ?, ?)',
      state.response.id, state.projectId, state.apiKeyId, JSON.stringify(state.response), '', state.resumes,
    );
    splitIntoParts(requestColumn(state)).forEach((text, part) => this.sql.exec('INSERT INTO response_request (part, text) VALUES (?, ?)', part, text));
  }

  state(): ResponseState | undefined {
    if (!this.exists()) return undefined;
    const row = this.sql.exec<{ project_id: string; api_key_id: string | null; response: string; resumes: number }>(
      'SELECT project_id, api_key_id, response, resumes FROM response_state LIMIT 1',
    ).toArray()[0];
    if (!row) return undefined;
    const text = this.sql.exec<{ text: string }>('SELECT text FROM response_request ORDER BY part').toArray().map((r) => r.text).join('');
    const { include, ...request } = JSON.parse(text) as ChatRequest & { include?: string[] };
    return { projectId: row.project_id, apiKeyId: row.api_key_id, response: JSON.parse(row.response) as ResponseObject, request, include: include ?? [], resumes: row.resumes };
  }

  saveResponse(response: ResponseObject): void {
    this.sql.exec('UPDATE response_state SET response = ? WHERE id = ?', JSON.stringify(response), response.id);
  }

  saveResumes(id: string, resumes: number): void {
    this.sql.exec('UPDATE response_state SET resumes = ? WHERE id = ?', resumes, id);
  }

  append(events: readonly ResponseStreamEvent[]): void {
    for (const e of events) this.sql.exec('INSERT INTO response_events (seq, type, data) VALUES (?, ?, ?)', e.sequence_number, e.type, JSON.stringify(e));
  }

  /** Stored events after `seq` (all with -1), in order. */
  eventsAfter(seq: number): ResponseStreamEvent[] {
    return this.sql.exec<{ data: string }>('SELECT data FROM response_events WHERE seq > ? ORDER BY seq', seq)
      .toArray()
      .map((r) => JSON.parse(r.data) as ResponseStreamEvent);
  }

  /** The number the next event gets (0 before any). */
  nextSequence(): number {
    const row = this.sql.exec<{ n: number | null }>('SELECT MAX(seq) AS n FROM response_events').toArray()[0];
    return row?.n === null || row?.n === undefined ? 0 : row.n + 1;
  }
}

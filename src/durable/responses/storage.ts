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
     request TEXT NOT NULL,
     resumes INTEGER NOT NULL DEFAULT 0
   )`,
  `CREATE TABLE IF NOT EXISTS response_events (
     seq INTEGER PRIMARY KEY,
     type TEXT NOT NULL,
     data TEXT NOT NULL
   )`,
];

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
      state.response.id, state.projectId, state.apiKeyId, JSON.stringify(state.response), requestColumn(state), state.resumes,
    );
  }

  state(): ResponseState | undefined {
    if (!this.exists()) return undefined;
    const row = this.sql.exec<{ project_id: string; api_key_id: string | null; response: string; request: string; resumes: number }>(
      'SELECT project_id, api_key_id, response, request, resumes FROM response_state LIMIT 1',
    ).toArray()[0];
    if (!row) return undefined;
    const { include, ...request } = JSON.parse(row.request) as ChatRequest & { include?: string[] };
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

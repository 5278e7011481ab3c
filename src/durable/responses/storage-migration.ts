import type { ResponseObject } from '../../domain/responses/types';
import { conversationKeys } from './conversation-sync';
import { RESPONSE_WATCHDOG_MS } from './limits';
import { SCHEMA } from './storage';

/** The one-response layout objects had before chains (named by a 24-character response id). */
const OLD_TABLES = ['response_state', 'response_request', 'response_events'] as const;
const OLD_CONVERSATION_INPUT = 'conversation_input';
const OLD_CONVERSATION_SETTLED = 'conversation_settled';

/**
 * Moves an object of the one-response layout into the chain layout (src/durable/responses/storage.ts),
 * in one transaction, before the object serves anything (docs/storage.md §2b). The response is moved
 * unsettled, with the alarm armed: whether it had ended everywhere cannot be told from the alarm (an
 * object woken by its alarm reads none while the handler runs), and ending it again is harmless.
 * Its stored input items were never in the object: a continuation of such a response is read from D1
 * (its id is not of the chain format, so the route takes that path). Returns whether anything moved.
 */
export async function migrateOneResponseLayout(storage: DurableObjectStorage): Promise<boolean> {
  const { sql } = storage;
  if (!hasOneResponseLayout(sql)) return false;
  const input = await storage.get(OLD_CONVERSATION_INPUT);
  const conversationSettled = await storage.get<boolean>(OLD_CONVERSATION_SETTLED);
  const row = sql.exec<{ id: string; project_id: string; api_key_id: string | null; response: string; resumes: number }>(
    'SELECT id, project_id, api_key_id, response, resumes FROM response_state LIMIT 1',
  ).toArray()[0];
  // No await from here on: the object's writes of one turn are committed together (write coalescing),
  // so the conversation keys move with the tables.
  if (row) {
    const keys = conversationKeys(row.id);
    if (input !== undefined) void storage.put(keys.input, input);
    if (conversationSettled !== undefined) void storage.put(keys.settled, conversationSettled);
  }
  void storage.delete([OLD_CONVERSATION_INPUT, OLD_CONVERSATION_SETTLED]);
  storage.transactionSync(() => {
    for (const statement of SCHEMA) sql.exec(statement);
    if (row) {
      const response = JSON.parse(row.response) as ResponseObject;
      sql.exec(
        'INSERT INTO chain_responses (id, project_id, api_key_id, previous_id, stored, response, resumes, settled) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        row.id, row.project_id, row.api_key_id, response.previous_response_id ?? null, response.store ? 1 : 0, row.response, row.resumes, 0,
      );
      sql.exec('INSERT INTO chain_request_parts (response_id, part, text) SELECT ?, part, text FROM response_request', row.id);
      sql.exec('INSERT INTO chain_events (response_id, seq, type, data) SELECT ?, seq, type, data FROM response_events', row.id);
    }
    for (const table of OLD_TABLES) sql.exec(`DROP TABLE IF EXISTS ${table}`);
  });
  // The watchdog ends it again (idempotent: the D1 row is written with the same state, the conversation
  // key keeps its items from being added twice) and marks it settled.
  if (row && (await storage.getAlarm()) === null) await storage.setAlarm(Date.now() + RESPONSE_WATCHDOG_MS);
  return true;
}

/** True for an object still in the one-response layout (checked synchronously, before any request). */
export function hasOneResponseLayout(sql: SqlStorage): boolean {
  return sql.exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'response_state'`).toArray().length > 0;
}

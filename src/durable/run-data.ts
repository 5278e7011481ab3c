import type { Database } from '../db/client';
import { deleteMessageById, endUnfinishedMessage, insertMessage, recentThreadMessages, saveMessage, type MessageRow } from '../db/messages';
import type { MessageContent } from '../domain/messages';
import type { Run } from '../domain/runs/types';
import type { ModelCallOutcome } from '../domain/usage/record';
import { loadImageUrls } from './images';
import { recordModelCall, saveMessageAndRecordCall } from './record-usage';

/**
 * What a running run reads and writes outside the thread object's SQLite: the thread's messages in
 * D1, image bytes in R2, usage rows. One small port, so the executor and the model turn run on
 * in-memory data in unit tests (test/unit/runs/) and on D1/R2 here.
 */
export interface RunData {
  insertMessage(row: MessageRow): Promise<void>;
  saveMessage(row: MessageRow): Promise<void>;
  /** A message of a step that is redone after an eviction. */
  deleteMessage(id: string): Promise<void>;
  /** An assistant message left `in_progress` by a turn that died, ended `incomplete`. */
  endUnfinishedMessage(id: string, reason: 'run_failed' | 'run_cancelled' | 'run_expired', at: number): Promise<void>;
  /** The thread's latest messages, oldest first (the prompt's history and the run's own messages). */
  recentMessages(projectId: string, threadId: string): Promise<MessageRow[]>;
  /** Data URLs of the images these contents show, by file id. */
  imageUrls(projectId: string, contents: MessageContent[][]): Promise<Map<string, string>>;
  /** The usage row of one model call (logged, never failing the run). */
  recordModelCall(projectId: string, run: Run, outcome: ModelCallOutcome): Promise<void>;
  /** saveMessage and recordModelCall in one write (one D1 batch): a turn's final message. */
  saveMessageAndRecordCall(row: MessageRow, projectId: string, run: Run, outcome: ModelCallOutcome): Promise<void>;
}

/** RunData on the project's D1 database and the files bucket. */
export function d1RunData(db: () => Database, files: R2Bucket): RunData {
  return {
    insertMessage: (row) => insertMessage(db(), row),
    saveMessage: (row) => saveMessage(db(), row),
    deleteMessage: (id) => deleteMessageById(db(), id),
    endUnfinishedMessage: (id, reason, at) => endUnfinishedMessage(db(), id, reason, at),
    recentMessages: (projectId, threadId) => recentThreadMessages(db(), projectId, threadId),
    imageUrls: (projectId, contents) => loadImageUrls(db(), files, projectId, contents),
    recordModelCall: (projectId, run, outcome) => recordModelCall(db(), projectId, run, outcome),
    saveMessageAndRecordCall: (row, projectId, run, outcome) => saveMessageAndRecordCall(db(), row, projectId, run, outcome),
  };
}

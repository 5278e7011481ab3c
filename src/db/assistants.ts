import { and, eq } from 'drizzle-orm';
import { inProject } from './project-scope';
import { newId, unixSeconds } from '../domain/ids';
import type { AssistantCreateParams, AssistantUpdateParams } from '../contract/assistants';
import { sealedSecretsOf, servedTools } from '../contract/mcp-tool';
import type { Database } from './client';
import { pageBy, type ListParams } from './pagination';
import { assistants } from './schema';

type AssistantRow = typeof assistants.$inferSelect;

/** The AssistantObject the API returns: every field present, `null` where unset (docs/openai-behaviour.md §2.2). */
export function toAssistantObject(row: AssistantRow) {
  return {
    id: row.id,
    object: 'assistant' as const,
    created_at: row.createdAt,
    name: row.name,
    description: row.description,
    model: row.model,
    instructions: row.instructions,
    // An `mcp` entry's sealed secrets stay in the row (docs/mcp-assistants.md "Secrets").
    tools: servedTools(row.tools),
    tool_resources: row.toolResources ?? {},
    metadata: row.metadata,
    temperature: row.temperature,
    top_p: row.topP,
    response_format: row.responseFormat ?? 'auto',
    reasoning_effort: row.reasoningEffort,
  };
}
export type AssistantObject = ReturnType<typeof toAssistantObject>;

/** The assistant as a run starts from it: the served object plus its `mcp` tools' sealed secrets (never served). */
export type RunStartAssistant = AssistantObject & { mcp_sealed_secrets: Record<string, string> };

export function toRunStartAssistant(row: AssistantRow): RunStartAssistant {
  return { ...toAssistantObject(row), mcp_sealed_secrets: sealedSecretsOf(row.tools) };
}

export async function createAssistant(db: Database, projectId: string, p: AssistantCreateParams) {
  const now = Date.now();
  const row: AssistantRow = {
    id: newId('asst_', now),
    projectId,
    createdAt: unixSeconds(now),
    model: p.model,
    name: p.name ?? null,
    description: p.description ?? null,
    instructions: p.instructions ?? null,
    tools: p.tools ?? [],
    toolResources: p.tool_resources ?? null,
    metadata: p.metadata ?? {},
    // OpenAI stores the defaults it applies (temperature 1, top_p 1) and returns them.
    temperature: p.temperature ?? 1,
    topP: p.top_p ?? 1,
    responseFormat: p.response_format ?? 'auto',
    reasoningEffort: p.reasoning_effort ?? null,
  };
  await db.insert(assistants).values(row);
  return toAssistantObject(row);
}

/** The assistant's row as a statement (a list of zero or one), so it can join a D1 batch. */
export function assistantQuery(db: Database, projectId: string, id: string) {
  return db.select().from(assistants).where(inProject(assistants, projectId, eq(assistants.id, id))).limit(1);
}

export async function getAssistantRow(db: Database, projectId: string, id: string) {
  return db.query.assistants.findFirst({ where: inProject(assistants, projectId, eq(assistants.id, id)) });
}

export async function listAssistants(db: Database, projectId: string, params: ListParams) {
  const page = await pageBy(assistants.id, params, inProject(assistants, projectId), (where, orderBy, limit) =>
    db.select().from(assistants).where(where).orderBy(orderBy).limit(limit),
  );
  return { ...page, data: page.data.map(toAssistantObject) };
}

/** Applies only the fields present in the request; `null` clears a nullable field. */
export async function updateAssistant(db: Database, projectId: string, id: string, p: AssistantUpdateParams) {
  const patch: Partial<AssistantRow> = {};
  if (p.model !== undefined) patch.model = p.model;
  if (p.name !== undefined) patch.name = p.name;
  if (p.description !== undefined) patch.description = p.description;
  if (p.instructions !== undefined) patch.instructions = p.instructions;
  if (p.reasoning_effort !== undefined) patch.reasoningEffort = p.reasoning_effort;
  if (p.tools !== undefined) patch.tools = p.tools;
  if (p.tool_resources !== undefined) patch.toolResources = p.tool_resources;
  if (p.metadata !== undefined) patch.metadata = p.metadata ?? {};
  if (p.temperature !== undefined) patch.temperature = p.temperature ?? 1;
  if (p.top_p !== undefined) patch.topP = p.top_p ?? 1;
  if (p.response_format !== undefined) patch.responseFormat = p.response_format ?? 'auto';
  const where = inProject(assistants, projectId, eq(assistants.id, id));
  const rows =
    Object.keys(patch).length === 0
      ? await db.select().from(assistants).where(where)
      : await db.update(assistants).set(patch).where(where).returning();
  return rows[0] ? toAssistantObject(rows[0]) : undefined;
}

export async function deleteAssistant(db: Database, projectId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(assistants)
    .where(inProject(assistants, projectId, eq(assistants.id, id)))
    .returning({ id: assistants.id });
  return rows.length > 0;
}

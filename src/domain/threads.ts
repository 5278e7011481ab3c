// The thread as the API returns it, built from its stored fields (D1 `threads`; src/db/threads.ts
// re-exports it for the queries that return threads).

/** ThreadObject: `tool_resources` is `{}` when nothing is attached, as in OpenAI's examples. */
export function toThreadObject(row: { id: string; createdAt: number; toolResources: unknown; metadata: Record<string, string> }) {
  return {
    id: row.id,
    object: 'thread' as const,
    created_at: row.createdAt,
    tool_resources: row.toolResources ?? {},
    metadata: row.metadata,
  };
}
export type ThreadObjectJson = ReturnType<typeof toThreadObject>;

// The Conversations API's not-found wording (src/durable/conversations.ts, docs/conversations.md §1).
export const missingConversation = (id: string): string => `Conversation with id '${id}' not found.`;
export const missingItem = (id: string): string => `Item with id '${id}' not found.`;

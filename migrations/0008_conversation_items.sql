-- Conversations (OpenAI's Conversations API, docs/conversations.md): a conversation is a thread (same
-- `threads` row, same Durable Object). Its message items are rows of `messages` (which may now hold
-- the roles `system` and `developer`; the column has no CHECK, so only the TypeScript enum changed).
-- Every other item (function_call, function_call_output, reasoning, and later hosted-tool calls) is a
-- row here. `sort_key` is the id without its prefix: ids sort by creation time after the prefix
-- (src/domain/ids.ts), so one order over both tables is `ORDER BY sort_key` here and
-- `substr(id, 5)` for `msg_` ids.
CREATE TABLE `conversation_items` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`thread_id` text NOT NULL,
	`sort_key` text NOT NULL,
	`created_at` integer NOT NULL,
	`type` text NOT NULL,
	`status` text NOT NULL,
	`payload` text NOT NULL,
	`response_id` text
);
--> statement-breakpoint
CREATE INDEX `conversation_items_thread` ON `conversation_items` (`thread_id`,`sort_key`);--> statement-breakpoint
CREATE INDEX `conversation_items_project` ON `conversation_items` (`project_id`,`thread_id`,`id`);

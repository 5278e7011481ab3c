-- Thread listing (GET /v1/threads): the assistant a thread was last run with, and when.
ALTER TABLE `threads` ADD `last_assistant_id` text;--> statement-breakpoint
ALTER TABLE `threads` ADD `last_run_at` integer;--> statement-breakpoint
CREATE INDEX `threads_project_assistant` ON `threads` (`project_id`,`last_assistant_id`,`id`);--> statement-breakpoint
CREATE INDEX `threads_project_created` ON `threads` (`project_id`,`created_at`);--> statement-breakpoint
-- Which API key created a run (usage grouped by api_key_id): written once when the run is created.
CREATE TABLE `run_origins` (
	`run_id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`api_key_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
-- One row per model call of a run (src/domain/usage): the source of /v1/organization/usage and costs.
CREATE TABLE `usage_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` text NOT NULL,
	`thread_id` text NOT NULL,
	`run_id` text NOT NULL,
	`assistant_id` text NOT NULL,
	`model` text NOT NULL,
	`created_at` integer NOT NULL,
	`input_tokens` integer NOT NULL,
	`cached_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`function_calls` integer NOT NULL,
	`file_search_calls` integer NOT NULL,
	`code_interpreter_calls` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `usage_events_time` ON `usage_events` (`created_at`);--> statement-breakpoint
CREATE INDEX `usage_events_project_time` ON `usage_events` (`project_id`,`created_at`);

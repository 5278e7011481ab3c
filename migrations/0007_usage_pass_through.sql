-- Usage of the pass-through routes (POST /v1/chat/completions, POST /v1/embeddings): no thread, run or
-- assistant, so those columns become nullable; `endpoint` says which API a row counts, and `api_key_id`
-- is the calling key for rows that have no run (a run's key stays in run_origins, joined at query time).
-- SQLite cannot drop NOT NULL in place (sqlite.org/lang_altertable.html, "making other kinds of table
-- schema changes"): the table is rebuilt, rows and ids kept, then its indexes recreated. No foreign key
-- or trigger refers to usage_events. Hand-written: migrations/meta is not regenerated for it.
CREATE TABLE `usage_events_new` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` text NOT NULL,
	`endpoint` text DEFAULT 'runs' NOT NULL,
	`thread_id` text,
	`run_id` text,
	`assistant_id` text,
	`api_key_id` text,
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
INSERT INTO `usage_events_new` (`id`, `project_id`, `endpoint`, `thread_id`, `run_id`, `assistant_id`, `model`, `created_at`,
	`input_tokens`, `cached_tokens`, `output_tokens`, `function_calls`, `file_search_calls`, `code_interpreter_calls`)
	SELECT `id`, `project_id`, 'runs', `thread_id`, `run_id`, `assistant_id`, `model`, `created_at`,
	`input_tokens`, `cached_tokens`, `output_tokens`, `function_calls`, `file_search_calls`, `code_interpreter_calls` FROM `usage_events`;--> statement-breakpoint
DROP TABLE `usage_events`;--> statement-breakpoint
ALTER TABLE `usage_events_new` RENAME TO `usage_events`;--> statement-breakpoint
CREATE INDEX `usage_events_time` ON `usage_events` (`created_at`);--> statement-breakpoint
CREATE INDEX `usage_events_project_time` ON `usage_events` (`project_id`,`created_at`);

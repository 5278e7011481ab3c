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
--> statement-breakpoint
-- Storage held over time (GB-days): one interval per file, and per vector store size, kept by triggers so
-- every write path (uploads, ingestion, deletes, expiry sweeps) is metered without code of its own.
CREATE TABLE `storage_intervals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`object_id` text NOT NULL,
	`project_id` text NOT NULL,
	`bytes` integer NOT NULL,
	`start_at` integer NOT NULL,
	`end_at` integer
);
--> statement-breakpoint
CREATE INDEX `storage_intervals_open` ON `storage_intervals` (`kind`,`object_id`,`end_at`);--> statement-breakpoint
CREATE INDEX `storage_intervals_time` ON `storage_intervals` (`kind`,`start_at`);--> statement-breakpoint
INSERT INTO `storage_intervals` (`kind`, `object_id`, `project_id`, `bytes`, `start_at`)
	SELECT 'file', `id`, `project_id`, `bytes`, `created_at` FROM `files`;--> statement-breakpoint
INSERT INTO `storage_intervals` (`kind`, `object_id`, `project_id`, `bytes`, `start_at`)
	SELECT 'vector_store', `id`, `project_id`, `usage_bytes`, `created_at` FROM `vector_stores`;--> statement-breakpoint
CREATE TRIGGER `storage_file_insert` AFTER INSERT ON `files` BEGIN
	INSERT INTO `storage_intervals` (`kind`, `object_id`, `project_id`, `bytes`, `start_at`) VALUES ('file', NEW.`id`, NEW.`project_id`, NEW.`bytes`, NEW.`created_at`);
END;--> statement-breakpoint
CREATE TRIGGER `storage_file_delete` AFTER DELETE ON `files` BEGIN
	UPDATE `storage_intervals` SET `end_at` = CAST(strftime('%s', 'now') AS INTEGER) WHERE `kind` = 'file' AND `object_id` = OLD.`id` AND `end_at` IS NULL;
END;--> statement-breakpoint
CREATE TRIGGER `storage_vector_store_insert` AFTER INSERT ON `vector_stores` BEGIN
	INSERT INTO `storage_intervals` (`kind`, `object_id`, `project_id`, `bytes`, `start_at`) VALUES ('vector_store', NEW.`id`, NEW.`project_id`, NEW.`usage_bytes`, NEW.`created_at`);
END;--> statement-breakpoint
CREATE TRIGGER `storage_vector_store_resize` AFTER UPDATE OF `usage_bytes` ON `vector_stores` WHEN NEW.`usage_bytes` IS NOT OLD.`usage_bytes` BEGIN
	UPDATE `storage_intervals` SET `end_at` = CAST(strftime('%s', 'now') AS INTEGER) WHERE `kind` = 'vector_store' AND `object_id` = OLD.`id` AND `end_at` IS NULL;
	INSERT INTO `storage_intervals` (`kind`, `object_id`, `project_id`, `bytes`, `start_at`) VALUES ('vector_store', NEW.`id`, NEW.`project_id`, NEW.`usage_bytes`, CAST(strftime('%s', 'now') AS INTEGER));
END;--> statement-breakpoint
CREATE TRIGGER `storage_vector_store_delete` AFTER DELETE ON `vector_stores` BEGIN
	UPDATE `storage_intervals` SET `end_at` = CAST(strftime('%s', 'now') AS INTEGER) WHERE `kind` = 'vector_store' AND `object_id` = OLD.`id` AND `end_at` IS NULL;
END;

CREATE TABLE `chunks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` text NOT NULL,
	`vector_store_id` text NOT NULL,
	`file_id` text NOT NULL,
	`chunk_index` integer NOT NULL,
	`text` text NOT NULL,
	`tokens` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `chunks_store_file` ON `chunks` (`vector_store_id`,`file_id`,`chunk_index`);--> statement-breakpoint
CREATE TABLE `file_batches` (
	`id` text PRIMARY KEY NOT NULL,
	`vector_store_id` text NOT NULL,
	`project_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`cancelled` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE INDEX `file_batches_store` ON `file_batches` (`vector_store_id`,`id`);--> statement-breakpoint
CREATE TABLE `local_vectors` (
	`id` text PRIMARY KEY NOT NULL,
	`namespace` text NOT NULL,
	`values` blob NOT NULL,
	`metadata` text
);
--> statement-breakpoint
CREATE INDEX `local_vectors_namespace` ON `local_vectors` (`namespace`);--> statement-breakpoint
CREATE TABLE `vector_store_files` (
	`vector_store_id` text NOT NULL,
	`id` text NOT NULL,
	`project_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`status` text NOT NULL,
	`last_error` text,
	`usage_bytes` integer DEFAULT 0 NOT NULL,
	`chunking_strategy` text NOT NULL,
	`attributes` text,
	`batch_id` text,
	PRIMARY KEY(`vector_store_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `vector_store_files_file` ON `vector_store_files` (`id`);--> statement-breakpoint
CREATE INDEX `vector_store_files_batch` ON `vector_store_files` (`batch_id`);--> statement-breakpoint
CREATE TABLE `vector_stores` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`usage_bytes` integer DEFAULT 0 NOT NULL,
	`last_active_at` integer,
	`expires_after` text,
	`expires_at` integer,
	`metadata` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `vector_stores_project` ON `vector_stores` (`project_id`,`id`);
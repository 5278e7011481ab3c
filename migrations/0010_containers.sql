-- Containers (docs/containers.md): OpenAI's `/v1/containers`, the code_interpreter's sandbox as an object.
-- `containers`: one row per container of a project; it expires after `expires_after_minutes` without
-- activity (`last_active_at`, OpenAI's only anchor). Its sandbox session is named by its id.
CREATE TABLE `containers` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`name` text NOT NULL,
	`memory_limit` text NOT NULL,
	`expires_after_minutes` integer NOT NULL,
	`last_active_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `containers_project` ON `containers` (`project_id`,`id`);--> statement-breakpoint
-- `container_files`: the files of a container (uploaded, copied from a File, or written by code), one per
-- /mnt/data path; the bytes live in R2 (`r2_key`), so they outlive the sandbox session.
CREATE TABLE `container_files` (
	`id` text PRIMARY KEY NOT NULL,
	`container_id` text NOT NULL,
	`project_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`bytes` integer NOT NULL,
	`path` text NOT NULL,
	`source` text NOT NULL,
	`r2_key` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `container_files_container` ON `container_files` (`container_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `container_files_path` ON `container_files` (`container_id`,`path`);

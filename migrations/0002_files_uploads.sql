CREATE TABLE `files` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`bytes` integer NOT NULL,
	`filename` text NOT NULL,
	`purpose` text NOT NULL,
	`mime_type` text NOT NULL,
	`r2_key` text NOT NULL,
	`expires_at` integer
);
--> statement-breakpoint
CREATE INDEX `files_project` ON `files` (`project_id`,`id`);--> statement-breakpoint
CREATE INDEX `files_project_purpose` ON `files` (`project_id`,`purpose`,`id`);--> statement-breakpoint
CREATE TABLE `upload_parts` (
	`id` text PRIMARY KEY NOT NULL,
	`upload_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`bytes` integer NOT NULL,
	`r2_key` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `upload_parts_upload` ON `upload_parts` (`upload_id`,`id`);--> statement-breakpoint
CREATE TABLE `uploads` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`filename` text NOT NULL,
	`bytes` integer NOT NULL,
	`purpose` text NOT NULL,
	`mime_type` text NOT NULL,
	`status` text NOT NULL,
	`expires_at` integer NOT NULL,
	`file_expires_after` text,
	`file_id` text
);
--> statement-breakpoint
CREATE INDEX `uploads_project` ON `uploads` (`project_id`,`id`);
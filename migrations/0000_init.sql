CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`service_account_id` text,
	`name` text NOT NULL,
	`key_hash` text NOT NULL,
	`redacted_value` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `api_keys_project` ON `api_keys` (`project_id`,`id`);--> statement-breakpoint
CREATE TABLE `assistants` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`model` text NOT NULL,
	`name` text,
	`description` text,
	`instructions` text,
	`tools` text NOT NULL,
	`tool_resources` text,
	`metadata` text NOT NULL,
	`temperature` real,
	`top_p` real,
	`response_format` text,
	`reasoning_effort` text
);
--> statement-breakpoint
CREATE INDEX `assistants_project` ON `assistants` (`project_id`,`id`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`thread_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`role` text NOT NULL,
	`content` text NOT NULL,
	`status` text NOT NULL,
	`incomplete_details` text,
	`completed_at` integer,
	`incomplete_at` integer,
	`assistant_id` text,
	`run_id` text,
	`attachments` text,
	`metadata` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `messages_thread` ON `messages` (`thread_id`,`id`);--> statement-breakpoint
CREATE INDEX `messages_thread_run` ON `messages` (`thread_id`,`run_id`,`id`);--> statement-breakpoint
CREATE TABLE `projects` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` integer NOT NULL,
	`archived_at` integer
);
--> statement-breakpoint
CREATE TABLE `service_accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`name` text NOT NULL,
	`role` text DEFAULT 'member' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `service_accounts_project` ON `service_accounts` (`project_id`,`id`);--> statement-breakpoint
CREATE TABLE `threads` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`tool_resources` text,
	`metadata` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `threads_project` ON `threads` (`project_id`,`id`);
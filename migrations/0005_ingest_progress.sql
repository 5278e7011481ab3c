-- Ingestion that always finishes: each vector-store file records
-- how many times its ingestion was queued, which consumer holds it (a claim number, also stamped on the
-- chunks that consumer wrote), how many of its chunks have vectors (a retry resumes from there) and
-- when it last made progress (unix ms; the sweeper re-queues files stuck past a deadline). Rows that
-- exist before this migration get progress_at 0: a file still in_progress is swept at once.
ALTER TABLE `vector_store_files` ADD `attempts` integer DEFAULT 1 NOT NULL;
--> statement-breakpoint
ALTER TABLE `vector_store_files` ADD `claim` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE `vector_store_files` ADD `chunks_embedded` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE `vector_store_files` ADD `progress_at` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
CREATE INDEX `vector_store_files_progress` ON `vector_store_files` (`status`,`progress_at`);
--> statement-breakpoint
ALTER TABLE `chunks` ADD `claim` integer DEFAULT 0 NOT NULL;

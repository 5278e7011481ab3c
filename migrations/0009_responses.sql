-- The Responses API (docs/responses.md, docs/storage.md §1 "Responses API").
-- `responses`: one row per stored response (`store: true`), the Response object as JSON (its output items
-- included), its status and the previous response it continues. Written by the response Durable Object
-- (src/durable/responses/) when it accepts the response and when the response ends.
CREATE TABLE `responses` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`status` text NOT NULL,
	`previous_response_id` text,
	`response` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `responses_project` ON `responses` (`project_id`,`id`);--> statement-breakpoint
-- `response_items`: the input items of a stored response, one row each (the cursor of
-- GET /responses/{id}/input_items is the item id, paginated by the one pagination query).
CREATE TABLE `response_items` (
	`id` text NOT NULL,
	`response_id` text NOT NULL,
	`project_id` text NOT NULL,
	`item` text NOT NULL,
	PRIMARY KEY(`response_id`, `id`)
);

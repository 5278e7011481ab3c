-- The project the ADMIN_API_KEY acts in when a request names no OpenAI-Project header.
INSERT OR IGNORE INTO `projects` (`id`, `name`, `status`, `created_at`) VALUES ('proj_default', 'Default project', 'active', CAST(strftime('%s', 'now') AS INTEGER));

import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

// Storage is shared between test files (docs/platform-limits.md §9), so migrations are idempotent here and
// every test makes its own ids.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

import { defineConfig } from 'drizzle-kit';

// D1 migrations are generated from src/db/schema/ (every file of the folder) into migrations/ and applied by wrangler
// (`wrangler d1 migrations apply DB`), locally by scripts/dev.mjs and the test setup.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema',
  out: './migrations',
});

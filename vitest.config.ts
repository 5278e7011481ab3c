import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { isolatedSettings } from './test/support/settings.js';

/**
 * Three test tiers (docs/platform-limits.md §9):
 * - unit: pure domain code in Node, no bindings.
 * - integration: inside workerd through @cloudflare/vitest-plugin (Durable Object, D1, queues).
 * - contract: the official `openai` SDKs (v7, v6 and v4) in Node, over HTTP, against the worker run by
 *   wrangler's test harness from wrangler.toml, with every response validated against the OpenAPI
 *   document.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // A ceiling for a stuck test, not a speed check: a few unit tests do seconds of real work
          // (chunking 20 MB, 12k-vector searches), and on a busy 2-core machine 5 s was not enough.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'contract',
          include: ['test/contract/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [
          cloudflareTest(async ({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                // Every setting explicit: the developer's own .dev.vars must not reach the tests.
                ...isolatedSettings({
                  ADMIN_API_KEY: 'sk-admin-integration-test-key',
                  UPSTREAM_OPENAI_BASE_URL: `${inject('upstreamOrigin')}/v1`,
                  UPSTREAM_OPENAI_API_KEY: 'sk-upstream-test',
                }),
                TEST_MIGRATIONS: await readD1Migrations('./migrations'),
              },
            },
          })),
        ],
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          setupFiles: ['test/integration/apply-migrations.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
        },
      },
    ],
  },
});

import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// Two projects: `unit` runs the pure algorithms in plain Node (they import nothing from the
// platform, and some tests compare with the reference data sets beside the repository);
// `worker` runs everything else inside workerd with real Durable Objects, D1, KV and Queues.
const migrations = await readD1Migrations('./migrations');

export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            // A restricted key beside the development one, and a per-user rate limit low
            // enough to reach in a test.
            miniflare: {
              bindings: {
                SITE_KEYS: JSON.stringify({
                  'dev-site-key': { origins: ['*'] },
                  'shop-key': { origins: ['https://shop.example'] },
                }),
                RATE_LIMIT_BURST: '400',
                RATE_LIMIT_PER_SECOND: '1',
                TEST_MIGRATIONS: migrations,
              },
            },
          }),
        ],
        test: {
          name: 'worker',
          include: ['test/worker/**/*.test.ts'],
          setupFiles: ['./test/worker/apply-migrations.ts'],
        },
      },
    ],
  },
});

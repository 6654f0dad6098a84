import { defineConfig } from 'vitest/config';

// Run with: vitest run --config bench/server/vitest.config.ts --silent=false
export default defineConfig({
  test: { include: ['bench/server/*.bench.test.ts'], testTimeout: 3_600_000, hookTimeout: 1_800_000 },
});

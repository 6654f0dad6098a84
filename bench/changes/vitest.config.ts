import { defineConfig } from 'vitest/config';

// Run with: vitest run --config bench/changes/vitest.config.ts --silent=false
export default defineConfig({
  test: { include: ['bench/changes/*.bench.test.ts'], testTimeout: 3_600_000 },
});

import { defineConfig } from 'vitest/config';

// Run with: vitest run --config bench/records/vitest.config.ts --silent=false
export default defineConfig({
  test: { include: ['bench/records/*.bench.test.ts'], testTimeout: 600_000, hookTimeout: 600_000 },
});

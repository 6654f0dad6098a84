import { defineConfig } from 'vitest/config';

// Run with: vitest run --config bench/fleet/vitest.config.ts --silent=false
export default defineConfig({
  test: { include: ['bench/fleet/*.bench.test.ts'], testTimeout: 7_200_000, hookTimeout: 600_000 },
});

import { defineConfig } from 'vitest/config';

// Run with: vitest run --config bench/gate/vitest.config.ts --silent=false
export default defineConfig({
  test: { include: ['bench/gate/*.bench.test.ts'], testTimeout: 600_000, hookTimeout: 600_000 },
});

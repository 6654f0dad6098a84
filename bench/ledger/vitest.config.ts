import { defineConfig } from 'vitest/config';

// Run with: vitest run --config bench/ledger/vitest.config.ts  (LEDGER_BENCH_ENTRIES=1000000 for the full size)
export default defineConfig({
  test: { include: ['bench/ledger/*.bench.test.ts'], testTimeout: 3_600_000 },
});

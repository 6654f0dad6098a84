import { defineConfig } from 'vitest/config';

/** Browser tests: real headless Chromium (npm run test:browser), one file at a time. */
export default defineConfig({
  test: {
    include: ['src/**/*.browser.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});

import { defineConfig } from 'vitest/config';

// The conformance suites read other projects' published data from ../shared/corpora.
// Each suite skips itself, with a message, when that folder is absent.
export default defineConfig({
  test: {
    include: ['src/**/*.conformance.test.ts', 'test/**/*.conformance.test.ts'],
    testTimeout: 60_000,
  },
});

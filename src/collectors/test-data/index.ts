import type { Collector } from '../types.js';
import { testDataSanitised } from './checks.js';
import { collectTestData, type TestDataFacts } from './collect.js';

export const testDataCollector: Collector<TestDataFacts> = {
  id: 'test-data',
  title: 'Test data hygiene: no real-looking personal data in fixtures, tests and seeds',
  collect: collectTestData,
  checks: [testDataSanitised],
};

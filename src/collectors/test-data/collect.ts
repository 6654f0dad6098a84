import type { RepositorySnapshot } from '../../kernel/index.js';
import type { PersonalDataKind } from './detect.js';

/** Folders whose files are test, fixture or seed data. */
const dataFolder =
  /(^|\/)(test|tests|__tests__|spec|specs|fixtures|__fixtures__|testdata|test-data|test_data|seed|seeds|seeders|seed-data|sample-data|e2e|cypress)\//i;
const dataFile = /(^|\/)[^/]*(seed|fixture|dump|sample)[^/]*\.(sql|json|csv|ya?ml)$/i;
const dataExtensions = /\.(json|jsonl|ndjson|ya?ml|csv|tsv|sql|txt|xml|psv)$/i;
const maxFiles = 5000;
const maxBytes = 1024 * 1024;

export interface ScannedFile {
  path: string;
  text: string;
}

export interface TestDataFacts {
  files: ScannedFile[];
  /** Files that looked like test data but were not read (too many). */
  skipped: number;
}

/** Whether a path is test, fixture or seed data shipguard scans. */
export function isTestDataPath(path: string): boolean {
  if (/(^|\/)(node_modules|vendor|\.git)\//.test(path)) return false;
  return (dataFolder.test(path) && dataExtensions.test(path)) || dataFile.test(path);
}

export async function collectTestData(repository: RepositorySnapshot): Promise<TestDataFacts> {
  const candidates = repository.filter(isTestDataPath);
  const files: ScannedFile[] = [];
  for (const path of candidates.slice(0, maxFiles)) {
    const file = await repository.readText(path, maxBytes);
    if (file) files.push({ path, text: file.text });
  }
  return { files, skipped: Math.max(0, candidates.length - maxFiles) };
}

export type { PersonalDataKind };

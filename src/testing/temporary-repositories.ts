import { afterEach } from 'vitest';
import { createTestRepository, type TestRepository } from './git-repository.js';

/** Creates test repositories that are removed after each test (call at the top of a test file). */
export function temporaryRepositories(): (options?: { git?: boolean }) => TestRepository {
  const created: TestRepository[] = [];
  afterEach(() => {
    for (const repository of created.splice(0)) repository.remove();
  });
  return (options = {}) => {
    const repository = createTestRepository(options);
    created.push(repository);
    return repository;
  };
}

import type { RepositorySnapshot } from '../../kernel/index.js';
import { type RuntimeVersionsFacts, readRuntimeDeclarations } from '../../runtimes/index.js';

export type { RuntimeVersionsFacts } from '../../runtimes/index.js';

export function collectRuntimeVersions(repository: RepositorySnapshot): Promise<RuntimeVersionsFacts> {
  return readRuntimeDeclarations(repository);
}
